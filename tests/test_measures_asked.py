"""Questions whose words look like a price question but ask a count or a measure ("能放几块表", "how much meat
can it do at once"), a price drop asked as 降了多少, and how many people a product serves: each answered
with the listing's own words for it, or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.qa.answerer import Answerer
from bot.qa.intents import detect_intents
from bot.qa.text import normalize
from tests.shops import listings

ROWS = [
    '1,BOX-6,六位手表收纳盒,accessory,129,159,40,,黑色,PU皮,24,包邮,"绒布内衬，每格可放表径46mm以内的手表"',
    "2,CHOP-2L,玻璃碗绞肉机 2L Food Chopper,accessory,129,169,54,2L,白色,玻璃碗,48,包邮,"
    '"2L玻璃碗，一次最多绞500g肉，约10秒绞好"',
    '3,RC-40,4L IH电饭煲,accessory,399,499,20,4L,白色,球釜内胆,48,包邮,"4L适合3-5人，一个人用也不浪费"',
    '4,TENT-2P,云栖2人双层帐篷 Yunqi 2P Tent,accessory,399,599,36,2人,军绿,尼龙,48,包邮,"一个人搭建约8分钟"',
    '5,GPS-T,户外GPS手表 Trek,accessory,1299,1599,12,,黑色,钛合金,48,包邮,"续航：日常使用18天"',
]


@pytest.fixture
def answerer(tmp_path: Path) -> Answerer:
    return listings(tmp_path, ROWS)


@pytest.mark.parametrize(
    ("text", "price"),
    [
        ("这个能放几块表", False),  # a count of watches, not yuan
        ("几块钱", True),
        ("这个几块", True),
        ("几块啊", True),
        ("how much tea per cup", False),
        ("how much meat can it do at once", False),
        ("how much is it", True),
        ("how much for link 2", True),
    ],
)
def test_a_count_or_amount_of_something_else_is_no_price_question(text: str, price: bool) -> None:
    assert ("price" in detect_intents(normalize(text)).names) is price


@pytest.mark.parametrize("text", ["5号降了多少", "5号降了几块", "5号减了多少"])
def test_how_much_the_price_came_down_is_the_discount(answerer: Answerer, text: str) -> None:
    answer = answerer.answer(text)
    assert answer.intent == "discount" and answer.sku == "GPS-T"
    assert "300" in answer.text and "1599" in answer.text


def test_a_count_asked_of_the_shown_product_is_not_answered_with_its_price(answerer: Answerer) -> None:
    answer = answerer.answer("这个能放几块表", current_sku="BOX-6")
    assert "129" not in answer.text


@pytest.mark.parametrize(
    "text", ["the glass chopper, how much meat can it do at once", "绞肉机一次能绞多少肉"]
)
def test_how_much_one_go_takes_is_the_listings_words_for_it(answerer: Answerer, text: str) -> None:
    answer = answerer.answer(text)
    assert answer.answered and answer.sku == "CHOP-2L"
    assert "500g" in answer.text and "¥" not in answer.text


@pytest.mark.parametrize("text", ["3号几个人用", "3号够几个人吃", "how many people is link 3 for"])
def test_how_many_people_a_product_serves_is_the_listings_count(answerer: Answerer, text: str) -> None:
    answer = answerer.answer(text)
    assert answer.answered and answer.sku == "RC-40"
    assert "3-5人" in answer.text


def test_a_tents_people_are_read_from_its_name_not_from_how_many_pitch_it(answerer: Answerer) -> None:
    answer = answerer.answer("4号能睡几个人")
    assert answer.answered and answer.sku == "TENT-2P"
    assert "2人" in answer.text and "8分钟" not in answer.text


SNACKS = [
    '1,JERKY,内蒙古手撕风干牛肉干 500g,accessory,89,119,40,500g,原味|香辣味,牛肉、食用盐、白砂糖、香辛料,48,包邮,"开袋即食"',
    '2,SPRAY,室内香氛喷雾 Room Spray 100ml,accessory,59,79,30,100ml,白茶|海盐鼠尾草,香精、水,24,包邮,"喷2-3下"',
]


@pytest.mark.parametrize(
    ("text", "label", "values"),
    [
        ("1号有几种口味", "口味有", ("原味", "香辣味")),
        ("what flavors does #1 have", "flavours", ("原味", "香辣味")),
        ("room spray scents?", "scents", ("白茶", "海盐鼠尾草")),
    ],
)
def test_flavours_and_scents_are_the_variants_a_shop_lists_as_colours(
    tmp_path: Path, text: str, label: str, values: tuple[str, ...]
) -> None:
    answer = listings(tmp_path, SNACKS).answer(text)
    assert answer.answered and answer.intent == "color"
    assert label in answer.text and all(v in answer.text for v in values)
    assert "颜色" not in answer.text and "colours" not in answer.text


@pytest.mark.parametrize(
    ("text", "label"), [("ingredients of link 1", "ingredients:"), ("1号配料表", "配料：")]
)
def test_ingredients_asked_are_the_material_column_named_as_asked(
    tmp_path: Path, text: str, label: str
) -> None:
    answer = listings(tmp_path, SNACKS).answer(text)
    assert answer.answered and answer.sku == "JERKY"
    assert f"{label}牛肉" in answer.text.replace(" ", "")


BEDDING = [
    '1,SET-40,40支全棉四件套 简约格子,accessory,229,329,75,1.5m床|1.8m床,灰格|蓝格,全棉,48,包邮,"斜纹"',
    '2,SET-KID,开学文具礼包 小学生12件套,accessory,59,79,30,,蓝色,纸,24,包邮,"小学生12件套"',
]


def test_a_number_before_mi_is_metres_not_the_colour_beige(tmp_path: Path) -> None:
    answerer = listings(tmp_path, BEDDING)
    assert "米色" not in answerer.answer("1号有2米的吗").text
    assert "没有米色" in answerer.answer("1号有米色的吗").text


def test_who_the_host_is_is_no_question_about_a_product_named_alike(tmp_path: Path) -> None:
    answerer = listings(tmp_path, BEDDING)
    assert not answerer.answer("主播你是学生吗").answered
    assert answerer.answer("主播你身上这件多少钱", current_sku="SET-40").answered


COUNTED = [
    '1,PL-27,青简2027年日程本 A5 一天一页 Planner,accessory,58,78,7,A5,黑色,PU皮面,48,包邮,"内页共416页。带2根书签丝带"',
    '2,NUT-8,福满堂坚果礼盒 8罐,accessory,168,238,85,8罐,红色,坚果,48,包邮,"内含8罐：夏威夷果、碧根果"',
    '3,POD-52,三合一洗衣凝珠 52颗,accessory,39.9,59,80,,蓝色,凝珠,24,包邮,"一般一次放1颗（约4kg衣物）"',
    '4,NUT-250,盐焗腰果 250g,accessory,32.9,42,170,250g,盐焗,腰果,24,包邮,"袋装250g，保质期9个月"',
    '5,FAN-3,桌面小风扇,accessory,59,79,30,,白色,ABS,24,包邮,"三档风速，充满电用6小时"',
]


POWERED = [
    '6,DR-1600,Windy Pro 高速吹风机,accessory,399,599,120,,雾霾蓝,PC外壳,24,包邮,"1600W无刷马达。三档温度（50°C/70°C/90°C）加一档冷风"',
    "7,CL-26,无线充电卷发棒 26mm,accessory,349,429,25,26mm,奶油白,陶瓷涂层,120,yes,"
    '"内置5000mAh锂电池，充满需3小时，满电可用约40分钟。电池坏了享受半年保修"',
    '8,CL-32,陶瓷卷发棒 32mm,accessory,139,179,90,32mm,黑色,陶瓷涂层,24,true,"32mm大卷，温度120°C-210°C无级调节"',
]


@pytest.mark.parametrize(
    ("text", "sku", "fact"),
    [
        ("1号多少页", "PL-27", "416页"),  # no price: the pages the listing counts
        ("how many pages in the planner", "PL-27", "416页"),
        ("2号礼盒几罐", "NUT-8", "8罐"),
        ("link 3 how many pods", "POD-52", "52颗"),
        ("how many grams is link 4", "NUT-250", "250g"),
        ("5号有几档", "FAN-3", "三档"),
        ("6号多少瓦", "DR-1600", "1600W"),  # power, heat, run time, millimetres: no price either
        ("what wattage is link 6", "DR-1600", "1600W"),
        ("max temp on link 8", "CL-32", "210°C"),
        ("6号有几档温度", "DR-1600", "90°C"),
        ("how long does the battery last on link 7", "CL-26", "40分钟"),
        ("7号充满电能用多久", "CL-26", "40分钟"),
        ("8号几毫米的", "CL-32", "32mm"),
    ],
)
def test_a_number_in_the_unit_asked_is_the_listings_own(
    tmp_path: Path, text: str, sku: str, fact: str
) -> None:
    answer = listings(tmp_path, COUNTED + POWERED).answer(text)
    assert answer.answered and answer.sku == sku
    assert fact in answer.text
    assert "¥" not in answer.text


def test_a_count_the_listing_does_not_give_is_not_answered_with_another(tmp_path: Path) -> None:
    # The fan's listing counts speeds and hours, no cups: neither is quoted for "几杯", nor its price.
    answer = listings(tmp_path, COUNTED + POWERED).answer("5号一次能装几杯")
    assert "三档" not in answer.text and "¥" not in answer.text


def test_a_broken_battery_asks_the_warranty_not_the_run_time(tmp_path: Path) -> None:
    answer = listings(tmp_path, COUNTED + POWERED).answer("7号电池坏了保修多久")
    assert "40分钟" not in answer.text
