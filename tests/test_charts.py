"""Size charts in listing text: one size's value for one measure, in each way listings write charts."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalog import Catalog, load_catalog
from bot.qa.answerer import Answerer
from bot.qa.answers import asked_sizes
from bot.qa.charts import chart_answer, chart_value
from bot.qa.text import normalize

HEADER = "link,sku,name,category,price,original_price,stock,sizes,colors,material,ship_hours,free_shipping,description"
ROWS = [
    # A row per size.
    '1,KNIT,羊绒圆领毛衣 Cashmere Crewneck,pullover,599,1299,36,S|M|L|XL,燕麦色,100%山羊绒,48,包邮,"尺码表(cm)：'
    'S 胸围96 衣长58 袖长55；M 胸围100 衣长60 袖长56；L 胸围104 衣长62 袖长57；XL 胸围108 衣长63 袖长58。"',
    # A row per measure, sizes with their values.
    '2,CHINO,弹力休闲卡其裤,trouser,45,69,19,28|30|32,卡其,97%棉 3%氨纶,48,包邮,"直筒微锥。腰围：28码72cm，30码77cm，'
    '32码82cm。裤长102cm。"',
    # The size inside each measure; ranges.
    '3,SHELL,轻薄风衣 Wind Shell,coat,199,259,10,S|M|L,黑色,锦纶,48,包邮,"胸围M码112cm，衣长M码70cm。'
    '腰围S 62-66 M 66-70 L 70-74cm"',
    # The chart gives M two different chests: no value.
    '4,ODD,双版型T恤,tshirt,59,79,10,S|M,白色,棉,48,包邮,"修身版 M 胸围96；宽松版 M 胸围110"',
    # Rows without separators: the next size ends a row.
    '5,PUFF,面包羽绒服,coat,599,999,33,S|M|L,黑色,90%白鸭绒,48,包邮,"尺码(cm) S 衣长64 胸围120 M 衣长66 L 衣长68 胸围128"',
]


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    (tmp_path / "catalog.csv").write_text(HEADER + "\n" + "\n".join(ROWS) + "\n", encoding="utf-8")
    return load_catalog(tmp_path / "catalog.csv")


@pytest.mark.parametrize(
    ("sku", "size", "written", "value"),
    [
        ("KNIT", "XL", "胸围", "108"),
        ("KNIT", "M", "袖长", "56"),
        ("KNIT", "S", "衣长", "58"),
        ("CHINO", "32", "腰围", "82cm"),
        ("CHINO", "28", "腰围", "72cm"),
        ("SHELL", "M", "胸围", "112cm"),
        ("SHELL", "M", "衣长", "70cm"),
        ("SHELL", "L", "腰围", "70-74cm"),  # a range whole, never its "7"
        ("ODD", "M", "胸围", ""),  # two values for one size: none
        ("PUFF", "M", "胸围", ""),  # M's row has no chest; L's is not M's
        ("PUFF", "L", "胸围", "128"),
        ("CHINO", "30", "臀围", ""),  # a measure the chart does not have
    ],
)
def test_the_chart_gives_one_value_or_none(
    catalog: Catalog, sku: str, size: str, written: str, value: str
) -> None:
    product = catalog.by_sku(sku)
    assert product is not None
    assert chart_value(product, size, written) == value


@pytest.mark.parametrize(
    ("sku", "text", "said"),
    [
        ("KNIT", "１号XL胸围多少", "XL码胸围108"),
        ("KNIT", "1号M码衣长多少", "M码衣长60"),
        ("KNIT", "how long is link 1 in L", "size L: length 62"),
        ("CHINO", "卡其裤32码腰围多少", "32码腰围82cm"),
        ("CHINO", "waist of size 30 on link 2", "size 30: waist 77cm"),
        ("KNIT", "1号胸围多少", ""),  # no size asked: the one value is not there to give
        ("KNIT", "1号XXL胸围多少", ""),  # a size the product does not come in
        ("KNIT", "1号S码和M码胸围多少", ""),  # two sizes: the rest of the answerer
    ],
)
def test_one_size_and_one_measure_asked_get_the_cell(
    catalog: Catalog, sku: str, text: str, said: str
) -> None:
    product = catalog.by_sku(sku)
    assert product is not None
    normalized = normalize(text)
    lang = "en" if normalized.isascii() else "zh"
    assert chart_answer(product, normalized, asked_sizes(normalized), lang) == said


def test_the_answerer_answers_a_chart_cell(catalog: Catalog) -> None:
    answerer = Answerer(catalog, seed=0)
    answer = answerer.answer("1号XL胸围多少")
    assert answer.answered and answer.sku == "KNIT"
    assert "108" in answer.text and "96" not in answer.text and "104" not in answer.text
    english = answerer.answer("#2 waist for size 28")
    assert english.answered and english.sku == "CHINO" and "72cm" in english.text and "77" not in english.text
