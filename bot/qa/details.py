"""Facts a product's listing states in words rather than fields: specs ("重量1.3kg", "容量20升"), garment
measurements per size ("27码腰围71cm"), fit ("偏大一码 建议拍小一码") and features ("可拆卸帽子"). A question
is answered with the segment that literally holds what it asks, quoted as the shop wrote it, or not at all."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable

from bot.catalog import Product
from bot.qa import rx
from bot.qa.answers import HEAD_EN, HEAD_ZH, Phrasebook, asked_sizes, facts_of, listing_says
from bot.qa.charts import chart_answer
from bot.qa.glosses import sense_words
from bot.qa.intents import FIT_ASKED, FIT_STATED, GARMENT_MEASURES, MEASURE_ASKED, PATTERNS
from bot.qa.linking import COLOR_WORDS_EN, LINK_PATTERNS, ON_SCREEN, chinese_words_in
from bot.qa.text import normalize

DETAIL_ZH = ("详情页写着“{fact}”", "商品信息里写着“{fact}”")
DETAIL_EN = ('the listing says "{fact}"', 'product notes: "{fact}"')
_SHEER_ASKED = r"透不透|透吗|透么|会透|会不会透|透肉|走光|\bsee[- ]?through\b|\bsheer\b"
# What a question asks for that the listing states in words, and how the listing states it (a pattern).
# English and Chinese ways to ask; a spec is what is asked, the rest of the question says which product.
_SIZE_VALUE = r"(?:(?<![a-z])(?:xs|s|m|l|xl|[2-9]xl)(?![a-z])|[smlx]码)\s*(?:=\s*)?\d{2,3}"
# How a listing says what a set holds; its list ("含帽子、围巾、连指手套各1件") is quoted whole.
_CONTENTS_STATED = r"含|包括|一套|件套|附|内含|\d\s*件|一共"
SPECS: tuple[tuple[str, str], ...] = (
    # "1号能放14寸电脑吗", "does the mini backpack fit an ipad": what the listing says fits inside.
    (r"(?:放|装|塞)(?:得下|下|进)?.{0,8}(?:电脑|笔记本|mac|laptop|ipad|平板|手机|水杯|保温杯|钱包|a4)|"
     r"\bfits?\b.{0,25}\b(?:laptop|macbook|mac|ipad|tablet|phone|wallet|bottle|a4)\b",
     r"笔记本|电脑|ipad|平板|手机|\d\s*寸|laptop|tablet|phone|杯|钱包|a4"),
    # "套装里有什么", "满月礼盒10件套里面有什么", "what comes in the raincoat set": what the set holds.
    (r"里面?(?:有|装)(?:什么|啥|哪些|几件|几样)|包含什么|包括什么|含什么|有什么东西|\bwhat comes (?:in|with)\b",
     _CONTENTS_STATED),
    (r"\bsize (?:chart|guide|table)\b|尺码表|尺寸表", rf"{_SIZE_VALUE}.*{_SIZE_VALUE}"),
    (r"\bwaterproof(?:ness)? (?:rating|level)\b|\bwater ?column\b|\bhydrostatic\b|\bhow waterproof\b|"
     r"防水(?:指数|等级|级别|系数)|耐水压|防水多少", r"防水指数|耐水压|\d\s*mm"),
    (r"\bcapacity\b|\bhow many (?:liters|litres|l)\b|\bliters?\b|\blitres?\b|"
     r"\bhow much (?:does|can|will) (?:it|this|that) (?:hold|fit)\b|多少升|几升|容量|能装多少|装多少|装得下多少",
     r"容量|\d\s*(?:升|l\b)"),
    # "电饭煲几个人用", "how many people is the tent for": the listing's people count ("适合3-5人").
    (r"(?:够|能|可以)?(?:睡|住|吃|坐|用|供)?(?:几个?|多少)人(?:用|吃|睡|住|坐|份)?|\bhow many (?:people|persons|ppl)\b|\bfor how many\b",
     r"(?:\d+\s*[-~到至]\s*\d+|(?<![\d.])[2-9]|\d{2})\s*(?:个)?人(?!民|气|群)|\d\s*(?:[-~to]+\s*\d+\s*)?(?:people|persons)\b"),
    # "一次能绞多少肉", "how much meat can it do at once": how much one go takes, as the listing says it.
    (r"一次(?:能|可以|最多)?[\u4e00-\u9fff]?(?:多少|几)|\bat (?:once|a time|one time)\b|\bin one go\b",
     r"一次|最多|每次|\bat (?:once|a time)\b"),
    (r"\b(?:goose|duck)(?: down)?(?: or (?:goose|duck)(?: down)?)?\b", r"鹅绒|鸭绒"),
    (r"\b(?:out|mid|in)?soles?\b|鞋底|大底|什么底|底是|底子", r"(?<!打)底"),
    (r"(?<![a-z])(?:upf|spf)(?:\s*\d+\s*\+?)?(?: rating)?(?![a-z])|\bsun protection\b|\buv\b", r"upf|spf"),
    (r"\bhow thick\b|\bthickness\b|多厚|厚度|厚不厚", r"厚"),
    (r"\bdimensions?\b|\bhow (?:big|large)\b|\bmeasurements?\b|尺寸|长宽高|多大(?!码|号|年龄|岁|了)",
     r"尺寸|长宽高|\d\s*[x×*]\s*\d"),
    (r"\b(?:what )?(?:percent(?:age)?|%) (?:of )?(?:wool|cotton|cashmere|silk|linen|down|merino|spandex|polyester)\b|"
     r"\bhow much (?:wool|cotton|cashmere|silk|linen|merino|spandex|polyester)\b|含量|占比|比例|百分之|多少%", r"%"),
    (r"\bfill(?:ing)? (?:weight|amount)\b|\bhow much (?:down|filling|fill)\b|充绒量|充棉量|填充量|充绒多少|充了多少",
     r"充绒|充棉|填充|绒量"),
    (r"\bfill ?power\b|\bloft\b|蓬松度", r"蓬松|\d\s*fp\b|fill ?power"),
    # Power, heat, run time and small measures: "1号多少瓦", "max temp on link 10", "how long does the battery
    # last", "11号几毫米的", each answered by the listing's number in that unit.
    (r"(?:多少|几)\s*(?:瓦|w\b)|功率|\bwattage\b|\bhow many (?:watts|w)\b|\bwatts?\b",
     r"\d\s*(?:w|瓦)(?![a-z])|功率"),
    (r"(?:多少|几)度|温度|\btemp(?:erature)?s?\b|\bhow hot\b|\bheat settings?\b",
     r"\d\s*(?:°c|℃|度|°f)|温度"),
    (r"续航|(?:电池|电量|充满电?|充一次电?)(?:(?!保修|质保|坏).){0,6}(?:多久|多长时间|几个?小时|能用)|\bbattery life\b|"
     r"\bhow long (?:does|will|can) (?:the |its? )?(?:battery|charge) last\b|\bruntime\b|\brun time\b",
     r"续航|\d\s*(?:分钟|小时|min|mins|minutes|hours?|h)(?![a-z])"),
    (r"(?:几|多少)\s*(?:毫米|mm|厘米|cm|公分)|\bhow many (?:mm|cm|millimet(?:er|re)s|centimet(?:er|re)s)\b",
     r"\d\s*(?:毫米|mm|厘米|cm|公分)(?![a-z])"),
    # A fill's weight ("充绒量300g") is not the product's.
    (r"\bweigh(?:s|t)?\b|\bhow heavy\b|多重|多沉|重不重|沉不沉|几斤|多少斤|重量|净重|自重|(?<!量)(?:多少|几)(?:克|g\b)|\bhow many (?:grams|g|kilos|kg)\b",
     r"^(?!.*(?:充绒|充棉|填充|绒量)).*(?:重量|净重|自重|重约|\d(?:\.\d+)?\s*(?:g|kg|克|千克|公斤)(?![a-z]))"),
    (FIT_ASKED.pattern, FIT_STATED),
    # How many in a pack ("28号一份几双", "how many pairs in link 27"): the name says it as often as not.
    (r"\bhow many (?:pairs|pieces|pcs)\b|(?:一份|一包|一盒|一套|一组|一拍|一单)(?:是|有)?几(?:双|件|个|条|只)|几(?:双|件|条)装",
     r"\d+\s*(?:双|件|条|个|只|支|片)(?:装|一盒|一包)|一(?:盒|包|套)\d+|\d+[- ]?(?:pack|pcs|pieces|pairs)\b"),
    (_SHEER_ASKED, r"透|内衬|衬里|走光"),
    # A quality asked yes or no ("双肩包防水吗", "会不会掉色", "狗牌会生锈吗"): the listing's words for it,
    # however it says so ("600D防泼水涤纶", "前两次洗有浮色", "304不锈钢").
    (r"防水|防雨", r"防水|防泼水|泼水|防雨|压胶|耐水压"),
    (r"掉色|褪色|掉不掉色|串色|染色", r"掉色|褪色|浮色|固色|串色|色牢度|单独洗|分开洗"),
    (r"生锈|会锈|锈吗", r"锈|不锈钢|304|316|钛"),
    (r"起球", r"起球"),
    (r"起皱|易皱|容易皱|皱吗|皱不皱", r"皱|免烫|挺括"),
    (r"缩水|缩不缩", r"缩水|预缩"),
    (r"掉毛|掉绒|钻绒|跑绒", r"掉毛|掉绒|钻绒|跑绒"),
    (r"有弹[力性]|弹力|弹性|有弹|弹不弹", r"弹|氨纶|松紧"),
    # "混色的可以挑颜色吗", "can i pick the colours": whether the listing says the colours are random or set.
    (r"(?:能|可以|可不可以|能不能)(?:自己)?(?:选|挑|指定)颜色|颜色(?:能|可以)(?:自己)?(?:选|挑|指定)|"
     r"(?:choose|pick|select) (?:the |my )?colou?rs?",
     r"随机|不能选|不可选|不能挑|不可指定|固定|\brandom"),
    *GARMENT_MEASURES,
)  # fmt: skip
# Specs of the whole product: the other words of the question ("我平时穿37", "浅色的") tell about the viewer
# or which product, not which part of the listing.
# Not the plain length, width and height (the last three): "拖尾多长" asks the train's, not the dress's.
_WHOLE_PRODUCT = frozenset({FIT_STATED, r"透|内衬|衬里|走光", *(stated for _, stated in GARMENT_MEASURES)})
# The part a plain measurement is asked of, right before it: "拖尾多长" (the train), "镜框多宽" (the frame).
_PART_MEASURED = re.compile(r"([\u4e00-\u9fff]{2,3}?)(?:有)?(?:多长|多宽|多高|多厚|长度|宽度|高度)")
_MEASURED_VALUE = re.compile(r"\d\s*(?:cm|mm|厘米|毫米|公分|米)")
# English words for what a (Chinese) description says: only to find the words there, never to translate.
# An attribute ("does the hood come off") must be in the segment with every other word of the question.
ATTRIBUTES_EN: tuple[tuple[str, str], ...] = (
    (r"\blin(?:ing|ed)\b", r"里衬|内衬|衬里|里布|内里"),
    (r"\bhoods?\b|\bhooded\b", r"帽"),
    (r"\bdetachable\b|\bremovable\b", r"可拆|拆卸"),
    (r"\b(?:shoe)?laces?\b|\blace[- ]up\b|\btie\b", r"鞋带|系带"),
    (r"\bslip[- ]on\b", r"一脚蹬"),
    (r"\bpockets?\b", r"口袋|袋"),
    (r"\bwaterproof\b|\bwater[- ](?:repellent|resistant)\b", r"防水|防泼水"),
    (r"\bwindproof\b", r"防风"),
    (r"\bnon[- ]?slip\b|\banti[- ]?slip\b|\bslippery\b", r"防滑"),
    # A half or full zip before any zip: the glossary is read in order, each match taken out.
    (r"\bhalf[- ]?zip(?:per)?\b", r"半拉链|半开"),
    (r"\bfull[- ]?zip(?:per)?\b", r"全拉链|全开"),
    (r"\bzip(?:per)?s?\b", r"拉链"),
    (r"\bfleece[- ]lined\b", r"加绒"),
    (r"\bstretchy?\b|\belastic\b", r"弹力|弹|松紧"),
    (r"\bbreathable\b", r"透气"),
    (r"\bgift box\b", r"礼盒"),
    (r"\bpill(?:ing|s)?\b", r"起球"),
    (r"\badjustable\b", r"可调"),
    (r"\bquick[- ]?dry(?:ing)?\b", r"速干|快干"),
    (r"\bpolari[sz]ed\b", r"偏光"),
    (r"\bknot(?:ted|s)?\b", r"打结|结"),
    (r"\bfoldable\b|\bpackable\b", r"折叠|收纳"),
    (r"\bwhat(?:'s|s| is| comes?)? in(?:side)?\b|\bcontents?\b|\bcomes? with\b|\binclude[sd]?\b",
     r"含|包括|附|一套|\d\s*件套"),
    (r"\bunderwire[sd]?\b|\bwire[ds]?\b|\bwireless\b", r"钢圈"),
    (r"\bhooks?\b", r"排扣|钩"),
    (r"\bbelt(?:ed)?\b", r"腰带"),
    (r"\bcrossbody\b", r"斜挎"),
    (r"\bunisex\b", r"男女"),
    (r"\bspare\b|\bextra\b", r"备用|附送|送"),
    (r"\bthumb ?holes?\b", r"拇指孔"),
    (r"\bheel drop\b", r"落差|跟差"),
    (r"\bsun[- ]?protect(?:ive|ion)\b|\buv\b|\bupf\b", r"防晒|upf|紫外线"),
    (r"\bsuede\b", r"麂皮|翻毛"),
    (r"\breflective\b|\breflectors?\b", r"反光"),
    (r"\bmachine[- ]wash(?:able)?\b|\bwashing machine\b", r"机洗"),
    (r"\brain ?cover\b", r"防雨罩"),
    (r"\bpad(?:s|ded|ding)?\b", r"胸垫|垫"),
    (r"\bchamois\b", r"坐垫|垫"),
    (r"\bdry[- ]clean(?:ing)?\b", r"干洗"),
    (r"\bhand[- ]wash\b", r"手洗"),
    # "can I wash this in water", "washable?": whatever the listing says of washing it (手洗, 干洗, 不可水洗).
    (r"\b(?:wash(?:able|ing|ed|es)?|launder(?:ed|ing)?)\b(?: (?:it|them) )?(?: ?in (?:cold |warm |hot )?water)?",
     r"洗"),
    (r"\bshrinks?\b|\bshrinkage\b", r"缩水"),
    (r"\bfades?\b|\bbleeds?\b", r"掉色|褪色|浮色"),
    (r"\bsee[- ]?through\b|\bsheer\b", r"透"),
    (r"\bthick(?:ness)?\b", r"厚"),
    (r"\bwarm(?:th)?\b", r"保暖|加绒|夹棉"),
    (r"\bstraps?\b", r"肩带|带"),
    (r"\bpull-?over\b|\bpull[- ]on\b", r"套头"),
    (r"\bbuttons?\b|\bbuttoned\b", r"扣"),
    (r"\bdouble[- ]?(?:layer(?:ed)?|lined)\b", r"双层"),
    (r"\bseams?\b|\bseamless\b", r"缝|无骨"),
    (r"\bopen[- ]?toe[ds]?\b|\btoeless\b", r"露趾|开趾"),
    (r"\bfluorescen(?:t|ce)\b|\bbrighteners?\b", r"荧光"),
)  # fmt: skip
# Where on the garment, and what comes in the box: words a question about a part is built with, read only
# when the closest segment is looked for (the literal reading would take "inner length" for a part).
_WHERE_EN: tuple[tuple[str, str], ...] = (
    (r"\bfront\b", r"前"),
    (r"\bback\b", r"后|背"),
    (r"\bsides?\b", r"侧"),
    (r"\bshoulders?\b", r"肩"),
    (r"\binner\b|\binside\b", r"内"),
    (r"\bchin\b", r"下巴"),
    (r"\bcases?\b|\bpouch\b", r"盒|袋"),
    (r"\bballs?\b", r"球"),
)  # fmt: skip
# English words that carry no fact of their own in a question about a product.
_EN_FILLER = frozenset(
    {
        "a",
        "an",
        "the",
        "do",
        "does",
        "did",
        "is",
        "are",
        "was",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "they",
        "them",
        "one",
        "ones",
        "have",
        "has",
        "had",
        "will",
        "would",
        "can",
        "could",
        "there",
        "any",
        "come",
        "comes",
        "with",
        "to",
        "of",
        "in",
        "on",
        "for",
        "i",
        "me",
        "my",
        "u",
        "you",
        "your",
        "need",
        "needs",
        "it's",
        "really",
        "pls",
        "please",
        "or",
        "not",
        "and",
        "so",
        "what",
        "what's",
        "whats",
        "how",
        "much",
        "many",
        "about",
        "be",
    }
)  # fmt: skip
# Chinese characters that carry no fact of their own in a question ("这鞋要系鞋带吗": 鞋带 and 系 do).
_ZH_FILLER_CHARS = "吗呢吧啊呀的了是不有没能么我你他她它这那个嘛哦哈可以会要用还就都也很请问一下主播宝们亲里面什怎样多少几穿着需款件双条"
_ZH_FILLER = frozenset(_ZH_FILLER_CHARS)
# A full stop parts sentences, a decimal point ("重量1.3kg") does not.
# A space between two Latin words or numbers ("可放iPad mini", "Au750 18K金") is inside one phrase.
# A new size's row ("28码腰围74cm 30码腰围79cm") starts a segment of its own.
_SEGMENTS = re.compile(
    r"(?:(?<![A-Za-z0-9])\s|\s(?![A-Za-z0-9])|\s(?=\d{1,3}(?:\.5)?\s*码)|[,，;；。!！、]|(?<!\d)\.|\.(?!\d)"
    # "80kg/m³", "30km/h": a unit's slash is no break.
    r"|(?<![A-Za-z0-9])/|/(?![A-Za-z0-9㎡³²]))+"
)
# An English listing ("Relaxed fit and runs one size big, size down if ..."): its phrases go by punctuation.
_EN_SEGMENTS = re.compile(r"(?:[,，;；。!！]|(?<!\d)\.|\.(?!\d))+\s*")


# A spec named without a question word is still asked in live chat ("waterproof rating of link 3").
SPEC_ASKED = re.compile(
    r"防水指数|重量|容量|含量|充绒量|内长|功率|温度|续航|\bweight\b|\bcapacity\b|\b(?:waterproof(?:ness)? )?rating\b|"
    r"\bdimensions?\b|\bwattage\b|\b(?:max(?:imum)? )?temp(?:erature)?\b|\bbattery life\b"
    r"|\bupf\b|\b(?:goose|duck) or (?:goose|duck)\b"
)
SUN_ASKED = re.compile(r"防晒|紫外线|\bsun ?(?:protection|proof|block)|\buv\b|\bupf\b|\bspf\b")
_RATING = re.compile(r"\b(?:upf|spf)\s*\d+\s*\+?")


def _sun_rating(product: Product) -> str:
    """The sun-protection rating the row states ("UPF50+"), '' when it states none."""
    match = _RATING.search(f"{product.material} {product.description}".lower())
    return match.group(0).replace(" ", "").upper() if match else ""


# Any spec asked, wherever in the question.
ASKS_A_SPEC = re.compile("|".join(pattern for pattern, _ in SPECS))
# An English attribute asked of a product ("is the straw hat foldable"): the listing's words, before the
# material its name suggests.
ATTRIBUTE_ASKED = re.compile("|".join(pattern for pattern, _ in ATTRIBUTES_EN))


# "M68", "L72cm", "XL106cm": the next sizes of a chart written "腰围S64 M68 L72cm".
_BARE_LABEL = re.compile(r"(?:\d?x{0,3}[sml]|\d?xl|xs)(?=\s|$)|\d{2,3}码(?=\s|$)", re.IGNORECASE)
_MEASURE_NEXT = re.compile(r"(?:衣长|胸围|腰围|臀围|肩宽|袖长|裤长|裙长|内长|脚长|身高|体重)\s*\d")
_CHART_CONTINUES = re.compile(r"^(?:\d?x{0,3}[sml]|\d?xl)\s*码?\s*\d", re.IGNORECASE)
# "高密度硅胶坐垫，厚度12mm，密度80kg/m³": a measure named only by its noun goes on the part before it.
_MEASURE_NOUN = (
    r"(?:厚度|密度|长度|宽度|高度|重量|克重|直径|容量|承重|压力|弹力|含量)\s*[:：]?\s*(?:约|为|是)?\s*\d"
)
_MEASURE_LEADS = re.compile(rf"^{_MEASURE_NOUN}")
_MEASURE_LED = re.compile(rf"{_MEASURE_NOUN}[^，,；;。]*$")
# "尺寸：长45cm，宽20cm，高28cm": the width and height go on the dimension the length began.
_DIMENSION_BEGUN = re.compile(r"尺寸\s*[:：]?\s*(?:约)?\s*(?:长|宽|高)?\s*\d|长度?\s*[:：]?\s*(?:约)?\s*\d")
_DIMENSION_GOES_ON = re.compile(r"^(?:宽|高|厚|深|底宽|宽度|高度|厚度)\s*[:：]?\s*(?:约)?\s*\d")
# "背后印字男款FOREVER 女款TOGETHER", "充绒量男款180g 女款150g": the other side of a pair goes on the same fact.
_PAIRED_SIDES = tuple(
    pair
    for a, b in (("男款", "女款"), ("男士", "女士"), ("男生", "女生"), ("上衣", "裤子"), ("左", "右"))
    for pair in ((a, b), (b, a))
)


# "17号跟差多少", "8号珊瑚绒克重多少", "中筒袜运费多少": the amount of the word before 多少, not the price.
_AMOUNT_OF = re.compile(r"([\u4e00-\u9fff]{1,4}?)\s*(?:是|有|大概|大约|约)?\s*(?:多少|几)")
_FIELD_WORDS = re.compile(
    "|".join(PATTERNS[name].pattern for name in ("price", "discount", "stock", "size", "color"))
)


def amount_asked(question: str) -> str:
    """The word (two or more characters) whose amount a Chinese question asks, read in the question less
    the words that name its product; '' for none, and for the price, stock, size or colour words, whose
    amounts the catalog's fields hold."""
    for pattern in LINK_PATTERNS:
        question = pattern.sub(" ", question)
    match = _AMOUNT_OF.search(ON_SCREEN.sub(" ", question))
    if match is None:
        return ""
    word = match.group(1).strip(_ZH_FILLER_CHARS)
    if len(word) < 2 or _FIELD_WORDS.search(word) or _FIELD_WORDS.search(match.group(0)):
        return ""
    return word


def states_amount(product: Product, word: str) -> bool:
    """Whether the listing gives the word a number ("运费6元", "跟差10mm", "克重约520g")."""
    stated = normalize(f"{product.material} {product.description}".lower())
    return rx.search(re.escape(word) + r"[^，,;；。\s]{0,6}?\d", stated) is not None


def quote_listing(product: Product, segments: list[str], lang: str, phrases: Phrasebook) -> str:
    """ "3号链接 …，商品信息里写着“…”“…”": the product, then the listing's segments as the shop wrote them."""
    template = phrases.pick(("detail", lang, product.sku), DETAIL_ZH if lang == "zh" else DETAIL_EN)
    head = phrases.pick(("head", lang, product.sku, "detail"), HEAD_ZH if lang == "zh" else HEAD_EN)
    quoted = "”“".join(segments) if lang == "zh" else '" "'.join(segments)
    return head.format(**facts_of(product)) + template.format(fact=quoted)


def _segments(stated: str) -> list[str]:
    """The listing's segments as written, a size chart's continuations kept with the segment they go on."""
    segments: list[str] = []
    # A quotation is one fact: "背后小字「HONG KONG 1993」" is not cut at its spaces.
    stated = rx.sub(r"「[^」]*」|“[^”]*”|『[^』]*』", lambda m: m.group(0).replace(" ", "\u2060"), stated)
    cjk = sum(1 for ch in stated if "\u4e00" <= ch <= "\u9fff")
    splitter = _EN_SEGMENTS if cjk * 5 < len(stated.replace(" ", "")) else _SEGMENTS
    for seg in (seg.strip().replace("\u2060", " ") for seg in splitter.split(stated)):
        if not seg:
            continue
        if segments and (
            _CHART_CONTINUES.match(seg)
            or (_DIMENSION_GOES_ON.match(seg) and _DIMENSION_BEGUN.search(segments[-1]))
            or (
                _MEASURE_LEADS.match(seg)
                and (not rx.search(r"\d", segments[-1]) or _MEASURE_LED.search(segments[-1]))
            )
            or any(seg.startswith(b) and a in segments[-1] for a, b in _PAIRED_SIDES)
            # "冷水洗，不可漂白，否则会褪色": a consequence is half of the care rule before it.
            or seg.startswith(("否则", "不然", "以免", "避免"))
            # "M 衣长66 胸围124": a size's row of a chart, its label and measures parted by spaces.
            or _BARE_LABEL.fullmatch(segments[-1])
            or (_BARE_LABEL.match(segments[-1]) and _MEASURE_NEXT.match(seg))
        ):
            segments[-1] += " " + seg
        else:
            segments.append(seg)
    return segments


def _states_size(segment: str, size: str) -> bool:
    """Whether a description segment is about that size ("27码腰围71cm", "裤长104cm(30码)", "l码衣长73cm",
    "胸围s94 m98": a letter size right before its number)."""
    after = r"(?:码|号)?(?![a-z0-9.])" if size[0].isdigit() else r"(?:码|号)?(?![a-z.])"
    return rx.search(rf"(?<![a-z0-9.]){re.escape(size)}{after}", segment) is not None


def detail_text(
    product: Product,
    normalized: str,
    lang: str,
    phrases: Phrasebook,
    product_words: Callable[[str, Product], str],
) -> str:
    """A sentence of the description that literally holds what is asked ("羽绒服帽子能拆吗" -> "可拆卸帽子",
    "充绒量多少克" -> "充绒量220克", "does it have a lining" -> "有里衬"); '' when none holds all of it.

    Every word of the question that is not about which product or a filler must be in that one segment:
    "帽子防水吗" is not answered by "可拆卸帽子"."""
    # Split before normalising: `normalize` joins Chinese words typed with spaces, which here part facts.
    # The material field states specs too ("防水指数8000mm", "GripRock大底").
    # The name last: a pack's count ("5双装") is often only there.
    # Matched folded, quoted as the shop wrote it ("GripRock大底"); each field split as its language goes.
    as_written = {
        normalize(seg.lower()): seg
        for field in (product.material, product.description, product.name)
        for seg in _segments(field)
    }
    segments = list(as_written)
    if not segments:
        return ""
    whole = normalized
    for pattern in LINK_PATTERNS:
        whole = pattern.sub(" ", whole)
    whole = ON_SCREEN.sub(" ", whole)
    asked = product_words(whole, product)
    sizes = asked_sizes(asked) if MEASURE_ASKED.search(asked) else []
    if cell := chart_answer(product, normalized, asked_sizes(whole), lang):
        # "1号XL胸围多少": the size's cell of the listing's chart, not the whole row or chart.
        head = phrases.pick(("head", lang, product.sku, "detail"), HEAD_ZH if lang == "zh" else HEAD_EN)
        return head.format(**facts_of(product)) + cell
    stated = []
    # "多长多宽": each measure asked; otherwise the first spec named is what is asked.
    both = [said for pattern, said in SPECS[-3:] if rx.search(pattern, asked)]
    if len(both) >= 2 and not asked.isascii():
        found = [seg for seg in segments if any(rx.search(said, seg) for said in both)]
        if 1 <= len(found) <= 3:
            return quote_listing(product, [as_written[s] for s in found], lang, phrases)
    for pattern, said in SPECS:
        if rx.search(pattern, asked):
            stated.append(said)
            asked = rx.sub(pattern, " ", asked)
            break
    if stated == [_CONTENTS_STATED]:
        as_written = {
            normalize(seg.lower()): seg
            for field in (product.description, product.name)
            for seg in _SENTENCES.split(field)
            if seg.strip()
        }
        segments = list(as_written)
    if asked.isascii():
        for pattern, said in ATTRIBUTES_EN:
            # "the Zip-up Hoodie": a word of the name says which product, not what is asked of it. Read in
            # the whole question: the name's "Cool-Dry" must not take the "dry" of "quick dry" with it.
            if rx.search(pattern, whole) and not rx.search(pattern, product.name.lower()):
                stated.append(said)
                asked = rx.sub(pattern, " ", asked)
                whole = rx.sub(pattern, " ", whole)
        name = product.name.lower()
        # "are the pearls on link 2 knotted": words of the product's own name say which product; a word the
        # attributes took out of the whole question ("quick dry") is not left over either.
        leftover = [
            w
            for w in rx.findall(r"[a-z']+", asked)
            if w not in _EN_FILLER and w.removesuffix("s") not in name and w in whole
        ]
        # "how heavy is the 40L pack": a spec is what is asked, the other words say which product.
        if not stated or (leftover and len(stated) > 1) or (leftover and not ASKS_A_SPEC.search(normalized)):
            return ""
        found = [seg for seg in segments if all(rx.search(said, seg) for said in stated)]
    else:
        spec = stated[0] if stated else ""
        # "透不透": an A-not-A question asks about the one character A, which alone is then enough.
        either = rx.search(r"([\u4e00-\u9fff])不\1", asked)
        asked = rx.sub(r"([\u4e00-\u9fff])不\1", r"\1", asked)
        content = [ch for ch in asked if "\u4e00" <= ch <= "\u9fff" and ch not in _ZH_FILLER]
        if spec:
            segments = [seg for seg in segments if rx.search(spec, seg)]
            # "2号冲锋衣多重", "20L那个包能装多少升": the product's own words say which product; the spec's
            # key is what narrows the description. (Not without a spec: "防晒渔夫帽防晒吗" asks 防晒.)
            name = normalize(product.name.lower())
            content = [
                ch for ch in content if ch not in name and ch not in "码号子"
            ]  # 鞋子, 帽子: the product
            if spec in _WHOLE_PRODUCT:
                content = []
                part = _PART_MEASURED.search(whole)
                word = "".join(ch for ch in part.group(1)[-2:] if ch not in name) if part else ""
                if len(word) >= 2:
                    # "40号拖尾多长": the train's length ("拖尾30cm"), not the dress's ("裙长155cm").
                    segments = [seg for seg in as_written if word in seg and _MEASURED_VALUE.search(seg)]
        if either is not None and content == [either.group(1)]:
            found = [seg for seg in segments if content[0] in seg]
        elif spec and not content:
            found = segments
        elif spec and len(content) == 1:
            found = [seg for seg in segments if content[0] in seg]
        elif len(content) < 2:
            return ""
        else:
            found = [
                seg
                for seg in segments
                if all(ch in seg for ch in content)
                and any(a + b in seg for a, b in itertools.pairwise(content))
            ]
    if sizes:
        # "27码腰围多少": the 27's waist, or nothing (another size's would read as the answer).
        found = [seg for seg in found if any(_states_size(seg, size) for size in sizes)]
    rating = _sun_rating(product) if SUN_ASKED.search(normalized) else ""
    # Two or three segments that each hold what is asked ("AquaShield防水内衬", "防水") are all quoted;
    # more means the question is too loose to point at a fact.
    if not 1 <= len(found) <= 3 and not rating:
        return ""
    fact = ""
    if 1 <= len(found) <= 3:
        template = phrases.pick(("detail", lang, product.sku), DETAIL_ZH if lang == "zh" else DETAIL_EN)
        quoted = [as_written[seg] for seg in found]
        fact = template.format(fact="”“".join(quoted) if lang == "zh" else '" "'.join(quoted))
    # "防晒吗": the UPF rating the row states answers what the description's "防晒" only hints at.
    if rating and (not found or all(rating.lower() not in seg for seg in found)):
        rated = f"防晒指数{rating}" if lang == "zh" else f"rated {rating}"
        fact = f"{fact}，{rated}" if fact and lang == "zh" else f"{fact}; {rated}" if fact else rated
    head = phrases.pick(("head", lang, product.sku, "detail"), HEAD_ZH if lang == "zh" else HEAD_EN)
    return head.format(**facts_of(product)) + fact


# A listing's word that some sizes or colours are gone: "蓝底白花只剩S/M", "XXL码只剩白色", "断码".
_RESTRICTED = re.compile(r"只剩|仅剩|只有|仅有|断码|缺码|没有了|售罄|卖完|库存|剩\s*\d")
# Clauses, with lists ("S/M", "L、XL") kept whole.
_SENTENCES = re.compile(r"(?:[\s,，;；。!！]|(?<!\d)\.|\.(?!\d))+")


def availability_note(product: Product, normalized: str, lang: str, phrases: Phrasebook) -> str:
    """The listing's sentence on which sizes are left in which colour, for the size or colour the viewer
    names ("6号蓝色还有L吗" -> "蓝底白花只剩S/M"); '' when the listing says none of the kind."""
    sizes = asked_sizes(normalized)
    colors = [
        word
        for color in product.colors
        for word in {normalize(color).removesuffix("色"), normalize(color)[:2]}
        if len(word) >= 2 and word in normalized
    ]
    colors += [ch for ch in rx.findall(r"([黑白灰蓝红粉绿棕米驼黄紫杏青橙])色", normalized)]
    # "is the oatmeal flare sold out": an English colour word for a colour the product has (燕麦色).
    colors += [
        zh
        for en, zh in COLOR_WORDS_EN.items()
        if len(zh) >= 2 and rx.search(rf"\b{en}\b", normalized) and any(zh in c for c in product.colors)
    ]
    if not sizes and not colors:
        return ""
    found = [
        seg
        for seg in _SENTENCES.split(product.description)
        if _RESTRICTED.search(seg)
        and (
            any(_states_size(normalize(seg.lower()), size) for size in sizes)
            or any(word in normalize(seg) for word in colors)
        )
    ]
    if not found:
        return ""
    return quote_listing(product, found[:2], lang, phrases)


# "怎么选码", "拍哪个码", "which size should i get": advice, which a listing's fit note gives.
SIZE_ADVICE_ASKED = re.compile(
    r"怎么选|如何选|咋选|选哪个码|拍哪个码|拍几码|选几码|拍什么码|\bwhich size should\b|\bwhat size should\b|"
    r"\bhow (?:do i|to|should i) (?:choose|pick) (?:a |the |my )?size\b"
)


def fit_note(product: Product, lang: str) -> str:
    """The listing's words on how its sizes run ("按平时码拍，喜欢宽松拍大一码"), quoted; '' when none."""
    found = [seg for seg in _segments(product.description) if rx.search(FIT_STATED, seg.lower())]
    if not found:
        return ""
    return listing_says(found[:2], lang)


# A quantity bought at once, five or more ("买10条", "拿十件", "10包", "if our class buys 30", "批发价"): the
# listing's bulk terms answer, never the price of one.
BULK_ASKED = re.compile(
    r"(?:买|拿|要|订|批|团)\s*(?:[5-9]|[1-9]\d{1,3}|[五六七八九十百][十百]?)\s*(?:件|条|双|包|个|套|顶|盒|箱|打)|"
    r"(?<![\d.])(?:[1-9]\d{1,3})\s*(?:件|条|双|包|个|套|顶|盒|箱)(?:以上|起)|批发|团购|起批|"
    r"\bbulk\b|\bwholesale\b|\b(?:buy|buys|order|get)(?:ing)?\s+(?:[5-9]|[1-9]\d{1,3})\b"
)
_BULK_STATED = re.compile(
    r"起批|批发|以上|\d+\s*(?:件|条|双|包|个|套)起|满\s*\d+\s*(?:件|条|双|包|个|套)|团购|\bbulk\b|\bwholesale\b"
)


def bulk_terms(product: Product, lang: str) -> str:
    """The listing's terms for buying many at once ("10件起批包邮，50件以上每件10.90元"), quoted; ''."""
    found = [seg for seg in _SENTENCES.split(product.description) if _BULK_STATED.search(seg)]
    if not found:
        return ""
    return listing_says(found[:3], lang)


# Features a material question may really ask ("加绒吗" is whether it is lined with fleece): only the
# listing's words for them answer, never the fabric.
FEATURE_WORDS = ("加绒", "内胆", "单里", "夹棉")


def feature_stated(product: Product, normalized: str, lang: str, phrases: Phrasebook) -> str | None:
    """For a question about a feature word ("这个雨靴加绒吗"): the listing's segments that say it, quoted,
    or '' when it says nothing of it; None when no feature word is asked."""
    asked = [word for word in FEATURE_WORDS if word in normalized]
    if not asked:
        return None
    found = [
        seg
        for field in (product.description, product.name, product.material)
        for seg in _SENTENCES.split(field)
        if any(word in seg for word in (*asked, "单里", "不加绒", "没有加绒"))
    ]
    if not found:
        return ""
    return quote_listing(product, found[:2], lang, phrases)


# "27号扣头什么颜色", "1号五金啥颜色", "32号扣是什么材质": the colour or material of a part of the product.
_PART_ASKED = re.compile(
    r"(?<![吗呢吧么啊])((?:(?![吗呢吧么啊])[\u4e00-\u9fff]){1,3}?)(?:是|用的|的)?(?:什么|啥)(?:颜色|色|材质|材料|面料|做的)"
)


def part_stated(product: Product, question: str, lang: str, phrases: Phrasebook) -> str:
    """For a question about a part's colour or material ("扣头什么颜色"), the listing's segments that name the
    part, quoted; '' when the question names no part or the listing does not."""
    for pattern in LINK_PATTERNS:
        question = pattern.sub(" ", question)
    match = _PART_ASKED.search(ON_SCREEN.sub(" ", question))
    if match is None:
        return ""
    said = match.group(1)
    part = said.strip(_ZH_FILLER_CHARS)
    # "32号扣是什么材质": a one-character part as said; "内里", "主色" cut to 内, 色 would match any segment.
    if not part or (part != said and len(part) < 2) or part in normalize(product.name.lower()):
        return ""
    found = [
        seg for field in (product.description, product.material) for seg in _segments(field) if part in seg
    ]
    if not 1 <= len(found) <= 3:
        return ""
    return quote_listing(product, found, lang, phrases)


# Pieces of a question that ask how, not what ("能不能", "多久"), left out when pairs are compared.
_ASKING_PAIRS = frozenset(
    {
        "能不",
        "不能",
        "可不",
        "不可",
        "会不",
        "不会",
        "是不",
        "多久",
        "多长",
        "多大",
        "多少",
        "怎么",
        "什么",
        "哪里",
    }
)


# What a one-character question asks of a product (wash, fold, detach, see through, stuffy, shrink, pill,
# fade, fall off, pinch): a listing's care or feature note says it with the same character.
_ONE_CHARACTER_ASKS = frozenset("洗折拆透闷缩掉勒卷烫晒")


def _asked_of(product: Product, normalized: str, product_words: Callable[[str, Product], str]) -> str:
    """The question less its link, its "this one" and the words that name the product."""
    whole = normalized
    for pattern in LINK_PATTERNS:
        whole = pattern.sub(" ", whole)
    return product_words(ON_SCREEN.sub(" ", whole), product)


def _one_best_segment(
    product: Product, score: Callable[[str], int], counted: bool, at_least: int
) -> str | None:
    """The description or material segment (as written) that scores highest, at least `at_least` and alone
    at the top; with `counted`, only segments holding a number count."""
    as_written = {
        normalize(seg.lower()): seg
        for field in (product.description, product.material)
        for seg in _segments(field)
    }
    scored = sorted(
        ((score(seg), seg) for seg in as_written if not counted or rx.search(r"\d", seg)), reverse=True
    )
    if not scored or scored[0][0] < max(at_least, 1) or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return as_written[scored[0][1]]


def closest_detail(
    product: Product,
    normalized: str,
    lang: str,
    phrases: Phrasebook,
    product_words: Callable[[str, Product], str],
) -> str:
    """The one segment of a Chinese listing that shares the most two-character words with the question
    ("11号拉链在哪" -> "侧拉链", "斗篷毛领能拆吗" -> "毛领可拆卸"), quoted as written; '' on a tie or none.
    Looser than `detail_text` (one shared word suffices), so it is only asked when that found nothing."""
    asked = _asked_of(product, normalized, product_words)
    name = normalize(product.name.lower())
    pairs: set[str] = set()
    for run in rx.findall(r"[\u4e00-\u9fff]{2,}", asked):
        for i in range(len(run) - 1):
            pair = run[i : i + 2]
            # A pair across the name's word and the next ("免系鞋带" -> 系鞋) is no word of the question.
            beside_name = (i > 0 and run[i - 1 : i + 1] in name) or run[i + 1 : i + 3] in name
            if not (set(pair) & _ZH_FILLER) and pair not in name and not beside_name:
                pairs.add(pair)
    pairs -= _ASKING_PAIRS
    # "能亮多久", "一盒几根": an amount is asked, so only a segment with a number answers it.
    counted = rx.search(r"多久|多少|几|多长|多大|多高|多重|多宽|多厚", normalized) is not None
    # "电池能用多久": a time is asked, so only a segment that states one answers it.
    timed = rx.search(r"多久|多长时间", normalized) is not None

    def score(seg: str) -> int:
        if timed and not rx.search(r"\d\s*(?:个)?(?:小时|分钟|秒|天|周|个月|月|年|h\b|min)", seg):
            return 0
        return sum(p in seg for p in pairs)

    best = _one_best_segment(product, score, counted, at_least=1) if pairs else None
    if best is None and not counted:
        # "草帽能洗吗", "24号面罩能拆吗": a question down to one verb ("洗", "拆") besides the product's own
        # words; the one segment that says it ("不可水洗", "面罩可拆卸").
        # "透气吗" asks whether it breathes, not whether it is see-through.
        verbs = {ch for ch in asked.replace("透气", " ") if ch in _ONE_CHARACTER_ASKS and ch not in name}
        if len(verbs) == 1:
            verb = verbs.pop()
            best = _one_best_segment(product, lambda seg: int(verb in seg), counted, at_least=1)
            if best is None:
                # "京剧服可以洗吗" of "不可水洗，建议干洗": the listing's few segments with the verb say it together.
                saying = _segments_with(product, verb)
                if 1 < len(saying) <= 2:
                    return quote_listing(product, saying, lang, phrases)
    return quote_listing(product, [best], lang, phrases) if best else ""


def _segments_with(product: Product, word: str) -> list[str]:
    """The description and material segments (as written, in order, once each) holding `word`."""
    found: list[str] = []
    for field in (product.description, product.material):
        for seg in _segments(field):
            if word in normalize(seg.lower()) and seg not in found:
                found.append(seg)
    return found


def closest_detail_en(
    product: Product,
    normalized: str,
    lang: str,
    phrases: Phrasebook,
    product_words: Callable[[str, Product], str],
) -> str:
    """The English counterpart of `closest_detail`: the one listing segment that holds all of the
    question's words, read through `ATTRIBUTES_EN` into the Chinese a listing uses ("does link 1 have
    underwire" -> "无钢圈"), or as written in an English listing ("thumb holes on this?" -> "thumbholes")."""
    asked = _asked_of(product, normalized, product_words)
    name = product.name.lower()
    # What each asked word looks like in a segment, and the English word itself where the glossary did not read
    # it: such a word may be said by a Chinese word the dictionary gives it as a sense of ("latex" of 乳胶).
    wanted: list[tuple[str, str]] = []
    for pattern, said in ATTRIBUTES_EN + _WHERE_EN:
        if rx.search(pattern, asked) and not rx.search(pattern, name):
            wanted.append((said, ""))
            asked = rx.sub(pattern, " ", asked)
    for word in rx.findall(r"[a-z]{4,}", asked):
        if word not in _EN_FILLER and word.removesuffix("s") not in name:
            wanted.append((rf"\b{re.escape(word.removesuffix('s'))}", word))
    if not wanted:
        return ""
    counted = rx.search(r"\bhow (?:many|much|long|big|wide|tall|high|heavy|thick)\b", normalized) is not None

    def says(seg: str, said: str, word: str) -> bool:
        return rx.search(said, seg) is not None or (word != "" and _says_in_chinese(seg, word))

    # Every word asked must be in the one segment: an English word that no glossary entry reads ("free
    # initials", "chin strap") may be the whole question.
    best = _one_best_segment(
        product, lambda seg: sum(says(seg, said, word) for said, word in wanted), counted, len(wanted)
    )
    said_numbers = rx.findall(r"(?<![\d.])\d+(?:\.\d+)?", asked)
    if (
        best
        and any(word for _, word in wanted)
        and not all(rx.search(rf"(?<![\d.]){re.escape(n)}(?![\d])", best) for n in said_numbers)
    ):
        # "kids polo 140 fits what height": a number the viewer gave that the segment found does not hold
        # says it is another row's ("110码适合身高100-110cm").
        return ""
    return quote_listing(product, [best], lang, phrases) if best else ""


@functools.lru_cache(maxsize=4096)
def _senses_in(segment: str) -> frozenset[str]:
    """The English words of the senses of every Chinese word in a listing segment."""
    return frozenset(w for word in chinese_words_in(segment) for w in sense_words(word))


def _says_in_chinese(segment: str, word: str) -> bool:
    senses = _senses_in(segment)
    return word in senses or word.removesuffix("s") in senses or word.removesuffix("es") in senses


# Units a count is given in ("8罐", "416页", "10枚", "4档"), each with the English words asking for it. A
# question asking that unit is answered only by the listing's words holding a number in it.
COUNT_UNITS: tuple[tuple[str, str], ...] = (
    ("页", "pages"),
    ("张|抽", "sheets"),
    ("罐|听", "cans|jars|tins"),
    ("枚", "cakes"),
    ("粒|颗", "capsules|pods|tablets|beads|balls"),
    ("袋", "sachets|packets|bags"),
    ("杯", "cups"),
    ("瓶", "bottles"),
    ("卷", "rolls"),
    ("层", "layers|tiers|shelves"),
    ("档", "settings|speeds|modes|levels|gears"),
)
_UNIT_ASKED = tuple(
    (re.compile(rf"(?:几|多少)\s*(?:个)?\s*(?:{zh})|\bhow many (?:{en})\b"), zh) for zh, en in COUNT_UNITS
)
# How many come in one purchase, asked ("几双", "一只还是一对", "how many pairs in 46", "one or a pair") and
# said ("6双装", "一对（2只）", "一套两顶", "单件", "3-pack").
COUNT_ASKED = re.compile(
    r"几(?:双|条|只|顶|件|片|包|盒|对|支|根)(?!码)|多少(?:双|条|只|件|片|根)|[一1](?:只|个|件)还是[一1](?:对|双|套)|"
    r"是[一1](?:对|双|套)吗|单只还是|\bhow many (?:pairs|pieces|pcs|socks|items)\b(?! left)|"
    r"\bhow many (?:in|per) (?:a |the |one )?(?:box|pack|set|bag)\b|\bone or (?:a )?(?:pair|two|set)\b|"
    r"\bsold (?:as )?(?:a )?pairs?\b|\b(?:is it|are they) a pair\b|"
    + "|".join(pattern.pattern for pattern, _ in _UNIT_ASKED)
)
_COUNT_SAID = re.compile(
    r"\d+\s*(?:双|条|只|顶|件|片|个|包|盒|支|根)(?:装|/盒|/包|/套)?|[一二两三四五六七八九十]\s*(?:双|条|只|顶|件|对|套|个|片)"
    r"|一对|一双|单只|单件|单条|\d+\s*[- ]?(?:pack|pairs?|pcs|pieces)\b"
)


def pack_count(product: Product, normalized: str, lang: str, phrases: Phrasebook) -> str:
    """ "how many pairs in 46", "护膝是一只还是一对", "日程本多少页": what the name or the listing says of how
    many come in one purchase ("6双装", "一对（2只）") or of the unit asked ("内页共416页"), quoted as written;
    '' when neither says it, or the question does not ask."""
    if not COUNT_ASKED.search(normalized):
        return ""
    units = [zh for pattern, zh in _UNIT_ASKED if pattern.search(normalized)]
    counted = (
        rx.compiled(rf"(?:\d+|[一二两三四五六七八九十]+)\s*(?:{'|'.join(units)})") if units else _COUNT_SAID
    )
    said: list[str] = []
    for field in (product.name, product.description):
        said += [seg for seg in _segments(field) if counted.search(seg.lower()) and seg not in said]
    return quote_listing(product, said[:2], lang, phrases) if said else ""


# What a listing says of restocking: "12月20日补货", "下周到货", "限量款不补货", "restock expected 12/20".
_RESTOCK_STATED = re.compile(r"补货|补单|到货|返场|不补|限量|\brestock|\bback in stock\b")


def restock_note(product: Product, lang: str, phrases: Phrasebook) -> str:
    """The listing's own word on restocking, with whether the product is sold out ("5号什么时候补货" of a
    listing that says "12月20日补货"); '' when the listing says nothing of it."""
    said = [
        seg
        for field in (product.description, product.name)
        for seg in _segments(field)
        if _RESTOCK_STATED.search(seg.lower())
    ]
    if not said:
        return ""
    state = ("已售罄，" if lang == "zh" else "sold out; ") if not product.in_stock else ""
    template = phrases.pick(("detail", lang, product.sku), DETAIL_ZH if lang == "zh" else DETAIL_EN)
    head = phrases.pick(("head", lang, product.sku, "restock"), HEAD_ZH if lang == "zh" else HEAD_EN)
    quoted = "”“".join(said[:2]) if lang == "zh" else '" "'.join(said[:2])
    return head.format(**facts_of(product)) + state + template.format(fact=quoted)
