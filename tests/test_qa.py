"""Grounded answers: each intent in both languages, linking, ambiguity, silence, follow-ups, the FAQ."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.catalog import Catalog, Faq, format_price, load_catalog, load_faq
from bot.qa.answerer import Answerer
from bot.qa.intents import detect_intents
from bot.qa.linking import ProductIndex
from bot.qa.needs import NeedReader, reader_available
from bot.qa.text import normalize

HEADER = "link,sku,name,category,price,original_price,stock,sizes,colors,material,ship_hours,free_shipping,description"


@pytest.fixture(scope="module")
def faq() -> Faq:
    return load_faq()


@pytest.fixture
def answerer(catalog: Catalog, faq: Faq) -> Answerer:
    return Answerer(catalog, faq, seed=7)


def product(catalog: Catalog, link: int):
    found = catalog.by_link(link)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("text", "link", "intent", "facts"),
    [
        ("2号还有货吗", 2, "stock", ["有货"]),
        ("is link 2 still available", 2, "stock", ["in stock"]),
        ("4号还有吗", 4, "stock", ["3"]),  # low stock: the real count
        ("1号有XL码吗", 1, "size", ["XL"]),
        ("does link 3 come in xl", 3, "size", ["S/M/L"]),
        ("2号有什么颜色", 2, "color", ["黑色", "白色", "雾霾蓝"]),
        ("what colours does link 2 come in", 2, "color", ["雾霾蓝"]),
        ("8号什么材质", 8, "material", ["70%羊毛"]),
        ("what material is link 1", 1, "material", ["纯棉"]),
        ("1号几天发货", 1, "shipping", ["24"]),
        ("how long to ship link 15", 15, "shipping", ["72"]),
        ("2号打几折", 2, "discount", ["129", "79", "50"]),
        ("any discount on link 5", 5, "discount", ["229", "159", "70"]),
        ("3号有优惠吗", 3, "discount", ["59"]),  # no markdown: said so, with the price
    ],
)
def test_each_product_intent_in_both_languages(
    text: str, link: int, intent: str, facts: list[str], answerer: Answerer, catalog: Catalog
) -> None:
    answer = answerer.answer(text)
    assert answer.answered, text
    assert (answer.intent, answer.sku) == (intent, product(catalog, link).sku)
    for fact in facts:
        assert fact.lower() in normalize(answer.text), (text, answer.text)
    assert answer.language == ("en" if text.isascii() else "zh")


def test_sold_out_is_plain_and_never_in_stock(answerer: Answerer, catalog: Catalog) -> None:
    for link in (p.link for p in catalog.products if p.stock == 0):
        text = answerer.answer(f"{link}号还有货吗").text
        assert "售罄" in text and "有货" not in text
        assert "sold out" in answerer.answer(f"is link {link} in stock").text


def test_size_and_colour_the_product_lacks_are_said_not_invented(answerer: Answerer) -> None:
    text = answerer.answer("3号有XL吗").text  # link 3 comes in S/M/L
    assert "没有XL码" in text and "S/M/L" in text
    text = answerer.answer("1号有黑色吗").text  # link 1 is white only
    assert "没有黑色" in text and "白色" in text


def test_names_partial_names_and_category_with_colour(answerer: Answerer, catalog: Catalog) -> None:
    assert answerer.answer("羊绒围巾多少钱").sku == product(catalog, 43).sku
    assert answerer.answer("小白鞋有38码吗").sku == product(catalog, 24).sku
    assert answerer.answer("how much are the chelsea boots").sku == product(catalog, 31).sku
    assert answerer.answer("风衣多少钱").sku == product(catalog, 16).sku  # the one coat named 风衣


def test_ambiguity_lists_the_candidates_never_picks_one(answerer: Answerer, catalog: Catalog) -> None:
    for text in ("黑色连衣裙多少钱", "black dress price?"):
        answer = answerer.answer(text)
        assert answer.answered and answer.sku is None
        for link in (11, 12):  # the two black dresses
            p = product(catalog, link)
            assert str(link) in answer.text and format_price(p.price) in answer.text
    # A discount asked of both: each one's saving, the viewer need not say which to learn it.
    both = answerer.answer("黑色连衣裙原价多少")
    assert both.sku is None and "原价¥399" in both.text and "省¥130" in both.text and "不打折" in both.text


def test_on_screen_product_and_follow_ups(answerer: Answerer, catalog: Catalog) -> None:
    on_screen, earlier = product(catalog, 2), product(catalog, 11)
    assert answerer.answer("这件有黑色吗", current_sku=on_screen.sku).sku == on_screen.sku
    assert answerer.answer("what material is this one", current_sku=on_screen.sku).sku == on_screen.sku
    # "那...呢" follows the viewer's own last question, not the screen.
    follow = answerer.answer("那有L码吗", current_sku=on_screen.sku, previous_sku=earlier.sku)
    assert follow.sku == earlier.sku and "L" in follow.text
    english = answerer.answer("and in L?", current_sku=on_screen.sku, previous_sku=earlier.sku)
    assert english.sku == earlier.sku


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("能开发票吗", "电子普通发票"),
        ("可以开发票吗", "电子普通发票"),
        ("开票可以不", "电子普通发票"),
        ("支持七天无理由吗", "7天"),
        ("return policy?", "7天"),
        ("can I get an invoice", "发票"),
        ("新疆包邮吗", "偏远地区"),
        ("do you ship to the US?", "大陆"),
        ("可以发顺丰吗", "快递"),
        ("我160 100斤穿什么码", "身高"),
    ],
)
def test_faq_paraphrases(text: str, fact: str, answerer: Answerer) -> None:
    answer = answerer.answer(text)
    assert answer.answered and answer.intent == "faq", (text, answer)
    assert fact in answer.text


@pytest.mark.parametrize(
    ("text", "current"),
    [
        ("666", None),
        ("哈哈哈哈哈", "TS01"),
        ("主播好美", "TS01"),
        ("来了来了", None),
        ("hello everyone", None),
        ("加微信 abc123 领福利", None),
        ("主播多高", "TS01"),
        ("主播穿的什么码", "TS01"),
        ("3号和5号哪个好", None),
        ("多少钱", None),  # nothing on screen: no product to quote
        ("还有货吗", None),
        ("今天几点下播", None),
        ("omg this color", "DR03"),
        ("5号裤长多少", None),
    ],
)
def test_silence_when_the_data_cannot_answer(text: str, current: str | None, answerer: Answerer) -> None:
    assert not answerer.answer(text, current_sku=current).answered, text


def test_unanswered_questions_are_marked_for_the_queue(answerer: Answerer) -> None:
    assert answerer.answer("这件多少钱").queue
    assert answerer.answer("主播穿的什么码", current_sku="TS01").queue
    assert not answerer.answer("666").queue


def test_nonexistent_link_says_so_without_facts(answerer: Answerer) -> None:
    for text in ("99号多少钱", "link 77 in stock?", "６６号什么颜色"):
        answer = answerer.answer(text)
        assert answer.sku is None and "¥" not in answer.text


def test_typos_of_live_chat(answerer: Answerer, catalog: Catalog) -> None:
    assert answerer.answer("14号多少前").sku == product(catalog, 14).sku
    assert answerer.answer("how mcuh is link 34").sku == product(catalog, 34).sku
    assert answerer.answer("22号尺马有哪些").intent == "size"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("14号几钿", "price"),  # Shanghainese
        ("14号冇货咩", "stock"),  # Cantonese
        ("14号还有莫得", "stock"),  # Sichuanese
        ("14號多少錢", "price"),  # traditional characters
        ("14号有货伐", "stock"),
        ("14号baoyou吗", "shipping"),  # pinyin typed against the Chinese, no space
        ("lianjie 14 duoshao qian", "price"),
        ("14号多少q", "price"),  # q for 钱
        ("14号什么配色", "color"),
        ("14号什么花色", "color"),  # a print is asked as its colours
        ("14号是什么图案的", "color"),
        ("14号仲有几多件", "stock"),  # Cantonese: 仲有 还有, 几多 多少
        ("14号咩料", "material"),  # 咩 什么
        ("14號幾多米", "price"),
    ],
)
def test_regional_chinese_and_traditional_characters(
    text: str, intent: str, answerer: Answerer, catalog: Catalog
) -> None:
    answer = answerer.answer(text)
    assert answer.answered and answer.sku == product(catalog, 14).sku and answer.intent == intent, answer


def test_recommend_names_in_stock_products(answerer: Answerer, catalog: Catalog) -> None:
    sold_out = next(p for p in catalog.products if p.stock == 0)
    answer = answerer.answer("主播推荐一下", current_sku="TS02", popular=[sold_out.sku, "DR01"])
    assert answer.answered and answer.intent == "recommend"
    assert "2号" in answer.text and "11号" in answer.text and f"{sold_out.link}号" not in answer.text


def test_a_malformed_catalog_row_never_breaks_answering(tmp_path: Path, faq: Faq) -> None:
    lines = Path(load_catalog().source).read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",59,59,", ",fifty,59,")  # link 3's price is now garbage
    path = tmp_path / "catalog.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    catalog = load_catalog(path)
    assert len(catalog.problems) == 1 and "price" in catalog.problems[0]
    answerer = Answerer(catalog, faq)
    assert answerer.answer("2号多少钱").answered
    missing = answerer.answer("3号多少钱")
    assert missing.sku is None and "¥" not in missing.text  # the skipped row is not quoted


REPO = Path(__file__).resolve().parents[1]


def test_the_projects_case_set_meets_the_bar(catalog: Catalog, faq: Faq) -> None:
    from bot.qa.evaluate import load_cases, run_cases

    # As `livebot evaluate qa` runs it: with the need reader where the engine is installed.
    reader = NeedReader(catalog) if reader_available() else None
    answerer = Answerer(catalog, faq, reader=reader)
    report = run_cases(answerer, load_cases(REPO / "tests/data/qa_cases.jsonl")).as_json()
    assert report["pass_rate"] >= 0.95
    assert report["wrong_facts"] == 0
    assert report["false_answer_rate"] <= 0.02


# blind16, 17 and 19-43 are not here: after their fixes they are still below the bars (see their READMEs).
@pytest.mark.parametrize("folder_name", ["independent", *(f"blind{n}" for n in (*range(2, 16), 18))])
def test_shops_written_by_someone_else_still_pass(folder_name: str) -> None:
    """Catalogs, FAQs and cases written without seeing this code; since used to fix bugs, so regression
    tests now, not measures of generalisation (see each folder's README)."""
    from bot.qa.evaluate import load_cases, resolve_links, run_cases

    folder = REPO / "tests/data" / folder_name
    catalog = load_catalog(folder / "catalog.csv")
    # Seeded: the phrasing is picked at random, and a few cases accept only some of the phrasings.
    reader = NeedReader(catalog) if reader_available() else None
    answerer = Answerer(catalog, load_faq(folder / "faq.csv"), seed=0, reader=reader)
    unknown: list[str] = []
    cases = resolve_links(load_cases(folder / "cases.jsonl"), catalog, unknown)
    assert unknown == []
    report = run_cases(answerer, cases).as_json()
    assert report["pass_rate"] >= 0.90
    assert report["wrong_facts"] <= 0.01 * report["cases"]


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("how much are the slippers", 19),  # a kind word: the one product whose name says 凉拖
        ("bucket hat price", 41),  # 渔夫帽: an English kind for a Chinese-only name
        ("beanie colours", 42),
        ("how much is the belt", 47),  # one belt among the accessories: answered, not listed
        ("cashmere scarf how much", 43),  # "cashmere" is in a sweater's name, but a scarf was asked
        ("whats the price on 12", 12),
    ],
)
def test_english_kind_words_find_products_with_chinese_names(
    text: str, link: int, answerer: Answerer, catalog: Catalog
) -> None:
    answer = answerer.answer(text)
    assert answer.answered and answer.sku == product(catalog, link).sku, (text, answer)


def test_a_word_is_matched_on_word_edges_and_never_through_another_word(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "1,B1,法棍腋下包 Baguette,bag,149,249,10,,黑色,牛皮,24,true,",
        "2,B2,编织草编包,bag,59,59,10,,原色,纸草,24,true,",
        "3,B3,通勤双肩包,bag,129,129,10,,灰色,尼龙,48,false,",
        "4,S1,格纹披肩,scarf,79,99,10,200x70cm,红格,腈纶,24,false,",
    ]
    answerer = shop(tmp_path, rows)
    # "bag" is not inside "Baguette": the straw bag is the one asked about.
    assert answerer.answer("price of the straw bag").sku == "B2"
    # "肩包" of "披肩包邮吗" cuts through 披肩 and 包邮: the shawl, not the backpack.
    assert answerer.answer("披肩包邮吗").sku == "S1"
    # Sizes in units answer "how long"; a bag with no sizes does not.
    assert "200x70cm" in answerer.answer("披肩有多长").text
    assert not answerer.answer("双肩包多大").answered


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("羊绒围巾多少", ["299"]),  # the material word is part of the name: a price question
        ("43号还剩多少", ["50"]),  # asked how many: the count, even when it is not low
    ],
)
def test_the_question_is_what_is_asked_not_the_words_of_the_name(
    text: str, facts: list[str], answerer: Answerer
) -> None:
    answer = answerer.answer(text)
    assert answer.answered
    for fact in facts:
        assert fact in answer.text, (text, answer.text)


@pytest.mark.parametrize(
    "text",
    ["主播脚多大码", "what size do you wear", "福袋什么时候发", "今天几点下播", "这件适合多大年龄"],
)
def test_questions_about_the_host_or_giveaways_get_no_shop_answer(text: str, answerer: Answerer) -> None:
    assert not answerer.answer(text, "TS03").answered, text


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("退货运费谁出啊", "运费险"),
        ("who pays return shipping", "运费险"),
        ("袜子拆了还能退吗", "拆封"),
        ("我地址写错了", "修改地址"),
        ("i put the wrong address", "修改地址"),
    ],
)
def test_policy_paraphrases_reach_the_faq(text: str, fact: str, answerer: Answerer) -> None:
    answer = answerer.answer(text)
    assert answer.answered and answer.intent == "faq" and fact in answer.text, (text, answer)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("XXL", "2xl"),
        ("2XL", "2xl"),
        ("xxxxl", "4xl"),
        ("6XL", "6xl"),
        ("XL", "xl"),
        ("3 XL", "3xl"),
        ("M", "m"),
    ],
)
def test_plus_sizes_in_any_form_are_one_size(written: str, canonical: str) -> None:
    from bot.qa.answers import canonical_size

    assert canonical_size(normalize(written)) == canonical


def test_a_recommendation_keeps_to_the_asked_category_and_price(answerer: Answerer, catalog: Catalog) -> None:
    reply = answerer.answer("150以内的裤子有推荐吗")
    assert reply.answered
    prices = {p.link: p for p in catalog.products}
    shown = [prices[int(n)] for n in re.findall(r"(\d+)号", reply.text)]
    assert shown and all(p.category == "trouser" and p.price <= 150 and p.in_stock for p in shown)
    assert not answerer.answer("推荐一款10块以内的裤子").answered  # nothing fits: silence, not another item


@pytest.mark.parametrize(
    "text", ["check out www.cheap-tees.com best price", "加v看福利 连衣裙", "点我头像 领T恤"]
)
def test_adverts_naming_products_get_no_answer(text: str, answerer: Answerer) -> None:
    assert not answerer.answer(text).answered


def shop(tmp_path: Path, rows: list[str], faq_rows: list[str] | None = None) -> Answerer:
    """An answerer (seed 1) on a catalog, and optionally a FAQ, written from CSV lines into `tmp_path`."""
    (tmp_path / "catalog.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    faq = None
    if faq_rows is not None:
        (tmp_path / "faq.csv").write_text("\n".join(faq_rows) + "\n", encoding="utf-8")
        faq = load_faq(tmp_path / "faq.csv")
    return Answerer(load_catalog(tmp_path / "catalog.csv"), faq, seed=1)


def _sports_shop(tmp_path: Path) -> Answerer:
    rows = [
        HEADER,
        "1,M1,防滑瑜伽垫 8mm,accessory,129,199,40,183x61cm|183x80cm,紫色|Grey,TPE,72,包邮,双面防滑",
        "2,G1,瑜伽垫收纳背包 Yoga Mat Bag,bag,79,99,30,,黑色,帆布,48,包邮,可装瑜伽垫",
        "3,T1,速干短袖T恤,tshirt,49.9,49.9,200,S|M|L,白色,聚酯纤维,24,包邮,",
        "4,B1,徒步短靴,ankle_boot,329,459,12,36|37|38,黑色,牛皮,96,包邮,",
        "5,G2,健身包 Gym Bag,bag,129,179,0,,黑色,牛津布,48,包邮,",
        "6,D1,网球连衣裙 Tennis Dress,dress,159.2,199,18,S|M|L,白色,聚酯纤维,48,包邮,",
    ]
    faq_rows = [
        "question,answer,keywords",
        "怎么洗,30度以下冷水手洗 / Hand wash below 30°C,洗|清洗|wash|washing",
        "是正品吗,自有品牌 工厂直发 假一赔十,正品|假货|authentic|genuine",
        "下单后能改地址吗,未发货前在订单页面修改地址,改地址|修改地址|address",
        "几点前下单当天发,每天下午4点前付款当天发货,几点|截止|当天发|今天发",
    ]
    (tmp_path / "catalog.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "faq.csv").write_text("\n".join(faq_rows) + "\n", encoding="utf-8")
    return Answerer(load_catalog(tmp_path / "catalog.csv"), load_faq(tmp_path / "faq.csv"), seed=3)


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("瑜伽垫多少钱", "M1"),  # a bag of mats is a bag: the name headed by 瑜伽垫 is the mat
        ("how much is the yoga mat", "M1"),  # only the bag's name says "yoga mat", as a modifier
        ("what sizes does the tpe mat come in", "M1"),  # "mat" names the mat's head noun
        ("yoga mat bag price", "G1"),
        ("瑜伽垫收纳包多少", "G1"),
        ("瑜伽垫包多少", None),  # may be either: listed, not picked
    ],
)
def test_the_head_noun_decides_between_candidates(text: str, sku: str | None, tmp_path: Path) -> None:
    answer = _sports_shop(tmp_path).answer(text)
    assert answer.answered and answer.sku == sku, (text, answer)
    if sku is None:
        assert "1号" in answer.text and "2号" in answer.text


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("3号有优惠吗", ["49.90", "不打折"]),  # plain words, not shop jargon like 划线价
        ("is link 3 on sale", ["49.90", "no discount"]),
        ("stock for #4?", ["12"]),  # "stock" asks the count
        ("4号库存", ["12"]),
        ("5号没了吗", ["售罄"]),
        ("what % off is the tennis dress", ["20% off", "39.80"]),
    ],
)
def test_product_facts_in_the_words_viewers_use(text: str, facts: list[str], tmp_path: Path) -> None:
    answerer = _sports_shop(tmp_path)
    for _ in range(3):  # every template
        answer = answerer.answer(text)
        assert answer.answered, text
        for fact in facts:
            assert fact in answer.text, (text, answer.text)
        assert "划线" not in answer.text and "markdown" not in answer.text


@pytest.mark.parametrize(
    ("text", "current", "fact"),
    [
        ("does this pill after washing", "T1", None),  # a product property the data lacks, not care policy
        ("洗了会缩水吗", "T1", None),
        ("how do i wash it", "T1", "30"),
        ("are your products authentic", None, "假一赔十"),
        ("i put the wrong address can i change it", None, "订单页面"),  # a long stated problem
        ("今天下单什么时候发", None, "4点"),
    ],
)
def test_faq_answers_only_what_it_speaks_of(
    text: str, current: str | None, fact: str | None, tmp_path: Path
) -> None:
    answer = _sports_shop(tmp_path).answer(text, current_sku=current)
    if fact is None:
        assert not answer.answered, (text, answer)
    else:
        assert answer.answered and fact in answer.text, (text, answer)


def test_blind6_fixes_material_words_colours_sizes_and_the_host(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "1,J1,商务立领夹克,jacket,429,660,21,M|L|XL,黑色,100%聚酯纤维,48,true,",
        "2,J2,针织休闲西装 Blazer,jacket,368,460,27,S|M|L,藏青色,65%棉 35%聚酯纤维,48,true,",
        "3,J3,Leather Jacket 真皮机车夹克,jacket,1580,1975,3,M|L|XL,黑色,绵羊皮,72,true,",
        "4,S1,免烫纯棉商务衬衫,shirt,159,265,120,38|39|40|41,白色,100%棉,24,true,",
        "5,S2,Oxford牛津纺衬衫,shirt,129.9,129.9,45,S|M|L,白色|蓝白条纹,100%棉,48,true,",
        "6,S3,亚麻短袖衬衫,shirt,139,199,7,M|L|XL,白色,55%亚麻 45%棉,48,true,",
        "7,B1,复古针扣皮带,accessory,89,89,12,105cm|115cm|125cm,棕色|Dark Brown,植鞣牛皮,48,false,",
        "8,K1,商务休闲板鞋,sneaker,239,239,22,39|40|41|42,黑色,超纤皮,48,false,",
        "9,K2,真皮小白鞋,sneaker,299,460,40,38|38.5|39|39.5,白色,头层牛皮,48,true,",
        "10,G1,K-700 商务公文包,bag,399,570,15,,Black|Coffee,牛皮,48,true,",
    ]
    answerer = shop(tmp_path, rows)
    # 皮衣: no name says it, but one jacket's name says what it is made of (真皮).
    leather = answerer.answer("皮衣多少钱")
    assert leather.sku == "J3" and "1580" in leather.text
    # 亚麻 is the material of one shirt only: that shirt, with its count.
    linen = answerer.answer("亚麻衬衫还剩几件")
    assert linen.sku == "S3" and "7" in linen.text
    # A material all candidates share narrows nothing.
    assert answerer.answer("纯棉衬衫多少钱").sku is None
    # A colour in an availability question is a colour question, answered with the colour named in full.
    brown = answerer.answer("is link 7 available in dark brown")
    assert brown.intent == "color" and "Dark Brown is available" in brown.text and "棕色 is" not in brown.text
    # A yes/no size question says no.
    assert "no 38" in answerer.answer("is there a size 38 in link 8").text
    assert "39 is available" in answerer.answer("collar 39 for link 4?").text
    assert "有半码" in answerer.answer("小白鞋有半码吗").text
    assert "没有半码" in answerer.answer("8号有半码吗").text
    assert "105cm" in answerer.answer("belt length for #7").text
    assert "Coffee" in answerer.answer("colours of the briefcase?").text
    assert "蓝白条纹" in answerer.answer("is there a striped one", current_sku="S2").text
    # The host's own size is hers to say, not the on-screen product's size list.
    host = answerer.answer("主播身上穿的是几码", current_sku="J1")
    assert not host.answered and host.queue


def test_blind7_fixes_question_phrases_address_words_name_words_and_open_requests(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "1,T1,儿童纯棉短袖T恤 Basic White Tee,tshirt,29.9,59.8,210,90|100|110,白色,纯棉,24,true,",
        "2,T2,Dino Tee 恐龙印花短袖T恤,tshirt,35,59,88,90|100|110,白色|浅绿,纯棉,48,true,",
        "3,T3,女童蝴蝶结短袖T恤,tshirt,32.9,32.9,4,100|110,粉色,纯棉,24,true,",
        "4,T4,儿童速干运动T恤 Quick-Dry Sports Tee,tshirt,45,75,60,110|120,藏青,聚酯纤维,72,false,",
        "5,C1,儿童轻薄羽绒服 Light Down Jacket,coat,209.3,299,18,100|110,黑色,90%白鸭绒,48,true,",
        "6,C2,儿童加厚长款羽绒服 Long Puffer Coat,coat,359,599,0,110|120,黑色,90%白鹅绒,168,true,",
        "7,C3,婴儿连体羽绒服 Baby Snowsuit,coat,259,259,6,73|80,奶白,90%白鸭绒,48,true,",
        "8,S1,儿童魔术贴运动鞋 Kids Velcro Sneakers,sneaker,129,172,25,26|27|28,白色,网面,48,true,",
        "9,S2,宝宝洞洞鞋 Kids Clogs,sandal,39.9,59.9,120,22|23|24,黄色,EVA,24,true,",
        "10,B1,幼儿园小书包 恐龙款 Toddler Dino Backpack,bag,49.9,79.9,5,均码,绿色,帆布,24,false,",
        "11,R1,婴儿纯棉连体衣3件装 Baby Romper 3-Pack,accessory,89.9,129.9,56,0-3M|3-6M,白色,纯棉,24,true,",
        "12,H1,儿童防晒渔夫帽 Kids Sun Bucket Hat,hat,39,59,80,48cm|52cm,米色,棉 UPF50+,24,true,大帽檐防晒带防风绳",
    ]
    answerer = shop(tmp_path, rows)
    # A Chinese word only one candidate's name has picks it out of the kind ("恐龙T恤"); a word most names
    # share ("儿童" in a children's shop) narrows nothing.
    dino = answerer.answer("恐龙T恤多钱")
    assert dino.sku == "T2" and "35" in dino.text
    kids = answerer.answer("儿童T恤多少钱")
    assert kids.sku is None and all(f"{n}号" in kids.text for n in (1, 2, 3, 4))
    # "how long" asks a time: "Long Puffer Coat" is not named by it; the product on screen is.
    ship = answerer.answer("how long to ship", current_sku="S1")
    assert ship.sku == "S1" and "48" in ship.text
    # 宝宝 is how viewers address each other: alone it names no product, even when a name holds it.
    assert answerer.answer("宝宝7个月穿什么码").sku != "S2"
    assert answerer.answer("宝宝洞洞鞋多少钱").sku == "S2"
    # "down coat" is a category word: the one English name with "Down" is not the only down coat.
    down = answerer.answer("how much is the down coat")
    assert down.sku is None and all(f"link {n}" in down.text for n in (5, 6, 7))
    # Colour accuracy and the shop's own costs are not the colour list or the price.
    assert not answerer.answer("这件颜色会不会有色差", current_sku="C1").answered
    assert not answerer.answer("will the colour look different in real life", current_sku="C1").answered
    assert not answerer.answer("what does this cost you to make lol", current_sku="C1").answered
    # "有吗" mid-message still asks whether it is there; a 书包 is a bag; "filling" asks the material.
    assert "售罄" in answerer.answer("加厚长款羽绒服有吗 想要黑色").text
    assert "49.90" in answerer.answer("书包多少钱").text
    assert "鸭绒" in answerer.answer("whats the filling", current_sku="C3").text
    # "防晒吗": the description hints, the material's UPF rating answers.
    assert "UPF50+" in answerer.answer("渔夫帽防晒吗").text
    # Requests: the season and who it is for narrow the picks; a wish nothing reads gets silence and the
    # streamer's queue, never a guess.
    winter = answerer.answer("recommend something warm for winter").text
    assert "link 5" in winter and "Tee" not in winter and "Puffer" not in winter  # sold out
    newborn = answerer.answer("what would make a good gift for a newborn?").text
    assert "Romper" in newborn and "Tee" not in newborn
    assert "幼儿园小书包" in answerer.answer("上幼儿园背什么书包好").text
    wedding = answerer.answer("参加婚礼穿什么好 推荐下")
    assert not wedding.answered and wedding.queue
    assert answerer.answer("主播推荐一下").answered


def test_blind8_fixes_size_notes_shop_wide_words_bilingual_categories_and_requests(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "1,D1,大码显瘦V领连衣裙,dress,129,199,30,XL(120-140斤)|2XL(140-160斤)|4XL(180-200斤),黑色,棉,48,true,",
        "2,T1,大码宽松纯棉短袖T恤,tshirt,39.9,59.9,200,XL|2XL|6XL,白色,纯棉,24,true,",
        "3,T2,大码长款遮臀T恤 Tunic,tshirt,49.9,79.9,140,2XL|3XL|4XL,黑色,莫代尔,24,true,",
        "4,S1,Oversize条纹棉麻衬衫,shirt,99,149,4,均码,蓝白条纹,棉55% 麻45%,48,true,",
        "5,S2,大码雪纺衬衫,shirt,79,129,60,XL|2XL,白色,雪纺,24,true,垂感不透 通勤百搭",
        "6,J1,大码高腰弹力牛仔裤,jeans,119,199,8,28|30|32|34|36,浅蓝,棉,48,true,",
        "7,J2,孕妇托腹牛仔裤,jeans,129,189,35,M|L|XL|2XL,深蓝,棉,48,true,",
        "8,C1,大码双面羊毛大衣,coat,599,1198,18,XL|2XL|5XL,黑色,羊毛90%,72,true,",
        "9,C2,大码加厚白鸭绒羽绒服,coat,459,765,9,XL|2XL|6XL,黑色,90%白鸭绒,48,true,",
        "10,C3,孕妇羽绒服 加长款,coat,499,699,12,M|L|XL,黑色,90%白鸭绒,120,true,",
        "11,C4,大码中长款风衣 Trench Coat,coat,329,499,15,XL|2XL|5XL,卡其色,棉65% 聚酯纤维35%,48,true,",
        "12,N1,哺乳衣 纯棉短袖 2件装,tshirt,79,99,50,M|L|XL,白色,纯棉,48,true,",
        "13,N2,孕妇哺乳家居服,shirt,89,129,40,M|L|XL,粉色,莫代尔,48,true,",
    ]
    answerer = shop(tmp_path, rows)
    # A note after a size ("4XL(180-200斤)") is advice, not part of its name: 4XL is there.
    assert (
        "没有4XL" not in answerer.answer("1号有4XL吗").text and "有4XL" in answerer.answer("1号有4XL吗").text
    )
    assert "有36码" in answerer.answer("6号有36腰的吗").text
    assert "2XL/3XL/4XL" in answerer.answer("3号最小码是多少").text
    assert "麻45%" in answerer.answer("4号棉麻的吗 麻占多少").text
    assert "不透" in answerer.answer("雪纺衬衫透不透啊").text
    # 孕妇 names a line among the candidates; 大码, in most names of a plus-size shop, names nothing.
    assert answerer.answer("主播 黑色羽绒服 孕妇那款多少钱").sku == "C3"
    assert answerer.answer("孕妇牛仔裤有XXL吗").sku == "J2"
    assert answerer.answer("is the maternity down coat in stock").sku == "C3"
    # "coat" is said by 羊毛大衣 as much as by "Trench Coat": the wool decides.
    assert answerer.answer("is the wool coat still in stock?").sku == "C1"
    # Requests: the cheapest one, the ones in a size, a price bound that is not a size, who it is for.
    cheapest = answerer.answer("最便宜的T恤是哪个")
    assert cheapest.sku == "T1" and "39.90" in cheapest.text
    six = answerer.answer("6XL的有哪些").text
    assert "2号" in six and "9号" in six and "1号" not in six
    nursing = answerer.answer("anything for breastfeeding under 100?").text
    assert "link 12" in nursing and "link 13" in nursing and "link 2 " not in nursing
    assert answerer.answer("冬天孕妇穿什么外套暖和").sku == "C3"
    # A weight the size notes hold picks the product among several; the season prefers names made for it.
    assert answerer.answer("150斤能穿的连衣裙有吗").sku == "D1"
    summer = answerer.answer("推荐个夏天穿的T恤").text
    assert "2号" in summer and "3号" not in summer  # 短袖, not the long tunic
    # The host's family and life are hers to tell.
    for text in ("主播宝宝几个月了", "is the host pregnant too?"):
        personal = answerer.answer(text)
        assert not personal.answered and personal.queue


def test_requests_and_problems_without_a_question_word_reach_the_faq(answerer: Answerer) -> None:
    assert "发票" in answerer.answer("I need a fapiao for my company").text
    assert answerer.answer("my order arrived with a hole, what now").intent == "faq"
    assert not answerer.answer("主播也怀孕了吗").answered  # hers to tell
    # "能发不" asks the dispatch time like "能发吗".
    assert answerer.answer("今天拍明天能发不", current_sku="DR01").intent == "shipping"


def test_blind9_fixes_english_word_runs_kinds_on_screen_materials_and_body_ranges(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "1,M1,织金马面裙 Zhijin Mamian Skirt,skirt,299,499,56,S|M|L,红色,织金缎,48,true,",
        "2,M2,妆花马面裙,skirt,459,459,8,S|M|L,红色,妆花缎,72,true,",
        "3,K1,针织旗袍连衣裙 Knit Qipao Dress,dress,219.5,299,20,S|M|L,黑色,30%羊毛 70%腈纶,48,true,",
        "4,Q1,真丝改良旗袍 Silk Modern Qipao,dress,560,800,23,S|M|L,月白,100%桑蚕丝,48,true,",
        "5,Q2,老上海长旗袍,dress,399,399,4,S|M|L,墨黑|酒红,醋酸缎面,72,true,",
        "6,X1,香云纱连衣裙 Xiangyunsha Dress,dress,1280,1600,9,M|L,黑色,香云纱（桑蚕丝莨绸）,48,true,",
        "7,H1,宋制褙子三件套 Song-Style Beizi 3-Piece Set,dress,368,460,33,155-160cm|160-165cm|165-170cm,杏黄,雪纺,48,true,",
        "8,H2,唐制齐胸襦裙 Tang-Style Ruqun,dress,258,258,10,150-160cm|160-170cm,粉绿,雪纺,48,true,",
        "9,A1,流苏发簪 Tassel Hairpin,accessory,39.9,59,200,,金色,合金,24,false,",
        "10,A2,绿檀木发簪,accessory,29,29,3,,原木色,绿檀木,24,false,",
        "11,S1,真丝刺绣披肩 Silk Embroidered Shawl,scarf,329,470,12,均码,月白,桑蚕丝,48,true,",
        "12,S2,羊绒流苏披肩 Cashmere Tassel Shawl,scarf,259,259,20,均码,灰色,羊绒,48,false,",
        "13,T1,刺绣T恤 Embroidered Tee,tshirt,79,158,300,S|M|L|XL|XXL,白色,纯棉,24,true,",
    ]
    answerer = shop(tmp_path, rows)
    # Whole English words of a name: "zhijin" (not the word-cutting "n skirt"); "song style" = "Song-Style".
    assert answerer.answer("Zhijin skirt price pls").sku == "M1"
    assert answerer.answer("How much is the Song style set").sku == "H1"
    # "hairpin" in one English name names the kind when a Chinese name says 发簪 too; what narrows it decides.
    assert answerer.answer("how many left of the sandalwood hairpin").sku == "A2"
    assert answerer.answer("发簪多少钱啊").sku is None
    # A category word and a material word: the shawl that is silk.
    assert answerer.answer("free shipping on the silk shawl?").sku == "S1"
    # "knit qipao" of a Knit Qipao Dress is that dress, not the other qipaos.
    assert answerer.answer("material of the knit qipao?").sku == "K1"
    assert answerer.answer("旗袍有酒红色的吗").sku == "Q2"
    # "is this real silk" with a silk dress on screen: that dress, not every silk product.
    assert answerer.answer("is this real silk", current_sku="X1").sku == "X1"
    # A product's own size chart by height answers a viewer's height.
    assert "160-165cm或165-170cm" in answerer.answer("宋制三件套 我165穿哪个码").text
    assert "160-170cm" in answerer.answer("I'm 165cm what size for the Tang ruqun").text
    assert "no 3XL" in answerer.answer("do u have 3XL in this", current_sku="T1").text
    # Two candidates with the same answer: one reply for both instead of "which one".
    assert (
        answerer.answer("发簪包邮吗").text.startswith("9号、10号都一样")
        and "不包邮" in answerer.answer("发簪包邮吗").text
    )
    # Requests: the dearest one; what goes with a qipao is not a qipao; who it is for.
    assert answerer.answer("what's the most expensive thing you sell").sku == "X1"
    goes_with = answerer.answer("配旗袍的小配件推荐下").text
    assert "旗袍" not in goes_with and ("发簪" in goes_with or "披肩" in goes_with)


def test_blind10_fixes_packs_generic_category_words_regions_fit_advice_and_words_named_elsewhere(
    tmp_path: Path,
) -> None:
    rows = [
        HEADER,
        "1,H1,重磅加绒连帽卫衣 黑色,hoodie,199,398,85,M|L|XL,黑色,棉80% 内里加绒,48,true,",
        "2,H2,骷髅印花 oversize hoodie 黑色,hoodie,169,169,40,M|L|XL,黑色,棉,48,true,",
        "3,J1,Baggy 宽松直筒牛仔裤 浅蓝水洗,jeans,189,270,70,28|30|32,浅蓝,棉98% 氨纶2%,48,true,",
        "4,J2,破洞做旧 baggy jeans Vintage Black,jeans,209,299,0,28|30,Vintage Black,纯棉丹宁,72,true,",
        "5,W1,拼色复古 Windbreaker 撞色外套,jacket,229,299,0,M|L|XL,蓝绿拼色,聚酯纤维,48,true,",
        "6,C1,短款面包服 羽绒服 Puffer 黑色,coat,459,599,10,M|L,黑色,90%白鸭绒,48,true,",
        "7,C2,Mocha oversize 面包羽绒服,coat,499,599,12,M|L,摩卡色,90%白鸭绒,48,true,",
        "8,T1,基础纯色T恤 3件装 Multipack,tshirt,129,199,200,S|M|L,黑白灰,纯棉,48,true,",
        "9,T2,印花长袖T恤 Long Sleeve Tee,tshirt,99,139,65,S|M|L,黑色|白色,纯棉,48,true,",
    ]
    faq_rows = [
        "question,answer,keywords",
        "偏远地区包邮吗,新疆、西藏等偏远地区不包邮，每单需补运费15元。,新疆|西藏|偏远",
        "卫衣要拍小一码吗 / do hoodies run big,卫衣是oversize版型，想合身就拍小一码。Hoodies are cut oversized: size down for a fitted look.,偏大|oversize|尺码",
    ]
    answerer = shop(tmp_path, rows, faq_rows)
    # "3 pack" picks the pack; "tee" is said by 基础纯色T恤 as much as by Long Sleeve Tee.
    assert answerer.answer("the 3 pack tee what colours").sku == "T1"
    # "牛仔裤" is said by "baggy jeans" too: both are candidates, not the one with the Chinese word.
    both = answerer.answer("牛仔裤还有吗")
    assert both.sku is None and "3号" in both.text and "4号" in both.text
    # A remote region is the shop's policy even with a product on screen (its 包邮 is not for Tibet).
    tibet = answerer.answer("西藏能发吗 要加钱吗", current_sku="H1")
    assert tibet.intent == "faq" and "15" in tibet.text
    # The policy asked of one product is an answer about that product; with it only on screen, it is not.
    assert tibet.sku is None
    assert answerer.answer("寄西藏加钱吗 我拍6号").sku == "C1"
    this_one = answerer.answer("这件寄西藏要加钱吗", current_sku="H1")
    assert (this_one.intent, this_one.sku, this_one.on_screen) == ("faq", "H1", True)
    # "size down" asks fit advice, not which hoodie.
    assert answerer.answer("do i need to size down on the hoodies").intent == "faq"
    # A word no candidate has but a related product's name does: that product ("拼色" is the jacket).
    assert answerer.answer("拼色风衣还有吗").sku == "W1"
    # Fit advice for tees and hoodies is not advice for jeans.
    assert answerer.answer("do i need to size down on the jeans").intent != "faq"


def test_blind11_fixes_words_beside_a_shared_name_materials_and_named_requests(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "1,A1,莫代尔长袖睡衣套装,shirt,129,199,50,S|M|L,粉色,莫代尔,48,true,",
        "2,A2,真丝长袖睡衣套装 Silk Pajama Set,shirt,539.4,899,12,S|M|L,香槟色,真丝,48,true,",
        "3,B1,女士德绒秋衣秋裤套装,pullover,99,165,200,M|L|XL,肤色,德绒,24,true,",
        "4,B2,男士纯棉秋衣秋裤 Men's Thermal Set,pullover,79.9,119.9,60,165|170|175,深灰,纯棉,48,true,",
        "5,C1,珊瑚绒浴袍 Coral Fleece Bathrobe,coat,119,159,30,均码,灰色,珊瑚绒,48,true,",
        "6,C2,珊瑚绒地板袜 3双装,socks,35,49,0,均码,混色,珊瑚绒,24,true,",
        "7,D1,真丝眼罩 Silk Eye Mask,accessory,49,98,80,均码,黑色,真丝,24,true,",
        "8,E1,莫代尔阔腿家居裤,trouser,59,89,100,M|L|XL,黑色,莫代尔,24,true,",
    ]
    faq_rows = [
        "question,answer,keywords",
        "包装保护隐私吗 Privacy packaging,所有内衣和睡衣都用不透明快递袋包装，面单上不写商品名称。,隐私|包装|privacy",
    ]
    answerer = shop(tmp_path, rows, faq_rows)
    # Words beside a name run several names share pick among them: 男士, and a material (真丝).
    assert answerer.answer("男士秋衣秋裤多少钱").sku == "B2"
    assert answerer.answer("真丝睡衣套装还有吗").sku == "A2"
    # A catalog material alone lists the products made of it (then "which one?").
    fleece = answerer.answer("珊瑚绒的多少钱啊")
    assert fleece.sku is None and "5号" in fleece.text and "6号" in fleece.text
    # 没了吗, 什么时候能发, 半价 are stock, shipping and discount questions.
    assert "售罄" in answerer.answer("珊瑚绒地板袜没了吗").text
    assert "48" in answerer.answer("今天拍2号什么时候能发").text
    assert "5折" in answerer.answer("真丝眼罩是半价吗").text
    # A request naming products by name wants those, for the audience it names (not every 裤).
    assert answerer.answer("推荐下秋衣秋裤 女生穿").sku == "B1"
    # The parcel's privacy is the shop's packaging policy, whatever product word is in the question.
    assert answerer.answer("快递袋上会写是睡衣吗 怕被家里人看到").intent == "faq"


def test_blind12_fixes_quantities_partial_materials_kids_statements_and_the_host(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "1,V1,鹅绒羽绒马甲 Goose Down Vest,coat,459,765,15,S|M|L,黑色,90%白鹅绒,72,true,",
        "2,V2,轻薄鸭绒马甲 Duck Down Vest,coat,199,299,30,S|M|L,黑色,90%白鸭绒,48,true,",
        "3,B1,Daypack 20L 轻量双肩包,bag,209,259,38,20L,黑色,尼龙,24,true,",
        "4,B2,Trek 40L 登山背包,bag,469,599,9,40L,黑色,尼龙,48,true,",
        "5,W1,跑步腰包 Run Belt Waist Pack,bag,69,89,66,均码,黑色,莱卡,24,true,",
        "6,S1,美利奴羊毛徒步袜 3双装 Merino Socks 3-Pack,socks,99,129,40,M|L,灰色,羊毛,24,true,",
        "7,J1,峰行者三合一冲锋衣 男款 Summit 3-in-1 Jacket,jacket,599,899,20,M|L|XL,黑色,尼龙,48,true,",
        "8,J2,儿童三合一冲锋衣 Kids 3-in-1 Jacket,jacket,299,399,18,110|120|130,红色|蓝色,尼龙,48,true,",
        "9,P1,Expedition 极地鹅绒羽绒服 预售 Down Parka,coat,1299,1599,20,M|L,黑色,鹅绒,360,true,",
        "10,R1,连帽雨披 Rain Poncho,accessory,39,59,80,均码,军绿|透明,PEVA,24,true,",
    ]
    answerer = shop(tmp_path, rows)
    # Part of a material word ("鹅绒" of 白鹅绒) picks among candidates that share the name run.
    assert answerer.answer("鹅绒马甲什么价").sku == "V1"
    # A quantity with its unit names the product that states it, whatever else "pack" matches.
    assert answerer.answer("is the 40L pack sold out").sku == "B2"
    assert answerer.answer("what size is the 20L pack").sku == "B1"
    # "kids" picks the kids' one of two 3-in-1 jackets; "透明" is a colour.
    assert answerer.answer("colours of the kids 3 in 1 jacket").sku == "J2"
    assert "透明" in answerer.answer("雨披透明的有吗").text
    # "went down" is not a product word; 预售 in a name names no product.
    assert answerer.answer("the price went down after i bought, can i get money back?").sku is None
    assert answerer.answer("预售的和现货一起拍怎么发").sku is None
    # Telling the room is not asking it; the host's size is hers.
    for text in ("已拍3号 蹲发货", "3号我买了 颜色很正", "what jacket size is the host wearing"):
        assert not answerer.answer(text, current_sku="J1").answered, text


def test_blind13_fixes_authenticity_of_a_material_and_gift_budgets(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "1,K1,羊绒圆领毛衣 Cashmere Crew-neck Sweater,pullover,399,570,45,S|M|L,黑色,100%山羊绒,48,true,",
        "2,K2,羊绒围巾 Cashmere Scarf,scarf,199,398,60,均码,驼色,100%羊绒,24,true,",
        "3,K3,羊绒手套 Cashmere Gloves,accessory,99,132,7,S|M,黑色,100%羊绒,48,true,",
        "4,K4,羊毛混纺大衣 Wool Blend Coat,coat,899,1299,10,S|M|L,驼色,70%羊毛 30%羊绒,72,true,",
    ]
    faq_rows = [
        "question,answer,keywords",
        "是正品吗,所有羊绒产品都有第三方检测报告，假一赔十。,正品|假货|genuine|authentic",
    ]
    answerer = shop(tmp_path, rows, faq_rows)
    # Of no one product, "羊绒是正品吗" asks the shop's promise; of the one on screen, its material answers.
    assert answerer.answer("羊绒是正品吗").intent == "faq"
    assert "30%羊绒" in answerer.answer("is this real cashmere", current_sku="K4").text
    # "gifts under 200" is a request with a budget.
    gifts = answerer.answer("cashmere gifts under 200").text
    assert "link 2" in gifts and "link 3" in gifts and "link 1 " not in gifts


def test_specs_the_listing_states_under_another_word_are_quoted(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "1,S1,Storm Lite 轻量单层冲锋衣 Shell Jacket,jacket,399,399,8,S|M,黑色,尼龙 防水指数10000mm,48,true,"
        "单层款 重量320g 可收纳",
        "2,B1,Daypack 20L 轻量双肩包,bag,209,259,38,20L,黑色,420D尼龙,24,true,容量20升 重量520g",
        "3,B2,Trek 40L 登山背包,bag,469,599,9,40L,黑色,尼龙,48,true,容量40升 重量1.3kg 带防雨罩",
        "4,H1,中帮防水登山鞋 Hiking Boots,ankle_boot,699,999,22,39|40,棕色,翻毛牛皮 GripRock大底,48,true,防滑",
        "5,P1,极地鹅绒羽绒服 预售 Down Parka,coat,1299,1999,60,M|L,黑色,95%白鹅绒 充绒量300g,360,true,",
        "6,K1,美利奴羊毛徒步袜 3双装,socks,99,165,110,M|L,灰色,70%美利奴羊毛 加厚毛圈底,24,true,",
    ]
    answerer = shop(tmp_path, rows)
    # A decimal point is no full stop: "1.3kg", never "1".
    for text in ("how heavy is the 40L pack", "40L背包多重"):
        answer = answerer.answer(text)
        assert answer.sku == "B2" and "1.3kg" in answer.text and "520" not in answer.text, text
    assert "320g" in answerer.answer("这件多重啊", current_sku="S1").text
    assert "320g" in answerer.answer("1号冲锋衣多重").text
    assert "容量20升" in answerer.answer("20L那个包能装多少升").text
    # The material field states specs too, quoted as the shop wrote them.
    assert "防水指数10000mm" in answerer.answer("waterproof rating of link 1").text
    assert "GripRock大底" in answerer.answer("4号鞋底是什么").text
    assert "白鹅绒" in answerer.answer("goose or duck down on link 5").text
    assert "70%" in answerer.answer("6号羊毛含量多少").text
    # Fill weight is not the product's weight: a parka that states no weight gets no answer to "多重".
    assert not answerer.answer("5号多重").answered
    assert "300g" in answerer.answer("5号充绒量多少克").text
    # A pre-sale's hours are read as days too.
    assert "15" in answerer.answer("does link 5 ship right away").text


def test_shoes_of_a_family_an_audience_a_headed_word_and_restock_of_a_sold_out_product(
    tmp_path: Path,
) -> None:
    rows = [
        HEADER,
        "1,P1,女款徒步速干长裤 Women's Hiking Pants,trouser,149,199,30,S|M,黑色,尼龙,24,true,",
        "2,H1,中帮防水登山鞋 Hiking Boots,ankle_boot,699,999,22,39|40,棕色,牛皮,48,true,",
        "3,H2,女款轻量徒步靴 Women's Hiking Boots,ankle_boot,559,799,3,36|37,灰粉,网布,48,true,",
        "4,K1,儿童登山鞋 Kids Hiker,sneaker,219,269,24,28|29,蓝色,网布,48,true,",
        "5,S1,美利奴羊毛徒步袜 3双装 Merino Hiking Socks 3-Pack,socks,99,165,110,S(35-38)|M(39-42),灰色,"
        "70%美利奴羊毛,24,true,",
        "6,B1,男款羊毛保暖内衣套装 Men's Merino Base Layer Set,shirt,158,228,29,M|L,黑色,45%美利奴羊毛,48,true,",
        "7,J1,峰行者三合一冲锋衣 女款,jacket,569,899,0,S|M,红色,尼龙,48,true,",
        "8,J2,儿童三合一冲锋衣 Kids 3-in-1 Jacket,jacket,299,399,18,110|120,蓝色,尼龙,48,true,",
    ]
    faq_rows = ["question,answer,keywords", "什么时候补货,售罄的商品一般7-10天补货,补货|到货|restock"]
    answerer = shop(tmp_path, rows, faq_rows)
    # "shoes" says the family: the hiking pants and socks are not asked about; "kids" then picks the kids'
    # shoe although its name does not say hiking.
    assert answerer.answer("kids hiking shoes price?").sku == "K1"
    listed = answerer.answer("hiking shoes price")
    assert listed.sku is None and "699" in listed.text and "559" in listed.text and "149" not in listed.text
    # 羊毛袜: a name word (羊毛) and the garment head the viewer put on it (袜), not the wool base layer.
    answer = answerer.answer("羊毛袜尺码怎么分")
    assert answer.sku == "S1" and "35-38" in answer.text
    # A name word as it stands (冲锋衣) stays with the name matching: no guess among the jackets.
    assert answerer.answer("黑色冲锋衣多少钱").sku is None
    # Restock of one sold-out product: which one, that it is sold out, and the policy.
    answer = answerer.answer("7号啥时候补货")
    assert answer.sku == "J1" and "售罄" in answer.text and "7-10" in answer.text


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("能开票不 公司报销用", "发票"),  # 能…不 asks, without 吗
        ("公司报销要开票", "发票"),  # a request, not a question
        ("你们用的哪家物流", "中通"),  # who is asked (你们) is not what is asked
        ("马海毛穿着会不会粘一身毛", "掉毛"),
        ("送女朋友能包装一下吗", "礼盒"),
        ("will my sweater get those little fuzz balls", "pilling"),
        ("do members get any discount", "9.5折"),  # a yes/no question opened by "do"
        ("need an invoice for my company", "发票"),
        ("拍了一般多久发货", "48"),  # 一般 and 多久 are how it is asked
        ("发上海几天能到", "2-4天"),  # delivery time to a place: the courier's entry
        ("牛仔裤第一次洗会掉色吗", "浮色"),  # the washing entry names 掉色 among its keywords
    ],
)
def test_policy_paraphrases_from_blind12_and_blind13(tmp_path: Path, text: str, fact: str) -> None:
    rows = [
        HEADER,
        "1,M1,马海毛开衫,pullover,299,399,20,S|M,米色,马海毛,48,true,",
        "2,W1,羊毛毛衣 Wool Sweater,pullover,199,299,20,S|M,灰色,羊毛,48,true,",
    ]
    faq_rows = [
        "question,answer,keywords",
        "可以开发票吗？Can I get an invoice?,可以开电子发票。Electronic invoices on the order page.,发票|invoice",
        "发什么快递？Which courier do you use?,默认发中通快递。We ship with ZTO.,快递|物流|courier",
        "会掉毛吗？Does it shed?,马海毛前几次穿会轻微掉毛。Mohair sheds a little at first.,掉毛|shed",
        "可以礼盒包装吗？Do you offer gift wrapping?,可以免费礼盒包装。Free gift box.,礼盒|gift",
        "毛衣起球怎么办？Will the sweater pill?,轻微起球是正常现象。Light pilling is normal.,起球|pilling",
        "会员有什么优惠 Do members get a discount?,会员全场9.5折。Members get 5% off everything.,会员|member",
        "什么时候发货 When will my order ship?,现货下单后48小时内发货。In-stock items ship within 48 hours.,发货|几天发",
        "发什么快递 Which courier?,默认中通，一般2-4天到。ZTO by default; 2-4 days.,快递|物流|几天到|courier",
        "牛仔怎么洗 How do I wash denim?,首次洗涤有轻微浮色属于正常。First washes may bleed a little dye.,洗|掉色",
    ]
    answer = shop(tmp_path, rows, faq_rows).answer(text)
    assert answer.answered and answer.intent == "faq" and fact in answer.text, (text, answer)


def test_measurements_fit_and_capacity_come_from_the_listing_or_not_at_all(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "1,J1,经典直筒牛仔裤 Classic Straight Jeans,jeans,199,299,86,28|30|32,浅蓝,98%棉 2%氨纶,48,包邮,"
        "男款 裤长104cm(30码)；尺码表：28码腰围74cm 30码腰围79cm",
        "2,S1,牛仔衬衫 Denim Shirt,shirt,159,199,64,S|M|L,浅蓝,100%棉,24,包邮,珍珠按扣；L码衣长73cm 胸围116cm",
        "3,B1,头层牛皮腰带 Leather Belt,accessory,89,159,58,105cm|115cm,黑色,头层牛皮,24,包邮,带宽3.5cm 可自行裁短",
        "4,C1,高帮帆布鞋,sneaker,89,129,230,35|36|37,黑色,帆布+硫化橡胶底,72,否,鞋底约2.5cm；偏大一码 建议拍小一码",
        "5,P1,通勤双肩包 Commuter Backpack,bag,189,270,75,均码,黑色,牛津布,48,包邮,尺寸30×14×45cm 容量约20L；重约0.85kg",
        "6,T1,纯棉T恤,tshirt,79,99,230,S|M|L,白色,棉,24,包邮,宽松",
    ]
    answerer = shop(tmp_path, rows)

    def says(text: str, *facts: str) -> None:
        answer = answerer.answer(text)
        assert answer.answered and all(f in answer.text for f in facts), (text, answer)

    # A size's measurement: that size's, never another's and never the size list.
    says("1号30码腰围多少", "79cm")
    assert "74" not in answerer.answer("1号30码腰围多少").text
    assert not answerer.answer("1号32码腰围多少").answered  # the listing states no 32 waist
    says("2号L码衣长多少", "73cm")
    says("how wide is the #3 belt", "3.5cm")
    says("how long is the belt", "105cm")  # sizes written in units answer a length
    assert not answerer.answer("6号衣长多少").answered  # S/M/L say no length
    # A waist size is still a size: "腰围30有吗" asks whether the 30 is there.
    assert "30" in answerer.answer("1号腰围30有吗").text
    # How the sizes run: what the listing says of the fit, not the material its name holds.
    says("4号帆布鞋偏大吗", "偏大一码")
    assert not answerer.answer("6号偏大吗").answered
    # "能装多少" is the capacity, not the price; "尺寸" of a one-size bag its dimensions.
    says("#5 能装多少", "20L")
    says("5号尺寸多少", "30×14×45cm")
    says("what % off is link 5", "30% off")  # a discount, not a share of the fabric


def test_blind14_and_blind15_fixes_opposites_presale_remarks_and_size_guides(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "1,T1,印花短袖T恤 Graphic Tee,tshirt,69,89,54,S|M|L,白色,棉,48,包邮,",
        "2,T2,长袖打底T恤 Long Sleeve Tee,tshirt,59,59,0,S|M|L,黑色,棉,48,包邮,",
        "3,J1,复古喇叭牛仔裤 Retro Flare Jeans,jeans,189.5,229,23,25|26|27,中蓝,棉,360,包邮,【预售】下单后15天内发货",
        "4,J2,经典直筒牛仔裤 Classic Straight Jeans,jeans,199,299,86,28|30|32,浅蓝,棉,48,包邮,",
        "5,B1,通勤双肩包 Commuter Backpack,bag,189,270,75,均码,黑色,牛津布,48,包邮,",
    ]
    faq_rows = [
        "question,answer,keywords",
        "牛仔裤尺码怎么选 How do I choose my jeans size?,牛仔裤按腰围选码：30码约79cm。Jeans by waist: 30 = 79cm.,"
        "尺码|腰围|jeans size",
        "上衣尺码怎么选 What size top should I get?,上衣参考：XL码178-183cm 75-85kg。Tops: XL 178-183cm/75-85kg.,"
        "尺码|身高|体重|size",
        "发什么快递 Which courier do you use?,从广州仓发货，默认中通。We ship from Guangzhou by ZTO.,快递|物流|courier",
        "什么时候发货 When will my order ship?,现货下单后48小时内发货。In-stock items ship within 48 hours.,发货|ship",
    ]
    answerer = shop(tmp_path, rows, faq_rows)
    # 长袖 is not the 短袖 whose "袖T恤" it shares.
    answer = answerer.answer("长袖T恤还有没有")
    assert answer.sku == "T2" and "售罄" in answer.text
    # A pre-sale "in stock" says when it ships.
    assert "15天" in answerer.answer("有现货吗", current_sku="J1").text
    # Remarks to the room, naming products, get no answer.
    for text in ("3号卖完了好可惜", "我平时穿28码 4号刚好", "拍了拍了 4号 30码", "这个背包颜色好正"):
        assert not answerer.answer(text).answered, text
    # The size guide that speaks of what the viewer measured; "where from" is the warehouse's entry.
    assert "XL" in answerer.answer("im 180cm 80kg which size should i get").text
    assert "79cm" in answerer.answer("my waist is 79cm what jeans size").text
    assert "广州" in answerer.answer("你们从哪里发货").text


def test_blind14_and_blind15_fixes_requests_category_questions_colours_and_kinds_in_descriptions(
    tmp_path: Path,
) -> None:
    rows = [
        HEADER,
        "1,R1,轻跑3代 男子跑步鞋 AirLite Runner 3,sneaker,299,499,86,39|40,黑白,网面,48,包邮,适合日常慢跑",
        "2,W1,男士轻便健步鞋 Walking Shoes,sneaker,199,299,58,40|41,深灰,飞织,48,包邮,适合脚宽和中老年日常走路",
        "3,K1,儿童发光运动鞋 LED,sneaker,159,229,41,30|31,黑色,网布,48,包邮,鞋底LED灯",
        "4,S1,一字拖 Slides 男女同款,sandal,49,79,280,36|37,白色,EVA,24,包邮,",
        "5,B1,通勤双肩包 Commuter Backpack,bag,189,270,75,均码,黑色,牛津布,48,包邮,尺寸30×14×45cm",
        "6,B2,小方块斜挎包,bag,99,149,4,均码,白色,PU皮,48,包邮,尺寸20×7×14cm",
        "7,J1,女款短款牛仔外套 Cropped Denim Jacket,jacket,199,269,15,S|M,浅蓝|白色,棉,48,包邮,",
        "8,J2,棒球服 Varsity Jacket,jacket,239,299,5,S|M,黑白|藏青白,羊毛,48,包邮,",
        "9,K2,牛仔半身裙 Denim Mini Skirt,skirt,99,139,33,S|M,浅蓝|黑色,棉,48,包邮,A字短裙 裙长42cm",
        "10,K3,百褶短裙 Pleated Skirt,skirt,89,119,0,S|M,黑色|卡其,聚酯纤维,48,包邮,",
    ]
    faq_rows = [
        "question,answer,keywords",
        "包包尺寸怎么量的？How are bag dimensions measured?,平铺手工测量，会有1-2cm误差。Measured by hand: 1-2cm tolerance.,"
        "尺寸|测量|measure",
    ]
    answerer = shop(tmp_path, rows, faq_rows)
    # Who it is for and what for ("8岁", "走路多") pick among the shoes.
    assert answerer.answer("儿子8岁 有什么鞋推荐").sku == "K1"
    assert answerer.answer("我爸平时走路多 推荐双鞋").sku == "W1"
    # A question about bags in general is the bag entry's; a price of "bags" still lists them.
    assert "1-2cm" in answerer.answer("are the bag measurements exact").text
    assert answerer.answer("包包多少钱").intent == "price"
    # "white jacket": the white one, not the black-and-white one.
    assert answerer.answer("how much is the white jacket").sku == "J1"
    # 短裙 said only in a description still makes that skirt one of the 短裙.
    listed = answerer.answer("黑色短裙多少钱")
    assert listed.sku is None and "9号" in listed.text and "10号" in listed.text


def test_blind16_and_blind17_fixes_bare_numbers_modifiers_kinds_children_and_remarks(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "1,S1,轻跑 男子跑步鞋 Runner,sneaker,299,499,86,40|41|42,黑色,网面,48,包邮,",
        "2,N1,淡水珍珠项链 Freshwater Pearl Necklace,accessory,199,299,38,45cm,白色,淡水珍珠,48,yes,"
        "每颗珍珠之间单独打结防散落",
        "3,E1,珍珠耳钉 Pearl Stud Earrings,accessory,59,99,0,,白色,淡水珍珠,48,1,",
        "4,B1,迷你链条小方包 Mini Chain Bag,bag,169,269,19,均码,黑色,头层牛皮,48,true,",
        "5,B2,珍珠手提小包,bag,129,199,0,均码,白色,仿珍珠串珠,72,true,",
        "6,K1,纯棉中筒袜 5双装 Cotton Crew Socks,socks,29.9,49,800,均码,白色,棉,24,true,",
        "7,K2,蕾丝花边短袜,socks,9.9,19.9,2,均码,白色,锦纶,48,no,",
        "8,C1,女款双面羊毛大衣 Women's Double-Faced Wool Coat,coat,1280,2560,15,S|M,驼色|黑色,羊毛,48,包邮,",
        "9,C2,女款短款羊毛呢外套,coat,599,899,4,S|M,粉色|米白,羊毛,48,包邮,",
        "10,F1,真丝方巾 Silk Square Scarf,scarf,159,229,24,53x53cm,蓝色印花,桑蚕丝,48,true,可做包包丝巾",
        "11,F2,真丝长丝巾 Long Silk Scarf,scarf,239,359,11,180x55cm,蓝色印花,桑蚕丝,48,true,",
        "12,H1,草编遮阳帽 Straw Sun Hat,hat,68,98,70,均码,米色,拉菲草,72,true,可折叠不变形",
    ]
    faq_rows = [
        "question,answer,keywords",
        "尺码怎么选,一般身高170cm体重65kg穿L码。170cm and 65kg usually takes L.,尺码|身高|size",
    ]
    answerer = shop(tmp_path, rows, faq_rows)
    # A bare number in a short English question is a link, unless it is a size of the product on screen.
    assert answerer.answer("how much is 8", current_sku="S1").sku == "C1"
    assert answerer.answer("9 still available?").sku == "C2"
    assert answerer.answer("is 42 in stock", current_sku="S1").sku == "S1"
    assert "售罄" in answerer.answer("3号sold out了吗").text  # English run into Chinese
    # An English modifier or colour before a noun that the matched product lacks: the one that has it.
    assert answerer.answer("is the pearl bag still available").sku == "B2"
    assert answerer.answer("free shipping on the lace socks?").sku == "K2"
    assert answerer.answer("do u still have the pink wool coat").sku == "C2"
    # ... but asked as the question itself, it is answered of the product named.
    assert answerer.answer("is the chain bag pearl").sku != "B2"
    # 丝巾 names the silk scarves, not only the one whose name says it.
    listed = answerer.answer("真丝丝巾多少钱")
    assert listed.sku is None and "10号" in listed.text and "11号" in listed.text
    # Attributes from the listing before the material a name suggests.
    assert "折叠" in answerer.answer("is the straw hat foldable").text
    assert "打结" in answerer.answer("are the pearls on link 2 knotted").text
    # A child's size is not the adults' guide; remarks about what one has get no answer.
    assert not answerer.answer("my kid is 115cm which size").answered
    for text in ("my kid loves the red jacket we got", "i already have link 9 in pink"):
        assert not answerer.answer(text).answered, text


def test_english_names_said_whole_before_kinds_and_modifier_runs(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "1,D1,男款短款羽绒服 Men's Short Down Jacket,coat,699,1299,20,M|L,黑色,鸭绒,48,包邮,",
        "2,D2,男款羊毛混纺大衣 Men's Wool Blend Overcoat,coat,999,1999,20,M|L,黑色,羊毛,48,包邮,",
        "3,P1,男款工装派克服 Men's Parka,coat,799,799,23,M|L,军绿,棉,72,包邮,",
        "4,P2,鹅绒极寒羽绒服 Expedition Goose Down Parka,coat,1899,2999,20,M|L,黑色,鹅绒,360,包邮,",
        "5,H1,羊毛针织毛线帽 Wool Beanie,hat,89,129,30,均码,黑色,羊毛,48,包邮,",
        "6,H2,儿童护耳毛线帽,hat,59.9,79,30,均码,红色,腈纶,48,包邮,",
        "7,F1,摇粒绒半拉链卫衣 Fleece Half-Zip Pullover,hoodie,129,129,0,S|M,灰色,聚酯纤维,24,是,",
        "8,F2,加绒冲锋裤 Fleece-lined Softshell Pants,trouser,189,259,45,S|M,黑色,聚酯纤维,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    # "mens" matched every men's name; the kind word (parka) and then "men" pick the one meant.
    assert answerer.answer("how much is the mens parka").sku == "P1"
    # "beanie" is said whole in one name: that one, not the kids' 毛线帽 as well.
    assert answerer.answer("hw much da beanie").sku == "H1"
    # Three words of one name are that name, not a kind ("fleece") of another category.
    assert answerer.answer("fleece half zip sold out??").sku == "F1"


def test_blind18_and_blind19_fixes_a_linked_products_listing_charts_and_budgets(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "1,D1,法式碎花茶歇连衣裙 French Floral Tea Dress,dress,159,299,86,S|M|L,蓝底碎花,粘胶纤维,48,包邮,"
        "V领泡泡袖，有内衬不透",
        "3,D3,棉麻衬衫裙 Linen Shirt Dress,dress,239,299,20,S|M|L,白色,棉麻,48,包邮,白色稍透建议内搭",
        "8,K1,高腰百褶半身裙 Pleated Midi Skirt,skirt,129,169,120,S|M|L,黑色,聚酯纤维,24,包邮,"
        "腰围S64 M68 L72cm，裙长78cm",
        "12,B1,真丝衬衫 Silk Blouse,shirt,459,699,15,S|M|L,白色,桑蚕丝,48,包邮,胸围S94 M98 L102cm，衣长62cm",
        "41,S1,粗跟罗马凉鞋 Block Heel Roman Sandals,sandal,219,299,12,35|36|37,黑色,超纤皮,72,true,跟高5cm，正常码数",
        "51,D2,碎花吊带连衣裙 Floral Cami Dress,dress,139,199,30,S|M,黄色,棉,48,包邮,",
    ]
    faq_rows = [
        "question,answer,keywords",
        "尺码怎么选,每件的详情里都有尺码表，卡在两个码之间选大一码。,尺码|码|正码",
        "衣服透不透,浅色薄款会有轻微透感，建议搭配肤色内衣。,透|透肉|走光",
    ]
    answerer = shop(tmp_path, rows, faq_rows)

    def says(text: str, sku: str, fact: str) -> None:
        answer = answerer.answer(text)
        assert answer.sku == sku and fact in answer.text, (text, answer)

    # Of one product by its link, its own listing before the shop's general advice.
    says("我平时穿37 41号正码吗", "S1", "正常码数")
    says("1号透吗 浅色的", "D1", "有内衬不透")
    says("3号透不透", "D3", "稍透")
    # A chart written "腰围S64 M68 L72cm" is quoted whole, and serves a size asked of it.
    says("8号腰围多少", "K1", "M68 L72")
    says("whats the bust on link 12 size M", "B1", "M98")
    # A budget of no one product: what fits it, not every dress.
    says("any dress under 150?", "D2", "139")


def test_jewellery_materials_pack_counts_and_more_attributes(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "1,R1,925银素圈戒指 Plain Silver Ring,accessory,89,129,40,6号|8号,银色,S925银,48,yes,",
        "2,K1,中筒运动袜5双装 Crew Sports Socks 5-Pack,socks,39.9,59,300,均码,白色,棉,24,包邮,吸汗",
        "3,T1,冰感速干T恤 Cool-Dry Sports Tee,tshirt,39.9,59,80,M|L,黑色,聚酯纤维,24,包邮,速干透气",
    ]
    answerer = shop(tmp_path, rows)
    assert "S925" in answerer.answer("1号是纯银吗").text  # a metal is a material
    assert "5双装" in answerer.answer("2号一份几双").text  # a pack's count, from the name
    assert "5双装" in answerer.answer("how many pairs in link 2").text
    assert "还剩" in answerer.answer("3号还有几件").text or "有货" in answerer.answer("3号还有几件").text
    assert "速干" in answerer.answer("is link 3 quick dry").text


def test_descriptions_that_fit_several_products_list_them_and_cup_sizes_are_sizes(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "15,J1,廓形西装外套 Oversized Blazer,jacket,329,470,20,S|M,黑色|燕麦色,聚酯纤维,48,包邮,",
        "16,J2,亮片短款西装外套,jacket,399,499,10,S|M,银色|黑色,亮片面料,48,包邮,",
        "43,D1,缎面吊带长裙 Satin Slip Maxi Dress,dress,319,419,20,S|M,香槟金,醋酸缎面,48,包邮,",
        "30,S1,羊绒围巾 Cashmere,scarf,299,399,5,均码,驼色,羊绒,48,包邮,",
        "31,S2,格纹披肩,scarf,79,99,5,均码,红格,羊绒混纺,48,包邮,",
        "20,H1,羊毛针织毛线帽 Wool Beanie,hat,89,129,30,均码,黑色,羊毛,48,包邮,",
        "21,H2,儿童护耳毛线帽,hat,59.9,79,30,均码,黑色,腈纶,48,包邮,",
        "17,B1,乳胶软支撑文胸 Latex Comfort Bra,accessory,99,129,30,75B|80B|80C,肤色,乳胶,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    # "black blazer" fits both black blazers, whichever name holds the words: the viewer says which.
    listed = answerer.answer("black blazer price?")
    assert listed.sku is None and "15" in listed.text and "16" in listed.text
    # ... but "羊绒围巾" is the 羊绒围巾, not a 披肩 of the same category; "the beanie" not the kids' one.
    assert answerer.answer("羊绒围巾多少").sku == "S1"
    assert answerer.answer("hw much da beanie").sku == "H1"
    # A bra size is band and cup in one.
    assert "有80C" in answerer.answer("乳胶文胸有80C吗").text
    # Bare numbers after "ship" and before "is"; remarks about waiting or what one owns.
    assert answerer.answer("how long to ship 43").sku == "D1"
    for text in ("等15号等了好久 终于发货了", "上次的亮片外套掉了几片 无所谓啦还是很美"):
        assert not answerer.answer(text).answered, text


def test_a_multipacks_price_per_piece_and_a_style_letter(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "1,T1,男士纯棉圆领短袖T恤 5件装 Men's Cotton Crew Tee 5-Pack,tshirt,79.9,129,80,M|L,白色,棉,48,包邮,",
        "10,D1,伴娘服雪纺长裙 A款 Bridesmaid Dress A,dress,179,229,60,S|M,香槟色,雪纺,48,包邮,",
        "11,D2,伴娘服雪纺长裙 B款 Bridesmaid Dress B,dress,179,229,0,S|M,香槟色,雪纺,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    assert "15.98" in answerer.answer("1号5件装算下来一件多少钱").text
    assert "15.98" in answerer.answer("link 1 how much per piece").text
    assert "15.98" not in answerer.answer("1号多少钱").text  # only when asked
    assert answerer.answer("伴娘服A款有货吗").sku == "D1"


def test_a_plain_measurement_of_a_named_part(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "40,G1,高定手工钉珠晚礼服 Couture Beaded Gown,dress,2999,3999,3,S|M,象牙白,真丝,720,包邮,裙长155cm 拖尾30cm",
    ]
    answer = shop(tmp_path, rows).answer("40号拖尾多长")
    assert "拖尾30cm" in answer.text and "155" not in answer.text


def test_blind22_fixes_names_said_whole_sex_and_dispatch_days(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "1,B1,无钢圈聚拢文胸 Wireless Push-up Bra,accessory,89,159,236,70A|75B,黑色,锦纶,48,包邮,",
        "3,B3,法式三角杯蕾丝 bralette,accessory,69.9,69.9,7,S|M|L,白色,锦纶,48,包邮,",
        "6,P1,莫代尔中腰内裤3条装 Modal Briefs 3-Pack,accessory,89,129,100,M|L,肤色,莫代尔,48,包邮,",
        "44,M1,男士冰丝平角内裤4条装 Men's Ice Silk Boxers 4-Pack,accessory,69,99,220,L|XL,黑色,冰丝,48,包邮,",
        "15,S1,珊瑚绒加厚睡衣套装【预售】,coat,129,199,50,M|L,粉色,珊瑚绒,360,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    assert answerer.answer("bralette how much").sku == "B3"  # the name that says it, not every bra
    assert answerer.answer("how much r the men's boxers").sku == "M1"  # men's, not the women's briefs
    assert "15天" in answerer.answer("这个现在拍几号能发", current_sku="S1").text
    assert answerer.answer("cheap gift ideas under 50?").sku != "P1"  # a budget, not a size 50
    # More bare link numbers in short English questions.
    assert answerer.answer("what is 44 made of").sku == "M1"
    assert answerer.answer("does 6 ship free").sku == "P1"
    assert answerer.answer("whats the discount on 6").sku == "P1"
    # Shipping asked of a bare number: that link's own dispatch time and free-shipping flag.
    for text in ("when does 6 ship", "6包邮吗", "6 by吗", "6 free ship?"):
        assert answerer.answer(text).sku == "P1", text


def test_more_english_colour_words(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "8,T1,纯棉基础圆领T恤 Basic Cotton Tee,tshirt,59.9,79,230,S|M,白色|焦糖,棉,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    assert "焦糖 is available" in answerer.answer("does #8 come in caramel").text
    assert "no 香槟" in answerer.answer("does #8 come in champagne").text


def test_an_english_shade_picks_between_two_shades_of_one_colour(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "46,LIGHT,高腰mom牛仔裤 Mom Jeans 浅蓝,jeans,169,229,52,26|27|28,浅蓝,棉,48,包邮,",
        "47,DARK,高腰mom牛仔裤 深蓝 Mom Jeans,jeans,169,229,2,26|27|28,深蓝,棉,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    assert answerer.answer("how much is the light blue mom jeans").sku == "LIGHT"
    dark = answerer.answer("any left in the dark blue mom jeans?")
    assert dark.sku == "DARK" and "2" in dark.text
    assert answerer.answer("how much are the blue mom jeans").sku is None  # both are blue: listed


def test_a_promotion_is_no_link_and_an_explicit_number_beats_the_screen(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "2,H1,加绒圆领卫衣 Fleece Crewneck Sweatshirt,hoodie,59,99,30,M|L,灰色,棉,48,包邮,",
        "5,S1,连体泳衣 One-piece Swimsuit,dress,129,199,30,S|M,黑色,锦纶,48,包邮,",
        "21,D1,吊带沙滩长裙 Boho Maxi Beach Dress,dress,99,159,30,S|M,白色|碎花,棉,48,包邮,",
    ]
    faq_rows = ["question,answer,keywords", "考试季有活动吗,考试季第二件半价。,考试季|第二件半价|活动"]
    answerer = shop(tmp_path, rows, faq_rows)
    assert answerer.answer("考试季是不是第二件半价").sku is None  # "第二件半价" is a promotion, not link 2
    assert answerer.answer("第2件多少钱").sku == "H1"
    assert answerer.answer("what colours does 21 come in", current_sku="S1").sku == "D1"


def test_hyphenated_numbers_in_names_and_how_much_said_to_the_host(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "11,J1,情侣三合一冲锋衣 Couple 3-in-1 Outdoor Jacket,jacket,399,599,4,M|L,黑色,尼龙,48,包邮,",
        "45,H1,小狗情侣卫衣 Puppy Couple Hoodie,hoodie,149,199,30,M|L,灰色,棉,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    assert answerer.answer("is the 3 in 1 jacket sold out").sku == "J1"  # "3-in-1" said "3 in 1"
    assert "149" in answerer.answer("这个多少啊宝宝", current_sku="H1").text


def test_a_price_said_with_the_names_material_a_colour_come_in_and_the_streams_hours(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "7,B1,麂皮切尔西靴 Suede Chelsea Boot,ankle_boot,499,699,10,39|40,沙色|黑色,麂皮,48,包邮,",
        "8,P1,珊瑚绒情侣睡衣 Coral Fleece Couple Pyjama Set,coat,299,399,20,M|L,粉色,珊瑚绒,48,包邮,",
    ]
    faq_rows = ["question,answer,keywords", "几点前下单当天发,下午4点前付款当天发出。,几点|当天发"]
    answerer = shop(tmp_path, rows, faq_rows)
    assert "299" in answerer.answer("8号珊瑚绒睡衣一套多少").text  # the price, not the 珊瑚绒 material
    assert "沙色 is available" in answerer.answer("does link 7 come in sand").text
    assert not answerer.answer("主播几点下播啊").answered  # the stream's hours are not the dispatch cutoff


def test_the_amount_of_a_word_the_listing_states_paired_sides_budgets_and_seasons(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "17,R1,缓震跑鞋 Cushion Runner,sneaker,459,599,30,40|41,黑色,飞织,48,包邮,跟差10mm；中底EVA",
        "18,S1,情侣中筒袜5双装 Couple Crew Socks,socks,29.9,39.9,200,均码,混色,棉,24,不包邮,单盒价；运费6元",
        "33,J1,情侣牛仔外套 Couple Denim Jacket,jacket,199,259,27,M|L,浅蓝,100%棉,48,包邮,背后印字男款FOREVER 女款TOGETHER",
        "12,D1,情侣短款羽绒服,coat,599,899,9,M|L,黑色,填充90%白鸭绒,48,包邮,充绒量男款180g 女款150g",
        "1,G1,星河亮片晚礼服 Sequin Gown,dress,459,699,5,S|M,银色,亮片,48,包邮,",
        "2,G2,缎面鱼尾礼服 Satin Gown,dress,599,799,5,S|M,黑色,缎面,48,包邮,",
        "3,H1,羊毛贝雷帽 Wool Beret,hat,79,99,5,均码,黑色,羊毛,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    # The word before 多少 is what is asked: the listing's number for it, never the price or the field beside.
    heel = answerer.answer("17号跟差多少").text
    assert "10mm" in heel and "459" not in heel
    postage = answerer.answer("中筒袜运费多少").text
    assert "6元" in postage
    assert "459" in answerer.answer("17号多少").text  # nothing before 多少 but the link: the price
    # The other side of a pair is the same fact.
    print_text = answerer.answer("33号背后印的什么字").text
    assert "FOREVER" in print_text and "TOGETHER" in print_text
    down = answerer.answer("how much down is in link 12").text
    assert "180g" in down and "150g" in down
    # A plain price answer says what it costs now; the original price answers the discount question.
    assert "699" not in answerer.answer("1号多少钱").text
    assert "699" in answerer.answer("was price of link 1?").text
    # A budget is a bound: nothing over it is offered.
    picks = answerer.answer("预算500买条礼服裙 推荐下").text
    assert "459" in picks and "599" not in picks
    # A season no product says is no reason to offer any product.
    assert not answerer.answer("what do u recommend for summer").answered


def test_names_that_hold_the_words_apart_and_a_material_asked_of_a_kind(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "19,N1,真丝吊带睡裙 Silk Slip Nightdress,dress,459,599,20,S|M,香槟色,桑蚕丝,48,包邮,",
        "50,N2,真丝睡裙眼罩礼盒 Silk Gift Box,dress,529,699,20,S|M,香槟色,桑蚕丝,48,包邮,",
        "35,E1,真丝眼罩 Silk Eye Mask,accessory,49,69,20,均码,黑色,桑蚕丝,48,包邮,",
        "12,P1,真丝睡衣套装 Silk Pyjama Set,shirt,899,1299,12,S|M,香槟色,桑蚕丝100%,48,包邮,",
        "13,P2,冰丝短袖睡衣套装 Ice Silk Pyjama Set,shirt,79,139,156,M|L,粉色,聚酯纤维,48,包邮,",
        "3,L1,便士乐福鞋 Penny Loafer,sneaker,389,559,5,40|41,黑色,疯马皮,48,包邮,",
        "36,L2,流苏乐福鞋 Tassel Loafer,sneaker,479,599,12,40|41,黑色,小牛皮 真皮大底,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    # 真丝睡裙 is the slip nightdress as much as the gift box: both, for the viewer to say which.
    nightdress = answerer.answer("真丝睡裙多少钱")
    assert nightdress.sku is None and "19" in nightdress.text and "50" in nightdress.text
    # A box that holds an eye mask is not an eye mask.
    assert answerer.answer("真丝眼罩多钱").sku == "E1"
    # 冰丝睡衣 names the ice-silk set; the 真丝 it is asked about does not pick the silk one.
    assert answerer.answer("冰丝睡衣是真丝的吗").sku == "P2"
    loafers = answerer.answer("乐福鞋是真皮吗")
    assert loafers.sku is None and "便士" in loafers.text and "流苏" in loafers.text


def test_size_advice_from_a_chart_in_the_description(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "11,P1,纯棉长袖睡衣套装,shirt,159,259,88,M|L|XL|XXL,粉色,纯棉,48,包邮,"
        "M码身高155-160cm体重90-105斤，L码160-165cm 105-120斤，XL码165-170cm 120-135斤，XXL码170-175cm 135-150斤",
        "16,P2,男士纯棉睡衣套装,shirt,169,169,40,L|XL|XXL|3XL,深灰色,纯棉,48,包邮,"
        "L码身高170-175cm，XL码175-180cm，XXL码180-185cm，3XL码185-190cm",
        "35,T1,儿童纯棉短袖T恤 3件装,tshirt,55,79,140,100|110|120|130,混色,纯棉,48,包邮,按身高选码 120码适合身高110-120cm",
    ]
    faq_rows = [
        "question,answer,keywords",
        "尺码怎么选,按身高体重选码，两个码之间选大一码。,尺码|几码|穿什么码",
    ]
    answerer = shop(tmp_path, rows, faq_rows)
    # Height and weight together: the size whose ranges hold both (160 alone is on the M/L border).
    both = answerer.answer("我160 110斤穿什么码", current_sku="P1").text
    assert "L码" in both and "M码" not in both
    assert "XL码" in answerer.answer("16号 身高177穿哪个码").text
    # A child's height, with the kids' tee on screen: its own chart, not the shop's general guide.
    kid = answerer.answer("我家孩子身高115穿几码", current_sku="T1")
    assert kid.sku == "T1" and "120码" in kid.text


def test_a_products_own_name_words_are_not_the_faqs_and_fit_names_no_product(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "50,G1,真丝睡裙眼罩礼盒 Silk Gift Box,dress,529,699,30,S|M,香槟色,桑蚕丝,168,包邮,礼盒含真丝睡裙一件+真丝眼罩一个；附贺卡",
        "36,W1,宽楦商务皮鞋 Wide-Fit Business Shoe,sneaker,399,499,27,40|41,黑色,牛皮,48,包邮,",
    ]
    faq_rows = [
        "question,answer,keywords",
        "可以送礼包装吗 Do you do gift wrapping,备注礼物可免费加礼品袋。Write gift in the order note.,礼物|礼盒|gift|wrap",
        "可以换码吗 Can I exchange a size,7天内可换码一次。One size exchange within 7 days.,换码|换货|swap|exchange",
    ]
    answerer = shop(tmp_path, rows, faq_rows)
    sale = answerer.answer("is the gift box on sale")
    assert sale.sku == "G1" and "699" in sale.text  # the box's discount, not the gift-wrapping policy
    contents = answerer.answer("whats in the #50 gift box").text
    assert "眼罩" in contents and "睡裙" in contents
    swap = answerer.answer("can i swap for another size if it doesnt fit")
    assert swap.sku is None and "exchange" in swap.text.lower()


def test_a_kind_and_its_link_number_ampersands_going_down_and_whom_one_size_fits(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "15,R1,轻量跑鞋 Air Light Runner,sneaker,369,499,64,39|39.5|40,黑色,飞织网面,48,包邮,",
        "32,S1,运动中筒袜3双装 Running Socks,socks,39,49,100,M(38-41)|L(42-45),白色,棉,48,包邮,",
        "36,S2,中筒运动袜5双装 Crew Socks 5-pack,socks,19.9,35,500,均码,白色,棉,24,包邮,一份5双同色，适合35-42码脚，毛圈底",
        "5,T1,日出日落情侣T恤两件套 Sunrise & Sunset Couple Tee Set,tshirt,99,129,20,M|L,白色,棉,48,包邮,",
        "47,T2,猫和鱼情侣T恤两件套 Cat & Fish Couple Tee Set,tshirt,109,139,20,M|L,白色,棉,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    half = answerer.answer("running shoe 15 got half sizes?")
    assert half.sku == "R1" and "39.5" in half.text  # the shoe on link 15, not the running socks
    assert "适合35-42码脚" in answerer.answer("wat size is the crew socks for").text
    assert answerer.answer("the cat and fish tee set how much").sku == "T2"
    dropped = answerer.answer("how much did link 47 go down").text
    assert "139" in dropped and "30" in dropped  # the original price and the saving


def test_colours_shades_sizes_left_per_colour_and_advice_written_after_the_range(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "6,D1,碎花雪纺连衣裙 中长款,dress,99,399,23,S|M|L,蓝底白花|黑底碎花,雪纺,48,包邮,裙长118cm。蓝底白花只剩S/M，黑底碎花三个码都有。",
        "7,S1,慵懒风麻花毛衣 Cable Knit Sweater,pullover,159,259,45,S|M|L,米白|焦糖色|黑色,羊毛,48,包邮,",
        "50,J1,高腰喇叭牛仔裤 Flared Jeans,trouser,139,199,30,S|M|L,深蓝|黑色,棉,48,包邮,",
        "1,T1,法式碎花茶歇裙 French Floral Tea Dress,dress,139.9,259,86,S|M|L|XL,蓝色碎花,雪纺,48,包邮,"
        "尺码表：S码胸围84；M码胸围88。建议90-100斤拍S，100-110斤拍M，110-120斤拍L，120-135斤拍XL。",
        "18,P1,垂感西装裤 九分 女款,trouser,85.9,299,9,S|M|L,黑色,聚酯纤维,48,包邮,M码腰围68cm",
        "19,P2,工装束脚运动裤 男款,trouser,69,199,12,M|L,军绿,棉,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    left = answerer.answer("6号蓝色还有L吗").text
    assert "蓝底白花只剩S/M" in left and "有L码" not in left  # the listing's sizes left in that colour
    caramel = answerer.answer("7号焦糖色还有吗").text
    assert "有焦糖色" in caramel
    shade = answerer.answer("50号有浅蓝吗").text
    assert "没有浅蓝色" in shade and "有深蓝" not in shade
    # "建议100-110斤拍M": the size after its range is that range's size.
    assert "M码" in answerer.answer("身高160 体重105斤 1号穿什么码").text
    assert "size S" in answerer.answer("hi im 155 and 47kg which size for link 1").text
    # "the X on 18": the link of that kind of product.
    assert answerer.answer("what material are the pants on 19").sku == "P2"


def test_english_listings_fit_notes_and_bare_numbers_after_a_preposition(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "1,K1,Cable Knit Crewneck Sweater 麻花针织圆领毛衣,pullover,239,329,46,S|M|L,Cream,wool,48,yes,"
        '"Our best-selling winter knit. Relaxed fit and runs one size big, size down if you are between sizes."',
        "23,B1,廓形西装外套 Oversized Blazer,jacket,245,345,52,S|M|L,黑色,聚酯纤维,48,包邮,有垫肩 衣长72cm。按平时码拍，喜欢更宽松拍大一码。",
        "57,T1,Slim Rib Tee 修身罗纹短袖,tshirt,59,79,8,S|M,White,cotton,48,yes,Fits true to size.",
    ]
    answerer = shop(tmp_path, rows)
    big = answerer.answer("does link 1 run big").text
    assert "runs one size big" in big  # an English listing's phrase, not one word of it
    advice = answerer.answer("23号西装怎么选码").text
    assert "S/M/L" in advice and "按平时码拍" in advice
    assert "8" in answerer.answer("how many left of 57").text
    assert answerer.answer("what colour is 23").sku == "B1"


def test_budget_requests_for_a_family_word_and_numbers_that_name_nothing(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "7,C1,100%山羊绒圆领打底衫 Cashmere Crewneck,pullover,299,499,5,S|M,黑色,山羊绒,24,包邮,",
        "1,D1,法式碎花茶歇裙 French Floral Tea Dress,dress,139.9,259,86,S|M,蓝色,雪纺,48,包邮,",
        "8,K1,高腰A字百褶裙 Pleated A-line Skirt,skirt,79.9,126,120,S|M,黑色,聚酯纤维,48,包邮,",
        "36,S1,短款针织开衫 Cropped Cardigan,pullover,95,159,20,S|M,白色,棉,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    skirts = answerer.answer("100以内的裙子推荐一下").text  # 裙子 is a skirt too; 100 is no "100%" name
    assert "79.9" in skirts and "139.9" not in skirts and "299" not in skirts
    sweaters = answerer.answer("有没有200以内的毛衣").text
    assert "95" in sweaters and "299" not in sweaters


def test_two_links_side_by_side_and_stock_counts(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "5,M1,Merino Wool Turtleneck 美利奴羊毛高领打底衫,pullover,158,198,30,S|M,黑色,羊毛,48,yes,",
        "6,M2,Merino Wool Crewneck 美利奴羊毛圆领打底衫,pullover,148,198,86,S|M,黑色,羊毛,48,yes,",
        "57,K1,Knit Cardigan & Tank Set 针织开衫吊带两件套,pullover,298,398,8,S|M,白色,棉,48,yes,",
    ]
    answerer = shop(tmp_path, rows)
    both = answerer.answer("5号和6号哪个便宜")
    assert both.sku is None and "158" in both.text and "148" in both.text
    assert "86" in answerer.answer("6号还有货吗").text  # the live room's own badge shows the count too
    assert answerer.answer("price of 3 and 7").sku != "K1"  # "and" of "Cardigan & Tank" names nothing


def test_english_per_size_measurements_and_the_size_chart(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "42,P1,Knit Wide-Leg Pants 针织阔腿裤,trouser,199,259,20,S|M|L|XL,Oatmeal,knit,48,yes,"
        '"Elastic waist, pull-on. Waist unstretched S 64cm, M 68cm, L 72cm, XL 76cm. Inseam 76cm."',
        "45,S1,Oxford Button-Down Shirt 牛津纺衬衫,shirt,189,229,20,S|M|L|XL,White,cotton,48,yes,"
        '"Regular fit. US neck size 14.5 / 15 / 15.5 / 16.5 for S / M / L / XL."',
        "18,J1,Denim Trucker Jacket 牛仔夹克,jacket,399,499,20,S|M|L|XL,Blue,denim,48,yes,"
        '"Classic trucker jacket. Shoulder width S 44cm, M 46cm, L 48cm, XL 50cm. Weight 980g."',
        "25,K1,A字牛仔短裙,skirt,45,218,14,S|M|L,浅蓝,100%棉,48,no,裙长42cm",
    ]
    answerer = shop(tmp_path, rows)
    assert "68cm" in answerer.answer("wide leg pants waist for M?").text
    assert "15.5" in answerer.answer("oxford shirt neck size for L").text
    chart = answerer.answer("size chart for the denim jacket?").text
    assert "44cm" in chart and "50cm" in chart
    xl = answerer.answer("does the skirt on 25 come in xl").text  # "skirt on 25" is the link, not a length
    assert "S/M/L" in xl


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("36 hao duoshao qian", "36号多少钱"),
        ("9号by吗", "9号包邮吗"),
        ("发夹包由吗", "发夹包邮吗"),
        ("zb好美", "主播好美"),
        ("r these real or fake", "are these real or fake"),
        ("buy 2 get 1", "buy 2 get 1"),
    ],
)
def test_pinyin_and_chat_shorthand_are_read_as_the_words(typed: str, read: str) -> None:
    assert normalize(typed) == read


def test_an_imitation_is_not_what_it_imitates(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "38,C1,羊绒围巾 纯色 爸爸礼物,scarf,199,399,20,均码,灰色,100%山羊绒,48,包邮,长180cm",
        "39,F1,仿羊绒格子围巾,scarf,39,59,20,均码,灰色,腈纶,48,包邮,",
        "15,C2,纯羊绒围巾 Pure Cashmere Scarf,scarf,359.4,599,20,均码,灰色,山羊绒,48,包邮,",
        "17,F2,仿羊绒纯色围巾 Faux Cashmere Scarf,scarf,39.9,59,20,均码,灰色,腈纶,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    cashmere = answerer.answer("羊绒围巾多少钱").text
    assert "199" in cashmere and "¥39" not in cashmere  # the real ones, never the 仿羊绒 (faux) ones
    assert answerer.answer("仿羊绒格子围巾是真羊绒吗").sku == "F1"
    assert "39.9" not in answerer.answer("cashmere scarf how much").text


def test_question_words_are_not_name_words_and_names_that_hold_the_words_apart(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "20,A1,防水防油围裙 PU 厨房,accessory,19.9,29.9,230,均码,黑色,PU,48,包邮,",
        "21,A2,帆布工作围裙 多口袋 木工咖啡店,accessory,39.9,39.9,80,均码,卡其,纯棉帆布,48,包邮,",
        "36,U1,防晒衬衫 UV Sun Shirt,shirt,75,99,40,S|M,白色,锦纶,48,包邮,UPF50+",
        "25,B1,帆布托特包 Canvas Tote Bag,bag,36.9,49,40,均码,米色,帆布,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    apron = answerer.answer("帆布围裙多少钱")  # 帆布 ... 围裙 apart in one name; 多 is the question's
    assert apron.sku == "A2" and "39.9" in apron.text
    assert "75" in answerer.answer("the UV shirt how much ah").text  # UV names the shirt, no spec is asked
    assert "36.9" in answerer.answer("帆布包几钱").text


def test_buying_many_at_once_gets_the_bulk_terms_never_the_price_of_one(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "15,V1,反光背心 荧光马甲 Reflective Vest,accessory,12.9,19.9,500,均码,荧光黄,涤纶,24,否,"
        "魔术贴开合。10件起批包邮，50件以上每件10.90元。",
        "5,P1,多口袋工装裤 六袋款 Cargo Pants,trouser,89.9,129,200,30|32,卡其,棉,48,包邮,裤长104cm。",
    ]
    faq_rows = ["question,answer,keywords", "团购有优惠吗,同一款买10件以上打9折。,团购|批发|优惠"]
    answerer = shop(tmp_path, rows, faq_rows)
    vest = answerer.answer("反光背心拿十件包邮吗").text
    assert "10件起批包邮" in vest and "12.9" not in vest
    assert "10.90" in answerer.answer("反光背心批发价多少").text
    assert "9折" in answerer.answer("5号买10条有优惠吗").text  # no terms in its listing: the shop's policy
    assert not answerer.answer(
        "5号买10条什么价"
    ).answered  # and where no policy says: silence, not one's price
    assert "89.9" in answerer.answer("5号买两条多少").text  # two is not bulk


def test_shipping_abroad_is_the_shops_policy_not_a_products_flag(tmp_path: Path) -> None:
    rows = [HEADER, "2,D1,碎花方领泡泡袖连衣裙,dress,89,129,20,S|M,蓝色,棉,48,包邮,"]
    faq_rows = [
        "question,answer,keywords",
        "寄马来西亚运费 Shipping to Malaysia,包邮只限中国大陆；寄马来西亚首重1kg ¥38。Free shipping is mainland only; "
        "to Malaysia ¥38 for the first 1kg.,马来西亚|新加坡|malaysia|singapore|运费",
    ]
    answerer = shop(tmp_path, rows, faq_rows)
    for text in ("2号 Malaysia 包邮 or not", "运费怎么算 一件寄槟城"):
        answer = answerer.answer(text)
        assert "38" in answer.text and answer.intent == "faq", text  # Penang is in Malaysia: never "包邮"
    assert not answerer.answer("can ship to Johor Bahru? how many days").answered  # no entry says how long


@pytest.mark.parametrize(
    "text",
    ["the pink earmuffs are adorable", "5号那个颜色挺精神", "12号卖完了 sad", "is the host Malaysian?"],
)
def test_praise_sighs_and_questions_about_the_host_get_no_product_answer(tmp_path: Path, text: str) -> None:
    rows = [
        HEADER,
        "5,J1,爸爸立领夹克 Earmuffs Jacket,jacket,199,299,20,M|L,黑色|粉色,棉,48,包邮,",
        "12,T1,情侣款短袖T恤 Couple Tee,tshirt,59,79,0,M|L,白色,棉,48,包邮,",
    ]
    faq_rows = [
        "question,answer,keywords",
        "寄马来西亚 Ship to Malaysia,可以寄马来西亚。We ship to Malaysia.,马来西亚|malaysia",
    ]
    assert not shop(tmp_path, rows, faq_rows).answer(text).answered


def test_what_a_size_is_for_two_measures_one_size_dimensions_and_what_it_can_do(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "1,P1,爸爸装冰丝短袖Polo衫 翻领,tshirt,69.9,129,320,M|L|XL,藏青,冰丝,24,包邮,尺码建议：M 110-125斤，L 125-140斤，XL 140-155斤。",
        "16,S1,羊毛格子围巾 Wool Plaid Scarf,scarf,139,189,20,均码,红格,羊毛,48,包邮,长190cm 宽35cm，两端流苏8cm。",
        "38,K1,儿童中筒棉袜5双装 Kids Cotton Socks,socks,29,39,100,S|M|L,混色,棉,48,包邮,S码1-3岁，M码4-6岁，L码7-10岁。",
        "20,W1,纯羊毛衫 鸡心领 爸爸毛衣,pullover,199,299,30,L|XL,灰色,100%绵羊毛,48,包邮,可以机洗（羊毛程序）。",
    ]
    answerer = shop(tmp_path, rows)
    assert "140-155斤" in answerer.answer("这个xl多少斤穿", current_sku="P1").text
    both = answerer.answer("16号围巾多长多宽").text
    assert "190cm" in both and "35cm" in both
    ages = answerer.answer("kids socks sizes?").text
    assert "1-3岁" in ages and "7-10岁" in ages
    wash = answerer.answer("羊毛衫能机洗吗 20号")
    assert "机洗" in wash.text and "100%绵羊毛" not in wash.text  # what it can do, not what it is made of


def test_inner_length_per_size_a_chart_in_months_and_whether_it_is_fleece_lined(tmp_path: Path) -> None:
    rows = [
        HEADER,
        '1,K1,小飞侠儿童网面运动鞋 魔术贴款,sneaker,99,139,50,26|27|28|29|30,白色,网面,48,包邮,"尺码表：26码内长17.5cm，27码内长18cm，'
        '28码内长18.5cm，29码内长19cm，30码内长19.5cm。"',
        "38,B1,宝宝软底学步鞋 防滑,sneaker,69,99,40,12.5|13|13.5|14,粉色,棉布,48,包邮,尺码为鞋内长cm：12.5约10-12个月；13约12-15个月；13.5约15-18个月；14约18-24个月。",
        "12,R1,儿童雨靴 恐龙款 防滑雨鞋,ankle_boot,59,89,40,24|25,绿色,天然橡胶,48,包邮,附送一双可拆洗的加绒内胆",
        "34,M1,女童马丁靴 侧拉链短靴,ankle_boot,168,238,5,26|27,黑色,超纤皮+橡胶底,48,包邮,单里，不加绒",
    ]
    answerer = shop(tmp_path, rows)
    inner = answerer.answer("1号30码内长多少").text
    assert "19.5cm" in inner and "17.5" not in inner  # that size's, never the size list or another's
    assert "12-15个月" in answerer.answer("学步鞋13码 适合几个月").text
    assert "13" in answerer.answer("宝宝14个月穿哪个码", current_sku="B1").text
    lined = answerer.answer("这个雨靴加绒吗", current_sku="R1").text
    assert "加绒内胆" in lined and "橡胶" not in lined  # the lining, not the fabric
    assert "不加绒" in answerer.answer("34号加绒了吗").text


def test_a_word_beside_the_kind_keeps_the_product_it_names(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "22,C1,头层牛皮极简卡包 Slim Card Holder,accessory,59,79,20,均码,黑色,牛皮,48,包邮,",
        "25,C2,羊皮风琴卡包 Accordion Card Holder,accessory,79,99,20,均码,黑色,羊皮,48,包邮,",
        "26,C3,PU卡包零钱包一体,accessory,19.9,29.9,300,均码,黑色,PU,48,包邮,",
        "6,B1,PU法棍腋下包 Baguette Bag,bag,89.9,179.8,120,均码,黑色,PU,48,包邮,",
        "7,B2,PU链条腋下包,bag,99,99,5,均码,黑色,PU,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    assert answerer.answer("pu卡包多少钱").sku == "C3"  # not the leather card holders named after the kind
    assert answerer.answer("链条腋下包多少钱").sku == "B2"  # the baguette bag has no chain
    listed = answerer.answer("腋下包多少钱")
    assert listed.sku is None and "6号" in listed.text and "7号" in listed.text


def test_of_several_candidates_the_one_whose_name_alone_holds_a_word_said(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "30,G1,满月礼盒 新生儿纯棉10件套,tshirt,199,299,40,59|66,白色,纯棉,48,包邮,",
        "31,G2,满月礼盒 豪华18件套,tshirt,369,499,40,59|66,白色,纯棉,48,包邮,",
        "2,H1,美式复古字母连帽卫衣,hoodie,159,199,40,M|L,黑色,棉,48,包邮,",
        "17,H2,加绒连帽卫衣,hoodie,139,199,40,M|L,黑色,棉,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    assert answerer.answer("10件套的满月礼盒多少钱").sku == "G1"
    black = answerer.answer("黑色卫衣多少钱")  # the colour and the kind tell neither apart
    assert black.sku is None and "2号" in black.text and "17号" in black.text


def test_more_kinds_themes_and_each_candidates_fact(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "34,M1,女童马丁靴 侧拉链短靴,ankle_boot,168,238,5,27|28,黑色,超纤皮,48,包邮,",
        "53,H1,儿童防水登山靴 中帮,ankle_boot,199,289,15,30|31,卡其,防水翻毛皮,72,包邮,",
        "6,R1,恐龙印花长袖哈衣 爬服,tshirt,49,69,30,66|73,绿色,纯棉,48,包邮,",
        "7,R2,夹棉哈衣 冬季加厚连体衣,tshirt,129,169,30,73|80,米白,纯棉,48,包邮,",
        "22,C1,头层牛皮极简卡包 Slim Card Holder,accessory,59,79,20,均码,黑色|深蓝色,牛皮,48,包邮,",
        "26,C2,PU卡包零钱包一体,accessory,19.9,29.9,300,均码,黑色|蓝色,PU,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    assert answerer.answer("hiking boots price").sku == "H1"
    assert answerer.answer("how much is the dinosaur romper").sku == "R1"
    blue = answerer.answer("卡包有蓝色的吗")  # both listed, each with its colours
    assert blue.sku is None and "深蓝色" in blue.text and "黑色/蓝色" in blue.text


def test_a_linked_products_listing_and_name_before_the_shops_general_answer(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "27,J1,宝宝连帽摇粒绒外套,jacket,99,139,30,73|80,米白,摇粒绒,48,包邮,前开拉链 连帽 外出保暖 可以机洗。",
        "2,B1,A类纯棉长袖连体衣 双向拉链款,tshirt,69.9,99,30,59|66,白色,纯棉,48,包邮,双向拉链",
    ]
    faq_rows = [
        "question,answer,keywords",
        "怎么洗 How to wash,第一次穿前建议清水手洗。Hand wash before the first wear.,洗|机洗|wash",
        "A类是什么意思 What does Class A mean,A类是婴幼儿纺织品的最高安全等级。Class A is the top grade.,A类|class a",
    ]
    answerer = shop(tmp_path, rows, faq_rows)
    wash = answerer.answer("27号外套能机洗吗")  # 外套 is in its name though it is filed as a jacket
    assert wash.sku == "J1" and "可以机洗" in wash.text
    grade = answerer.answer("2号是A类吗")
    assert grade.sku == "B1" and "A类" in grade.text


def test_what_fits_inside_what_a_set_holds_pinyin_initials_and_the_largest_size(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "8,B1,头层牛皮商务双肩包 Business Backpack,bag,839.3,999,20,均码,黑色,牛皮,48,包邮,尺寸44x31x15cm，容量约20L，独立电脑仓可放15.6寸笔记本。",
        "45,S1,儿童冬季三件套 Kids Winter Set,hat,99,139,20,S|M,红色,腈纶,48,包邮,含帽子、围巾、连指手套各1件；S码帽围46-50cm",
        "18,W1,学生小白鞋 校园白色板鞋 系带款,sneaker,119.2,149,20,28|29|30|38,白色,PU,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    assert "15.6寸" in answerer.answer("8号能装15.6寸笔记本吗").text
    assert "含帽子、围巾、连指手套各1件" in answerer.answer("儿童三件套包含什么").text  # the list whole
    assert "119.2" in answerer.answer("18号dsq").text
    assert "38" in answerer.answer("18号最大多少码").text


def test_a_number_that_is_part_of_names_is_not_a_link(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "1,J1,洛城23号篮球球衣 主场 球迷版 Home Fan Jersey #23,tshirt,189,259,40,M|L,紫金,聚酯纤维,48,包邮,",
        "3,J2,洛城23号篮球球衣 客场 球迷版 Away Fan Jersey #23,tshirt,185,259,40,M|L,紫色,聚酯纤维,48,包邮,",
        "23,C1,球队针织毛线帽 Team Beanie,hat,69,89,40,均码,紫金,腈纶,48,包邮,",
        "39,B1,7号标准篮球 Size 7 Basketball,accessory,158,199,40,7号,橙色,PU,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    jersey = answerer.answer("客场23号多少钱")
    assert jersey.sku == "J2" and "185" in jersey.text  # the away #23 jersey, never link 23's beanie
    assert answerer.answer("7号篮球多少钱").sku == "B1"  # a size-7 ball, though there is no link 7
    assert answerer.answer("23号多少钱").sku == "C1"  # a bare link number is still the link
    assert answerer.answer("1号M码有吗").sku == "J1"


def test_the_product_on_screen_its_stock_per_colour_and_body_questions(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "20,P1,鲨鱼裤大码款 Plus Size Shark Leggings,trouser,79.9,99,38,XL|2XL|3XL|4XL,黑色,锦纶,48,包邮,"
        "尺码表：XL 臀围100-108cm 体重130-150斤；2XL 臀围108-116cm 体重150-170斤；4XL 臀围124-132cm 体重190-210斤",
        "21,F1,鲨鱼裤微喇款 Flare Shark Leggings,trouser,89.9,119,27,S|M,黑色|燕麦色,锦纶72% 氨纶28%,48,包邮,"
        "库存：黑色15条，燕麦色已售罄（补货约7天）。",
        "46,C1,棒球帽 纯棉 Baseball Cap,hat,39,59,50,均码,黑色,纯棉,48,包邮,",
        "32,H1,加绒连帽卫衣 Fleece Hoodie,hoodie,159,199,18,M|L,灰色,棉70% 聚酯纤维30%,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    assert "4XL" in answerer.answer("200斤能穿吗", current_sku="P1").text
    assert "size 2XL" in answerer.answer("what size for hips 110cm", current_sku="P1").text
    cotton = answerer.answer("纯棉的吗", current_sku="H1")
    assert cotton.sku == "H1" and "棉70%" in cotton.text  # the hoodie shown, not the cap named 纯棉
    assert "燕麦色已售罄" in answerer.answer("is the oatmeal flare sold out").text


def test_sun_accessories_kinds_themes_ratings_and_a_chart_with_its_sizes(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "33,S1,儿童防晒冰袖 卡通印花,accessory,12,19,40,均码,粉色,冰丝,48,包邮,",
        "23,M1,儿童冰丝防晒口罩 卡通款,accessory,12.9,19,40,均码,粉色,冰丝,48,包邮,",
        "41,U1,五折口袋迷你防晒伞 胶囊伞,accessory,79,99,40,均码,奶白,铝合金,48,包邮,",
        "42,U2,全自动三折防晒伞 反向收 Auto Umbrella,accessory,99,129,40,均码,黑色,铝合金,48,包邮,",
        "12,C1,冰丝防晒棒球帽 速干透气 Baseball Cap,hat,45,45,0,均码,黑色,冰丝,24,包邮,帽围55-60cm后扣可调，UPF40+，速干",
        "10,B1,大檐防晒渔夫帽 UPF50+ 可折叠,hat,59,79,40,M|L,米色,棉,48,包邮,帽围：M码56-58cm，L码58-60cm",
    ]
    answerer = shop(tmp_path, rows)
    assert answerer.answer("儿童冰袖多少钱呀").sku == "S1"  # arm sleeves, not the kids' mask
    assert answerer.answer("which colours for the capsule umbrella").sku == "U1"
    rating = answerer.answer("12号是UPF50+吗").text
    assert "UPF40+" in rating  # what the listing says, not the shop's note on what UPF50+ means
    chart = answerer.answer("10号帽围多少").text
    assert "56-58cm" in chart and "58-60cm" in chart  # the chart's next size stays with it


def test_two_faq_entries_as_close_as_each_other_are_both_answered(tmp_path: Path) -> None:
    rows = [HEADER, "1,T1,纯棉T恤,tshirt,59,79,20,M|L,白色,棉,48,包邮,"]
    faq_rows = [
        "question,answer,keywords",
        "退货运费谁出 Who pays return postage,质量问题来回运费我们承担。We pay postage for faulty items.,退货运费|return postage|postage",
        "有运费险吗 Is there shipping insurance,每单送运费险，退货自动理赔。Every order has shipping insurance.,运费险|insurance|postage",
        "发什么快递 Which courier,中通快递。ZTO.,快递|courier",
    ]
    answerer = shop(tmp_path, rows, faq_rows)
    both = answerer.answer("who pays postage if i return").text
    assert "We pay postage" in both and "insurance" in both
    assert "insurance" not in answerer.answer("发什么快递").text  # a clear winner is answered alone


def test_english_numbers_that_are_part_of_names(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "8,H1,蓝红10号足球球衣 主场 球迷版 Home Fan Shirt #10,tshirt,268,329,58,M|L,蓝红条纹,聚酯纤维,48,包邮,",
        "9,H2,蓝红10号足球球衣 主场 球员版 Authentic Shirt #10,tshirt,629,799,3,M|L,蓝红条纹,聚酯纤维,48,包邮,",
        "46,A1,蓝红10号足球球衣 客场 球迷版 Away Fan Shirt #10,tshirt,258,329,0,M|L,白色,聚酯纤维,48,包邮,",
        "10,S1,蓝红主场针织围巾 Home Knit Scarf,scarf,79,99,120,均码,蓝红,腈纶,48,包邮,",
        "52,P1,球队Polo衫 Team Polo,shirt,145,199,30,M|L,白色,棉,48,包邮,",
        "45,T1,23号球迷短袖T恤 Fan Tee #23,tshirt,84,99,30,M|L,紫色,棉,48,包邮,",
        "23,B1,球队针织毛线帽 Team Beanie,hat,69,89,40,均码,紫金,腈纶,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    assert answerer.answer("is the away 10 shirt in stock").sku == "A1"
    assert answerer.answer("player 10 shirt how many left").sku == "H2"
    assert answerer.answer("what color is the home 10 shirt").sku == "H1"
    assert answerer.answer("23号T恤多少").sku == "T1"
    assert answerer.answer("10号多少钱").sku == "S1"  # a bare link number is still the link


def test_the_colour_or_material_of_a_part_from_the_listing(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "27,B1,头层牛皮自动扣皮带 Automatic Belt,accessory,119.4,199,20,110cm|120cm,黑色|咖啡色,牛皮,48,包邮,扣头枪色或银色；可剪短",
        "32,B2,植鞣革手工皮带,accessory,158,198,20,110cm,原色,植鞣革,48,包邮,黄铜扣；手工缝线",
        "36,T1,男士速干运动短袖 2件装,tshirt,59,79,20,M|L,黑色,聚酯纤维100%,48,包邮,网眼透气",
    ]
    answerer = shop(tmp_path, rows)
    buckle = answerer.answer("27号扣头什么颜色").text
    assert "枪色" in buckle and "咖啡色" not in buckle  # the buckle's colour, not the belt's
    assert "黄铜" in answerer.answer("32号扣是什么材质").text
    assert "聚酯纤维" in answerer.answer("这个透气吗 什么材质", current_sku="T1").text


def test_review_findings_sizes_whole_numbers_weights_size_notes_parts_and_places(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "19,C1,切尔西靴 Chelsea Boots 男,ankle_boot,399,599,20,39|40|41|42|43,黑色,牛皮,48,包邮,",
        "42,R1,中筒雨靴 Rain Boots,ankle_boot,129,169,0,36|37|38,绿色,橡胶,48,包邮,",
        "2,J1,洛城23号篮球球衣 主场 球员版 Home Authentic Jersey #23,tshirt,459,599,5,M|L,紫金,聚酯纤维,48,包邮,",
        "3,J2,洛城23号篮球球衣 客场 球迷版 Away Fan Jersey #23,tshirt,185,259,0,M|L,紫色,聚酯纤维,48,包邮,",
        "16,P1,男士纯棉睡衣套装,shirt,169,169,40,L|XL,深灰色,纯棉,48,包邮,L码身高170-175cm，XL码175-180cm",
        "39,H1,水洗棒球帽 Washed Cap,hat,49,69,40,均码(头围56-60cm),黑色,棉,48,包邮,",
        "22,S1,珊瑚绒毛绒棉拖鞋,sandal,29,39,40,36-37|38-39,米白,珊瑚绒,48,包邮,室内防滑",
        "8,V1,轻薄鸭绒马甲 Duck Down Vest,coat,199,299,40,M|L,黑色,鸭绒,48,包邮,",
        "23,B1,球队针织毛线帽 Team Beanie,hat,69,89,40,均码,紫金,腈纶,48,包邮,",
    ]
    faq_rows = [
        "question,answer,keywords",
        "寄马来西亚 Ship to Malaysia,运费另算。Shipping is extra.,马来西亚|大马|malaysia",
    ]
    answerer = shop(tmp_path, rows, faq_rows)
    assert answerer.answer("chelsea boots in 42?").sku == "C1"  # a size they come in, not link 42
    assert answerer.answer("3号球衣多少钱").sku == "J2"  # "3号" is not the "23号" of the names
    assert (
        "¥69" not in answerer.answer("23号球衣和2号球衣哪个便宜").text
    )  # not link 23's beanie beside link 2
    assert "175cm可以选" not in answerer.answer("16号 175斤穿什么码").text  # a weight is no height
    assert "均码" in answerer.answer("39号头围58选什么码").text  # the size's own note is a head range
    assert "防滑" not in answerer.answer("22号内里什么颜色").text  # "内里" is not cut to 内
    vest = answerer.answer("8号大马甲多少钱")
    assert vest.sku == "V1" and "199" in vest.text  # 大马 of 加大马甲 is no country


def test_which_link_a_description_is(tmp_path: Path) -> None:
    answerer = shop(
        tmp_path,
        [
            HEADER,
            "4,B4,大胸显小全罩杯文胸 Minimizer Bra,accessory,159,199,20,75B|80B,肤色|黑色|豆沙紫,锦纶,48,包邮,",
            "21,N21,纯棉短袖睡裙,dress,59,79,20,M|L,灰色|粉色,纯棉,48,包邮,",
            "45,N45,法式复古蕾丝长睡裙,dress,149,199,20,M|L,白色|烟粉,蕾丝,48,包邮,",
            "7,S7,高帮篮球鞋 Court King,sneaker,399,499,20,41|42,红色|黑色,网面,48,包邮,",
        ],
    )
    # A colour only one product comes in, as the listing writes it ("烟粉", not the 粉色 of another).
    for text, link in (("豆沙紫是几号", 4), ("烟粉色的睡裙是几号", 45), ("红色的篮球鞋是几号链接", 7)):
        answer = answerer.answer(text)
        assert answer.answered and f"{link}号" in answer.text, (text, answer)
    # Nothing in the listings is described: silence, never a guess.
    assert not answerer.answer("荧光绿是几号").answered


def test_coupons_heights_in_metres_and_own_orders(tmp_path: Path) -> None:
    answerer = shop(
        tmp_path,
        [
            HEADER,
            '1,D1,雪纺V领伴娘服,dress,268,328,20,S|M|L|XL,香槟色,雪纺,48,包邮,"S码身高150-160cm，M码160-168cm，L码168-175cm，XL码175-182cm"',
        ],
    )
    # "满300减30" is a coupon: no "size 30" in the answer, whatever else is said.
    assert "30码" not in answerer.answer("买两件1号能用满300减30吗").text
    # "1米78" is a height; the size that fits is the answer, not the whole list beside it.
    fit = answerer.answer("1米78 1号穿多大")
    assert fit.answered and "XL码" in fit.text and "S/M/L/XL" not in fit.text, fit
    # A viewer's own parcel is customer service's to look up.
    assert not answerer.answer("我的快递到哪了").answered


def test_a_products_own_care_note_before_the_shops_general_advice(tmp_path: Path) -> None:
    answerer = shop(
        tmp_path,
        [
            HEADER,
            '5,W5,羊毛加厚保暖袜3双装,socks,49,69,30,均码,灰色,羊毛30% 腈纶45%,48,包邮,"一包3双，建议30℃温水手洗，不可机洗烘干"',
        ],
        [
            "question,answer,keywords",
            "会缩水吗？,纯棉类会有轻微缩水，建议冷水翻面机洗。,缩水|洗|机洗|shrink|wash",
        ],
    )
    answer = answerer.answer("羊毛袜能机洗吗")
    assert answer.answered and answer.sku == "W5" and "不可机洗" in answer.text, answer


def test_postage_a_listing_states_and_who_a_product_is_for(tmp_path: Path) -> None:
    answerer = shop(
        tmp_path,
        [
            HEADER,
            '7,T7,运动速干短袖T恤 体育课,tshirt,39,49,80,120|130|140,白色,涤纶,48,否,"透气速干，运费6元，满2件包邮"',
            "16,S16,芭蕾雪纺系带裙 成人 Chiffon Wrap Skirt,skirt,39,49,20,均码,黑色,雪纺,48,包邮,裙长38cm",
            "17,S17,儿童芭蕾雪纺系带裙 Kids Chiffon Wrap Skirt,skirt,29,39,20,均码,黑色,雪纺,48,包邮,裙长30cm",
        ],
    )
    # Not free: what the listing says it costs.
    postage = answerer.answer("7号包邮吗")
    assert postage.answered and "不包邮" in postage.text and "运费6元" in postage.text, postage
    # "adult" and "kids" say which of two alike.
    for text, sku in (("how long is the adult chiffon skirt", "S16"), ("kids chiffon skirt price", "S17")):
        assert answerer.answer(text).sku == sku, text


@pytest.mark.parametrize(
    "text",
    [
        "what's the host's bra size lol",
        "what's the host's name",
        "主播今天身上穿的是几号链接",
        "14号我穿了一年了都没变形 推荐大家",
        "the black tee looks sick",
    ],
)
def test_the_host_and_praise_get_no_answer(text: str, answerer: Answerer) -> None:
    assert not answerer.answer(text).answered, text


def test_one_size_is_said_in_the_singular(tmp_path: Path) -> None:
    answerer = shop(
        tmp_path, [HEADER, "25,A25,复古夏威夷 Aloha 衬衫 红花,shirt,168,168,1,M,红花,人造丝,48,包邮,"]
    )
    answer = answerer.answer("red aloha shirt size?")
    assert answer.answered and "size M" in answer.text and "sizes" not in answer.text, answer


def test_a_chart_size_moved_as_the_listing_tells_everyone(tmp_path: Path) -> None:
    answerer = shop(
        tmp_path,
        [
            HEADER,
            '1,B1,英伦风校服西装外套,jacket,259,299,30,120|130|140,藏青,涤纶,48,包邮,"版型偏修身 建议按身高拍大一码。尺码表：120码 身高115-125cm；130码 身高125-135cm；140码 身高135-145cm"',
        ],
    )
    answer = answerer.answer("1号 身高128 穿几码")
    assert answer.answered and "140码" in answer.text and "拍大一码" in answer.text, answer


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("how many #14 left", "stock"),
        ("stock on 14?", "stock"),
        ("colors for 14?", "color"),
        ("14 ship time", "shipping"),
        ("14 what color", "color"),
        ("14 discount?", "discount"),
        ("L14 how much", "price"),
        ("l14 free shipping", "shipping"),
    ],
)
def test_a_bare_number_beside_what_is_asked_is_a_link(
    text: str, intent: str, answerer: Answerer, catalog: Catalog
) -> None:
    answer = answerer.answer(text)
    assert answer.answered and answer.sku == product(catalog, 14).sku and answer.intent == intent, answer


def test_a_size_after_a_products_name_is_no_link(tmp_path: Path) -> None:
    answerer = shop(
        tmp_path,
        [
            HEADER,
            "12,N12,双层叠戴钛钢项链 Layered Chain Necklace,accessory,59,79,150,均码,金色,钛钢,48,包邮,",
            "22,R22,莫桑石钻戒 1克拉 Moissanite Ring,accessory,399,599,20,8号|10号|12号|14号,银色,925银,48,包邮,",
        ],
    )
    ring = answerer.answer("莫桑石戒指有货吗 要12号的")
    assert ring.answered and ring.sku == "R22", ring  # size 12 of the ring, not link 12's necklace
    assert answerer.answer("12号多少钱").sku == "N12"  # alone, 12号 is still link 12


def test_gifts_budgets_and_the_cheapest_thing(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "25,SOCK,中筒运动袜5双装 Crew Socks 5-Pack,socks,12.9,19.9,300,均码,白色,棉,24,包邮,",
        "6,TEE,重磅纯棉圆领T恤 Heavyweight Tee,tshirt,19.9,39,200,S|M|L,白色,棉,24,包邮,",
        "55,GIFT,父亲节礼盒 Father's Day Gift Set,accessory,39.9,69,50,均码,黑色,牛皮,24,包邮,皮带加钱包 礼盒装",
        "26,BELT,头层牛皮腰带 Leather Belt,accessory,129,199,40,均码,黑色,牛皮,24,包邮,",
        "30,COAT,羊毛大衣 Wool Coat,coat,899,1299,10,S|M|L,驼色,羊毛,48,包邮,",
        "31,PARKA,连帽派克大衣 Hooded Parka,coat,459,699,10,S|M|L,黑色,锦纶,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    gift = answerer.answer("想送爸爸礼物 推荐什么")
    assert gift.answered and "55号" in gift.text and "12.9" not in gift.text  # what the shop sells as a gift
    # A budget: the most it buys first (the parka, ¥459, not a ¥12.90 pair of socks).
    budget = answerer.answer("预算500 有什么推荐")
    assert budget.answered and budget.text.index("459") < min(
        budget.text.index(p) for p in ("129", "39.9") if p in budget.text
    )
    assert "899" not in budget.text
    cheapest = answerer.answer("whats the cheapest thing here")
    assert cheapest.answered and cheapest.sku == "SOCK" and "12.90" in cheapest.text
    assert answerer.answer("cheapest coat?").sku == "PARKA"


def test_a_number_alone_before_a_stock_or_price_question(tmp_path: Path) -> None:
    answerer = shop(
        tmp_path,
        [
            HEADER,
            "43,CAP,经典纯棉棒球帽 Classic Cap,hat,59,79,0,均码,酒红色,棉,48,包邮,",
            "47,BUCKET,户外渔夫帽 Bucket Hat,hat,89,129,30,M|L,卡其,锦纶,48,包邮,",
            "8,BOOT,切尔西短靴 Chelsea Boots,ankle_boot,299,399,10,39|40|41,黑色,牛皮,48,包邮,",
            "41,BERET,羊毛贝雷帽 Wool Beret,hat,79,99,10,均码,黑色,羊毛,48,包邮,",
        ],
    )
    assert answerer.answer("４３还有吗").sku == "CAP"  # no product comes in a size 43: link 43, sold out
    assert answerer.answer("47 still got stock?").sku == "BUCKET"
    assert answerer.answer("43多少钱").sku == "CAP"
    # With nothing on screen, "41还有吗" may ask after the boots' size 41: not link 41's stock.
    assert answerer.answer("41还有吗").sku != "BERET"
    assert answerer.answer("41多少钱").sku == "BERET"  # a price is no size's


def test_a_head_size_said_with_hao_and_the_hosts_own_measures(tmp_path: Path) -> None:
    answerer = shop(
        tmp_path,
        [
            HEADER,
            "5,CAP,大头围加深棒球帽 Big Head Cap,hat,69,109,40,L(58-61cm)|XL(61-64cm),黑色,棉,48,包邮,"
            "L码适合头围58-61cm，XL码适合头围61-64cm",
        ],
    )
    fit = answerer.answer("头围62戴几号", current_sku="CAP")
    assert fit.answered and fit.intent == "size" and "XL" in fit.text and "58-61" not in fit.text
    assert not answerer.answer("主播头围多少").answered


@pytest.mark.parametrize(
    "text",
    [
        "头围60 头盔选啥",
        "link 29 fits 250 jin?",
        "这个L码适合多重",
        "这个M码胸围多少",
        "一百三十斤 2号要啥码",
        "衣长多长",
    ],
)
def test_a_body_with_a_choice_and_a_sizes_measure_ask_the_size(text: str) -> None:
    found = detect_intents(normalize(text)).names
    assert "size" in found and "material" not in found


def test_a_size_before_its_measure_narrows_the_candidates(tmp_path: Path) -> None:
    answerer = shop(
        tmp_path,
        [
            HEADER,
            '28,TANK,纯棉工字背心2件装 Cotton Tank Top 2-Pack,tshirt,39,59,50,M|L|XL,白色,棉,48,包邮,"XL码衣长68cm"',
            '29,PLUS,纯棉工字背心2件装 加大码 Plus Tank 2-Pack,tshirt,45,69,50,2XL|3XL,白色,棉,48,包邮,"3XL码衣长78cm"',
        ],
    )
    answer = answerer.answer("纯棉背心XL衣长多少")
    assert answer.answered and answer.sku == "TANK" and "68" in answer.text and "78" not in answer.text


def test_denier_camo_sheerness_and_the_usual_price(tmp_path: Path) -> None:
    answerer = shop(
        tmp_path,
        [
            HEADER,
            "5,T80,80D天鹅绒连裤袜 Velvet Tights 80 Denier,socks,25,39,50,均码,黑色,锦纶,48,包邮,",
            "55,T8,8D无痕超薄隐形丝袜 Seamless 8D Sheer Tights,socks,19,29,50,M|L,肤色,锦纶,48,包邮,",
            "27,GAITER,冰丝面巾脖套 Neck Gaiter,scarf,25,39,400,均码,黑色|灰色|迷彩,冰丝,48,包邮,",
            "2,JERSEY,竞速短袖骑行服 Aero Race Jersey 白色,shirt,239,299,20,S|M|L,白色,锦纶,48,包邮,湿水不透",
        ],
    )
    assert answerer.answer("the 8D tights how much").sku == "T8"  # a denier, not the 80D
    camo = answerer.answer("neck gaiter camo available?")
    assert camo.answered and "迷彩" in camo.text
    assert detect_intents(normalize("is the white aero jersey see through when wet")).names != ("color",)
    usual = answerer.answer("2号现在啥价 平时啥价")
    assert usual.answered and "239" in usual.text and "299" in usual.text


def test_a_colour_only_one_candidate_comes_in_and_short_chat(tmp_path: Path) -> None:
    answerer = shop(
        tmp_path,
        [
            HEADER,
            "5,LG5,孕妇托腹打底裤 Belly Support Leggings,trouser,79,129,20,M|L,黑色|灰色,棉,48,包邮,",
            "41,LG41,孕妇托腹打底裤 升级款 Belly Leggings Pro,trouser,86,139,61,M|L,黑色|咖啡色,棉,48,包邮,",
            "3,VEIL,短款双层头纱 Short Two-Tier Veil,accessory,59,99,0,均码,白色,网纱,48,包邮,",
        ],
    )
    coffee = answerer.answer("咖啡色的打底裤多少")
    assert coffee.sku == "LG41" and "86" in coffee.text and "79" not in coffee.text
    black = answerer.answer("黑色的打底裤多少")  # both come in black: both listed
    assert black.sku is None and "79" in black.text and "86" in black.text
    veil = answerer.answer("link3 still avail?")
    assert veil.answered and veil.sku == "VEIL" and "sold out" in veil.text
    assert not answerer.answer("主播几个月了").answered  # the host's pregnancy, not a product's months


def test_short_chat_questions_without_a_question_word(tmp_path: Path) -> None:
    answerer = shop(
        tmp_path,
        [HEADER, "51,CUSHION,棉麻荞麦壳蒲团 Meditation Cushion,accessory,129,169,30,均码,米色,棉麻,72,包邮,"],
        [
            "question,answer,keywords",
            "可以退换货吗 / Can I return or exchange?,支持7天无理由退换货。7-day no-reason returns.,退货|退换|return|refund",
            "是正品吗 / Are the products genuine?,所有商品都是正品。Everything is genuine.,正品|genuine|authentic",
            "可以开发票吗 / Can I get an invoice?,可以开电子发票。We issue e-invoices.,发票|invoice",
        ],
    )
    ship = answerer.answer("shipping time for this one", current_sku="CUSHION")
    assert ship.answered and ship.sku == "CUSHION" and "72" in ship.text
    for text, said in (
        ("refund policy", "7"),
        ("is everything genuine", "正品"),
        ("invoice pls need it for school reimbursement", "发票"),
    ):
        answer = answerer.answer(text)
        assert answer.answered and answer.intent == "faq" and said in answer.text, text
    assert not answerer.answer("love the colour of this one", current_sku="CUSHION").answered


def test_a_mens_product_before_a_boys_one_and_a_link_before_a_body(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "18,R1,男款短袖速干冲浪T Men's Short-Sleeve Rash Guard,tshirt,129,169,40,M|L|XL,黑色,锦纶,48,包邮,"
        "M码身高165-170cm，L码170-175cm，XL码175-180cm",
        "27,R2,男童分体防晒泳衣 Boys' Two-Piece Rash Guard Set,tshirt,99,129,30,110|120|130,蓝色,锦纶,48,包邮,"
        "110码身高105-115cm，120码115-125cm，130码125-135cm",
        "58,J1,男款防晒皮肤衣 Men's UPF50+ Sun Jacket,jacket,109,159,60,M|L|XL,灰色,锦纶,48,包邮,"
        "M码体重55-65kg，L码65-72kg，XL码72-80kg",
    ]
    answerer = shop(tmp_path, rows)
    # 男童 (boys) says 男 too, but "mens" asks for the grown men's one.
    mens = answerer.answer("mens rash tee im 172cm which size")
    assert mens.sku == "R1" and "L" in mens.text
    assert answerer.answer("boys rash guard how much").sku == "R2"
    # The number first, then the body it is for: that link's chart.
    sized = answerer.answer("58 I'm 75kg what size")
    assert sized.sku == "J1" and "XL" in sized.text


def test_a_choice_between_two_sizes_is_a_size_question(tmp_path: Path) -> None:
    from bot.qa.answers import asked_sizes

    assert asked_sizes(normalize("宝宝们我148斤 2号穿2xl还是3xl")) == ["2xl", "3xl"]
    assert asked_sizes(normalize("should i get s or m")) == ["s", "m"]
    assert asked_sizes(normalize("买一件还是两件")) == []
    rows = [
        HEADER,
        "7,W1,女款防水风衣 中长款 Women's Waterproof Trench,coat,399,499,20,S|M|L,卡其,聚酯纤维,48,包邮,"
        "S码身高150-158cm，M码158-165cm，L码165-172cm",
    ]
    answer = shop(tmp_path, rows).answer("女款风衣 162穿M还是L")
    assert (answer.intent, answer.sku) == ("size", "W1") and "M码" in answer.text


def test_a_restock_question_of_a_sold_out_product_without_a_date(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "7,P7,格纹情侣睡衣 男款 长袖套装,shirt,139,179,0,M|L|XL,蓝格,纯棉,72,包邮,男款长袖开衫上衣+长裤",
        "8,P8,格纹情侣睡衣 女款 长袖套装,shirt,139,179,12,S|M|L,粉格,纯棉,72,包邮,女款长袖开衫上衣+长裤",
    ]
    answerer = shop(tmp_path, rows)
    # Sold out is a fact; the date is the streamer's to give: said, and the question is queued.
    answer = answerer.answer("7号什么时候补货啊 想要")
    assert (answer.answered, answer.intent, answer.sku, answer.queue) == (True, "stock", "P7", True)
    assert "售罄" in answer.text and "7号" in answer.text
    english = answerer.answer("will link 7 be restocked?")
    assert english.sku == "P7" and "sold out" in english.text
    # Waiting for it ("蹲一个7号返场") is no question.
    assert not answerer.answer("蹲一个7号返场").answered


def test_two_words_of_one_name_said_together_in_either_order(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "11,M8,马丁靴 8孔 油蜡皮 Martin Boot 8-Eye,ankle_boot,329,559,52,39|40|41,黑,油蜡牛皮,48,包邮,",
        "55,MP,马丁靴 8孔 亮面款 Martin Boot 8-Eye Polished,ankle_boot,349,599,4,39|40|41,黑,亮面牛皮,48,包邮,",
        "20,R1,925银素圈戒指 细版 Plain Band Ring,accessory,49,69,30,12|14,银色,925银,48,包邮,",
        "21,R2,925银素圈戒指 宽版 Wide Band Ring,accessory,59,79,4,12|14,银色,925银,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    assert answerer.answer("亮面马丁还有货吗").sku == "MP"
    assert answerer.answer("细版素圈几块").sku == "R1"
    # Words both names hold pick neither one.
    assert answerer.answer("马丁8孔多少钱").sku is None


def test_a_two_character_word_that_ends_one_name_or_one_of_that_colour(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "32,B1,伴郎胸花 Boutonniere,accessory,15,25,480,,白玫瑰|粉玫瑰,仿真花,24,包邮,单支价格",
        "5,C1,四脚全包宠物雨衣 Full-Body Dog Raincoat,coat,79,119,35,S|M,亮黄|天蓝,涤纶,48,包邮,",
        "6,C2,斗篷式宠物雨衣 Poncho Raincoat,coat,39.9,49.9,0,S|M,透明|荧光绿,EVA,48,包邮,",
        "58,G1,儿童太阳镜 卡通款 非偏光,accessory,29.9,39.9,0,,粉色,PC,48,包邮,",
        "50,H1,女士高尔夫棒球帽 小头围 Women's Golf Cap,hat,89,129,20,均码,白色,棉,48,包邮,头围54-57cm",
    ]
    answerer = shop(tmp_path, rows)
    # 胸花 ends one name: that product.
    pink = answerer.answer("胸花有粉色的吗")
    assert pink.sku == "B1" and "粉玫瑰" in pink.text
    # 雨衣 ends two names; only one comes in yellow.
    assert answerer.answer("黄色雨衣多少钱").sku == "C1"
    assert answerer.answer("雨衣多少钱").sku is None
    # Not a name whose word is negated, nor a body measure that ends a name word.
    index = ProductIndex(load_catalog(tmp_path / "catalog.csv"))
    assert index.by_head_word(normalize("偏光的多少钱")) == []
    assert answerer.answer("头围59能戴吗").sku != "H1"


def test_english_chat_asks_a_colour_by_naming_it_last_and_counts_left_in_long_phrases(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "33,D1,防水桶包 溯溪漂流 Dry Bag,bag,59,79,40,,黑色|橙色|蓝色,PVC,48,包邮,",
        "7,E1,925银大圈耳环 Silver Hoop Earrings,accessory,99,129,12,,银色|金色,925银,48,包邮,",
        "29,S1,复古德训鞋 German Trainer 男女同款,sneaker,159,259,17,36|37|38,白色,牛皮,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    orange = answerer.answer("dry bag orange got?")
    assert (orange.intent, orange.sku) == ("color", "D1") and "橙色" in orange.text
    assert answerer.answer("hoop earrings gold or silver?").intent == "color"
    left = answerer.answer("how many pairs of the german trainers left")
    assert (left.intent, left.sku) == ("stock", "S1") and "17" in left.text
    assert "17" in answerer.answer("this one left how many ah", current_sku="S1").text
    # A colour said first, then another question: not a colour question ("黑色的多少" stays the price).
    assert answerer.answer("white trainers waterproof?").intent != "color"


def test_how_long_a_garment_is_its_own_length_by_size(tmp_path: Path) -> None:
    rows = [
        HEADER,
        '1,D1,碎花吊带连衣裙 Floral Cami Dress,dress,89.9,129,46,S|M|L,奶白碎花,雪纺,48,包邮,"V领细吊带。'
        '裙长S 108cm / M 110cm / L 112cm，胸围S 82 / M 86 / L 90cm"',
    ]
    answerer = shop(tmp_path, rows)
    for text in ("1号多长", "1号 dress length多长"):
        answer = answerer.answer(text)
        assert answer.sku == "D1" and "108" in answer.text and "82" not in answer.text, text


def test_a_facts_name_alone_asks_it_of_the_product_on_screen(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "2,L1,鲨鱼裤经典款 深灰色 Shark Leggings,trouser,79,99,40,S|M|L,深灰色,锦纶75% 氨纶25%,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    answer = answerer.answer("面料成分", current_sku="L1")
    assert (answer.intent, answer.sku) == ("material", "L1") and "锦纶75%" in answer.text
    assert not answerer.answer("面料成分").answered  # nothing on screen: no product to answer of


def test_blind76_to_78_fixes_this_one_pounds_feet_a_second_link_and_a_chart_that_goes_on(
    tmp_path: Path,
) -> None:
    rows = [
        HEADER,
        "24,G1,磁吸球面滑雪镜 Magnetic Goggles,accessory,459,599,20,均码,黑色,PC,48,包邮,",
        "42,K1,儿童连体滑雪服 Kids One-Piece 10K,coat,599,899,16,100|110,蓝色,涤纶,48,包邮,",
        "1,J1,单板滑雪服上衣 Snowboard Jacket,coat,899,1299,30,M|L|XL,黑色,涤纶,48,包邮,"
        "M码身高165-172cm 体重55-65kg，L码172-178cm 65-75kg，XL码178-185cm 75-85kg",
        "31,S1,圆头玛丽珍小皮鞋 Mary Janes,sneaker,199,259,20,35|36|37,黑色,牛皮,48,包邮,",
        "33,S2,学院风JK乐福鞋 School Loafers,sneaker,179,229,20,35|36|37,棕色,牛皮,48,包邮,",
        "57,B1,蕾丝腰封 Lace Corset Belt,accessory,76,96,7,S|M|L,黑色,聚酯纤维,24,包邮,"
        "前系带后松紧，S 腰围60-66 M 66-72 L 72-78（cm），高18cm。",
    ]
    answerer = shop(tmp_path, rows)
    # "this one" points at the product on screen, not at the name "Kids One-Piece".
    assert answerer.answer("this one how much", current_sku="G1").sku == "G1"
    # Pounds and feet are a weight and a height (150 lbs is no 150 cm).
    sized = answerer.answer("I'm 5'9 and 150 lbs, what size for link 1")
    assert sized.sku == "J1" and "L码" not in sized.text and "size L" in sized.text
    # "link 31 or 33": two links, each with its fact; 33 is no shoe size here.
    both = answerer.answer("which is cheaper, link 31 or 33")
    assert "199" in both.text and "179" in both.text
    # A chart whose measure word is said once, for the first size: the next sizes' ranges go on in it.
    waist = answerer.answer("蕾丝腰封 腰围70 哪个码")
    assert waist.sku == "B1" and "M码" in waist.text


def test_of_several_named_the_one_on_screen(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "11,L1,白大褂 长袖 医生实验服 Lab Coat Long Sleeve,coat,68,98,40,M|L|XL,白色,涤棉,48,包邮,"
        "M码身高160-168cm，L码168-172cm，XL码172-178cm",
        "12,L2,白大褂 短袖 夏季 Lab Coat Short Sleeve,coat,58,88,40,M|L|XL,白色,涤棉,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    assert answerer.answer("what size lab coat, I'm 173cm").sku is None  # nothing shown: both listed
    shown = answerer.answer("what size lab coat, I'm 173cm", current_sku="L1")
    assert shown.sku == "L1" and "XL" in shown.text


def test_questions_about_the_hosts_own_story_stay_silent(answerer: Answerer) -> None:
    for text in ("what's your name host", "how long have you been playing tennis?"):
        assert not answerer.answer(text).answered, text


def test_blind82_83_fixes_a_place_shipped_to_this_kind_on_screen_and_links_plural(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "14,M1,蒙古族舞蹈演出服 Mongolian Dance Costume,dress,129,169,20,110|120|130,红色,涤纶,72,不包邮,",
        "18,P1,泰国天然乳胶枕 Natural Latex Pillow,accessory,169,299,30,均码,白色,乳胶,48,包邮,",
        "21,P2,全荞麦壳枕头 Buckwheat Pillow,accessory,79,129,70,均码,米色,荞麦壳,48,包邮,",
        "41,S1,舞台妆亮片脸贴 Stage Face Glitter Stickers,accessory,5.9,9.9,300,,混色,PVC,24,不包邮,",
    ]
    faq_rows = [
        "question,answer,keywords",
        "偏远地区包邮吗,新疆、西藏、内蒙古不包邮，每单补运费15元。,新疆|西藏|内蒙古|偏远",
    ]
    answerer = shop(tmp_path, rows, faq_rows)
    # A place shipped to is no product name ("内蒙古" holds 蒙古 of the costume); "新疆棉" would still be.
    region = answerer.answer("内蒙古能发吗 加多少运费")
    assert region.intent == "faq" and "15" in region.text
    # "这个枕头" with the latex pillow shown: that pillow, though only the buckwheat one's name says 枕头.
    assert answerer.answer("这个枕头多少钱", current_sku="P1").sku == "P1"
    assert answerer.answer("links 41 how much").sku == "S1"


def test_word_lists_read_longest_first_in_the_same_order_in_every_process() -> None:
    from bot.qa.text import longest_first

    # A set's order changes with the process's hash seed; equal lengths go alphabetically, so the first
    # material word found ("羊毛" or "羊绒" in "羊绒和羊毛有啥区别") is the same every time.
    assert longest_first({"羊绒", "羊毛", "美利奴羊毛", "棉"}) == ["美利奴羊毛", "羊毛", "羊绒", "棉"]


def test_a_product_on_screen_its_care_restock_and_shipping_fee_from_the_shops_words(tmp_path: Path) -> None:
    rows = [
        HEADER,
        '2,SWEATER,圣诞麻花高领毛衣 Christmas Sweater,pullover,79,99,30,S|M|L,墨绿色,腈纶,48,包邮,"麻花纹双层翻领。只能手洗，不可烘干"',
        '12,RAIN,四脚全包雨衣 Full-Body Raincoat,coat,69,89,0,S|M|L,藏青,涤纶,48,包邮,"腿口有松紧"',
        '47,SLING,宠物外出斜挎包 Pet Sling Carrier,bag,89,129,20,均码,灰色,牛津布,48,否,"承重7kg以内"',
    ]
    faq = [
        "question,answer,keywords",
        "洗涤有什么要注意的？Any washing tips?,一般建议手洗或装洗衣袋轻柔机洗。Hand wash or gentle machine wash.,洗|wash",
        "卖完了还会补货吗？Will sold-out items be restocked?,售罄款一般7-15天补货。Usually restocked in 7-15 days.,补货|restock",
        "不包邮的商品运费多少？What is the shipping fee for items without free shipping?,标注不包邮的商品统一运费6元。A flat 6 yuan.,运费|shipping fee",
        "偏远地区包邮吗？Remote regions?,新疆、西藏不包邮，补运费10元。,新疆|西藏",
    ]
    answerer = shop(tmp_path, rows, faq)
    # The shown sweater's own care note, not the shop's general tips that allow machine washing.
    care = answerer.answer("能机洗吗", current_sku="SWEATER")
    assert care.sku == "SWEATER" and "只能手洗" in care.text and "机洗" not in care.text.replace("能机洗", "")
    assert "轻柔机洗" in answerer.answer("能机洗吗").text  # nothing shown: the shop's tips
    # "When is it back", worded unlike the FAQ's question: sold out, then the restock policy.
    for text, current in (
        ("啥时候有货", "RAIN"),
        ("when will this be back", "RAIN"),
        ("12号什么时候有货", None),
    ):
        back = answerer.answer(text, current_sku=current)
        assert back.sku == "RAIN" and "7-15" in back.text and ("售罄" in back.text or "sold out" in back.text)
    # The fee of a product without free shipping: its facts, then the shop's fee (not the remote regions').
    fee = answerer.answer("斜挎包运费多少")
    assert fee.sku == "SLING" and "不包邮" in fee.text and "6元" in fee.text and "10元" not in fee.text
    assert "6元" not in answerer.answer("斜挎包包邮吗").text  # whether it is free, not what it costs


def test_more_chat_forms_keycap_links_a_link_word_after_the_number_and_restock_words(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "1,SW,圣诞麻花高领毛衣 Christmas Sweater,pullover,79,99,30,S|M|L,酒红色,腈纶,48,包邮,",
        '3,JEANS,高腰直筒牛仔裤 黑灰 High-Rise Jeans,jeans,169,229,0,26|27|28,黑灰,棉,48,包邮,"下周补货"',
        "17,KNICK,七分背带骑行裤 3/4 Bib Knickers,trouser,259,329,6,S|M|L,黑色,锦纶,48,包邮,",
        "35,PJ,奶牛纹四脚睡衣 Cow Print Pyjamas,accessory,49,69,20,S|M|L,黑白,棉,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    keycap = answerer.answer("3️⃣号是不是卖完了")  # a keycap digit is the digit
    assert keycap.sku == "JEANS" and "售罄" in keycap.text
    assert answerer.answer("35 link how much?").sku == "PJ"
    # 宝宝 here is the host, called so; the link is asked about, not the host's child.
    assert answerer.answer("主播宝宝 1号包邮吗").sku == "SW"
    assert "6件" in answerer.answer("七分裤有几件了").text
    assert "下周补货" in answerer.answer("黑灰牛仔裤啥时候有").text
    assert "下周补货" in answerer.answer("are the black grey jeans coming back").text
    assert not answerer.answer("主播宝宝几个月了").answered  # the host's own child stays hers to tell


def test_a_word_that_ends_one_name_is_the_shown_product_when_its_name_holds_it_too(tmp_path: Path) -> None:
    rows = [
        HEADER,
        "37,INSTEP,护腿护脚背一体 Shin Instep Guard,accessory,59,89,20,S|M|L,黑色,EVA,48,包邮,",
        "38,SHIN,跆拳道护腿 插板式 Shin Guard,accessory,39,59,20,S|M|L,白色,EVA,48,包邮,",
    ]
    answerer = shop(tmp_path, rows)
    shown = answerer.answer("护腿现在多少钱", current_sku="INSTEP")
    assert shown.sku == "INSTEP" and "59" in shown.text
    assert answerer.answer("护腿现在多少钱", current_sku="SHIN").sku == "SHIN"
