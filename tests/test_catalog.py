"""Catalog and FAQ loading: the demo data, every validation rule, and the file-level failures."""

from __future__ import annotations

import csv
import json
import pickle
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.catalog import (
    CATALOG_COLUMNS,
    CATEGORIES,
    CATEGORY_NAMES_EN,
    CATEGORY_NAMES_ZH,
    FASHION_MNIST_CATEGORIES,
    Catalog,
    CatalogError,
    Faq,
    Product,
    demo_catalog_path,
    demo_faq_path,
    format_price,
    load_catalog,
    load_faq,
)

DATA = Path(__file__).parent / "data"


def good_row(**changes: str) -> dict[str, str]:
    row = {
        "link": "1",
        "sku": "TS01",
        "name": "纯棉白T恤",
        "category": "tshirt",
        "price": "69",
        "original_price": "99",
        "stock": "10",
        "sizes": "S|M|L",
        "colors": "白色|黑色",
        "material": "纯棉",
        "ship_hours": "24",
        "free_shipping": "false",
        "description": "宽松版型。",
    }
    row.update(changes)
    return row


def write_csv(path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = CATALOG_COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def three_rows(tmp_path: Path, **bad: str) -> Path:
    """Good row on line 2, the row under test on line 3, good row on line 4."""
    rows = [
        good_row(link="1", sku="A1"),
        {**good_row(link="2", sku="B2"), **bad},
        good_row(link="3", sku="C3"),
    ]
    return write_csv(tmp_path / "catalog.csv", rows)


# -- the demo data -------------------------------------------------------------------------------------


def test_demo_catalog_loads_without_problems() -> None:
    catalog = load_catalog(strict=True)
    assert catalog.problems == ()
    assert len(catalog) >= 40
    assert catalog.source == str(demo_catalog_path())
    assert [p.link for p in catalog] == list(range(1, len(catalog) + 1))
    assert len({p.sku for p in catalog}) == len(catalog)
    counts = Counter(p.category for p in catalog)
    assert all(counts[c] >= 3 for c in FASHION_MNIST_CATEGORIES), counts
    assert set(counts) == set(CATEGORIES)


def test_demo_catalog_holds_the_cases_the_bot_must_handle() -> None:
    catalog = load_catalog()
    black_dresses = [p for p in catalog.by_category("dress") if "黑色" in p.colors]
    assert len({p.link for p in black_dresses}) >= 2
    assert any(p.stock == 0 for p in catalog)
    assert any(1 <= p.stock <= 5 for p in catalog)
    assert any(p.price == p.original_price for p in catalog)
    assert {p.free_shipping for p in catalog} == {True, False}
    assert {p.ship_hours for p in catalog} == {24, 48, 72}
    assert all(Decimal(39) <= p.price <= Decimal(899) for p in catalog)
    assert len(catalog.in_stock()) == sum(p.stock > 0 for p in catalog)


def test_demo_catalog_agrees_with_the_faq_free_shipping_rule() -> None:
    # The FAQ promises free shipping from 99 yuan; a product at or above it marked paid would contradict it.
    faq = load_faq()
    assert any("满99元包邮" in e.answer for e in faq)
    assert all(p.free_shipping for p in load_catalog() if p.price >= 99)


def test_demo_faq_loads() -> None:
    faq = load_faq(strict=True)
    assert faq.problems == ()
    assert faq.source == str(demo_faq_path())
    assert len(faq) >= 20
    assert all(e.question and e.answer and e.keywords for e in faq)
    text = "".join(e.question + e.answer for e in faq)
    for topic in ("发货", "快递", "包邮", "新疆", "7天无理由", "运费险", "发票", "尺码", "优惠券", "积分"):
        assert topic in text


def test_category_words_are_unambiguous() -> None:
    assert CATEGORIES[:10] == FASHION_MNIST_CATEGORIES
    assert len(set(CATEGORIES)) == len(CATEGORIES) == 18
    for names in (CATEGORY_NAMES_ZH, CATEGORY_NAMES_EN):
        assert set(names) == set(CATEGORIES)
        words = [w.casefold() for ws in names.values() for w in ws]
        assert all(words)
        assert len(words) == len(set(words)), Counter(words).most_common(3)
    assert "连衣裙" in CATEGORY_NAMES_ZH["dress"]
    assert "小白鞋" in CATEGORY_NAMES_ZH["sneaker"]
    assert "包" not in CATEGORY_NAMES_ZH["bag"]  # it would match every 包邮 question


# -- formats -------------------------------------------------------------------------------------------


def json_product(product: Product) -> dict[str, Any]:
    # Numbers as numbers and lists as lists, as a JSON export would write them.
    record = product.record()
    record["free_shipping"] = "是" if product.free_shipping else "否"
    return record


@pytest.mark.parametrize("wrapped", [False, True])
def test_json_and_csv_load_to_equal_catalogs(tmp_path: Path, wrapped: bool) -> None:
    csv_catalog = load_catalog()
    products = [json_product(p) for p in csv_catalog]
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({"products": products} if wrapped else products, ensure_ascii=False), "utf-8")
    json_catalog = load_catalog(path, strict=True)
    assert json_catalog.products == csv_catalog.products
    assert json_catalog.records() == csv_catalog.records()


def test_bom_and_crlf_are_tolerated(tmp_path: Path) -> None:
    text = demo_catalog_path().read_text("utf-8").replace("\n", "\r\n")
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_catalog(path, strict=True).products == load_catalog().products


def test_faq_with_bom_and_without_keywords(tmp_path: Path) -> None:
    path = tmp_path / "faq.csv"
    path.write_bytes("\ufeffquestion,answer\n包邮吗？,满99元包邮。\n".encode())
    faq = load_faq(path, strict=True)
    assert faq.problems == ()
    assert isinstance(faq, Faq)
    assert faq.entries[0].keywords == ()


def test_multiline_cell_keeps_line_numbers_right(tmp_path: Path) -> None:
    rows = [
        good_row(link="1", sku="A1", description="第一行\n第二行"),
        good_row(link="2", sku="B2", price="x"),
    ]
    catalog = load_catalog(write_csv(tmp_path / "catalog.csv", rows))
    assert catalog.products[0].description == "第一行\n第二行"
    assert catalog.problems[0].startswith("catalog.csv:4: price:")


def test_blank_lines_and_trailing_empty_cells_are_ignored(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "catalog.csv", [good_row()])
    path.write_text(path.read_text("utf-8").replace("\n", ",,\n") + "\n,,,,\n", "utf-8")
    catalog = load_catalog(path, strict=True)
    assert len(catalog) == 1


# -- validation, row by row ---------------------------------------------------------------------------

BAD_CELLS = [
    ("category", "hoodies", "expected one of tshirt, trouser", "'hoodies'"),
    ("category", "", "expected one of", "nothing"),
    ("price", "129", "expected at most original_price 99", "'129'"),
    ("price", "0", "positive number with at most 2 decimals", "'0'"),
    ("price", "12.999", "positive number with at most 2 decimals", "'12.999'"),
    ("price", "¥69", "positive number", "'¥69'"),
    ("price", "６９", "positive number", "'６９'"),
    ("original_price", "-5", "positive number", "'-5'"),
    ("stock", "-1", "a whole number, 0 or more", "'-1'"),
    ("stock", "2.5", "a whole number", "'2.5'"),
    ("free_shipping", "maybe", "true/false, yes/no, 1/0, 是/否 or 包邮/不包邮", "'maybe'"),
    ("name", "  ", "non-empty text", "nothing"),
    ("sku", "TS 01", "letters, digits", "'TS 01'"),
    ("sku", "X" * 41, "letters, digits", "'XXXX"),
    ("link", "0", "positive whole number", "'0'"),
    ("link", "3号", "positive whole number", "'3号'"),
    ("ship_hours", "0", "above 0", "'0'"),
    ("sizes", "S||M", "separated by '|'", "'S||M'"),
    ("colors", "黑色|黑色", "none empty or repeated", "'黑色|黑色'"),
]


@pytest.mark.parametrize(("column", "value", "expected", "found"), BAD_CELLS)
def test_a_bad_cell_is_reported_and_only_its_row_skipped(
    tmp_path: Path, column: str, value: str, expected: str, found: str
) -> None:
    catalog = load_catalog(three_rows(tmp_path, **{column: value}))
    assert [p.sku for p in catalog] == ["A1", "C3"]
    assert len(catalog.problems) == 1
    problem = catalog.problems[0]
    assert problem.startswith(f"catalog.csv:3: {column}: expected ")
    assert expected in problem
    assert f"found {found}" in problem


def test_every_bad_cell_of_a_row_is_reported(tmp_path: Path) -> None:
    catalog = load_catalog(three_rows(tmp_path, price="abc", stock="-1", category="robe"))
    assert [p.split(":")[2].strip() for p in catalog.problems] == ["category", "price", "stock"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        *[("true", True), ("FALSE", False), ("Yes", True), ("no", False), ("1", True), ("0", False)],
        *[("是", True), ("否", False), ("包邮", True), ("不包邮", False), (" 包邮 ", True)],
    ],
)
def test_free_shipping_spellings(tmp_path: Path, text: str, value: bool) -> None:
    catalog = load_catalog(write_csv(tmp_path / "c.csv", [good_row(free_shipping=text)]), strict=True)
    assert catalog.products[0].free_shipping is value


def test_cells_are_trimmed_and_normalised(tmp_path: Path) -> None:
    row = good_row(
        sku=" A1 ",
        category=" Dress ",
        price="99.9",
        original_price="129",
        sizes=" S | M ",
        colors="",
        material="",
    )
    product = load_catalog(write_csv(tmp_path / "c.csv", [row]), strict=True).products[0]
    assert (product.sku, product.category, product.sizes, product.colors) == ("A1", "dress", ("S", "M"), ())
    assert str(product.price) == "99.90"


def test_duplicate_link_and_sku_make_the_later_row_the_problem(tmp_path: Path) -> None:
    rows = [
        good_row(link="1", sku="A1"),
        good_row(link="2", sku="B2"),
        good_row(link="2", sku="C3"),
        good_row(link="4", sku="a1"),
    ]
    catalog = load_catalog(write_csv(tmp_path / "catalog.csv", rows))
    assert [p.sku for p in catalog] == ["A1", "B2"]
    assert catalog.problems == (
        "catalog.csv:4: link: expected a link number used once, found duplicate link 2, first used on line 3",
        "catalog.csv:5: sku: expected a sku used once, found duplicate sku 'a1', first used on line 2",
    )


def test_a_duplicate_of_a_skipped_row_is_kept(tmp_path: Path) -> None:
    # The broken first claimant is reported; the valid later row does not pay for it.
    rows = [good_row(link="1", sku="A1", price="x"), good_row(link="1", sku="A1")]
    catalog = load_catalog(write_csv(tmp_path / "catalog.csv", rows))
    assert [p.sku for p in catalog] == ["A1"]
    assert len(catalog.problems) == 1


def test_a_row_with_the_wrong_number_of_cells(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "catalog.csv", [good_row(link="1", sku="A1")])
    with path.open("a", encoding="utf-8") as f:
        f.write("2,B2,短了一格\n")
    catalog = load_catalog(path)
    assert len(catalog) == 1
    assert catalog.problems == ("catalog.csv:3: row: expected 13 cells (one per column), found 3",)


def test_strict_raises_with_every_problem(tmp_path: Path) -> None:
    rows = [
        good_row(link="1", sku="A1", price="0"),
        good_row(link="2", sku="B2"),
        good_row(link="1", sku="C3"),
    ]
    path = write_csv(tmp_path / "catalog.csv", rows)
    with pytest.raises(CatalogError) as info:
        load_catalog(path, strict=True)
    assert [p[: p.index(": expected")] for p in info.value.problems] == ["catalog.csv:2: price"]
    assert "catalog.csv:2: price" in str(info.value)
    rows[1] = good_row(link="2", sku="B2", stock="many")
    with pytest.raises(CatalogError) as info:
        load_catalog(write_csv(path, rows), strict=True)
    assert len(info.value.problems) == 2
    assert all(p in str(info.value) for p in info.value.problems)
    assert len(load_catalog(path).problems) == 2  # the same file loads non-strictly


# -- validation, file level ---------------------------------------------------------------------------


def test_missing_header_column_is_always_an_error(tmp_path: Path) -> None:
    columns = tuple(c for c in CATALOG_COLUMNS if c != "price")
    row = {c: v for c, v in good_row().items() if c != "price"}
    with pytest.raises(CatalogError) as info:
        load_catalog(write_csv(tmp_path / "catalog.csv", [row], columns))
    assert info.value.problems == ["catalog.csv:1: price: expected a column named 'price', found none"]


def test_unknown_and_repeated_header_columns_are_errors(tmp_path: Path) -> None:
    path = tmp_path / "catalog.csv"
    path.write_text(",".join((*CATALOG_COLUMNS, "colour", "sku")) + "\n", "utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert info.value.problems[0].startswith("catalog.csv:1: colour: expected only the columns link,sku,")
    assert info.value.problems[1] == "catalog.csv:1: sku: expected each column once, found it again"


def test_bad_fixture_file_reports_each_row() -> None:
    catalog = load_catalog(DATA / "bad_catalog.csv")
    assert [p.sku for p in catalog] == ["OK01", "OK02"]
    where = sorted({p.split(": ")[0] + ": " + p.split(": ")[1] for p in catalog.problems})
    assert where == [
        "bad_catalog.csv:3: category",
        "bad_catalog.csv:4: price",
        "bad_catalog.csv:5: free_shipping",
        "bad_catalog.csv:7: link",
    ]


@pytest.mark.parametrize(
    "content", ["", ",".join(CATALOG_COLUMNS) + "\n", ",".join(CATALOG_COLUMNS) + "\n\n"]
)
def test_a_file_without_products_raises(tmp_path: Path, content: str) -> None:
    path = tmp_path / "catalog.csv"
    path.write_text(content, "utf-8")
    with pytest.raises(CatalogError, match=r"catalog\.csv"):
        load_catalog(path)


def test_a_file_without_valid_products_raises_with_the_row_problems(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "catalog.csv", [good_row(price="free")])
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert info.value.problems[0].startswith("catalog.csv:2: price:")
    assert info.value.problems[-1] == "catalog.csv: expected at least one valid product, found none"


def test_unreadable_files_raise_naming_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    with pytest.raises(CatalogError, match=r"nope\.csv"):
        load_catalog(missing)
    with pytest.raises(CatalogError, match=r"nope\.csv"):
        load_faq(missing)
    with pytest.raises(CatalogError, match=tmp_path.name):
        load_catalog(tmp_path)
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes((",".join(CATALOG_COLUMNS) + "\n1,A1,白T恤\n").encode("gbk"))
    with pytest.raises(CatalogError, match=r"gbk\.csv: expected UTF-8 text"):
        load_catalog(gbk)


def test_a_cell_past_the_csv_field_limit_raises_naming_the_line(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "catalog.csv", [good_row(), good_row(link="2", sku="B2", description="x" * 200_000)]
    )
    with pytest.raises(CatalogError, match=r"catalog\.csv:3: expected CSV"):
        load_catalog(path)


@pytest.mark.parametrize("content", ["{", "[1,", '{"items": []}', '"products"', "{" * 100_000])
def test_invalid_json_raises_naming_the_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(content, "utf-8")
    with pytest.raises(CatalogError, match=r"catalog\.json"):
        load_catalog(path)


def test_json_rows_are_named_by_their_path(tmp_path: Path) -> None:
    good = {**good_row(link="1", sku="A1"), "price": 69, "stock": 10, "sizes": ["S", 36]}
    items: list[Any] = [
        good,
        {**good, "link": 2, "sku": "B2", "price": 12.999},
        ["not", "an", "object"],
        {k: v for k, v in good.items() if k != "stock"} | {"link": 4, "sku": "D4", "colour": "红"},
        {**good, "link": 5, "sku": "E5", "price": True, "free_shipping": None, "sizes": [""]},
        {**good, "link": 1, "sku": "F6"},
    ]
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(items, ensure_ascii=False), "utf-8")
    catalog = load_catalog(path)
    assert [p.sku for p in catalog] == ["A1"]
    assert catalog.products[0].sizes == ("S", "36")
    assert catalog.problems == (
        "catalog.json:products[1]: price: expected a positive number with at most 2 decimals, found 12.999",
        "catalog.json:products[2]: row: expected an object, found a list",
        "catalog.json:products[3]: stock: expected a 'stock' key, found none",
        "catalog.json:products[3]: colour: expected only the keys link,sku,name,category,price,original_price,"
        "stock,sizes,colors,material,ship_hours,free_shipping,description, found unknown key 'colour'",
        "catalog.json:products[4]: price: expected a positive number with at most 2 decimals, found true",
        "catalog.json:products[4]: sizes: expected items separated by '|', none empty or repeated, found a list",
        "catalog.json:products[4]: free_shipping: expected true/false, yes/no, 1/0, 是/否 or 包邮/不包邮, "
        "found null",
        "catalog.json:products[5]: link: expected a link number used once, found duplicate link 1, "
        "first used on products[0]",
    )


# -- FAQ validation -------------------------------------------------------------------------------------


def test_faq_rows_are_validated(tmp_path: Path) -> None:
    rows = [
        {"question": "包邮吗？", "answer": "满99元包邮。", "keywords": "包邮|运费"},
        {"question": "发票？", "answer": " ", "keywords": ""},
        {"question": "包邮吗？", "answer": "不包邮。", "keywords": ""},
        {"question": "退货？", "answer": "7天无理由。", "keywords": "退货||退换"},
        {"question": "客服？", "answer": "9:00到23:00。", "keywords": ""},
    ]
    path = write_csv(tmp_path / "faq.csv", rows, ("question", "answer", "keywords"))
    faq = load_faq(path)
    assert [e.question for e in faq] == ["包邮吗？", "客服？"]
    assert faq.entries[0].keywords == ("包邮", "运费")
    assert [p.split(": ")[0:2] for p in faq.problems] == [
        ["faq.csv:3", "answer"],
        ["faq.csv:4", "question"],
        ["faq.csv:5", "keywords"],
    ]
    with pytest.raises(CatalogError) as info:
        load_faq(path, strict=True)
    assert len(info.value.problems) == 3


@pytest.mark.parametrize("header", ["question\n", "question,answer,tags\n", "q,a\n"])
def test_faq_header_errors_raise(tmp_path: Path, header: str) -> None:
    path = tmp_path / "faq.csv"
    path.write_text(header + "包邮吗？,满99元包邮。\n", "utf-8")
    with pytest.raises(CatalogError, match=r"faq\.csv:1: "):
        load_faq(path)


# -- values ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("129"), "129"),
        (Decimal("129.00"), "129"),
        (Decimal("99.9"), "99.90"),
        (Decimal("99.90"), "99.90"),
        (Decimal("0.5"), "0.50"),
        (Decimal("1E+3"), "1000"),
        (Decimal("2.005"), "2.01"),
        (Decimal("99.999"), "100"),
        (39, "39"),
    ],
)
def test_format_price(value: Decimal, text: str) -> None:
    assert format_price(value) == text


def test_product_properties_and_record() -> None:
    catalog = load_catalog()
    product = catalog.by_link(1)
    assert product is not None
    assert catalog.by_sku(product.sku.lower()) is product
    assert catalog.by_sku("NOPE") is None
    assert catalog.by_link(999) is None
    assert product.saving == product.original_price - product.price
    assert product.discount_ratio == product.price / product.original_price
    sold_out = next(p for p in catalog if p.stock == 0)
    assert not sold_out.in_stock
    assert sold_out not in catalog.in_stock()
    record = product.record()
    assert set(record) == set(CATALOG_COLUMNS)
    assert isinstance(record["price"], float)
    assert isinstance(record["sizes"], list)
    records = catalog.records()
    assert list(records) == [p.sku for p in catalog]
    assert json.loads(json.dumps(records, ensure_ascii=False)) == records


def test_seventy_percent_is_a_ratio_of_point_seven(tmp_path: Path) -> None:
    product = load_catalog(
        write_csv(tmp_path / "c.csv", [good_row(price="70", original_price="100")])
    ).products[0]
    assert product.discount_ratio == Decimal("0.7")
    assert product.saving == Decimal(30)


def test_hand_built_catalog_rejects_duplicates() -> None:
    product = load_catalog().products[0]
    assert len(Catalog((product,))) == 1
    with pytest.raises(ValueError, match="duplicate sku"):
        Catalog((product, product))


def test_catalog_error_survives_pickling() -> None:
    error = pickle.loads(pickle.dumps(CatalogError(["a.csv:2: price: expected x, found y"])))
    assert error.problems == ["a.csv:2: price: expected x, found y"]
    assert isinstance(error, ValueError)


# -- whatever a cell holds, the loader reports rather than crashes --------------------------------------

ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=60)
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
    max_leaves=6,
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cells=st.fixed_dictionaries({c: ANY_TEXT for c in CATALOG_COLUMNS}),
    column=st.sampled_from(CATALOG_COLUMNS),
)
def test_arbitrary_cell_text_never_crashes_the_loader(
    scratch: Path, cells: dict[str, str], column: str
) -> None:
    # One fuzzed cell in an otherwise good row, then a whole fuzzed row: each is loaded or reported.
    rows = [good_row(link="1", sku="GOOD"), {**good_row(link="2", sku="ONE"), column: cells[column]}, cells]
    path = write_csv(scratch / "fuzz.csv", rows)
    catalog = load_catalog(path)
    assert catalog.by_sku("GOOD") is not None
    # The one-cell row starts on line 3 (the good row has no line breaks): it loaded or is reported.
    assert len(catalog) >= 2 or any(p.startswith("fuzz.csv:3: ") for p in catalog.problems)
    if catalog.problems:
        with pytest.raises(CatalogError):
            load_catalog(path, strict=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.fixed_dictionaries({c: ANY_JSON for c in CATALOG_COLUMNS}), entry=ANY_JSON)
def test_arbitrary_json_values_never_crash_the_loader(
    scratch: Path, values: dict[str, Any], entry: Any
) -> None:
    good = good_row(link="1", sku="GOOD")
    path = scratch / "fuzz.json"
    path.write_text(json.dumps([good, values, entry]), "utf-8")
    catalog = load_catalog(path)
    assert catalog.by_sku("GOOD") is not None
