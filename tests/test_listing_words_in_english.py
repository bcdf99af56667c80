"""An English question about a fact a Chinese listing states: each of the question's words must be in the one
segment quoted, said in English or by a Chinese word whose dictionary senses use it ("tent" of 帐篷, "boil"
of 煮沸, "latex" of 乳胶). Where no one segment holds them all, or a number the viewer gave is not in it,
the bot stays silent."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.qa.answerer import Answerer
from tests.shops import listings

ROWS = [
    '1,LAMP-GAS,户外气灯 Gas Lantern,accessory,129,169,20,,黑色,铝合金,48,包邮,"亮度约200流明。严禁在帐篷内使用，注意通风"',
    '2,BT-240,PPSU宽口奶瓶 240ml,accessory,129,159,40,240ml,透明,PPSU,24,包邮,"耐热180度，可以煮沸和蒸汽消毒"',
    '3,RING-5,乳胶弹力圈 5件套,accessory,39,59,80,,彩色,天然乳胶,24,包邮,"五种阻力。乳胶过敏的人请选布艺款"',
    "4,POLO-K,儿童Polo衫 Kids Polo,accessory,99,129,30,110|120|130,白色,棉,24,包邮,"
    '"尺码按身高选：110码适合身高100-110cm，其他码数请咨询客服"',
    "5,TABLE-90,蛋卷桌 90cm 铝合金 Egg Roll Table,accessory,219,299,28,90×60cm,银色,铝合金,24,包邮,"
    '"高度可调45cm/70cm两档，承重30kg"',
]


@pytest.fixture
def answerer(tmp_path: Path) -> Answerer:
    return listings(tmp_path, ROWS)


@pytest.mark.parametrize(
    ("text", "sku", "quoted"),
    [
        ("can I use the gas lantern inside my tent", "LAMP-GAS", "严禁在帐篷内使用"),
        ("can I boil link 2", "BT-240", "煮沸"),
        ("is link 3 latex? im allergic", "RING-5", "乳胶过敏"),
        # A slash between two measures is one fact: both heights are quoted.
        ("is the height of the egg roll table adjustable", "TABLE-90", "45cm/70cm"),
    ],
)
def test_the_segment_saying_every_word_in_chinese_is_quoted(
    answerer: Answerer, text: str, sku: str, quoted: str
) -> None:
    answer = answerer.answer(text)
    assert answer.answered and answer.sku == sku
    assert quoted in answer.text


@pytest.mark.parametrize(
    "text",
    [
        "can I use the gas lantern on a boat",  # no segment says boat
        "kids polo 140 fits what height",  # the one segment on height is the 110 row: not for a 140
    ],
)
def test_no_segment_holding_every_word_and_number_means_silence(answerer: Answerer, text: str) -> None:
    answer = answerer.answer(text)
    assert not answer.answered
