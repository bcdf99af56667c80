"""What a viewer is asking about, from rules written for real live chat (Chinese and English).

Each intent has a pattern; a message may match several ("3号黑色有L吗" is colour and size). The caller
decides with the product facts at hand. Nothing here decides whether to answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SIZE_TOKEN = r"(?:xxxl|xxl|xl|xs|s|m|l|2xl|3xl|均码|\d{2}(?:\.5)?)"

PATTERNS: dict[str, re.Pattern[str]] = {
    "price": re.compile(
        r"多少钱|多钱|几块|几元|多少米|价格|价钱|啥价|什么价|怎么卖|咋卖|到手价|多少一件|卖多少|"
        r"多少\s*$|\bhow much\b|\bprice[sd]?\b|\bcosts?\b|\bhow expensive\b"
    ),
    "discount": re.compile(
        r"优惠|打折|折扣|几折|\d(?:\.\d)?折|便宜|降价|省多少|省了|原价|划线价|减多少|活动价|"
        r"\bdiscount|\bon sale\b|\bsale\b|\bdeal\b|\b\d+% off\b|\bcheaper\b|\boriginal price\b|\bsave\b|\bsaving"
    ),
    "stock": re.compile(
        r"有货|还有吗|还有没有|有没有货|库存|没货|卖完|售罄|还剩|剩几|剩多少|抢光|断货|能拍吗|能买吗|还能买|"
        r"\bin stock\b|\bavailable\b|\bsold out\b|\bleft\b|\bstock\b|\bcan i (?:still )?buy\b"
    ),
    "size": re.compile(
        r"尺码|尺寸|码数|几码|多大码|什么码|大小|偏大|偏小|有" + SIZE_TOKEN + r"码?(?:吗|么|没|不)|"
        r"" + SIZE_TOKEN + r"码|\bsizes?\b|\bin (?:xs|s|m|l|xl|xxl|size \d+)\b|\bfit\b|\b(?:xs|xl|xxl)\b"
    ),
    "color": re.compile(
        r"颜色|什么色|几个色|哪些色|几种色|有[\u4e00-\u9fff]{1,3}色(?:吗|么|没|的吗)|[\u4e00-\u9fff]色(?:吗|呢|有吗|有没有)|"
        r"\bcolou?rs?\b|\bin (?:black|white|grey|gray|blue|red|pink|green|brown|beige)\b"
    ),
    "material": re.compile(
        r"材质|面料|什么料|啥料|成分|含棉|纯棉吗|羊毛吗|真皮吗|是棉|是羊毛|是真皮|什么做的|起球|透气|"
        r"\bmaterials?\b|\bfabric\b|\bmade of\b|\bcotton\b|\bwool\b|\bleather\b|\bpolyester\b|\bsilk\b"
    ),
    "shipping": re.compile(
        r"发货|几天发|多久发|什么时候发|啥时候发|几天到|多久到|快递|包邮|运费|邮费|寄到|能寄|配送|"
        r"\bship(?:ping|s|ped)?\b|\bdeliver(?:y|ed)?\b|\bpostage\b|\bfree shipping\b|\bdispatch"
    ),
    "recommend": re.compile(
        r"推荐|推一下|买什么|买哪个|选哪个|哪个好|哪款好|适合我|有什么好|种草|"
        r"\brecommend|\bwhat should i (?:buy|get)\b|\bsuggest|\bwhich one should\b|\bany recommendations?\b"
    ),
}

# Words that make a message a question even without a question mark.
QUESTION_MARKERS = re.compile(
    r"[?？]|吗|么|呢|嘛|多少|几|什么|啥|怎么|咋|哪|有没有|能不能|可不可以|可以.{0,6}[吗不]|是不是|"
    r"^(?:how|what|which|when|where|is|are|do|does|can|could|will|any)\b|\bor not\b"
)
PURCHASE_BLOCKING = frozenset({"price", "stock", "size"})


@dataclass(frozen=True, slots=True)
class IntentMatch:
    names: tuple[str, ...]
    question_like: bool

    @property
    def primary(self) -> str:
        return self.names[0] if self.names else "other"


# When several match, the first in this order is the one the answer leads with.
PRIORITY = ("stock", "size", "color", "discount", "price", "material", "shipping", "recommend")


def detect_intents(normalized: str) -> IntentMatch:
    found = {name for name, pattern in PATTERNS.items() if pattern.search(normalized)}
    # A discount answer states the price too, so "优惠多少钱" needs only the discount.
    if "discount" in found:
        found.discard("price")
    names = tuple(name for name in PRIORITY if name in found)
    return IntentMatch(names, bool(QUESTION_MARKERS.search(normalized)) or bool(names))
