"""Which size fits a viewer: measurements stated in chat against the ranges a listing gives per size."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalog import Product, load_catalog
from bot.qa.answers import size_fact
from bot.qa.sizing import body_fit, size_spans, stated_measures, usual_fit, without_measures
from bot.qa.text import normalize

HEADER = "link,sku,name,category,price,original_price,stock,sizes,colors,material,ship_hours,free_shipping,description"


def product(tmp_path: Path, sizes: str, description: str) -> Product:
    row = f'1,P1,Test item,hat,59,79,10,{sizes},黑色,棉,48,包邮,"{description}"'
    (tmp_path / "catalog.csv").write_text(HEADER + "\n" + row + "\n", encoding="utf-8")
    found = load_catalog(tmp_path / "catalog.csv").by_link(1)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("sizes", "description", "asked", "fits"),
    [
        ("S|M", "S码头围46-50cm（约2-5岁），M码头围50-54cm（约6-10岁）", "我家孩子4岁戴什么码", ["S"]),
        ("S|M", "S码头围46-50cm（约2-5岁），M码头围50-54cm（约6-10岁）", "头围52选哪个", ["M"]),
        ("M|L", "M码头围56-57cm，L码头围58-59cm；帽檐宽6cm", "8号 头围58 选什么码", ["L"]),
        ("S|M|L", "S码掌围17cm，M码掌围18cm，L码掌围19cm", "掌围18穿什么码", ["M"]),
        ("M|L|XL", "M码手长17-18cm，L码18-19cm，XL码19-20cm", "手长18.5穿什么码", ["L"]),
        ("S|M|L", "S码2-4岁，M码5-7岁，L码8-12岁", "5岁宝宝什么码", ["M"]),
        (
            "S|M|L|XL",
            "建议90-100斤拍S，100-110斤拍M，110-120斤拍L，120-135斤拍XL。",
            "47kg which size",
            ["S"],
        ),
        (
            "M|L|XL|XXL",
            "M码身高155-160cm体重90-105斤，L码160-165cm 105-120斤，XL码165-170cm 120-135斤",
            "我160 110斤穿什么码",
            ["L"],
        ),
        (
            "One Size",
            "Double-layer cuff, fits head circumference 54-60cm.",
            "my head is big lol 59cm",
            ["One Size"],
        ),
        ("S|M|L", "S码腰围64 M码腰围68 L码腰围72", "腰围72几码", ["L"]),
        # A chart under a "(cm)" heading writes its ranges bare.
        (
            "S|M|L",
            "尺码表（cm）：S 胸围78-82 腰围62-66；M 胸围83-86 腰围67-70；L 胸围87-90 腰围71-74",
            "胸围84腰围68什么码",
            ["M"],
        ),
        # One number per size after the measure's heading; a garment's own length is no body's.
        ("28|30|32", "腰围：28码71cm，30码76cm，32码81cm。裤长102cm", "腰围81拍几码", ["32"]),
        # A shoe chart in millimetres, a foot in centimetres or millimetres, to the half size.
        ("41|42|43", "正码，按脚长选：41码255mm 42码260mm 43码265mm", "脚长26cm穿多大", ["42"]),
        ("41|42|43", "正码，按脚长选：41码255mm 42码260mm 43码265mm", "foot length 265mm which size", ["43"]),
        # "28=71cm" and "28=72" under a heading that names the measure and its unit.
        ("28|30|32", "腰围对照：28=71cm 30=76cm 32=81cm。裤长约103cm", "西裤腰围81穿多大", ["32"]),
        ("28|30|32", "尺码对照（腰围cm）：28=72，30=77，32=82。裤长104cm", "腰围77穿几码", ["30"]),
        # Heights written bare after their word; a garment's girth per size takes the first that is not smaller.
        (
            "M|L|XL",
            "M 胸围112cm 衣长68cm 身高165-170；L 胸围116cm 身高170-175；XL 胸围120cm 身高175-180",
            "身高172穿什么码",
            ["L"],
        ),
        (
            "XL|2XL|3XL|4XL",
            "臀围：XL 110cm；2XL 116cm；3XL 122cm；4XL 128cm",
            "my hips are 126cm which size",
            ["4XL"],
        ),
        # An underbust chart is not a bust chart.
        ("S|M|L", "S下胸围68-73cm，M下胸围73-78cm，L下胸围78-83cm", "underbust 80 which size", ["L"]),
        # Bra sizes: said outright against the listing's table, in inches, or measured by its own rules.
        ("S|M|L", "尺码：S对应70A/70B/75A，M对应75B/80A，L对应80B/85A", "我平时穿75b选哪个码", ["M"]),
        ("70A|70B|75A", "无钢圈", "32b in link 1?", ["70B"]),
        (
            "70A|70B|75A|75B|75C",
            "下胸围68-72cm选70，73-77cm选75；上下胸围差约10cm选A，12.5cm选B，15cm选C",
            "我下胸围75上胸围88穿啥码",
            ["75B"],
        ),
    ],
)
def test_the_size_whose_range_holds_the_viewer(
    tmp_path: Path, sizes: str, description: str, asked: str, fits: list[str]
) -> None:
    fit = body_fit(product(tmp_path, sizes, description), asked)
    assert fit is not None and fit[1] == fits, (asked, fit)


def test_no_answer_without_a_chart_of_that_measure(tmp_path: Path) -> None:
    item = product(tmp_path, "S|M|L", "S码掌围17cm，M码掌围18cm，L码掌围19cm")
    assert body_fit(item, "头围58选什么码") is None  # a hand chart says nothing of heads
    assert body_fit(item, "掌围18.5穿什么码") is None  # nor of the numbers between its single values
    assert size_spans(product(tmp_path, "S|M", "裙长118cm 有内衬")) == []


def test_measurements_are_read_once_and_a_head_is_not_a_size() -> None:
    kinds = {kind: value for kind, value, _ in stated_measures("身高160 体重105斤 4岁 头围52")}
    assert kinds == {"height": 160, "weight": 105, "age": 4, "head": 52}
    assert "59cm" not in [said for _, _, said in stated_measures("59cm")]  # no one's height
    assert "58" not in without_measures("8号 头围58 选什么码")
    assert "31" in without_measures("腰围31有吗")  # jeans are sized by the waist


def test_a_chart_in_months_with_decimal_sizes_and_an_age_in_years(tmp_path: Path) -> None:
    item = product(
        tmp_path,
        "12.5|13|13.5|14",
        "尺码为鞋内长cm：12.5约10-12个月；13约12-15个月；13.5约15-18个月；14约18-24个月。",
    )
    assert [span.size for span in size_spans(item)] == ["12.5", "13", "13.5", "14"]
    assert body_fit(item, "宝宝16个月") == ("16个月", ["13.5"])
    fit = body_fit(item, "宝宝1岁")  # a year is twelve months: on the 12.5/13 border
    assert fit is not None and fit[1] == ["12.5", "13"]


def test_a_foot_length_gets_the_shoes_inner_lengths(tmp_path: Path) -> None:
    from bot.qa.sizing import inner_lengths

    item = product(tmp_path, "26|27|28", "尺码表：26码内长17.5cm，27码内长18cm，28码内长18.5cm。")
    assert inner_lengths(item, "zh") == "内长：26码17.5cm，27码18cm，28码18.5cm"
    assert body_fit(item, "孩子脚长18cm") is None  # a foot is not an inner length: the table, not a pick


def test_a_pets_back_length_and_chest_girth(tmp_path: Path) -> None:
    item = product(
        tmp_path,
        "S|M|L",
        "S码 背长25-30cm 胸围35-42cm；M码 背长30-35cm 胸围42-50cm；L码 背长35-40cm 胸围50-58cm",
    )
    assert body_fit(item, "背长32穿哪个码") == ("背长32", ["M"])
    assert body_fit(item, "胸围45cm选哪个") == ("胸围45cm", ["M"])


@pytest.mark.parametrize(
    ("sizes", "description", "asked", "fits"),
    [
        ("39|40|41|42|43", "偏大一码，建议拍小一码。鞋筒高15cm", "平时穿42 拍几码", "41"),
        ("39|40|41|42|43", "鞋码偏小一码，建议拍大一码（平时穿42拍43）", "im a 41 usually", "42"),
        ("39|40|41|42|43", "正码，按脚长选", "i usually wear 40 what size", "40"),
        ("S|M|L|XL", "版型宽松，偏大一码", "摇粒绒平时穿l拍啥", "M"),
    ],
)
def test_a_usual_size_moves_by_how_the_listing_says_its_sizes_run(
    tmp_path: Path, sizes: str, description: str, asked: str, fits: str
) -> None:
    fit = usual_fit(product(tmp_path, sizes, description), asked)
    assert fit is not None and fit[1] == fits, (asked, fit)


@pytest.mark.parametrize(
    "description",
    [
        "脚宽或脚背高建议拍大一码",  # advice for some feet, not how the sizes run
        "偏大一码，也有人说偏小半码",  # the listing says it two ways
        "",  # the listing says nothing
    ],
)
def test_no_usual_size_answer_without_one_clear_word_on_fit(tmp_path: Path, description: str) -> None:
    assert usual_fit(product(tmp_path, "39|40|41|42|43", description), "平时穿42 拍几码") is None


def test_sizes_that_are_heights_by_the_listings_word_or_by_convention(tmp_path: Path) -> None:
    sizes, note = "110|120|130|140|150", "按身高选码，身高在两个码之间选大码"
    fit = body_fit(product(tmp_path, sizes, note), "身高145 选几码")
    assert fit is not None and fit[1] == ["150"], fit
    # Children's sizes in steps of ten are heights by the trade's convention (110码 is for 110cm), said or
    # not, and so are grown-ups' 160/165/170; a suit's 46/48/50 are only names.
    assert body_fit(product(tmp_path, sizes, "纯棉"), "身高145 选几码") == ("身高145", ["150"])
    assert body_fit(product(tmp_path, "160|165|170|175", "纯棉"), "我172 穿几码") == ("172cm", ["175"])
    assert body_fit(product(tmp_path, "46|48|50|52", "纯棉"), "身高145 选几码") is None
    # "size 140" is the size asked, not a height.
    assert body_fit(product(tmp_path, sizes, "纯棉"), "how long is it in size 140") is None
    assert body_fit(product(tmp_path, sizes, note), "大宝150 二宝127 各拿几码") is None


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("腰二尺五 什么码", [("waist", 83, "二尺五")]),  # whole cm, as charts say "32码83cm（2尺5）"
        ("waist 2尺7 which size", [("waist", 90.0, "2尺7")]),
        ("我爸一米六五 一百四十斤 这个拿几码", [("weight", 140.0, "140斤"), ("height", 165.0, "165cm")]),
        ("一米六八 一百二 秋衣秋裤套装穿啥码", [("height", 168.0, "168cm")]),  # "一百二" alone is no unit
        ("三岁宝宝穿多大", [("age", 3.0, "3岁")]),
    ],
)
def test_a_waist_in_chi_and_a_body_in_chinese_numerals(
    text: str, stated: list[tuple[str, float, str]]
) -> None:
    assert [(k, pytest.approx(v), s) for k, v, s in stated_measures(text)] == stated


def test_a_chart_in_chi_fits_a_waist_and_is_quoted_as_written(tmp_path: Path) -> None:
    item = product(
        tmp_path,
        "L|XL|2XL",
        "尺码：L 腰围2尺1-2尺3 体重100-120斤；XL 腰围2尺3-2尺5 体重120-140斤；2XL 腰围2尺5-2尺7 体重140-160斤",
    )
    waists = [s for s in size_spans(item) if s.kind == "waist"]
    assert [(s.size, s.written) for s in waists] == [
        ("L", "2尺1-2尺3"),
        ("XL", "2尺3-2尺5"),
        ("2XL", "2尺5-2尺7"),
    ]
    assert waists[0].low == pytest.approx(70.0) and waists[0].high == pytest.approx(76.667, abs=0.01)
    assert body_fit(item, "腰围2尺4穿什么码") == ("2尺4", ["XL"])
    assert body_fit(item, "我腰围80cm") == ("腰围80cm", ["XL"])


def test_a_sizes_own_range_under_80cm_measures_what_the_description_says(tmp_path: Path) -> None:
    item = product(tmp_path, "L(58-61cm)|XL(61-64cm)", "尺码：L码适合头围58-61cm，XL码适合头围61-64cm")
    assert {s.kind for s in size_spans(item)} == {"head"}
    assert body_fit(item, "头围62戴几号") == ("头围62", ["XL(61-64cm)"])
    tall = product(tmp_path, "S(150-160cm)|M(160-170cm)", "")
    assert {s.kind for s in size_spans(tall)} == {"height"}  # 150cm and up: a height


def test_a_chart_whose_heading_names_its_columns(tmp_path: Path) -> None:
    item = product(
        tmp_path,
        "6.5|7|7.5|8",
        "尺码表（掌围/手长）：6.5码 17cm/17.5cm；7码 18cm/18cm；7.5码 19cm/18.5cm；8码 20cm/19cm。",
    )
    palms = {s.size: s.low for s in size_spans(item) if s.kind == "palm"}
    hands = {s.size: s.low for s in size_spans(item) if s.kind == "hand"}
    assert palms == {"6.5": 17.0, "7": 18.0, "7.5": 19.0, "8": 20.0}
    assert hands == {"6.5": 17.5, "7": 18.0, "7.5": 18.5, "8": 19.0}
    assert body_fit(item, "掌围18 穿几码") == ("掌围18", ["7"])


def test_a_foot_chart_that_skips_sizes_by_the_national_rule(tmp_path: Path) -> None:
    chart = "码数正常。脚长：36码230mm，38码240mm，40码250mm，42码260mm，44码270mm。"
    shoe = product(tmp_path, "36|37|38|39|40|41|42|43|44", chart)
    # 265 mm is the 43 the chart skips (a size is foot mm / 5 - 10, as every size it gives is).
    assert body_fit(shoe, "脚长265穿几码") == ("脚长265", ["43"])
    # A chart off the rule says nothing of the sizes it skips.
    other = product(tmp_path, "36|37|38", "脚长：36码228mm，38码238mm")
    assert body_fit(other, "脚长233穿几码") in (None, ("脚长233", []))


def test_a_body_outside_the_chart_is_told_the_charts_ends(tmp_path: Path) -> None:
    one_size = product(tmp_path, "均码", "均码，适合90-125斤")
    answer = size_fact(one_size, normalize("均码 130斤能穿吗"), "zh")
    assert "130斤不在尺码表的范围里" in answer and "90-125斤" in answer
    chart = "S码 80-100斤，M码 100-115斤，L码 115-130斤"
    sized = product(tmp_path, "S|M|L", chart)
    answer = size_fact(sized, normalize("I'm 150斤 what size"), "en")
    assert "outside the size chart" in answer and "80-100斤" in answer and "115-130斤" in answer
    # A chart read for some sizes only has no ends to tell: the sizes are listed instead.
    partial = product(tmp_path, "S|M|L|XL", chart)
    assert size_fact(partial, normalize("150斤穿几码"), "zh").endswith("尺码：S/M/L/XL")


def test_a_weight_said_without_a_unit_is_in_kg_when_jin_would_be_implausible() -> None:
    assert ("weight", 156.0, "体重78") in stated_measures(normalize("身高180 体重78穿几码"))
    assert ("weight", 95.0, "体重95") in stated_measures(normalize("身高160 体重95"))  # 95斤 at 160 cm
    assert ("weight", 78.0, "体重78") in stated_measures(normalize("体重78"))  # no height: as said


def test_a_chart_written_range_first_gives_each_range_to_the_size_after_it(tmp_path: Path) -> None:
    chart = (
        "尺码对照(腰围)：25=1尺9(64cm) 26=2尺(66cm) 27=2尺1(69cm) 28=2尺1半(71cm)。"
        "体重参考：85-92斤25码 92-100斤26码 100-107斤27码 107-114斤28码。"
    )
    jeans = product(tmp_path, "25|26|27|28", chart)
    assert body_fit(jeans, "110斤穿什么码") == ("110斤", ["28"])
    assert body_fit(jeans, "90斤") == ("90斤", ["25"])
    # Written size first, the same rows are the size's before them.
    size_first = product(tmp_path, "S|M|L", "S码 80-100斤 M码 100-115斤 L码 115-130斤")
    assert body_fit(size_first, "90斤") == ("90斤", ["S"])


def test_a_palms_width_is_its_own_measure_and_may_be_under_10_cm(tmp_path: Path) -> None:
    gloves = product(tmp_path, "S|M|L|XL", "尺码按手掌宽（不含拇指）：S 7-8cm；M 8-9cm；L 9-10cm；XL 10-11cm")
    assert body_fit(gloves, normalize("手掌宽9.5厘米拿什么码")) == ("手掌宽9.5厘米", ["L"])
    # A dog's paw (脚掌宽) is no palm; a height in metres is not a 1 cm height.
    assert [kind for kind, _, _ in stated_measures(normalize("狗狗脚掌宽4.2cm"))] != ["palm width"]
    assert stated_measures(normalize("身高1.65 体重50kg")) == [("weight", 100.0, "体重50kg")]


@pytest.mark.parametrize(
    ("sizes", "description", "asked", "fits"),
    [
        # Each row begins in the measure the first row began in, after the chest of the row before.
        (
            "S|M|L",
            "尺码：S 155-160cm 胸围82 / M 160-165cm 胸围86 / L 165-170cm 胸围90",
            "我163穿什么码",
            ["M"],
        ),
        # A measure word right before the first size heads the bare numbers of every row.
        ("S|M|L", "胸围：S 80-86 / M 86-92 / L 92-98cm，裙长约90cm", "chest 88 what size", ["M"]),
        # The unit written once, after the last row, is every row's.
        ("XS|S|M|L", "尺码：XS 150-155 / S 155-160 / M 160-165 / L 165-170cm。", "158穿哪个码", ["S"]),
        # A heading between rows heads the rows after it.
        ("S|M", "腰围：S 60-66 M 66-72；臀围：S 84-90 M 90-96", "臀围92", ["M"]),
    ],
)
def test_charts_whose_rows_repeat_their_measures(
    tmp_path: Path, sizes: str, description: str, asked: str, fits: list[str]
) -> None:
    fit = body_fit(product(tmp_path, sizes, description), normalize(asked))
    assert fit is not None and fit[1] == fits, fit


def test_height_sizes_up_to_200_and_advice_for_some_only_for_those_who_say_so(tmp_path: Path) -> None:
    dobok = product(
        tmp_path, "110|120|130|140|150|160|170|180|190|200", "按身高选码：身高在两个码之间选大一码"
    )
    answer = size_fact(dobok, normalize("身高165穿几码"), "zh")
    assert "170码" in answer and "180" not in answer  # the between-sizes rule is not a size up for all
    qipao = product(tmp_path, "120|130|140", "按身高选码，版型修身，偏胖建议拍大一码")
    assert "140码" in size_fact(qipao, normalize("孩子偏胖 身高130 拍多大"), "zh")
    assert "140" not in size_fact(qipao, normalize("身高130 拍多大"), "zh")


def test_a_charts_open_ends_are_ranges_said_as_written(tmp_path: Path) -> None:
    gloves = product(
        tmp_path,
        "8oz|10oz|12oz|16oz",
        "按体重选：8oz 儿童或体重45kg以下，10oz 45-60kg，12oz 60-75kg，16oz 85kg以上",
    )
    assert body_fit(gloves, normalize("体重40kg")) == ("体重40kg", ["8oz"])
    assert body_fit(gloves, normalize("体重95kg")) == ("体重95kg", ["16oz"])
    assert [span.written for span in size_spans(gloves)][::3] == ["45kg以下", "85kg以上"]


def test_a_waist_in_chi_against_a_chart_of_single_waists_and_no_shrinkage_read_as_a_waist(
    tmp_path: Path,
) -> None:
    chart = "尺码对照(腰围)：29=2尺2(74cm) 30=2尺3(76cm) 31=2尺3半(79cm) 32=2尺4(81cm)。首次洗会缩水约1-2cm。"
    jeans = product(tmp_path, "29|30|31|32", chart)
    assert body_fit(jeans, normalize("2尺3穿几码")) == ("2尺3", ["30"])
    assert all(span.low > 20 for span in size_spans(jeans))  # "1-2cm" is shrinkage, not size 32's waist
