"""Temperatures: the weather a viewer asks for and the temperatures a listing says its product is for.

"东北零下20度穿哪个光腿神器", "what do you recommend for riding at 5 degrees": the listings of winter and
outdoor shops say what each product is for ("适合-25到-15℃", "-40℃防寒", "建议-10℃以上穿着"), so the
answer is a fact of the data, not a guess at which coat is warm. Washing and heat-resistance temperatures
("30℃以下手洗", "耐300℃高温") are not what a product is worn in and are never read as such.

Both sides are read as whole degrees Celsius, an interval each: the viewer's "零下五六度" is -6..-5, "十度左右"
8..12; a listing's "适合-5到5℃" is -5..5 and a bare rating ("适合-25℃", "-20℃保暖") is the cold it is made
for, read as that temperature and the 15 degrees above it (a -25℃ coat is not what "5 degrees" asks for).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from bot.catalog import Product
from bot.qa.text import LISTING_CLAUSES, ZH_DIGITS, normalize, zh_number

# Weather is never hotter than this: "80C", "85c" are bra sizes, "300℃" a heat rating.
HOTTEST = 50
# How far above a bare rating ("适合-25℃") a product is still what the viewer's weather asks for.
RATING_SPAN = 15
# "十度左右": the degrees either side of a temperature said "about".
ABOUT_SPAN = 2

_ZH_NUM = r"[零〇一二两三四五六七八九十]+"
_MINUS = r"(?:零下|负|minus\s*|[-−])"
_UNIT = r"(?:度|c(?![a-z])|°|degrees?(?:\s*c(?:elsius)?)?\b)"
# The viewer's temperature: "零下20度", "零下五六度", "零下二十多度", "十几度", "-5c", "5 degrees", "20 below".
_ASKED = re.compile(
    rf"(?P<minus>{_MINUS})?\s*(?P<num>\d{{1,2}}|{_ZH_NUM})(?P<more>多|几)?\s*{_UNIT}(?P<about>\s*左右)?"
    rf"|(?P<below>\d{{1,2}})\s*(?:degrees?\s*)?below\b"
)
# A plain "10度" is a temperature only in weather words; "近视300度" and "30度水洗" are not.
_WEATHER = re.compile(
    r"零下|气温|温度|天气|冬|夏|冷|热|暖|寒|冻|户外|骑|穿|戴|weather|cold|warm|winter|summer|freez|outside|riding"
)
_NOT_WEATHER = re.compile(r"近视|远视|散光|老花|度数|镜片|洗|烘|熨|wash|dry|iron|角度|坡度|酒精|水温|油温|泡")
_PICKS = re.compile(
    r"哪|什么|啥|推荐|有没有|有.{0,8}吗|which|what|recommend|suggest|any\b|good for|best|should i"
)
# "1号零下20度够吗", "is this one warm enough for -3 degrees": whether one product does for that weather.
_ASKS_FIT = re.compile(
    r"够|能穿|能戴|可以|行不行|行吗|扛|顶得住|冷吗|冷不冷|暖和吗|保暖吗|warm enough|enough|ok for|"
    r"good for|handle|work (?:in|at|for)|suitable"
)
_WARMEST = re.compile(r"最(?:保暖|暖和?|抗冻|抗寒|厚)|warmest|coldest weather")

# In a listing: a range ("5-15℃", "-5℃到8℃", "-15℃~-5℃", "for -5°C to 10°C") or a rating said with what it
# is for ("适合-25℃", "-40℃防寒", "零下20度可穿", "建议-10℃以上穿着", "零下10℃以内保暖").
_NUM = r"(?:零下|[-−])?\s*\d{1,2}"
_RANGE = re.compile(rf"(?P<lo>{_NUM})\s*(?:c|度)?\s*(?:-|~|到|至|—|to)\s*(?P<hi>{_NUM})\s*(?:c|度)(?![a-z])")
_RATING = re.compile(rf"(?P<t>{_NUM})\s*(?:c|度)(?![a-z])(?P<side>\s*(?:以上|以下|以内|左右))?")
_RATED_FOR = re.compile(
    r"适合|适用|保暖|防寒|可穿|穿着|御寒|抗寒|耐寒|能穿|也能|抵御|扛|rated|comfort|\bfor\b|down to"
)
# Segments about care or heat, not the weather a product is for.
_NOT_WORN_IN = re.compile(
    r"洗|烘|熨|水温|冷水|温水|模式|档|耐.{0,4}高温|高温接触|焊|加热|发热|暖贴|暖宝|最高温|平均温度|"
    r"wash|dry|iron|heat(?:ed|ing)?\b|bleach"
)


@dataclass(frozen=True)
class Rating:
    """The temperatures a product is for (whole degrees, low <= high) and the listing's words that say so."""

    low: int
    high: int
    said: str


def _number(text: str) -> int | None:
    text = text.strip()
    minus = text.startswith(("零下", "-", "−"))
    digits = text.removeprefix("零下").lstrip("-−").strip()
    value = int(digits) if digits.isdigit() else zh_number(digits)
    if value is None:
        return None
    return -value if minus else value


def _zh_pair(word: str) -> tuple[int, int] | None:
    """ "五六" -> 5..6, "十几" -> 11..19, "二十" -> 20..20."""
    if len(word) == 2 and all(ch in ZH_DIGITS for ch in word):
        a, b = ZH_DIGITS[word[0]], ZH_DIGITS[word[1]]
        return (a, b) if b == a + 1 else None
    value = zh_number(word)
    return None if value is None else (value, value)


def asked_temperature(normalized: str) -> tuple[int, int] | None:
    """The temperature a (normalised) message asks about as an interval, or None. Two said as a range
    ("零下五度到零度") give one interval; "零下几度" says no number and is None."""
    if _NOT_WEATHER.search(normalized):
        return None
    spans: list[tuple[int, int]] = []
    for m in _ASKED.finditer(normalized):
        if m.group("below"):
            value = -int(m.group("below"))
            spans.append((value, value))
            continue
        num, more = m.group("num"), m.group("more")
        if num.isdigit():
            low, high = int(num), int(num)
        elif num == "零":
            low = high = 0
        elif num.endswith("十") and more:  # "二十多度", "十几度"
            base = zh_number(num)
            if base is None:
                continue
            low, high = base + 1, base + 9
            more = None
        elif num == "十" and not more:
            low = high = 10
        else:
            pair = _zh_pair(num.removesuffix("几")) if num != "十几" else (11, 19)
            if pair is None:
                continue
            low, high = pair
        if more:  # "20多度"
            low, high = low + 1, high + 9
        if not m.group("minus") and "degree" not in m.group(0) and not _WEATHER.search(normalized):
            continue  # "10度", "3c认证" alone
        if high > HOTTEST:
            continue
        if m.group("minus"):
            low, high = -high, -low
        if m.group("about"):
            low, high = low - ABOUT_SPAN, high + ABOUT_SPAN
        spans.append((low, high))
    if not spans:
        return None
    return min(s[0] for s in spans), max(s[1] for s in spans)


def without_temperatures(normalized: str) -> str:
    """The message less its temperatures: "零下30度" of the question is not the "零下30度" of a name."""
    return " ".join(_ASKED.sub(" ", normalized).split())


def asks_by_temperature(normalized: str) -> bool:
    """ "零下20度穿哪个", "what for 5 degrees": a pick by the weather, not a question about one product."""
    return bool(_PICKS.search(normalized)) and asked_temperature(normalized) is not None


def asks_fit(normalized: str) -> bool:
    return bool(_ASKS_FIT.search(normalized)) and asked_temperature(normalized) is not None


def asks_warmest(normalized: str) -> bool:
    return bool(_WARMEST.search(normalized))


@functools.lru_cache(maxsize=4096)
def _rating_of(description: str) -> Rating | None:
    lows: list[int] = []
    highs: list[int] = []
    said: list[str] = []
    for written in LISTING_CLAUSES.split(description):
        segment = normalize(written)
        if not segment or _NOT_WORN_IN.search(segment):
            continue
        found = False
        for m in _RANGE.finditer(segment):
            low, high = _number(m.group("lo")), _number(m.group("hi"))
            if low is None or high is None or max(abs(low), abs(high)) > HOTTEST:
                continue
            lows.append(min(low, high))
            highs.append(max(low, high))
            found = True
        if not found and _RATED_FOR.search(segment):
            for m in _RATING.finditer(segment):
                value = _number(m.group("t"))
                if value is None or abs(value) > HOTTEST:
                    continue
                side = (m.group("side") or "").strip()
                if side == "以上":
                    low, high = value, value + RATING_SPAN
                elif side == "以下":
                    low, high = value - RATING_SPAN, value
                elif side == "左右":
                    low, high = value - 5, value + 5
                else:  # "适合-25℃", "零下10℃以内保暖": the cold it is made for
                    low, high = value, value + RATING_SPAN
                lows.append(low)
                highs.append(high)
                found = True
        if found:
            said.append(written.strip())
    if not lows:
        return None
    return Rating(min(lows), max(highs), "，".join(said))


@functools.lru_cache(maxsize=4096)
def _named_rating(name: str) -> Rating | None:
    """A temperature in a name ("东北极寒防寒靴 -40℃", "保暖套装 零下30度") is the cold the product is for."""
    m = _RATING.search(normalize(name))
    value = None if m is None else _number(m.group("t"))
    if value is None or value > 0:
        return None
    return Rating(value, value + RATING_SPAN, f"{value}℃")


def rating(product: Product) -> Rating | None:
    """What the listing says the product is for (its description, else its name), or None where neither
    says a temperature."""
    return _rating_of(product.description) or _named_rating(product.name)


def fit(asked: tuple[int, int], rated: Rating) -> tuple[float, float]:
    """How well a rating fits the asked weather, best first when sorted: the share of the asked degrees
    the rating covers (more first), then how far the rating's middle is from the asked middle."""
    low, high = asked
    covered = min(high, rated.high) - max(low, rated.low) + 1
    share = max(0, covered) / (high - low + 1)
    distance = abs((rated.low + rated.high) / 2 - (low + high) / 2)
    return -share, distance
