"""Which product a message is about: a link number, the on-screen product, or none."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.qa.text import zh_number

_NUM = r"(\d{1,3}|[零〇一二两三四五六七八九十]{1,3})"
LINK_PATTERNS = (
    re.compile(_NUM + r"\s*号(?:链接|链|宝贝|商品)?"),
    re.compile(r"(?:链接|宝贝|商品)\s*" + _NUM),
    re.compile(r"第\s*" + _NUM + r"\s*(?:个|件|款|条|双)"),
    re.compile(r"\b(?:link|item|product|no\.?|number)\s*#?\s*(\d{1,3})\b"),
    re.compile(r"#\s*(\d{1,3})\b"),
)
ON_SCREEN = re.compile(
    r"这件|这个|这款|这条|这双|这套|这顶|这只|现在这|当前|主播身上|身上这|正在讲|上身这"
    r"|\bthis one\b|\bthis (?:item|dress|shirt|top|jacket|coat|bag|one|tee|skirt|pair)\b|\bcurrent(?:ly)?\b"
    r"|\bon screen\b|\bshowing\b|\bwearing\b"
)


@dataclass(frozen=True, slots=True)
class LinkRef:
    """What the text says about the product. `link` is a number as written, unchecked against the catalog."""

    link: int | None = None
    on_screen: bool = False


def find_link(normalized: str) -> LinkRef:
    for pattern in LINK_PATTERNS:
        match = pattern.search(normalized)
        if match:
            number = zh_number(match.group(1))
            if number is not None and number > 0:
                return LinkRef(link=number)
    return LinkRef(on_screen=bool(ON_SCREEN.search(normalized)))
