"""The weather a viewer asks for, read against the temperatures the listings say each product is for."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.qa.answerer import Answerer
from bot.qa.temperatures import asked_temperature, rating
from bot.qa.text import normalize
from tests.shops import listings

ROWS = [
    '33,T80,光腿神器加绒连裤袜 80g 薄绒 Fleece Tights 80g,socks,39,69,300,均码,肤色,锦纶,24,包邮,"80g薄绒，适合5-15℃。30℃以下手洗"',
    '34,T200,光腿神器加绒连裤袜 200g 中厚 Fleece Tights 200g,socks,48,80,120,均码,肤色,锦纶,24,包邮,"200g中厚绒，适合-5到5℃。"',
    '35,T320,光腿神器加绒连裤袜 320g 加厚 Fleece Tights 320g,socks,59,99,0,均码,黑色,锦纶,24,包邮,"320g加厚，适合-15到-5℃"',
    '36,T500,光腿神器加绒连裤袜 500g 超厚 Fleece Tights 500g,socks,69,109,4,均码,黑色,锦纶,48,包邮,"500g超厚，适合-25到-15℃，东北严寒天气"',
    '30,OPQ,80D不透肉打底袜 Opaque Tights,socks,49,59,80,均码,黑色,锦纶,24,包邮,"适合5-15℃"',
    '1,DOWN,男款短款羽绒服 Short Down Jacket,coat,599,899,20,M|L|XL,黑色,白鸭绒,48,包邮,"蓬松度650FP，建议-15℃~-5℃穿着"',
    '18,BOOT,东北极寒防寒靴 -40℃ Extreme Cold Boot,ankle_boot,239,299,12,40|41|42,黑色,牛皮,48,包邮,"羊毛内里，适合冷库、林场"',
    '16,WBOOT,加绒劳保棉鞋 Winter Work Shoe,ankle_boot,189,229,30,40|41|42,黑色,牛皮,48,包邮,"-20℃保暖"',
    '19,WELD,电焊工防烫鞋 Welder Shoe,sneaker,159,199,19,40|41|42,黑色,牛皮,48,包邮,"大底耐高温300℃"',
    '50,BRA,无钢圈文胸 Wire-Free Bra,accessory,69,99,40,80B|80C|85C,肤色,棉,24,包邮,"适合80B-85C"',
]


@pytest.fixture
def answerer(tmp_path: Path) -> Answerer:
    return listings(tmp_path, ROWS)


@pytest.mark.parametrize(
    ("text", "degrees"),
    [
        ("东北零下20度穿哪个", (-20, -20)),
        ("冬天零下五六度骑车穿什么外套", (-6, -5)),
        ("零下二十多度戴啥", (-29, -21)),
        ("冬天零下十几度穿哪双", (-19, -11)),
        ("南方冬天十度左右穿哪个", (8, 12)),
        ("北京冬天零下五度到零度穿哪款", (-5, 0)),
        ("夏天30多度穿哪件", (31, 39)),
        ("what do you recommend for riding at 5 degrees", (5, 5)),
        ("what should I wear at -10c", (-10, -10)),
        ("any boots for 20 below", (-20, -20)),
    ],
)
def test_the_viewers_weather_is_read_as_an_interval_of_degrees(text: str, degrees: tuple[int, int]) -> None:
    assert asked_temperature(normalize(text)) == degrees


@pytest.mark.parametrize(
    "text",
    ["近视300度能配吗", "30度水洗可以吗", "80C穿文胸什么码", "3c认证吗", "零下几度穿哪件", "今天10度"],
)
def test_prescriptions_washing_bra_sizes_and_vague_or_bare_degrees_are_no_weather(text: str) -> None:
    assert asked_temperature(normalize(text)) is None


def test_washing_and_heat_temperatures_are_not_what_a_product_is_worn_in(answerer: Answerer) -> None:
    by_sku = {p.sku: p for p in answerer.catalog.products}
    assert (rating(by_sku["T80"]).low, rating(by_sku["T80"]).high) == (5, 15)  # not the 30℃ wash
    assert rating(by_sku["WELD"]) is None  # 耐高温300℃ is no weather
    assert rating(by_sku["BRA"]) is None  # 80B-85C are sizes
    assert rating(by_sku["BOOT"]).low == -40  # said in the name only


@pytest.mark.parametrize(
    ("text", "sku", "said"),
    [
        ("东北零下20度穿哪个光腿神器", "T500", "适合-25到-15℃"),
        ("南方冬天十度左右穿哪个加绒的", "T80", "适合5-15℃"),  # 加绒 says which of the two
        ("冷库上班零下三十度穿啥", "BOOT", "-40℃"),
        ("零下十几度穿哪双靴子", "WBOOT", "-20℃保暖"),
        ("which tights for -3 degrees?", "T200", "适合-5到5℃"),
    ],
)
def test_the_in_stock_product_said_to_be_for_that_weather_is_named_with_the_listings_words(
    answerer: Answerer, text: str, sku: str, said: str
) -> None:
    reply = answerer.answer_now(text)
    assert reply.answered and reply.intent == "recommend" and reply.sku == sku
    assert said in reply.text


def test_a_sold_out_product_is_not_offered_for_its_weather(answerer: Answerer) -> None:
    reply = answerer.answer_now("零下十度穿哪个光腿神器")  # 320g (-15..-5) is sold out
    assert "35号" not in reply.text
    assert not reply.answered or reply.sku != "T320"


def test_weather_no_listing_is_for_is_left_to_the_streamer(answerer: Answerer) -> None:
    reply = answerer.answer_now("夏天35度穿哪个光腿神器")
    assert not reply.answered and reply.queue


def test_equal_fits_are_listed_not_picked_at_random(answerer: Answerer) -> None:
    reply = answerer.answer_now("十度左右穿哪双袜子")
    assert reply.answered and reply.sku is None
    assert "33号" in reply.text and "30号" in reply.text


def test_whether_one_product_does_for_a_weather_is_its_listings_words(answerer: Answerer) -> None:
    reply = answerer.answer_now("1号零下20度够吗")
    assert reply.answered and reply.sku == "DOWN" and "-15℃~-5℃" in reply.text
    reply = answerer.answer_now("is this one warm enough for -3 degrees", current_sku="T200")
    assert reply.answered and reply.sku == "T200" and "-5到5℃" in reply.text


def test_weather_said_as_chatter_is_not_answered(answerer: Answerer) -> None:
    assert not answerer.answer_now("我们东北今天零下20度 冻死了", current_sku="T500").answered


def test_the_warmest_is_the_one_its_listing_says_is_for_the_coldest(answerer: Answerer) -> None:
    reply = answerer.answer_now("which tights are the warmest")
    assert reply.answered and reply.sku == "T500" and "-25到-15℃" in reply.text
    assert "最" not in reply.text.split("：")[0]  # the reply's own words hold no absolute term
