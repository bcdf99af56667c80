"""Facts only a listing's description holds: the closest segment, quoted as written, or silence."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalog import load_catalog
from bot.qa.answerer import Answerer
from tests.shops import HEADER, listings

ROWS = [
    '11,QP,海派改良旗袍 Modern Qipao,dress,599,699,8,S|M|L,月白,真丝,72,包邮,"隐形拉链在侧，立领盘扣，不可机洗"',
    '12,CAPE,宋制斗篷,coat,329,399,5,均码,红色,羊毛呢,48,包邮,"毛领可拆卸，内里夹棉"',
    '20,TOP,长袖瑜伽上衣 Long Sleeve Crop Top,tshirt,129,159,20,S|M|L,黑色,锦纶,24,包邮,"拇指孔设计，防滑落袖口"',
    '6,BRA,高强度防震运动文胸 Sports Bra,accessory,169,199,15,S|M|L,黑色,锦纶,24,包邮,"前拉链穿脱，可拆胸垫"',
    '24,LACE,免系弹力鞋带 No-Tie Elastic Laces,accessory,19.9,29.9,100,均码,黑色,硅胶,24,包邮,"穿上就不用系鞋带，一盒12根"',
    '7,TEE,恐龙夜光T恤,tshirt,59,79,50,S|M|L,白色,纯棉,24,包邮,"夜光恐龙印花"',
    '5,GAT,复古德训鞋 Retro Trainer,sneaker,259,329,0,39|40|41,白灰,牛皮,48,包邮,"12月20日补货，正码"',
]


@pytest.fixture
def answerer(tmp_path: Path) -> Answerer:
    return listings(tmp_path, ROWS)


@pytest.mark.parametrize(
    ("text", "sku", "fact"),
    [
        ("11号拉链在哪", "QP", "隐形拉链在侧"),
        ("斗篷毛领能拆吗", "CAPE", "毛领可拆卸"),
        ("11号是立领吗", "QP", "立领盘扣"),
        ("thumb holes on link 20?", "TOP", "拇指孔"),
        ("is the sports bra front zip", "BRA", "前拉链"),
    ],
)
def test_the_one_closest_segment_of_the_listing_is_quoted(
    answerer: Answerer, text: str, sku: str, fact: str
) -> None:
    answer = answerer.answer(text)
    assert answer.answered and answer.sku == sku and fact in answer.text, (text, answer)


@pytest.mark.parametrize(
    "text",
    [
        "7号夜光能亮多久",  # how long it glows: no segment states a time
        "does link 11 come with free initials",  # "initials" is in no segment
        "有没有适合冬天穿的斗篷",  # a wish for picks, not a question about one listing
    ],
)
def test_a_segment_that_does_not_hold_the_asked_fact_is_not_quoted(answerer: Answerer, text: str) -> None:
    answer = answerer.answer(text)
    assert not answer.answered or answer.intent == "recommend", (text, answer)


def test_a_listings_own_restock_word_comes_before_the_shops_policy(answerer: Answerer) -> None:
    answer = answerer.answer("5号什么时候补货")
    assert answer.answered and answer.sku == "GAT" and "12月20日补货" in answer.text and "售罄" in answer.text
    english = answerer.answer("link 5 restock when")
    assert english.answered and "12月20日补货" in english.text and "sold out" in english.text


def test_a_quotation_in_a_listing_is_quoted_whole() -> None:
    from bot.qa.details import _segments

    assert "背后小字「HONG KONG 1993」" in _segments("胸前霓虹印花，背后小字「HONG KONG 1993」。水浆印花")


def test_a_size_row_of_a_chart_is_one_segment() -> None:
    from bot.qa.details import _segments

    rows = _segments("可手洗。尺码：S 衣长64 胸围120；M 衣长66 胸围124；L 衣长68 胸围128")
    assert "M 衣长66 胸围124" in rows and "L 衣长68 胸围128" in rows, rows


def test_latin_words_and_a_charts_numbers_stay_in_one_segment() -> None:
    from bot.qa.details import _segments

    assert "可放iPad mini" in _segments("帆布斜挎包 可放iPad mini 钱包 手机")
    assert "腰围S 70 M 74 L 78" in _segments("直筒版型。腰围S 70 M 74 L 78。裤长100cm")


def test_a_question_down_to_one_verb_gets_the_segment_that_says_it(tmp_path: Path) -> None:
    rows = [
        '24,MASK,骑行防晒面罩帽 Sun Hat with Face Mask,hat,59,99,35,均码,白色,冰丝,48,包邮,"面罩可拆卸（按扣固定），帽檐宽8cm"',
        '21,STRAW,草编大檐遮阳帽,hat,69,109,70,均码,本色,纸草,48,包邮,"帽檐宽12cm，内有吸汗带。不可折叠、不可水洗，用湿布轻擦"',
        '23,VISOR,空顶防晒帽 Sun Visor,hat,39,59,70,均码,白色,棉,48,包邮,"空顶设计不闷头，后部魔术贴"',
    ]
    answerer = listings(tmp_path, rows)
    mask = answerer.answer("24号面罩能拆吗")  # 面罩 is in the name too: the verb says which segment
    assert mask.answered and mask.sku == "MASK" and "面罩可拆卸" in mask.text and "8cm" not in mask.text
    wash = answerer.answer("21号能洗吗")
    assert wash.answered and "不可水洗" in wash.text
    assert "不闷头" in answerer.answer("23号戴着闷不闷").text
    # 透气 is breathing, not 透 (see-through): "有内衬不透" does not answer it.
    (tmp_path / "dress.csv").write_text(
        HEADER + '\n13,DRESS,碎花雪纺长裙,dress,199,259,20,S|M,蓝色,雪纺,48,包邮,"有内衬不透，裙长120cm"\n',
        encoding="utf-8",
    )
    lined = Answerer(load_catalog(tmp_path / "dress.csv"), seed=0)
    assert not lined.answer("13号透气吗").answered
    assert "不透" in lined.answer("13号会透吗").text
    # Two verbs, or a verb no segment says: silence, not a guess.
    assert not answerer.answer("21号能洗能拆吗").answered
    assert not answerer.answer("23号会缩水吗").answered


@pytest.mark.parametrize(
    ("text", "sku", "said"),
    [
        ("how many pairs in 46", "SOCKS", "6双装"),
        ("护膝是一只还是一对", "KNEE", "一对（2只）"),
        ("arm sleeves is it one or a pair", "SLEEVE", "一份为一双（2只）"),
        ("32号是几顶", "BEANIE", "一套两顶"),
    ],
)
def test_how_many_come_in_one_purchase_is_what_the_listing_says(
    tmp_path: Path, text: str, sku: str, said: str
) -> None:
    rows = [
        '46,SOCKS,男士运动短袜 6双装 Men\'s Sport Ankle Socks,socks,33.9,52,190,39-44,白色,棉,48,包邮,"短筒，毛巾底"',
        '45,KNEE,自发热护膝 Self-Heating Knee Warmers,accessory,39,69,55,均码,黑,德绒,48,包邮,"一对（2只）。适合膝围30-45cm"',
        '18,SLEEVE,冰丝防晒袖套 Ice Arm Sleeves,accessory,29.9,59,500,S|M|L,白色,锦纶,24,包邮,"一份为一双（2只）。长度45cm"',
        '32,BEANIE,亲子毛线帽 Parent-Child Beanie Set,hat,79,129,15,均码,灰色,腈纶,48,包邮,"一套两顶同色"',
    ]
    answer = listings(tmp_path, rows).answer(text)
    assert answer.answered and answer.sku == sku and said in answer.text


def test_english_words_for_what_chinese_listings_say(tmp_path: Path) -> None:
    rows = [
        '7,SOCK,医用压力袜 及膝款 Compression Knee-High Socks,socks,128,168,20,S|M|L,肤色,锦纶,48,包邮,"露趾设计，方便检查"',
        '27,BEANIE,罗纹针织毛线帽 Ribbed Knit Beanie,hat,29.9,49,80,均码,黑色,腈纶,48,包邮,"双层翻边，加厚保暖"',
        '3,JERSEY,经典短袖骑行服 Club Jersey,shirt,139,199,40,S|M|L,蓝色,锦纶,48,包邮,"半拉链设计，背后三口袋"',
    ]
    answerer = listings(tmp_path, rows)
    assert "露趾" in answerer.answer("is link 7 open toe").text
    assert "双层" in answerer.answer("is the ribbed beanie double layer").text
    assert "半拉链" in answerer.answer("club jersey half zip?").text


def test_whether_the_colours_can_be_chosen_is_the_listings_random_or_set(tmp_path: Path) -> None:
    header = "link,sku,name,category,price,original_price,stock,sizes,colors,material,ship_hours,free_shipping,description"
    rows = [
        header,
        "35,G3,手胶 3条装 Overgrip 3-pack,accessory,29,39,80,均码,白色|黑色|混色,PU,24,不包邮,每条长110cm。混色款颜色随机发",
    ]
    (tmp_path / "catalog.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    answer = Answerer(load_catalog(tmp_path / "catalog.csv"), seed=0).answer("混色手胶能选颜色吗")
    assert answer.sku == "G3" and "随机" in answer.text


def test_a_care_question_of_one_product_is_answered_from_its_own_listing_before_the_shops_advice(
    tmp_path: Path,
) -> None:
    rows = [
        '3,RED,合唱服套装 红领结款 Choir Set Red,shirt,79,119,320,110|120|130,男款|女款,涤棉,24,包邮,"衬衫免烫，可机洗（请装洗衣袋）"',
        '4,NAVY,合唱服套装 藏青款 Choir Set Navy,shirt,79,119,100,110|120|130,男款|女款,涤棉,24,包邮,"衬衫免烫，建议手洗"',
        '46,SUIT,男童主持人西装套装 Boys\' Host Suit,jacket,149,229,2,110|120|130,酒红色,丝绒,48,包邮,"三件套，不含衬衫。丝绒面料请干洗"',
        '48,OPERA,京剧花旦演出服 Peking Opera Costume,dress,259,359,5,110|120|130,粉色,缎面刺绣,96,包邮,"含水袖一对。手工刺绣，不可水洗，建议干洗"',
    ]
    faq = "question,answer,keywords\n演出服怎么洗？How do I wash the costumes?,亮片、刺绣类演出服请冷水手洗，不可机洗。,洗|wash\n"
    answerer = listings(tmp_path, rows, faq)
    # Of the two choir sets the words name, the one on screen; its listing says it is machine-washable.
    red = answerer.answer("合唱服能机洗吗", current_sku="RED")
    assert red.sku == "RED" and "可机洗" in red.text and "不可机洗" not in red.text
    # English "wash ... in water" reads the listing's 洗.
    suit = answerer.answer("can I wash this in water?", current_sku="SUIT")
    assert suit.sku == "SUIT" and "干洗" in suit.text
    # Two segments of one sentence that both say it are quoted together, not dropped as a tie.
    opera = answerer.answer("京剧服可以洗吗")
    assert opera.sku == "OPERA" and "不可水洗" in opera.text and "建议干洗" in opera.text
    # With no one product named, the shop's advice answers.
    assert "冷水手洗" in answerer.answer("衣服怎么洗").text


def test_a_bags_dimensions_are_quoted_whole(tmp_path: Path) -> None:
    rows = [
        '47,SLING,宠物外出斜挎包 Pet Sling Carrier,bag,89,129,20,均码,灰色,牛津布,48,包邮,"承重7kg以内。尺寸：长45cm，宽20cm，高28cm。"',
        '53,TOTE,牛仔帆布托特包 Denim Tote Bag,bag,79,99,5,均码,深蓝,帆布,48,包邮,"尺寸：宽38cm 高35cm 底宽10cm，可放14寸电脑"',
    ]
    answerer = listings(tmp_path, rows)
    sling = answerer.answer("47号包多大")
    assert all(part in sling.text for part in ("长45cm", "宽20cm", "高28cm")), sling
    tote = answerer.answer("what are the tote's dimensions")
    assert all(part in tote.text for part in ("宽38cm", "高35cm", "底宽10cm")), tote


def test_a_measure_of_a_part_is_read_from_the_segment_that_names_the_part(tmp_path: Path) -> None:
    rows = [
        '11,BIB,风驰竞赛背带短裤 Pro Bib Shorts,trouser,329,399,20,S|M|L,黑色,锦纶,48,包邮,"意大利进口高密度硅胶坐垫，厚度12mm，密度80kg/m³，适合长途骑行。网眼透气背带"',
        '8,FLARE,微喇叭牛仔裤 Flared Jeans,jeans,199,259,20,26|27|28,深蓝,棉,48,包邮,"高腰微喇，含4%氨纶高弹。裤脚宽24cm，内长78cm"',
        '20,HEAT,USB电热手套 Heated Gloves,accessory,199,259,20,M|L,黑色,锦纶,48,包邮,"附送2块3.7V 2200mAh锂电池；低档续航约6小时"',
        '28,BERET,羊毛贝雷帽 Wool Beret,hat,89,119,20,均码,黑色,羊毛,48,包邮,"头围54-58cm，可调节"',
    ]
    answerer = listings(tmp_path, rows)
    # A measure said by its noun alone ("厚度12mm") goes on the part before it; a unit's slash is no break.
    pad = answerer.answer("11号坐垫多厚")
    assert pad.sku == "BIB" and "坐垫" in pad.text and "12mm" in pad.text and "80kg/m³" in pad.text, pad
    assert "12mm" in answerer.answer("what's the chamois thickness on link 11").text
    # A part's measure of a size-asked product: the segment naming the part, not the waist sizes.
    assert "裤脚宽24cm" in answerer.answer("8号裤脚多宽").text
    assert "头围54-58cm" in answerer.answer("贝雷帽头围多大").text
    # "多久" asks a time: the segment with the battery's words but no time does not answer it.
    battery = answerer.answer("20号电池能用多久")
    assert not battery.answered or "6小时" in battery.text


@pytest.mark.parametrize(
    ("text", "sku", "fact"),
    [
        ("双肩包防水吗", "PACK", "600D防泼水涤纶"),  # the rain jacket's name says 防水: not which product
        ("41号防水吗", "PACK", "附带防雨罩"),
        ("狗牌会生锈吗", "TAG", "304不锈钢"),
        ("荧光骑行服会不会掉色", "MESH", "不要用漂白剂 否则会褪色"),  # the consequence stays with its rule
        ("阔腿牛仔裤有弹力吗", "WIDE", "无弹"),
    ],
)
def test_a_quality_asked_yes_or_no_is_read_in_the_listings_own_words_for_it(
    tmp_path: Path, text: str, sku: str, fact: str
) -> None:
    answerer = listings(
        tmp_path,
        [
            '41,PACK,骑行双肩包 15L Cycling Backpack,bag,169,219,11,均码,黑色,600D防泼水涤纶,48,包邮,"容量15L。附带防雨罩一个"',
            '46,RAIN,全防水骑行雨衣 Waterproof Rain Jacket,jacket,279,359,13,M|L,黄色,防水面料,48,包邮,"全压胶"',
            '34,TAG,双面刻字狗牌 Name Tag,accessory,29,39,50,均码,银色,304不锈钢,48,包邮,"激光刻字"',
            '2,MESH,荧光网眼骑行服 Hi-Vis Mesh Jacket,jacket,399,499,9,M|L,荧光黄,涤纶网布,48,包邮,"冷水手洗，不要用漂白剂，否则会褪色"',
            '8,WIDE,高腰阔腿牛仔裤 Wide-leg Jeans,jeans,199,259,30,26|27|28,蓝色,100%棉,48,包邮,"无弹，版型偏大"',
        ],
    )
    reply = answerer.answer_now(text)
    assert reply.answered and reply.sku == sku and fact in reply.text
