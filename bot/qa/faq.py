"""Match a viewer's question to the shop FAQ: keywords and character bigrams, bilingual, with a threshold.

Paraphrases share characters in Chinese ("能开发票吗" ~ "可以开发票吗") and policy words in English
("return policy?" ~ 退换): a small table maps common English shop vocabulary onto the Chinese words
shop FAQs are written with. Below the threshold the bot stays silent.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from bot.catalog import Faq, FaqEntry
from bot.qa.text import normalize

# English shop vocabulary -> Chinese words a Chinese shop FAQ uses for the same policy.
EN_TO_ZH: tuple[tuple[str, str], ...] = (
    (r"\breturns?\b(?! shipping)|\bexchange|\brefund policy\b|\bsend (?:it )?back\b|\bdoesn'?t fit\b", "退换 退货 换货"),
    (r"\brefund", "退款 到账"),
    (r"\binvoice|\breceipt|\bfapiao\b|\bvat\b", "发票 开票"),
    (r"\bcoupons?\b|\bvouchers?\b|\bpromo code", "优惠券 领券"),
    (r"\bwhen (?:will|do) (?:you|it|they) ship|\bdispatch|\bhow (?:long|soon).{0,20}ship", "发货 什么时候发"),
    (r"\bcourier|\bexpress\b|\bwhich (?:delivery|shipping) (?:company|carrier)|\bcarrier\b", "快递 哪家快递"),
    (r"\bfree shipping\b|\bshipping (?:fee|cost)|\bpostage\b|\bdelivery fee", "包邮 运费"),
    (r"\babroad\b|\boverseas\b|\binternational|\bship to (?:the )?(?:us|usa|uk|canada|japan|europe)|"
     r"\bhong kong\b|\btaiwan\b|\bmacau\b|\boutside china\b", "国外 海外 国际 香港"),
    (r"\bcash on delivery\b|\bcod\b|\bpay (?:on|at) delivery\b", "货到付款 到付"),
    (r"\b(?:change|wrong) (?:my |the )?address", "改地址 修改地址"),
    (r"\brestock|\bback in stock\b|\bmore stock\b|\bnotify me\b", "补货 到货提醒"),
    (r"\bgifts?\b|\bfreebies?\b|\bfree gift", "赠品 送什么"),
    (r"\bauthentic\b|\bgenuine\b|\bfake\b|\bquality (?:issue|problem)|\bdefect", "正品 质量问题"),
    (r"\bsize (?:guide|chart)|\bwhich size\b|\bwhat size should|\bsize should i\b|\b(?:choose|pick|select|find)\b.{0,12}\bsize", "尺码 选码 尺码怎么选"),
    (r"\bwash|\blaundry\b|\bdry clean|\bshrink", "洗涤 怎么洗"),
    (r"\bcustomer service\b|\bcontact (?:you|the shop|support)\b|\btalk to (?:a )?(?:human|person|someone)\b", "客服 联系"),
    (r"\bmembers?(?:ship)?\b|\b(?:loyalty|reward|member) points?\b|\bpoints (?:expire|work|worth)\b", "会员 积分"),
    (r"\bpre-?orders?\b|\bpresale\b|\bpre-?sale\b", "预售 现货"),
    (r"\bcolou?r (?:difference|looks? different|accurate)|\bsame (?:in real life|irl)|\birl\b|\bin real life\b", "色差"),
    (r"\bshipping insurance\b|\breturn shipping\b|\bpays? (?:for )?(?:the )?return", "运费险 退货运费"),
    (r"\btibet\b|\bxinjiang\b|\bqinghai\b|\binner mongolia\b|\bremote (?:area|region)s?\b", "新疆 西藏 偏远地区"),
    (r"\blive (?:price|deal)|\bsame price\b|\b(?:after|during) (?:the )?(?:live|stream)\b", "直播间价 下播"),
    # Chinese paraphrases whose words differ from any FAQ wording: couriers by name, body measurements.
    (r"顺丰|圆通|中通|韵达|申通|极兔|京东快递|邮政|\bems\b|\bsf express\b", "快递 指定快递"),
    (r"\d{2,3}\s*(?:斤|kg|公斤|cm|厘米)|\b(?:i(?:'m| am)|i weigh|my weight is)\s*\d", "尺码 选码 身高 体重"),
)  # fmt: skip

_CJK = re.compile(r"[\u4e00-\u9fff]")
# Words too common in shop questions to say which policy is meant.
_STOP = set("吗呢吧啊呀的了是不有没可以能么么我你他这那个吗么嘛哦哈吖宝们主播请问一下")


def _bigrams(text: str) -> set[str]:
    chars = [ch for ch in text if _CJK.match(ch) and ch not in _STOP]
    return {a + b for a, b in itertools.pairwise(chars)} | set(chars)


def _overlap(grams: set[str], other: set[str]) -> float:
    return len(grams & other) / max(1, min(len(grams), len(other)))


@dataclass(frozen=True, slots=True)
class FaqMatch:
    entry: FaqEntry
    score: float


class FaqMatcher:
    def __init__(self, faq: Faq | None, threshold: float = 0.6):
        self.threshold = threshold
        self._entries = []
        for entry in faq or ():
            keywords = tuple(normalize(k) for k in entry.keywords if k.strip())
            grams = (_bigrams(normalize(entry.question)), _bigrams(normalize(entry.answer)))
            self._entries.append((entry, keywords, *grams))

    def expand(self, normalized: str) -> str:
        """Add the Chinese policy words that an English question implies."""
        extra = [zh for pattern, zh in EN_TO_ZH if re.search(pattern, normalized)]
        return normalized + (" " + " ".join(extra) if extra else "")

    def match(self, normalized: str) -> FaqMatch | None:
        text = self.expand(normalized)
        grams = _bigrams(text)
        best: FaqMatch | None = None
        for entry, keywords, question_grams, answer_grams in self._entries:
            hits = {k for k in keywords if k in text}
            on_question = _overlap(grams, question_grams)
            on_answer = _overlap(grams, answer_grams)
            # A keyword alone is weak evidence ("下播" in "几点下播" is not the live-price policy): it needs
            # some of the rest of the message to agree with the entry's question or answer.
            keyword_score = 0.0
            if hits:
                longest = max(len(k) for k in hits)
                extra = 0.1 * min(len(hits) - 1, 2)
                keyword_score = 0.45 + 0.05 * min(longest, 5) + extra + 0.4 * max(on_question, on_answer)
            # Without a keyword, sharing single characters is chance: a shared pair of characters is required.
            shared_pair = any(len(g) == 2 for g in grams & question_grams)
            score = max(keyword_score, 0.9 * on_question if shared_pair else 0.0)
            if best is None or score > best.score:
                best = FaqMatch(entry, score)
        if best is None or best.score < self.threshold:
            return None
        return best
