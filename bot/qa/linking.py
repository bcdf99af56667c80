"""Which product a message is about: a link number, a name, a category and colour, the on-screen product.

`find_link` only reads the text; `ProductIndex.resolve` looks the words up in the catalog and returns the
products that fit. More than one is an ambiguity for the caller to list, never a product to pick.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Container, Iterable
from dataclasses import dataclass

from bot.catalog import CATEGORY_NAMES_EN, CATEGORY_NAMES_ZH, Catalog, Product
from bot.qa import rx
from bot.qa.glosses import english_names, is_word
from bot.qa.homophones import sound
from bot.qa.intents import PATTERNS
from bot.qa.text import longest_first, normalize, zh_number

# Every intent's words ("多少钱", "有货", "纯棉"): not words that say which product is meant. A material
# word in one name would narrow wrongly ("纯棉衬衫" when another shirt is 100%棉 without saying so).
PATTERNS_ANY = re.compile("|".join(f"(?:{p.pattern})" for p in PATTERNS.values()))

_NUM = r"(\d{1,3}|[零〇一二两三四五六七八九十]{1,3})"
LINK_PATTERNS = (
    # "13号色" is a shade (色号), not link 13.
    re.compile(_NUM + r"\s*号(?!色)(?:链接|链|宝贝|商品)?"),
    re.compile(r"(?:链接|宝贝|商品)\s*" + _NUM),
    # "第二件半价" is a promotion (the second item at half price), not link 2.
    re.compile(r"第\s*" + _NUM + r"\s*(?:个|件|款|条|双|号)(?!\S{0,2}(?:半价|折|减|免|送|\d+元))"),
    re.compile(r"\b(?:links?|item|product|no\.?|number)\s*#?\s*(\d{1,3})(?!\d)"),
    re.compile(r"#\s*(\d{1,3})(?!\d)"),
    # "L46", "l24 free shipping": a link written with its letter.
    re.compile(r"(?<![a-z0-9])l(\d{1,3})(?![\d.]|\s*(?:码|号码|cm|kg|斤|岁))"),
    re.compile(r"(?<!\d)(\d{1,3})\s*#"),
    re.compile(r"(?<![\d.])(\d{1,3})\s*links?\b"),  # "35 link how much?"
    # "whats the price on 35", "how much of 12?": a bare number after a price question is a link.
    re.compile(
        r"\b(?:price|cost|how much|discount|saving|sale)\b\D{0,12}?\b(?:on|of|for)\s+(?:the\s+)?#?(\d{1,3})\s*\??$"
    ),
    *(
        _BARE_LINK_PATTERNS := (
            # "how much is 42", "price for 45 pls", "is 27 in stock", "41 still available?": a bare number in a
            # short English product question, where nothing makes it a size, a price or a measure.
            re.compile(
                r"^(?:how much(?: is| for)?|price(?: of| for| on)?|cost of|is|are|do (?:you|u) (?:still )?have)\s+(\d{1,3})"
                r"(?=\s*\??\s*$|\s+(?:pls|please|still|in stock|sold out|available|left)\b)"
            ),
            re.compile(
                r"(?:^|\b(?:what|which|how|when)\b.{0,20}?)\b(?:does|do|did|is|are|can|will)\s+(\d{1,3})\s+"
                r"(?:come|ship|have|fit|run|still|cost)\b"
                r"|\b(?:what is|what's|whats)\s+(\d{1,3})\s+made\b"
                r"|^(\d{1,3})\s+(?:still available|available|in stock|sold out|left|how much|price|is|are|"
                r"what colou?rs?|colou?rs?|discount|what sizes?|sizes|material|what material|shipping)\b"
                r"|\b(?:ship|shipping|deliver|delivery|dispatch)\s+(?:for\s+)?(\d{1,3})\s*\??\s*$"
            ),
            # "how many left of 57", "what colour is 13", "what size shoe for 33 if im usually 37", "how much
            # cheaper is 26 than the original price".
            re.compile(
                r"\bhow many (?:\w+ ){0,2}(?:of|on|for|in)\s+(\d{1,3})(?=\s*\??\s*$|\s+(?:left|still|pls|please)\b)"
                r"|\b(?:what|which) (?:colou?rs?|sizes?|lengths?|material|fabric)\b(?: \w+)?"
                r" (?:is|are|does|do|for|of|on)\s+(\d{1,3})(?=\s*\??\s*$|\s+(?:if|come|pls|please|in)\b)"
                r"|\bhow much (?:cheaper|less|off|lower)\s+(?:is|are)\s+(\d{1,3})\b"
            ),
            # "47 still got stock?", "４３还有吗", "12多少钱", "12包邮吗": the number alone, then a stock, price or
            # shipping question.
            re.compile(
                r"^(\d{1,3})\s*(?:(?:still )?got (?:stock|any)|still have|(?:还有|有货|有现货|还有货)(?:吗|不|没)?|"
                r"有没有货|多少钱?|几钱|多钱|(?:包邮|免邮|by)(?:吗|不|没)?|几天发货?|什么时候发货?)\s*\??\s*$"
            ),
            # "stock on 15?", "colors for 8?", "44 ship time", "38 free ship?": what is asked, then or after it the
            # number alone.
            re.compile(
                r"^(?:stock|colou?rs?|sizes?|price|material|shipping|ship time)\s+(?:on|for|of)\s+(\d{1,3})\s*\??\s*$"
                r"|^(\d{1,3})\s+(?:(?:free )?ship(?:ping)?(?: time)?|colou?rs?|sizes?|material|stock)\s*\??\s*$"
                # "58 I'm 75kg what size", "5 im 170 65kg": the number, then the body it is for.
                r"|^(\d{1,3})\s+(?:i'?m|i am)\s+\d"
            ),
        )
    ),
)
ON_SCREEN = re.compile(
    r"这件|这个|这款|这条|这双|这套|这顶|这只|这一款|这一件|现在这|当前|主播身上|身上这|正在讲|上身这|刚刚那|刚才那|"
    r"\bthis one\b|\bthis (?:item|dress|shirt|top|jacket|coat|bag|tee|skirt|pair|hoodie|scarf|hat)\b|"
    r"\bcurrent(?:ly)?\b|\bon screen\b|\bshowing\b|\bwearing\b|\bthis\b|\bit\b"
)
FOLLOW_UP = re.compile(r"^(?:那|那么|还有|and\b|what about\b|how about\b)|呢\s*$|\bthen\b")

COLOR_WORDS_EN = {
    "black": "黑", "white": "白", "grey": "灰", "gray": "灰", "blue": "蓝", "navy": "藏青", "red": "红",
    "pink": "粉", "green": "绿", "brown": "棕", "beige": "米", "khaki": "卡其", "camel": "驼", "yellow": "黄",
    "purple": "紫", "cream": "米白", "wine": "酒红", "burgundy": "酒红", "orange": "橙", "silver": "银",
    "gold": "金", "olive": "橄榄", "charcoal": "灰", "striped": "条纹", "stripes": "条纹", "plaid": "格",
    "caramel": "焦糖", "oatmeal": "燕麦", "apricot": "杏", "champagne": "香槟", "mint": "薄荷", "ivory": "象牙",
    "coffee": "咖", "lavender": "紫", "lilac": "紫", "maroon": "酒红", "mocha": "摩卡", "sand": "沙",
    "camo": "迷彩", "camouflage": "迷彩",
}  # fmt: skip


# Kinds of product, more specific than a category, as viewers name them, with the words shop names use
# for them (mostly Chinese: an English "bucket hat" is a "渔夫帽" in the name). A kind names the products
# whose name holds one of its words; a kind no product is named after says nothing (the category decides).
# Broad words ("bag", "shoes", "dress", "sneakers") are categories, not kinds: a kind must not narrow a
# category to the products that happen to repeat its word.
KIND_WORDS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    # shoes
    (("slipper", "slippers", "house shoes"), ("拖鞋", "棉拖", "凉拖", "slipper")),
    (("flip flop", "flip flops", "flip-flop", "flip-flops"), ("人字拖", "flip")),
    (("slides",), ("拖鞋", "凉拖", "一字拖", "slide")),
    (("mule", "mules"), ("穆勒", "半拖", "mule")),
    (("loafer", "loafers"), ("乐福", "豆豆鞋", "loafer")),
    (("ballet flat", "ballet flats", "flats"), ("芭蕾", "平底鞋", "单鞋")),
    (("heels", "high heels", "pumps", "stilettos"), ("高跟", "细跟", "heel")),
    (("canvas shoes", "canvas sneakers", "plimsolls"), ("帆布鞋", "canvas")),
    (("running shoes", "runners"), ("跑鞋", "跑步鞋", "runner")),
    (("chelsea boot", "chelsea boots"), ("切尔西", "chelsea")),
    (("martin boots", "combat boots", "doc martens", "lace-up boots"), ("马丁靴", "martin")),
    (("snow boots", "ugg", "uggs", "ugg boots"), ("雪地靴", "snow boot")),
    (("knee boots", "knee-high boots", "tall boots", "long boots"), ("长靴", "高筒靴")),
    (("rain boots", "wellies", "wellingtons"), ("雨靴", "雨鞋")),
    (("hiking boots", "hiking boot", "walking boots"), ("登山靴", "徒步靴", "hiking boot")),
    (("light up shoes", "light-up shoes", "led shoes"), ("灯光鞋", "发光鞋", "led")),
    (("water shoes", "aqua shoes"), ("溯溪鞋", "涉水鞋", "沙滩鞋", "water shoe")),
    (("school shoes",), ("学生鞋", "school")),
    (("watch strap", "watch straps", "watch band", "watch bands"), ("表带", "strap")),
    (("phone bag", "phone bags", "phone pouch"), ("手机包", "phone")),
    (("apron", "aprons"), ("围裙", "apron")),
    (("romper", "rompers", "bodysuit", "bodysuits", "onesie", "onesies"), ("连体衣", "哈衣", "包屁衣", "爬服", "romper", "bodysuit")),
    (("sleep sack", "sleeping bag", "sleep bag"), ("睡袋", "sleep")),
    (("bib", "bibs"), ("围兜", "口水巾", "bib")),
    (("arm sleeves", "arm sleeve", "sleeves", "cooling sleeves"), ("冰袖", "袖套", "arm sleeve")),
    (("mask", "masks", "face mask", "face masks"), ("口罩", "面罩", "mask")),
    (("umbrella hat", "umbrella hats"), ("伞帽", "umbrella hat")),
    # bags
    (("tote", "tote bag", "totes"), ("托特", "tote")),
    # Chinese-style wear and accessories
    (("hairpin", "hairpins", "hair stick", "hair sticks"), ("发簪", "簪", "hairpin")),
    (("qipao", "qipaos", "cheongsam", "cheongsams"), ("旗袍", "qipao", "cheongsam")),
    (("hanfu",), ("汉服", "襦裙", "褙子", "袄裙", "明制", "宋制", "唐制", "hanfu")),
    (("mamian", "mamian skirt", "horse-face skirt", "horse face skirt"), ("马面", "mamian")),
    (("backpack", "backpacks", "rucksack"), ("双肩包", "背包", "backpack")),
    (("crossbody", "cross-body", "crossbody bag", "messenger bag", "sling bag"), ("斜挎", "sling", "crossbody")),
    (("shoulder bag", "underarm bag", "baguette", "baguette bag"), ("腋下包", "单肩包", "法棍", "baguette")),
    (("clutch", "clutch bag"), ("手拿包", "clutch")),
    (("briefcase", "briefcases", "attache case", "laptop bag"), ("公文包", "电脑包", "briefcase")),
    (("wallet", "purse", "card holder", "coin purse", "card case"), ("钱包", "卡包", "零钱包", "wallet")),
    (("bucket bag",), ("水桶包", "bucket bag")),
    (("straw bag", "woven bag", "raffia bag", "beach bag"), ("草编", "编织包")),
    (("chain bag",), ("链条包", "链条", "chain")),
    (("belt bag", "fanny pack", "bum bag", "waist bag"), ("腰包",)),
    # hats
    (("bucket hat", "fisherman hat", "sun hat"), ("渔夫帽", "遮阳帽", "防晒帽", "bucket hat")),
    (("beret", "berets"), ("贝雷帽", "beret")),
    (("beanie", "beanies", "knit hat", "knitted hat"), ("毛线帽", "针织帽", "beanie")),
    (("baseball cap", "cap", "caps", "trucker hat"), ("棒球帽", "鸭舌帽", "cap")),
    (("straw hat",), ("草帽",)),
    # scarves
    (("silk scarf", "square scarf", "bandana", "neckerchief"), ("丝巾", "方巾", "小方巾")),
    (("shawl", "poncho"), ("披肩", "shawl")),
    # accessories
    (("belt", "belts"), ("腰带", "皮带", "belt")),
    (("claw clip", "hair claw", "shark clip", "jaw clip"), ("鲨鱼夹", "抓夹")),
    (("hair clip", "hair clips", "hairpin", "hair pin", "barrette", "barrettes"), ("发夹", "边夹", "发卡")),
    (("scrunchie", "scrunchies", "hair tie", "hair ties", "hair band"), ("发圈", "头绳", "发绳", "scrunchie")),
    (("headband", "headbands", "alice band"), ("发箍", "发带", "headband")),
    (("earring", "earrings", "ear studs"), ("耳环", "耳钉", "耳饰", "earring")),
    (("necklace", "necklaces", "choker", "pendant"), ("项链", "锁骨链", "necklace")),
    (("bracelet", "bracelets", "bangle", "bangles"), ("手链", "手镯", "bracelet")),
    (("sunglasses",), ("墨镜", "太阳镜", "sunglasses")),
    (("gloves", "mittens"), ("手套", "glove")),
    # clothes
    (("cardigan", "cardigans", "cardi"), ("开衫", "cardigan")),
    (("nightdress", "nightdresses", "nightgown", "nightie", "nighty", "sleep dress", "slip dress"), ("睡裙",)),
    (("pajamas", "pyjamas", "pjs", "sleepwear", "pajama set"), ("睡衣", "家居服套装", "pajama")),
    (("robe", "bathrobe", "dressing gown", "housecoat"), ("睡袍", "浴袍", "robe")),
    (("lounge pants", "pajama pants", "pyjama pants", "sleep pants"), ("家居裤", "睡裤")),
    (("joggers", "sweatpants", "jogging pants"), ("卫裤", "运动裤", "jogger")),
    (("leggings", "yoga pants"), ("打底裤", "瑜伽裤", "legging")),
    (("shorts",), ("短裤", "shorts")),
    (("vest", "waistcoat", "gilet"), ("马甲", "背心", "vest")),
    (("camisole", "cami", "tank top"), ("吊带", "背心", "tank")),
    (("bra", "bras"), ("文胸", "内衣", "bra")),
    (("underwear", "panties", "briefs", "boxers"), ("内裤",)),
    (("puffer", "down jacket", "puffer jacket"), ("羽绒服", "puffer")),
    (("trench", "trench coat"), ("风衣", "trench")),
    (("blazer", "suit jacket"), ("西装", "西服", "blazer")),
    (("fleece", "fleece jacket"), ("抓绒", "摇粒绒", "fleece")),
    (("polo", "polo shirt"), ("polo",)),
    # sports gear
    (("yoga mat", "exercise mat", "mat", "mats"), ("瑜伽垫", "健身垫", "运动垫", "mat")),
    (("yoga block", "yoga brick"), ("瑜伽砖", "瑜伽块")),
    (("resistance band", "resistance bands", "exercise band", "loop band"), ("弹力带", "阻力带", "拉力带")),
    (("water bottle", "bottle", "tumbler"), ("水杯", "水壶", "运动杯", "bottle")),
    (("knee pads", "knee pad", "knee brace", "knee sleeves"), ("护膝",)),
    (("jump rope", "skipping rope"), ("跳绳",)),
    (("foam roller",), ("泡沫轴",)),
    (("dumbbell", "dumbbells"), ("哑铃",)),
    (("sports bra",), ("运动内衣", "运动文胸", "sports bra")),
)  # fmt: skip
# The first MODIFIER_WORDS entries are materials (the rest are shapes and looks).
_MATERIAL_MODIFIERS = 20
# Chinese material words: a name run that cuts one ("丝睡衣" of "冰丝睡衣是真丝的吗") is half the viewer's word.
MATERIAL_WORDS_ZH = (
    "冰丝", "真丝", "桑蚕丝", "羊绒", "羊毛", "纯棉", "珊瑚绒", "法兰绒", "摇粒绒", "莫代尔", "天丝", "丝绒",
    "牛仔", "帆布", "真皮", "麂皮", "雪纺", "蕾丝", "亚麻", "棉麻", "羊羔毛", "鸭绒", "鹅绒", "毛呢", "针织",
)  # fmt: skip
# English words that narrow several candidates of one kind or category ("straw bag", "silk square scarf")
# by what the product's name or material says in Chinese.
MODIFIER_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"silk", ("真丝", "桑蚕丝", "蚕丝", "silk")),
    (r"cashmere", ("羊绒", "cashmere")),
    (r"wool(?:l?en)?", ("羊毛", "毛呢", "wool")),
    (r"leather", ("皮", "leather")),
    (r"suede", ("麂皮", "反绒", "翻毛", "suede")),
    (r"canvas", ("帆布", "canvas")),
    (r"denim", ("牛仔", "denim")),
    (r"cotton", ("棉", "cotton")),
    (r"linen", ("麻", "linen")),
    (r"velvet", ("丝绒", "天鹅绒", "velvet")),
    (r"knit(?:ted)?", ("针织", "毛线", "knit")),
    (r"straw|raffia", ("草编", "草", "straw")),
    (r"woven", ("编织", "woven")),
    (r"pearls?", ("珍珠", "pearl")),
    (r"lace", ("蕾丝", "lace")),
    (r"satin", ("缎", "satin")),
    (r"chiffon", ("雪纺", "chiffon")),
    (r"modal", ("莫代尔", "modal")),
    (r"sheepskin|shearling", ("羊皮毛", "羊羔毛", "sheepskin")),
    (r"nylon", ("尼龙", "nylon")),
    (r"coral fleece|fleece|fluffy|fuzzy", ("绒", "fleece")),
    (r"square", ("方", "square")),
    (r"mini|tiny|small|little", ("迷你", "mini", "小", "small")),
    (r"big|large|oversized", ("大", "big")),
    (r"(?<!how )long", ("长", "long")),
    (r"short", ("短", "short")),
    (r"chunky|platform|thick[- ]soled", ("厚底", "platform")),
    (r"flat", ("平底", "flat")),
    (r"chain", ("链条", "chain")),
    (r"quilted", ("菱格", "quilted")),
    (r"pleated", ("百褶", "pleated")),
    (r"wide[- ]leg", ("阔腿", "wide")),
    (r"hooded", ("连帽", "hooded")),
    (r"plaid|checked|tartan|gingham", ("格", "plaid")),
    (r"floral|flowery", ("碎花", "印花", "花", "floral")),
    (r"printed|print", ("印花", "print")),
    (r"polka[- ]dots?", ("波点", "dot")),
    (r"retro|vintage", ("复古", "vintage")),
    (r"french", ("法式", "french")),
    (r"sun|uv|upf", ("防晒", "upf")),
    (r"bow", ("蝴蝶结", "bow")),
    (r"sandalwood", ("檀", "sandalwood")),
    (r"wood(?:en)?|bamboo", ("木", "竹", "wood")),
    # Who it is for: family sets and the baby, toddler, girls' and boys' lines of a shop.
    (r"matching|mommy (?:and|&) me|family|parent[- ]child", ("亲子", "mommy")),
    (r"baby|babies|infants?|newborns?", ("婴儿", "新生儿", "baby")),
    (r"toddlers?", ("幼儿", "宝宝", "toddler")),
    (r"kids?|child(?:ren)?'?s?", ("儿童", "童", "kid")),
    (r"girls?", ("女童", "girl")),
    (r"boys?", ("男童", "boy")),
    (r"maternity|pregnan(?:t|cy)|bump", ("孕妇", "孕", "maternity")),
    (r"nursing|breast-?feeding", ("哺乳", "nursing")),
    (r"plus[- ]size|curvy", ("大码", "plus")),
    # Prints and themes an English viewer names in a Chinese name ("the dinosaur romper": 恐龙印花哈衣).
    (r"dino(?:saur)?s?", ("恐龙", "dino")),
    (r"princess", ("公主", "princess")),
    (r"cartoon", ("卡通", "cartoon")),
    (r"panda", ("熊猫", "panda")),
    (r"bunny|rabbit", ("兔", "bunny")),
    (r"bear", ("熊", "bear")),
    (r"(?:starry|stars?)", ("星", "star")),
    (r"winter", ("冬", "加厚", "winter")),
    (r"capsule", ("胶囊", "capsule")),
    (r"player(?:'s)?(?: version| edition)?|authentic", ("球员版", "authentic")),
    (r"fan (?:version|edition)|replica", ("球迷版", "fan ")),
    (r"hollow[- ]top|open[- ]top|topless", ("空顶", "hollow")),
    (r"summer", ("夏", "summer")),
)  # fmt: skip


# Words for a whole category (not a kind of it), in either language: "tee" and "T恤" say the same thing.
GENERIC_CATEGORY_WORDS = frozenset(
    normalize(w)
    for w in (
        "T恤", "体恤", "短T", "t-shirt", "t-shirts", "tee", "tees", "t shirt", "tshirt", "牛仔裤", "jeans",
        "denim", "裤子", "长裤", "pants", "trousers", "毛衣", "sweater", "jumper", "卫衣", "hoodie",
        "hoodies", "sweatshirt", "连衣裙", "裙子", "dress", "dresses", "半身裙", "skirt", "skirts", "外套", "coat", "夹克", "jacket", "jackets", "包包", "bag", "bags", "帽子", "hat", "hats", "袜子",
        "socks", "sock", "运动鞋", "球鞋", "sneaker", "sneakers", "trainers", "衬衫", "衬衣", "shirt", "shirts",
        "围巾", "scarf", "scarves", "靴子", "boots", "凉鞋", "sandal", "sandals",
    )
)  # fmt: skip
# Characters that say what a thing is made of, when a one-character qualifier may narrow by them.
_MATERIAL_CHARS = frozenset("皮棉麻毛绒丝革")
# The last character of a Chinese product noun: shoe, boot, trousers, skirt, garment, hat, bag, sock, scarf.
GARMENT_HEADS = frozenset("鞋靴裤裙衣衫袄帽包袜巾袍褂")
# The two characters a yes/no question ends on ("防水吗", "掉色么"): the quality asked about.
_ASKED_OF_IT = re.compile(r"[\u4e00-\u9fff]{2}(?=\s*[吗么嘛]\s*[?？!！]*$)")
# Words for several categories at once, as viewers ask for them in a recommendation ("有什么鞋子推荐").
CATEGORY_FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"鞋|\bshoes?\b|\bfootwear\b", ("sneaker", "sandal", "ankle_boot")),
    (r"靴|\bboots?\b", ("ankle_boot",)),
    (r"裤|\bpants\b|\btrousers\b|\bbottoms\b", ("trouser", "jeans")),
    (r"裙|\bskirts?\b", ("dress", "skirt")),
    (r"外套|棉服|棉袄|\bouterwear\b|\bcoats?\b|\bjackets?\b", ("coat", "jacket")),
    (r"上衣|\btops?\b", ("tshirt", "shirt", "pullover", "hoodie")),
    (r"帽|\bhats?\b|\bcaps?\b", ("hat",)),
    (r"包包|[背拎挎](?:什么|啥|个|哪个)?包|\bbags?\b|\bhandbags?\b|\bpurses?\b", ("bag",)),
    (r"袜|\bsocks?\b", ("socks",)),
    (r"围巾|丝巾|\bscar(?:f|ves)\b", ("scarf",)),
)
# English words of names that name nothing alone ("Cat & Fish" is read "cat and fish").
_EN_STOPWORDS = frozenset({"and", "the", "with", "for", "of", "in", "on", "set", "new"})
# Viewer words for a whole family ("裙子" is any dress or skirt), whichever category claims them.
GENERIC_WORDS = frozenset({"裙子", "裤子", "鞋子", "上衣", "帽子", "包包", "外套"})
# A price bound in a request: "100块以内", "200以下", "under 50", "不超过80".
PRICE_BOUND = re.compile(
    r"(\d{2,5})\s*(?:块钱?|元|rmb|yuan)?\s*(?:以内|以下|之内|内)|(?:不超过|低于|少于|不到)\s*(\d{2,5})|"
    r"\b(?:under|below|less than|within|max|up to|no more than)\s*[¥$]?\s*(\d{2,5})|"
    # A budget is a bound too: "预算500", "500块左右", "budget 300" (a price near it is not over it).
    r"预算\s*(?:是|在|大概|只有|就)?\s*(\d{2,5})|(\d{2,5})\s*(?:块钱?|元)\s*左右|"
    r"\bbudget\s*(?:is|of|around|about)?\s*[¥$]?\s*(\d{2,5})"
)
CHEAP = re.compile(r"便宜|实惠|平价|性价比|\bcheap(?:er|est)?\b|\baffordable\b|\bbudget\b|\binexpensive\b")


# Who a gift or an outfit is for, in Chinese, and the name words a shop's line for them has.
AUDIENCE_ZH: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"刚出生|新生儿|满月|婴儿|(?<!孕)\d+个月", ("婴儿", "新生儿")),
    (r"孕妇|怀孕|孕期|孕[早中晚]期|准妈妈|大肚", ("孕妇", "孕")),
    (r"哺乳|喂奶|母乳", ("哺乳",)),
    (r"男朋友|男友|老公|爸|男士|男生|男款|男人", ("男",)),
    (r"女生|女士|女款|女性|女朋友|女友|老婆|妈妈|我妈", ("女",)),
    (r"女儿|闺女|女孩|女宝|女童", ("女童", "女孩", "儿童", "童")),
    (r"儿子|男孩|男宝|男童", ("男童", "男孩", "儿童", "童")),
    # A child's age ("8岁", "3岁半"): a kids' product (names say 儿童/童/kids).
    (r"(?<![\d.])(?:[1-9]|1[0-4])\s*岁|小朋友|小孩|孩子", ("儿童", "童", "kid")),
    (r"幼儿园|托班", ("幼儿",)),
    (r"小学|开学|上学", ("小学", "学生")),
)
_AUDIENCE_EN = (
    (r"\b(?:primary|elementary|grade) school\b|\bstarting school\b", ("小学", "school")),
    (r"\bpregnan(?:t|cy)\b|\bmaternity\b|\bexpecting\b", ("孕妇", "maternity")),
    (r"\bbreast-?feeding\b|\bnursing\b", ("哺乳", "nursing")),
    (r"\b(?:boyfriend|husband|dad|father|hubby|men|man|guys?)\b", ("男", "men")),
)
# The season asked for, and the name words of products made for it ("春夏款", "加绒").
SEASON_NAMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"夏天|夏季|清凉|凉快|\bsummer\b|\bhot (?:weather|days?)\b", ("夏", "清凉", "短袖", "冰丝", "summer")),
    (r"怕晒|防晒|晒黑|紫外线|\bsun\b|\buv\b", ("防晒", "upf", "皮肤衣", "sun")),
    (
        r"冬天|冬季|保暖|暖和|御寒|怕冷|\bwinter\b|\bwarm(?:er|est)?\b",
        ("冬", "加厚", "加绒", "保暖", "羽绒", "winter", "warm"),
    ),
)
# What a recommendation request says besides the request itself: the words left once these are gone are
# a wish the bot cannot read ("参加婚礼", "for work"), which a popular product would only guess at.
_REQUEST_FILLER = re.compile(
    r"推荐|推一下|一下|有没有|有什么|什么|啥|哪个|哪款|好看|好|的|吗|呢|吧|呗|啊|呀|给|帮|我|你|说|穿|买|款|个|几|一|些|点|"
    r"可以|适合|值得|东西|下|主播|宝宝们|姐妹们|家人们|宝宝|孩子|小孩|娃|不知道|第一次|来|有|卖得|卖的|爆款|热卖|礼物|送|"
    r"以内|以下|之内|块钱|块|元|不超过|件|条|双|套|想|要|"
    r"\b(?:recommend(?:ations?|ed)?|suggest(?:ions?)?|any|anything|something|what|whats|do|does|you|u|good|nice|me|"
    r"for|a|an|the|should|i|we|buy|get|please|pls|which|one|ones|is|are|best|popular|most|sellers?|selling|have|"
    r"got|would|make|to|can|could|your|some|items?|products?|stuff|gifts?|presents?|kids?|children|under|below|"
    r"things?|sell|selling|shop|store|wear|my|in|of|on|expensive|cheap|here|there|now|you|have|"
    r"less|than|within|max|yuan|rmb)\b|"
    r"[^\w\u4e00-\u9fff]+"
)


_GOES_WITH = re.compile(
    r"(?:搭配|配|搭)[\u4e00-\u9fff]{1,6}?的|\b(?:to )?(?:go|goes|wear|pair) with (?:an? |the |my )?[a-z]+(?: [a-z]+)?"
)
# Sizes and "comes in": bounds of a request the caller reads.
_WISH_WORDS = re.compile(
    r"(?<![a-z0-9])(?:[2-9]?x{0,3}[sml]|xs|[2-9]xl|\d{2,3})(?![a-z0-9])\s*码?|\bcomes? in\b|\bthat\b|\bwith\b"
)


@dataclass(frozen=True, slots=True)
class ShoppingWish:
    """What a recommendation request asks for: categories and/or products of a named kind, a price bound."""

    categories: frozenset[str] = frozenset()
    kinds: tuple[Product, ...] = ()
    max_price: float | None = None
    cheap: bool = False
    # Groups of name words the request prefers, each narrowing in turn where names say them: who it is
    # for ("女童" for a daughter), the season ("春夏" for summer). A preference, not a filter.
    audience: tuple[tuple[str, ...], ...] = ()
    # Content words of the request the fields above do not account for ("徒步", "yoga").
    unread: str = ""

    @property
    def open(self) -> bool:
        """Nothing narrows the request: any product fits."""
        return not (
            self.categories or self.kinds or self.max_price is not None or self.cheap or self.audience
        )

    def allows(self, product: Product) -> bool:
        if self.max_price is not None and float(product.price) > self.max_price:
            return False
        if self.kinds:
            return product in self.kinds
        return not self.categories or product.category in self.categories


# Words a viewer calls the streamer or the room by ("宝宝们", "亲"): in a name ("宝宝洞洞鞋") they may mean a
# baby, but said alone they name no product.
ADDRESS_WORDS = frozenset({"宝宝", "宝贝", "宝们", "亲亲", "姐妹", "家人", "主播", "老铁", "集美"})
# Words of a listing's status, not of what the product is ("预售" in a name; "预售的和现货一起拍").
STATUS_WORDS = frozenset({"预售", "现货", "新款", "爆款", "热卖", "限定", "清仓", "特价", "上新", "限量"})
_ADDRESS = re.compile("|".join(sorted(ADDRESS_WORDS, key=len, reverse=True)) + r"|[们亲]")
# English question phrases whose words may also be in a name ("how long" vs "Long Puffer Coat").
# The second of two links said with one link word: "link 31 or 33", "#5 vs 6", "5号和6".
SECOND_LINK = re.compile(
    r"(?:\blinks?|#|\bno\.?)\s*\d{1,3}\s*(?:,|/|&|\bor\b|\band\b|\bvs\.?)\s*#?(\d{1,3})(?![\d.]|\s*(?:cm|kg|码|号码))|"
    r"\d{1,3}\s*号\s*(?:和|跟|与|还是|或者?|、)\s*(\d{1,3})(?![\d.]|\s*(?:码|号码|cm|厘米|斤|岁|块|元|件))"
)
QUESTION_PHRASES = re.compile(
    # "帆布围裙多少钱" of "帆布工作围裙 多口袋": the 多 of 多少 is the question's, not the name's.
    r"多少钱?|多钱|几多钱|几钱|几块钱?|"
    r"\bhow (?:long|much|many|big|soon|old|tall|heavy|light|wide|large|small|warm|thick)\b|"
    r"\bwhat (?:size|colou?r|kind|type)s?\b|\bin stock\b|\bsold out\b|\bfree shipping\b|"
    # "how much stock left" is no Stock Pot.
    r"\b(?:any|much|more|enough|still have|got) stock\b|\bstock (?:left|available|check|status|count)\b|"
    r"\b(?:go|goes|went|gone|going|come|came|drop(?:s|ped)?) down\b|"
    # "if it doesnt fit" is no Wide-Fit shoe.
    r"\b(?:doesn'?t|does not|don'?t|do not|won'?t|will not|didn'?t|did not|not|it|they|will|would) fit\b|"
    r"\bfit (?:me|you|u|him|her|them|well|ok|okay)\b|"
    # "this one how much" points at the product on screen; it names no "Kids One-Piece".
    r"\b(?:this|that|the other|which) one\b|"
    # "内蒙古能发吗": a place shipped to names no "蒙古族舞蹈演出服" ("新疆棉" is still cotton).
    r"(?:内蒙古?|新疆|西藏|青海|宁夏|甘肃|海南)(?=\s*(?:的)?\s*(?:能|可以|包邮|运费|邮费|发|寄|到|要|加|补|偏远))"
)


# A quantity a name states with its unit: litres, grams, millimetres, a hosiery's denier ("8D", "120D").
_QUANTITY = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(ml|毫升|mah|毫安|l|升|g|克|mm|毫米|w|瓦|d)(?![a-z])")
# A measure with its unit as a viewer writes it ("120cm", "10厘米", "2米", "4k", "500g"), and the spellings of
# each unit a name may use instead.
_MEASURE_UNITS = (
    ("cm", "厘米", "公分"),
    ("mm", "毫米"),
    ("m", "米"),
    ("kg", "公斤", "千克"),
    ("g", "克"),
    ("ml", "毫升"),
    ("l", "升"),
    ("w", "瓦"),
    ("mah", "毫安"),
    ("寸", "英寸", "inch"),
    ("k",),
    ("p",),
    ("v", "伏"),
)
# Each unit a quantity names products by as names may write it: "20000mAh" or "20000毫安", "65W" or "65瓦".
_UNIT_SPELLINGS = {said: "|".join(spellings) for spellings in (*_MEASURE_UNITS, ("d",)) for said in spellings}
_PACK_ASKED = re.compile(
    r"(?<!\d)(\d{1,2})\s*[- ]?(?:pack|pk|pcs?)\b|\bpack of (\d{1,2})\b|(?<!\d)(\d{1,2})\s*(?:件|双|条|只)装"
)
_WEIGHT_RANGE = re.compile(r"(\d{2,3})\s*[-~～到]\s*(\d{2,3})\s*斤")


_PART = re.compile(r"[底面里边帮跟领袖口]")


def _name_word_length(name: str, text: str) -> int:
    """How many Chinese characters the longest word `name` and `text` share has (2+, not a colour), else 0."""
    run = longest_common_run(name, text).strip()
    chinese = sum(1 for ch in run if _is_cjk(ch))
    return chinese if chinese >= 2 and not _is_color_word(run) else 0


def _related(category: str, others: set[str]) -> bool:
    """The same category, or one family of them (a jacket and a coat are both 外套)."""
    return category in others or any(
        category in family and others & set(family) for _, family in CATEGORY_FAMILIES
    )


def _ascii_words_pattern(words: tuple[str, ...] | list[str]) -> str:
    """One alternation, longest first (so "bucket hat" wins over "hat"), each word allowing a plural."""
    alts = sorted({re.escape(w) for w in words}, key=len, reverse=True)
    return r"(?<![a-z0-9])(?:" + "|".join(alts) + r")(?:e?s)?(?![a-z0-9])"


@dataclass(frozen=True, slots=True)
class LinkRef:
    """What the text says about the product. `link` is a number as written, unchecked against the catalog."""

    link: int | None = None
    on_screen: bool = False
    follow_up: bool = False
    bare: bool = False  # a number with no link word ("how much is 42"): it may be a size instead


def find_link(normalized: str) -> LinkRef:
    for pattern in LINK_PATTERNS:
        match = pattern.search(normalized)
        if match:
            number = zh_number(next(g for g in match.groups() if g))
            if number is not None and number > 0:
                return LinkRef(link=number, bare=pattern in _BARE_LINK_PATTERNS)
    return LinkRef(on_screen=bool(ON_SCREEN.search(normalized)), follow_up=bool(FOLLOW_UP.search(normalized)))


# Characters (and pairs) that name a colour; "颜色", "啥色", "什么色" do not.
COLOR_STEMS_ZH = (
    "酒红",
    "藏青",
    "卡其",
    "米白",
    "雾霾",
    "燕麦",
    "奶茶",
    "焦糖",
    "香槟",
    "墨绿",
    "军绿",
    "荧光",
)
COLOR_CHARS_ZH = "黑白灰蓝红粉绿棕米驼黄紫杏青橙金银咖褐"
_SHADES = "浅深淡亮暗"
_COLOR_WORD_ZH = re.compile(r"([\u4e00-\u9fff]{1,3})色")
_SHADED_COLOR = re.compile(rf"[{_SHADES}][{COLOR_CHARS_ZH}]")
_COLOR_WORD_EN = re.compile(r"\b(?:" + "|".join(COLOR_WORDS_EN) + r")\b")


def _only_two_tone(product: Product, colors: list[str]) -> bool:
    """Whether the product has the asked colours only inside two-tone colours ("white" of 黑白)."""
    matching = [c for c in product.colors if any(zh in k or k in zh for zh in colors for k in _color_keys(c))]
    return bool(matching) and all(_two_tone(c) for c in matching)


def _two_tone(color: str) -> bool:
    """ "黑白", "藏青白": a colour made of two colour words."""
    stem = _norm_color(color)
    return stem not in COLOR_STEMS_ZH and sum(ch in COLOR_CHARS_ZH for ch in stem) >= 2


@functools.lru_cache(maxsize=4096)
def _norm_color(color: str) -> str:
    return normalize(color).removesuffix("色")


@functools.lru_cache(maxsize=4096)
def _color_keys(color: str) -> frozenset[str]:
    """What a catalog colour can be called: its Chinese stem, and the Chinese stem of English colour words."""
    norm = normalize(color)
    keys = {norm.removesuffix("色")}
    for en, zh in COLOR_WORDS_EN.items():
        if rx.search(rf"\b{en}\b", norm):
            keys.add(zh)
    keys |= {ch for ch in norm if ch in COLOR_CHARS_ZH}
    return frozenset(k for k in keys if k)


def without_color_words(text: str) -> str:
    """The text less its colour words ("黑色", "light blue"): what is left says what a product is."""
    return _COLOR_WORD_ZH.sub(" ", _COLOR_WORD_EN.sub(" ", text))


def names_a_color(normalized: str) -> bool:
    """Whether the text names a colour ("焦糖色", "墨绿", "浅蓝的", "army green")."""
    return bool(
        any(w[-1] in COLOR_CHARS_ZH or w[-2:] in COLOR_STEMS_ZH for w in _COLOR_WORD_ZH.findall(normalized))
        or any(stem in normalized for stem in COLOR_STEMS_ZH)
        or _SHADED_COLOR.search(normalized)
        or _COLOR_WORD_EN.search(normalized)
    )


# "light blue", "dark grey": an English shade of a one-character colour, read as the Chinese shade (浅蓝, 深灰).
_EN_SHADE = re.compile(
    r"\b(light|pale|dark|deep)[- ]("
    + "|".join(en for en, zh in COLOR_WORDS_EN.items() if len(zh) == 1)
    + r")\b"
)
_SHADE_ZH = {"light": "浅", "pale": "浅", "dark": "深", "deep": "深"}


def mentioned_colors(normalized: str, product: Product) -> tuple[list[str], list[str]]:
    """(colours of the product the text names, colour words in the text the product does not have)."""
    if not any(len(_norm_color(c)) >= 2 and _norm_color(c) in normalized for c in product.colors):
        # Unless the product's own colour is the English shade said ("Dark Brown").
        normalized = _EN_SHADE.sub(lambda m: f" {_SHADE_ZH[m[1]]}{COLOR_WORDS_EN[m[2]]} ", normalized)
    keys = {color: _color_keys(color) for color in product.colors}
    asked: list[str] = []
    for word in rx.findall(r"([\u4e00-\u9fff]{1,3})色", normalized):
        pair = word[-2:]
        if len(word) > 1 and pair in COLOR_STEMS_ZH:
            asked.append(pair)
        elif word[-1] in COLOR_CHARS_ZH:
            asked.append(word[-1])
    # "有浅蓝吗" of a product in 深蓝: the shade is part of the colour asked; 蓝 alone would say yes.
    for shade in rx.findall(rf"[{_SHADES}][{COLOR_CHARS_ZH}]", normalized):
        if not any(_norm_color(c).startswith(shade) or shade in _norm_color(c) for c in product.colors):
            return [], [shade + "色"]
    for stem in (*COLOR_STEMS_ZH, *COLOR_CHARS_ZH):
        # "有黑的吗" / "纯白的" name a colour without the 色; "2米的吗" is two metres, not 米色.
        if (
            rx.search(rf"(?<![\d.]){stem}(?:的|款|色)?(?:吗|么|呢|有|没|还|\s*$)", normalized)
            and stem not in asked
        ):
            asked.append(stem)
    for en, zh in COLOR_WORDS_EN.items():
        if rx.search(rf"\b{en}\b", normalized) and zh not in asked:
            asked.append(zh)
    # "dark brown" of 棕色|Dark Brown: the colour the viewer named in full is the one asked about.
    exact = [c for c in product.colors if len(_norm_color(c)) >= 2 and _norm_color(c) in normalized]
    have: list[str] = []
    for color in exact or product.colors:
        if normalize(color).removesuffix("色") in normalized or any(
            k in asked or any(k in a or a in k for a in asked) for k in keys[color]
        ):
            have.append(color)
    missing = [
        stem + "色"
        for stem in asked
        if not any(stem in k or k in stem for color in product.colors for k in keys[color])
    ]
    return have, missing


def _romanised_name_words(names: list[tuple[str, Product]]) -> dict[str, list[Product]]:
    """The names' Chinese words as an English-writing viewer types them, in pinyin without tones ("章丘" ->
    zhangqiu, "盖碗" -> gaiwan, "龙井" -> longjing), each to the products whose name holds that word. Only
    dictionary words (not characters that meet across two words), five letters or more: shorter spellings
    ("mini", "bang") are English words as often."""
    found: dict[str, list[Product]] = {}
    # A spelling some name already writes ("Hanfu", "West Lake Longjing") names what that name's own
    # letters name: the shop chose which products it spells so.
    spelled_out = {word for name, _ in names for word in rx.findall(r"[a-z]+", name)}
    for product in (p for _, p in names):
        for word in chinese_words_in(product.name):
            spelled = "".join(sound(ch) for ch in word)
            if len(spelled) < 5 or not spelled.isalpha() or spelled in spelled_out or not is_word(word):
                continue
            _own(found, spelled, product)
    return found


def _own(found: dict[str, list[Product]], word: str, product: Product) -> None:
    """Record that `word` names `product` (once, in catalog order)."""
    owners = found.setdefault(word, [])
    if product not in owners:
        owners.append(product)


def chinese_words_in(name: str) -> list[str]:
    """Every two- to four-character stretch of the name's Chinese runs, shortest first: the words it may hold."""
    return [
        run[i : i + size]
        for run in _CJK_RUNS.findall(name)
        for size in (2, 3, 4)
        for i in range(len(run) - size + 1)
    ]


def _english_head_words(names: list[tuple[str, Product]]) -> dict[str, list[Product]]:
    """The English names (`glosses.english_names`) of the Chinese words a Chinese-only name's parts end on,
    its head nouns ("真丝枕套" -> pillowcase, "中性笔" -> rollerball pen), each to the products so named. A
    colour's English name ("军绿" -> army green) is a colour, read as one elsewhere, never a kind."""
    found: dict[str, list[Product]] = {}
    # Where the shop writes English in its names ("Tuna Cat Can", "Yixing Teapot"), those words say which
    # products they name: a dictionary's name for the same word would add the shop's other tins and pots.
    english = {word for name, _ in names for word in rx.findall(r"[a-z]{3,}", name)}
    for product in (p for name, p in names if not rx.search(r"[a-z]{3,}", name)):
        # Each part of the name as the shop spaced it ends on its noun: "德化白瓷 盖碗", "风干牛肉干 香辣味".
        heads = [runs[-1] for part in product.name.split() if (runs := _CJK_RUNS.findall(part))]
        for run in heads:
            for size in (4, 3, 2):
                for word in english_names(run[-size:]) if len(run) >= size else ():
                    if any(w in COLOR_WORDS_EN or w.removesuffix("s") in english for w in word.split()):
                        continue
                    _own(found, word, product)
    return found


def _english_words_of(name: str) -> frozenset[str]:
    """The English words of a name: its own Latin words and the dictionary's names of its Chinese words."""
    words = set(rx.findall(r"[a-z]+", name.lower()))
    for word in chinese_words_in(name):
        words.update(w for gloss in english_names(word) for w in gloss.split())
    return frozenset(words)


def _as_known(word: str, known: Container[str]) -> str | None:
    """The word as `known` holds it, itself or without a plural's "s"/"es" ("slippers" -> "slipper")."""
    return next((w for w in (word, word.removesuffix("s"), word.removesuffix("es")) if w in known), None)


def _says(words: frozenset[str], word: str) -> bool:
    """Whether `words` hold the word in any of its forms ("scrunchie" / "scrunchies", "heels" / "heeled")."""
    stem = word.removesuffix("s")
    return word in words or stem in words or (len(stem) >= 4 and any(w.startswith(stem) for w in words))


# What an English question says besides the product: its intent's words ("how much", "in stock", "ship"), and
# these, which ask without naming anything.
_ASKING_WORDS = frozenset((
    "the", "and", "for", "you", "your", "this", "that", "these", "those", "what", "whats", "which", "how",
    "much", "many", "does", "did", "have", "has", "any", "are", "is", "was", "can", "could", "would",
    "will", "still", "left", "there", "with", "from", "about", "its", "get", "buy", "want", "need", "some",
    "one", "ones", "please", "pls", "plz", "big", "long", "fast", "each", "per", "like", "come", "comes",
    "available", "sold", "out", "made", "make", "of", "in", "on", "to", "a", "an", "it", "do", "dimensions",
    "dimension", "size", "sizes", "colours", "colors", "colour", "color", "material", "discount",
    "original", "sale", "before", "price", "now", "cost", "costs", "ship", "ships", "shipping", "free",
    "stock", "u", "r", "ur", "i", "my", "me", "we"
))  # fmt: skip


def _content_words(normalized: str) -> list[str]:
    """The English words of a question left once what it asks (`_ASKING_WORDS`, the intents' words) is out."""
    return [w for w in rx.findall(r"[a-z]{3,}", PATTERNS_ANY.sub(" ", normalized)) if w not in _ASKING_WORDS]


_CJK_RUNS = re.compile(r"[\u4e00-\u9fff]{2,}")
_MEASURE_SAID = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)\s*("
    + "|".join(sorted((re.escape(u) for units in _MEASURE_UNITS for u in units), key=len, reverse=True))
    + r")(?![a-z])"
)


class ProductIndex:
    """Name, partial-name and category look-ups over one catalog, built once."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._names = [(_unhyphen(normalize(p.name)), p) for p in catalog.products]
        # Character pair -> names holding it: a name shares a pair with the text or cannot match at all,
        # so only those few names are compared (keeps a 500-product catalog well under a millisecond).
        self._pairs: dict[str, list[int]] = {}
        for i, (name, _) in enumerate(self._names):
            for pair in {name[j : j + 2] for j in range(len(name) - 1)}:
                self._pairs.setdefault(pair, []).append(i)
        self._by_name_cache: dict[str, list[Product]] = {}
        self._naming_words: dict[str, list[str]] = {}  # sku -> `_words_naming`, filled as products are asked
        self._description_words: re.Pattern[str] | None = None  # built on first use
        self._normalized_name = {p.sku: name for name, p in self._names}
        self._categories: dict[str, list[str]] = {}
        for category, words in CATEGORY_NAMES_ZH.items():
            self._categories.setdefault(category, []).extend(normalize(w) for w in words)
        for category, words in CATEGORY_NAMES_EN.items():
            self._categories.setdefault(category, []).extend(normalize(w) for w in words)
        self._category_words = frozenset(w for words in self._categories.values() for w in words)
        # Kinds: each viewer word (English, or a Chinese name word) -> the products named after that kind.
        # An English word names the products with any of the kind's name words; a Chinese one those whose
        # name holds that very word ("羽绒服" is not "羽绒马甲").
        kind_of_word: dict[str, list[Product]] = {}
        for words, fragments in KIND_WORDS:
            owners = [p for name, p in self._names if any(_name_has(name, normalize(f)) for f in fragments)]
            for word in words:
                if owners:
                    kind_of_word.setdefault(normalize(word), owners)
            for fragment in fragments:
                own = [p for name, p in self._names if not fragment.isascii() and normalize(fragment) in name]
                if own:
                    kind_of_word.setdefault(normalize(fragment), own)
        for word, owners in _romanised_name_words(self._names).items():
            kind_of_word.setdefault(word, owners)
        # The dictionary's names only where the project's own words know nothing of the kind: a garment's
        # English ("down coat", "hoodie") is read by the categories and kinds above, tuned to how viewers say it.
        known = {
            w for phrase in (*self._category_words, *kind_of_word) if phrase.isascii() for w in phrase.split()
        }
        self._dictionary_kinds: set[str] = set()
        for word, owners in _english_head_words(self._names).items():
            if word not in kind_of_word and not any(
                w in known or w.removesuffix("s") in known for w in word.split()
            ):
                kind_of_word[word] = owners
                self._dictionary_kinds.add(word)
        # Every English word a product's name says or its Chinese words are called: a viewer's other words
        # must be among them before a dictionary kind names the product ("cat ring" is no plain silver ring).
        self._english_of = {p.sku: _english_words_of(p.name) for p in catalog.products}
        self._kind_of_word = kind_of_word
        en_kinds = [w for w in kind_of_word if w.isascii()]
        zh_kinds = sorted((w for w in kind_of_word if not w.isascii()), key=len, reverse=True)
        self._kind_en = re.compile(_ascii_words_pattern(en_kinds)) if en_kinds else None
        self._kind_zh = re.compile("|".join(map(re.escape, zh_kinds))) if zh_kinds else None
        # Spans of category and kind words in a text: a name run that cuts through one ("肩包" in
        # "披肩包邮吗") is two words' halves, not a name.
        zh_words = {w for w in self._category_words if not w.isascii()} | set(zh_kinds)
        self._zh_words = re.compile("|".join(map(re.escape, sorted(zh_words, key=len, reverse=True))))
        # Two-word English category words ("down coat", "bucket hat"): a name run that is half of one said
        # by the viewer ("down" in Light Down Jacket) names no product; the category decides.
        en_phrases = sorted(
            (w for w in self._category_words if w.isascii() and " " in w), key=len, reverse=True
        )
        spanned = sorted(zh_words | set(MATERIAL_WORDS_ZH), key=len, reverse=True)
        self._word_spans = re.compile(
            "|".join([*map(re.escape, spanned), *(rf"(?<![a-z]){re.escape(w)}(?![a-z])" for w in en_phrases)])
        )
        self._modifiers = [
            (re.compile(rf"(?<![a-z0-9]){pattern}(?![a-z0-9])"), tuple(normalize(f) for f in fragments))
            for pattern, fragments in MODIFIER_WORDS
        ]
        # Chinese material words of the catalog ("亚麻", "羊毛", "头层牛皮"): what a viewer may narrow by.
        self._material_words = longest_first(
            {w for p in catalog.products for w in rx.findall(r"[\u4e00-\u9fff]{2,}", normalize(p.material))}
        )
        # Compiled once: category_words_in runs for every question.
        self._category_patterns = [
            (category, word, re.compile(rf"\b{re.escape(word)}s?\b") if word.isascii() else None)
            for category, words in self._categories.items()
            for word in words
        ]
        # Everything a shopping wish reads, in one pattern: category words, families, audiences, seasons,
        # modifiers (what is left of a request after these is what the bot cannot read).
        category_words = sorted(self._category_words, key=len, reverse=True)
        self._wish_words = re.compile(
            "|".join(
                [
                    *(
                        rf"(?<![a-z]){re.escape(w)}(?:e?s)?(?![a-z])" if w.isascii() else re.escape(w)
                        for w in category_words
                    ),
                    *(
                        f"(?:{pattern})"
                        for pattern, _ in (*CATEGORY_FAMILIES, *AUDIENCE_ZH, *_AUDIENCE_EN, *SEASON_NAMES)
                    ),
                    *(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])" for pattern, _ in MODIFIER_WORDS),
                ]
            )
        )
        # The words that name a whole category in each language ("连衣裙", "dress").
        self._primary = {
            c: {normalize(CATEGORY_NAMES_ZH[c][0]), normalize(CATEGORY_NAMES_EN[c][0])}
            for c in self._categories
            if c in CATEGORY_NAMES_ZH and c in CATEGORY_NAMES_EN
        }

    def by_name(self, normalized: str) -> list[Product]:
        """Products whose name (or a distinctive part of it, >= 3 characters) appears in the text.

        A run that is only a category word ("连衣裙") names a category, not a product: categories are
        resolved with colours and the on-screen product instead.
        """
        return self._names_and_run(normalized)[0]

    def names_only_an_attribute(self, normalized: str) -> bool:
        """Whether the words that matched names are only a material or look ("silk" in "is this real
        silk"): with "this" said, they describe the product on screen rather than name another."""
        run = self.name_run(normalized).strip()
        return (
            bool(run) and any(rx.fullmatch(rf"{pattern}(?:e?s)?", run) for pattern, _ in MODIFIER_WORDS)
        ) or bool(run and rx.fullmatch(r"[\u4e00-\u9fff]{2,4}", run) and PATTERNS["material"].fullmatch(run))

    def said_in_names(self, normalized: str, products: list[Product]) -> list[Product]:
        """ "the beanie" of a Wool Beanie and a 儿童护耳毛线帽: the product whose name says the English kind
        word itself, before those that are of that kind by their Chinese name; all when none or all do."""
        if len(products) < 2 or self._kind_en is None or not normalized.isascii():
            return products
        words = [m.group(0).removesuffix("s") for m in self._kind_en.finditer(normalized)]

        def headed_by(product: Product) -> bool:
            # The English head noun ends the name: "Wool Beanie" is a beanie, "Yoga Mat Bag" a bag, and a
            # "Bucket Hat" is a bucket hat where a "Straw Sun Hat" is only a hat.
            english = " ".join(rx.findall(r"[a-z][a-z'-]*", self._normalized_name[product.sku]))
            return any(rx.search(rf"(?:^|\s){re.escape(w)}(?:e?s)?$", english) for w in words)

        said = [p for p in products if headed_by(p)]
        return said if said and len(said) < len(products) else products

    def narrow_by_sex(self, normalized: str, products: list[Product]) -> list[Product]:
        """ "men's boxers", "the adult chiffon skirt": of several candidates, those whose name is for men
        (women, kids), or not for kids when adults are asked for; all when none is."""
        if len(products) < 2:
            return products
        for asked, said in ((_MEN_ASKED, _MEN_NAMED), (_WOMEN_ASKED, _WOMEN_NAMED)):
            if rx.search(asked, normalized):
                named = [p for p in products if rx.search(said, self._normalized_name[p.sku])]
                # "mens rash tee": the men's one, not the boys' (男童) whose name says 男 too.
                grown = [p for p in named if not rx.search(_KIDS_NAMED, self._normalized_name[p.sku])]
                return grown or named or products
        # Kids or adults only where the names tell them apart ("成人" beside "儿童"): in a kids' shop "儿童"
        # is in most names and narrows nothing.
        names = {p.sku: self._normalized_name[p.sku] for p in products}
        if any(rx.search(_ADULTS_NAMED, name) for name in names.values()):
            if rx.search(_KIDS_SAID, normalized):
                return [p for p in products if rx.search(_KIDS_NAMED, names[p.sku])] or products
            if rx.search(_ADULTS_ASKED, normalized):
                return [p for p in products if not rx.search(_KIDS_NAMED, names[p.sku])] or products
        return products

    def same_people(self, a: Product, b: Product) -> bool:
        """Whether two products are for the same people: both or neither for kids, for men, for women."""
        name_a, name_b = self._normalized_name[a.sku], self._normalized_name[b.sku]
        return all(
            bool(rx.search(named, name_a)) == bool(rx.search(named, name_b))
            for named in (_KIDS_NAMED, _MEN_NAMED, _WOMEN_NAMED)
        )

    def narrow_by_run(self, normalized: str, products: list[Product]) -> list[Product]:
        """Of several products, those whose name holds the words that matched names ("men" of "mens");
        all of them when none does."""
        run = rx.sub(r"'?s$", "", self.name_run(normalized).strip())
        if len(products) < 2 or not run:
            return products
        return [p for p in products if _name_has(self._normalized_name[p.sku], run)] or products

    def run_is_a_modifier(self, normalized: str) -> bool:
        """Whether the words that matched names are only a modifier ("men", "kids", "silk")."""
        run = self.name_run(normalized).strip()
        if rx.fullmatch(r"(?:wo)?men'?s?|ladies|boys?|girls?|unisex|男款|女款|男士|女士", run):
            return True
        return bool(run) and any(rx.fullmatch(rf"{pattern}(?:'?s)?", run) for pattern, _ in MODIFIER_WORDS)

    def name_run(self, normalized: str) -> str:
        """The part of the text that named the product(s) `by_name` found ("" when none)."""
        return self._names_and_run(normalized)[1]

    def _names_and_run(self, normalized: str) -> tuple[list[Product], str]:
        cached = self._by_name_cache.get(normalized)
        if cached is not None:
            return cached
        if len(self._by_name_cache) > 256:
            self._by_name_cache.clear()
        result = self._by_name_cache[normalized] = self._match_names(normalized)
        return result

    def _match_names(self, normalized: str) -> tuple[list[Product], str]:
        products, run = self._match_names_in(_unhyphen(normalized))
        if run and run not in normalized:  # "song style" said, "song-style" written: the viewer's words
            at = _unhyphen(normalized).find(run)
            run = normalized[at : at + len(run)]
        return products, run

    def _match_names_in(self, normalized: str) -> tuple[list[Product], str]:
        # Blanked, not removed: the spans of category words below are positions in the same text.
        normalized = QUESTION_PHRASES.sub(lambda m: " " * len(m.group(0)), normalized)
        candidates: set[int] = set()
        for j in range(len(normalized) - 1):
            candidates.update(self._pairs.get(normalized[j : j + 2], ()))
        best: list[Product] = []
        best_len = 0
        best_run = ""
        spans = [m.span() for m in self._word_spans.finditer(normalized)] if candidates else []
        for i in sorted(candidates):
            name, product = self._names[i]
            run = longest_common_run(name, normalized)
            if not _whole_ascii_words(run, name, normalized):
                # "zhijin skirt" vs "zhijin mamian skirt": the longest run "n skirt" cuts words; the
                # longest run of whole words ("zhijin") is what the viewer said of the name.
                run = _common_words(name, normalized)
            if run.isascii() and self._is_category_word(run):
                # "silk shawl" of "Silk Embroidered Shawl": the category word says what kind; the other
                # word of the name the viewer said is the name.
                blanked = rx.sub(rf"(?<![a-z]){re.escape(run.strip())}(?![a-z])", " ", normalized)
                run = _common_words(name, blanked) or run
            if (
                self._is_category_word(run)
                or _is_color_word(run)
                or run.strip() in ADDRESS_WORDS
                or run.strip() in STATUS_WORDS
                or not _whole_ascii_words(run, name, normalized)
                or _cuts_a_word(run, name, normalized, spans)
            ):
                continue
            if run.strip().isdigit() or run.strip() in _EN_STOPWORDS:
                continue  # "158/100斤", "100以内": the viewer's weight or budget, not the "100%" of a name
            length = len(run)
            chinese = sum(1 for ch in name if "\u4e00" <= ch <= "\u9fff")
            # A run must be distinctive: 3+ characters, the whole (short) Chinese name, or a two-character
            # word only this product's name has ("毛巾", "毛毯") that is not a colour or a material.
            if (
                length < 3
                and not (length >= 2 and length == chinese)
                and not self._unique_word(run)
                and not self._series_word(run)
                and not _model_code(run)
            ):
                continue
            if length > best_len:
                best, best_len, best_run = [product], length, run
            elif length == best_len:
                best.append(product)
        word = best_run.strip()
        if word.isascii() and " " not in word:
            kind = self._kind_of_word.get(word) or self._kind_of_word.get(word.removesuffix("s"), [])
            if len(kind) > len(best):
                # "hairpin" in one English name while a Chinese name says 发簪: the word names a kind of
                # product, not that one; the kind's look-up (and what narrows it) decides.
                return [], ""
        if (
            best_len >= 4
            or len(best) <= 3
            or _ends_every_name(word, [self._normalized_name[p.sku] for p in best])
        ):
            # "登山杖多少钱" of four poles: the word every one of their names ends on is what they are.
            return best, best_run
        return [], ""

    def _series_word(self, run: str) -> bool:
        """ "极光", "云迹": two or more Chinese characters written as a word of their own (spaces around it) in
        each of the two or three names that hold them: a series or model name, not a piece of a longer word."""
        word = run.strip()
        if len(word) < 2 or not all("\u4e00" <= ch <= "\u9fff" for ch in word) or _is_color_word(word):
            return False
        owners = [name for name, _ in self._names if word in name]
        return 2 <= len(owners) <= 3 and all(word in name.split() for name in owners)

    def only_one_has(self, normalized: str, products: list[Product]) -> list[Product]:
        """ "how much is the apple watch strap", "10件套的满月礼盒多少钱": of several candidates, the one whose
        name alone in the whole catalog holds a word the text says (an English word, a number, two Chinese
        characters); the candidates unchanged when none or several do."""
        if len(products) < 2:
            return products
        # Not the kind, category or colour words (the candidates share what they are), nor pairs across them.
        text = QUESTION_PHRASES.sub(" ", normalized)
        for pattern in (self._kind_en, self._kind_zh):
            if pattern is not None:
                text = pattern.sub(" ", text)
        for _, word, pattern in self._category_patterns:
            text = pattern.sub(" ", text) if pattern is not None else text.replace(word, " ")
        text = without_color_words(text)
        # English words a Chinese name may say in Chinese ("down" of 羽绒服, "silk") tell no one name apart.
        words = {
            w
            for w in rx.findall(r"[a-z]{3,}|\d+", text)
            if w not in _EN_STOPWORDS
            and w not in ("down", "puffer", "padded")
            and not any(pattern.fullmatch(w) for pattern, _ in self._modifiers)
        }
        words |= {
            text[i : i + 2]
            for i in range(len(text) - 1)
            if all("\u4e00" <= ch <= "\u9fff" for ch in text[i : i + 2])
            and not _is_color_word(text[i : i + 2])
            and not PATTERNS["material"].search(text[i : i + 2])  # "纯棉": others may be cotton unnamed
        }
        owners = {
            word: [
                p for name, p in self._names if (_name_has(name, word) if word.isascii() else word in name)
            ]
            for word in words
        }
        unique = {p.sku for word, have in owners.items() if len(have) == 1 for p in have}
        chosen = [p for p in products if p.sku in unique]
        return chosen if len(chosen) == 1 else products

    def narrow_by_words_en(self, normalized: str, products: list[Product]) -> list[Product]:
        """ "the away 10 shirt", "player 23 jersey": of several candidates, those whose names hold every English
        word of the text that some of them hold (and not all); all of them when that leaves none."""
        if len(products) < 2:
            return products
        names = [self._normalized_name[p.sku] for p in products]
        telling = [
            w
            for w in rx.findall(r"[a-z]{3,}", normalized)
            if w not in _EN_STOPWORDS and 0 < sum(_name_has(n, w) for n in names) < len(names)
        ]
        kept = [p for p, n in zip(products, names, strict=True) if all(_name_has(n, w) for w in telling)]
        return kept or products

    def narrow_by_english_words(self, normalized: str, products: list[Product]) -> list[Product]:
        """ "the baby bangle", "moon and star necklace": of several candidates, those of whose English words
        (the name's own and the dictionary's names of its Chinese words) the question says the most; all of
        them when none or all say as many."""
        # A colour or a category word ("coat" of an Overcoat and a Puffer Coat) says what any of them may be.
        words = [
            w
            for w in (_content_words(normalized) if len(products) > 1 else [])
            if w not in COLOR_WORDS_EN and not _as_known(w, self._category_words)
        ]
        if not words:
            return products
        # A kind word ("sandals", "hoodie") tells candidates apart only by the shop's own English: a name
        # without English may be that kind all the same ("厚底人字拖" is a pair of sandals).
        spelled = [frozenset(rx.findall(r"[a-z]+", self._normalized_name[p.sku])) for p in products]
        kinds = all(spelled)
        scores = []
        for product, own in zip(products, spelled, strict=True):
            score = 0
            for word in words:
                if _as_known(word, self._kind_of_word):
                    score += kinds and _says(own, word)
                else:
                    score += _says(self._english_of[product.sku], word)
            scores.append(score)
        top = max(scores)
        kept = [p for p, score in zip(products, scores, strict=True) if score == top]
        return kept if top and len(kept) < len(products) else products

    def narrow_by_measures(self, normalized: str, products: list[Product]) -> list[Product]:
        """ "the 120cm egg roll table", "乳胶床垫10cm", "4k记录仪": of several candidates, those whose names
        state every measure the text says that some of them state (and not all); all of them when that
        leaves none. Among candidates only: "160cm" alone names nothing, it is often the viewer's height."""
        if len(products) < 2:
            return products
        names = [self._normalized_name[p.sku] for p in products]
        telling = []
        for number, unit in _MEASURE_SAID.findall(normalized):
            spellings = next((s for s in _MEASURE_UNITS if unit in s), (unit,))
            said = rx.compiled(
                rf"(?<![\d.]){re.escape(number)}\s*(?:{'|'.join(map(re.escape, spellings))})(?![a-z])"
            )
            holding = [bool(said.search(name)) for name in names]
            if 0 < sum(holding) < len(names):
                telling.append(holding)
        kept = [p for i, p in enumerate(products) if all(holds[i] for holds in telling)]
        return kept if telling and kept else products

    def names_holding(self, words: str) -> list[tuple[str, Product]]:
        """(normalized name, product) for each name that holds the words; a number as a whole number ("3号"
        is not in "23号", "#1" not in "#10")."""
        pattern = rx.compiled(
            rf"(?<![\d.]){re.escape(words)}(?![\d.])"
            if words[:1].isdigit()
            else rf"{re.escape(words)}(?![\d.])"
        )
        return [(name, p) for name, p in self._names if pattern.search(name)]

    def kind_words_in(self, normalized: str) -> list[str]:
        """The kind words the text says ("卡包", "slippers")."""
        return [
            m.group(0)
            for pattern in (self._kind_en, self._kind_zh)
            if pattern is not None
            for m in pattern.finditer(normalized)
        ]

    def by_kind(self, normalized: str) -> list[Product]:
        """Products named after the kinds of product the text names ("slippers" -> 云朵拖鞋, "睡裙")."""
        products: list[Product] = []
        for pattern in (self._kind_en, self._kind_zh):
            if pattern is None:
                continue
            for match in pattern.finditer(normalized):
                word = _as_known(match.group(0), self._kind_of_word) or match.group(0)
                owners = self._kind_of_word.get(word, [])
                if word in self._dictionary_kinds:
                    # A colour is the colour column's to check ("yellow helmet": 荧光黄款).
                    rest = [
                        w for w in _content_words(normalized.replace(word, " ")) if w not in COLOR_WORDS_EN
                    ]
                    owners = [p for p in owners if all(_as_known(w, self._english_of[p.sku]) for w in rest)]
                products.extend(p for p in owners if p not in products)
        return products

    def kinds_are_categories(self, normalized: str) -> bool:
        """Whether every kind word of the text is a category word too ("丝巾", "短裙"): then the category,
        with the products its word names in name or description, decides, not the names alone."""
        words = [
            m.group(0)
            for pattern in (self._kind_en, self._kind_zh)
            if pattern
            for m in pattern.finditer(normalized)
        ]
        return bool(words) and all(w in self._category_words for w in words)

    def headed(self, normalized: str, products: list[Product]) -> list[Product]:
        """Of several candidates, those the text names by their head noun: "瑜伽垫" is the TPE瑜伽垫, not the
        瑜伽垫收纳背包 (a bag of mats is a bag); "the TPE mat" is the mat, not the Yoga Mat Bag. All of them
        when none or all are named so ("瑜伽垫包" may be either)."""
        if len(products) < 2:
            return products
        headed = [p for p in products if self.head_named(normalized, p)]
        return headed if headed else products

    def head_named(self, normalized: str, product: Product) -> bool:
        """Whether the text names the product by its head noun, not only by words that modify it."""
        name = _COUNT_SUFFIX.sub(" ", self._normalized_name[product.sku])
        run = longest_common_run(name, normalized).strip()
        if len(run) < 2 or not _whole_ascii_words(run, name, normalized):
            # Found by a kind word: named by its head when a fragment of that kind ends a part of the name.
            return any(_ends_part(name, f) for f in self._kind_fragments(normalized))
        rest = name[name.find(run) + len(run) :]
        # The noun phrase the run is part of in the name: CJK after a run, or the next word of an English one.
        if rest[:1] and _is_cjk(rest[0]):
            noun = rx.match(r"[\u4e00-\u9fff]+", rest).group(0)  # type: ignore[union-attr]
        elif run[-1:].isascii() and run[-1:].isalpha() and rx.match(r" [a-z]", rest):
            noun = rx.match(r" ([a-z]+)", rest).group(1)  # type: ignore[union-attr]
        else:
            return True  # the run ends a part of the name: it is the head noun
        if not self._is_noun(noun):
            return True  # "羽绒服女款", "Yoga Leggings High Waist": what follows describes, it names nothing
        # The viewer may go on with that noun ("瑜伽垫包", "tpe mat"): then the run is not all they said.
        after = normalized[normalized.find(run) + len(run) :].lstrip()
        if not after:
            return False
        if _is_cjk(after[0]):
            return after[0] in noun
        word = rx.match(r"[a-z]+", after)
        if word is None:
            return False
        fragments = self._kind_fragments(word.group(0))
        return word.group(0) == noun or any(f in noun for f in fragments)

    def _is_noun(self, word: str) -> bool:
        """A word for a kind of thing: a category or kind word, or Chinese ending in a product noun."""
        if word.isascii():
            return any(
                w in self._category_words or w in self._kind_of_word for w in (word, word.removesuffix("s"))
            )
        return word[-1] in GARMENT_HEADS or self._zh_words.search(word) is not None

    def _kind_fragments(self, normalized: str) -> set[str]:
        """The name words (mostly Chinese) for the English kind words in the text ("mat" -> 瑜伽垫 ...)."""
        found: set[str] = set()
        if self._kind_en is None:
            return found
        for match in self._kind_en.finditer(normalized):
            word = match.group(0)
            fragments = _KIND_BY_WORD.get(word) or _KIND_BY_WORD.get(word.removesuffix("s"), ())
            found.update(normalize(f) for f in fragments)
        return found

    def by_quantity(self, normalized: str) -> list[Product]:
        """ "the 40L pack", "20升那个包": the products whose name states that quantity with its unit."""
        found: list[Product] = []
        for number, unit in _QUANTITY.findall(normalized):
            said = re.compile(rf"(?<![\d.]){re.escape(number)}\s*(?:{_UNIT_SPELLINGS[unit]})(?![a-z])")
            found += [
                p
                for p in self.catalog.products
                if said.search(self._normalized_name[p.sku]) and p not in found
            ]
        return found

    def narrow_by_count(self, normalized: str, products: list[Product]) -> list[Product]:
        """ "the 3 pack tee", "3件装的T恤": of several candidates, those whose name states that count."""
        asked = _PACK_ASKED.search(normalized)
        if len(products) < 2 or asked is None:
            return products
        count = next(g for g in asked.groups() if g)
        said = re.compile(
            rf"(?<!\d){count}\s*(?:件|双|条|只|个|支|片|包)?(?:装|套)|(?<!\d){count}[- ]?(?:pack|pk|pc|pcs)\b"
        )
        fits = [p for p in products if said.search(self._normalized_name[p.sku])]
        return fits if fits and len(fits) < len(products) else products

    def narrow_by_modifiers(self, normalized: str, products: list[Product]) -> list[Product]:
        """The products whose name or material says the most of what the English words ask ("straw",
        "silk", "square"); all of them when no word narrows, or when several fit equally."""
        if len(products) < 2 or not normalized.isascii():
            return products
        wanted = [fragments for pattern, fragments in self._modifiers if pattern.search(normalized)]
        if not wanted:
            return products
        scores = []
        for product in products:
            text = self._normalized_name[product.sku] + " " + normalize(product.material)
            scores.append(sum(1 for fragments in wanted if any(_name_has(text, f) for f in fragments)))
        top = max(scores)
        if top == 0:
            return products
        return [p for p, score in zip(products, scores, strict=True) if score == top]

    def alike(self, normalized: str, products: list[Product]) -> list[Product]:
        """ "black blazer", "satin dress", "旗袍多少钱": a description that one name happens to hold word for
        word fits the other products of that category with the same colour, material and kind just as well;
        all of them then, for the viewer to say which. Unchanged when the text names more than a description
        (a distinctive name word, a link) or when no other product fits."""
        if len(products) != 1 or find_link(normalized).link is not None:
            return products
        product = products[0]
        rest = self._descriptive_rest(normalized)
        if rest is None:
            return products
        colors = self._colors_asked(normalized)
        modifiers = [frags for pattern, frags in self._modifiers if pattern.search(normalized)]
        materials = [w for w in self._material_words if w in normalized and not _is_color_word(w)]
        kinds = self.by_kind(normalized)
        used = self.category_words_in(normalized)

        own = self._normalized_name[product.sku]
        # "链条腋下包", "pu卡包": words of the one name the text repeats that are no colour: a product that
        # lacks them is not described as well ("PU法棍腋下包" has no 链条).
        repeated = {
            pair
            for pair in (normalized[i : i + 2] for i in range(len(normalized) - 1))
            if all("\u4e00" <= ch <= "\u9fff" for ch in pair) and pair in own and not _is_color_word(pair)
        } | {
            word
            for word in rx.findall(r"[a-z]{2,}", normalized)
            if _name_has(own, word)
            and not self._is_category_word(word)
            and word not in self._kind_of_word
            and word.removesuffix("s") not in self._kind_of_word
            and word not in COLOR_WORDS_EN
        }

        def fits(candidate: Product) -> bool:
            if candidate.category != product.category:
                return False
            text_of = self._normalized_name[candidate.sku] + " " + normalize(candidate.material.lower())
            if not all(w in text_of if not w.isascii() else _name_has(text_of, w) for w in repeated):
                return False
            word = used.get(candidate.category)
            if not kinds and word and not self.named_as(candidate, word):
                return False  # "羊绒围巾" is not the 格纹披肩; "wool coat" not the Hanfu Cloak
            text = self._normalized_name[candidate.sku] + " " + normalize(candidate.material)
            keys = [k for color in candidate.colors for k in _color_keys(color)]
            return (
                all(any(zh in k or k in zh for k in keys) for zh in colors)
                and all(any(_name_has(text, f) for f in frags) for frags in modifiers)
                and all(w in text for w in materials)
                and (not kinds or candidate in kinds)
            )

        if not (colors or modifiers or materials or kinds):
            return products
        same = [p for p in self.catalog.products if fits(p)]
        # A solid colour before a two-tone one; not the kids' one when kids are not asked ("the beanie").
        same = [p for p in same if not colors or not _only_two_tone(p, colors)] or same
        same = self.adults_unless_kids_said(normalized, same)
        return same if product in same and 1 < len(same) <= 4 else products

    def adults_unless_kids_said(self, normalized: str, products: list[Product]) -> list[Product]:
        """ "bucket hat price?" of an adults' and a kids' bucket hat: the adults' one, unless children are
        asked about (all of them when none is for adults)."""
        if _KIDS_SAID.search(normalized):
            return products
        return [p for p in products if not _KIDS_NAMED.search(self._normalized_name[p.sku])] or products

    def by_split_name(self, normalized: str) -> list[Product]:
        """ "帆布围裙" of 帆布工作围裙 when no name holds the words in a row: the names that hold them apart
        (the second ending the name's Chinese), when one to three do."""
        text = _short_question(normalized)
        if text is None:
            return []  # weaker evidence than a name said whole: only in a short question
        for run in sorted(rx.findall(r"[\u4e00-\u9fff]{4,8}", text), key=len, reverse=True):
            for start in range(len(run) - 3):
                for end in range(len(run), start + 3, -1):
                    words = run[start:end]
                    # Only names with the run's first two characters can hold it (the pair index).
                    found = [
                        self._names[i][1]
                        for i in self._pairs.get(words[:2], ())
                        if _holds_split(self._names[i][1].name, words)
                        and not _contradicts(normalized, self._names[i][0])
                    ]
                    if 1 <= len(found) <= 3:
                        return found
        return []

    def by_parts_of_name(self, normalized: str) -> list[Product]:
        """ "亮面马丁" of "马丁靴 8孔 亮面款": two words of one name said together, in either order, when that
        name is the only one holding both."""
        text = _short_question(normalized)
        if text is None:
            return []
        found: set[str] = set()
        for run in rx.findall(r"[\u4e00-\u9fff]{4,}", text):
            for start in range(len(run) - 3):
                words = run[start : start + 4]
                first, last = words[:2], words[2:]
                if set(words) & _NOT_NAME_CHARACTERS:
                    continue
                for i in self._pairs.get(first, ()):
                    name, product = self._names[i]
                    if last in name and words not in name and not _contradicts(normalized, name):
                        found.add(product.sku)
        return [p for p in self.catalog.products if p.sku in found] if len(found) == 1 else []

    def by_head_word(self, normalized: str) -> list[Product]:
        """ "胸花有粉色的吗" of 伴郎胸花, "黄色雨衣" of three raincoats one of which is yellow: a two-character
        word that ends a word of names (what they are), when it is one name's, or the colour asked leaves
        one of them."""
        text = _short_question(normalized)
        if text is None:
            return []
        found: dict[str, Product] = {}
        for run in rx.findall(r"[\u4e00-\u9fff]{2,}", text):
            for i in range(len(run) - 1):
                word = run[i : i + 2]
                if (
                    set(word) & _NOT_NAME_CHARACTERS
                    or word in COLOR_STEMS_ZH
                    or word.endswith("色")
                    or PATTERNS["material"].fullmatch(word)  # "纯棉的会缩吗": what it is made of
                    or _MEASURE_WORD.fullmatch(word)  # "头围59能戴吗" of a cap "小头围"
                    or word in _SALE_WORDS  # "预售的和现货一起拍怎么发": how it is sold, not what it is
                ):
                    continue
                for j in self._pairs.get(word, ()):
                    product = self._names[j][1]
                    # "偏光墨镜" is not the 非偏光 sunglasses.
                    if any(
                        head.endswith(word) and not head[: -len(word)].endswith(("非", "不", "无"))
                        for head in _name_words_zh(product.name)
                    ):
                        found.setdefault(product.sku, product)
        products = list(found.values())
        if len(products) > 1:
            products = [p for p in products if mentioned_colors(normalized, p)[0]]
        return products if len(products) == 1 else []

    def split_named(self, normalized: str, products: list[Product]) -> list[Product]:
        """ "真丝睡裙" names 真丝吊带睡裙 as well as 真丝睡裙眼罩礼盒, "黑色帆布鞋" the 帆布板鞋 as well as the
        高帮帆布鞋: the products whose names hold the Chinese words of the matched run with others between
        (and the colour asked) join the one that holds them in a row, for the viewer to say which."""
        if len(products) != 1 or find_link(normalized).link is not None:
            return products
        run = self.name_run(normalized).strip()
        if len(run) < 3 or not all("\u4e00" <= ch <= "\u9fff" for ch in run):
            return products
        colors = self._colors_asked(normalized)
        rest = normalized.replace(run, " ")
        # "2件装哺乳衣": another word of the question that the found name holds must be in theirs too.
        said = {
            rest[i : i + 2]
            for i in range(len(rest) - 1)
            if rest[i : i + 2] in self._normalized_name[products[0].sku] and " " not in rest[i : i + 2]
        }

        def fits(candidate: Product) -> bool:
            name = self._normalized_name[candidate.sku]
            keys = [k for color in candidate.colors for k in _color_keys(color)]
            return (
                candidate not in products
                and all(pair in name for pair in said)
                and candidate.category == products[0].category
                and _holds_split(candidate.name, run)
                and not _contradicts(normalized, name)
                and all(any(zh in k or k in zh for k in keys) for zh in colors)
            )

        others = [p for p in self.catalog.products if fits(p)]
        return [*products, *others] if 1 <= len(others) <= 3 else products

    def _colors_asked(self, normalized: str) -> list[str]:
        asked = [zh for en, zh in COLOR_WORDS_EN.items() if rx.search(rf"\b{en}\b", normalized)]
        asked += [
            m.group(1)
            for m in rx.finditer(r"([\u4e00-\u9fff]{1,2})色", normalized)
            if m.group(1)[-1] in COLOR_CHARS_ZH or m.group(1) in COLOR_STEMS_ZH
        ]
        return asked

    def _descriptive_rest(self, normalized: str) -> str | None:
        """The text less its description words (category, kind, colour, material, modifier) and question
        words; None when a distinctive word is left (it may be what tells the product apart)."""
        if self._description_words is None:
            words = sorted(
                {*self._category_words, *self._kind_of_word, *self._material_words}, key=len, reverse=True
            )
            self._description_words = re.compile(
                "|".join(
                    rf"(?<![a-z]){re.escape(w)}(?:e?s)?(?![a-z])" if w.isascii() else re.escape(w)
                    for w in words
                )
                + r"|\b(?:"
                + "|".join(COLOR_WORDS_EN)
                + r")\b|[\u4e00-\u9fff]{0,2}色"
            )
        rest = self._description_words.sub(" ", normalized)
        for pattern, _ in self._modifiers:
            rest = pattern.sub(" ", rest)
        rest = _DESCRIPTION_QUESTION.sub(" ", rest)
        left = [w for w in rx.findall(r"[a-z]{3,}|[\u4e00-\u9fff]{2,}", rest)]
        return None if left else rest

    def better_fits(self, normalized: str, products: list[Product]) -> list[Product]:
        """ "the pearl bag" when only the Mini Chain Bag's name matched (by "bag"), "the pink wool coat" of a
        wool coat that comes in no pink: when the products found lack a colour or a modifier the English text
        puts before a noun, the products of their categories that have all of them are meant instead.
        Not when it is what is asked ("is the tote leather", "do you have it in pink"): that is answered."""
        if not products or not normalized.isascii():
            return products
        before_a_noun = r"(?=\s+(?!or\b|and\b|one\b|ones\b|available\b|left\b|in\b|please\b|pls\b)[a-z])"
        wanted = [
            fragments
            for pattern, fragments in self._modifiers
            if rx.search(pattern.pattern + before_a_noun, normalized)
        ]
        colors = [
            zh for en, zh in COLOR_WORDS_EN.items() if rx.search(rf"\b{en}\b" + before_a_noun, normalized)
        ]
        if not wanted and not colors:
            return products

        def fits(product: Product) -> bool:
            name = self._normalized_name[product.sku] + " " + normalize(product.material)
            keys = [k for color in product.colors for k in _color_keys(color)]
            return all(any(_name_has(name, f) for f in fragments) for fragments in wanted) and all(
                any(zh in k or k in zh for k in keys) for zh in colors
            )

        if any(fits(p) for p in products):
            return products
        categories = {p.category for p in products}
        elsewhere = [p for p in self.catalog.products if p.category in categories and fits(p)]
        # A colour or modifier no product of theirs has changes nothing: the answer then says what there is.
        return elsewhere if 0 < len(elsewhere) <= 4 else products

    def not_contradicted(self, normalized: str, products: list[Product]) -> list[Product]:
        """ "长袖T恤" is not the 短袖T恤 its "袖T恤" matches: the products whose name does not say the opposite
        of what the text says right before a word they share (长/短, 高/低 ...)."""
        return [p for p in products if not _contradicts(normalized, self._normalized_name[p.sku])]

    def genuine_or_imitation(self, normalized: str, products: list[Product]) -> list[Product]:
        """Of several products, those that are what the text says: the real cashmere for "cashmere
        scarf", the 仿羊绒 one for "仿羊绒围巾"; all when that leaves none."""
        if len(products) < 2:
            return products
        kept = [p for p in products if not _imitation_differs(normalized, self._normalized_name[p.sku])]
        return kept or products

    def in_named_family(self, normalized: str, products: list[Product]) -> list[Product]:
        """ "kids hiking shoes" with no category word: of the products its words name, those of the family
        it says ("shoes": sneakers, sandals, boots), not the hiking pants and socks. When the English
        modifiers it asks for ("kids") fit none of those but fit products of that family elsewhere in the
        catalog, those are meant. `products` unchanged when the text names no family or nothing fits."""
        families = {
            c for pattern, family in CATEGORY_FAMILIES if rx.search(pattern, normalized) for c in family
        }
        if len(products) < 2 or not families:
            return products
        in_family = [p for p in products if p.category in families]
        if not in_family:
            return products
        if normalized.isascii():
            wanted = [fragments for pattern, fragments in self._modifiers if pattern.search(normalized)]

            def fits(product: Product) -> bool:
                text = self._normalized_name[product.sku]
                return all(any(_name_has(text, f) for f in fragments) for fragments in wanted)

            if wanted and not any(fits(p) for p in in_family):
                elsewhere = [p for p in self.catalog.products if p.category in families and fits(p)]
                return elsewhere or in_family
        return in_family

    def shopping_wish(self, normalized: str) -> ShoppingWish:
        """The constraints of a recommendation request: its kind or category words and price bound."""
        bound = PRICE_BOUND.search(normalized)
        max_price = float(next(g for g in bound.groups() if g)) if bound else None
        used = self.category_words_in(normalized)
        categories = set(used)
        for word in set(used.values()) & GENERIC_WORDS:
            # "100以内的裙子": 裙子 is a dress or a skirt, whatever category the shop's word list gives it.
            categories.update(
                c for pattern, family in CATEGORY_FAMILIES if rx.search(pattern, word) for c in family
            )
        # "推荐下秋衣秋裤": words of product names (3+ characters) say which products, before any family
        # word inside them (the 裤 of 秋裤) does. "配旗袍的小配件": what it goes with is not what is asked for.
        wanted = _GOES_WITH.sub(" ", normalized)
        named = self.by_name(wanted) if len(self.name_run(wanted).strip()) >= 3 else []
        if not categories and not named:  # "鞋子" when no category word ("凉鞋") says which shoes
            for pattern, family in CATEGORY_FAMILIES:
                if rx.search(pattern, normalized):
                    categories.update(family)
        kinds = tuple(named) or tuple(self.by_kind(wanted))
        audience = tuple(
            words
            for pattern, words in (*AUDIENCE_ZH, *_AUDIENCE_EN, *SEASON_NAMES)
            if rx.search(pattern, normalized)
        )
        # What the fields above read is not unread: category and kind words, families, bounds, audiences.
        rest = _WISH_WORDS.sub(" ", PRICE_BOUND.sub(" ", CHEAP.sub(" ", normalized)))
        rest = self._wish_words.sub(" ", rest)
        if self._kind_en is not None:
            rest = self._kind_en.sub(" ", rest)
        if self._kind_zh is not None:
            rest = self._kind_zh.sub(" ", rest)
        if named:
            rest = rest.replace(self.name_run(wanted), " ")
        rest = _REQUEST_FILLER.sub(" ", rest)
        unread = " ".join(rx.findall(r"[\u4e00-\u9fff]{2,}|[a-z]{3,}", rest))
        cheap = bool(CHEAP.search(normalized))
        return ShoppingWish(frozenset(categories), kinds, max_price, cheap, audience, unread)

    def rank_by_name_words(self, normalized: str, products: list[Product]) -> list[Product]:
        """Products whose name shares the most Chinese characters in a row (2+) with the request first
        ("推荐一双平底凉鞋": 一字带平底凉鞋); the order is kept otherwise."""
        text = self._zh_words.sub(" ", PATTERNS["recommend"].sub(" ", normalized))

        def shared(product: Product) -> int:
            run = longest_common_run(self._normalized_name[product.sku], text)
            chinese = sum(1 for ch in run if "\u4e00" <= ch <= "\u9fff")
            return chinese if chinese >= 2 else 0

        return sorted(products, key=shared, reverse=True)

    def material_words_in(self, normalized: str, material: str) -> bool:
        """Whether an English material word of the text ("cashmere") is in a (Chinese) material."""
        return any(
            pattern.search(normalized) and any(_name_has(material, f) for f in fragments)
            for pattern, fragments in self._modifiers[:_MATERIAL_MODIFIERS]
        )

    def without_product_words(self, normalized: str, product: Product) -> str:
        """The text less the words that name this product: its name run, its category's words, the kinds
        it is one of. Other products' words stay ("羽绒服帽子能拆吗": 帽子 is the coat's hood here)."""
        text = normalized
        run = self.name_run(text)
        if len(run) >= 2 and run in self._normalized_name[product.sku]:
            text = text.replace(run, " ")
        for word in self._words_naming(product):
            if word not in text:
                continue  # most of a product's words are not in a given message: no pattern to run
            if word.isascii():
                text = rx.sub(rf"(?<![a-z]){re.escape(word)}(?:e?s)?(?![a-z])", " ", text)
            else:
                text = text.replace(word, " ")
        return " ".join(text.split())

    def _words_naming(self, product: Product) -> list[str]:
        """The category and kind words that name the product, longest first; read once per product."""
        words = self._naming_words.get(product.sku)
        if words is None:
            name = self._normalized_name[product.sku]
            words = longest_first(
                [
                    *self._categories.get(product.category, ()),
                    *(word for word, owners in self._kind_of_word.items() if product in owners),
                    # "27号外套能机洗吗" of 摇粒绒外套 (filed as a jacket): any category word its name holds.
                    *(w for w in self._category_words if not w.isascii() and len(w) >= 2 and w in name),
                ]
            )
            self._naming_words[product.sku] = words
        return words

    def _unique_word(self, run: str) -> bool:
        if len(run) != 2 or not all("\u4e00" <= ch <= "\u9fff" for ch in run):
            return False
        owners = [p for name, p in self._names if run in name]
        if len(owners) != 1:
            return False
        # "真皮" in a belt's name is what the boots are made of too: attribute words name no product.
        if PATTERNS["material"].search(run):
            return False
        # A word ending in a garment noun ("布鞋", "棉袄") names the product even when its material repeats it
        # ("棉布鞋面"): it is what the thing is, not what it is made of.
        own_material = run in normalize(owners[0].material) and run[-1] not in GARMENT_HEADS
        return (
            not any(
                run in normalize(p.material)
                or run in normalize(p.description)
                or any(run in normalize(c) for c in p.colors)
                for p in self.catalog.products
                if p is not owners[0]
            )
            and not own_material
        )

    def _is_category_word(self, run: str) -> bool:
        return run.strip() in self._category_words

    def category_words_in(self, normalized: str) -> dict[str, str]:
        """category -> the word the text used for it."""
        found: dict[str, str] = {}
        for category, word, pattern in self._category_patterns:
            used = pattern.search(normalized) if pattern is not None else word in normalized
            # The most specific word the viewer used: "tote" over "bag" in "tote bag".
            if used and len(word) > len(found.get(category, "")):
                found[category] = word
        return found

    def categories_in(self, normalized: str) -> list[str]:
        return list(self.category_words_in(normalized))

    def by_category_and_color(self, normalized: str) -> list[Product]:
        used = self.category_words_in(normalized)
        if not used:
            return []
        products = [p for p in self.catalog.products if p.category in used]
        # "风衣" is a kind of coat: products whose own name says 风衣 are the ones meant. The category's
        # main word ("连衣裙", "毛衣") names the whole category, so it narrows nothing.
        # ... or whose description does ("A字短裙" of a Denim Mini Skirt).
        named = [
            p
            for p in products
            if self.named_as(p, used[p.category]) or used[p.category] in normalize(p.description.lower())
        ]
        primary = all(
            used[p.category] in self._primary.get(p.category, ())
            or used[p.category] in GENERIC_CATEGORY_WORDS
            for p in products
        )
        if not primary or (len(named) == 1 and not any(mentioned_colors(normalized, p)[0] for p in products)):
            # ... unless exactly one product is named by it and no colour narrows the choice instead.
            products = named or products
        if not named and not primary:
            # "皮衣" when no name says 皮衣: the products whose name holds what the word says they are made of
            # (真皮机车夹克), not every jacket.
            products = self._by_qualifier(used, products) or products
        colored = [p for p in products if mentioned_colors(normalized, p)[0]]
        # "white jacket": a white one, before a black-and-white one.
        colored = [
            p for p in colored if not all(_two_tone(c) for c in mentioned_colors(normalized, p)[0])
        ] or colored
        products = self.narrow_by_material_zh(normalized, used.values(), colored or products)
        products = self.narrow_by_name_words_zh(normalized, self.narrow_by_count(normalized, products))
        return self.narrow_by_modifiers(normalized, products)

    def named_as(self, product: Product, word: str) -> bool:
        """Whether the product's name says the category word. A plain word for the whole category is also
        said by the category's other plain words in either language ("coat": 羊毛大衣 as much as Trench
        Coat; "牛仔裤": baggy jeans), never a word for a kind of it ("风衣" is not every coat)."""
        name = self._normalized_name[product.sku]
        if _name_has(name, word):
            return True
        if word not in GENERIC_CATEGORY_WORDS and word not in self._primary.get(product.category, ()):
            return False
        words = (*CATEGORY_NAMES_ZH.get(product.category, ()), *CATEGORY_NAMES_EN.get(product.category, ()))
        return any(
            _name_has(name, normalize(w))
            for w in words
            if normalize(w) in GENERIC_CATEGORY_WORDS
            or normalize(w) in self._primary.get(product.category, ())
        )

    def _by_qualifier(self, used: dict[str, str], products: list[Product]) -> list[Product]:
        """Products whose name holds the material a category word names ("皮" of 皮衣, "羽绒" of 羽绒服)."""
        found: list[Product] = []
        for product in products:
            word = used[product.category]
            qualifier = word[:-1]
            if word.isascii() or word[-1] not in GARMENT_HEADS | {"服"} or not qualifier:
                continue
            if len(qualifier) == 1 and qualifier not in _MATERIAL_CHARS:
                continue  # "短" of 短外套 is a cut, not a material: too loose to narrow by
            if qualifier in self._normalized_name[product.sku]:
                found.append(product)
        return found

    def narrow_by_material_zh(
        self, normalized: str, category_words: Iterable[str], products: list[Product]
    ) -> list[Product]:
        """ "亚麻衬衫": of several candidates, those whose name or material holds a Chinese material word of
        the text (one the catalog's materials use, 2+ characters); all of them when none or all do."""
        if len(products) < 2 or normalized.isascii():
            return products
        text = normalized
        for word in longest_first(category_words):
            text = text.replace(word, " ")  # "羊毛衫" names sweaters, not wool ones
        words = [w for w in self._material_words if w in text]
        if not words:
            # "鹅绒马甲" of a "白鹅绒" material: the part of a material word the viewer said (2+ characters).
            parts = {longest_common_run(w, text) for w in self._material_words}
            words = [w for w in parts if len(w) >= 2 and all(_is_cjk(ch) for ch in w) and not _PART.search(w)]
        if not words:
            return products

        def says(product: Product) -> bool:
            # "100%棉" is 纯棉 as much as a name that says 纯棉.
            said = self._normalized_name[product.sku] + " " + normalize(product.material)
            said += " " + rx.sub(r"100%\s*([\u4e00-\u9fff])", r"纯\1", said)
            return any(w in said for w in words)

        fits = [p for p in products if says(p)]
        return fits if fits and len(fits) < len(products) else products

    def narrow_by_weight(self, normalized: str, products: list[Product]) -> list[Product]:
        """ "200多斤能穿的连衣裙": of several candidates, those whose sizes carry a weight range (a plus-size
        shop's "5XL(200-220斤)") that holds the viewer's weight; all of them when none or all do."""
        if len(products) < 2:
            return products
        jin = rx.search(r"(\d{2,3})\s*多?\s*斤", normalized)
        kg = rx.search(r"(\d{2,3})\s*(?:kg|公斤|千克)", normalized)
        if jin is None and kg is None:
            return products
        weight = int(jin.group(1)) if jin else int(kg.group(1)) * 2  # type: ignore[union-attr]

        def holds(product: Product) -> bool:
            ranges = (_WEIGHT_RANGE.findall(size) for size in product.sizes)
            return any(int(lo) <= weight <= int(hi) for found in ranges for lo, hi in found)

        fits = [p for p in products if holds(p)]
        return fits if fits and len(fits) < len(products) else products

    def _name_words(self, normalized: str) -> str:
        """The text less what never says which product: question words, category and kind words, the
        words viewers address each other with."""
        return _ADDRESS.sub(" ", self._zh_words.sub(" ", PATTERNS_ANY.sub(" ", normalized)))

    def named_elsewhere(self, normalized: str, products: list[Product]) -> list[Product] | None:
        """ "拼色风衣还有吗" when no coat says 拼色 but a jacket does: a Chinese word of the text that none
        of the candidates holds (name or material) and a few other names do. Returns those others when
        their category is of the candidates' family (a jacket for a coat), [] when not (neither fits:
        silence), None when there is no such word."""
        if not products or normalized.isascii():
            return None
        # "双肩包防水吗": the word a yes/no question ends on is what is asked of the bag, not which product
        # (a rain jacket's name says 防水 too).
        rest = self._name_words(_ASKED_OF_IT.sub(" ", normalized))
        inside = max(
            _name_word_length(f"{self._normalized_name[p.sku]} {normalize(p.material)}", rest)
            for p in products
        )
        scores = [(_name_word_length(name, rest), p) for name, p in self._names]
        top = max(score for score, _ in scores)
        if top < 2 or inside >= top:
            return None
        owners = [p for score, p in scores if score == top]
        if len(owners) > max(3, len(self._names) // 3):
            return None  # a shop-wide word
        categories = {p.category for p in products}
        return [p for p in owners if _related(p.category, categories)]

    def by_material_zh(self, normalized: str) -> list[Product]:
        """Products whose name or material holds a Chinese material word of the catalog that the text
        says ("珊瑚绒"), longest word first; [] when the text says none."""
        for word in self._material_words:
            # A part's material ("EVA鞋底", "内里") is not what the product is made of.
            if len(word) >= 2 and word in normalized and not _is_color_word(word) and not _PART.search(word):
                return [
                    p
                    for p in self.catalog.products
                    if word in self._normalized_name[p.sku] or word in normalize(p.material)
                ]
        return []

    def by_headed_word_zh(self, normalized: str) -> list[Product]:
        """ "羊毛袜" of a "美利奴羊毛徒步袜": a word of names (2-4 characters) and, after it, the garment
        head the viewer put on it (袜); the products whose name has both, in that order. [] when none."""
        for i, head in enumerate(normalized):
            if head not in GARMENT_HEADS:
                continue
            for size in (4, 3, 2):
                word = normalized[max(0, i - size) : i]
                if len(word) < size or not all("\u4e00" <= ch <= "\u9fff" for ch in word):
                    continue
                if any(word + head in name for name, _ in self._names):
                    return []  # "冲锋衣" is a name word as it stands: the name matching owns it
                fits = [
                    p
                    for p in self.catalog.products
                    if (at := self._normalized_name[p.sku].find(word)) >= 0
                    and head in self._normalized_name[p.sku][at + size :]
                ]
                if fits:
                    return fits
        return []

    def narrow_by_name_words_zh(self, normalized: str, products: list[Product]) -> list[Product]:
        """ "恐龙T恤": of several candidates found by a kind or category word, those whose name shares the
        longest Chinese word (2+ characters) with the rest of the text; all of them when none or all do."""
        if len(products) < 2 or normalized.isascii():
            return products
        rest = self._name_words(normalized)
        scores = [_name_word_length(self._normalized_name[p.sku], rest) for p in products]
        top = max(scores)
        fits = [p for p, score in zip(products, scores, strict=True) if top and score == top]
        if not fits or len(fits) == len(products):
            return products
        # A word a third of all names share ("儿童" in a children's shop, "大码" in a plus-size one) says
        # what the shop sells, not which one.
        word = longest_common_run(self._normalized_name[fits[0].sku], rest).strip()
        owners = sum(1 for name, _ in self._names if word in name)
        return fits if owners <= max(3, len(self._names) // 3) else products


# An English kind word -> the name words of its kind(s).
_KIND_BY_WORD: dict[str, tuple[str, ...]] = {
    word: tuple(f for words, fragments in KIND_WORDS if word in words for f in fragments)
    for words, _ in KIND_WORDS
    for word in words
}
# Counts and measures that follow a product's noun ("5双装", "3件套", "6mm", "1.5l", "upf50+"): not its head.
_COUNT_SUFFIX = re.compile(
    r"\d+\s*(?:件套|件装|条装|双装|块装|只装|个装|包装|支装|片装|套装|件|条|双|块|只|个|套|装)|"
    r"\d+(?:\.\d+)?\s*(?:mm|cm|ml|l|kg|g)(?![a-z])|\bupf\s*\d+\+?"
)


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _ends_part(name: str, fragment: str) -> bool:
    """Whether the fragment ends a part of the name: the Chinese part, or a word of the English one."""
    if fragment.isascii():
        return (
            rx.search(rf"(?<![a-z0-9]){re.escape(fragment)}(?:e?s)?(?![a-z0-9])(?! [a-z])", name) is not None
        )
    at = name.find(fragment)
    while at >= 0:
        end = at + len(fragment)
        if end == len(name) or not _is_cjk(name[end]):
            return True
        at = name.find(fragment, at + 1)
    return False


_MEN_ASKED = re.compile(r"(?<!wo)\bmen'?s?\b|\bmale\b|\bguys?\b|男士|男款|男生|男式")
_MEN_NAMED = re.compile(r"(?<!wo)\bmen'?s?\b|男")
_WOMEN_ASKED = re.compile(r"\bwomen'?s?\b|\bladies\b|\bfemale\b|女士|女款|女生|女式")
_WOMEN_NAMED = re.compile(r"\bwomen'?s?\b|\bladies\b|女")
_KIDS_SAID = re.compile(
    r"儿童|童|孩子|小孩|宝宝(?!们)|\bkids?\b|\bchild|\bbaby\b|\bboys?\b|\bgirls?\b|\btoddler"
)
_ADULTS_ASKED = re.compile(r"\badults?\b|成人|大人")
_ADULTS_NAMED = re.compile(r"成人|\badults?\b")
_KIDS_NAMED = re.compile(
    r"儿童|童装|童款|男童|女童|宝宝|婴儿|\bkids?'?\b|\bchildren'?s?\b|\bbaby\b|\btoddler|\b(?:boy|girl)s?'?\b"
)
# The question around a description ("black blazer how much", "旗袍多少钱呀"): not a name word.
_DESCRIPTION_QUESTION = re.compile(
    r"多少钱|多钱|价格|什么价|几块|怎么卖|还有货|还有吗|有货吗|有吗|有没有|多少|呀|啊|呢|吗|的|那个|这个|宝宝们|宝宝|主播|"
    r"\b(?:how|much|is|are|the|a|an|price|prices|cost|costs|what|whats|what's|of|for|in|stock|still|available|"
    r"left|do|does|you|u|have|any|pls|please|it|this|that|one|save|sale|off|discount)\b"
)
# Opposite modifiers: a name that says one where the viewer said the other is another product.
_OPPOSITES = (
    ("长", "短"),
    ("高", "低"),
    ("厚", "薄"),
    ("宽", "窄"),
    ("男", "女"),
    ("深", "浅"),
    ("大", "小"),
)


_SALE_WORDS = frozenset(
    {"预售", "现货", "新款", "爆款", "清仓", "特价", "限量", "限定", "热卖", "同款", "福袋"}
)
_MEASURE_WORD = re.compile(r"[头腰胸臀领臂腿脚掌手]围|[脚手衣裤裙袖]长|身高|体重|肩宽")


def _short_question(normalized: str) -> str | None:
    """The text less its question phrases, when what is left is short (12 characters or fewer): names
    read loosely (split, in parts, by a head word) are weaker evidence, taken only there."""
    text = QUESTION_PHRASES.sub(" ", normalized)
    return text if len(text.replace(" ", "")) <= 12 else None


# Characters of questions and chat, never of the two words that name a product.
_NOT_NAME_CHARACTERS = frozenset("吗呢吧啊呀的了是不有没么我你他她这那个还多少钱几什啥怎哪能可以要想请问")


@functools.lru_cache(maxsize=4096)
def _name_words_zh(name: str) -> tuple[str, ...]:
    """The Chinese words of a name as written, bracketed notes left out ("帆布工作围裙 多口袋【预售】")."""
    return tuple(rx.findall(r"[\u4e00-\u9fff]+", rx.sub(r"[(（【\[].*?[)）】\]]", " ", name)))


def _holds_split(name: str, run: str) -> bool:
    """Whether the name holds the run cut in two (two characters or more first), other characters between,
    the second part ending the name's Chinese words: "真丝吊带睡裙" holds 真丝睡裙; "真丝睡裙眼罩礼盒" (a box)
    does not hold 真丝眼罩."""
    # Each Chinese word of the name as written ("帆布工作围裙 多口袋" holds 帆布围裙 in its first word).
    for head in _name_words_zh(name):
        for cut in range(2, len(run)):
            first, last = run[:cut], run[cut:]
            at = head.find(first)
            if at >= 0 and head.endswith(last) and len(head) - len(last) > at + cut:
                return True
    return False


_IMITATION = r"(?:仿|人造|\bfaux |\bimitation |\bfake )"


def _imitates(text: str, word: str) -> bool:
    return any(f"{mark}{word}" in text for mark in ("仿", "人造", "faux ", "imitation ", "fake "))


def _imitation_differs(text: str, name: str) -> bool:
    """ "羊绒围巾" is not the 仿羊绒 (faux cashmere) scarf; "仿羊绒围巾" is not the cashmere one."""
    for match in rx.finditer(_IMITATION + r"([\u4e00-\u9fff]{2}|[a-z]{3,})", name):
        if match.group(1) in text and not _imitates(text, match.group(1)):
            return True
    for match in rx.finditer(_IMITATION + r"([\u4e00-\u9fff]{2}|[a-z]{3,})", text):
        if match.group(1) in name and not _imitates(name, match.group(1)):
            return True
    return False


def _contradicts(text: str, name: str) -> bool:
    if _imitation_differs(text, name):
        return True
    for a, b in (*_OPPOSITES, *((b, a) for a, b in _OPPOSITES)):
        for at in (m.start() for m in rx.finditer(a, text)):
            follower = text[at + 1 : at + 2]
            if (
                follower
                and "\u4e00" <= follower <= "\u9fff"
                and b + follower in name
                and a + follower not in name
            ):
                return True
    return False


def _name_has(name: str, word: str) -> bool:
    """ "bag" is not in "baguette": an ASCII word must start on a word edge (a plural may follow)."""
    if not word.isascii():
        return word in name
    return rx.search(rf"(?<![a-z0-9]){re.escape(word)}(?:e?s)?(?![a-z0-9])", name) is not None


def _ends_every_name(word: str, names: list[str]) -> bool:
    """Whether a Chinese word (3+ characters) ends the Chinese part of each name: its head noun ("碳纤维折叠
    登山杖（一对）", "铝合金三节伸缩登山杖（单支）")."""
    if len(word) < 3 or not all("\u4e00" <= ch <= "\u9fff" for ch in word) or len(names) > 8:
        return False
    return all(rx.search(rf"{re.escape(word)}(?![\u4e00-\u9fff])", name) for name in names)


def _cuts_a_word(run: str, name: str, text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether, everywhere the run occurs in the text, it cuts through a category or kind word there
    ("肩包" in "披肩包邮吗") or is a piece of one the name does not have ("小方" of "小方巾")."""
    if not spans or not run:
        return False

    def cuts(start: int, end: int, a: int, b: int) -> bool:
        if end <= a or b <= start or (start <= a and b <= end):
            return False  # apart, or the word lies inside the run
        return not (a <= start and end <= b and text[a:b] in name)

    start = text.find(run)
    while start >= 0:
        end = start + len(run)
        if not any(cuts(start, end, a, b) for a, b in spans):
            return False
        start = text.find(run, start + 1)
    return True


def _is_color_word(run: str) -> bool:
    stripped = run.strip()
    return (
        stripped in COLOR_WORDS_EN
        or stripped.removesuffix("色") in COLOR_STEMS_ZH
        or (len(stripped.removesuffix("色")) == 1 and stripped.removesuffix("色") in COLOR_CHARS_ZH)
    )


def _model_code(run: str) -> bool:
    """ "X3", "R7", "P33": a letter-and-digit code is a name even when it is short."""
    stripped = run.strip()
    return bool(rx.fullmatch(r"[a-z]\d{1,3}|\d{1,3}[a-z]", stripped))


def _whole_ascii_words(run: str, *texts: str) -> bool:
    """ "size" inside "oversize" is not a name: an ASCII run must start and end on word edges in both."""
    stripped = run.strip()
    if not stripped or not stripped.isascii():
        return True
    name, *others = texts
    exact = rx.compiled(rf"(?<![a-z0-9]){re.escape(stripped)}(?![a-z0-9])")
    # The viewer may say it in the plural: "german trainers" names "German Trainer".
    plural = rx.compiled(rf"(?<![a-z0-9]){re.escape(stripped)}(?:e?s)?(?![a-z0-9])")
    return bool(exact.search(name)) and all(plural.search(text) for text in others)


def _unhyphen(text: str) -> str:
    """ "song-style" and "song style", "3-in-1" and "3 in 1" are one phrase (same length, so positions still
    match)."""
    return rx.sub(r"(?<=[a-z0-9])-(?=[a-z0-9])", " ", text)


def _common_words(name: str, text: str) -> str:
    """The longest run of whole ASCII words of `name` that `text` says as whole words."""
    words = rx.findall(r"[a-z0-9]+", name)
    best = ""
    for i in range(len(words)):
        for j in range(i + 1, len(words) + 1):
            phrase = " ".join(words[i:j])
            if phrase not in name or not rx.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", text):
                break
            if len(phrase) > len(best):
                best = phrase
    return best


@functools.lru_cache(maxsize=16384)  # the same name against the same message, from several look-ups
def longest_common_run(name: str, text: str) -> str:
    """The longest substring of `name` found in `text` (names are short: quadratic is fine)."""
    best = ""
    for i in range(len(name)):
        for j in range(i + len(best) + 1, len(name) + 1):
            chunk = name[i:j]
            if chunk not in text:
                break
            if chunk == chunk.strip() and len(chunk) > len(best):
                best = chunk
    return best
