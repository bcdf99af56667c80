"""Normalising live-chat text: full-width forms, case, repeated characters, Chinese numerals."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from bot.qa import rx

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# 3+ of the same Chinese character or symbol ("钱钱钱", "???") become two; letters and digits only from 4
# on, so "xxxl" and "888" keep their meaning.
_REPEATS = re.compile(r"([^a-z0-9\s])\1{2,}|([a-z0-9])\2{3,}")
# Pinyin input slips seen in live chat: the right syllable, the wrong character.
ZH_TYPOS = {
    "多少前": "多少钱", "多钱前": "多钱", "尺马": "尺码", "几马": "几码", "什么马": "什么码", "包油": "包邮",
    "邮费": "邮费", "油费": "邮费", "价各": "价格", "价个": "价格", "有或": "有货", "发或": "发货", "没或": "没货",
    "颜涩": "颜色", "材值": "材质", "才质": "材质", "面聊": "面料", "号码吗": "码吗", "有那些": "有哪些",
    "包由": "包邮", "包游": "包邮",
}  # fmt: skip
# Regional Chinese of the shop questions (Shanghainese 几钿 / 伐, Cantonese 冇 / 有冇 / 咩, Sichuanese 莫得 /
# 撒子): the Mandarin words the rules are written in.
DIALECT_ZH = {
    "几钿": "多少钱", "几多钱": "多少钱", "几多米": "多少钱", "有冇": "有没有", "冇货": "没货", "冇": "没有",
    "莫得": "没有", "木有": "没有", "么得": "没有", "撒子": "啥", "啥子": "啥",
    # Cantonese, as Hong Kong, Guangdong and Malaysian viewers type it.
    "系唔系": "是不是", "係唔係": "是不是", "系咪": "是不是", "係咪": "是不是", "仲有": "还有", "几多": "多少",
    "边个": "谁", "点样": "怎么", "落单": "下单", "恤衫": "衬衫", "甩色": "掉色",
    "甩毛": "掉毛", "平咗": "便宜了", "唔啱": "不合适", "唔该": "谢谢", "唔": "不", "嘅": "的", "咗": "了",
    "係": "是", "睇": "看", "佢": "它",
}  # fmt: skip
# "咩" is "what" before a word ("咩色", "咩料") and a question particle at the end ("冇货咩").
_WHAT_CANTONESE = re.compile(r"咩(?=[\u4e00-\u9fff])")
# A question particle at the end of a clause: "有货伐", "冇货咩".
_DIALECT_PARTICLE = re.compile(r"(?<=[\u4e00-\u9fff])[伐咩](?=\s|$|[?？!！,，])")
# Traditional characters of shop talk (viewers in Hong Kong, Taiwan, Malaysia): one script to match in,
# "二號腳長255選幾號" is "二号脚长255选几号".
_TRADITIONAL = str.maketrans(
    dict(
        zip(
            "號碼錢貨價顏長選幾腳還嗎麼個這們運費郵發寬會沒優買賣對適種紅綠藍黃條雙褲衛襯紗絲絨鏈後裡裏問題點邊給"
            "時間區國實員氣東樣擇訂單無貴從內帶襪鑽棉縮水洗車機純羅圍領袖擺釦鈕碼寸錶戶",
            "号码钱货价颜长选几脚还吗么个这们运费邮发宽会没优买卖对适种红绿蓝黄条双裤卫衬纱丝绒链后里里问题点边给"
            "时间区国实员气东样择订单无贵从内带袜钻棉缩水洗车机纯罗围领袖摆扣钮码寸表户",
            strict=True,
        )
    )
)
# Shop words typed in pinyin or its initials ("36 hao duoshao qian", "9号by吗", "zb", "jm们").
PINYIN = tuple(
    (re.compile(pattern), zh)
    for pattern, zh in (
        (r"(?<![a-z0-9.])(\d{1,3})\s*hao(?![a-z])", r"\1号"),
        (r"(?<![a-z])duo\s*shao\s*qian(?![a-z])", "多少钱"), (r"(?<![a-z])lian\s*jie(?![a-z])", "链接"),
        (r"(?<=多少)\s*q(?![a-z])", "钱"), (r"(?<=几)\s*q(?![a-z])", "块钱"), (r"(?<![a-z])duo\s*shao(?![a-z])", "多少"), (r"(?<![a-z])jia\s*ge(?![a-z])", "价格"),
        (r"(?<![a-z])bao\s*you(?![a-z])", "包邮"), (r"(?<=号)\s*by(?![a-z])|(?<![a-z])by(?=\s*(?:吗|么|不|没))", "包邮"),
        (r"(?<![a-z])you\s*huo(?![a-z])", "有货"), (r"(?<![a-z])fa\s*huo(?![a-z])", "发货"), (r"(?<![a-z])chi\s*ma(?![a-z])", "尺码"),
        (r"(?<![a-z])yan\s*se(?![a-z])", "颜色"), (r"(?<![a-z])cai\s*zhi(?![a-z])", "材质"), (r"(?<![a-z])yhq(?![a-z])", "优惠券"), (r"(?<![a-z])yh(?![a-z])", "优惠"),
        (r"(?<![a-z])dsq(?![a-z])", "多少钱"), (r"(?<![a-z])fh(?![a-z])", "发货"), (r"(?<![a-z])lnk(?![a-z])", "link"), (r"(?<![a-z])jg(?![a-z])", "价格"), (r"(?<![a-z])kc(?![a-z])", "库存"),
        (r"(?<![a-z])duo(?=少)", "多"), (r"(?<![a-z])ke\s*yi(?![a-z])", "可以"), (r"(?<![a-z])tui\s*huan(?![a-z])", "退换"), (r"(?<![a-z])tui\s*huo(?![a-z])", "退货"),
        (r"(?<![a-z])zb(?![a-z])", "主播"), (r"(?<![a-z])jm(?=们|\b)", "姐妹"),
        # Chat English: "r these real", "how much r the sneakers".
        (r"(?<![a-z0-9'])r(?= (?:u|you|they|these|those|the|there|it|we|ur|your)\b)", "are"),
    )
)  # fmt: skip
# English shop words for the one-typo correction below. Short everyday look-alikes ("such", "while",
# "shop", "most") must not turn into shop words, so 4-letter words only get their letters swapped back.
EN_VOCAB = (
    "much", "price", "prices", "available", "stock", "sizes", "color", "colour", "colors", "colours",
    "material", "fabric", "cotton", "shipping", "delivery", "discount", "recommend", "return", "refund",
    "invoice", "coupon", "leather", "cashmere", "original", "still",
)  # fmt: skip
_EN_WORD = re.compile(r"[a-z]{4,}")
_X_SIZE = re.compile(r"(?<![a-z])(x{2,9})l(?![a-z])")
_SPACED = re.compile(r"(?<=[\u4e00-\u9fff0-9])\s+(?=[\u4e00-\u9fff])")
_ZH_COUNT = re.compile(r"(?<![一二两三四五六七八九十])([一二两三四五六七八九])(?=[件条双套装只对个]|包装)")
ZH_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


# A listing's clauses: cut at Chinese and sentence punctuation, and at a comma that is not inside a number.
LISTING_CLAUSES = re.compile(r"[，。；;！!？?\n]|,(?!\d)")


@functools.lru_cache(maxsize=16384)  # catalog fields are normalised again and again within one answer
def normalize(text: str) -> str:
    """NFKC (３号 -> 3号, ＡＢＣ -> ABC), lower case, runs of 3+ equal characters cut to two, no emoji."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("\ufe0f", "").replace("\u20e3", "")  # "3️⃣号": a keycap digit is the digit
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("So", "Cs", "Co"))
    # "xxxxl" is 4XL: counted before the repeat cut below would turn it into "xxl".
    text = _X_SIZE.sub(lambda m: f"{len(m.group(1))}xl", text)
    text = _REPEATS.sub(lambda m: (m.group(1) or m.group(2)) * 2, text)
    text = text.translate(_TRADITIONAL)
    for wrong, right in ZH_TYPOS.items():
        text = text.replace(wrong, right)
    for said, mandarin in DIALECT_ZH.items():
        text = text.replace(said, mandarin)
    text = _WHAT_CANTONESE.sub("什么", text)
    text = _DIALECT_PARTICLE.sub("吗", text)
    # "四件套" is the same product as "4件套": counts before a measure word become digits.
    text = _ZH_COUNT.sub(lambda m: str(ZH_DIGITS[m.group(1)]), text)
    for pattern, zh in PINYIN:
        text = pattern.sub(zh, text)
    text = _EN_WORD.sub(lambda m: _correct(m.group(0)), text)
    text = _SPACED.sub("", text)  # "3 号 多 少 钱" is typed to dodge filters; the words are the same
    text = rx.sub(r"\bhw\b", "how", text)
    text = rx.sub(r"(?<=[a-z])\s*&\s*(?=[a-z])", " and ", text)  # "Cat & Fish" is said "cat and fish"
    return " ".join(text.split())


def _correct(word: str) -> str:
    """Swapped letters ("avaliable", "mcuh", "fabirc") become the shop word; a dropped or doubled letter too
    in long words ("availble"). Never a replaced letter: "prize", "prime" and "pride" are not "price"."""
    if word in EN_VOCAB:
        return word
    for known in EN_VOCAB:
        if len(word) == len(known) and sorted(word) == sorted(known) and _one_edit(word, known):
            return known
        if len(known) >= 7 and abs(len(known) - len(word)) == 1 and _one_edit(word, known):
            return known
    return word


def _one_edit(a: str, b: str) -> bool:
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        i, j = ([*diffs, 0, 0])[:2]
        return len(diffs) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    if len(a) > len(b):
        a, b = b, a
    return any(b[:i] + b[i + 1 :] == a for i in range(len(b)))


def language(text: str) -> str:
    """'zh' when the message has any Chinese character, else 'en'."""
    return "zh" if _CJK.search(text) else "en"


def zh_number(word: str) -> int | None:
    """十二 -> 12, 二十三 -> 23, 三 -> 3, and hundreds as a body is said: 一百四十 / 一百四 -> 140, 两百 -> 200,
    一百零五 -> 105; None for anything else."""
    if not word:
        return None
    if word.isdigit():
        return int(word)
    if "百" in word:
        hundreds, _, rest = word.partition("百")
        h = 1 if hundreds == "" else ZH_DIGITS.get(hundreds)
        if h is None or len(hundreds) > 1:
            return None
        if rest == "":
            return h * 100
        if len(rest) == 1 and rest in ZH_DIGITS:
            return h * 100 + ZH_DIGITS[rest] * 10  # "一百四": the 四 is forty
        below = zh_number(rest[1:] if rest.startswith("零") else rest)
        return None if below is None or below >= 100 else h * 100 + below
    if "十" in word:
        tens, _, ones = word.partition("十")
        t = 1 if tens == "" else ZH_DIGITS.get(tens)
        o = 0 if ones == "" else ZH_DIGITS.get(ones)
        if t is None or o is None or len(tens) > 1 or len(ones) > 1:
            return None
        return t * 10 + o
    if len(word) == 1:
        return ZH_DIGITS.get(word)
    return None


def longest_first(words: Iterable[str]) -> list[str]:
    """Words longest first, alphabetical among equals: a loop that takes the first word found (or replaces
    words in turn) answers the same in every process, whatever order a set gave them."""
    return sorted(words, key=lambda word: (-len(word), word))
