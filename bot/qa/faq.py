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

# A viewer's body measurements ("130斤", "65kg", "身高165", "1米7", "我爸175穿", "im 65kg"): a question for
# the size guide, never a product size ("我要175码" is one, so a size word after the number excludes it).
BODY_MEASURE = (
    r"\d{2,3}\s*(?:斤|kg|公斤|千克|cm|厘米|lbs?|磅)|(?:身高|体重)\s*\d|[1一]米[1-9一二三四五六七八九]|"
    r"(?:我|爸|妈|老公|老婆|老人|婆婆|公公|奶奶|爷爷|孩子|他|她)\D{0,2}1[4-9]\d(?![\d号块元.码])|"
    r"\b(?:i(?:'?m| am)|i weigh|my weight is)\s*(?:about |around )?\d"
)

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
    (r"\bwash|\blaundry\b|\bdry clean|\bshrink|\bclean(?:ing)?\b|\bcare (?:for|of|instructions?)\b|"
     r"\bhow (?:do|to|should|can) (?:i |you |we )?(?:look after|take care|maintain)", "洗涤 怎么洗 清洗 保养"),
    (r"\bcustomer service\b|\bcontact (?:you|the shop|support)\b|\btalk to (?:a )?(?:human|person|someone)\b", "客服 联系"),
    (r"\bmembers?(?:ship)?\b|\b(?:loyalty|reward|member) points?\b|\bpoints (?:expire|work|worth)\b", "会员 积分"),
    (r"\bpre-?orders?\b|\bpresale\b|\bpre-?sale\b", "预售 现货"),
    (r"\bcolou?r (?:difference|looks? different|accurate)|\bsame (?:in real life|irl)|\birl\b|\bin real life\b", "色差"),
    (r"\bshipping insurance\b|\breturn shipping\b|\bpays? (?:for )?(?:the )?return", "运费险 退货运费"),
    (r"\btibet\b|\bxinjiang\b|\bqinghai\b|\binner mongolia\b|\bremote (?:area|region)s?\b", "新疆 西藏 偏远地区"),
    (r"\blive (?:price|deal)|\bsame price\b|\b(?:after|during) (?:the )?(?:live|stream)\b", "直播间价 下播"),
    (r"\b(?:go|going|be|you(?:'re| are)?|u) live\b|\bwhat time (?:do|does|are|is|will) (?:you|u|the (?:live|stream|show))|"
     r"\bwhen (?:do|are|will) (?:you|u) (?:stream|live|on|start)|\b(?:stream|live|show)(?:ing)? (?:time|schedule|hours)\b|"
     r"\bschedule\b|\bnext (?:live|stream|show)\b|\b(?:stream|live)(?:ing)? (?:on|every|tomorrow|tonight|today)\b",
     "直播时间 几点直播 开播 几点开播"),
    (r"\b(?:change|update|fix|correct|edit)\b.{0,12}\baddress|\baddress\b.{0,12}\b(?:wrong|change|mistake|typo)",
     "改地址 修改地址 地址填错"),
    # Chinese paraphrases of the common policies, whose words differ from a FAQ's own wording.
    # Returns: "能退吗", "拆了还能退吗", "不合适能换吗", "试穿了能退吗" all ask the return policy.
    (r"(?:能|可以|可|还能|能不能|可不可以|支持|包)(?:退|换)(?!款)|(?<!运费)(?<!退款)[退换](?:吗|么|不|嘛|吧)|退不退|换不换|"
     r"拆(?:了|开|封)|试穿(?:了|过)|穿过|洗过|下过?水|剪了?吊牌|不合适", "退换 退货 换货 拆封 无理由"),
    # Return shipping: "退货运费谁出", "寄回运费谁付", "运费谁承担".
    (r"运费.{0,3}(?:谁|自理|报销|承担)|谁.{0,3}运费|(?:退|寄回|退回).{0,3}运费", "退货运费 运费险 谁出运费"),
    # Live schedule: "周一播吗", "明天几点播", "今晚直播吗" (never "下播": when a show ends is another question).
    (r"(?:周|星期|礼拜)[一二三四五六日天末1-7]?.{0,3}(?<!下)(?:播|直播|开播)|"
     r"(?:今天|明天|今晚|明晚|后天|每天|几点).{0,3}(?<!下)(?:播|开播|直播)(?!间)|(?<!下)播(?:吗|不|么|嘛)", "直播时间 几点直播 开播 几点开播"),
    # Address changes: "地址写错了", "能改地址吗", "换个地址".
    (r"地址.{0,4}(?:错|改|换|不对)|(?:改|换|填错|写错|修改).{0,2}地址", "改地址 修改地址 地址填错"),
    # Same-day dispatch: "今天下单什么时候发", "现在拍今天能发吗", "order today when does it ship".
    (r"(?:今天|今晚|现在|晚上|下午|中午)(?:下单|拍|付款|买).{0,6}(?:发|寄)|"
     r"\b(?:order|buy|pay)(?:ed)? (?:today|now|tonight)\b.{0,24}\b(?:ship|dispatch|send)",
     "当天发 当天发货 几点前下单 截止"),
    # Chinese paraphrases whose words differ from any FAQ wording: couriers by name, body measurements.
    (r"顺丰|圆通|中通|韵达|申通|极兔|京东快递|邮政|\bems\b|\bsf express\b", "快递 指定快递"),
    (BODY_MEASURE, "尺码 选码 身高 体重"),
)  # fmt: skip

_CJK = re.compile(r"[\u4e00-\u9fff]")
# What a product does over time or in use (pills, shrinks, fades, is see-through): a question about the
# product, which a care or returns policy that never names the effect does not answer ("does this pill
# after washing" is not "how to wash").
EFFECTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"起球|\bpill(?:s|ing)?\b|\bbobbl", ("起球",)),
    (r"缩水|\bshrinks?\b|\bshrinking\b|\bshrunk\b", ("缩水",)),
    (r"掉色|褪色|串色|染色|\bfades?\b|\bfading\b|\bbleeds?\b|\bcolou?r run", ("掉色", "褪色", "串色")),
    (r"变形|\blose (?:its|their) shape\b|\bstretch(?:es)? out\b|\bout of shape\b", ("变形",)),
    (r"起皱|\bwrinkles?\b|\bcreases?\b", ("起皱", "皱")),
    (r"透不透|会透|透肉|走光|\bsee[- ]?through\b|\bsheer\b", ("不透", "透肉", "透光", "走光")),
    (r"掉毛|\bshed(?:s|ding)?\b", ("掉毛",)),
)  # fmt: skip
# A question for a time or a duration, and the words an answer states one with.
_TIME_ASKED = re.compile(
    r"几点|什么时候|啥时候|多久|多长时间|几天|\bwhen\b|\bwhat time\b|\bhow (?:long|soon)\b"
)
_TIME_ANSWER = re.compile(r"\d|[一二两三四五六七八九十]|点|天|小时|分钟|周|星期|月|\bhours?\b|\bdays?\b")
# Words too common in shop questions to say which policy is meant.
# Whole words are dropped first, so their characters still count elsewhere: the 下 of "一下" says nothing,
# the 下 of "下播" (when the show ends) does.
_STOP_WORDS = re.compile(r"主播|请问|一下|宝宝|宝们|姐妹们|可以|我们|你们|他们")
_STOP = set("吗呢吧啊呀的了是不有没能么我你他这那个嘛哦哈吖")


def _bigrams(text: str) -> set[str]:
    chars = [ch for ch in _STOP_WORDS.sub(" ", text) if _CJK.match(ch) and ch not in _STOP]
    return {a + b for a, b in itertools.pairwise(chars)} | set(chars)


def _overlap(grams: set[str], other: set[str]) -> float:
    return len(grams & other) / max(1, min(len(grams), len(other)))


_QUESTION_WORDS = re.compile(r"怎么办|怎么样|怎么|为什么|什么|多少|如何|几")


def _without(text: str, words: set[str]) -> str:
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, " ")
    return text


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
            self._entries.append((entry, keywords, *grams, normalize(entry.question + " " + entry.answer)))

    def expand(self, normalized: str) -> str:
        """Add the Chinese policy words that an English question implies."""
        extra = [zh for pattern, zh in EN_TO_ZH if re.search(pattern, normalized)]
        return normalized + (" " + " ".join(extra) if extra else "")

    def match(self, normalized: str) -> FaqMatch | None:
        text = self.expand(normalized)
        grams = _bigrams(text)
        asks_time = bool(_TIME_ASKED.search(normalized))
        effects = [words for pattern, words in EFFECTS if re.search(pattern, normalized)]
        best: FaqMatch | None = None
        for entry, keywords, question_grams, answer_grams, said in self._entries:
            if effects and not all(any(w in said for w in words) for words in effects):
                continue  # the entry never speaks of the effect asked about
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
                # The Chinese rest of the message, less the keywords: when it has words of its own and none
                # of them is in the entry ("快递能送货上门吗" vs "发什么快递"), it asks something else.
                rest = _bigrams(_QUESTION_WORDS.sub(" ", _without(normalized, hits)))
                pairs = sum(1 for g in rest if len(g) == 2)
                if len(hits) == 1 and pairs >= 3 and not rest & (question_grams | answer_grams):
                    keyword_score = 0.0
            # Without a keyword, sharing single characters is chance: a shared pair of characters is required.
            shared_pair = any(len(g) == 2 for g in grams & question_grams)
            score = max(keyword_score, 0.9 * on_question if shared_pair else 0.0)
            if asks_time and not _TIME_ANSWER.search(entry.answer):
                # "今天几点下播" asks a time: an entry whose answer states none ("下播后以商品页价格为准")
                # is not the answer, however many words they share.
                score = 0.0
            if best is None or score > best.score:
                best = FaqMatch(entry, score)
        if best is None or best.score < self.threshold:
            return None
        return best
