"""The FAQ matcher on a viewer's own words: body measurements, topics an entry never speaks of, English
keyword evidence, and the shop vocabulary that shares no word with a FAQ's wording."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.catalog import Faq, FaqEntry, load_catalog
from bot.qa.answerer import Answerer
from bot.qa.faq import BODY_MEASURE, FaqMatcher, measured, places
from bot.qa.intents import detect_intents
from bot.qa.text import normalize


def _entry(question: str, answer: str, keywords: str) -> FaqEntry:
    return FaqEntry(question, answer, tuple(keywords.split("|")))


HEIGHT = _entry(
    "尺码怎么选？How do I choose a size?",
    "按身高选码：身高100cm穿100码，110cm穿110码。Pick the size by height in cm.",
    "尺码|身高|选码|size|height|cm",
)
BABY = _entry(
    "宝宝尺码怎么选？How do baby sizes work?",
    "按月龄和体重：3-6个月7-9kg穿66码，6-12个月9-11kg穿73码。By months and weight: 66 for 3-6 months, 73 for 6-12.",
    "婴儿|月龄|体重|个月|kg|baby|newborn|months",
)
SHOES = _entry(
    "童鞋怎么选码？How do I choose shoe sizes?",
    "量脚长再加1厘米：脚长15cm穿25码，16cm穿26码。Measure the foot and add 1 cm: a 16 cm foot is size 26.",
    "鞋码|脚长|shoe size|foot",
)
DOWN = _entry(
    "羽绒服要选大一码吗？Should I size up for down coats?",
    "羽绒服建议按身高选大一码。Take one size up for down coats.",
    "羽绒服|大一码|down coat|size up",
)
WASH = _entry(
    "衣服怎么洗？How do I wash the clothes?",
    "冷水轻柔洗，羽绒服请手洗，不要机洗。Wash cold and gently; hand-wash down coats, never machine-wash.",
    "洗|清洗|wash",
)
RETURNS = _entry(
    "可以退换吗？Can I return things?",
    "7天无理由退换，吊牌完好即可。7-day returns if the tags are on.",
    "退换|退货|return|exchange",
)
INVOICE = _entry(
    "能开发票吗？Can I get an invoice?",
    "可以开电子发票，联系客服提供抬头和税号。Electronic invoices: send your details to customer service.",
    "发票|开票|invoice",
)
PRICE = _entry(
    "买了降价怎么办？Do you have price protection?",
    "下单7天内降价可以联系客服补差价。If the price drops within 7 days we refund the difference.",
    "补差价|价保|price protection",
)
RESTOCK = _entry(
    "卖完了还补货吗？Will sold-out items be restocked?",
    "售罄款一般两周内补货，到货会通知你。Sold-out items are usually restocked within two weeks.",
    "补货|restock",
)
SERVICE = _entry(
    "怎么联系客服？How do I contact customer service?",
    "售后问题请在订单里联系客服，质量问题包退换。For after-sales help contact customer service from your order.",
    "客服|售后|customer service",
)
FANS = _entry(
    "怎么加入粉丝团？How do I join the fan club?",
    "点主播头像花1抖币加入粉丝团，享粉丝专属价。Tap the host's avatar to join the fan club for fan-only prices.",
    "粉丝团|fan club",
)
SAFETY = _entry(
    "面料安全吗？Are the fabrics safe for babies?",
    "婴幼儿款符合A类标准，无甲醛无荧光剂。Baby items meet the Class A standard, with no formaldehyde.",
    "A类|安全|safe",
)
ABROAD = _entry(
    "偏远地区能发货吗？Do you ship to remote regions?",
    "新疆西藏补运费10元；港澳台和海外暂不发货。Xinjiang and Tibet pay 10 extra; no shipping to Hong Kong or abroad.",
    "新疆|西藏|偏远|港澳台|海外|overseas",
)
COURIER = _entry(
    "发什么快递？Which courier do you use?",
    "默认发中通。We ship with ZTO by default.",
    "快递|中通|courier",
)
EVERYTHING = (
    HEIGHT,
    BABY,
    SHOES,
    DOWN,
    WASH,
    RETURNS,
    INVOICE,
    PRICE,
    RESTOCK,
    SERVICE,
    FANS,
    SAFETY,
    ABROAD,
    COURIER,
)


def _match(text: str, *entries: FaqEntry) -> FaqEntry | None:
    found = FaqMatcher(Faq(entries or EVERYTHING)).match(normalize(text))
    return found.entry if found is not None else None


# -- 1. body measurements --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("宝宝7个月穿什么码", {"age"}),
        ("宝宝两岁穿什么码", {"age"}),
        ("按月龄选吗", {"age"}),
        ("she is 7 months old which size", {"age"}),
        ("my son is 2 years old", {"age"}),
        ("宝宝9公斤穿多大", {"weight"}),
        ("宝宝18斤", {"weight"}),
        ("baby weighs 9 kg what size", {"weight"}),
        ("宝宝脚长16厘米穿几码", {"foot"}),
        ("what shoe size for a 17cm foot", {"foot"}),
        ("孩子身高120穿几码", {"height"}),
        ("my kid is 110cm what size", {"height"}),
        ("我160 100斤穿什么码", {"height", "weight"}),
        # Not a body measurement: a size label, the host, a product size, a bag's load, a product's weight.
        ("袜子有1-3岁的吗", set()),
        ("6-12个月的有吗", set()),
        ("主播几岁了", set()),
        ("我要175码", set()),
        ("这个包能装10斤吗", set()),
        ("how much does it weigh", set()),
    ],
)
def test_what_was_measured(text: str, kinds: set[str]) -> None:
    norm = normalize(text)
    assert measured(norm) == kinds, text
    assert bool(re.search(BODY_MEASURE, norm)) == bool(kinds), text


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("宝宝脚长16厘米穿几码", SHOES),
        ("what shoe size for a 17cm foot", SHOES),
        ("宝宝7个月穿什么码", BABY),
        ("she is 7 months old which size", BABY),
        ("baby weighs 9 kg what size", BABY),
        ("宝宝9公斤穿多大码", BABY),
        ("孩子身高120穿几码", HEIGHT),
        ("my kid is 110cm what size", HEIGHT),
    ],
)
def test_a_measurement_finds_the_size_guide_for_it(text: str, entry: FaqEntry) -> None:
    assert _match(text) == entry, text


@pytest.mark.parametrize(
    "text", ["宝宝脚长16厘米穿几码", "what shoe size for a 17cm foot", "宝宝7个月穿什么码"]
)
def test_a_size_guide_for_another_measure_is_no_answer(text: str) -> None:
    # The only size guide is by height: a foot length or an age is not answered with the height table.
    assert _match(text, HEIGHT, WASH, RETURNS) is None, text


# -- 2. topics an entry never speaks of ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["羽绒服能扔洗衣机吗", "羽绒服可以机洗吗", "can i put the down coat in the washing machine"]
)
def test_a_washing_question_is_not_the_sizing_advice_that_shares_a_product_word(text: str) -> None:
    assert _match(text) == WASH, text
    assert _match(text, DOWN, RETURNS, HEIGHT) is None, text  # no entry speaks of washing: silence


@pytest.mark.parametrize("text", ["尺码不合适能换吗", "不合适可以退吗"])
def test_a_size_named_as_a_reason_is_still_a_returns_question(text: str) -> None:
    assert _match(text) == RETURNS, text


@pytest.mark.parametrize("text", ["要发票 写公司抬头", "can i get an invoice"])
def test_an_invoice_question_needs_an_entry_that_speaks_of_invoices(text: str) -> None:
    assert _match(text) == INVOICE
    assert _match(text, RETURNS, SERVICE, COURIER) is None, text


# -- 3. English keyword evidence -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["what would make a good gift for a newborn?", "is it ok for newborn skin, any chemicals?"]
)
def test_one_english_keyword_needs_the_rest_of_the_message_to_agree(text: str) -> None:
    # "newborn" is a keyword of the baby-size entry; nothing else in these messages is about sizes.
    assert _match(text, BABY, HEIGHT, RETURNS) is None, text


def test_the_english_rest_that_agrees_keeps_the_match() -> None:
    assert _match("what size for a newborn baby", BABY, HEIGHT, RETURNS) == BABY
    # The phrase the keyword came from ("which delivery company" -> 快递) is no disagreeing rest.
    assert _match("which delivery company do you use") == COURIER


def test_an_entry_without_english_is_not_judged_on_english_words() -> None:
    chinese_only = _entry("下单后多久能收到？", "一般3到5天送达。", "多久到|收到|delivery")
    assert _match("how long does delivery take", chinese_only) == chinese_only


# -- 4. shop vocabulary ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        # invoices
        ("公司报销要票 能开吗", INVOICE),
        ("能开个票吗", INVOICE),
        ("i need a receipt to expense it", INVOICE),
        ("can i get it reimbursed by my company", INVOICE),
        # price protection
        ("我前天拍的今天便宜了怎么办", PRICE),
        ("买了就降价了", PRICE),
        ("能退差价吗", PRICE),
        ("it got cheaper after i bought it", PRICE),
        ("do you do price protection", PRICE),
        # restock
        ("卖完的还会再上吗", RESTOCK),
        ("还会补货吗", RESTOCK),
        ("求返场", RESTOCK),
        ("will the sold out ones come back", RESTOCK),
        ("will it be restocked", RESTOCK),
        # after-sales
        ("售后找谁啊", SERVICE),
        ("拉链坏了怎么办", SERVICE),
        ("who do i talk to about a broken zip", SERVICE),
        ("my parcel arrived damaged", SERVICE),
        # fan club
        ("怎么加粉丝团", FANS),
        ("灯牌怎么点亮", FANS),
        ("how do i become a fan member", FANS),
        # safety for babies
        ("有甲醛吗", SAFETY),
        ("宝宝皮肤敏感能穿吗", SAFETY),
        ("is it ok for newborn skin, any chemicals?", SAFETY),
        ("is it formaldehyde free", SAFETY),
        # Hong Kong, Macau, Taiwan, abroad
        ("能寄到香港吗", ABROAD),
        ("我在台湾 能发吗", ABROAD),
        ("do you ship to hong kong", ABROAD),
    ],
)
def test_a_viewers_words_reach_the_faq_written_in_the_shops_words(text: str, entry: FaqEntry) -> None:
    assert _match(text) == entry, text


@pytest.mark.parametrize(
    ("text", "not_entry"),
    [
        ("买两件能便宜点吗", PRICE),  # bargaining, not a price drop after buying
        ("还会有优惠吗", RESTOCK),  # more discounts, not a restock
        ("will you be back tomorrow", RESTOCK),  # the host, not the stock
        ("运费能报销吗", INVOICE),  # who pays the postage
        ("破洞牛仔裤还有吗", SERVICE),  # ripped jeans are a style, not damage
        ("这个颜色显皮肤白吗", SAFETY),  # the skin tone, not its safety
        ("台湾产的吗", ABROAD),  # where it is made, not where it ships
        ("这条水洗牛仔裤多少钱", WASH),  # a washed finish, not how to wash
    ],
)
def test_look_alike_words_do_not_reach_that_faq(text: str, not_entry: FaqEntry) -> None:
    assert _match(text) != not_entry, text


# -- 5. what blind8 found: parcels, return postage, the model, places, the host, washing oneself ---------

PRIVACY = _entry(
    "包装是保密的吗？",
    "孕妇用品都用不透明的隐私包装袋，外面不写商品名。Maternity items ship in plain opaque packaging.",
    "隐私|包装|保密|不透明|privacy|discreet|packaging|package",
)
GIFT_WRAP = _entry(
    "可以礼盒包装吗？Do you offer gift wrapping?",
    "加10元可以礼盒包装。A gift box is 10 yuan extra.",
    "礼盒|包装|gift box|gift wrap|packaging",
)
POSTAGE = _entry(
    "退货运费谁出？",
    "每单都送运费险，退换货的运费由保险赔付。Every order comes with return-shipping insurance that covers the postage.",
    "运费险|退货运费|return shipping|return postage|insurance",
)
MODEL = _entry(
    "模特穿的几码？",
    "模特身高165cm、体重150斤穿2XL。The model is 165cm and wears 2XL.",
    "模特|身高|height|model",
)
WEIGHT_GUIDE = _entry(
    "尺码怎么选？按体重对应几码？",
    "按体重选码：XL 120-140斤，2XL 140-160斤。Size by weight: XL 60-70kg，2XL 70-80kg.",
    "尺码|码数|选码|体重|斤|size|sizing|weight|kg",
)
MATERNITY = _entry(
    "孕妇装怎么选码？",
    "按孕前尺码选；托腹裤孕中期(4-6个月)选L。Pick your pre-pregnancy size; 2nd trimester L.",
    "孕期|几个月|怀孕|pregnant|pregnancy|months",
)
MATERNITY_SAFETY = _entry(
    "孕妇穿安全吗？",
    "孕妇装都是A类面料，无荧光剂。Our maternity wear uses Class A fabric with no fluorescent agents.",
    "A类|安全|荧光剂|孕妇能穿|safe|class A",
)
# Names Chinese regions and Hong Kong, Macao and Taiwan, nothing abroad.
REMOTE = _entry(
    "偏远地区包邮吗？",
    "新疆、西藏及港澳台地区不包邮，需补运费15元。Xinjiang、Tibet and HK/Macao/Taiwan: 15 yuan extra.",
    "新疆|西藏|偏远|香港|澳门|台湾|remote|xinjiang|tibet|hong kong",
)
LIVE = _entry(
    "每天几点直播？",
    "每天晚上7点到11点直播。We're live every evening 7-11pm.",
    "几点|直播时间|开播|什么时候播|live hours|schedule|what time",
)


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("寄过来外面能看出是啥东西吗", PRIVACY),
        ("快递盒上会写是什么吗", PRIVACY),
        ("will the parcel say what's inside? privacy pls", PRIVACY),
        ("what if the price goes down after I order", PRICE),
        ("after i paid the price dropped", PRICE),
        ("my order arrived with a hole, what now", SERVICE),
        ("there's a stain on it when it came", SERVICE),
        ("is the fabric safe when pregnant", SAFETY),  # "when" here asks no time
        ("who pays for return postage", POSTAGE),
        ("how tall is the model and what size is she wearing", MODEL),
        ("what size is the model wearing", MODEL),
    ],
)
def test_blind8_paraphrases_reach_their_entry(text: str, entry: FaqEntry) -> None:
    assert _match(text, *EVERYTHING, PRIVACY, GIFT_WRAP, POSTAGE, MODEL, WEIGHT_GUIDE) == entry, text


@pytest.mark.parametrize("text", ["卖完的还补不补啊", "断货的还补吗"])
def test_a_restock_paraphrase_brings_the_policy_word(text: str) -> None:
    # The answerer takes "补货" for a shop policy: without it, a stock question with no product stays silent.
    assert "补货" in FaqMatcher(Faq(EVERYTHING)).expand(normalize(text)), text


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        # Privacy is not gift wrapping, though both speak of packaging; gift boxes are not privacy.
        ("is the packaging discreet", (GIFT_WRAP, RETURNS)),
        ("快递盒上会写是什么吗", (GIFT_WRAP, RETURNS)),
        ("外面套件开衫能看出孕肚吗", (PRIVACY, GIFT_WRAP)),
        # Who pays the return postage is not whether returns are allowed.
        ("who pays for return postage", (RETURNS, COURIER)),
        # The model's height and size are not a size guide's.
        ("what size is the model wearing", (WEIGHT_GUIDE, BABY)),
        # "孕妇能穿" is a keyword, but high heels are not the fabric.
        ("孕妇能穿高跟鞋吗", (MATERNITY_SAFETY, MATERNITY)),
        # Washing one's hair is not washing clothes.
        ("坐月子能洗头吗", (WASH, RETURNS)),
        ("can i wash my hair after giving birth", (WASH, RETURNS)),
        # The host's own baby and pregnancy are hers to tell, not the maternity size guide.
        ("主播宝宝几个月了", (MATERNITY, BABY)),
        ("is the host pregnant too?", (MATERNITY, BABY)),
        ("are you pregnant", (MATERNITY,)),
        # When it ships is not when the show is on.
        ("今天拍明天能发不", (LIVE, COURIER)),
    ],
)
def test_blind8_look_alikes_stay_silent(text: str, entries: tuple[FaqEntry, ...]) -> None:
    assert _match(text, *entries) is None, text


@pytest.mark.parametrize(
    "text", ["怀孕5个月穿多大码", "主播怀孕5个月穿多大码", "6 months pregnant which size"]
)
def test_a_viewers_own_pregnancy_still_reaches_the_maternity_guide(text: str) -> None:
    # "主播" opens many a viewer's own question: only a question about the host herself is hers.
    assert _match(text, MATERNITY, MATERNITY_SAFETY) == MATERNITY, text
    assert _match("主播宝宝几个月了", MATERNITY) is None


@pytest.mark.parametrize(
    "text", ["do you ship to Canada", "can you ship to the US", "寄到美国吗", "能寄到日本吗"]
)
def test_a_country_an_entry_does_not_name_is_not_answered_by_it(text: str) -> None:
    assert _match(text, REMOTE, COURIER) is None, text
    assert _match(text, REMOTE, ABROAD) == ABROAD, text  # an entry that speaks of abroad does


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("do you ship to hong kong", REMOTE),
        ("新疆包邮吗", REMOTE),
        ("能寄到香港吗", REMOTE),  # the entry that names 香港 as the viewer wrote it, as in English
        ("do you ship abroad", ABROAD),
    ],
)
def test_a_place_the_entry_names_keeps_it(text: str, entry: FaqEntry) -> None:
    assert _match(text, REMOTE, ABROAD) == entry, text


def test_places_by_region() -> None:
    assert places(normalize("do you ship to the US")) == {"abroad"}
    assert places(normalize("能寄到加拿大吗")) == {"abroad"}
    assert places(normalize("新疆包邮吗")) == {"xinjiang", "mainland"}
    assert places(normalize("广东几天到")) == {
        "mainland"
    }  # any mainland region: an exceptions list answers it
    assert places(normalize("能寄香港吗")) == {"hong kong"}
    assert places(normalize("send it back to us")) == set()  # "us" is the shop
    free = _entry("包邮吗？", "满99包邮，新疆、西藏不包邮。Free over 99; not Xinjiang or Tibet.", "包邮|运费")
    assert _match("广东包邮吗", free) == free


# -- 6. what blind9 found: pre-sale with in-stock, made to measure, a hole that arrived, 'if ..., do I' ----

PRESALE = _entry(
    "预售什么时候发货？When do pre-orders ship?",
    "预售款按商品页的时间发货，最长15天；现货和预售一起下单会等预售到了一起发，想先收现货请分开拍。"
    "Pre-orders ship on the date shown, within 15 days; in-stock items ordered with them wait, so order "
    "them separately to get them first.",
    "预售|什么时候发|多久发|presale|pre-order",
)
DISPATCH = _entry(
    "什么时候发货？When do you ship?",
    "付款后48小时内发货。We ship within 48 hours of payment.",
    "发货|什么时候发|ship|dispatch",
)
CUSTOM = _entry(
    "旗袍可以定制吗？Can I order a custom qipao?",
    "可以量体定制，提供胸围、腰围、臀围，做工约30天。Made to measure: send bust, waist and hip; about 30 days.",
    "定制|量体|custom|made to measure",
)
QUALITY = _entry(
    "收到有质量问题怎么办？What if it arrives damaged?",
    "破损、抽丝等质量问题48小时内拍照联系客服。Send photos to customer service within 48 hours.",
    "质量|破损|售后|quality|damaged",
)
ARRIVAL = _entry("下单后多久能收到？", "一般3到5天送达。", "几天到|多久到|收到|delivery")
BLIND9 = (*EVERYTHING, PRESALE, CUSTOM, QUALITY, WEIGHT_GUIDE)


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("旗袍能按我自己的尺寸做吗", CUSTOM),
        ("可以定做吗", CUSTOM),
        ("can you make one to my measurements", CUSTOM),
        ("will the pre-order and the in-stock top ship together", PRESALE),
    ],
)
def test_blind9_paraphrases_reach_their_entry(text: str, entry: FaqEntry) -> None:
    assert _match(text, *BLIND9) == entry, text


@pytest.mark.parametrize("text", ["收到衣服有个洞怎么办", "衣服有个小洞", "收到有个洞"])
def test_a_hole_that_arrived_is_a_quality_problem(text: str) -> None:
    assert _match(text, QUALITY, RETURNS, ARRIVAL, WASH) == QUALITY, text


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        # Shipping together is not the plain dispatch time, though both say when things ship.
        ("预售的和现货一起拍 会先发现货吗", (DISPATCH, COURIER)),
        ("can you ship them together", (DISPATCH, COURIER)),
        # Making it to the viewer's measurements is not the size guide.
        ("can you make it in my size", (HEIGHT, WEIGHT_GUIDE)),
        # A hole that arrived is not how long delivery takes, though both say 收到.
        ("收到有个洞", (ARRIVAL, RETURNS)),
    ],
)
def test_blind9_look_alikes_stay_silent(text: str, entries: tuple[FaqEntry, ...]) -> None:
    assert _match(text, *entries) is None, text


@pytest.mark.parametrize(
    ("text", "not_entry"),
    [
        ("怎么量身高", CUSTOM),  # measuring one's height, not 量身定做
        ("破洞牛仔裤有个洞是设计吗", QUALITY),  # a ripped style, not damage
    ],
)
def test_blind9_look_alike_words_do_not_reach_that_faq(text: str, not_entry: FaqEntry) -> None:
    assert _match(text, *BLIND9) != not_entry, text


def test_a_product_named_custom_is_no_custom_making_question() -> None:
    # "定制" in a product's name ("香云纱定制旗袍") does not make a washing question about custom making.
    assert _match("香云纱定制旗袍怎么洗", *BLIND9) == WASH


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("if it gets cheaper after I order do I get money back", True),
        ("if it's sold out can you restock it", True),
        ("if you like it just buy it", False),
        ("if you like it do it", False),  # "do it" says, it does not ask
    ],
)
def test_a_question_after_a_condition_is_a_question(text: str, question: bool) -> None:
    assert detect_intents(normalize(text)).question_like is question, text


def _qipao_shop(tmp_path: Path) -> Answerer:
    rows = [
        "link,sku,name,category,price,original_price,stock,sizes,colors,material,ship_hours,free_shipping,description",
        "1,Q1,真丝旗袍 Silk Qipao,dress,560,800,20,S|M|L,月白,桑蚕丝,48,包邮,",
        "2,Q2,蕾丝旗袍 Lace Qipao,dress,269,359,0,S|M,白色,蕾丝,48,包邮,",
        "3,H1,宋制三件套 Song-Style Set,dress,368,368,30,155-160cm|160-165cm,藕粉,棉麻,360,包邮,预售15天",
    ]
    (tmp_path / "catalog.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return Answerer(
        load_catalog(tmp_path / "catalog.csv"), Faq((PRESALE, CUSTOM, QUALITY, PRICE, HEIGHT)), seed=0
    )


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        # "现货" reads as a stock question; the pre-sale entry is what it asks.
        ("预售的和现货一起拍 会先发现货吗", "分开"),
        ("收到衣服有个洞怎么办", "48"),
        ("if it gets cheaper after I order do I get money back", "7天"),
    ],
)
def test_blind9_policy_questions_get_the_faq_answer(text: str, fact: str, tmp_path: Path) -> None:
    answer = _qipao_shop(tmp_path).answer(text)
    assert answer.answered and answer.intent == "faq" and fact in answer.text, (text, answer)


REPROOF = _entry(
    "防水性能变差了怎么办 My jacket is no longer repelling water",
    "低温烘干20分钟即可恢复防泼水。Tumble dry low for 20 minutes to reactivate the water repellency.",
    "防水|泼水|渗水|re-proof|waterproofing",
)
WARRANTY = _entry(
    "质保和售后 Warranty and after-sales",
    "鞋靴开胶等质量问题享受1年质保。1-year warranty on defects such as sole separation.",
    "质保|保修|售后|warranty|repair",
)
COUPON = _entry(
    "优惠券怎么领 Coupons",
    "满300减30，点屏幕左下角领取。30 off orders of 300: tap the bottom-left corner to claim.",
    "优惠券|满减|coupon|voucher",
)
FIT = _entry(
    "尺码怎么选 How do I choose my size?",
    "按平时尺码选，登山鞋建议大半码。Take your usual size; hiking boots half a size up.",
    "尺码|码数|选码|偏大|偏小|size",
)
RATING = _entry(
    "防水指数什么意思 What does 10000mm waterproof mean?",
    "10000mm表示能承受10米水柱，足够应对大雨。A 10000mm rating withstands heavy rain.",
    "防水指数|mm|waterproof rating",
)
OUTDOOR = (REPROOF, WARRANTY, COUPON, FIT, RATING, RETURNS, PRICE)


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("衣服不挡水了咋办 水珠都不滚了", REPROOF),  # the finish stopped working, in other words
        ("my jacket stopped beading water what do i do", REPROOF),
        ("what if the boots fall apart, any guarantee?", WARRANTY),
        ("券在哪儿领啊", COUPON),
        ("衣服大小咋挑 我平常穿L", FIT),
        ("登山鞋要不要买大点", FIT),
        ("一万毫米防水下暴雨扛得住吗", RATING),  # 毫米 is the rating's mm
        ("the price went down after i bought, can i get money back?", PRICE),
        ("穿过了还能退吗", RETURNS),
    ],
)
def test_blind12_paraphrases_reach_their_entry(text: str, entry: FaqEntry) -> None:
    assert _match(text, *OUTDOOR) == entry, text


@pytest.mark.parametrize(
    "text",
    [
        # Whether a product has a property is its own fact, not the re-proofing advice.
        "腰包防水吗",
        "这个防水吗",
        "冲锋衣防水性好吗",
        "is the poncho waterproof",
        "are these boots waterproof",
        # Having worn a brand is a review request, not a return.
        "有谁穿过这个牌子的",
        "has anyone tried this brand",
    ],
)
def test_blind12_look_alikes_stay_silent(text: str) -> None:
    assert _match(text, *OUTDOOR) is None, text


def test_an_entry_that_asks_the_property_itself_answers_it() -> None:
    all_waterproof = _entry(
        "衣服都防水吗 Are the jackets waterproof?",
        "所有冲锋衣都防水。All our shells are waterproof.",
        "防水|waterproof",
    )
    for text in ("这个防水吗", "is it waterproof"):
        assert _match(text, REPROOF, all_waterproof) == all_waterproof, text


GENERAL_RETURNS = _entry(
    "可以退换货吗？Can I return or exchange?",
    "支持7天无理由退换：未穿未洗、吊牌完整即可。Returns within 7 days if unworn and unwashed.",
    "退货|退换|换货|退款|return|exchange|refund",
)
UNDERWEAR_RETURNS = _entry(
    "内裤袜子能退吗？Can underwear or socks be returned?",
    "内裤、袜子属贴身衣物，拆封后不退不换。Underwear and socks cannot be returned once opened.",
    "内裤|袜子|贴身|拆封|underwear|socks|opened",
)


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("内裤能退吗", UNDERWEAR_RETURNS),
        ("袜子拆了能退吗", UNDERWEAR_RETURNS),
        ("can i return underwear if it doesn't fit", UNDERWEAR_RETURNS),
        ("可以退货吗", GENERAL_RETURNS),
        ("return policy?", GENERAL_RETURNS),
    ],
)
def test_the_entry_about_the_thing_named_over_the_general_one(text: str, entry: FaqEntry) -> None:
    assert _match(text, GENERAL_RETURNS, UNDERWEAR_RETURNS) == entry, text
