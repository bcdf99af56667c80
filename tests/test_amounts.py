"""Products sold by amount (100ml, 3.5g, 10片): how big they are, and a size's own price in the listing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.qa.answerer import Answerer
from tests.shops import listings

ROWS = [
    '1,CLEANSER,氨基酸洁面乳 Amino Acid Cleanser,accessory,69,89,80,100ml|200ml,,氨基酸,48,包邮,"温和清洁"',
    '5,TONER,玻尿酸补水爽肤水 Hydrating Toner,accessory,99,149,260,100ml|200ml,,玻尿酸,48,包邮,"价格为100ml，200ml到手159元。无酒精"',
    '23,SUN,敏感肌物理防晒霜 Mineral Sunscreen,accessory,139,169,40,40ml,,氧化锌,48,包邮,"纯物理防晒"',
    '2,WOK,章丘铁锅 Iron Wok,accessory,188,258,30,30cm|32cm,原铁色,铁,48,包邮,"32cm到手208元"',
]


@pytest.fixture
def answerer(tmp_path: Path) -> Answerer:
    return listings(tmp_path, ROWS)


@pytest.mark.parametrize(
    ("text", "sku", "fact"),
    [
        ("1号有几个规格", "CLEANSER", "100ml/200ml"),
        ("5号爽肤水多大瓶", "TONER", "100ml/200ml"),
        ("防晒霜多少毫升", "SUN", "40ml"),
        ("how big is the mineral sunscreen", "SUN", "40ml"),
    ],
)
def test_how_big_a_product_sold_by_amount_is_is_its_sizes(
    answerer: Answerer, text: str, sku: str, fact: str
) -> None:
    reply = answerer.answer_now(text)
    assert reply.answered and reply.sku == sku and fact in reply.text


def test_a_product_sized_in_centimetres_is_not_answered_as_an_amount(answerer: Answerer) -> None:
    reply = answerer.answer_now("2号多大容量")
    assert "规格" not in reply.text


@pytest.mark.parametrize(
    ("text", "fact"), [("爽肤水200ml的多少钱", "200ml到手159元"), ("2号32cm的多少钱", "32cm到手208元")]
)
def test_a_sizes_own_price_in_the_listing_follows_the_price(answerer: Answerer, text: str, fact: str) -> None:
    reply = answerer.answer_now(text)
    assert reply.answered and reply.intent == "price" and fact in reply.text


def test_the_first_sizes_price_is_the_rows_price_alone(answerer: Answerer) -> None:
    reply = answerer.answer_now("爽肤水100ml的多少钱")
    assert reply.answered and "99" in reply.text and "159" not in reply.text


def test_a_jars_measurements_are_not_the_amount_sold(answerer: Answerer) -> None:
    reply = answerer.answer_now("how big is the bottle", current_sku="TONER")
    assert "comes in" not in reply.text


def test_a_capacity_in_milliamp_hours_or_watts_names_the_products_whose_names_state_it(
    tmp_path: Path,
) -> None:
    rows = [
        '29,PB10,磁吸充电宝 10000mAh 20W,accessory,129,159,20,均码,白色,塑料,48,包邮,"磁吸"',
        '31,PB20,20000mAh 大容量充电宝 65W,accessory,169,199,20,均码,黑色,塑料,48,包邮,"笔记本可充"',
        '16,CH65,65W 氮化镓充电器 三口,accessory,129,159,20,均码,白色,塑料,48,包邮,"三口"',
    ]
    answerer = listings(tmp_path, rows)
    reply = answerer.answer_now("20000毫安的充电宝多少钱")
    assert reply.answered and reply.sku == "PB20" and "169" in reply.text
    reply = answerer.answer_now("65瓦充电器多少钱")
    assert reply.answered and reply.sku == "CH65"
