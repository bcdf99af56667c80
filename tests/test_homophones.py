"""Homophone typos of product names, typed with a pinyin keyboard, read as the names' words."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.qa.answerer import Answerer
from bot.qa.homophones import Homophones, sound
from tests.shops import listings

ROWS = [
    '22,JJM,金骏眉 特级 250g 武夷桐木关,accessory,328,398,20,250g,,红茶,48,包邮,"平时冲泡用95℃水"',
    '15,TGY,安溪铁观音 清香型 250g,accessory,138,168,50,250g,,乌龙茶,48,包邮,"清香型"',
    '4,BLC,洞庭碧螺春 明前 100g,accessory,268,298,0,100g,,绿茶,48,包邮,"下一批约4月底补货"',
    '26,SHELL,风暴 Storm 3L 冲锋衣,coat,1099,1299,10,M|L,黑色,尼龙,48,包邮,"3层压胶"',
    '34,SKIRT,女士跑步裙裤 防走光,accessory,119,139,30,S|M,黑色,涤纶,48,包邮,"内置安全裤"',
    '40,XMAS,圣诞帽 Christmas Hat,accessory,29,39,30,均码,红色,毛绒,48,包邮,"毛绒"',
    '41,SWEATER,宠物毛衣 Pet Sweater,accessory,59,79,30,S|M,红色,腈纶,48,包邮,"柔软"',
]
FAQ = "question,answer\n直播间价格和平时一样吗,直播间专享价\n"


@pytest.fixture
def answerer(tmp_path: Path) -> Answerer:
    return listings(tmp_path, ROWS, FAQ)


def test_a_characters_usual_reading_without_its_tone() -> None:
    assert sound("骏") == sound("俊") == "jun"
    assert sound("袜") != sound("魔")  # 袜's rare reading "mo" does not count


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("金俊眉多少钱", "金骏眉多少钱"), ("铁关音还有吗", "铁观音还有吗"), ("冲峰衣多少钱", "冲锋衣多少钱")],
)
def test_a_homophone_typo_of_a_name_word_is_read_as_that_word(typed: str, meant: str) -> None:
    assert Homophones([r.split(",")[2] for r in ROWS]).correct(typed) == meant


@pytest.mark.parametrize("text", ["圣诞毛衣多少钱", "有几个颜色", "主播平时跑步配速多少", "宝宝们好"])
def test_ordinary_words_and_words_of_the_shops_text_are_left_as_typed(text: str) -> None:
    names = [r.split(",")[2] for r in ROWS]
    assert Homophones(names, ["平时冲泡用95℃水"]).correct(text) == text


@pytest.mark.parametrize(
    ("text", "sku", "fact"),
    [
        ("金俊眉什么价格", "JJM", "328"),
        ("碧罗春啥时候补货", "BLC", "4月底补货"),
        ("铁关音多少钱", "TGY", "138"),
    ],
)
def test_a_product_named_by_sound_is_answered(answerer: Answerer, text: str, sku: str, fact: str) -> None:
    reply = answerer.answer_now(text)
    assert reply.answered and reply.sku == sku and fact in reply.text


def test_a_host_question_is_not_read_as_a_product_by_sound(answerer: Answerer) -> None:
    assert not answerer.answer_now("主播平时跑步配速多少").answered
