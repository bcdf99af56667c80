"""What a viewer is asking about, from rules written for real live chat (Chinese and English).

Each intent has a pattern; a message may match several ("3号黑色有L吗" is colour and size). The caller
decides with the product facts at hand. Nothing here decides whether to answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.qa import rx
from bot.qa.faq import MADE_TO_MEASURE

# Letter sizes in any plus form: "xxl" reaches here as "2xl" (see `normalize`), so 2XL..9XL is one token.
SIZE_TOKEN = r"(?:[2-9]xl|xl|xs|s|m|l|均码|\d{2,3}(?:\.5)?)"

# A measurement ("腰带有多长", "how big is the clip"): a size question that only sizes written in units
# answer. Not an age ("适合多大") and not a time ("多长时间").
MEASURE_WORDS = (
    r"(?<!适合)多大(?!码|年龄|岁|了)|多长(?!时间)|多宽|长度|宽度|"
    r"\bhow (?:big|long|wide|large)\b|\bdimensions?\b|\bmeasurements?\b|\b(?:length|width)\b"
)
MEASURE = re.compile(MEASURE_WORDS)

# A garment's own measurement, which a description states per size ("27码腰围71cm", "L码衣长73cm"): the
# question's size, when it names one, must be in the quoted segment.
_HOW_MUCH_ZH = r"\s*(?:是|有|大概|大约|约)?\s*(?:多少|多大|多长|多宽|多高|几)"
_WHAT_EN = r"\b(?:what(?:'s| is| are)?|whats|how (?:wide|long|big|high|tall) (?:is|are)) (?:the )?"


def _measure(zh: str, en: str) -> str:
    """ "腰围多少", "what's the waist", "waist measurement": a measurement asked; "腰围31有吗" and "有哪些腰围"
    ask for a size."""
    return (
        rf"(?:{zh}){_HOW_MUCH_ZH}|(?:{zh})\s*(?:[2-9]?x{{0,3}}[sml]|xs|\d{{2,3}})\s*码?{_HOW_MUCH_ZH}|{_WHAT_EN}(?:{en})\b|\b(?:{en}) (?:width|length|measurement|in cm|size(?!\s*\d))\b|"
        # "pants waist for M?", "neck size for L"
        rf"\b(?:{en})(?: size| width| length)? (?:for|of|on|in|at) (?:size |a |an )?(?:xs|s|m|l|xl|[2-9]xl)\b|"
        rf"\b(?:{en})(?: size| width| length)? (?:for|in|of) size \d{{2}}\b|"
        rf"\b(?:{en})\b.{{0,15}}\bhow many (?:cm|inch(?:es)?)\b"
    )


# (how it is asked, how the listing states it).
_MEASURE_TABLE: tuple[tuple[str, str], ...] = (
    (_measure("腰围", r"waist(?:band)?"), r"腰围|\bwaist"),
    (_measure("臀围", r"hips?"), r"臀围|\bhips?\b"),
    (_measure("胸围", r"chest|bust"), r"胸围|\bchest\b|\bbust\b"),
    (_measure("肩宽", r"shoulders?"), r"肩宽|\bshoulder"),
    (_measure("袖长", r"sleeves?"), r"袖长|\bsleeve"),
    (_measure("领围", r"neck|collar"), r"领围|\bneck\b|\bcollar\b"),
    (
        _measure("鞋?内长|脚长", r"insole|inner length|foot length") + r"|内长\s*$",
        r"内长|\binsole\b|\binner length\b",
    ),
    (_measure("衣长", r"top"), r"衣长"),
    (_measure("裤长", r"inseam|leg"), r"裤长|\binseam\b"),
    (_measure("裙长", r"skirt"), r"裙长"),
    (_measure("帽檐", r"brim"), r"帽檐"),
    (_measure("[前后]?裆", r"rise"), r"裆"),
    (_measure("脚口|裤脚", r"leg opening"), r"脚口"),
    (_measure("靴筒|筒高", r"shaft"), r"筒高|靴筒"),
    (_measure("鞋跟|跟高", r"heels?") + r"|跟多高|多高的跟|\bheel height\b", r"跟"),
    (r"多宽|宽度|带宽|\bhow wide\b|\bwidth\b", r"宽度?\s*约?\s*\d"),
    # "1号多长" of a dress: its 裙长 ("裙长S 108cm / M 110cm"), a chain's 全长.
    (
        r"多长(?!时间)|长度|\bhow long (?:is|are)\b|\bhow long\s*\??\s*$|\blength\b",
        r"长度?\s*约?\s*\d|[衣裤裙]长|全长|总长",
    ),
    (r"多高(?!的人)|高度|\bhow tall\b|\bheight of\b", r"高度?\s*约?\s*\d"),
)
MEASURE_ASKED = re.compile("|".join(asked for asked, _ in _MEASURE_TABLE))
# A measurement is stated with its number: "可裁剪长度" says no length.
GARMENT_MEASURES = tuple((asked, rf"(?:{stated})(?=.*\d)") for asked, stated in _MEASURE_TABLE)
# How a product's sizes run ("偏大吗", "码数准吗", "does it run small"): what the listing says of its fit,
# never the size list (which does not say it).
FIT_ASKED = re.compile(
    r"偏大|偏小|码数?(?:准|正)|尺码(?:准|正)|码准不准|准不准|标准码|正码|拍大|拍小|大还是小|小还是大|大一码|小一码|大半码|小半码|"
    r"脚背高|脚面高|脚宽|宽脚|脚胖|\bruns? (?:small|big|large)\b|\btrue to size\b|\bsize (?:up|down)\b|"
    r"\bwide feet\b|\bhalf (?:a )?size\b|\bfit (?:small|big|large)\b"
)
FIT_STATED = (
    r"偏大|偏小|偏宽|偏窄|宽楦|窄楦|标准|正常|正码|平时尺码|平时码|拍大|拍小|大半码|小半码|大一码|小一码|选大|选小|"
    r"\bruns? (?:(?:one|a|half a) size )?(?:big|small|large)\b|\btrue to size\b|\bsize (?:up|down)\b|"
    r"\b(?:oversized?|relaxed|slim|regular|loose|boxy) fit\b|\bfits? (?:true|small|big|large)\b"
)
# A shop's variants that are no colours, asked by their own name: its colour column holds them.
FLAVOURS_ASKED = r"口味|什么味的|啥味的|几种味|\bflavou?rs?\b"
SCENTS_ASKED = r"香型|\bscents?\b"
# Materials of hard goods a viewer names to ask what a product is made of ("是钛的吗", "wood or plastic").
_HARD_MATERIALS_ZH = "不锈钢|铝合金|实木|黄铜|纯铜|亚克力|硅胶|乳胶|陶瓷|玻璃|塑料|金属|树脂|大理石|竹子|木头|铁|钢|铝|铜|钛|竹|瓷|石"
_HARD_MATERIALS_EN = (
    "wood|wooden|metal|steel|stainless|iron|aluminium|aluminum|brass|copper|titanium|glass|plastic|ceramic|"
    "porcelain|acrylic|silicone|resin|bamboo|marble|stone"
)
PATTERNS: dict[str, re.Pattern[str]] = {
    "price": re.compile(
        r"多少钱|多钱|几多钱|好多钱|几钱|几块(?![\u4e00-\u9fff])|几块钱|几块[啊呀呢哦嘛吖哇]|几元|多少米|\${2,}|价格|价钱|价位|啥价|什么价|怎么卖|咋卖|到手价|多少一件|卖多少|"
        r"(?:号|这个|这件|这款|\d)\s*多少\s*$|\bhow much\b(?! [a-z]+ (?:per|can|fits?|at once)\b)|\bprice[sd]?\b|\bcosts?\b|\bhow expensive\b"
    ),
    "discount": re.compile(
        r"优惠|打折|折扣|几折|\bog price\b|\borig price\b|原来多少|原来卖|之前多少|之前卖|以前多少|以前卖|平时多少|平时卖|平常卖|日常价|"
        r"\bwas (?:the )?price\b|\bprice (?:was|before)\b|\bwas how much\b|\bbefore the (?:sale|discount|live)\b|"
        r"\bused to (?:cost|be)\b|\b(?:regular|normal|full|usual) price\b|"
        r"\b(?:go|goes|went|gone|come|came|drop(?:s|ped)?) down\b|\bmarked down\b|\boriginal\b|\d(?:\.\d)?折|[一二三四五六七八九](?:五)?折|半价|\bpromos?\b|\bpromotions?\b|便宜|降价|降了(?:多少|几)|降多少|减了多少|少了多少|省多少|省了|原价|划线价|减多少|活动价|"
        r"\bdiscount|\bon sale\b|\bany deals?\b|\b\d+% off\b|%\s*off\b|\bpercent(?:age)? off\b|\bhow much off\b|\bcheaper\b|\boriginal price\b|\boriginally\b|\busual price\b|平时(?:啥|什么|多少)价|平时卖|原来多少|以前多少|之前多少|\bsave\b|\bsaving"
    ),
    "stock": re.compile(
        r"有货|现货|还有吗|还有没|还有几|有没有货|库存|没货|卖完|售罄|没了吗|没有了吗|卖没了|还剩|剩几|剩多少|还有多少|剩下|抢光|断货|能拍吗|"
        r"有几(?:件|条|双|个|套)了|"
        r"快(?:要)?(?:没|卖完|抢完|卖光)了|"
        r"能买吗|还能买|卖光|抢光|(?:号|链接|这个|这件|这款|这双|这条)\s*(?:是不是|已经|都)?(?:卖|抢)?没(?:有)?了|\bin stock\b|\bavailable\b|\bavail\b|\bsold out\b|\b(?:any|how many|still|only) (?:\w+ )?left\b|"
        r"\bhow many\b(?: #?[\w-]+){0,6} left\b|\bleft how many\b|\bleft in stock\b|\bstock\b|\bcan i (?:still )?buy\b|"
        r"\bstill (?:there|got|around)\b|\b(?:all )?gone\b|\bhow many (?:left|remaining)\b|"
        r"\b(?:do|did) (?:you|u) (?:still )?have\b|\bstill have\b|有吗|有没有\s*$"
    ),
    "size": re.compile(
        r"尺码|尺寸|码数|几码|多大码|什么码|啥码|多大的码|哪些码|哪个码|哪码|几个码|选码|均码|半码|大小|腰围|领围|最[大小][码号]|"
        # "M码胸围多少", "衣长多长": a size's measurement; "L码适合多重": whom a size is for.
        r"(?:胸围|臀围|衣长|裤长|袖长|肩宽|裙长|内长)\s*(?:是|有|大概|大约)?\s*(?:多少|多大|多长|几)|"
        r"(?:[sml]|xl|\d{2,3})\s*码\s*(?:的)?\s*(?:胸围|臀围|衣长|裤长|袖长|肩宽|裙长|适合|多少斤|多重|多高)|"
        r"最[大小](?:是|有|到)?(?:多少|几)(?:码|号)|"
        # "头围62戴几号", "穿多大号": the size, said with 号 (a link is "几号链接", never worn).
        r"(?:穿|戴|拍|选|买)\s*(?:几号|多大号|什么号|啥号|哪个号|哪号)(?!链接)|"
        r"\b(?:smallest|biggest|largest) size\b|(?<!\d)1[4-9]\d\s*(?:cm|厘米)?\s*(?:能穿|穿得下|可以穿|穿哪|穿什么|选哪)|"
        + MEASURE_WORDS
        + r"|"
        r"有" + SIZE_TOKEN + r"(?:码|的)?(?:吗|么|没|不)|"
        r""
        + SIZE_TOKEN
        + r"码|\b(?:have|got) (?:an? )?(?:size )?(?:[2-9]xl|xs|s|m|l|xl|\d{2})\b|\bsizes?\b|\bin (?:[2-9]xl|xs|s|m|l|xl|size \d+)\b|"
        r"\b(?:xs|xl|[2-9]xl)\b|\bwaist\b|\bcollar (?:size|\d{2})\b|\bhalf sizes?\b|\bthere an? (?:xs|s|m|l)\b|\bcome in (?:[2-9]xl|xs|s|m|l|xl|\d+)\b"
    ),
    "color": re.compile(
        r"颜色|配色|花色|什么图案|哪些图案|啥图案|什么色|啥色|几个色|哪些色|几种色|有没有[\u4e00-\u9fff]{1,3}色|有[\u4e00-\u9fff]{1,3}色\s*$|有[\u4e00-\u9fff]{1,3}色(?:吗|么|没|的吗)|[\u4e00-\u9fff]色(?:吗|呢|有吗|有没有)|"
        r"(?<![\d.])(?:黑|白|灰|蓝|红|粉|绿|棕|米|卡其|驼|黄|紫|杏|橙|藏青|酒红|雾霾蓝|燕麦|纯白|纯黑|条纹|格纹|格子|印花|碎花|透明)色?的?"
        r"(?:吗|么|呢|有吗|有没有|还有吗)|"
        r"\bcolou?rs?\b|"
        rf"{FLAVOURS_ASKED}|{SCENTS_ASKED}|"
        r"\b(?:in|any|got|have|come in|comes in|available in|the|only|just|also) (?:(?:dark|light|deep|pale) )?(?:black|white|grey|gray|blue|navy|red|pink|green|"
        r"brown|beige|khaki|camel|cream|orange|olive|silver|gold|striped|caramel|oatmeal|apricot|champagne|mint|ivory|"
        r"coffee|lavender|lilac|maroon|mocha|purple|yellow|burgundy|wine|sand)\b|\b(?:black|white|grey|gray|blue|navy|red|pink|green|brown|beige|khaki|striped|plaid|checked)"
        r" (?:available|in stock|left|ones?|version)\b"
    ),
    "material": re.compile(
        r"材质|材料|面料|什么料|啥料|料子|成分|含量|充绒|填充|纯棉|羊绒|羊毛|真丝|真皮|帆布|鸭绒|鹅绒|什么皮|啥皮|是棉|含.{0,2}[棉毛绒]|"
        r"(?:什么|啥)[丝棉皮毛绒麻布]|加绒|什么做的|多重|重量|\bweigh(?:s|t)?\b|[丝棉毛绒麻]占(?:多少|几成|百分之)|占比|\bdown (?:fill|filling|content)|\bfilling\b|\bstuffing\b|\bpadding\b|\bfill(?:ing)? (?:power|weight)\b|\bmaterials?\b|\bfabric\b|\bmade of\b|\bingredients?\b|配料|\bcotton\b|\bwool\b|\bleather\b|\bpolyester\b|"
        r"\bsilk\b|\bcashmere\b|\bcanvas\b|\blinen\b|"
        # Jewellery: "是纯银吗", "耳针是银的吗", "is it real gold", "what metal is the ring".
        r"纯银|真银|银的|是银|925|真金|纯金|[kK]金|镀金|包金|合金|钛钢|\bmetal\b|\bsterling\b|\breal (?:gold|silver)\b|"
        r"\bgold[- ]plated\b|"
        # Fibre names: "是莫代尔的吗", "is it modal".
        r"莫代尔|天丝|竹纤维|涤纶|锦纶|氨纶|聚酯纤维|粘胶|醋酸|\bmodal\b|\btencel\b|\blyocell\b|"
        r"\bnylon\b|\bspandex\b|\bviscose\b|\bchiffon\b|\bice[- ]silk\b|\bbamboo\b|"
        # Hard goods: "3号什么木的", "是钛的吗", "what wood is this", "is link 1 solid wood", "ceramic or titanium".
        rf"(?:什么|啥)(?:{_HARD_MATERIALS_ZH}|木|材|绳)|是(?:{_HARD_MATERIALS_ZH})(?:做)?的(?:吗|么|不|嘛|呀)|"
        rf"\bwhat (?:kind of |type of )?(?:wood|metal|steel)\b|\bsolid wood\b|"
        rf"\b(?:is|are) (?:it|they|this|that|link \d+|#\d+|(?:the|this|that) \w+) (?:made of |real |solid |pure )?(?:{_HARD_MATERIALS_EN})\s*(?:$|\?)|"
        rf"\b(?:{_HARD_MATERIALS_EN}) or (?:{_HARD_MATERIALS_EN})\b"
    ),
    "shipping": re.compile(
        r"发货|几天发|几天能发|多久发|多久能发|几号(?:能|可以)?发|哪天(?:能|可以)?发|(?:什么|啥)时候能发|几时发|能发(?:吗|不|么)|几天能到|多久能到|什么时候发|啥时候发|几天到|多久到|快递|顺丰|包邮|包不包邮|免运费|运费|邮费|寄到|能寄|配送|"
        r"\bship(?:ping|s|ped)?\b|\bshipping free\b|\bdeliver(?:y|ed)?\b|\bpostage\b|\bfree shipping\b|\bdispatch"
    ),
    "recommend": re.compile(
        r"推荐|推一下|买什么|买哪个|选哪个|哪个好|哪款好|适合我|有什么好|种草|热卖|爆款|卖得最好|卖的最好|"
        r"\brecommend|\bwhat should i (?:buy|get)\b|\bsuggest|\bwhich one should\b|\bany recommendations?\b|"
        r"\bbest ?sell|\bmost popular\b|"
        # "上幼儿园背什么书包好", "穿啥好看": asking what to pick, not a size or a colour.
        r"(?:穿|背|戴|送|选|买)(?:什么|啥|哪个|哪款)(?!码|尺码|号|颜色|色|价).{0,4}(?:好|合适|好看|暖和|舒服|方便|凉快)|"
        r"最便宜|最实惠|最贵|\bcheapest\b|\bmost expensive\b|有(?:啥|什么)好(?:东西|物|货)|"
        r"^any \w+(?: \w+)? for\b|有没有.{1,6}(?:能穿|可以穿|适合)的|"
        r"\bgood (?:gift|present)\b|\bgift ideas?\b|\bgifts? (?:under|below)\b|\b(?:anything|something) (?:for|under)\b"
    ),
}

# "how much wool / down / fill": the quantity of a material or of something else, not the price.
HOW_MUCH_OF = re.compile(
    r"\bhow much of (?:it|this|that|them)\b|\bhow much (?:of (?:the |it )?)?(?:wool|cotton|cashmere|silk|down|"
    r"feathers?|polyester|spandex|elastane|nylon|linen|acrylic|viscose|rayon|leather|fill(?:ing)?|stuffing|padding)"
    # "how much wool coat" is the price of the Wool Coat: the material word must end the phrase.
    r"(?=\s+(?:in|is|are|does|do|there|inside|content|percentage|used)\b|\s*[?%]|\s*$)|"
    r"\bhow much (?:weight|room|space|time|longer|bigger|smaller|larger|wider|taller|percent)\b|\bhow much\s+\d+\s*%|"
    r"\bhow much (?:does|do|did|is|are|would) .{0,40}\bweigh\b"
)
PRICE_NOT_HOW_MUCH = re.compile(PATTERNS["price"].pattern.replace(r"|\bhow much\b", ""))
# "仓库在哪 / where do you ship from": where the goods are, which no catalog field or dispatch time says.
SHIPPED_FROM = re.compile(
    r"(?:从|在)哪|哪里发|哪儿发|什么地方发|哪个城市|哪个仓|仓库|发货地|\bwhere\b.{0,30}\b(?:from|warehouse)\b|"
    r"\bwarehouse\b|\bships? from\b"
)

# Words that make a message a question even without a question mark.
QUESTION_MARKERS = re.compile(
    r"[?？]|吗|么|呢|嘛|偏大偏小|偏小偏大|多少|多久|多长|多大|多宽|多重|多沉|多厚|多高|几|什么|啥|怎么|咋|哪|谁|还是|有没有|能不能|可不可以|可以.{0,6}[吗不]|是不是|"
    r"[不没]\s*$|(\w)[不没]\1|能.{1,4}不(?![了起过好到够住行])|"
    r"^(?:how|what|which|when|where|any|anything|whats|what's|hows|how's|wheres)\b|\bor not\b|"
    # Chat puts the question word anywhere ("this comes in what colours", "this ships when") or asks
    # with a please ("this one material pls").
    r"\b(?:what|which|when|where|how)\b|\b(?:pls|plz|please)\b|\bpolic(?:y|ies)\s*$|"
    r"\b(?:what|which) (?:\w+ )?size\b|\bshould i (?:get|buy|take|order|choose|pick|go for)\b|"
    # "if it gets cheaper after I order do I get money back": the question after a condition.
    r"\bif\b.{1,60}\b(?:do|does|can|could|will|would|should|is|are) (?:i|we|you|u|they|there)\b|"
    r"\bwhat now\b|\bwhat (?:do|should|can) i do\b|\bwho (?:pays?|covers?|is responsible|handles)\b|\bwho (?:do|should|can) i\b|\bcan i (?:get|have)\b|"
    r"^(?:is|are|do|does|did|can|could|will|would) (?:it|this|that|there|they|you|u|your|ur|all|i|we|these|those|the|link|everything|anything|"
    r"sold|my|an?|returns?|shipping|delivery|postage|exchanges?|refunds?|members?|coupons?|kids?|students?|"
    r"new|first|orders?|items?|shoes|bags|clothes)\b|^(?:recommend|suggest)\b"
)
# A viewer stating a problem or a wish ("i put the wrong address", "地址填错了", "想退货") needs the shop's
# policy as much as one asking; only the FAQ is consulted for these, never a product fact.
REQUEST = re.compile(
    r"填错|写错|拍错|选错|买错|\bwrong (?:address|size|colou?r|item|one)\b|\bi (?:put|wrote|typed|entered|used|"
    r"ordered|picked|chose) the wrong\b|\bi (?:want|need|would like|'d like) to\b|我?想(?:退|换|改|要发票|开发票)|"
    r"我要(?:退|换|改|开发票)|要开(?:个|张)?发?票|\b(?:i )?need an? (?:invoice|fapiao|receipt|refund)\b"
)
_AVAILABLE = re.compile(r"\bavailable\b")
# Whether the colour in the picture is the colour that arrives: the shop's colour-difference policy.
COLOR_TRUE = re.compile(
    r"色差|(?:颜色|色).{0,4}(?:一样|一致|准|偏)吗|\bcolou?rs? (?:difference|accurate|accuracy)\b|"
    r"\bcolou?rs? (?:\w+ ){0,2}(?:look|looks|be) (?:different|the same)\b|\bin real life\b|\birl\b"
)
# "when will the R7 be back in stock", "什么时候补货": a question for the restock policy.
RESTOCK_WHEN = re.compile(
    r"\b(?:when|will)\b.{0,30}\b(?:back in stock|restock(?:ed)?|come back|be back)\b|"
    r"什么时候.{0,6}(?:补货|到货|有货|补)|(?:还会|会不会|能不能|还能)(?:补货|补|再上|上架)"
)
# The shop's own cost ("成本多少", "what does it cost you to make"): no catalog field says it.
COST_TO_MAKE = re.compile(
    r"成本|进价|出厂价|\bcosts? (?:you|u|them|the shop) to (?:make|produce)\b|\bto make\b"
)
PURCHASE_BLOCKING = frozenset({"price", "stock", "size"})


@dataclass(frozen=True, slots=True)
class IntentMatch:
    names: tuple[str, ...]
    question_like: bool
    # A problem or wish stated without a question word: enough to look up the FAQ.
    request: bool = False

    @property
    def primary(self) -> str:
        return self.names[0] if self.names else "other"


# When several match, the first in this order is the one the answer leads with.
PRIORITY = ("stock", "size", "color", "discount", "price", "material", "shipping", "recommend")


# A body stated ("头围60", "250 jin", "我172 120斤") and a choice asked ("选啥", "fits?"): a size question.
_BODY_STATED = re.compile(
    r"\d{2,3}(?:\.\d)?\s*(?:斤|jin\b|kg|公斤|cm|厘米|岁)|(?:头围|头|身高|体重|腰围|胸围|脚长)\s*\d{2,3}|\b(?:i'?m|im) 1[4-9]\d\b"
)
_WHICH_ONE = re.compile(
    r"(?:选|拍|穿|戴|拿|要|买)\s*(?:啥|哪个|哪款|哪|几)|怎么选|\bfits?\b|\bwhich (?:one|size)\b|\bwhat size\b"
)


# "48号sold out了吗": an English word run into Chinese has no word edge; the patterns get one.
_SCRIPT_EDGE = re.compile(r"(?<=[\u4e00-\u9fff])(?=[a-z])|(?<=[a-z])(?=[\u4e00-\u9fff])")


def detect_intents(normalized: str) -> IntentMatch:
    spaced = _SCRIPT_EDGE.sub(" ", normalized)
    found = {name for name, pattern in PATTERNS.items() if pattern.search(spaced)}
    # "偏大还是偏小" asks how a product fits, which no catalog field says: a question for the size guide;
    # "能按我的尺寸做吗" asks for made to measure, a question for the shop's policy.
    if rx.search(
        r"偏大|偏小|正码|拍大|拍小|\brun(?:s)? (?:small|large|big)\b|\btrue to size\b|\bsize (?:down|up)\b",
        normalized,
    ) or rx.search(MADE_TO_MEASURE, normalized):
        found.discard("size")
    # "is the white jersey see through when wet": how sheer it is, which only the listing's words say.
    if "color" in found and rx.search(
        r"\bsee[- ]?through\b|\bsheer\b|透不透|会透|透吗|透光|透肉", normalized
    ):
        found.discard("color")
    # Fading and colour difference are quality questions, not which colours exist ("颜色会不会有色差" too).
    if "color" in found and (
        COLOR_TRUE.search(normalized)
        or (rx.search(r"掉色|褪色|串色", normalized) and not rx.search(r"颜色|什么色", normalized))
    ):
        found.discard("color")
    if "size" in found and "color" in found and not rx.search(r"\bsizes?\b|码|尺", normalized):
        found.discard("size")  # "does link 7 come in sand": "come in" a colour, not a size
    if "stock" in found and RESTOCK_WHEN.search(normalized):
        found.discard("stock")  # when it comes back is the restock policy, not today's stock
    if _BODY_STATED.search(normalized) and _WHICH_ONE.search(normalized):
        found.add("size")  # "头围60 头盔选啥", "link 29 fits 250 jin?": which size for that body
    if "size" in found and rx.search(r"码\s*(?:的)?\s*适合\s*(?:多重|多少斤|多高|身高|体重)", normalized):
        found.discard("material")  # "L码适合多重" asks whom L is for; no weight of the product
    if "price" in found and COST_TO_MAKE.search(normalized):
        found.discard("price")  # what it costs the shop is not what it costs the viewer
    # "how long to ship" / "多长时间到" ask a time, not a length.
    if (
        "size" in found
        and ("shipping" in found or "stock" in found)
        and not PATTERNS["size"].search(MEASURE.sub(" ", normalized))
    ):
        found.discard("size")
    if "price" in found and HOW_MUCH_OF.search(normalized) and not PRICE_NOT_HOW_MUCH.search(normalized):
        found.discard("price")  # "how much wool in this coat" asks the material
    if "shipping" in found and SHIPPED_FROM.search(normalized):
        found.discard("shipping")  # the dispatch time is not where it ships from
    # "is link 11 available in dark brown": "available" asks after the colour named, which the colour answer
    # gives (a sold-out product is said to be sold out whatever was asked).
    if (
        "color" in found
        and "stock" in found
        and not PATTERNS["stock"].search(_AVAILABLE.sub(" ", normalized))
    ):
        found.discard("stock")
    # A discount answer states the price too, so "优惠多少钱" needs only the discount.
    if "discount" in found:
        found.discard("price")
    names = tuple(name for name in PRIORITY if name in found)
    return IntentMatch(names, bool(QUESTION_MARKERS.search(normalized)), bool(REQUEST.search(normalized)))
