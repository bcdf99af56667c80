"""Which size fits a viewer: the measurements a viewer states ("我160 110斤", "孩子4岁", "头围58", "palm is
21cm") against the ranges a listing gives per size, in its sizes ("4XL(180-200斤)") or in a chart in its
description ("S码头围46-50cm（约2-5岁）", "M码手长17-18cm", "建议100-110斤拍M", "S码掌围17cm")."""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass

from bot.catalog import Product
from bot.qa import rx
from bot.qa.text import ZH_DIGITS, normalize, zh_number

# What a number measures, by the word before it; a viewer's body and a size chart use the same words.
_PARTS: tuple[tuple[str, str], ...] = (
    ("head", r"头围|帽围|\bhead(?: circumference| size)?\b"),
    ("palm width", r"(?<!脚)手?掌宽|\bpalm width\b|\bhand width\b"),  # across the palm: not its girth (掌围)
    ("palm", r"掌围|手掌围?|\bpalm\b"),
    ("hand", r"手长|\bhand(?: length)?\b"),
    ("foot", r"脚长|\bfoot(?: length)?\b|\bfeet\b"),
    ("inner", r"鞋?内长|\binsole(?: length)?\b|\binner length\b"),
    ("waist", r"腰围|\bwaist\b"),
    ("hip", r"臀围|\bhips?\b"),
    ("underbust", r"下胸围|底围|\bunder ?bust\b|\bband(?: size)?\b"),
    ("chest", r"上胸围|胸围|\bchest(?: girth)?\b|\bbust\b"),
    ("back", r"背长|\bback length\b"),
    ("paw", r"脚掌|爪子?宽?|\bpaws?\b"),
    ("height", r"身高|\bheight\b"),
    ("weight", r"体重|\bweight\b"),
)
_PART_OF = [(kind, re.compile(pattern)) for kind, pattern in _PARTS]
_PART_WORD = "|".join(pattern for _, pattern in _PARTS)
_LABEL = r"(?<![a-z0-9])(?:[2-9]?x{0,3}l|x{0,3}[sm]|xs)(?![a-z])|\d{2,3}(?=码)"
_NUMBER = r"\d{1,3}(?:\.\d)?"
_UNIT = r"cm|厘米|斤|jin|kg|公斤|岁|个月|月龄|months?|尺"
_RANGE = rf"({_NUMBER})\s*[-~～到]\s*({_NUMBER})\s*({_UNIT})"


@functools.lru_cache(maxsize=1024)
def _chart_of(sizes: tuple[str, ...]) -> re.Pattern[str]:
    """The chart tokens, with the product's own sizes as labels too ("12.5约10-12个月；13约12-15个月")."""
    own = "|".join(re.escape(size) for size in sorted(sizes, key=len, reverse=True) if size)
    label = (
        rf"{_LABEL}|(?<![a-z0-9.])(?:{own})(?=\s*(?:码|号|约|[:：(（=]|\d{{1,3}}\s*[-~～到]|\s+[\u4e00-\u9fff]))"
        if own
        else _LABEL
    )
    return re.compile(
        rf"(?P<label>{label})|(?P<part>{_PART_WORD})|(?P<garment>{_GARMENT_MEASURE})|(?P<range>{_RANGE})|"
        rf"(?P<bare>{_NUMBER}\s*[-~～到]\s*{_NUMBER})(?![\d.]|\s*(?:{_UNIT}))|"
        r"(?P<single>\d{2,3}(?:\.\d)?)\s*(?P<unit>cm|厘米|mm|毫米)?"
    )


# A garment's own measurements in a chart ("衣长70cm", "裤长102cm"): the numbers after them are no body's.
_GARMENT_MEASURE = r"衣长|裤长|袖长|肩宽|裙长|衣宽|裆长|内裆|帽檐|跟高|鞋底|重量|单只|长度|宽度|高度|开衩"


# "体重参考：85-92斤25码 92-100斤26码": a clause of rows, each a range and then the size it is for.
_RANGE_THEN_SIZE_ROW = rf"{_RANGE}\s*({_LABEL})\s*码"
_RANGE_THEN_SIZE_CLAUSE = re.compile(
    rf"(?P<head>[^\d]*?)(?P<rows>(?:{_RANGE_THEN_SIZE_ROW}[\s，,、]*){{2,}})"
)


def _rows_of_range_then_size(text: str, have: dict[str, str]) -> tuple[list[Span], str]:
    """The spans of every clause written range first ("85-92斤25码 92-100斤26码"), and the text without
    those clauses for the chart reader, which reads a size first and would give each range to the size
    before it. A clause whose heading holds a size ("S码 80-100斤 M码 100-115斤") is size first."""
    spans: list[Span] = []
    kept: list[str] = []
    for clause in re.split(r"([。；;\n])", text):
        rows = _RANGE_THEN_SIZE_CLAUSE.fullmatch(clause.strip())
        if rows is None or re.search(rf"(?:{_LABEL})\s*码", rows.group("head")):
            kept.append(clause)
            continue
        for low, high, unit, size in re.findall(_RANGE_THEN_SIZE_ROW, rows.group("rows")):
            if canonical_size(size) in have:
                spans.append(_span(low, high, unit, _part_in(rows.group("head")), have[canonical_size(size)]))
        kept.append(" ")
    return spans, "".join(kept)


# "建议90-100斤拍S，100-110斤拍M": the size after its range.
_RANGE_THEN_SIZE = re.compile(
    _RANGE + rf"\s*(?:的)?\s*(?:拍|选|穿|建议|可选|可以选|适合|->|→|:|：)\s*({_LABEL})"
)
_RANGE_IN_SIZE = re.compile(_RANGE)
_PART_IN = re.compile(_PART_WORD)
# The words for a measured part of a body ("下胸围", "foot length", "身高").
BODY_WORDS = _PART_IN
# A viewer's measurements: "头围58", "my palm is 21cm", "身高160", "我165", "165cm", "130斤", "60kg", "4岁".
_PART_VALUE = re.compile(
    rf"({_PART_WORD})\s*(?:是|有|大概|大约|约|is|of|about)?\s*(\d{{2,3}}(?:\.\d)?|\d\.\d)\s*(cm|厘米|mm|毫米|斤|kg|公斤)?|"
    rf"({_PART_WORD})[^\d]{{1,15}}?(\d{{2,3}}(?:\.\d)?)\s*(cm|厘米)"  # "my head is big lol 59cm"
)
_HEIGHT = re.compile(
    # "size 140" is a size asked, not a height.
    r"(?:我|高|\bi'?m|\bi am)?\s*(?<!size )(?<!size)(1[4-9]\d)\s*(?:cm|厘米)?(?![\d号码.])"
    r"|(?<![\d.])(\d{2,3})\s*(?:cm|厘米)(?![\d号码.])"
)
_METRES = re.compile(r"(?<![\d.])1\s*(?:米|m)\s*([4-9]\d)(?!\d)|(?<![\d.])1\.([4-9]\d)\s*(?:米|m)(?![a-z])")
_WEIGHT = re.compile(r"(\d{2,3})\s*(斤|jin\b|kg|公斤)")
_POUNDS = re.compile(r"(?<![\d.])(\d{2,3})\s*(?:lbs?|pounds?)\b")
_FEET = re.compile(
    r"(?<![\d.])([4-6])\s*(?:'|ft\b|feet\b|foot\b)\s*(?:(\d{1,2})\s*(?:\"|''|in\b|inch(?:es)?\b)?)?"
)
_AGE = re.compile(r"(?<![\d.])(\d{1,2})\s*(?:岁|周岁|\s*years? old\b|\s*yo\b)")
_MONTHS = re.compile(r"(?<![\d.])(\d{1,2})\s*(?:个月|\s*months? old\b|\s*months?\b)")


@dataclass(frozen=True, slots=True)
class Span:
    low: float
    high: float
    kind: str
    size: str
    written: str = ""  # as the listing writes it: "140-155斤"


def canonical_size(size: str) -> str:
    """ "XXXL", "3XL", "3 XL" and "xxxl" are one size: "3xl"; a note after it ("4XL(180-200斤)",
    "S(1-3岁)") is advice about the size, not part of its name."""
    token = rx.sub(r"\s+", "", size.lower())
    token = rx.sub(r"^([^(（]+)[(（].*[)）]$", r"\1", token)
    token = rx.sub(r"^(x{2,9})l$", lambda m: f"{len(m.group(1))}xl", token)
    token = rx.sub(r"^(\d{1,3}(?:\.5)?)[号码]$", r"\1", token)  # a ring's "14号" is size 14
    return "xl" if token == "1xl" else token


# The parts a chart measures in cm besides height (every part but height and weight): a range in cm after
# one of their words is that part's; any other range in cm is a height.
_MEASURED_IN_CM = frozenset(kind for kind, _ in _PARTS) - {"height", "weight"}


def _kind(unit: str, part: str | None) -> str:
    if unit == "尺":
        return "waist"  # a waist is what a 市尺 measures in clothing ("腰围2尺1-2尺3")
    if unit in ("斤", "jin", "kg", "公斤"):
        return "weight"
    if unit == "岁":
        return "age"
    if unit in ("个月", "月龄", "month", "months"):
        return "months"
    return part if part in _MEASURED_IN_CM else "height"


def _span(low: str, high: str, unit: str, part: str | None, size: str) -> Span:
    if unit == "尺":
        # Compared in cm, said as the listing says it ("2尺1-2尺3"), never as a converted number.
        return Span(
            float(low) * CM_PER_CHI, float(high) * CM_PER_CHI, "waist", size, f"{_chi(low)}-{_chi(high)}"
        )
    factor = 2 if unit in ("kg", "公斤") else 1
    written = (
        f"{high}{unit}以下" if low == "0" else f"{low}{unit}以上" if high == "999" else f"{low}-{high}{unit}"
    )
    return Span(float(low) * factor, float(high) * factor, _kind(unit, part), size, written)


# A waist in 市尺 as chat and listings write it: "2尺1", "二尺五", "2尺" (a 尺 is 1/3 m, its tenths 寸).
CM_PER_CHI = 100 / 3
_CHI_SAID = re.compile(r"(?<![\d.])([1-4一二两三四])\s*尺\s*([0-9一二三四五六七八九])?(?![\d寸])")
_CHI_RANGE = re.compile(rf"{_CHI_SAID.pattern}\s*[-~～到]\s*{_CHI_SAID.pattern}")


def _digit(ch: str) -> int:
    return int(ch) if ch.isdigit() else ZH_DIGITS[ch]


def _chi(value: str) -> str:
    """ "2.1" (尺) said as a listing says it: "2尺1"; "2.0": "2尺"."""
    whole, _, tenths = value.partition(".")
    return f"{whole}尺{tenths}" if tenths and tenths != "0" else f"{whole}尺"


def _chi_ranges(text: str) -> str:
    """ "腰围2尺1-2尺3" read as the range "2.1-2.3尺", which the chart reader takes like any other."""
    return _CHI_RANGE.sub(
        lambda m: (
            f"{_digit(m[1])}.{_digit(m[2]) if m[2] else 0}-{_digit(m[3])}.{_digit(m[4]) if m[4] else 0}尺"
        ),
        text,
    )


# "体重45kg以下", "85kg以上": a chart's open ends, read as ranges to 0 and to 999 ("以下"/"以上" again when said).
_OPEN_END = re.compile(r"(?<![\d.-])(\d{2,3})\s*(cm|厘米|斤|kg|公斤)\s*(以下|以内|以上|及以上)")


def _open_ends(text: str) -> str:
    return _OPEN_END.sub(
        lambda m: f"0-{m[1]}{m[2]}" if m[3] in ("以下", "以内") else f"{m[1]}-999{m[2]}",
        text,
    )


# Chinese numerals a viewer types for a body: "一百四十斤", "一米六五", "三岁".
_CN_NUMBER = re.compile(r"([一二两三四五六七八九十百零]+)\s*(斤|公斤|岁|厘米)")
_CN_METRES = re.compile(r"一米([一二三四五六七八九])([零一二三四五六七八九])?")


def spoken_numbers(normalized: str) -> str:
    """A body typed in Chinese numerals, in digits: "一百四十斤" -> "140斤", "一米六五" -> "1米65"."""
    text = _CN_METRES.sub(lambda m: f"1米{_digit(m[1])}{_digit(m[2]) if m[2] else 0}", normalized)
    return _CN_NUMBER.sub(lambda m: f"{n}{m[2]}" if (n := zh_number(m[1])) else m[0], text)


def _part(word: str) -> str:
    return next(kind for kind, pattern in _PART_OF if pattern.fullmatch(word))


def _part_in(heading: str) -> str | None:
    """The measured part the heading's last body word names ("体重参考：" -> weight), if any."""
    words = _PART_IN.findall(heading)
    return _part(words[-1]) if words else None


def size_spans(product: Product) -> list[Span]:
    """The body ranges each size fits, from the sizes themselves or else from a chart in the description
    (only for sizes the product comes in)."""
    return list(_size_spans(product))


@functools.lru_cache(maxsize=4096)
def _size_spans(product: Product) -> tuple[Span, ...]:
    """`size_spans`, read once per product: a listing's chart is asked of by every size question."""
    return tuple(_read_size_spans(product))


def _read_size_spans(product: Product) -> list[Span]:
    # "均码(头围56-60cm)": the size's own note, by the measure word it names.
    spans = [
        _span(*found, _part(word.group(0)) if (word := _PART_IN.search(size.lower())) else None, size)
        for size in product.sizes
        for found in _RANGE_IN_SIZE.findall(size.lower())
    ]
    if spans:
        return [_measured_part(span, product) for span in spans]
    have = {canonical_size(s): s for s in product.sizes}
    text = _spread_columns(_chi_ranges(_open_ends(normalize(product.description.lower()))))
    for low, high, unit, size in _RANGE_THEN_SIZE.findall(text):
        if canonical_size(size) in have:
            spans.append(_span(low, high, unit, None, have[canonical_size(size)]))
    if spans:
        return spans
    spans, text = _rows_of_range_then_size(text, have)
    text = _units_carried_back(text)
    # A one-size product's chart is that size's ("fits head circumference 54-60cm").
    label: str | None = product.sizes[0] if len(product.sizes) == 1 else None
    part: str | None = None
    after_part = False
    # "S 155-160cm 胸围82 / M 160-165cm 胸围86": each row begins in the measure the first row began in;
    # a measure word between rows ("；臀围：S 84-90") heads the next rows instead.
    row_part: str | None = None
    row_started = part_since_value = False
    for match in _chart_of(tuple(have)).finditer(text):
        read = len(spans)
        if match.group("label"):
            new_label = have.get(canonical_size(match.group("label")))
            if new_label != label and row_started and not part_since_value:
                part = row_part
            label, row_started = new_label, False
            # "28=71cm", "28=72" under "尺码对照（腰围cm）": the number after the sign is that size's;
            # "胸围：S 80-86": a measure word right before the first size heads its bare numbers.
            after_part = part is not None and (text[match.end() : match.end() + 1] == "=" or part_since_value)
        elif match.group("part"):
            part, after_part, part_since_value = _part(match.group("part")), True, True
        elif match.group("garment"):
            part, after_part = None, False
        elif label is not None and match.group("range"):
            low, high, unit = _RANGE_IN_SIZE.match(match.group("range")).groups()  # type: ignore[union-attr]
            span = _span(low, high, unit, part, label)
            # "首次洗会缩水约1-2cm" after the last size: no body's girth or height is 2 cm.
            if not (span.kind in ("waist", "hip", "chest", "underbust", "height") and span.high < 20):
                spans.append(span)
            after_part = False
        elif (
            label is not None
            and match.group("bare")
            and part is not None
            # "S 腰围60-66 M 66-72 L 72-78（cm）": the next size's bare range goes on in the same measure.
            and (after_part or (spans and spans[-1].kind == part and spans[-1].size != label))
        ):
            # "S 胸围78-82 腰围62-66" under a "尺码表（cm）" heading, "M 身高155-160": the measure's own unit.
            low, high = re.split(r"\s*[-~～到]\s*", match.group("bare"))
            if part != "height" or float(low) >= 50:
                spans.append(_span(low, high, "cm", part, label))
            after_part = False
        elif label is not None and match.group("single") and part not in (None, "height"):
            # "S码掌围17cm": one number per size; "腰围：28码71cm，29码74cm": the heading's measure goes on.
            value, unit = float(match.group("single")), match.group("unit") or ""
            if not after_part and not unit:
                continue
            if unit in ("mm", "毫米"):
                value /= 10  # "39码245mm": a foot in cm, as viewers give it
            spans.append(Span(value, value, part, label, f"{match.group('single')}{unit or 'cm'}"))
            after_part = False
        if len(spans) > read:
            if not row_started:
                row_part, row_started = part, True
            part_since_value = False
    return spans


def _measured_part(span: Span, product: Product) -> Span:
    """ "L(58-61cm)": under 80cm a size's own range is no height; the description's word before the same
    numbers says what it measures ("L码适合头围58-61cm")."""
    if span.kind != "height" or span.high >= 80:
        return span
    text = normalize(product.description.lower())
    low = f"{span.low:g}"
    said = rx.search(rf"({_PART_WORD})[^\d]{{0,6}}{re.escape(low)}\s*[-~～到]", text)
    return dataclasses.replace(span, kind=_part(said.group(1))) if said else span


# "尺码：XS 150-155 / S 155-160 / M 160-165 / L 165-170cm": the unit written once, after the last row.
_LABEL_AND_RANGE = rf"(?:{_LABEL})\s*\d{{2,3}}\s*[-~～]\s*\d{{2,3}}"
_UNIT_AT_THE_END = re.compile(
    rf"(?:{_LABEL_AND_RANGE}\s*[/／,，;；、]\s*)+{_LABEL_AND_RANGE}\s*(cm|厘米|斤|kg|公斤)(?![a-z])"
)


def _units_carried_back(text: str) -> str:
    """Rows of a size and a bare range whose last row alone writes the unit, each given that unit."""

    def carried(run: re.Match[str]) -> str:
        unit = run.group(1)
        return re.sub(
            r"(\d{2,3}\s*[-~～]\s*\d{2,3})(?![\d.]|\s*(?:cm|厘米|斤|kg|公斤))", rf"\1{unit}", run.group(0)
        )

    return _UNIT_AT_THE_END.sub(carried, text)


# A chart whose heading names its columns ("尺码表（掌围/手长）：6.5码 17cm/17.5cm；7码 18cm/18cm").
_COLUMNS = re.compile(rf"(?:{_PART_WORD})(?:\s*/\s*(?:{_PART_WORD}))+")
_CELL = r"\d{1,3}(?:\.\d)?\s*(?:cm|厘米|mm|毫米|斤|kg|公斤)?(?:\s*[-~～到]\s*\d{1,3}(?:\.\d)?\s*(?:cm|厘米|mm|毫米|斤|kg|公斤)?)?"


def _spread_columns(text: str) -> str:
    """ "掌围/手长：6.5码 17cm/17.5cm" read as "6.5码 掌围17cm 手长17.5cm": each value of a row beside the
    column it is under, so the chart reader takes it like any other. Only rows with a value per column."""
    heading = _COLUMNS.search(text)
    if heading is None:
        return text
    parts = re.split(r"\s*/\s*", heading.group(0))
    row = re.compile(
        rf"(?<![\d.])({_CELL})" + "".join(rf"\s*/\s*({_CELL})" for _ in parts[1:]) + r"(?![\d./])"
    )
    body = row.sub(
        lambda m: " ".join(f"{part}{value}" for part, value in zip(parts, m.groups(), strict=True)),
        text[heading.end() :],
    )
    return text[: heading.end()] + body


def stated_measures(normalized: str) -> list[tuple[str, float, str]]:
    """(kind, value, as said) for each measurement of the viewer's the text states, one per kind."""
    found: dict[str, tuple[str, float, str]] = {}
    taken: list[tuple[int, int]] = []
    unitless_weight = ""
    normalized = spoken_numbers(normalized)
    for chi in _CHI_SAID.finditer(normalized):
        # "腰二尺五", "waist 2尺7": a waist in 市尺, compared in whole cm as charts write it ("32码83cm（2尺5）").
        value = round((_digit(chi[1]) + (_digit(chi[2]) if chi[2] else 0) / 10) * CM_PER_CHI)
        found.setdefault("waist", ("waist", value, chi.group(0).replace(" ", "")))
        taken.append(chi.span())
    for match in _PART_VALUE.finditer(normalized):
        word, number, unit = match.group(1, 2, 3) if match.group(1) else match.group(4, 5, 6)
        kind = _part(word)
        if float(number) < 10 and kind != "palm width":
            continue  # "身高1.65": metres, read below; only a palm's width is under 10 cm
        factor = 2 if unit in ("kg", "公斤") else 1
        if kind in ("foot", "inner") and (unit in ("mm", "毫米") or float(number) > 100):
            factor = 0.1  # "脚长255", "foot length 270mm": millimetres
        said = f"{word} {number}{unit or ''}" if word.isascii() else f"{word}{number}{unit or ''}"
        if kind == "weight" and not unit:
            unitless_weight = said
        found.setdefault(kind, (kind, float(number) * factor, said))
        taken.append(match.span())

    def free(match: re.Match[str]) -> bool:
        return not any(a <= match.start() < b for a, b in taken)

    for match in _POUNDS.finditer(normalized):
        # "150 lbs": a weight in pounds, compared in 斤 (1 lb = 0.4536 kg); never a height.
        found.setdefault("weight", ("weight", float(match.group(1)) * 0.4536 * 2, match.group(0)))
        taken.append(match.span())
    for match in _FEET.finditer(normalized):
        # "5'9", "5 ft 9 in": a height in feet and inches.
        inches = int(match.group(1)) * 12 + int(match.group(2) or 0)
        found.setdefault("height", ("height", round(inches * 2.54), match.group(0).strip()))
        taken.append(match.span())
    for match in _WEIGHT.finditer(normalized):
        if free(match):
            factor = 2 if match.group(2) in ("kg", "公斤") else 1
            found.setdefault("weight", ("weight", float(match.group(1)) * factor, match.group(0)))
            taken.append(match.span())  # "175斤" is no height
    for match in _AGE.finditer(normalized):
        found.setdefault("age", ("age", float(match.group(1)), f"{match.group(1)}岁"))
    for match in _MONTHS.finditer(normalized):
        found.setdefault("months", ("months", float(match.group(1)), f"{match.group(1)}个月"))
    # "1米78", "1m78", "1.78m": a height in metres and centimetres.
    if (metres := _METRES.search(normalized)) is not None:
        height = 100 + float(metres.group(1) or metres.group(2))
        found.setdefault("height", ("height", height, f"{height:g}cm"))
    for match in _HEIGHT.finditer(normalized):
        height = match.group(1) or match.group(2)
        number_at = match.start(1) if match.group(1) else match.start(2)
        if not any(a <= number_at < b for a, b in taken) and float(height) >= 80:  # "59cm" is no one's height
            found.setdefault("height", ("height", float(height), f"{height}cm"))
    if unitless_weight and found.get("weight", ("", 0.0, ""))[2] == unitless_weight and "height" in found:
        # "身高180 体重78": read as 斤 (39 kg) no one that tall weighs; a weight said without a unit is in kg
        # when 斤 would make the body implausibly thin (a BMI under 15).
        metres, jin = found["height"][1] / 100, found["weight"][1]
        if metres >= 1.2 and jin / 2 / metres**2 < 15:
            found["weight"] = ("weight", jin * 2, unitless_weight)
    return list(found.values())


# A bra size, band and cup: "75B", "80c", or "32B" in inches (US/UK bands, 2 inches = 5 cm a step).
_BAND_CUP = re.compile(r"(?<![\d.a-z])(6[05]|[7-9][05]|1[01][05]|3[02468]|4[024])\s*([a-g])(?![a-z])")
_INCH_BANDS = {30: 65, 32: 70, 34: 75, 36: 80, 38: 85, 40: 90, 42: 95}
# A listing's rules from measurements to a bra size: "下胸围68-72cm选70" and "上下胸围差约10cm选A".
_BAND_RULE = re.compile(
    r"(\d{2,3})\s*[-~～到]\s*(\d{2,3})\s*(?:cm|厘米)?\s*(?:选|对应|为|是|=|→|->)\s*(\d{2,3})(?![\d.a-z])"
)
_CUP_RULE = re.compile(r"(\d{1,2}(?:\.\d)?)\s*(?:cm|厘米)?\s*(?:选|对应|为|是|=|→|->)\s*([a-g])(?![a-z])")
_CLAUSES = re.compile(r"[，,；;。\n]")


def _bra_size_said(normalized: str, product: Product) -> tuple[str, str] | None:
    """(as said, the bra size as "75B") the viewer gives: stated outright, or from an underbust and a bust
    measured, by the band and cup rules the listing writes (a size from rules the listing lacks would be
    a guess)."""
    if said := _BAND_CUP.search(normalized):
        band = int(said.group(1))
        return said.group(0).upper(), f"{_INCH_BANDS.get(band, band)}{said.group(2).upper()}"
    stated = {kind: (value, words) for kind, value, words in stated_measures(normalized)}
    if "underbust" not in stated or "chest" not in stated:
        return None
    (under, under_said), (bust, bust_said) = stated["underbust"], stated["chest"]
    text = normalize(product.description.lower())
    band = next((b for low, high, b in _BAND_RULE.findall(text) if float(low) <= under <= float(high)), None)
    cups = [(abs(float(diff) - (bust - under)), cup) for diff, cup in _CUP_RULE.findall(text)]
    near = min(cups, default=None)
    if band is None or near is None or near[0] > 1.25:
        return None
    return f"{under_said} {bust_said}", f"{band}{near[1].upper()}"


def bra_size_stated(normalized: str) -> bool:
    """Whether the text gives a bra size ("我平时穿75B", "32B in link 1?")."""
    return _BAND_CUP.search(normalized) is not None


def _bra_fit(product: Product, normalized: str) -> tuple[str, list[str]] | None:
    """The sizes a bra size fits: the size itself, or the rows of the listing's table that list it ("S对应
    70A/70B/75A，M对应75B/80A"); None when the viewer gives no bra size or the listing no table."""
    said = _bra_size_said(normalized, product)
    if said is None:
        return None
    words, wanted = said
    own = [size for size in product.sizes if canonical_size(size) == wanted.lower()]
    if own and words.lower() == wanted.lower():
        return None  # "有80C吗" of a bra sold as 75B/80B/80C: whether that size is there, said as asked
    if own:
        return words, own  # "32B": the 70B it is in centimetres
    have = {canonical_size(size): size for size in product.sizes}
    rows = 0
    fits: list[str] = []
    for clause in _CLAUSES.split(normalize(product.description.lower())):
        label = rx.search(_LABEL, clause)
        listed = {f"{b}{c.upper()}" for b, c in _BAND_CUP.findall(clause)}
        if label is None or not listed or canonical_size(label.group(0)) not in have:
            continue
        rows += 1
        if wanted in listed:
            fits.append(have[canonical_size(label.group(0))])
    return (words, fits) if rows >= 2 else None


# A listing that sizes by height ("按身高选码", "码数就是身高"): its numbers are heights in cm.
_BY_HEIGHT = re.compile(r"按身高(?:选|拍|买)?码?|码数?(?:就)?是身高|尺码即身高")


def _height_codes(sizes: list[str]) -> bool:
    """Whether size numbers read as heights without the listing saying so: children's 80/90/.../170 in steps
    of ten, or grown-ups' 160/165/170/175 (a suit's 46/48/50 or a hat's 56/57/58 are not)."""
    numbers = sorted(int(s) for s in sizes)
    if len(numbers) < 3:
        return False
    if all(n % 10 == 0 and 80 <= n <= 170 for n in numbers):
        return True
    return all(n % 5 == 0 and 150 <= n <= 190 for n in numbers)


def _sized_by_height(product: Product, normalized: str) -> tuple[str, list[str]] | None:
    """For a listing that says its size numbers are heights ("按身高选码", sizes 110/120/.../170): the first
    size not below the viewer's height, as a height between two sizes takes the bigger one."""
    heights = {kind: (value, words) for kind, value, words in stated_measures(normalized)}.get("height")
    numbers = [s for s in product.sizes if rx.fullmatch(r"\d{2,3}", s.strip()) and 50 <= int(s) <= 210]
    if heights is None or not numbers or len(numbers) != len(product.sizes):
        return None
    said = [
        n
        for n in rx.findall(r"(?<![\d.])(\d{2,3})(?![\d.]|\s*(?:号|码|斤|kg|公斤))", normalized)
        if 50 <= int(n) <= 190
    ]
    if len(said) > 1:
        return None  # "大宝150 二宝127": two children, two answers; the streamer gives them
    if not _BY_HEIGHT.search(normalize(product.description.lower())) and not _height_codes(numbers):
        return None
    value, words = heights
    fits = [s for s in sorted(numbers, key=int) if int(s) >= value][:1]
    return words, fits


def _shoe_size_between(product: Product, singles: list[Span], foot_cm: float) -> str:
    """The sold shoe size a chart of foot lengths skips, when every size the chart gives follows the Chinese
    standard (size = foot length in mm / 5 - 10, 240 mm = 38) and so does the foot; '' otherwise."""
    if len(singles) < 2 or not all(
        s.size.isdigit() and abs(s.low * 10 - (int(s.size) + 10) * 5) < 0.01 for s in singles
    ):
        return ""
    size = (foot_cm * 10) / 5 - 10
    if abs(size - round(size)) > 0.01:
        return ""
    sold = {canonical_size(s): s for s in product.sizes}
    return sold.get(str(round(size)), "")


def body_fit(product: Product, normalized: str) -> tuple[str, list[str]] | None:
    """(the viewer's measurements, the product's sizes whose written ranges hold every one of them), or
    None when the listing gives no range of a kind the text measures."""
    bra = _bra_fit(product, normalized)
    if bra is not None:
        return bra
    spans = size_spans(product)
    if not any(span.kind == "height" for span in spans) and (
        by_height := _sized_by_height(product, normalized)
    ):
        return by_height
    if not spans:
        return None
    said: list[str] = []
    fits: list[str] | None = None
    for kind, value, words in stated_measures(normalized):
        if kind == "age" and not any(span.kind == "age" for span in spans):
            kind, value = "months", value * 12  # "宝宝1岁" against a chart in months
        if not any(span.kind == kind for span in spans):
            continue
        # A foot is measured to the half size (5 mm): "脚长25.7" is the 257 mm of no size; 25.5 is 41's.
        slack = 0.26 if kind in ("foot", "inner") else 0.01
        holding = [s.size for s in spans if s.kind == kind and s.low - slack <= value <= s.high + slack]
        singles = sorted((s for s in spans if s.kind == kind and s.low == s.high), key=lambda s: s.low)
        if (
            not holding
            and kind in ("waist", "hip", "chest")
            and singles
            and len(singles) == len([s for s in spans if s.kind == kind])
        ):
            # A garment's girth per size ("腰围：XL 80cm；2XL 86cm"): the first size that is not smaller
            # than the body, within a few centimetres of ease.
            # A waist said in 市尺 is within a centimetre of the chart's own reading ("2尺3" is 76 or 77).
            slack_below = 1 if "尺" in words else 0
            roomy = [s.size for s in singles if value - slack_below <= s.low <= value + 4]
            holding = roomy[:1]
        if not holding and kind == "foot" and (between := _shoe_size_between(product, singles, value)):
            # "脚长：36码230mm，38码240mm..." and a 265 mm foot: the chart follows the national rule (a size
            # is foot mm / 5 - 10), so the 43 it skips is 265 mm.
            holding = [between]
        if not holding and all(s.low == s.high for s in spans if s.kind == kind):
            continue  # "S码掌围17cm": a chart of single numbers says nothing of the numbers between
        said.append(words)
        # Height and weight together: the sizes that fit both (on a chart's border, the one that does).
        fits = holding if fits is None else [size for size in fits if size in holding] or fits + holding
    if fits is None:
        return None
    return " ".join(said), list(dict.fromkeys(fits))


def without_measures(normalized: str) -> str:
    """The text less the measurements of a head, hand or foot it names ("头围58", "掌围18"); a waist stays
    (jeans are sized by it: "腰围31有吗"), and so do a height and a weight."""
    return _PART_VALUE.sub(
        lambda m: " " if _part(m.group(1) or m.group(4)) in SIZED_BY_CHART_ONLY else m.group(0), normalized
    )


# Measurements the size list itself cannot answer: a head, a hand, a foot, an age.
SIZED_BY_CHART_ONLY = frozenset({"head", "palm", "hand", "foot", "age", "months", "back", "paw"})


# "这个xl多少斤穿", "what height is M for": the range a size is written for, asked the other way round.
RANGE_OF_SIZE_ASKED = re.compile(
    r"多少斤|几斤|多重|多高|身高|体重|适合|几岁|多大(?:的)?(?:孩子|宝宝|小孩)|头围|"
    r"\bhow (?:tall|heavy|old)\b|\bwhat (?:height|weight|age)\b|\bfits? (?:who|what)\b"
)


def ranges_of(
    product: Product, sizes: list[str], lang: str = "zh", kinds: set[str] | None = None
) -> list[str]:
    """ "XL码 140-155斤" (or "size XL 140-155斤") for each asked size the listing writes ranges for (of
    those measures only, with `kinds`)."""
    wanted = {canonical_size(size) for size in sizes}
    said: dict[str, list[str]] = {}
    for span in size_spans(product):
        if canonical_size(span.size) in wanted and span.written and (kinds is None or span.kind in kinds):
            said.setdefault(span.size, []).append(span.written)
    named = (
        (lambda size: f"{size}码" if rx.fullmatch(r"[0-9a-zA-Z.]{1,4}", size) else size)
        if lang == "zh"
        else (lambda size: f"size {size}")
    )
    return [f"{named(size)} {' '.join(ranges)}" for size, ranges in said.items()]


def chart_ends(product: Product, kinds: set[str], lang: str = "zh") -> list[str]:
    """The smallest and the largest size's written ranges of those measures ("S码 155-160cm", "XL码
    175-180cm"; a one-size product's one range): what a body outside the chart is told it is outside of."""
    spans = [span for span in size_spans(product) if span.kind in kinds and span.written]
    order = [size for size in product.sizes if any(span.size == size for span in spans)]
    if not order or len(order) < len(product.sizes):
        return []  # a chart read for some sizes only: its ends are not the product's
    return ranges_of(product, list(dict.fromkeys([order[0], order[-1]])), lang, kinds)


def sizes_named(product: Product, normalized: str) -> list[str]:
    """The product's sizes the text says as a word of its own ("这个xl多少斤穿": XL)."""
    return [
        size
        for size in product.sizes
        if rx.search(rf"(?<![a-z0-9'.]){re.escape(canonical_size(size))}(?![a-z0-9])", normalized)
    ]


def inner_lengths(product: Product, lang: str) -> str:
    """A shoe's inner length per size as its listing writes them ("26码 17.5cm，27码 18cm"), for a viewer
    who gives a foot length; '' when the listing writes none."""
    spans = [span for span in size_spans(product) if span.kind == "inner"]
    if len(spans) < 2:
        return ""
    if lang == "zh":
        return "内长：" + "，".join(f"{s.size}码{s.written}" for s in spans)
    return "inner length: " + ", ".join(f"size {s.size} {s.written}" for s in spans)


# The size a viewer usually takes: "平时穿42", "平时42码", "i usually wear 44", "im a 44 usually", "normally M".
_SIZE_WORD = r"\d{2}(?:\.5)?|[2-9]?x{0,3}l|xs|s|m"
_USUAL = re.compile(
    rf"(?:平时|平常|一般|日常)\s*(?:都)?\s*(?:穿|拍|买|是)?\s*({_SIZE_WORD})\s*(?:码|号)?(?![a-z0-9.])|"
    rf"\b(?:normally|usually)\s+(?:wear\s+|take\s+|get\s+)?(?:a\s+|an\s+)?(?:size\s+)?({_SIZE_WORD})(?![a-z0-9.])|"
    rf"\b(?:i'?m|i am)\s+(?:a\s+|an\s+)?(?:size\s+)?({_SIZE_WORD})\s+(?:usually|normally)\b"
)
# How a listing says its sizes run, as a step from the usual size.
_RUNS: tuple[tuple[str, float], ...] = (
    (
        r"偏小半码|(?:拍|选|买|拿|建议)大半码|\bhalf (?:a )?size (?:up|small)|\bruns? half (?:a )?size small",
        0.5,
    ),
    (
        r"偏小一码|偏小1码|(?:拍|选|买|拿|建议)大一码|\bone size up\b|\bsize up\b|\bruns? (?:one size )?small",
        1.0,
    ),
    (
        r"偏大半码|(?:拍|选|买|拿|建议)小半码|\bhalf (?:a )?size (?:down|big)|\bruns? half (?:a )?size (?:big|large)",
        -0.5,
    ),
    (
        r"偏大一码|偏大1码|(?:拍|选|买|拿|建议)小一码|\bone size down\b|\bsize down\b|\bruns? (?:one size )?(?:big|large)",
        -1.0,
    ),
    (r"正码|标准码|按平时(?:尺码|码数|的码)|平时(?:尺码|码数)|\btrue to size\b|\byour usual size\b", 0.0),
)
# Advice for some feet only ("脚宽或脚背高建议拍大一码"): not how the sizes run for everyone.
# Advice for some viewers only: wide feet, a loose taste, a body between two sizes or on the heavy side.
_FOR_SOME = re.compile(
    r"脚宽|宽脚|脚背高|脚胖|喜欢宽松|想宽松|两个码|之间|中间|偏胖|\bwide\b|\bif\b|\bbetween\b"
)
# What a viewer says of themselves that puts them among those some advice is for.
_SAID_OF_ONESELF = {"偏胖": r"胖|壮|肉", "脚胖": r"脚胖|脚肥", "脚宽": r"脚宽|宽脚|脚肥", "宽脚": r"脚宽|宽脚|脚肥",
                    "脚背高": r"脚背高", "wide": r"\bwide\b"}  # fmt: skip
_LETTERS = ("xs", "s", "m", "l", "xl", "2xl", "3xl", "4xl", "5xl", "6xl")


USUAL_SIZE = _USUAL


def usual_size_said(normalized: str) -> str:
    """The viewer's usual size, as a canonical size ("42", "l"); "" when none is said."""
    found = _USUAL.search(normalized)
    return canonical_size(next(g for g in found.groups() if g)) if found else ""


def fit_step(product: Product, asked: str = "") -> tuple[float, str] | None:
    """(how many sizes up or down to take, the listing's words) where the listing says for everyone how its
    sizes run ("偏小一码，建议拍大一码", "正码", "平时穿42拍43"), or for viewers like the asker ("偏胖建议拍大
    一码" to "孩子偏胖 身高130"); None when it does not, or says it two ways."""
    text = normalize(product.description.lower())
    example = rx.search(r"平时(?:穿)?\s*(\d{2}(?:\.5)?)\s*码?\s*(?:拍|选|买)\s*(\d{2}(?:\.5)?)", text)
    if example is not None:
        return float(example.group(2)) - float(example.group(1)), example.group(0)
    steps: dict[float, str] = {}
    for segment in _CLAUSES.split(product.description):
        folded = normalize(segment.lower())
        some = _FOR_SOME.search(folded)
        if some and not (
            some.group(0) in _SAID_OF_ONESELF and rx.search(_SAID_OF_ONESELF[some.group(0)], asked)
        ):
            continue
        for pattern, step in _RUNS:
            if rx.search(pattern, folded):
                steps.setdefault(step, segment.strip())
                break
    return next(iter(steps.items())) if len(steps) == 1 else None


def usual_fit(product: Product, normalized: str) -> tuple[str, str, str] | None:
    """(the usual size said, the size to take, the listing's words that say so) for a viewer who gives
    their usual size, from how the listing says its sizes run ("偏小一码，建议拍大一码", "正码",
    "平时穿42拍43"); None when the listing does not say, says it two ways, or the size is not sold."""
    usual = usual_size_said(normalized)
    if not usual:
        return None
    found = fit_step(product)
    if found is None:
        return None
    step, words = found
    have = {canonical_size(size): size for size in product.sizes}
    if usual.replace(".", "", 1).isdigit():
        target = f"{float(usual) + step:g}"
    elif usual in _LETTERS and step == int(step) and 0 <= _LETTERS.index(usual) + int(step) < len(_LETTERS):
        target = _LETTERS[_LETTERS.index(usual) + int(step)]
    else:
        return None
    if target not in have:
        return None
    return usual.upper(), have[target], words
