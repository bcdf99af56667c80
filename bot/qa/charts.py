"""Size charts written in a listing's text: the value one size has for one measure.

Listings write their charts in three ways, all read here: a row per size ("S 胸围96 衣长58；M 胸围100 衣长60"),
a row per measure ("腰围：28码72cm，30码77cm", "胸围s94 m98") and a measure with its size inside
("胸围M码112cm，衣长M码70cm"). A value is given only when the chart gives that size exactly one value for
that measure; anything else is left to the rest of the answerer (and, failing it, to the streamer).
"""

from __future__ import annotations

import re

from bot.catalog import Product
from bot.qa import rx
from bot.qa.sizing import canonical_size
from bot.qa.text import normalize

__all__ = ["chart_answer", "chart_value", "sizes_before_measure"]

# (how a message asks it, how a chart writes it, the English word for it)
MEASURES: tuple[tuple[str, str, str], ...] = (
    (r"腰围|\bwaist", r"腰围|\bwaist\b", "waist"),
    (r"臀围|\bhips?\b", r"臀围|\bhips?\b", "hip"),
    (r"胸围|\bchest\b|\bbust\b", r"胸围|\bchest\b|\bbust\b", "chest"),
    (r"肩宽|\bshoulders?\b", r"肩宽|\bshoulders?\b", "shoulder"),
    (r"袖长|\bsleeves?\b", r"袖长|\bsleeves?\b", "sleeve"),
    (r"领围|\bneck\b|\bcollar\b", r"领围", "neck"),
    (r"大腿围|腿围|\bthighs?\b", r"大腿围|腿围|\bthighs?\b", "thigh"),
    (r"衣长", r"衣长", "length"),
    (r"裤长", r"裤长", "length"),
    (r"裙长", r"裙长", "length"),
    (r"内长|脚长|\binsole\b|\bfoot length\b|\binner length\b", r"内长|脚长", "inner length"),
)
# "多长", "how long is it": the length, where the chart writes one kind of length only.
_LENGTH_ASKED = re.compile(r"多长(?!时间)|长度|\bhow long (?:is|are)\b|\blength\b")
_LENGTHS = r"衣长|裤长|裙长|长度|\blength\b"
_ANY_MEASURE = "|".join(written for _, written, _ in MEASURES) + "|" + _LENGTHS
_NEXT_MEASURE = re.compile(_ANY_MEASURE)
# A value as charts write it, a range ("70-74cm") whole.
_VALUE = r"约?\s*(\d+(?:\.\d+)?(?:\s*[-~～]\s*\d+(?:\.\d+)?)?)(?![\d.])\s*(cm|厘米|公分|mm|毫米|寸)?"
# Where a chart's row or clause ends.
_ROW_END = re.compile(r"[；;。\n|]")


def _label(size: str) -> str:
    """A size as a chart labels it: "M", "M码", "28码", "xl" (never the 28 of "128" or the m of "cm")."""
    after = r"(?![0-9.])" if size[0].isdigit() else r"(?![a-z0-9.])"
    return rf"(?<![a-z0-9.]){re.escape(size)}(?:码|号|{after})"


def chart_value(product: Product, size: str, written: str) -> str:
    """The value the listing's chart gives `size` for the measure a chart writes as `written` (a regex):
    "108", "82cm"; "" when the chart gives it none or more than one."""
    text = normalize(product.description)
    size = normalize(size)
    label = _label(size)
    others = [_label(normalize(s)) for s in product.sizes if canonical_size(s) != canonical_size(size)]
    other_label = rx.compiled("|".join(others)) if others else None
    found: set[str] = set()
    # A row per measure ("腰围：28码72cm，30码77cm"): the size with its value, before the next measure.
    for measure in rx.finditer(written, text):
        clause = _ROW_END.split(text[measure.end() :], maxsplit=1)[0]
        clause = _NEXT_MEASURE.split(clause, maxsplit=1)[0]
        for cell in rx.finditer(rf"{label}\s*[:：=]?\s*{_VALUE}", clause):
            found.add(cell.group(1) + (cell.group(2) or ""))
    # A row per size ("M 胸围100 衣长60"): the measure after the size, before the next size.
    for row_start in rx.finditer(rf"{label}\s*[:：]?", text):
        row = _ROW_END.split(text[row_start.end() :], maxsplit=1)[0]
        if other_label is not None:
            row = other_label.split(row, maxsplit=1)[0]
        cell = rx.match(rf".*?(?:{written})\s*[:：]?\s*{_VALUE}", row)
        if cell:
            found.add(cell.group(1) + (cell.group(2) or ""))
    return found.pop() if len(found) == 1 else ""


def sizes_before_measure(normalized: str) -> list[str]:
    """The sizes said right before a measure ("xl胸围", "m码衣长"), where a bare letter would not be read as
    a size otherwise."""
    return [
        canonical_size(m.group(1))
        for m in rx.finditer(
            rf"(?<![a-z0-9.])([2-9]?x{{0,3}}[sml]|xs|\d{{2,3}})\s*(?:码|号)?\s*(?:的)?\s*(?:{_ANY_MEASURE})",
            normalized,
        )
    ]


def chart_answer(product: Product, normalized: str, sizes: list[str], lang: str) -> str:
    """ "1号XL胸围多少", "waist of size 32": the one size's value for the one measure asked, as the chart
    writes it; "" unless exactly one of the product's sizes and one measure are asked and the chart has it."""
    have = {canonical_size(s): s for s in product.sizes}
    named = {have[s] for s in (*sizes, *sizes_before_measure(normalized)) if s in have}
    if len(named) != 1:
        return ""
    size = named.pop()
    asked = [(written, en) for pattern, written, en in MEASURES if rx.search(pattern, normalized)]
    if not asked and _LENGTH_ASKED.search(normalized):
        kinds = {m.group(0) for m in rx.finditer(_LENGTHS, normalize(product.description))}
        asked = [(re.escape(kinds.pop()), "length")] if len(kinds) == 1 else []
    if len(asked) != 1:
        return ""
    written, en = asked[0]
    value = chart_value(product, size, written)
    if not value:
        return ""
    word = rx.search(written, normalize(product.description))
    said = word.group(0) if word else en
    named_size = f"{size}码" if rx.fullmatch(r"[0-9a-zA-Z]{1,4}", size) else size
    return f"{named_size}{said}{value}" if lang == "zh" else f"size {size}: {en} {value}"
