"""What a product weighs, as its listing says it ("鞋重约620g/只", "重量约0.95kg", "weighs 280g"), for
"最轻的是哪款" / "which helmet is the lightest": a comparison the listings answer, not a guess.

A viewer's own weight (体重), a fabric's weight per area (克重) and what a thing carries (承重) are not what
the product weighs and are never read as such.
"""

from __future__ import annotations

import functools
import re

from bot.catalog import Product
from bot.qa.text import LISTING_CLAUSES, normalize

_WEIGHS = re.compile(
    r"(?<![体克承载])(?:重量|净重|总重|鞋重|单只重?|每只重?|整件重|整只重|重)\s*[:：]?\s*(?:\d+\s*(?:cm|寸|码)\s*)?"
    r"(?:约|大约|仅|只有|为)?\s*"
    r"(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>kg|g|克|公斤)(?![a-z])"
    r"|\bweighs?\s*(?:about|around|approx\.?|only|just)?\s*:?\s*(?P<en>\d+(?:\.\d+)?)\s*(?P<en_unit>kg|g)\b"
)
_LIGHTEST = re.compile(r"最轻|哪(?:个|款|双|件|顶|只)?(?:比较|更)?轻|轻一点|\blightest\b|weighs? the least")
# Of two or more named: which weighs more or less ("1号和51号哪个轻", "26和50哪个重", "which is heavier").
_HEAVIER = re.compile(
    r"哪个(?:更|比较)?[轻重沉]|[轻重沉](?:一点|一些)?的是|\b(?:heavier|lighter)\b|weigh(?:s)? (?:more|less)"
)


@functools.lru_cache(maxsize=4096)
def _weight_of(description: str) -> tuple[float, str] | None:
    for written in LISTING_CLAUSES.split(description):
        m = _WEIGHS.search(normalize(written))
        if m is None:
            continue
        number = float(m.group("n") or m.group("en"))
        unit = m.group("unit") or m.group("en_unit")
        grams = number * 1000 if unit in ("kg", "公斤") else number
        return grams, written.strip()
    return None


def weight(product: Product) -> tuple[float, str] | None:
    """The product's weight in grams and the listing's words for it, or None where it gives none."""
    return _weight_of(product.description) or _weight_of(product.material)


def asks_heavier(normalized: str) -> bool:
    return bool(_HEAVIER.search(normalized))


def asks_lightest(normalized: str) -> bool:
    return bool(_LIGHTEST.search(normalized))
