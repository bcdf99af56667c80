"""What a listing says a product weighs, compared for "最轻的是哪款" / "which is the lightest"."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.qa.answerer import Answerer
from bot.qa.weights import weight
from tests.shops import listings

ROWS = [
    '1,STEEL,钢头劳保鞋 Steel Toe,sneaker,129,159,50,40|41|42,黑色,牛皮,48,包邮,"鞋重约620g/只（42码）；适合体重90kg以内"',
    '23,AIR,超轻防砸鞋 Air款 Ultralight Air,sneaker,149,209,60,40|41|42,黑红,飞织,48,包邮,"单只约360g（42码）；后跟气垫"',
    '9,CHEF,厨师鞋 Chef Shoe,sneaker,69,89,40,40|41|42,黑色,PU,48,包邮,"鞋重约400g/只"',
    '5,FEATHER,羽毛轻跑鞋 Feather Runner,sneaker,199,259,0,40|41|42,白色,网布,48,包邮,"重量约300g"',
    '30,OPEN,复古半盔 Open-Face Helmet,hat,299,399,10,M|L,黑色,ABS,48,包邮,"重量约0.95kg，3C认证"',
    '31,FULL,全盔 Full-Face Helmet,hat,499,599,10,M|L,黑色,ABS,48,包邮,"重量约1.55kg"',
    '40,TEE,速干T恤 Quick-Dry Tee,tshirt,59,79,30,M|L,白色,涤纶,24,包邮,"面料克重160g"',
]


@pytest.fixture
def answerer(tmp_path: Path) -> Answerer:
    return listings(tmp_path, ROWS)


def test_a_listings_weight_is_read_in_grams_and_a_body_or_fabric_weight_is_not(answerer: Answerer) -> None:
    by_sku = {p.sku: p for p in answerer.catalog.products}
    assert weight(by_sku["STEEL"])[0] == 620  # not the 90kg of 体重
    assert weight(by_sku["AIR"])[0] == 360
    assert weight(by_sku["OPEN"])[0] == 950
    assert weight(by_sku["TEE"]) is None  # 克重 is the fabric's


@pytest.mark.parametrize(
    ("text", "sku", "said"),
    [
        ("最轻的鞋是哪款", "AIR", "单只约360g"),  # the 300g runner is sold out
        ("which helmet is the lightest", "OPEN", "重量约0.95kg"),
    ],
)
def test_the_lightest_in_stock_product_is_named_with_the_listings_weight(
    answerer: Answerer, text: str, sku: str, said: str
) -> None:
    reply = answerer.answer_now(text)
    assert reply.answered and reply.sku == sku and said in reply.text


def test_which_of_two_links_is_lighter_is_each_ones_listed_weight(answerer: Answerer) -> None:
    reply = answerer.answer_now("1号和23号哪个轻")
    assert reply.answered and "鞋重约620g/只" in reply.text and "单只约360g" in reply.text
    assert not answerer.answer_now("1号和40号哪个重").answered  # the tee gives no weight: no half answer
