"""Which product a message is about: a link number, a name, a category and colour, the on-screen product.

`find_link` only reads the text; `ProductIndex.resolve` looks the words up in the catalog and returns the
products that fit. More than one is an ambiguity for the caller to list, never a product to pick.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from bot.catalog import CATEGORY_NAMES_EN, CATEGORY_NAMES_ZH, Catalog, Product
from bot.qa.intents import PATTERNS
from bot.qa.text import normalize, zh_number

_NUM = r"(\d{1,3}|[零〇一二两三四五六七八九十]{1,3})"
LINK_PATTERNS = (
    re.compile(_NUM + r"\s*号(?:链接|链|宝贝|商品)?"),
    re.compile(r"(?:链接|宝贝|商品)\s*" + _NUM),
    re.compile(r"第\s*" + _NUM + r"\s*(?:个|件|款|条|双|号)"),
    re.compile(r"\b(?:link|item|product|no\.?|number)\s*#?\s*(\d{1,3})(?!\d)"),
    re.compile(r"#\s*(\d{1,3})(?!\d)"),
    re.compile(r"(?<!\d)(\d{1,3})\s*#"),
)
ON_SCREEN = re.compile(
    r"这件|这个|这款|这条|这双|这套|这顶|这只|这一款|这一件|现在这|当前|主播身上|身上这|正在讲|上身这|刚刚那|刚才那|"
    r"\bthis one\b|\bthis (?:item|dress|shirt|top|jacket|coat|bag|tee|skirt|pair|hoodie|scarf|hat)\b|"
    r"\bcurrent(?:ly)?\b|\bon screen\b|\bshowing\b|\bwearing\b|\bthis\b|\bit\b"
)
FOLLOW_UP = re.compile(r"^(?:那|那么|还有|and\b|what about\b|how about\b)|呢\s*$|\bthen\b")

COLOR_WORDS_EN = {
    "black": "黑", "white": "白", "grey": "灰", "gray": "灰", "blue": "蓝", "navy": "藏青", "red": "红",
    "pink": "粉", "green": "绿", "brown": "棕", "beige": "米", "khaki": "卡其", "camel": "驼", "yellow": "黄",
    "purple": "紫", "cream": "米白", "wine": "酒红", "burgundy": "酒红", "orange": "橙", "silver": "银",
    "gold": "金", "olive": "橄榄", "charcoal": "灰", "striped": "条纹", "stripes": "条纹", "plaid": "格",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class LinkRef:
    """What the text says about the product. `link` is a number as written, unchecked against the catalog."""

    link: int | None = None
    on_screen: bool = False
    follow_up: bool = False


def find_link(normalized: str) -> LinkRef:
    for pattern in LINK_PATTERNS:
        match = pattern.search(normalized)
        if match:
            number = zh_number(match.group(1))
            if number is not None and number > 0:
                return LinkRef(link=number)
    return LinkRef(on_screen=bool(ON_SCREEN.search(normalized)), follow_up=bool(FOLLOW_UP.search(normalized)))


# Characters (and pairs) that name a colour; "颜色", "啥色", "什么色" do not.
COLOR_STEMS_ZH = (
    "酒红",
    "藏青",
    "卡其",
    "米白",
    "雾霾",
    "燕麦",
    "奶茶",
    "焦糖",
    "香槟",
    "墨绿",
    "军绿",
    "荧光",
)
COLOR_CHARS_ZH = "黑白灰蓝红粉绿棕米驼黄紫杏青橙金银咖褐"


@functools.lru_cache(maxsize=4096)
def _color_keys(color: str) -> frozenset[str]:
    """What a catalog colour can be called: its Chinese stem, and the Chinese stem of English colour words."""
    norm = normalize(color)
    keys = {norm.removesuffix("色")}
    for en, zh in COLOR_WORDS_EN.items():
        if re.search(rf"\b{en}\b", norm):
            keys.add(zh)
    keys |= {ch for ch in norm if ch in COLOR_CHARS_ZH}
    return frozenset(k for k in keys if k)


def mentioned_colors(normalized: str, product: Product) -> tuple[list[str], list[str]]:
    """(colours of the product the text names, colour words in the text the product does not have)."""
    keys = {color: _color_keys(color) for color in product.colors}
    asked: list[str] = []
    for word in re.findall(r"([\u4e00-\u9fff]{1,3})色", normalized):
        pair = word[-2:]
        if len(word) > 1 and pair in COLOR_STEMS_ZH:
            asked.append(pair)
        elif word[-1] in COLOR_CHARS_ZH:
            asked.append(word[-1])
    for stem in (*COLOR_STEMS_ZH, *COLOR_CHARS_ZH):
        # "有黑的吗" / "纯白的" name a colour without the 色.
        if re.search(rf"{stem}(?:的|款|色)?(?:吗|么|呢|有|没|还|\s*$)", normalized) and stem not in asked:
            asked.append(stem)
    for en, zh in COLOR_WORDS_EN.items():
        if re.search(rf"\b{en}\b", normalized) and zh not in asked:
            asked.append(zh)
    have: list[str] = []
    for color in product.colors:
        if normalize(color).removesuffix("色") in normalized or any(
            k in asked or any(k in a or a in k for a in asked) for k in keys[color]
        ):
            have.append(color)
    missing = [
        stem + "色"
        for stem in asked
        if not any(stem in k or k in stem for color in product.colors for k in keys[color])
    ]
    return have, missing


class ProductIndex:
    """Name, partial-name and category look-ups over one catalog, built once."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._names = [(normalize(p.name), p) for p in catalog.products]
        # Character pair -> names holding it: a name shares a pair with the text or cannot match at all,
        # so only those few names are compared (keeps a 500-product catalog well under a millisecond).
        self._pairs: dict[str, list[int]] = {}
        for i, (name, _) in enumerate(self._names):
            for pair in {name[j : j + 2] for j in range(len(name) - 1)}:
                self._pairs.setdefault(pair, []).append(i)
        self._by_name_cache: dict[str, list[Product]] = {}
        self._normalized_name = {p.sku: name for name, p in self._names}
        self._categories: dict[str, list[str]] = {}
        for category, words in CATEGORY_NAMES_ZH.items():
            self._categories.setdefault(category, []).extend(normalize(w) for w in words)
        for category, words in CATEGORY_NAMES_EN.items():
            self._categories.setdefault(category, []).extend(normalize(w) for w in words)
        self._category_words = frozenset(w for words in self._categories.values() for w in words)
        # The words that name a whole category in each language ("连衣裙", "dress").
        self._primary = {
            c: {normalize(CATEGORY_NAMES_ZH[c][0]), normalize(CATEGORY_NAMES_EN[c][0])}
            for c in self._categories
            if c in CATEGORY_NAMES_ZH and c in CATEGORY_NAMES_EN
        }

    def by_name(self, normalized: str) -> list[Product]:
        """Products whose name (or a distinctive part of it, >= 3 characters) appears in the text.

        A run that is only a category word ("连衣裙") names a category, not a product: categories are
        resolved with colours and the on-screen product instead.
        """
        cached = self._by_name_cache.get(normalized)
        if cached is not None:
            return cached
        if len(self._by_name_cache) > 256:
            self._by_name_cache.clear()
        result = self._by_name_cache[normalized] = self._match_names(normalized)
        return result

    def _match_names(self, normalized: str) -> list[Product]:
        candidates: set[int] = set()
        for j in range(len(normalized) - 1):
            candidates.update(self._pairs.get(normalized[j : j + 2], ()))
        best: list[Product] = []
        best_len = 0
        for i in sorted(candidates):
            name, product = self._names[i]
            run = _longest_common_run(name, normalized)
            if (
                self._is_category_word(run)
                or _is_color_word(run)
                or not _whole_ascii_words(run, name, normalized)
            ):
                continue
            length = len(run)
            chinese = sum(1 for ch in name if "\u4e00" <= ch <= "\u9fff")
            # A run must be distinctive: 3+ characters, the whole (short) Chinese name, or a two-character
            # word only this product's name has ("毛巾", "毛毯") that is not a colour or a material.
            if (
                length < 3
                and not (length >= 2 and length == chinese)
                and not self._unique_word(run)
                and not _model_code(run)
            ):
                continue
            if length > best_len:
                best, best_len = [product], length
            elif length == best_len:
                best.append(product)
        return best if best_len >= 4 or len(best) <= 3 else []

    def _unique_word(self, run: str) -> bool:
        if len(run) != 2 or not all("\u4e00" <= ch <= "\u9fff" for ch in run):
            return False
        owners = [p for name, p in self._names if run in name]
        if len(owners) != 1:
            return False
        # "真皮" in a belt's name is what the boots are made of too: attribute words name no product.
        if PATTERNS["material"].search(run):
            return False
        return not any(
            run in normalize(p.material)
            or run in normalize(p.description)
            or any(run in normalize(c) for c in p.colors)
            for p in self.catalog.products
            if p is not owners[0]
        ) and run not in normalize(owners[0].material)

    def _is_category_word(self, run: str) -> bool:
        return run.strip() in self._category_words

    def category_words_in(self, normalized: str) -> dict[str, str]:
        """category -> the word the text used for it."""
        found: dict[str, str] = {}
        for category, words in self._categories.items():
            for word in words:
                used = (word.isascii() and re.search(rf"\b{re.escape(word)}s?\b", normalized)) or (
                    not word.isascii() and word in normalized
                )
                # The most specific word the viewer used: "tote" over "bag" in "tote bag".
                if used and len(word) > len(found.get(category, "")):
                    found[category] = word
        return found

    def categories_in(self, normalized: str) -> list[str]:
        return list(self.category_words_in(normalized))

    def by_category_and_color(self, normalized: str) -> list[Product]:
        used = self.category_words_in(normalized)
        if not used:
            return []
        products = [p for p in self.catalog.products if p.category in used]
        # "风衣" is a kind of coat: products whose own name says 风衣 are the ones meant. The category's
        # main word ("连衣裙", "毛衣") names the whole category, so it narrows nothing.
        named = [p for p in products if used[p.category] in self._normalized_name[p.sku]]
        primary = all(used[p.category] in self._primary.get(p.category, ()) for p in products)
        if not primary or (len(named) == 1 and not any(mentioned_colors(normalized, p)[0] for p in products)):
            # ... unless exactly one product is named by it and no colour narrows the choice instead.
            products = named or products
        colored = [p for p in products if mentioned_colors(normalized, p)[0]]
        return colored or products


def _is_color_word(run: str) -> bool:
    stripped = run.strip()
    return (
        stripped in COLOR_WORDS_EN
        or stripped.removesuffix("色") in COLOR_STEMS_ZH
        or (len(stripped.removesuffix("色")) == 1 and stripped.removesuffix("色") in COLOR_CHARS_ZH)
    )


def _model_code(run: str) -> bool:
    """ "X3", "R7", "P33": a letter-and-digit code is a name even when it is short."""
    stripped = run.strip()
    return bool(re.fullmatch(r"[a-z]\d{1,3}|\d{1,3}[a-z]", stripped))


def _whole_ascii_words(run: str, *texts: str) -> bool:
    """ "size" inside "oversize" is not a name: an ASCII run must start and end on word edges in both."""
    stripped = run.strip()
    if not stripped or not stripped.isascii():
        return True
    pattern = re.compile(rf"(?<![a-z0-9]){re.escape(stripped)}(?![a-z0-9])")
    return all(pattern.search(text) for text in texts)


def _longest_common_run(name: str, text: str) -> str:
    """The longest substring of `name` found in `text` (names are short: quadratic is fine)."""
    best = ""
    for i in range(len(name)):
        for j in range(i + len(best) + 1, len(name) + 1):
            chunk = name[i:j]
            if chunk not in text:
                break
            if chunk == chunk.strip() and len(chunk) > len(best):
                best = chunk
    return best
