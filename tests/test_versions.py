"""Which product a message means when one is on screen: another version of it, or the shown one."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.qa.answerer import Answerer
from tests.shops import listings

ROWS = [
    '9,VEST,轻羽 Featherlite 5L 越野跑背心,accessory,459,559,20,S|M|L,黑色,尼龙,48,包邮,"5L容量"',
    '11,VEST-W,轻羽 Featherlite 5L 越野跑背心 女款,accessory,439,539,12,XS|S|M,紫色,尼龙,48,包邮,"女款胸前水壶位"',
    '20,DOWN-M,极光 Aurora 800蓬 鹅绒羽绒服 男款,coat,1299,1599,8,M|L|XL,黑色,鹅绒,48,包邮,"充绒量200g"',
    '21,DOWN-W,极光 Aurora 800蓬 鹅绒羽绒服 女款,coat,1199,1499,9,S|M|L,白色,鹅绒,48,包邮,"充绒量180g"',
    '7,PAN-W,日式不粘平底煎锅 奶白色,accessory,89,129,35,24cm|28cm,奶白,铝合金,48,包邮,"不粘涂层"',
    '8,PAN-G,日式不粘平底煎锅 墨绿色 加厚版,accessory,99,139,6,24cm|28cm,墨绿,铝合金,48,包邮,"加厚锅底"',
    '30,PAN-K,儿童日式不粘平底煎锅 粉色,accessory,59,79,10,20cm,粉色,铝合金,48,包邮,"小号"',
    '13,POT,316L不锈钢加深汤锅 Stock Pot,accessory,269,329,19,24cm|28cm,钢本色,316L不锈钢,48,包邮,"加深款"',
    '22,SUN-C,清爽防晒乳 Light Sunscreen Fluid,accessory,129,159,50,50ml,,化学防晒剂,48,包邮,"清爽不油"',
    '23,SUN-P,敏感肌物理防晒霜 Mineral Sunscreen,accessory,139,169,40,40ml,,氧化锌,48,包邮,"纯物理防晒"',
    '27,GLAZE,水光镜面唇釉 Glossy Lip Glaze,accessory,89,109,7,3.5g,13号|15号,唇釉,48,包邮,"镜面光泽"',
]


@pytest.fixture
def answerer(tmp_path: Path) -> Answerer:
    return listings(tmp_path, ROWS)


@pytest.mark.parametrize(
    ("text", "shown", "sku", "fact"),
    [
        ("女款的多少钱", "VEST", "VEST-W", "439"),
        ("what about the women's version, price?", "DOWN-M", "DOWN-W", "1199"),
        ("绿色的有吗", "PAN-W", "PAN-G", "8"),  # the green version, not the kids' pink pan
    ],
)
def test_the_version_a_word_says_is_meant_over_the_one_on_screen(
    answerer: Answerer, text: str, shown: str, sku: str, fact: str
) -> None:
    reply = answerer.answer_now(text, current_sku=shown)
    assert reply.answered and reply.sku == sku and fact in reply.text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("这个绿色的有吗", "PAN-W"),  # "这个" is the shown one: it has no green
        ("有粉色的吗", "PAN-W"),  # the pink one is the kids' pan: for other people
        ("腰围72穿多大", "VEST"),  # a body measure is the viewer's, not a version's word
    ],
)
def test_the_shown_product_stays_when_the_message_points_at_it_or_only_a_version_for_others_fits(
    answerer: Answerer, text: str, shown: str
) -> None:
    reply = answerer.answer_now(text, current_sku=shown)
    assert reply.sku in (shown, None)


def test_a_choice_asked_of_the_shown_product_is_about_it_not_the_product_named_by_one_option(
    answerer: Answerer,
) -> None:
    reply = answerer.answer_now("这个是物理防晒还是化学防晒", current_sku="SUN-C")
    assert reply.answered and reply.sku == "SUN-C" and "化学防晒剂" in reply.text


def test_stock_asked_in_english_is_no_stock_pot(answerer: Answerer) -> None:
    reply = answerer.answer_now("how much stock left", current_sku="PAN-W")
    assert reply.answered and reply.sku == "PAN-W" and "35" in reply.text
    assert answerer.answer_now("stock pot price").sku == "POT"


def test_a_shade_number_is_no_link(answerer: Answerer) -> None:
    reply = answerer.answer_now("还有货吗 13号色", current_sku="GLAZE")
    assert reply.answered and reply.sku == "GLAZE" and "7" in reply.text


def test_a_series_word_two_of_three_names_share_narrows_the_kind_to_those_two(tmp_path: Path) -> None:
    rows = [
        '20,AU-M,极光 Aurora 800蓬 鹅绒羽绒服 男款,coat,1299,1599,8,M|L,黑色,鹅绒,48,包邮,"充绒量200g"',
        '21,AU-W,极光 Aurora 800蓬 鹅绒羽绒服 女款,coat,1199,1499,9,S|M,白色,鹅绒,48,包邮,"充绒量180g"',
        '22,SUN,暖阳 Sunny 600蓬 鸭绒羽绒服,coat,599,799,20,M|L,黑色,鸭绒,48,包邮,"充绒量150g"',
    ]
    reply = listings(tmp_path, rows).answer_now("极光羽绒服多少钱")
    assert reply.answered and "1299" in reply.text and "1199" in reply.text and "599" not in reply.text


def test_a_series_name_and_the_head_noun_of_several_names_list_those_products(tmp_path: Path) -> None:
    rows = [
        '4,CT,云迹 Cloudtrail 缓震越野跑鞋,sneaker,729,899,20,40|41,冰川蓝|全黑,网布,48,包邮,"缓震"',
        '7,CT-W,云迹 Cloudtrail 缓震越野跑鞋 宽楦版,sneaker,759,929,10,40|41,全黑,网布,48,包邮,"宽楦"',
        '1,WR,风行者 Windrunner 越野跑鞋,sneaker,599,699,30,40|41,红色,网布,48,包邮,"轻量"',
        '16,ZC,Z-Pole Carbon 碳纤维折叠登山杖（一对）,accessory,499,599,10,均码,黑色,碳纤维,48,包邮,"单支重量165g"',
        '17,TA,Trek Alu 铝合金三节伸缩登山杖（单支）,accessory,169,199,10,均码,黑色,铝合金,48,包邮,"单支重量245g"',
        '18,CF,Carbon Flick 碳纤维伸缩登山杖（一对）,accessory,399,459,10,均码,黑色,碳纤维,48,包邮,"单支重量190g"',
        '19,ZA,Z-Pole Alu 铝合金折叠登山杖（一对）,accessory,299,359,10,均码,黑色,铝合金,48,包邮,"单支重量230g"',
    ]
    answerer = listings(tmp_path, rows)
    reply = answerer.answer_now("云迹有几个颜色")
    assert reply.answered and "冰川蓝" in reply.text and "4号" in reply.text and "7号" in reply.text
    assert "1号" not in reply.text
    reply = answerer.answer_now("登山杖多少钱")
    assert reply.answered and all(price in reply.text for price in ("499", "169", "399", "299"))
