"""The product catalog and the shop FAQ: the only source of prices, stock, sizes, shipping and policies.

Both load from files the shop edits by hand (usually in a spreadsheet), so every problem names the file,
the line a person sees in an editor (header = line 1) or the JSON path, the column, what was expected and
what was found. The running bot loads non-strictly: a malformed row is reported and skipped and loses
nothing else. `strict=True` (a `catalog check` command) raises with every problem at once so the file is
fixed in one pass. Reading is synchronous; callers run it off the event loop.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = [
    "CATALOG_COLUMNS",
    "CATEGORIES",
    "CATEGORY_NAMES_EN",
    "CATEGORY_NAMES_ZH",
    "FAQ_COLUMNS",
    "FASHION_MNIST_CATEGORIES",
    "Catalog",
    "CatalogError",
    "Faq",
    "FaqEntry",
    "Product",
    "demo_catalog_path",
    "demo_faq_path",
    "format_price",
    "load_catalog",
    "load_faq",
]

# Fashion-MNIST's ten classes first, in its label order (0 = T-shirt/top ... 9 = Ankle boot), so image
# models trained on it can map a label index to a category with CATEGORIES[label].
FASHION_MNIST_CATEGORIES: tuple[str, ...] = (
    "tshirt",
    "trouser",
    "pullover",
    "dress",
    "coat",
    "sandal",
    "shirt",
    "sneaker",
    "bag",
    "ankle_boot",
)
CATEGORIES: tuple[str, ...] = (
    *FASHION_MNIST_CATEGORIES,
    "skirt",
    "hoodie",
    "jacket",
    "jeans",
    "hat",
    "scarf",
    "socks",
    "accessory",
)

# The words viewers type for each category. Every word belongs to exactly one category (a test holds
# this), so a matcher can map word -> category without ties. Bare "包" is left out on purpose: it is
# inside 包邮 and would make every shipping question a bag question.
CATEGORY_NAMES_ZH: dict[str, tuple[str, ...]] = {
    "tshirt": ("T恤", "短袖", "体恤", "半袖", "短T"),
    "trouser": ("裤子", "长裤", "休闲裤", "西装裤", "西裤", "阔腿裤", "运动裤"),
    "pullover": ("毛衣", "针织衫", "套头衫", "羊毛衫", "线衣"),
    "dress": ("连衣裙", "裙子"),
    "coat": ("大衣", "外套", "风衣", "羽绒服"),
    "sandal": ("凉鞋", "拖鞋", "凉拖"),
    "shirt": ("衬衫", "衬衣"),
    "sneaker": ("运动鞋", "球鞋", "板鞋", "小白鞋", "跑鞋", "跑步鞋"),
    "bag": ("包包", "背包", "手提包", "斜挎包", "双肩包", "托特包", "腋下包", "书包", "单肩包", "挎包"),
    "ankle_boot": ("短靴", "踝靴", "马丁靴", "切尔西靴", "靴子"),
    "skirt": ("半身裙", "短裙", "百褶裙", "A字裙"),
    "hoodie": ("卫衣", "连帽衫", "帽衫"),
    "jacket": ("夹克", "短外套", "皮衣", "棒球服"),
    "jeans": ("牛仔裤", "丹宁裤"),
    "hat": ("帽子", "渔夫帽", "棒球帽", "鸭舌帽", "毛线帽"),
    "scarf": ("围巾", "丝巾", "方巾", "披肩"),
    "socks": ("袜子", "中筒袜", "运动袜", "船袜"),
    "accessory": ("配饰", "饰品", "配件", "腰带", "皮带", "发夹", "发饰"),
}
CATEGORY_NAMES_EN: dict[str, tuple[str, ...]] = {
    "tshirt": ("t-shirt", "t-shirts", "tee", "tees", "t shirt", "tshirt"),
    "trouser": ("trousers", "trouser", "pants", "slacks"),
    "pullover": ("pullover", "sweater", "jumper", "knitwear"),
    "dress": ("dress", "dresses"),
    "coat": ("coat", "overcoat", "trench coat", "down coat", "parka"),
    "sandal": ("sandal", "sandals", "slides", "slippers"),
    "shirt": ("shirt", "shirts", "blouse", "button-down"),
    "sneaker": ("sneaker", "sneakers", "trainers", "running shoes"),
    "bag": ("bag", "bags", "handbag", "backpack", "tote", "crossbody", "schoolbag", "satchel"),
    "ankle_boot": ("ankle boot", "ankle boots", "boots", "chelsea boots", "booties"),
    "skirt": ("skirt", "skirts", "miniskirt"),
    "hoodie": ("hoodie", "hoodies", "sweatshirt"),
    "jacket": ("jacket", "jackets", "bomber", "blazer", "windbreaker"),
    "jeans": ("jeans", "denim"),
    "hat": ("hat", "hats", "cap", "beanie", "bucket hat"),
    "scarf": ("scarf", "scarves", "shawl"),
    "socks": ("socks", "sock"),
    "accessory": ("accessory", "accessories", "belt", "hair clip"),
}

CATALOG_COLUMNS: tuple[str, ...] = (
    "link",
    "sku",
    "name",
    "category",
    "price",
    "original_price",
    "stock",
    "sizes",
    "colors",
    "material",
    "ship_hours",
    "free_shipping",
    "description",
)
FAQ_COLUMNS: tuple[str, ...] = ("question", "answer", "keywords")
_FAQ_REQUIRED = ("question", "answer")

_DEMO_CATALOG = "demo_catalog.csv"
_DEMO_FAQ = "demo_faq.csv"
_CENT = Decimal("0.01")


# -- data --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Product:
    link: int
    sku: str
    name: str
    category: str
    price: Decimal
    original_price: Decimal
    stock: int
    sizes: tuple[str, ...]
    colors: tuple[str, ...]
    material: str
    ship_hours: int
    free_shipping: bool
    description: str

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    @property
    def saving(self) -> Decimal:
        return self.original_price - self.price

    @property
    def discount_ratio(self) -> Decimal:
        """price / original_price: 0.7 is what a Chinese shop calls 7折; 1 means no discount."""
        return self.price / self.original_price

    def record(self) -> dict[str, Any]:
        """The product as plain JSON data, for the live room's product events."""
        return {
            "link": self.link,
            "sku": self.sku,
            "name": self.name,
            "category": self.category,
            "price": float(self.price),
            "original_price": float(self.original_price),
            "stock": self.stock,
            "sizes": list(self.sizes),
            "colors": list(self.colors),
            "material": self.material,
            "ship_hours": self.ship_hours,
            "free_shipping": self.free_shipping,
            "description": self.description,
        }


@dataclass(frozen=True)
class Catalog:
    products: tuple[Product, ...]
    source: str = ""
    # Rows that were skipped, each "FILE:ROW: COLUMN: what was expected, found X".
    problems: tuple[str, ...] = ()
    _by_sku: dict[str, Product] = field(init=False, repr=False, compare=False)
    _by_link: dict[int, Product] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        products = tuple(self.products)
        by_sku: dict[str, Product] = {}
        by_link: dict[int, Product] = {}
        for product in products:
            # The loaders never produce these; a hand-built Catalog with them is a programming error.
            if product.sku.casefold() in by_sku:
                raise ValueError(f"duplicate sku {product.sku!r}")
            if product.link in by_link:
                raise ValueError(f"duplicate link {product.link}")
            by_sku[product.sku.casefold()] = product
            by_link[product.link] = product
        object.__setattr__(self, "products", products)
        object.__setattr__(self, "problems", tuple(self.problems))
        object.__setattr__(self, "_by_sku", by_sku)
        object.__setattr__(self, "_by_link", by_link)

    def by_sku(self, sku: str) -> Product | None:
        """Case-insensitive, because people type SKUs in chat and in commands however they like."""
        return self._by_sku.get(sku.strip().casefold())

    def by_link(self, link: int) -> Product | None:
        return self._by_link.get(link)

    def by_category(self, category: str) -> list[Product]:
        return [p for p in self.products if p.category == category]

    def in_stock(self) -> list[Product]:
        return [p for p in self.products if p.in_stock]

    def records(self) -> dict[str, dict[str, Any]]:
        """sku -> record(), for the live room server."""
        return {p.sku: p.record() for p in self.products}

    def __iter__(self) -> Iterator[Product]:
        return iter(self.products)

    def __len__(self) -> int:
        return len(self.products)


@dataclass(frozen=True, slots=True)
class FaqEntry:
    question: str
    answer: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Faq:
    entries: tuple[FaqEntry, ...]
    source: str = ""
    problems: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[FaqEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


class CatalogError(ValueError):
    """Every problem found in a catalog or FAQ file, each line naming where it is."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("invalid shop data:\n  " + "\n  ".join(self.problems))

    def __reduce__(self) -> tuple[Any, ...]:
        # The default would call CatalogError(message) and turn `problems` into a string.
        return (type(self), (self.problems,))


def format_price(value: Decimal | int) -> str:
    """Whole amounts without decimals ("129"), others with exactly two ("99.90"), rounded half up."""
    amount = Decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)
    if amount == amount.to_integral_value():
        return str(int(amount))
    return f"{amount:f}"


def demo_catalog_path() -> Path:
    return Path(str(resources.files("bot").joinpath("data", _DEMO_CATALOG)))


def demo_faq_path() -> Path:
    return Path(str(resources.files("bot").joinpath("data", _DEMO_FAQ)))


# -- loading ------------------------------------------------------------------------------------------


def load_catalog(path: str | Path | None = None, *, strict: bool = False) -> Catalog:
    """Load and validate a catalog (CSV, or JSON when the name ends in .json); None -> the demo catalog.

    Raises CatalogError for an unreadable file, bad JSON, a wrong header, a file with no valid product,
    and (strict only) any bad row. Otherwise bad rows are skipped and listed in `problems`.
    """
    name, source, text = _read(path, _DEMO_CATALOG)
    if name.lower().endswith(".json"):
        rows = _json_rows(name, text, CATALOG_COLUMNS)
    else:
        rows = _csv_rows(name, text, CATALOG_COLUMNS, CATALOG_COLUMNS)
    products: list[Product] = []
    problems: list[str] = []
    first_sku: dict[str, str] = {}
    first_link: dict[int, str] = {}
    for row in rows:
        if row.problems:
            problems.extend(row.problems)
            continue
        product, row_problems = _parse_product(row)
        if product is not None:
            # Checked against accepted rows only, so a broken earlier row does not also cost this one.
            if product.link in first_link:
                row_problems.append(
                    f"{row.where}: link: expected a link number used once, found duplicate link "
                    f"{product.link}, first used on {first_link[product.link]}"
                )
            if product.sku.casefold() in first_sku:
                row_problems.append(
                    f"{row.where}: sku: expected a sku used once, found duplicate sku {product.sku!r}, "
                    f"first used on {first_sku[product.sku.casefold()]}"
                )
        if row_problems or product is None:
            problems.extend(row_problems)
            continue
        first_link[product.link] = row.line
        first_sku[product.sku.casefold()] = row.line
        products.append(product)
    _raise_if(problems, strict, bool(products), f"{name}: expected at least one valid product, found none")
    return Catalog(products=tuple(products), source=source, problems=tuple(problems))


def load_faq(path: str | Path | None = None, *, strict: bool = False) -> Faq:
    """Load and validate the shop FAQ (CSV question,answer[,keywords]); None -> the demo FAQ."""
    name, source, text = _read(path, _DEMO_FAQ)
    rows = _csv_rows(name, text, _FAQ_REQUIRED, FAQ_COLUMNS)
    entries: list[FaqEntry] = []
    problems: list[str] = []
    first_question: dict[str, str] = {}
    for row in rows:
        if row.problems:
            problems.extend(row.problems)
            continue
        entry, row_problems = _parse_faq_entry(row)
        if entry is not None:
            key = entry.question.casefold()
            if key in first_question:
                # Two answers to one question would let the bot quote either; the first one stands.
                row_problems.append(
                    f"{row.where}: question: expected a question asked once, found a duplicate of the "
                    f"question on {first_question[key]}"
                )
            else:
                first_question[key] = row.line
        if row_problems or entry is None:
            problems.extend(row_problems)
            continue
        entries.append(entry)
    _raise_if(problems, strict, bool(entries), f"{name}: expected at least one valid FAQ entry, found none")
    return Faq(entries=tuple(entries), source=source, problems=tuple(problems))


def _raise_if(problems: list[str], strict: bool, loaded_any: bool, none_loaded: str) -> None:
    if not loaded_any:
        raise CatalogError([*problems, none_loaded])
    if strict and problems:
        raise CatalogError(problems)


def _read(path: str | Path | None, demo: str) -> tuple[str, str, str]:
    """-> (name used in problems, full source for Catalog.source, text)."""
    if path is None:
        # Through importlib.resources so the demo data also loads from a wheel or zip install.
        resource = resources.files("bot").joinpath("data", demo)
        name, source = demo, str(resource)
        try:
            data = resource.read_bytes()
        except OSError as exc:
            raise CatalogError([f"{source}: expected a readable file, found {_os_reason(exc)}"]) from exc
    else:
        file = Path(path)
        name, source = file.name, str(file)
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CatalogError([f"{source}: expected a readable file, found {_os_reason(exc)}"]) from exc
    try:
        # utf-8-sig drops the BOM that spreadsheet programs put in front of "CSV UTF-8" exports.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogError(
            [
                f"{source}: expected UTF-8 text (save as 'CSV UTF-8'), "
                f"found a byte that is not UTF-8 at offset {exc.start}"
            ]
        ) from exc
    return name, source, text


def _os_reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


@dataclass(frozen=True, slots=True)
class _Row:
    where: str  # problem prefix: "catalog.csv:7" or "catalog.json:products[3]"
    line: str  # how a later duplicate cites this row: "line 7" or "products[3]"
    cells: Mapping[str, object]
    # Structural problems (wrong cell count, not an object, missing keys): the cells are not validated.
    problems: tuple[str, ...] = ()


def _csv_rows(name: str, text: str, required: tuple[str, ...], allowed: tuple[str, ...]) -> list[_Row]:
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[_Row] = []
    header: list[str] | None = None
    try:
        while True:
            # A quoted cell may span lines, so a row starts on the line after the previous row ended.
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            if header is None:
                header = _csv_header(name, cells, required, allowed)
                continue
            if not any(cell.strip() for cell in cells):
                continue  # blank lines and ",,,," rows that spreadsheets leave behind carry no data
            where = f"{name}:{line}"
            # Trailing empty cells are spreadsheet padding; anything else out of place is a broken row.
            while len(cells) > len(header) and not cells[-1].strip():
                cells.pop()
            if len(cells) != len(header):
                problem = f"{where}: row: expected {len(header)} cells (one per column), found {len(cells)}"
                rows.append(_Row(where, f"line {line}", {}, (problem,)))
                continue
            rows.append(_Row(where, f"line {line}", dict(zip(header, cells, strict=True))))
    except csv.Error as exc:
        raise CatalogError([f"{name}:{reader.line_num}: expected CSV, found {exc}"]) from exc
    if header is None:
        raise CatalogError(
            [f"{name}:1: header: expected the columns {','.join(allowed)}, found an empty file"]
        )
    return rows


def _csv_header(
    name: str, cells: list[str], required: tuple[str, ...], allowed: tuple[str, ...]
) -> list[str]:
    header = [cell.strip() for cell in cells]
    while header and not header[-1]:
        header.pop()
    problems: list[str] = []
    for column in required:
        if column not in header:
            problems.append(f"{name}:1: {column}: expected a column named {column!r}, found none")
    seen: set[str] = set()
    for column in header:
        if column not in allowed:
            problems.append(
                f"{name}:1: {column or '(empty)'}: expected only the columns {','.join(allowed)}, "
                f"found unknown column {column!r}"
            )
        elif column in seen:
            problems.append(f"{name}:1: {column}: expected each column once, found it again")
        seen.add(column)
    if problems:
        raise CatalogError(problems)
    return header


def _json_rows(name: str, text: str, columns: tuple[str, ...]) -> list[_Row]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise CatalogError([f"{name}: expected valid JSON, found {exc}"]) from exc
    expected = "expected a list of products or an object with a 'products' list"
    if isinstance(data, dict):
        if set(data) != {"products"} or not isinstance(data["products"], list):
            raise CatalogError([f"{name}: {expected}, found an object with keys {sorted(data)}"])
        data = data["products"]
    if not isinstance(data, list):
        raise CatalogError([f"{name}: {expected}, found {_shown(data)}"])
    rows: list[_Row] = []
    for index, item in enumerate(data):
        where = f"{name}:products[{index}]"
        line = f"products[{index}]"
        if not isinstance(item, dict):
            rows.append(_Row(where, line, {}, (f"{where}: row: expected an object, found {_shown(item)}",)))
            continue
        problems = [
            f"{where}: {column}: expected a {column!r} key, found none"
            for column in columns
            if column not in item
        ]
        problems += [
            f"{where}: {key}: expected only the keys {','.join(columns)}, found unknown key {key!r}"
            for key in item
            if key not in columns
        ]
        rows.append(_Row(where, line, item, tuple(problems)))
    return rows


# -- cell validation ---------------------------------------------------------------------------------

# ASCII only: \d would accept full-width and other scripts' digits that int() and Decimal() also accept.
_MONEY = re.compile(r"[0-9]{1,9}(?:\.[0-9]{1,2})?", re.ASCII)
_COUNT = re.compile(r"[0-9]{1,9}", re.ASCII)
_SKU = re.compile(r"[A-Za-z0-9_-]{1,40}", re.ASCII)
_TRUE = frozenset({"true", "yes", "y", "1", "是", "包邮"})
_FALSE = frozenset({"false", "no", "n", "0", "否", "不包邮"})


class _Bad(Exception):
    """One cell failed its check; caught per cell so every cell of a row is reported."""

    def __init__(self, expected: str, found: object):
        super().__init__(expected)
        self.expected = expected
        self.found = found


def _shown(value: object) -> str:
    """How a found value appears in a problem: quoted text, JSON literals, or what kind of thing it was."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return "nothing"
        return repr(text if len(text) <= 40 else text[:40] + "…")
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _scalar(raw: object, expected: str) -> str:
    """Cell text, trimmed. JSON numbers and booleans become the text a CSV would hold for them."""
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        # 129.0 from a spreadsheet export means 129; repr keeps 12.999 as '12.999' so it is rejected.
        return str(int(raw)) if math.isfinite(raw) and raw.is_integer() else repr(raw)
    if raw is None:
        return ""
    raise _Bad(expected, raw)


def _link(raw: object) -> int:
    expected = "a positive whole number (the product's number in the shopping bag)"
    text = _scalar(raw, expected)
    if not _COUNT.fullmatch(text) or int(text) == 0:
        raise _Bad(expected, raw)
    return int(text)


def _sku(raw: object) -> str:
    expected = "1-40 letters, digits, '_' or '-'"
    text = _scalar(raw, expected)
    if not _SKU.fullmatch(text):
        raise _Bad(expected, raw)
    return text


def _required_text(raw: object) -> str:
    text = _scalar(raw, "non-empty text")
    if not text:
        raise _Bad("non-empty text", raw)
    return text


def _optional_text(raw: object) -> str:
    return _scalar(raw, "text")


def _category(raw: object) -> str:
    expected = f"one of {', '.join(CATEGORIES)}"
    text = _scalar(raw, expected).lower()
    if text not in CATEGORIES:
        raise _Bad(expected, raw)
    return text


def _money(raw: object) -> Decimal:
    expected = "a positive number with at most 2 decimals"
    text = _scalar(raw, expected)
    if not _MONEY.fullmatch(text) or Decimal(text) == 0:
        raise _Bad(expected, raw)
    # Quantized so 99.9 from JSON and "99.90" from CSV are the same value with the same digits.
    return Decimal(text).quantize(_CENT)


def _stock(raw: object) -> int:
    expected = "a whole number, 0 or more"
    text = _scalar(raw, expected)
    if not _COUNT.fullmatch(text):
        raise _Bad(expected, raw)
    return int(text)


def _ship_hours(raw: object) -> int:
    expected = "a whole number of hours above 0"
    text = _scalar(raw, expected)
    if not _COUNT.fullmatch(text) or int(text) == 0:
        raise _Bad(expected, raw)
    return int(text)


def _boolean(raw: object) -> bool:
    expected = "true/false, yes/no, 1/0, 是/否 or 包邮/不包邮"
    text = _scalar(raw, expected).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _Bad(expected, raw)


def _items(raw: object) -> tuple[str, ...]:
    """'S|M|L' (or a JSON list) -> ('S', 'M', 'L'); empty -> (); empty or repeated items are errors."""
    expected = "items separated by '|', none empty or repeated"
    if isinstance(raw, list):
        # A '|' inside a JSON item could not be written to the CSV form, so both forms hold the same data.
        items = [_scalar(item, expected) for item in raw]
        if any("|" in item for item in items):
            raise _Bad(expected, raw)
    else:
        text = _scalar(raw, expected)
        if not text:
            return ()
        items = [item.strip() for item in text.split("|")]
    if not all(items) or len(set(items)) != len(items):
        raise _Bad(expected, raw)
    return tuple(items)


_PRODUCT_CELLS = {
    "link": _link,
    "sku": _sku,
    "name": _required_text,
    "category": _category,
    "price": _money,
    "original_price": _money,
    "stock": _stock,
    "sizes": _items,
    "colors": _items,
    "material": _optional_text,
    "ship_hours": _ship_hours,
    "free_shipping": _boolean,
    "description": _optional_text,
}


def _parse_cells(row: _Row, parsers: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    values: dict[str, Any] = {}
    problems: list[str] = []
    for column, parse in parsers.items():
        if column not in row.cells:
            continue  # optional column absent from this file's header
        raw = row.cells[column]
        try:
            values[column] = parse(raw)
        except _Bad as bad:
            problems.append(f"{row.where}: {column}: expected {bad.expected}, found {_shown(bad.found)}")
    return values, problems


def _parse_product(row: _Row) -> tuple[Product | None, list[str]]:
    values, problems = _parse_cells(row, _PRODUCT_CELLS)
    if "price" in values and "original_price" in values and values["price"] > values["original_price"]:
        problems.append(
            f"{row.where}: price: expected at most original_price {format_price(values['original_price'])}, "
            f"found {_shown(row.cells['price'])}"
        )
    if problems:
        return None, problems
    return Product(**values), []


_FAQ_CELLS = {"question": _required_text, "answer": _required_text, "keywords": _items}


def _parse_faq_entry(row: _Row) -> tuple[FaqEntry | None, list[str]]:
    values, problems = _parse_cells(row, _FAQ_CELLS)
    if problems:
        return None, problems
    return FaqEntry(**values), []
