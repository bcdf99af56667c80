"""The grounding guard: generated promo text never states a number the product facts do not."""

from __future__ import annotations

from decimal import Decimal

import pytest

from generation.text.grounding import finish_text, keep_grounded, quantities, split_sentences

# A catalog record as the bot hands it over (floats from JSON, lists for colours).
FACTS = {
    "link": 7,
    "sku": "TS02",
    "name": "冰丝凉感短袖T恤",
    "category": "tshirt",
    "price": 59.0,
    "original_price": 99.0,
    "stock": 3,
    "sizes": ["S", "M", "L"],
    "colors": ["黑色", "白色"],
    "material": "88%聚酯纤维 12%氨纶",
    "ship_hours": 48,
    "free_shipping": True,
    "description": "240克重磅面料，夏天通勤都能穿。",
}


@pytest.mark.parametrize(
    "sentence",
    [
        "只要59元！",
        "到手价¥59。",
        "原价99元。",
        "五十九块入手。",
        "88%聚酯纤维，凉感透气。",
        "百分之八十八聚酯纤维。",
        "48小时内发货。",
        "两天内发货。",  # 2 days = 48 hours
        "仅剩3件，先到先得！",
        "240克重磅面料。",
        "Only 3 left.",
    ],
)
def test_numbers_in_the_facts_are_kept(sentence: str) -> None:
    assert keep_grounded(sentence, FACTS) == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "只要39元！",  # a price that is not the price
        "只要３９元！",  # full-width digits
        "9块9包邮！",  # price slang: 9.9
        "三十九块入手。",
        "三天发货。",  # 72 hours, the facts say 48
        "24小时发货。",
        "限时7折！",  # no ratio in the facts (69/99 is not one either)
        "七五折！",
        "8.5折。",
        "今天半价！",
        "买一送一！",
        "满二减一。",
        "仅剩两件！",  # stock is 3
        "已售三千件。",
        "1000人已买。",
        "3色可选。",  # stock 3 is a count of items, not of colours
        "3天发货。",  # stock 3 is not a duration
        "59件现货。",  # the price is not a count
        "省下30%。",
        "2024新款。",
        "ships in three days.",
        "一百二十元的品质。",
    ],
)
def test_invented_numbers_are_dropped(sentence: str) -> None:
    assert keep_grounded(sentence, FACTS) == ""


def test_only_the_sentence_with_the_invented_number_goes() -> None:
    text = "冰丝面料凉滑舒适。只要39元！黑白两色都百搭，59元带回家。"
    # "两色" (2 colours) is itself a count the facts do not state, so that sentence goes too.
    assert keep_grounded(text, FACTS) == "冰丝面料凉滑舒适。"
    assert (
        keep_grounded("冰丝面料凉滑舒适。只要39元！59元带回家。", FACTS) == "冰丝面料凉滑舒适。59元带回家。"
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "简约而不简单的T恤，十分百搭。",  # 十分 = "very"
        "九分裤的长度刚刚好。",  # a cut, not a quantity
        "一款百搭单品，一件就够。",  # 一 as an article
        "两件套设计，层次丰富。",  # 件套 = a two-piece
        "四季都能穿，第一眼就爱上。",
        "Light and breezy for summer.",
        "",
    ],
)
def test_numberless_text_is_kept(sentence: str) -> None:
    assert keep_grounded(sentence, {}) == sentence


def test_ratio_needs_a_stated_ratio() -> None:
    assert keep_grounded("限时7折！", {"discount_ratio": 0.7}) == "限时7折！"
    assert keep_grounded("限时七折！", {"note": "全场7折"}) == "限时七折！"
    assert keep_grounded("限时75折！", {"discount_ratio": 0.75}) == "限时75折！"
    # A bare 7 (here a size) does not ground a discount, and two prices do not make one.
    assert keep_grounded("限时7折！", {"sizes": ["7"], "price": 70, "original_price": 100}) == ""


def test_durations_compare_in_hours() -> None:
    assert keep_grounded("三天发货。", {"ship_hours": 72}) == "三天发货。"
    assert keep_grounded("3天发货。", {"ship_days": 3}) == "3天发货。"
    assert keep_grounded("七天无理由退换。", {"faq": "签收后7天内可退换"}) == "七天无理由退换。"
    assert keep_grounded("三天发货。", {"ship_hours": 48}) == ""


def test_identifiers_and_booleans_ground_nothing() -> None:
    # link 1 and sku "TS01" hold a 1; free_shipping True is not the number 1.
    facts = {"link": 1, "sku": "TS01", "free_shipping": True}
    assert keep_grounded("1天发货。", facts) == ""
    assert keep_grounded("买1送1。", facts) == ""


def test_facts_nested_and_decimal() -> None:
    facts = {"price": Decimal("59.90"), "extra": {"sizes": ("160/84A",)}}
    assert keep_grounded("59.9元。", facts) == "59.9元。"
    assert keep_grounded("身高160穿正好。", facts) == "身高160穿正好。"
    assert keep_grounded("59元。", facts) == ""


def test_quantities_reads_values_and_kinds() -> None:
    found = [
        (str(q.value), q.kind) for q in quantities("原价一百二十九元，现在7折，48小时发货，仅剩两件，88%棉")
    ]
    assert found == [
        ("129", "money"),
        ("0.7", "ratio"),
        ("48", "duration"),
        ("2", "items"),
        ("88", "percent"),
    ]
    assert [str(q.value) for q in quantities("1,299元")] == ["1299"]
    assert [(str(q.value), q.kind) for q in quantities("九块九")] == [("9.9", "money")]
    assert [q.kind for q in quantities("二〇二四年")] == ["duration"]


def test_split_sentences_keeps_terminators_and_decimals() -> None:
    assert split_sentences("好看。真的！9.9元. 3~5天发货~尾巴") == [
        "好看。",
        "真的！",
        "9.9元.",
        " 3~5天发货~",
        "尾巴",
    ]
    assert split_sentences("她说：“真好看！”然后") == ["她说：“真好看！”", "然后"]
    assert split_sentences("") == []


def test_finish_text_drops_the_fragment_and_caps_length() -> None:
    assert finish_text("好看。真的百搭！还有一个，") == "好看。真的百搭！"
    assert finish_text("没有句号的半句") == ""
    assert finish_text("第一句话。第二句话。第三句话。", max_chars=10) == "第一句话。第二句话。"
    assert finish_text("一句很长很长的话。", max_chars=4) == ""
    assert finish_text("  Great tee. Soft  ") == "Great tee."
