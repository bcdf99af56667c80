"""Several products fit a question's kind word; what else the viewer said picks among them: a measure one
name states ("the 120cm table", "乳胶床垫10cm"), or an English word that one name says or whose Chinese word
the dictionary calls so ("the baby bangle" of 宝宝银手镯). Where nothing tells them apart the candidates
are listed, as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.qa.answerer import Answerer
from tests.shops import listings

ROWS = [
    '1,TB-90,蛋卷桌 90cm 铝合金 Egg Roll Table,accessory,219,299,28,90×60cm,银色,铝合金,24,包邮,"桌面90×60cm"',
    '2,TB-120,蛋卷桌 120cm 铝合金 Egg Roll Table,accessory,289,389,11,120×60cm,银色,铝合金,24,包邮,"桌面120×60cm"',
    '3,MT-5,天然乳胶床垫 5cm 床褥,accessory,899,1299,9,1.5m|1.8m,白色,天然乳胶,48,包邮,"5cm"',
    '4,MT-10,天然乳胶床垫 10cm 加厚,accessory,1599,1999,6,1.5m|1.8m,白色,天然乳胶,48,包邮,"10cm"',
    '5,BR-01,S925银转运珠手链,accessory,149,199,40,16cm,银色,S925银,24,包邮,"转运珠"',
    '6,BR-02,宝宝银手镯 S999足银 带铃铛,accessory,199,259,30,40mm|45mm,银色,S999银,24,包邮,"内径40mm"',
    '7,NK-01,月亮星星项链 S925银 双层,accessory,159,199,70,45cm,银色,S925银,24,包邮,"双层"',
    '8,NK-02,S925银字母项链 A-Z可选,accessory,139,169,25,45cm,银色|金色,S925银,24,包邮,"字母"',
    '9,DC-1080,行车记录仪 1080P 单镜头,accessory,199,259,50,,黑色,ABS,24,包邮,"1080P"',
    '10,DC-4K,4K行车记录仪 前后双录,accessory,499,599,20,,黑色,ABS,24,包邮,"4K"',
]


@pytest.fixture
def answerer(tmp_path: Path) -> Answerer:
    return listings(tmp_path, ROWS)


@pytest.mark.parametrize(
    ("text", "sku", "fact"),
    [
        ("how much is the 120cm egg roll table", "TB-120", "289"),
        ("120cm的蛋卷桌多少钱", "TB-120", "289"),
        ("乳胶床垫10cm多少钱", "MT-10", "1599"),
        ("行车记录仪4k那个多少钱", "DC-4K", "499"),
        ("how much is the 1080p dash cam", "DC-1080", "199"),
    ],
)
def test_a_measure_one_name_states_picks_that_product(
    answerer: Answerer, text: str, sku: str, fact: str
) -> None:
    answer = answerer.answer(text)
    assert answer.answered and answer.sku == sku
    assert fact in answer.text


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("how much is the baby bangle", "BR-02"),  # 宝宝 is "baby" in the dictionary
        ("is the moon and star necklace in stock", "NK-01"),
        ("does the letter necklace come in gold", "NK-02"),
    ],
)
def test_an_english_word_of_one_chinese_name_picks_that_product(
    answerer: Answerer, text: str, sku: str
) -> None:
    answer = answerer.answer(text)
    assert answer.answered and answer.sku == sku


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("how much is the egg roll table", ("link 1", "link 2")),  # nothing tells them apart: both, by link
        ("latex mattress price", ("link 3", "link 4")),
        ("how much is the silver necklace", ("link 7", "link 8")),  # both are silver
        ("how much is the 200cm egg roll table", ("link 1", "link 2")),  # a measure neither states
    ],
)
def test_words_every_candidate_or_none_holds_leave_the_list(
    answerer: Answerer, text: str, links: tuple[str, ...]
) -> None:
    answer = answerer.answer(text)
    assert answer.answered and answer.sku is None
    assert all(link in answer.text.lower() for link in links)


def test_a_colour_or_category_word_tells_no_candidate_apart(tmp_path: Path) -> None:
    answerer = listings(
        tmp_path,
        [
            '1,CT-1,女款双面羊毛大衣 Double-Faced Wool Coat,coat,1280,1680,9,S|M|L,黑色|驼色,羊毛,24,包邮,""',
            '2,CT-2,男款羊毛混纺大衣 Wool Blend Overcoat,coat,980,1280,9,M|L|XL,黑色|灰色,羊毛混纺,24,包邮,""',
        ],
    )
    # Both are black wool coats; "coat" is the word of one name, "overcoat" of the other, and both are coats.
    answer = answerer.answer("black wool coat how much")
    assert answer.sku is None
    assert "link 1" in answer.text.lower() and "link 2" in answer.text.lower()


def test_the_shown_product_is_not_narrowed_away(tmp_path: Path) -> None:
    answerer = listings(
        tmp_path,
        [
            '1,SC-1,纯羊毛围巾 Pure Merino Wool Scarf,scarf,399,499,9,,驼色,100%羊毛,24,包邮,""',
            '2,SC-2,羊毛格子围巾 Wool Plaid Scarf,scarf,199,259,9,,灰色,100%羊毛,24,包邮,""',
            '3,GL-1,羊毛翻盖半指手套 Wool Flip-top Mittens,accessory,89,129,9,,灰色,70%羊毛 30%锦纶,24,包邮,""',
        ],
    )
    # "wool" is in all three names and "pure" in one scarf's, but "this" is the mittens on screen.
    answer = answerer.answer("is this pure wool", current_sku="GL-1")
    assert answer.answered and answer.sku == "GL-1"
    assert "70%" in answer.text
