"""The grounding guard: generated copy may add colour, never a number that is not in the data.

A language model happily writes "只要39元", "三天发货" or "限时7折" for a product that costs 59, ships in 48
hours and has no discount. `keep_grounded` finds every quantity in the text (ASCII and full-width digits,
Chinese numerals in front of a unit, 折/成 discounts, percentages, 9块9-style prices, English number words
before a unit) and drops each sentence holding one that the facts do not state. It drops the sentence,
not just the number, because "只要元" is worse than nothing. `finish_text` then removes an unfinished
trailing fragment and caps the length. Both may return "": the caller falls back to a template.

A quantity is a value with a kind taken from its unit: money (元, 块, ¥), duration (天, 小时, 周 ..., kept
in hours, so "3天" is grounded by `ship_hours: 72`), items (件, 个), people (人, 位), choices (色, 款),
percent, ratio (7折 = 0.7, 75折 = 0.75, 8成 = 0.8), a measure (克, 厘米, 码 ...) or none (a bare number).
Facts get kinds the same way: numbers inside text fields by their units (the material "88%聚酯纤维"
grounds "88%"), number fields by their key (`price` money, `ship_hours` duration, `stock` items,
`discount_ratio` ratio). Two quantities of one kind must agree on the value in that kind's base unit; a
bare number on either side agrees on the number as written. So `stock: 3` grounds "仅剩3件" but not
"三天发货" or "3色可选", and a discount is grounded only by a stated ratio (0.7 or "7折"), never by a bare
7 or by two prices (69/99 is not "7折"; the shop decides what it calls its discount). Identifier fields
(`link`, `sku`, `id`) ground nothing. Numerals without a unit are words, not numbers (十分, 百搭, 九分裤,
一款), except after a deal word (买一送一).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = [
    "IDENTIFIER_KEYS",
    "Quantity",
    "fact_quantities",
    "finish_text",
    "is_grounded",
    "keep_grounded",
    "quantities",
    "split_sentences",
]

IDENTIFIER_KEYS: frozenset[str] = frozenset({"link", "sku", "id"})


@dataclass(frozen=True, slots=True)
class Quantity:
    """`value` as written (a ratio as a fraction: 7折 -> 0.7); `scaled` in the kind's base unit."""

    value: Decimal
    kind: str | None = None
    scaled: Decimal | None = None

    @property
    def base(self) -> Decimal:
        return self.value if self.scaled is None else self.scaled


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％，￥", "0123456789.%,¥")
_CN_DIGITS = {
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
_CN_DIGITS.update({"壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9})
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 10_000, "亿": 10**8}
_CN_NUMERAL = "[" + "".join(_CN_DIGITS) + "".join(_CN_UNITS) + "]"
_CN_DIGIT = "[" + "".join(_CN_DIGITS) + "]"

# unit -> (kind, factor to the kind's base unit). Longer units first so 个小时 wins over 个.
_HOUR = Decimal(1)
_UNITS: dict[str, tuple[str, Decimal]] = {
    "个小时": ("duration", _HOUR),
    "小时": ("duration", _HOUR),
    "钟头": ("duration", _HOUR),
    "分钟": ("duration", _HOUR / 60),
    "秒": ("duration", _HOUR / 3600),
    "天": ("duration", 24 * _HOUR),
    "日": ("duration", 24 * _HOUR),
    "晚": ("duration", 24 * _HOUR),
    "周": ("duration", 168 * _HOUR),
    "星期": ("duration", 168 * _HOUR),
    "个月": ("duration", 720 * _HOUR),
    "月": ("duration", 720 * _HOUR),
    "年": ("duration", 8760 * _HOUR),
    "元": ("money", Decimal(1)),
    "块": ("money", Decimal(1)),
    "毛": ("money", Decimal("0.1")),
    "角": ("money", Decimal("0.1")),
    "%": ("percent", Decimal(1)),
    "折": ("ratio", Decimal(1)),
    "成": ("ratio", Decimal(1)),
    "倍": ("times", Decimal(1)),
    # Items (stock grounds "仅剩3件"), people and times (sales claims), and choices (3色可选): three
    # kinds, so a stock of 3 does not ground "3色可选" or "3人已买".
    "件": ("items", Decimal(1)),
    "个": ("items", Decimal(1)),
    "单": ("items", Decimal(1)),
    "位": ("people", Decimal(1)),
    "人": ("people", Decimal(1)),
    "次": ("people", Decimal(1)),
    "款": ("choices", Decimal(1)),
    "色": ("choices", Decimal(1)),
    "种": ("choices", Decimal(1)),
    "公斤": ("kg", Decimal(1)),
    "千克": ("kg", Decimal(1)),
    "斤": ("kg", Decimal("0.5")),
    "克": ("kg", Decimal("0.001")),
    "厘米": ("cm", Decimal(1)),
    "公分": ("cm", Decimal(1)),
    "毫米": ("cm", Decimal("0.1")),
    "米": ("cm", Decimal(100)),
    "码": ("size", Decimal(1)),
    "岁": ("age", Decimal(1)),
}
# 件套 is a cut (两件套 = a two-piece), not a count of items.
_UNIT = "(?:" + "|".join(re.escape(u) + ("(?!套)" if u == "件" else "") for u in _UNITS) + ")"
# Classifiers that follow 一 as an article ("一款", "一件百搭单品"), not as a count.
_ARTICLE_UNITS = frozenset("件个款种色位人次")
# Before these a Chinese numeral is a deal claim even without a unit after it (买一送一, 满三减一).
_DEAL_WORDS = frozenset("买送赠满减降省")

_MENTION = re.compile(
    r"(?P<prefix>[¥$]|RMB|百分之)?\s*"
    r"(?:(?P<ar>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)|(?P<cn>"
    + _CN_NUMERAL
    + r"+(?:点"
    + _CN_NUMERAL
    + r"+)?))"
    r"(?:\s*(?P<unit>" + _UNIT + r"))?"
)
# 9块9 / 九块九 is 9.9 元: rewritten first so the trailing 9 is not read as a number of its own.
_PRICE_SLANG = re.compile(
    r"(\d+|" + _CN_NUMERAL + r"+)([块元])(\d|" + _CN_DIGIT + r")(?![\d.]|" + _UNIT + ")"
)
_HALF = re.compile(r"半价|对折|half[- ]price|half off", re.IGNORECASE)
_EN_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100, "thousand": 1000,
}  # fmt: skip
_EN_UNITS = {"hour": "小时", "day": "天", "week": "周", "month": "月", "year": "年", "percent": "%",
             "yuan": "元", "dollar": "元", "piece": "件", "item": "件", "colour": "色", "color": "色"}  # fmt: skip
_ENGLISH = re.compile(
    r"\b(" + "|".join(_EN_WORDS) + r")[- ](" + "|".join(_EN_UNITS) + r")s?\b", re.IGNORECASE
)

# A sentence ends after a run of terminators plus any closing quotes or brackets. "." ends one only
# before a space or the end (9.9 is a number), "~" only when no digit follows (3~5天 is a range).
_SENTENCE_END = re.compile(r"(?:[。！？!?；;…]+|[~～](?!\d)|\.(?=\s|$)|\n+)[”’」』）)\"']*")

# Number fields by key (the catalog's columns and their obvious relatives).
_KEY_UNITS: tuple[tuple[str, str], ...] = (
    ("price", "元"),
    ("hours", "小时"),
    ("days", "天"),
    ("stock", "件"),
    ("sold", "件"),
    ("count", "件"),
)
_RATIO_KEYS = ("ratio", "discount")


def keep_grounded(text: str, facts: Mapping[str, Any]) -> str:
    """`text` without the sentences that state a quantity absent from `facts` ("" if none is left)."""
    known = fact_quantities(facts)
    kept = [s for s in split_sentences(text) if all(is_grounded(q, known) for q in quantities(s))]
    return "".join(kept).strip()


def finish_text(text: str, max_chars: int = 120) -> str:
    """Whole sentences only, at most `max_chars` characters; the unfinished tail is dropped."""
    sentences = split_sentences(text.strip())
    if sentences and not _SENTENCE_END.search(sentences[-1]):
        sentences.pop()
    kept: list[str] = []
    length = 0
    for sentence in sentences:
        if length + len(sentence) > max_chars:
            break
        kept.append(sentence)
        length += len(sentence)
    return "".join(kept).strip()


def split_sentences(text: str) -> list[str]:
    """Sentences with their terminators; the last one may be an unfinished fragment."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        sentences.append(text[start : match.end()])
        start = match.end()
    sentences.append(text[start:])
    return [s for s in sentences if s.strip()]


def is_grounded(quantity: Quantity, known: set[Quantity]) -> bool:
    """Same kind: same value in the kind's base unit. A bare number on either side: same number."""
    for fact in known:
        if quantity.kind is None or fact.kind is None:
            if quantity.value == fact.value:
                return True
        elif quantity.kind == fact.kind and quantity.base == fact.base:
            return True
    return False


def fact_quantities(facts: Mapping[str, Any]) -> set[Quantity]:
    """Every quantity the facts state: number fields (kind by key) and numbers inside text fields."""
    known: set[Quantity] = set()
    for key, value in _leaves(facts):
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float | Decimal):
            number = _decimal(str(value))
            if number is not None:
                known.add(_keyed_quantity(key, number))
        else:
            known.update(quantities(str(value)))
    return known


def quantities(text: str) -> list[Quantity]:
    """The quantities stated in `text`, in order of appearance within each pattern."""
    text = _PRICE_SLANG.sub(_join_price_slang, text.translate(_FULL_WIDTH))
    found: list[Quantity] = []
    for match in _MENTION.finditer(text):
        prefix, unit = match["prefix"] or "", match["unit"] or ""
        if match["ar"] is not None:
            number = _decimal(match["ar"].replace(",", ""))
        else:
            before = text[match.start() - 1] if match.start() > 0 else ""
            # Without a unit, Chinese numerals are ordinary words (十分 "very", 百搭, 九分裤 a cut).
            if not (unit or prefix or before in _DEAL_WORDS):
                continue
            if match["cn"] == "一" and unit in _ARTICLE_UNITS:
                continue
            number = _parse_chinese(match["cn"])
        if number is not None:
            found.append(
                _quantity(number, "%" if prefix == "百分之" else unit or _PREFIX_UNITS.get(prefix, ""))
            )
    found.extend(Quantity(Decimal("0.5"), "ratio", Decimal("0.5")) for _ in _HALF.finditer(text))
    for match in _ENGLISH.finditer(text):
        found.append(_quantity(Decimal(_EN_WORDS[match[1].lower()]), _EN_UNITS[match[2].lower()]))
    return found


_PREFIX_UNITS = {"¥": "元", "$": "元", "RMB": "元"}


def _quantity(number: Decimal, unit: str) -> Quantity:
    if not unit:
        return Quantity(number)
    kind, factor = _UNITS[unit]
    if kind == "ratio":  # 7折 = 0.7, 75折 = 0.75, 7.5折 = 0.75, 8成 = 0.8
        ratio = number / 100 if unit == "折" and number >= 10 else number / 10
        return Quantity(ratio, kind, ratio)
    return Quantity(number, kind, number * factor)


def _keyed_quantity(key: str, number: Decimal) -> Quantity:
    key = key.lower()
    if any(word in key for word in _RATIO_KEYS) and 0 < number <= 1:
        return Quantity(number, "ratio", number)
    for word, unit in _KEY_UNITS:
        if word in key:
            return _quantity(number, unit)
    return Quantity(number)


def _join_price_slang(match: re.Match[str]) -> str:
    whole, unit, tenth = match.groups()
    if whole[0] in _CN_DIGITS or whole[0] in _CN_UNITS:
        return f"{whole}点{tenth}{unit}"
    return f"{whole}.{_CN_DIGITS.get(tenth, tenth)}{unit}"


def _parse_chinese(numeral: str) -> Decimal:
    """一百二十 -> 120, 两万 -> 20000, 七五 (as in 七五折) -> 75, 九点五 -> 9.5."""
    whole, _, fraction = numeral.partition("点")
    value = Decimal(_parse_chinese_integer(whole)) if whole else Decimal(0)
    if fraction:
        digits = "".join(str(_CN_DIGITS.get(c, 0)) for c in fraction)
        value += Decimal(f"0.{digits}")
    return value


def _parse_chinese_integer(numeral: str) -> int:
    if not any(c in _CN_UNITS for c in numeral):  # digit by digit: 七五 -> 75, 二〇二四 -> 2024
        return int("".join(str(_CN_DIGITS[c]) for c in numeral))
    total = section = digit = 0
    for char in numeral:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
            continue
        unit = _CN_UNITS[char]
        if unit >= 10_000:  # 万 and 亿 scale everything before them
            total = (total + section + digit) * unit
            section = 0
        else:
            section += (digit or 1) * unit  # 十五 = 15: a bare 十 means 一十
        digit = 0
    return total + section + digit


def _decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _leaves(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    if key in IDENTIFIER_KEYS:
        return
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield from _leaves(v, str(k))
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _leaves(item, key)
    elif value is not None:
        yield key, value
