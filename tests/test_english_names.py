"""English-writing viewers in a shop whose names are Chinese: the dictionary's English names of a name's head
words ("枕套" -> pillowcase) and the pinyin of its words ("盖碗" -> gaiwan) say which products they mean, and
only where the viewer's other words fit the product too."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.qa.answerer import Answerer
from bot.qa.glosses import english_names, is_word
from tests.shops import listings

ROWS = [
    '1,PC-22,22姆米桑蚕丝枕套 单只,accessory,239,299,30,48x74cm,香槟|黑色,100%桑蚕丝,24,包邮,"48x74cm信封式"',
    '2,PC-19,19姆米桑蚕丝枕套 单只 入门款,accessory,169,199,0,48x74cm,香槟,100%桑蚕丝,24,包邮,"入门款"',
    '3,PL-BW,荞麦壳枕头 中式老枕,accessory,69,99,12,48x74cm,米白,荞麦壳,24,包邮,"硬度偏高"',
    '4,RG-01,S925银素圈戒指 光面简约款,accessory,89,129,50,6号|8号,银色,S925银,24,包邮,"光面"',
    '5,GW-01,德化白瓷 盖碗,accessory,68,88,40,150ml,白色,白瓷,72,包邮,"150ml"',
    '6,WK-01,章丘手工铁锅 平底款,accessory,188,268,20,32cm,黑色,铸铁,48,包邮,"无涂层"',
    '7,EM-01,桑蚕丝眼罩 午睡遮光,accessory,59,79,25,,香槟,100%桑蚕丝,24,否,"可调节松紧带"',
]


@pytest.fixture
def answerer(tmp_path: Path) -> Answerer:
    return listings(tmp_path, ROWS)


def test_the_dictionary_names_product_words_and_leaves_out_what_names_no_kind() -> None:
    assert "pillowcase" in english_names("枕套")
    assert "necklace" in english_names("项链")
    assert "date" not in english_names("红枣")  # "delivery date" is no red date
    assert is_word("盖碗") and not is_word("被冬")


@pytest.mark.parametrize(
    ("text", "skus"),
    [
        ("how much is the silk eye mask", {"EM-01"}),
        ("how much are the silk pillowcases", {"PC-22", "PC-19"}),  # two fit: both, with their links
        ("does the eye mask ship free", {"EM-01"}),
        ("how much is the buckwheat pillow", {"PL-BW"}),  # its other word is the dictionary's for 荞麦
    ],
)
def test_an_english_kind_names_the_chinese_named_products_of_that_kind(
    answerer: Answerer, text: str, skus: set[str]
) -> None:
    answer = answerer.answer(text)
    assert answer.answered
    links = {f"link {answerer.catalog.by_sku(sku).link}" for sku in skus}  # type: ignore[union-attr]
    assert all(link in answer.text.lower() for link in links)
    assert answer.sku == (next(iter(skus)) if len(skus) == 1 else None)


@pytest.mark.parametrize(
    "text",
    [
        "whats the latex pillow made of",  # the shop's one pillow is buckwheat: "latex" does not fit it
        "do u have the cat ring in stock",  # the plain silver ring is no cat ring
    ],
)
def test_a_word_the_product_does_not_fit_keeps_the_kind_from_naming_it(answerer: Answerer, text: str) -> None:
    answer = answerer.answer(text)
    assert answer.sku is None
    assert "荞麦" not in answer.text and "素圈" not in answer.text


@pytest.mark.parametrize(
    ("text", "sku"),
    [("what does the gaiwan cost", "GW-01"), ("are the gaiwans free shipping", "GW-01")],
)
def test_a_chinese_word_typed_in_pinyin_names_its_product(answerer: Answerer, text: str, sku: str) -> None:
    answer = answerer.answer(text)
    assert answer.answered and answer.sku == sku


def test_a_spelling_the_shop_writes_in_a_name_names_only_that_name(tmp_path: Path) -> None:
    answerer = listings(
        tmp_path,
        [
            '1,LJ-1,西湖龙井 明前 West Lake Longjing,accessory,298,398,30,100g,绿色,绿茶,24,包邮,"明前"',
            '2,LJ-2,龙井 雨前 口粮茶,accessory,158,198,30,250g,绿色,绿茶,24,包邮,"雨前"',
        ],
    )
    answer = answerer.answer("how much is the west lake longjing")
    assert answer.answered and answer.sku == "LJ-1"


def test_a_colour_beside_a_dictionary_kind_is_read_from_the_colour_column(answerer: Answerer) -> None:
    # "black" is no word of the names: the colour column says which pillowcase comes in black.
    answer = answerer.answer("black pillowcase price")
    assert answer.answered and answer.sku == "PC-22"
    assert "239" in answer.text
