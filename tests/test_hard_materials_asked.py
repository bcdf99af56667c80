"""Hard goods' materials asked the way viewers ask them ("3号什么木的", "是钛的吗", "is link 1 solid wood",
"ceramic or titanium"): the material column answers. A material word that only describes the product asked
about ("the stainless steel air fryer") asks nothing of its material."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.qa.intents import detect_intents
from bot.qa.text import normalize
from tests.shops import listings

ROWS = [
    '1,UK-21,21寸尤克里里 入门款,accessory,159,199,40,21寸,原木色,椴木合板面板+碳素尼龙弦,24,包邮,"入门款"',
    '2,UK-23,23寸桃花心木单板尤克里里,accessory,459,599,20,23寸,原木色,桃花心木单板面板+桃花心木背侧,24,包邮,""',
    '3,ST-8,钛金宽板直发夹 45mm,accessory,259,329,30,45mm,黑色,钛金属夹板,24,包邮,"适合粗硬长发"',
    '4,TOOL-3,园艺工具三件套,accessory,39,59,60,,绿色,铝合金+木柄,24,包邮,"铲子、耙子、移苗铲"',
]


@pytest.mark.parametrize(
    ("text", "sku", "fact"),
    [
        ("主播 2号什么木的", "UK-23", "桃花心木"),
        ("3号是钛的吗", "ST-8", "钛金属"),
        ("工具三件套是铁的吗", "TOOL-3", "铝合金"),
        ("is link 1 solid wood", "UK-21", "椴木合板"),
        ("are the plates on link 3 ceramic or titanium", "ST-8", "钛金属"),
    ],
)
def test_a_material_named_in_the_question_is_answered_by_the_material_column(
    tmp_path: Path, text: str, sku: str, fact: str
) -> None:
    answer = listings(tmp_path, ROWS).answer(text)
    assert answer.answered and answer.intent == "material" and answer.sku == sku
    assert fact in answer.text


@pytest.mark.parametrize(
    "text",
    [
        "is the stainless steel air fryer dishwasher safe",
        "is the big plastic watering can free shipping",
        "是新款的吗",
    ],
)
def test_a_material_that_describes_the_product_asks_nothing_of_its_material(text: str) -> None:
    assert "material" not in detect_intents(normalize(text)).names
