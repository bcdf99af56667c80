"""One message in, one grounded answer (or silence) out. Pure and synchronous: cheap enough for the loop.

Order of decisions: is it a question at all -> which product (link, name, category+colour, follow-up,
on screen) -> which facts -> compose. Any doubt on the way ends in silence, and question-like messages
that get silence are marked for the streamer's queue.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from bot.catalog import Catalog, Faq, Product
from bot.qa import rx
from bot.qa.answers import (
    HEAD_EN,
    HEAD_ZH,
    Phrasebook,
    ambiguous_text,
    asked_sizes,
    body_fit,
    canonical_size,
    facts_of,
    faq_text,
    intent_fact,
    lightest_text,
    no_such_link_text,
    product_text,
    recommend_text,
    shared_fact_text,
    sizes_measured,
    sold_out_no_date_text,
    sold_out_policy_text,
    weather_text,
    which_link_text,
)
from bot.qa.charts import sizes_before_measure
from bot.qa.details import (
    ASKS_A_SPEC,
    ATTRIBUTE_ASKED,
    BULK_ASKED,
    SIZE_ADVICE_ASKED,
    SPEC_ASKED,
    amount_asked,
    availability_note,
    bulk_terms,
    closest_detail,
    closest_detail_en,
    detail_text,
    feature_stated,
    fit_note,
    pack_count,
    part_stated,
    quote_listing,
    restock_note,
    states_amount,
)
from bot.qa.detector import QuestionDetector
from bot.qa.faq import BODY_MEASURE, FaqMatcher, categories_named, places
from bot.qa.homophones import Homophones
from bot.qa.intents import (
    FIT_ASKED,
    HOW_MUCH_OF,
    MEASURE_ASKED,
    PATTERNS,
    PRICE_NOT_HOW_MUCH,
    PURCHASE_BLOCKING,
    QUESTION_MARKERS,
    detect_intents,
)
from bot.qa.linking import (
    LINK_PATTERNS,
    ON_SCREEN,
    PRICE_BOUND,
    QUESTION_PHRASES,
    SEASON_NAMES,
    SECOND_LINK,
    LinkRef,
    ProductIndex,
    ShoppingWish,
    find_link,
    longest_common_run,
    mentioned_colors,
    names_a_color,
    zh_number,
)
from bot.qa.needs import NEED_MARGIN, NeedReader
from bot.qa.sizing import (
    BODY_WORDS,
    USUAL_SIZE,
    bra_size_stated,
    stated_measures,
    usual_fit,
    usual_size_said,
    without_measures,
)
from bot.qa.temperatures import (
    asked_temperature,
    asks_by_temperature,
    asks_fit,
    asks_warmest,
    fit,
    rating,
    without_temperatures,
)
from bot.qa.text import LISTING_CLAUSES, language, normalize
from bot.qa.verify import AnswerCheck
from bot.qa.weights import asks_heavier, asks_lightest, weight

PRODUCT_INTENTS = frozenset({"price", "discount", "stock", "size", "color", "material", "shipping"})
# Questions about the shop rather than one product: regions, size advice by body measurements.
SHOP_POLICY = re.compile(
    BODY_MEASURE + r"|新疆|西藏|青海|内蒙|偏远|港澳台|香港|澳门|台湾|国外|海外|国际|出国|"
    r"身高|体重|怎么选|选码|哪家快递|什么快递|指定快递|运费险|退|换货|发票|优惠券|领券|积分|会员|赠品|补货|客服|"
    r"怎么量|怎么测|如何测量|\bhow (?:do|can|should) i (?:figure out|measure|know|find out|check|work out)\b|"
    r"货到付款|改地址|色差|洗|正品|质量|隐私|快递袋|面单|看得出|看出来|\bprivacy\b|\bdiscreet"
)
# A viewer saying what they did or think ("我买了", "已拍", "颜色很正"), without a question.
STATEMENT = re.compile(
    r"我(?:已经)?(?:买|拍|下单|收到)了|已拍|已买|已下单|拍了|蹲发货|颜色(?:很|好|真|超|太)?正|很好看|绝了|好美|可惜|"
    r"(?:刚好|正好|刚刚好)\s*$|推荐大家|推荐给大家|安利给|强烈推荐|好评\s*$|"
    r"\b(?:looks?|is|are) (?:so |really )?(?:sick|fire|dope|lit|amazing|awesome|sooo? good)\b|我?已经有|我?(?:之前|以前|上次)?买过|终于(?:发货|到了|收到)|等了好久|无所谓|\bi (?:bought|ordered|got) (?:it|one|this)\b|\bi already (?:have|got|bought|ordered)\b|"
    r"\b(?:we|i) (?:got|bought|ordered) (?:it|one|this|that|them|last)\b|\bwe got\s*$|\bloves? (?:the|it|this|my|her|his)\b|"
    # Praise and sighs to the room: "the pink earmuffs are adorable", "5号那个颜色挺精神", "卖完了 sad".
    r"\b(?:is|are|looks?) (?:so |really |very |super )?(?:adorable|cute|gorgeous|pretty|beautiful|lovely|nice)\b|"
    r"(?:挺|真|好|很|超)(?:精神|好看|漂亮|可爱|显瘦|洋气)(?:啊|呀|哦|的)?\s*$|卖完了\s*(?:sad|哭|呜+)?\s*$|"
    r"\b(?:sad|so sad)\s*$"
)
# Where a parcel goes: remote regions, HK/Macau/Taiwan, abroad (the FAQ's words after `expand`).
REGION = re.compile(
    r"新疆|西藏|青海|内蒙|宁夏|甘肃|偏远|港澳台|香港|澳门|台湾|国外|海外|国际|出国|\babroad\b|\boverseas\b"
)
# Questions only a person can answer: about the streamer herself, or asking to compare products.
# A body part between ("主播脚多大码", "主播的腰多粗") still asks about her. Giveaways (福袋, 抽奖) are run by
# the streamer, not by shop policy.
PERSONAL = re.compile(
    r"\b(?:is|are|was) (?:the |our )?(?:host|hosts|streamer|presenter)s?\b|主播是(?:哪|不是|几|多|本地|马来|新加坡)|"
    r"主播(?:多大|几岁|哪里人|结婚|有对象)|主播(?:怀孕)?(?:几个月|多少周|几周)了?|主播(?:的)?(?:头围|腰围|胸围|臀围|脚长|三围|鞋码|尺码)|"
    r"主播(?:的)?(?:脚|腰|腿|手|头|肩|胸|个子|自己|身上)?(?:穿|多高|身高|体重|几码|多重|多大|平时|几斤|多少斤|多粗|什么码|多少码)|"
    r"^(?!.*(?:\bmodel|模特))(?:.*)\bwhat (?:\w+ )?size (?:are|is|do|does) (?:you|u|she|the host|the streamer)\b|"
    r"\b(?:your|the host'?s?|the streamer'?s?|her) (?:shoe |dress |clothes? |bra |cup )?size\b|"
    r"\b(?:the host'?s?|the streamer'?s?) (?:real )?name\b|主播(?:叫什么|的名字|名字)|"
    # "主播你是学生吗": who the host is, not the 小学生 set; "主播你身上这件" stays a product question.
    r"主播\s*你是(?!.*(?:号|链接|码|件|款|色|这|那))|"
    # "what's your name host", "how long have you been playing tennis": the host's own story.
    r"\byour (?:real )?name\b|\bhow long have (?:you|u) been\b|"
    r"\bhow (?:tall|heavy) (?:are|is) (?:you|u|she|the host|the streamer)\b|"
    r"福袋|抽奖|开奖|\bgiveaways?\b|\blucky draw\b|"
    # Their own order ("我的快递到哪了", "where is my parcel"): customer service looks it up, not the bot.
    r"^(?!.*(?:单号|怎么查|在哪看|在哪查|\btrack))(?:.*(?:快递|物流|包裹|订单|单子)(?:到哪|到了吗|在哪|怎么还没)|.*我的(?:快递|订单|包裹))|"
    r"\bwhere(?:'s| is) my (?:order|parcel|package)\b|\bmy (?:order|parcel|package) (?:hasn'?t|has not|still)\b|"
    # Asking her to try something on for the room ("能不能试穿一下XL", "上身看看").
    r"试穿一下|试一下|上身看看|上身试试|穿上看看|\btry (?:it|this|that) on\b|"
    # Or to show it ("show the back pls", "转过来看看"): the camera answers, not a fact.
    r"^(?:can (?:you|u) )?(?:show|zoom|turn|spin)\b|转过来|转一圈|看看背面|给看看|拿近|近一点|"
    # Her family and her life ("主播宝宝几个月了", "is the host pregnant too?") are hers to tell.
    # "主播宝宝 1号包邮吗" calls the host 宝宝 and asks of a link.
    r"主播(?:的)?(?:宝宝|孩子|娃|老公|男朋友|家人|妈妈)(?!.*(?:码|穿|\bsize|\d\s*号|链接|\blink))|"
    r"主播(?:是不是|也)?(?:怀孕了?|结婚了?|几岁了?|多大了|哪里人)(?:吗|么|呢|没|啊|呀)?\s*$|"
    r"\b(?:is|was) (?:the host|the streamer|she) (?:\w+ )?(?:pregnant|married|single)\b|"
    r"\bare (?:you|u) (?:\w+ )?(?:pregnant|married|single)\b|"
    r"\bhow old (?:is|are) (?:the host|the streamer|you|u|she|your|her)\b"
)
CHEAPER = re.compile(r"便宜|贵|\bcheaper\b|\bcheapest\b|\bmore expensive\b")
COMPARE = re.compile(
    r"哪个好|哪个更|哪款更|有什么区别|区别|对比|\bwhich (?:one )?is better\b|\bvs\.?\b|\bdifference\b"
)
# "is this real cashmere" asks what the product is made of: its material answers, not the authenticity policy.
AUTHENTICITY = re.compile(r"正品|真的|真假|假货|\bgenuine\b|\bauthentic\b|\breal\b|\bfake\b")
# A fact's name alone ("面料成分", "发货时间") while a product is shown: asked of that product.
TERSE_FACT = re.compile(
    r"(?:面料|材质|材料|成分|面料成分|材质成分|什么料子?|尺码|码数|尺码表|颜色|价格|价钱|运费|邮费|库存|发货时间|"
    r"material|fabric|sizes?|colou?rs?|price|shipping|size chart)\s*[?？。.!！]*"
)
# "3号啥时候补货", "when is the beret back": the shop's restock policy, of one product when one is named.
RESTOCK = re.compile(
    r"补货|返场|到货|再上|还会(?:上|有|补)|(?:什么|啥|几)时候(?:能|会|才)?有货|多久(?:能|会|才)?有货|"
    r"(?:什么|啥|几)时候(?:能|会|才)?有(?:呀|啊|呢)?\s*$|"
    r"\brestock|\bback in stock\b|\bcom(?:e|ing) back\b|\bbe back\b"
)
# A question after several things ("有几种长度", "哪些尺寸", "what lengths"): no one segment answers it.
SEVERAL_ASKED = re.compile(
    r"几种|几个|哪些|有什么|多少种|\bwhat (?:sizes|lengths|colou?rs|options)\b|\bwhich (?:sizes|lengths)\b"
)
# The shipping fee asked ("运费多少", "26号邮费", "shipping fee for this?"): a product's "no free shipping" does not say it.
FEE_ASKED = re.compile(
    r"(?:运费|邮费)\s*(?:多少|几|怎么算|是多少|呢)?\s*\??$|(?:运费|邮费)\s*(?:多少|几|怎么算)|多少(?:运费|邮费)|\bshipping (?:fee|cost|charge)s?\b|"
    r"\bhow much (?:is |for )?(?:the )?(?:shipping|postage|delivery)\b|\bpostage\b.{0,10}\bhow much\b"
)
# A care question ("能机洗吗", "how do I wash it"): a listing's own care note says it for that product.
CARE_ASKED = re.compile(r"洗|烘干|熨|晾|\bwash|\bdry[- ]?clean|\btumble|\biron(?:ing)?\b|\bbleach")
# "渔夫帽多少" asks the price; "裤长多少" asks a measurement the catalog does not have.
BARE_HOW_MUCH = re.compile(
    r"(?<![长宽高重围厚])多少(?:呀|啊|呢|哇)?\s*(?:宝宝|宝|主播|亲|姐妹们?|家人们)?\s*$"
)
# "一套多少", "3号多少": a price, where no measure word follows the 多少.
PRICE_OF_ONE = re.compile(
    r"(?:[一1](?:套|件|双|条|个|对)|号|这个|这件|这款|那个)\s*多少(?![克斤米码度升%个件双条页张罐枚粒颗袋杯瓶卷层档瓦毫])"
)
# A viewer's height or weight ("我168 120斤", "155/90斤", "5'3 and 130 lbs") and "what do I take".
BODY_STATED = re.compile(
    r"(?:身高|我|\bi'?m)\s*1[4-9]\d|1[4-9]\d\s*(?:cm|厘米)|\d{2,3}\s*(?:斤|kg|公斤|lbs?)\b|\d{2,3}\s*斤"
)
WHAT_TO_TAKE = re.compile(
    r"(?:穿|拍|选|买)(?:啥|什么|哪个|哪|几)|能穿|穿得下|穿得了|\b(?:which|what) size\b|\bsize for\b|\bcan i wear\b"
)
# What a yes/no question asks a product to be: "是A类吗", "是纯棉的吗", "is it waterproof".
NAME_PREDICATE = re.compile(r"是\s*([a-z0-9+\u4e00-\u9fff]{2,8}?)\s*(?:的)?\s*(?:吗|么|嘛|不)")
# Question words that follow a link number ("3号多少钱", "5号还有吗"): never a name word.
QUESTION_WORDS_ZH = re.compile(
    r"多少|多钱|还有|有货|有没|有吗|什么|怎么|几天|包邮|发货|尺码|颜色|材质|能不|可以|是不"
)
# An English product word, then a number that is not a size, a price or a count.
KIND_THEN_NUMBER = re.compile(
    r"\b([a-z]{3,}(?: [a-z]{3,})?) (?:(?:on|at|from) )?(?:link |#|no\.? ?)?(\d{1,3})\b(?!\s*(?:cm|mm|kg|%|yuan|rmb|码|号|元|块|斤|pairs?|pcs|pieces|pack|years?|yo)\b)"
    r"(?![.\d])"
)
# What a product can do or have done to it ("能拆吗", "可以机洗吗", "can i wash it").
CAN_IT = re.compile(r"能|可以|可不可以|会不会|\bcan (?:i|you|it|u)\b")
CAN_DO = re.compile(r"(?:能|可以|可不可以)(?:不能)?(?:机洗|水洗|手洗|干洗|洗|拆|烘干|熨|烫|调|折叠|卷|压缩)")
# The material a yes/no question asks about ("是真皮吗", "是不是纯棉的", "is it real leather").
MATERIAL_ASKED_OF = re.compile(
    r"(?:是不是|是)\s*(?:纯|真|正)?[\u4e00-\u9fff]{1,3}?(?:的)?\s*(?:吗|么|嘛|呀|啊|不)|"
    r"\b(?:is|are) (?:it|they|this|these|those|that)\s+(?:real |genuine |pure |100%? )?[a-z]+\s*\??$"
)
_SEASON_WORDS = frozenset(words for _, words in SEASON_NAMES)
# A FAQ match this close wins over product intents its words happen to share.
STRONG_FAQ = 0.85
CHATTER = re.compile(
    r"^(?:6+|哈+|h+a+|233+|好看|好美|主播好美.*|来了+|冲+|已拍|爱了|绝了|nice|love it|wow|lol|hi|hello|hey|"
    r"早上好|晚上好|大家好|主播好)$"
)

# Adverts and spam: a web address, a contact handle, "follow me / 点我头像 / 加v". Their product words
# ("cheap-bags.com") are the spammer's, never a question about this shop's products.
SPAM = re.compile(
    r"https?://|\bwww\.|\b[a-z0-9-]+\.(?:com|cn|net|org|io|shop|top|xyz|cc|me)\b|"
    r"\b(?:follow|subscribe to) (?:me|my|our)\b|\b(?:dm|message|pm) me\b|\bclick (?:the )?link\b|"
    r"加\s*(?:v|vx|wx|微信|微|qq|q)(?![a-z])|[vV]信|私聊|私信我|点我头像|看我主页|兼职|日赚|日入"
)


# "夏天穿什么凉鞋", "有没有适合冬天穿的汉服": a wish for picks, which no one listing's sentence answers.
WISH = re.compile(
    r"有没有(?:适合|合适)|(?:穿|买|戴|用|选)(?:什么|啥)|什么.{0,3}好|\bwhat (?:should|to|do you)\b|\bsuggest|\bgood for\b"
)
# "豆沙紫是几号", "橙色跑鞋是几号链接", "which link is the pink bra": the link number is what is asked.
WHICH_LINK = re.compile(
    r"(?:是|在)几号(?:链接)?\s*(?:啊|呀|呢|哦|吖)?\s*$|几号链接|哪个链接|有几个链接|\b(?:which|what) link\b"
)
# "有哪些", "which ones": a request for the list of what fits.
LISTING = re.compile(r"有哪些|哪些有|哪几款|\bwhich ones\b|\bwhat (?:do you have|have you got)\b")
# Asking for picks outright ("100以内的哺乳衣推荐一下") needs no question word.
ASKS_PICKS = re.compile(r"推荐|\brecommend|\bsuggest|\bgifts? (?:under|below|for)\b")
PRICIEST = re.compile(r"最贵|\bmost expensive\b|\bpriciest\b")
# A gift asked for, and a listing that sells one ("礼盒装", "送礼首选", "gift box").
GIFT_ASKED = re.compile(
    r"礼物|送礼|礼品|(?<![赠免])送(?:给|我|妈|爸|男|女|老|朋友|闺蜜|长辈|同事|人)|\bgifts?\b|\bpresent\b"
)
GIFT_SAID = re.compile(r"礼盒|礼物|送礼|礼品|\bgifts?\b")
# A product asked for by what it is for ("有适合跑步戴的帽子吗", "下雨骑车买哪个", "something for running at
# night?"): where the rules find nothing, the need reader's question.
NEED_ASKED = re.compile(
    r"适合|推荐|(?:穿|戴|用|买|拿|选)(?:什么|啥|哪个|哪款|哪种)|什么好|啥好|(?:穿|戴|用)的.{0,6}吗|"
    r"\bwhat should i\b|\bsomething (?:for|to)\b|\banything (?:for|to)\b|\bgood for\b|\bneed (?:a|an|some)\b|"
    r"\blooking for\b|\brecommend|\bsuggest"
)
CHEAPEST = re.compile(r"最便宜|最实惠|\bcheapest\b|\blowest price\b")


def _last_words(norm: str) -> str:
    """The message's last two words, chat endings left out ("dry bag orange got?" -> "bag orange")."""
    words = rx.sub(
        r"[?!.\s]+$|\s+(?:got|ah|lah|leh|pls|please|available|ya|yah)\b[?!.\s]*$", "", norm
    ).split()
    return " ".join(words[-2:])


def _only_a_body(norm: str) -> bool:
    """A link and a body and (nearly) nothing else: "32B in link 1?", "link 39 for 135 jin?" ask the size;
    "13号我160穿会拖地吗" asks something of the product, for that body."""
    rest = without_measures(norm)
    for pattern in LINK_PATTERNS:
        rest = pattern.sub(" ", rest)
    rest = BODY_WORDS.sub(" ", USUAL_SIZE.sub(" ", rest))
    rest = rx.sub(
        r"\d+(?:\.\d+)?\s*(?:cm|厘米|mm|斤|jin|kg|公斤|[a-g](?![a-z]))?|\b(?:for|in|my|is|at|of|size|the)\b|[我的吗呢?？\s]",
        "",
        rest,
    )
    return len(rest) <= 2


def _long(norm: str) -> bool:
    """More than a quick chat line: over 6 words, or over 30 characters."""
    return len(norm.split()) > 6 or len(norm) > 30


@dataclass(frozen=True, slots=True)
class Answer:
    answered: bool
    intent: str
    sku: str | None
    text: str
    language: str
    confidence: float = 0.0
    # A question the bot could not answer: the streamer should see it in the queue.
    queue: bool = False
    on_screen: bool = False
    # Why a composed answer was held back (see bot.qa.verify); empty when it was not.
    unanswered: str = ""
    # A need the rules found no product for ("有适合跑步戴的帽子吗"): the text the need reader should read
    # (bot.qa.needs), after which `answer(..., needs=...)` may recommend by it. Empty otherwise.
    wish: str = ""

    def as_json(self) -> dict[str, object]:
        return {"answered": self.answered, "intent": self.intent, "sku": self.sku, "text": self.text}

    @property
    def blocking(self) -> bool:
        """Price, stock and size questions stand between a viewer and a purchase: they go first."""
        return self.intent in PURCHASE_BLOCKING


# Words that say nothing of what a product is for ("平时走路多": 走路 does).
_UNSAID = frozenset({"平时", "日常", "经常", "总是", "每天", "比较", "特别", "一点", "时候"})


def said_of(unread: str, products: Sequence[Product]) -> list[Product]:
    """The products whose name or description says most of the unread request words: whole English words,
    or two-character pieces of the Chinese ones ("平时走路多" -> 走路 in "适合中老年日常走路")."""
    pieces: list[str] = []
    for word in unread.split():
        if word.isascii():
            pieces.append(word)
        else:
            pieces += [word[i : i + 2] for i in range(len(word) - 1) if word[i : i + 2] not in _UNSAID]
    if not pieces:
        return []
    scores = [sum(piece in normalize(f"{p.name} {p.description}") for piece in pieces) for p in products]
    top = max(scores, default=0)
    return [p for p, score in zip(products, scores, strict=True) if top and score == top]


# A price stated in a listing's clause ("200ml到手159元", "大号¥178").
_PRICE_STATED = re.compile(r"\d+(?:\.\d+)?\s*(?:元|块)|[¥￥]\s*\d|\brmb\s*\d|\d+\s*rmb")
# How much of it one buys: a volume, a weight, a count ("100ml", "3.5g", "10片", "80抽").
_AMOUNT = re.compile(r"\d+(?:\.\d+)?\s*(?:ml|毫升|l|升|g|克|kg|片|抽|粒|支|颗|袋)")
_AMOUNT_ASKED = re.compile(
    r"规格|多少\s*(?:毫升|ml|克|g|片|抽)|几\s*(?:毫升|ml|克|片|抽)|多大(?:瓶|支|罐|盒|包|袋|管|一?瓶)|多大容量|"
    r"\bhow (?:big|large|many ml)\b|\bhow much (?:product|is in it)\b|\bvolume\b|\bwhat sizes?\b"
)
# "how big is the jar", "瓶子尺寸": the container's measurements, which the amount sold does not give.
_DIMENSIONS_ASKED = re.compile(
    r"尺寸|直径|高度|长宽|多高|多宽|\b(?:jar|box|tin|bottle|glass|case|lid|dimensions?|diameter|height|tall|wide)\b"
)
# "这个是A还是B", "is this one A or B": a choice asked of the product on screen.
_EITHER_OF_THIS = re.compile(
    r"(?:这个|这款|这件|这双|这条|这只|这支|这瓶|这套)\s*(?:是|用的是|属于|算)[^，,。？?]{1,12}还是|"
    r"\bis (?:this|this one|it)\s+(?:a |an )?[a-z -]{2,25}\bor\b"
)


@functools.lru_cache(maxsize=8192)
def _name_parts(name: str) -> frozenset[str]:
    """A name's Chinese character pairs and Latin words (cached: read for every product on each message)."""
    text = normalize(name)
    pairs = {run[i : i + 2] for run in rx.findall(r"[\u4e00-\u9fff]{2,}", text) for i in range(len(run) - 1)}
    return frozenset(pairs | set(rx.findall(r"[a-z0-9]{2,}", text)))


def _name_likeness(a: Product, b: Product) -> float:
    """How much of two names is the same (Dice over their Chinese character pairs and Latin words): the
    versions of one product ("日式不粘平底煎锅 奶白色" / "… 墨绿色 加厚版") score high."""
    x, y = _name_parts(a.name), _name_parts(b.name)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def _side_by_side_text(facts: Sequence[tuple[Product, str]], lang: str) -> str:
    """ "5号 …：¥89；6号 …：¥99": each linked product's fact, one after the other."""
    if lang == "zh":
        return "；".join(f"{p.link}号 {p.name}：{fact}" for p, fact in facts)
    return "; ".join(f"link {p.link} {p.name}: {fact}" for p, fact in facts)


def _the_one(products: list[Product], fits: Callable[[Product], bool]) -> list[Product]:
    """Of several products, the only one that `fits`; all of them when none or several do."""
    if len(products) < 2:
        return products
    fitting = [p for p in products if fits(p)]
    return fitting if len(fitting) == 1 else products


class Answerer:
    def __init__(
        self,
        catalog: Catalog,
        faq: Faq | None = None,
        *,
        min_confidence: float = 0.6,
        seed: int | None = None,
        detector: QuestionDetector | None = None,
        reader: NeedReader | None = None,
        need_margin: float = NEED_MARGIN,
    ):
        self.catalog = catalog
        self.reader = reader
        self.need_margin = need_margin
        self.faq = faq
        self.min_confidence = min_confidence
        self._phrases = Phrasebook(random.Random(seed))
        self._index = ProductIndex(catalog)
        self._check = AnswerCheck(catalog)
        self._faq = FaqMatcher(faq, threshold=max(0.5, min_confidence))
        # The shop's restocking policy ("售罄款一般7-15天补货"), for a sold-out product's "when is it back"
        # however the viewer words it.
        self._restock_policy = next(
            (entry for entry in faq or () if RESTOCK.search(normalize(entry.question))), None
        )
        self.detector = detector
        self._words_named: dict[tuple[str, str | None, str], list[Product]] = {}
        self._number_named = ""  # "23号" when the message's number is part of names, not a link
        self._homophones = Homophones(
            (p.name for p in catalog.products),
            [*(p.description for p in catalog.products), *(f"{e.question} {e.answer}" for e in faq or ())],
        )
        self._sizes_sold = frozenset(canonical_size(s) for p in catalog.products for s in p.sizes)

    def answer(
        self,
        text: str,
        current_sku: str | None = None,
        previous_sku: str | None = None,
        popular: Sequence[str] = (),
        needs: Mapping[str, float] | None = None,
    ) -> Answer:
        """The rules' answer; with `needs` (the need reader's scores for `Answer.wish`), a recommendation by
        need where the rules found none. Runs no model: see `answer_now` for callers off the event loop."""
        text = self._by_sound(text)
        current_sku = self._version_meant(normalize(text), current_sku)
        reply = self._reply(text, current_sku, previous_sku, popular, needs)
        if not reply.answered:
            norm = normalize(text)
            reply = self._fits_weather(norm, current_sku) or self._amounts_sold(norm, current_sku) or reply
        if not reply.answered:
            return reply
        why = self._check.failed(
            normalize(text), reply.intent, reply.sku, reply.text, current_sku=current_sku
        )
        if why:
            # A true fact of the wrong kind: silence, and the streamer sees the question.
            return Answer(False, reply.intent, None, "", reply.language, queue=True, unanswered=why)
        if reply.intent == "price" and reply.sku is not None:
            reply = self._with_the_sizes_price(reply, normalize(text))
        if reply.intent == "faq" and reply.sku is None:
            # "寄新疆包邮吗 我买1号", "这件能退吗": the shop's policy, asked of one product: the answer is about
            # that product (one answer per product when several ask, and the streamer sees which).
            product = self._named_for_a_policy(normalize(text), current_sku)
            if product is not None:
                return replace(reply, sku=product.sku, on_screen=product.sku == current_sku)
        return reply

    def _by_sound(self, text: str) -> str:
        """ "铁关音还有吗": the 铁观音 of a name, typed by sound; only where the message as typed names no
        product or link and the corrected one does (a message that already names one keeps its words)."""
        corrected = self._homophones.correct(text)
        if corrected == text:
            return text
        typed, fixed = normalize(text), normalize(corrected)
        if find_link(typed).link is not None or self._by_words(typed, None) or PERSONAL.search(typed):
            return text  # named already, or about the host ("主播平时跑步配速多少" is no 女士跑步裙)
        return corrected if self._by_words(fixed, None) else text

    def _version_meant(self, norm: str, current_sku: str | None) -> str | None:
        """ "女款的多少钱", "what about the women's version", "304的还有吗", "绿色的有吗" while one version is on
        screen: the other version of it (same category, a name mostly the same) that the message's word says
        and the shown one does not. The shown product otherwise, and always when the message points at it
        ("这个") or names a product or link of its own."""
        current = self.catalog.by_sku(current_sku) if current_sku else None
        if current is None or ON_SCREEN.search(norm) or find_link(norm).link is not None:
            return current_sku
        if self._by_words(norm, current_sku):
            return current_sku
        shown = normalize(f"{current.name} {' '.join(current.colors)} {current.material}")
        versions = [
            p
            for p in self.catalog.products
            if p is not current and p.category == current.category and _name_likeness(p, current) >= 0.4
        ]
        if not versions:
            return current_sku
        by_sex = self._index.narrow_by_sex(norm, [current, *versions])
        if len(by_sex) == 1 and by_sex[0] is not current:
            return by_sex[0].sku
        # A body measure ("腰围72", "头围59") is the viewer's, and a kids' or men's version is for others.
        unasked = QUESTION_PHRASES.sub(" ", norm)
        asked = BODY_WORDS.sub(" ", rx.sub(r"\d+(?:\.\d+)?\s*(?:cm|kg|斤|厘米|公斤)?", " ", unasked))
        versions = [p for p in versions if self._index.same_people(p, current)]
        words = {w for w in rx.findall(r"[a-z]{3,}|\d{3,}[a-z]?", unasked) if w not in shown}
        words |= {
            run[i : i + 2]
            for run in rx.findall(r"[\u4e00-\u9fff]{2,}", asked)
            for i in range(len(run) - 1)
            if run[i : i + 2] not in shown
        }
        saying = [
            p
            for p in versions
            if any(w in normalize(f"{p.name} {' '.join(p.colors)} {p.material}") for w in words)
        ]
        if not saying:
            return current_sku
        best = max(_name_likeness(p, current) for p in saying)
        closest = [p for p in saying if _name_likeness(p, current) == best]
        return closest[0].sku if len(closest) == 1 else current_sku

    def _with_the_sizes_price(self, reply: Answer, norm: str) -> Answer:
        """ "爽肤水200ml的多少钱" where the listing prices its sizes apart ("价格为100ml，200ml到手159元"): the
        price answer, then the listing's words for that size's price."""
        product = self.catalog.by_sku(reply.sku or "")
        if product is None or len(product.sizes) < 2:
            return reply
        said = [s for s in product.sizes if len(s) >= 2 and normalize(s) in norm]
        if len(said) != 1:
            return reply
        size = normalize(said[0])
        for segment in LISTING_CLAUSES.split(product.description):
            clause = normalize(segment)
            if size in clause and _PRICE_STATED.search(clause.split(size, 1)[1]):
                quoted = segment.strip()
                extra = (
                    f"，详情页写着“{quoted}”" if reply.language == "zh" else f'; the listing says "{quoted}"'
                )
                return replace(reply, text=reply.text + extra)
        return reply

    def _amounts_sold(self, norm: str, current_sku: str | None) -> Answer | None:
        """ "5号爽肤水多大瓶", "卸妆水多少ml", "1号有几个规格", "how big is the mineral sunscreen", where the rules
        found nothing: a product sold by amount (its sizes 100ml/200ml, 3.5g, 10片) is as big as its sizes."""
        if not _AMOUNT_ASKED.search(norm) or _DIMENSIONS_ASKED.search(norm):
            return None
        product = self._one_product(norm, find_link(norm), current_sku)
        if (
            product is None
            or not product.sizes
            or not all(_AMOUNT.fullmatch(normalize(s)) for s in product.sizes)
        ):
            return None
        lang = language(norm)
        head = self._phrases.pick(("head", lang, product.sku, "amount"), HEAD_ZH if lang == "zh" else HEAD_EN)
        sizes = "/".join(product.sizes)
        text = head.format(**facts_of(product)) + (f"规格：{sizes}" if lang == "zh" else f"comes in {sizes}")
        return Answer(True, "size", product.sku, text, lang, 0.8, on_screen=product.sku == current_sku)

    def _fits_weather(self, norm: str, current_sku: str | None) -> Answer | None:
        """ "1号零下20度够吗", "is this one warm enough for -3 degrees", where the rules found nothing to say:
        the listing's own words for the weather the one product is for; the viewer judges."""
        if not asks_fit(norm):
            return None
        match = detect_intents(norm)
        if not match.question_like or set(match.names) & {"price", "stock", "shipping", "discount"}:
            return None
        unsaid = without_temperatures(norm)
        product = self._one_product(unsaid, find_link(unsaid), current_sku)
        rated = None if product is None else rating(product)
        if product is None or rated is None:
            return None
        lang = language(norm)
        text = quote_listing(product, [rated.said], lang, self._phrases)
        return Answer(True, "detail", product.sku, text, lang, 0.7, on_screen=product.sku == current_sku)

    def _named_for_a_policy(self, norm: str, current_sku: str | None) -> Product | None:
        """The one product a message names by its link, by "this one" with a product on screen, or by its
        words; None when it names none (a product on screen alone does not make "能开发票吗" about it)."""
        ref = find_link(norm)
        if ref.link is not None:
            return self.catalog.by_link(ref.link)
        if ref.on_screen and current_sku:
            return self.catalog.by_sku(current_sku)
        products = self._by_words(norm, current_sku)
        return products[0] if len(products) == 1 else None

    def answer_now(
        self,
        text: str,
        current_sku: str | None = None,
        previous_sku: str | None = None,
        popular: Sequence[str] = (),
    ) -> Answer:
        """`answer`, with the need reader run inline where the rules leave a need (`livebot ask`, the
        evaluation: no event loop to keep free). The bot reads needs in a worker thread instead."""
        answer = self.answer(text, current_sku, previous_sku, popular)
        if answer.wish and self.reader is not None:
            needs = self.reader.scores(answer.wish)
            answer = self.answer(text, current_sku, previous_sku, popular, needs)
        return answer

    def _reply(
        self,
        text: str,
        current_sku: str | None,
        previous_sku: str | None,
        popular: Sequence[str],
        needs: Mapping[str, float] | None = None,
    ) -> Answer:
        norm = normalize(text)
        lang = language(norm)
        if not norm or CHATTER.match(norm) or SPAM.search(norm):
            return Answer(False, "other", None, "", lang)
        if STATEMENT.search(norm) and not QUESTION_MARKERS.search(norm):
            # "3号我买了 颜色很正", "已拍3号 蹲发货": a viewer telling the room, not asking.
            return Answer(False, "other", None, "", lang)
        # Words of the product's own name are not the question: "真丝发圈多少" asks the price of the
        # scrunchie called 真丝发圈, not whether it is silk.
        run = self._index.name_run(norm) if find_link(norm).link is None else ""
        unnamed = " ".join(norm.replace(run, " ", 1).split()) if len(run) >= 2 else norm
        match = detect_intents(unnamed)
        intents = [name for name in match.names if name in PRODUCT_INTENTS]
        if intents == ["material"] and CAN_DO.search(unnamed):
            intents = []  # "羊毛衫能机洗吗": whether it can be machine-washed, not what wool it is
        if "price" in intents and HOW_MUCH_OF.search(norm) and not PRICE_NOT_HOW_MUCH.search(norm):
            # "how much wool in this coat" (its name says Wool Coat): the material's share, not the price.
            intents.remove("price")
            if "material" not in intents and PATTERNS["material"].search(norm):
                intents.append("material")
        if intents == ["stock"] and names_a_color(unnamed):
            intents = ["color", "stock"]  # "6号焦糖色还有吗", "available in army green": that colour first
        elif (
            not intents and match.question_like and unnamed.isascii() and names_a_color(_last_words(unnamed))
        ):
            intents = ["color"]  # "dry bag orange got?", "is the hermes scarf orange", "gold or silver?"
        # "我168 120斤 30号卫衣穿啥", "运动文胸下胸围76选什么": which size, for that body. An age alone does not
        # make one ("给5岁小孩买什么" wishes for picks).
        measured = {kind for kind, _, _ in stated_measures(norm)} - {"age", "months"}
        body = BODY_STATED.search(norm) or measured or bra_size_stated(norm) or usual_size_said(norm)
        if "size" not in intents and body and WHAT_TO_TAKE.search(norm):
            intents.append("size")
        elif not intents and body and find_link(norm).link is not None and _only_a_body(norm):
            intents = ["size"]  # "32B in link 1?", "#6 for underbust 82cm?": the size that body takes
        if asked_sizes(PRICE_BOUND.sub(" ", norm)) and "size" not in intents and match.question_like:
            # "xl有吗" asks about a size even when it reads like a stock question: answer the size.
            intents.append("size")
        if PERSONAL.search(norm) or (
            COMPARE.search(norm) and len(rx.findall(r"\d+\s*号|link\s*\d+", norm)) >= 2
        ):
            return Answer(False, match.primary, None, "", lang, queue=True)
        side_by_side = self._side_by_side(norm, intents, lang)
        if side_by_side is not None:
            return side_by_side
        ref = find_link(norm)
        if ref.link is not None and not ref.bare and (size_said := self._size_after_a_name(norm, ref.link)):
            # "宽版素圈14号有吗", "马丁靴42号多少钱": a size of the products just named, not link 14.
            norm, ref = size_said, LinkRef(on_screen=bool(ON_SCREEN.search(size_said)))
        if ref.link is None and WHICH_LINK.search(norm):
            if rx.search(r"主播|\bhost\b|\bstreamer\b", norm):
                # "主播身上穿的是几号链接": what the host wears is for the host to say.
                return Answer(False, "other", None, "", lang, queue=True)
            return self._which_link(norm, lang)
        if ref.bare and ref.link is not None and not self._bare_link(ref.link, current_sku, norm):
            ref = LinkRef(on_screen=bool(ON_SCREEN.search(norm)))
        self._number_named = ""
        if ref.link is not None and self._number_in_a_name(norm, ref.link):
            # "23号球衣": the #23 jersey, not link 23; the names holding "23号" are the candidates.
            held = f"{ref.link}号"
            self._number_named = held if self._index.names_holding(held) else f"#{ref.link}"
            ref = LinkRef(on_screen=bool(ON_SCREEN.search(norm)))
        elif ref.link is None and (held := self._number_named_in(norm)):
            self._number_named = held  # "is the away 10 shirt in stock"
        if ref.link is None and (link := self._kind_and_link(norm)) is not None:
            ref = LinkRef(link=link)
        if BULK_ASKED.search(norm) and set(intents) <= {"price", "discount", "shipping", "recommend"}:
            return self._bulk(norm, ref, current_sku, lang, match.primary)
        named = ref.link is not None or bool(self._by_words(norm, None))
        if (
            not named
            and _long(norm)
            and not ((match.question_like or match.request) and self._shop_question(norm))
        ):
            # A long message that names no product is usually talk ("gas prices are up", "the left needs
            # to calm down"): only a question, and one a trained detector calls a shop question, goes on.
            return Answer(False, match.primary, None, "", lang)
        # "雪地靴是羊皮毛一体吗": naming the product's own material asks what it is made of.
        if not intents and (named or ref.on_screen) and PRICE_OF_ONE.search(norm):
            # "8号珊瑚绒睡衣一套多少", "33号多少 牛仔的那个": the name's material says which one; the price is asked.
            intents = ["price"]
        if (
            not intents
            and match.question_like
            and (named or ref.on_screen)
            and self._names_material(norm, unnamed, ref, current_sku)
        ):
            intents = ["material"]
        if ref.link is None and not ref.on_screen and (asks_by_temperature(norm) or asks_warmest(norm)):
            # "东北零下20度穿哪个光腿神器": the listings say the weather each product is for.
            by_weather = self._by_weather(self._index.shopping_wish(norm), norm, lang)
            if by_weather is not None:
                return by_weather
        if ref.link is None and not ref.on_screen and asks_lightest(norm):
            lightest = self._lightest(self._index.shopping_wish(norm), norm, lang)
            if lightest is not None:
                return lightest
        if "recommend" in match.names and (match.question_like or len(norm) <= 12 or ASKS_PICKS.search(norm)):
            wish = self._index.shopping_wish(norm)
            # "有什么便宜的鞋子推荐" / "100块以内的裤子": the price words are the request's bounds, not a question;
            # "a warm coat that comes in 5XL": the size is one too.
            bounds = {"discount", "price"} if wish.cheap or wish.max_price is not None else set()
            if ASKS_PICKS.search(norm) or LISTING.search(norm):
                bounds |= {"material", "color"}  # "想给我妈买件真丝的 有啥推荐": the silk is the wish
            bounded = bool(set(intents) <= bounds | ({"size"} if asked_sizes(norm) else set()))
            if not intents or (bounded and ref.link is None):
                return self._recommend(wish, norm, lang, current_sku, popular, needs)
        if intents == ["size"] and ref.link is None and LISTING.search(norm) and asked_sizes(norm):
            # "6XL的有哪些": the products that come in that size.
            return self._recommend(self._index.shopping_wish(norm), norm, lang, current_sku, popular, needs)

        # "is the gift box on sale", "whats in the #50 gift box": words of the one product named (its "gift
        # box") are which product, not the shop's gift-wrapping policy.
        asked = norm
        named_one = self._named_one(norm, ref) if intents or ref.link is not None else None
        if named_one is not None and self._faq.match(norm) is not None:
            unnamed = self._index.without_product_words(norm, named_one)
            if self._faq.match(unnamed) is None:
                asked = unnamed
        if (ref.link is not None and not ref.bare) or ref.on_screen:
            # "6号寄西藏要加钱吗", "这件寄西藏要加钱吗": the link or "this one" says which product, no word of
            # the policy asked.
            for pattern in (*LINK_PATTERNS, ON_SCREEN):
                asked = pattern.sub(" ", asked)
            asked = " ".join(asked.split()) or norm
        expanded = self._faq.expand(asked)
        # Terse "3号价格" is a question in live chat; "omg this color" is not: without a question word, only
        # a named product or a purchase-blocking intent makes one.
        if not intents and (named or ref.on_screen) and BARE_HOW_MUCH.search(norm):
            # "渔夫帽多少" / "5号链接多少" / "现在这个鞋子多少"; not "17号跟差多少" of a listing that states a 跟差.
            intents = [] if self._stated_amount(norm, ref, current_sku) else ["price"]
        faq = self._faq.match(asked) if match.question_like or match.request else None
        # "啥时候有货" with a product on screen and no other named: the one on screen.
        of_one = named or ref.on_screen or (current_sku is not None and not self._by_words(norm, current_sku))
        if RESTOCK.search(norm) and of_one:
            # "5号什么时候补货": the listing's own date ("12月20日补货") before the shop's general policy.
            product = self._one_product(norm, ref, current_sku)
            if product is not None and (note := restock_note(product, lang, self._phrases)):
                return Answer(
                    True, "stock", product.sku, note, lang, 0.8, on_screen=product.sku == current_sku
                )
        if faq is not None and RESTOCK.search(norm) and of_one:
            # The policy alone would not say which product it is about, nor that it is sold out.
            product = self._one_product(norm, ref, current_sku)
            if product is not None and not product.in_stock:
                text = sold_out_policy_text(product, faq_text(faq.entry, lang, faq.also), lang, self._phrases)
                return Answer(
                    True, "faq", product.sku, text, lang, faq.score, on_screen=product.sku == current_sku
                )
        if faq is None and match.question_like and RESTOCK.search(norm) and of_one:
            # "7号什么时候补货" with no date in the listing and no restock policy: that it is sold out is a
            # fact; when it comes back is the streamer's to say, so the question goes to the queue too.
            product = self._one_product(norm, ref, current_sku)
            if product is not None and not product.in_stock and self._restock_policy is not None:
                # "when will this be back": worded unlike the FAQ's question, answered by its policy.
                policy = faq_text(self._restock_policy, lang)
                text = sold_out_policy_text(product, policy, lang, self._phrases)
                return Answer(True, "faq", product.sku, text, lang, 0.8, on_screen=product.sku == current_sku)
            if product is not None and not product.in_stock:
                return Answer(
                    True,
                    "stock",
                    product.sku,
                    sold_out_no_date_text(product, lang, self._phrases),
                    lang,
                    0.8,
                    queue=True,
                    on_screen=product.sku == current_sku,
                )
        about_product = named or ref.on_screen or (bool(intents) and current_sku is not None)
        words_name = self._by_words(norm, current_sku)
        one_product = ref.link is not None or ref.on_screen or len(words_name) == 1
        one_product = one_product or (current_sku is not None and not words_name)  # "are these real leather"
        if "material" in intents and about_product and one_product:
            # "is this real cashmere" of a 30% cashmere blend: the product's material is the answer; the
            # shop's authenticity promise would read as "yes, pure cashmere".
            expanded = AUTHENTICITY.sub(" ", expanded)
            if faq is not None and AUTHENTICITY.search(normalize(faq.entry.question)):
                faq = None
        elif "material" in intents and faq is not None and AUTHENTICITY.search(normalize(faq.entry.question)):
            # "羊绒是正品吗" of no one product: the shop's promise about all of them.
            return Answer(True, "faq", None, faq_text(faq.entry, lang, faq.also), lang, faq.score)
        if (REGION.search(expanded) or "abroad" in places(norm)) and set(intents) <= {
            "shipping",
            "price",
            "discount",
        }:
            # "西藏能发吗 要加钱吗": a product's free-shipping flag says nothing about remote regions or
            # abroad; only the shop's policy does, and without one the bot stays silent.
            if faq is not None:
                return Answer(True, "faq", None, faq_text(faq.entry, lang, faq.also), lang, faq.score)
            return Answer(False, "shipping", None, "", lang, queue=True)
        policy = bool(SHOP_POLICY.search(expanded)) and ref.link is None
        if policy and self._sized_for_the_body(norm, ref, current_sku):
            # "宋制三件套 我165穿哪个码": the named product's own size chart answers, not the shop's guide.
            policy, intents = False, ["size"]
        if (
            faq is not None
            and current_sku
            and not words_name
            and ref.link is None
            and CARE_ASKED.search(norm)
        ):
            # "能机洗吗" while the hand-wash-only sweater is shown: its own care note ("只能手洗"), not the
            # shop's general washing tips.
            shown_product = self.catalog.by_sku(current_sku)
            text = self._closest_segment(shown_product, unnamed, lang) if shown_product is not None else ""
            if shown_product is not None and text:
                return Answer(True, "detail", shown_product.sku, text, lang, 0.7, on_screen=True)
        if faq is not None and faq.score >= STRONG_FAQ and not about_product:
            # The message is close to a FAQ question ("直播间价格和平时一样吗"): that is what it asks.
            return Answer(True, "faq", None, faq_text(faq.entry, lang, faq.also), lang, faq.score)
        if (
            faq is not None
            and not set(intents) & {"price", "stock", "discount", "color"}
            and self._of_a_whole_category(norm, ref, current_sku, faq.entry.question)
        ):
            # "are the bag measurements exact": of bags in general, as the FAQ's bag entry speaks of them.
            return Answer(True, "faq", None, faq_text(faq.entry, lang, faq.also), lang, faq.score)
        # "shipping time for this one", "这个运费": a fact's name and the product on screen ask it, "?" or not;
        # a colour word beside "this one" is as often praise ("love the colour of this one").
        asks_of_shown = (
            ref.on_screen and bool(current_sku) and set(intents) <= {"shipping", "discount", "material"}
        ) or (bool(current_sku) and TERSE_FACT.fullmatch(norm) is not None)
        if (
            intents
            and not match.question_like
            and not named
            and not asks_of_shown
            and not set(intents) & PURCHASE_BLOCKING
        ):
            return Answer(False, intents[0], None, "", lang)
        if self._asks_within_a_budget(norm, ref, intents):
            # "any dress under 150?", "200以内的连衣裙有吗": the ones that fit the budget, not every dress.
            return self._recommend(self._index.shopping_wish(norm), norm, lang, current_sku, popular, needs)
        if intents and not policy:
            reply = self._product_answer(norm, lang, intents, ref, current_sku, previous_sku)
            if intents == ["shipping"] and FEE_ASKED.search(norm):
                return self._with_the_fee(reply, norm, lang)
            return reply
        shown = current_sku is not None and not words_name and ref.link is None
        if len(words_name) > 1 and current_sku and not ref.follow_up:
            # "合唱服能机洗吗" of the red and the navy choir sets while the red is shown: the red one's listing.
            words_name = [p for p in words_name if p.sku == current_sku] or words_name
        if faq is not None and (ref.link is not None or len(words_name) == 1 or shown):
            # "41号正码吗", "3号透不透", "雪地靴码数偏大吗", "裤长多少" with the trousers on screen: of one
            # product, what its own listing says comes before the shop's general advice.
            if ref.link is not None:
                product = self.catalog.by_link(ref.link)
            else:
                product = words_name[0] if words_name else self.catalog.by_sku(current_sku or "")
            text = (
                ""
                if product is None
                else detail_text(product, unnamed, lang, self._phrases, self._index.without_product_words)
            )
            if product is not None and not text and (ref.link is not None or shown):
                text = self._said_in_name(product, norm, lang)  # "2号是A类吗" of "A类纯棉长袖连体衣"
            if product is not None and not text and not WISH.search(norm):
                # "羊毛袜能机洗吗" of a listing that says "建议手洗": its own care note, not the cotton advice.
                closest = closest_detail if lang == "zh" else closest_detail_en
                text = closest(product, unnamed, lang, self._phrases, self._index.without_product_words)
            if product is not None and text:
                return Answer(
                    True, "detail", product.sku, text, lang, 0.7, on_screen=product.sku == current_sku
                )
        if faq is not None:
            return Answer(True, "faq", None, faq_text(faq.entry, lang, faq.also), lang, faq.score)
        if intents:
            # A policy-sounding product question the FAQ could not answer: try the product after all.
            return self._product_answer(norm, lang, intents, ref, current_sku, previous_sku)
        if match.question_like or SPEC_ASKED.search(norm):
            # "羽绒服帽子能拆吗", "does the qipao have a lining": only the product's description can say, and
            # only where it literally does.
            product = self._one_product(norm, ref, current_sku)
            if product is not None:
                text = pack_count(product, norm, lang, self._phrases) or detail_text(
                    product, unnamed, lang, self._phrases, self._index.without_product_words
                )
                if not text and "recommend" not in match.names and not WISH.search(norm):
                    # A wish ("夏天穿什么凉鞋") is the recommender's; the closest segment answers only questions.
                    closest = closest_detail if lang == "zh" else closest_detail_en
                    text = closest(product, unnamed, lang, self._phrases, self._index.without_product_words)
                if text:
                    return Answer(
                        True, "detail", product.sku, text, lang, 0.7, on_screen=product.sku == current_sku
                    )
        if match.question_like and NEED_ASKED.search(norm) and ref.link is None and not ref.on_screen:
            # "有适合跑步戴的帽子吗", "下雨骑车买哪个": a need no listing's words say; the need reader's turn.
            return self._by_need(self._index.shopping_wish(norm), norm, lang, needs)
        queue = match.question_like and len(norm) >= 4 and self._shop_question(norm)
        return Answer(False, "other", None, "", lang, queue=queue)

    def _with_the_fee(self, reply: Answer, norm: str, lang: str) -> Answer:
        """A product without free shipping, its fee asked: the shop's policy on what shipping costs
        ("标注不包邮的商品统一运费6元") after the product's own shipping facts, where the FAQ answers the
        question without the product's words closely and is not about remote regions (which the product's
        answer does not speak of)."""
        product = self.catalog.by_sku(reply.sku) if reply.answered and reply.sku else None
        if product is None or product.free_shipping:
            return reply
        asked = self._index.without_product_words(norm, product)
        for pattern in (*LINK_PATTERNS, ON_SCREEN):
            asked = pattern.sub(" ", asked)
        faq = self._faq.match(" ".join(asked.split()) or norm)
        if faq is None or faq.score < STRONG_FAQ or REGION.search(normalize(faq.entry.question)):
            return reply
        joiner = "。" if lang == "zh" else ". "
        return replace(reply, text=reply.text + joiner + faq_text(faq.entry, lang, faq.also))

    def _which_link(self, norm: str, lang: str) -> Answer:
        """The links of the products the words describe, by name, kind or a colour only they come in
        ("豆沙紫是几号"); up to three, else silence (a longer list answers nothing)."""
        found = self._by_words(norm, None)
        pool = found or list(self.catalog.products)

        def said_colour(product: Product) -> int:
            names = (
                normalize(c).removesuffix("色") for c in product.colors
            )  # "粉色" is the one character 粉
            return max((len(c) for c in names if len(c) >= 2 and c in norm), default=0)

        # A colour as the listing writes it, the longest said ("烟粉" over the 粉色 in "烟粉色"), before one
        # only like it.
        longest = max(map(said_colour, pool), default=0)
        exact = [p for p in pool if longest and said_colour(p) == longest]
        if exact or names_a_color(norm):
            found = exact or [p for p in pool if mentioned_colors(norm, p)[0]]
        if not 1 <= len(found) <= 3:
            return Answer(False, "other", None, "", lang, queue=True)
        sku = found[0].sku if len(found) == 1 else None
        return Answer(True, "other", sku, which_link_text(found, lang), lang, 0.8)

    def _bulk(self, norm: str, ref: LinkRef, current_sku: str | None, lang: str, intent: str) -> Answer:
        """ "5号买10条什么价", "批发价多少", "any discount if our class buys 30 tees": the product's bulk terms,
        else the shop's policy on them, else silence (the price of one would answer another question)."""
        product = self._one_product(norm, ref, current_sku)
        terms = bulk_terms(product, lang) if product is not None else ""
        if product is not None and terms:
            head = self._phrases.pick(
                ("head", lang, product.sku, "detail"), HEAD_ZH if lang == "zh" else HEAD_EN
            )
            text = head.format(**facts_of(product)) + terms
            return Answer(
                True, "discount", product.sku, text, lang, 0.8, on_screen=product.sku == current_sku
            )
        faq = self._faq.match(norm)
        if faq is not None:
            return Answer(True, "faq", None, faq_text(faq.entry, lang, faq.also), lang, faq.score)
        return Answer(False, intent, None, "", lang, queue=True)

    def _side_by_side(self, norm: str, intents: list[str], lang: str) -> Answer | None:
        """ "5号和6号哪个便宜", "price of 3 and 7": each linked product's fact, one after the other; None
        unless two or more links the catalog has are named and one fact is asked."""
        numbers = list(
            dict.fromkeys(
                zh_number(next(g for g in m.groups() if g))
                for pattern in (*LINK_PATTERNS[:5], SECOND_LINK)
                for m in pattern.finditer(norm)
            )
        )
        found = [self.catalog.by_link(n) for n in numbers if n]
        products = [p for p in found if p is not None]
        if len(products) != len(found) or not 2 <= len(products) <= 4:
            return None
        if (
            not intents
            and asks_heavier(norm)
            and not any(self._number_in_a_name(norm, p.link) for p in products)
        ):
            # "1号和51号哪个轻", "26和50哪个重": each one's weight as its listing gives it, or nothing.
            weighed = [(p, w[1]) for p in products if (w := weight(p)) is not None]
            if len(weighed) != len(products):
                return None
            return Answer(True, "other", None, _side_by_side_text(weighed, lang), lang, 0.8)
        if len(intents) != 1:
            return None
        if any(self._number_in_a_name(norm, p.link) for p in products):
            # "23号球衣和30号球衣哪个便宜": two jersey numbers, not links; the streamer compares them.
            return Answer(False, intents[0], None, "", lang, queue=True)
        intent = "price" if intents == ["discount"] and CHEAPER.search(norm) else intents[0]
        facts = [(p, intent_fact(p, intent, norm, lang, self._phrases)) for p in products]
        if not all(fact for _, fact in facts):
            return None
        return Answer(True, intents[0], None, _side_by_side_text(facts, lang), lang, 0.9)

    def _number_in_a_name(self, norm: str, number: int) -> bool:
        """ "23号球衣", "复古23号多少钱", "7号篮球", "the away 10 shirt" in a shop whose names say "洛城23号篮球球衣",
        "7号标准篮球", "Away Fan Shirt #10": the number is part of a name (a jersey number, a ball size) when a
        name holding "N号" or "#N" also holds the word the viewer put right after it or right before it
        ("客场23号", "away 10"). "1号M码" stays link 1."""
        names = [
            name
            for name, _ in (
                *self._index.names_holding(f"{number}号"),
                *self._index.names_holding(f"#{number}"),
            )
        ]
        if not names:
            return False
        for match in rx.finditer(rf"(?<![\d.#]){number}(?:\s*号(?!链接|链|宝贝))?(?![\d.])", norm):
            # A short window each side: the word next to the number, not the whole message.
            after = rx.match(
                r"[\u4e00-\u9fff]{2}|[a-z][\u4e00-\u9fff]|[a-z]{3,}",
                norm[match.end() : match.end() + 16].lstrip(),
            )
            before = rx.search(
                r"(?:[\u4e00-\u9fff]{2}|(?<![a-z])[a-z]{3,})$",
                norm[max(0, match.start() - 16) : match.start()].rstrip(),
            )
            for name in names:
                if after and after.group(0) in name and not QUESTION_WORDS_ZH.match(after.group(0)):
                    return True
                if (
                    before
                    and before.group(0) in name
                    and not rx.search(r"那个|这个|那件|这件|link|number|item", before.group(0))
                ):
                    return True
        return False

    def _number_named_in(self, norm: str) -> str:
        """A bare number of a message that names no link but is part of names ("the away 10 shirt")."""
        numbers = rx.findall(
            r"(?<![\d.#a-z])(\d{1,2})(?![\d.%]|\s*(?:码|元|块|cm|kg|斤|岁|件|条|双|个|l\b|号))", norm
        )
        for number in list(dict.fromkeys(numbers))[:3]:  # each number once, and a few: spam is not a question
            if self._number_in_a_name(norm, int(number)):
                return f"{number}号" if self._index.names_holding(f"{number}号") else f"#{number}"
        return ""

    def _size_after_a_name(self, norm: str, number: int) -> str:
        """The text with "N号" read as the size "N码" where the words before it name products that come in
        size N ("宽版素圈14号有吗"); "" when it is a link."""
        said = rx.search(rf"(?<![\d.#]){number}\s*号(?!链接|链)", norm)
        if said is None or said.start() == 0:
            return ""
        named = self._by_words(norm[: said.start()], None)
        if not any(str(number) in {canonical_size(s) for s in p.sizes} for p in named):
            return ""
        return f"{norm[: said.start()]}{number}码{norm[said.end() :]}"

    def _kind_and_link(self, norm: str) -> int | None:
        """ "running shoe 15 got half sizes", "jeans 6 waist": a kind of product and a number that is the
        link of one of that kind."""
        for match in KIND_THEN_NUMBER.finditer(norm):
            product = self.catalog.by_link(int(match.group(2)))
            if product is None or "size" in match.group(1).split():
                continue
            for word in {match.group(1), match.group(1).split()[-1]}:
                of_kind = self._index.by_kind(word) or self._index.by_kind(word + "s")
                categories = self._index.category_words_in(word)
                same = of_kind or [p for p in self.catalog.products if p.category in categories]
                # "chelsea boots 42": a size those products come in, not link 42.
                if any(match.group(2) in {canonical_size(s) for s in p.sizes} for p in same):
                    break
                if product in of_kind or (not of_kind and product.category in categories):
                    return product.link
        return None

    def _said_in_name(self, product: Product, norm: str, lang: str) -> str:
        """ "2号是A类吗" of "A类纯棉长袖连体衣": what a yes/no question asks the product to be, where its own
        name (as written) says so; '' otherwise."""
        asked = NAME_PREDICATE.search(norm)
        if asked is None or asked.group(1) not in normalize(product.name.lower()):
            return ""
        head = self._phrases.pick(("head", lang, product.sku, "detail"), HEAD_ZH if lang == "zh" else HEAD_EN)
        said = (
            f"名称就写着“{asked.group(1).upper()}”" if lang == "zh" else f'the name says "{asked.group(1)}"'
        )
        return head.format(**facts_of(product)) + said

    def _named_one(self, norm: str, ref: LinkRef) -> Product | None:
        """The one product the text names, by its link or its words; None for none or several."""
        if ref.link is not None:
            return self.catalog.by_link(ref.link)
        products = self._by_words(norm, None)
        return products[0] if len(products) == 1 else None

    def _stated_amount(self, norm: str, ref: LinkRef, current_sku: str | None) -> bool:
        """Whether the one product's listing gives a number to the word whose amount is asked."""
        product = self._one_product(norm, ref, current_sku)
        return product is not None and self._listing_states_the_amount(product, norm)

    def _listing_states_the_amount(self, product: Product, norm: str) -> bool:
        """ "17号跟差多少" of a listing with "跟差10mm": the word before 多少, less the product's own words."""
        amount = amount_asked(self._index.without_product_words(norm, product))
        return bool(amount) and states_amount(product, amount)

    def _asks_within_a_budget(self, norm: str, ref: LinkRef, intents: list[str]) -> bool:
        """A price bound of no one product ("under 150", "200以内"), asking what there is or costs."""
        bound = PRICE_BOUND.search(norm)
        if bound is None or ref.link is not None or ref.on_screen or MEASURE_ASKED.search(norm):
            return False
        if rx.search(r"(?:cm|厘米|斤|kg|公斤|岁|码)\s*(?:以内|以下|之内)", norm):
            return False  # "160cm以下" is a height
        # "cheap gift ideas under 50": a request, even where a word of it ("gift") is in one name.
        asking = bool(
            rx.search(r"\bideas?\b|\bsomething\b|\banything\b|有啥|有什么|有没有|推荐|想买|想要", norm)
        )
        return set(intents) <= {"price", "size", "stock", "recommend"} and (
            asking or len(self._by_words(norm, None)) != 1
        )

    def _bare_link(self, number: int, current_sku: str | None, norm: str) -> bool:
        """Whether a bare number ("is 42 in stock") is a link: one the catalog has, and not a size of the
        product on screen (where "42" is the shoe size asked about)."""
        if self.catalog.by_link(number) is None:
            return False
        current = self.catalog.by_sku(current_sku) if current_sku else None
        if current is None and PATTERNS["stock"].search(norm):
            # Nothing on screen: whether a size some product comes in is left ("43还有吗" in a shoe shop).
            return str(number) not in self._sizes_sold
        return current is None or str(number) not in {canonical_size(s) for s in current.sizes}

    def _of_a_whole_category(
        self, norm: str, ref: LinkRef, current_sku: str | None, entry_question: str
    ) -> bool:
        """Whether the text names products only by a category word that the FAQ entry's question names too,
        and no one product (by link, on screen or shown, or by name)."""
        if ref.link is not None or ref.on_screen or self._index.by_name(norm):
            return False
        asked = set(self._index.category_words_in(norm))
        current = self.catalog.by_sku(current_sku) if current_sku else None
        if current is not None and current.category in asked:
            return False  # "书包有几个尺寸" while the schoolbag is shown: that one
        return bool(asked) and asked <= categories_named(normalize(entry_question))

    def _sized_for_the_body(self, norm: str, ref: LinkRef, current_sku: str | None) -> bool:
        """Whether one product is named (or shown) and its sizes carry the body range the text measures."""
        products = self._by_words(norm, None) if ref.link is None else []
        current = self.catalog.by_sku(current_sku) if current_sku else None
        if current is not None and (not products or current in products):
            # "我家孩子身高115穿几码" while the kids' tee is shown: that tee's chart, not the shop's guide.
            products = [current]
        if len(products) != 1:
            return False
        # "平时穿42.5 洞洞鞋选啥": the usual size and how this listing says its sizes run.
        return body_fit(products[0], norm) is not None or usual_fit(products[0], norm) is not None

    def _one_product(self, norm: str, ref: LinkRef, current_sku: str | None) -> Product | None:
        """The one product the message is about: its link, its words, else the one on screen."""
        if ref.link is not None:
            return self.catalog.by_link(ref.link)
        products = self._by_words(norm, current_sku)
        if len(products) > 1 and current_sku and (ref.on_screen or not ref.follow_up):
            # Of the several the words name, the one on screen (as `_product_answer` picks); "this one" is the
            # one on screen even when the words fit others ("这个能斜挎吗" of a bag while crossbody bags exist).
            shown = [p for p in products if p.sku == current_sku]
            products = shown or ([] if ref.on_screen else products)
        if products:
            return products[0] if len(products) == 1 else None
        return self.catalog.by_sku(current_sku) if current_sku else None

    def _names_material(self, norm: str, unnamed: str, ref: LinkRef, current_sku: str | None) -> bool:
        """Whether the text (less the product's name) holds two or more characters of the one product's
        material, or a whole English word of it."""
        if ref.link is not None:
            products = [p for p in (self.catalog.by_link(ref.link),) if p is not None]
        else:
            products = self._by_words(norm, current_sku)
            if len(products) > 1 and ref.on_screen and current_sku:
                products = [p for p in products if p.sku == current_sku]  # "is this cashmere": the one shown
            if not products and ref.on_screen and current_sku:
                products = [p for p in (self.catalog.by_sku(current_sku),) if p is not None]
        if len(products) != 1 or not products[0].material:
            return False
        if CAN_IT.search(unnamed):
            return False  # "57号毛球能拆吗", "羊毛衫能机洗吗": what it can do, not what it is made of
        material = normalize(products[0].material)
        # "is this real cashmere": an English material word (here part of the name) that the material says
        # in Chinese ("30%羊绒").
        if (
            unnamed.isascii()
            and rx.search(r"\b(?:is|are)\b|\b(?:real|pure|genuine|100%?)\s", norm)
            and self._index.material_words_in(norm, material)
        ):
            return True
        piece = longest_common_run(material, unnamed).strip()
        if piece.isascii():
            edge = rf"(?<![a-z0-9]){re.escape(piece)}(?![a-z0-9])"
            return (
                len(piece) >= 3
                and rx.search(edge, unnamed) is not None
                and rx.search(edge, material) is not None
            )
        return sum(1 for ch in piece if "\u4e00" <= ch <= "\u9fff") >= 2

    def _shop_question(self, norm: str, without_detector: float = 1.0) -> bool:
        """The learned detector's say, where one is trained; without one, `without_detector` >= 0.5 decides."""
        if self.detector is None:
            return without_detector >= 0.5
        return self.detector.probability(norm) >= 0.5

    def _product_answer(
        self,
        norm: str,
        lang: str,
        intents: list[str],
        ref: LinkRef,
        current_sku: str | None,
        previous_sku: str | None,
    ) -> Answer:
        intent = intents[0]
        link = ref.link
        if link is not None:
            product = self.catalog.by_link(link)
            if product is None:
                return Answer(True, intent, None, no_such_link_text(link, lang, self._phrases), lang, 0.9)
            return self._compose(product, intents, norm, lang, on_screen=product.sku == current_sku)
        if (
            ref.on_screen
            and current_sku
            and (
                not self._index.by_name(norm)
                or self._index.names_only_an_attribute(norm)
                or self._a_kind_of_the_shown(norm, current_sku)
            )
        ):
            # "现在这个外套" is the product on screen, whatever category word the viewer used for it.
            current = self.catalog.by_sku(current_sku)
            if current is not None:
                return self._compose(current, intents, norm, lang, on_screen=True)
        candidates = self._index.narrow_by_weight(norm, self._by_words(norm, current_sku))
        if (
            current_sku
            and candidates
            and "material" in intents
            and not self._by_words(PATTERNS["material"].sub(" ", norm), None)
        ):
            # "纯棉的吗", "含氨纶多少" with the hoodie on screen: only the material asked names other products.
            shown_product = self.catalog.by_sku(current_sku)
            candidates = [shown_product] if shown_product is not None else candidates
        if "material" in intents and (asked := MATERIAL_ASKED_OF.search(norm)) is not None:
            # "乐福鞋是真皮吗": the material asked of the loafers does not say which loafer; every loafer's
            # material answers it.
            unasked = norm[: asked.start()] + " " + norm[asked.end() :]
            wider = self._index.narrow_by_weight(unasked, self._by_words(unasked, current_sku))
            if len(wider) > len(candidates) and set(candidates) <= set(wider):
                candidates = wider
        if len(candidates) > 1 and current_sku and (ref.on_screen or not ref.follow_up):
            # "is this cashmere" while one of the cashmere products is on screen: that one; and so for
            # "what size lab coat" while one of the lab coats is shown (the host is talking about it).
            candidates = [p for p in candidates if p.sku == current_sku] or candidates
        # "my head is 60cm": the body's words are not the product's ("Behind-the-head Earmuffs").
        candidates = self._check.best_fitting(
            without_measures(norm), self._index.only_one_has(norm, candidates)
        )
        if wanted := asked_sizes(norm) or sizes_before_measure(norm):
            # "maxi dress got 4XL ah?": of three maxi dresses, the one that comes in 4XL.
            candidates = _the_one(candidates, lambda p: set(wanted) <= {canonical_size(s) for s in p.sizes})
        # "咖啡色的打底裤多少": of four leggings, the one that comes in coffee brown.
        candidates = _the_one(
            candidates, lambda p: bool((said := mentioned_colors(norm, p))[0]) and not said[1]
        )
        if len(candidates) > 1:
            shared = shared_fact_text(candidates, intents, norm, lang)
            text = shared or ambiguous_text(candidates, lang, self._phrases, intents, norm)
            return Answer(True, intent, None, text, lang, 0.8)
        if len(candidates) == 1:
            product = candidates[0]
            return self._compose(product, intents, norm, lang, on_screen=product.sku == current_sku)
        # No product named: a follow-up means the viewer's last product, anything else the one on screen.
        chosen = None
        if previous_sku and (ref.follow_up or not current_sku):
            chosen = self.catalog.by_sku(previous_sku)
        if chosen is None and current_sku:
            chosen = self.catalog.by_sku(current_sku)
        if chosen is None:
            # "包邮吗" with nothing on screen is a shop question: the FAQ may answer it. "还有货吗" is not.
            faq = self._faq.match(norm) if intent in ("shipping", "discount", "size") else None
            if faq is not None:
                return Answer(True, "faq", None, faq_text(faq.entry, lang, faq.also), lang, faq.score)
            return Answer(False, intent, None, "", lang, 0.0, queue=True)
        return self._compose(chosen, intents, norm, lang, on_screen=chosen.sku == current_sku)

    def _a_kind_of_the_shown(self, norm: str, current_sku: str) -> bool:
        """ "这个枕头" with the latex pillow on screen: the name words said are only a two-character kind
        word of the shown product's category (枕头 is in the buckwheat pillow's name; this is still a pillow)."""
        current = self.catalog.by_sku(current_sku)
        run = self._index.name_run(norm).strip()
        named = self._index.by_name(norm)
        return (
            current is not None
            and len(run) == 2
            and not run.isascii()
            and current not in named
            and all(p.category == current.category for p in named)
            and any(ch in normalize(current.name) for ch in run)
        )

    def _by_words(self, norm: str, current_sku: str | None) -> list[Product]:
        """The products the text's words name (see `_look_up_words`), once per message: answering one asks
        it several times."""
        key = (norm, current_sku, self._number_named)
        if key not in self._words_named:
            if len(self._words_named) > 64:
                self._words_named.clear()
            found = self._look_up_words(norm, current_sku)
            if self._number_named:
                # "7号篮球", "球迷版23号主场": of the names with that number, those the other words fit.
                numbered = [p for _, p in self._index.names_holding(self._number_named)]
                pool = [p for p in found if p in numbered] or numbered
                rest = norm.replace(self._number_named, " ")
                pool = self._index.narrow_by_modifiers(rest, self._index.narrow_by_words_en(rest, pool))
                found = self._index.narrow_by_name_words_zh(rest, pool)
            if not (current_sku and ON_SCREEN.search(norm)):
                # "the 120cm egg roll table", "the baby bangle" of names that are Chinese only: what tells the
                # candidates apart ("is this pure wool" asks of the one shown, "pure" names no other).
                found = self._index.narrow_by_english_words(norm, self._index.narrow_by_measures(norm, found))
            self._words_named[key] = found
        return list(self._words_named[key])

    @staticmethod
    def _said_of_all(norm: str, products: list[Product]) -> bool:
        """Whether a two-character Chinese word of the text is in every one of the products' names."""
        names = [normalize(p.name) for p in products]
        return any(
            all(run[i : i + 2] in name for name in names)
            for run in rx.findall(r"[\u4e00-\u9fff]{2,}", norm)
            for i in range(len(run) - 1)
        )

    def _look_up_words(self, norm: str, current_sku: str | None) -> list[Product]:
        current = self.catalog.by_sku(current_sku) if current_sku else None
        if current is not None and _EITHER_OF_THIS.search(norm):
            # "这个是物理防晒还是化学防晒": the two are what is asked of the one shown, not other names.
            return [current]
        quantity = self._index.by_quantity(norm)
        if quantity:
            # "is the 40L pack sold out": the name that states 40L, whatever else "pack" matches; of several,
            # the colour said ("the white 20w charger").
            colored = [p for p in quantity if mentioned_colors(norm, p)[0]] if len(quantity) > 1 else []
            return colored or quantity
        named = self._index.not_contradicted(norm, self._index.by_name(norm))
        used = self._index.category_words_in(norm)
        categories = list(used)
        if named and categories and not any(p.category in categories for p in named):
            # "cashmere scarf": "cashmere" is in a sweater's name, but the viewer said scarf. A name that
            # holds the category word itself ("卫衣裙" is a dress) still counts.
            run = self._index.name_run(norm)
            if not any(word in run for word in used.values()):
                named = []
        if len(named) > 1 and not categories:
            named = self._index.in_named_family(norm, named)
        if len(named) > 1 and categories:
            named = [p for p in named if p.category in categories] or named
            # "silk shawl": of the silk scarves, the one whose name says shawl.
            said_so = [p for p in named if p.category in used and self._index.named_as(p, used[p.category])]
            if not said_so and self._index.run_is_a_modifier(norm):
                # "mens parka": "men" matched many names; the one the kind word names is meant.
                said_so = [
                    p
                    for p in self.catalog.products
                    if p.category in used and self._index.named_as(p, used[p.category])
                ]
                said_so = self._index.narrow_by_run(norm, self._index.narrow_by_modifiers(norm, said_so))
            named = said_so or named
        if len(named) > 1:
            # "cashmere cardigan": "cashmere" is in a cardigan's and a scarf's name; the kind word decides.
            kinds = self._index.by_kind(norm)
            named = [p for p in named if p in kinds] or named
        if len(named) > 1:
            colored = [p for p in named if mentioned_colors(norm, p)[0]]
            named = colored or named
        run = self._index.name_run(norm)
        beside_kind = run
        for word in self._index.kind_words_in(run):
            beside_kind = beside_kind.replace(word, " ")
        # "fleece half zip": a name, not a kind; "pu卡包": the kind with a word of the name beside it.
        specific = len(run.split()) >= 3 or (
            beside_kind != run and len(rx.sub(r"[^a-z\u4e00-\u9fff]", "", beside_kind)) >= 2
        )
        if named and not specific and not any(self._index.head_named(norm, p) for p in named):
            # "yoga mat price" when only the Yoga Mat Bag's name says "yoga mat": a product named after the
            # kind the viewer said (TPE瑜伽垫) is what they mean; a bag of mats is a bag.
            # Only a product of another category: "knit qipao" of a Knit Qipao Dress is that dress.
            # Accessories are many kinds in one category: "pearl hair clip" is not the Pearl Stud Earrings.
            kinds = [
                p
                for p in self._index.by_kind(norm)
                if p not in named
                and all(p.category != q.category or q.category == "accessory" for q in named)
            ]
            named = [p for p in kinds if self._index.head_named(norm, p)] or named
        if len(named) > 1:
            # "男士秋衣秋裤", "真丝睡衣套装": the words beside the shared name run pick among them.
            run = self._index.name_run(norm)
            rest = norm.replace(run, " ", 1) if len(run) >= 2 else norm
            named = self._index.narrow_by_material_zh(norm, used.values(), named)
            named = self._index.narrow_by_name_words_zh(rest, named)
            named = self._index.narrow_by_modifiers(rest, named)
        named = self._index.narrow_by_sex(norm, named)
        if len(named) > 1 and (style := rx.search(r"(?<![a-z0-9])([a-z])\s*款", norm)):
            # "伴娘服A款": the style letter the names tell apart by.
            lettered = [
                p
                for p in named
                if rx.search(rf"(?<![a-z0-9]){style.group(1)}\s*款", normalize(p.name.lower()))
            ]
            named = lettered or named
        if named:
            named = self._index.alike(norm, self._index.better_fits(norm, self._index.headed(norm, named)))
            return self._index.genuine_or_imitation(norm, self._index.split_named(norm, named))
        found = self._by_kind_or_category(norm, current_sku, used, categories)
        if not found:
            found = self._index.by_split_name(norm)
        if not found and not categories:
            # "羊毛袜" of a "美利奴羊毛徒步袜": a name word with the garment head the viewer put on it.
            found = self._index.by_headed_word_zh(norm)
        if not found and not categories:
            # "珊瑚绒的多少钱啊": a material of the catalog names the products made of it (to list them).
            found = self._index.by_material_zh(norm)
        if not found and not (current_sku and ON_SCREEN.search(norm)):
            # Weaker than "这个枕头" with a pillow on screen: only when nothing is pointed at.
            found = self._index.by_parts_of_name(norm) or self._index.by_head_word(norm)
            current = self.catalog.by_sku(current_sku) if current_sku else None
            if (
                found
                and current is not None
                and current not in found
                and self._said_of_all(norm, [*found, current])
            ):
                # "护腿多少钱" while "护腿护脚背一体" is shown: "跆拳道护腿" ends in the word, the shown one holds it too.
                found = [current]
        # "拼色风衣": a word none of them has but a related product's name does names that one instead.
        elsewhere = self._index.named_elsewhere(norm, found)
        found = self._index.narrow_by_sex(norm, found if elsewhere is None else elsewhere)
        return self._index.genuine_or_imitation(
            norm, self._index.alike(norm, self._index.better_fits(norm, found))
        )

    def _by_kind_or_category(
        self, norm: str, current_sku: str | None, used: dict[str, str], categories: list[str]
    ) -> list[Product]:
        current = self.catalog.by_sku(current_sku) if current_sku else None
        kinds = self._index.by_kind(norm)
        if kinds and categories and not norm.isascii() and self._index.kinds_are_categories(norm):
            # "真丝丝巾": 丝巾 names the scarves category, not only the scarf whose name says it.
            by_category = self._index.by_category_and_color(norm)
            if len(by_category) > len(kinds) and set(kinds) <= set(by_category):
                return by_category
        if kinds:
            # "slippers" / "睡裙": the products named after that kind; the on-screen one when it is one.
            if current is not None and current in kinds and not mentioned_colors(norm, current)[1]:
                return [current]
            colored = [p for p in kinds if mentioned_colors(norm, p)[0]]
            kinds = self._index.narrow_by_material_zh(norm, used.values(), colored or kinds)
            kinds = self._index.said_in_names(norm, self._index.narrow_by_name_words_zh(norm, kinds))
            kinds = self._index.headed(norm, self._index.narrow_by_modifiers(norm, kinds))
            if current is not None and current not in kinds and current.category in categories:
                # "the slippers" while other sandals are on screen: the viewer may mean either.
                kinds = [*kinds, current]
            return kinds
        if not categories:
            return []
        if current is not None and current.category in categories:
            return [current]
        return self._index.by_category_and_color(norm)

    def _compose(self, product: Product, intents: list[str], norm: str, lang: str, on_screen: bool) -> Answer:
        text = ""
        if intents[0] in ("color", "material") and (part := part_stated(product, norm, lang, self._phrases)):
            # "27号扣头什么颜色": the buckle's colour, which the listing states; the product's colours would
            # answer a neighbouring question.
            return Answer(True, intents[0], product.sku, part, lang, 0.8, on_screen=on_screen)
        if intents == ["material"]:
            # "这个雨靴加绒吗": whether it is fleece-lined, which only the listing's words say.
            feature = feature_stated(product, norm, lang, self._phrases)
            if feature == "":
                return Answer(False, intents[0], product.sku, "", lang, 0.0, queue=True, on_screen=on_screen)
            if feature:
                return Answer(True, intents[0], product.sku, feature, lang, 0.8, on_screen=on_screen)
        # "the UV shirt how much": UV names the shirt; a spec is asked only in the other words. "foot length
        # 270mm" is the viewer's foot, not a length asked of the shoe.
        name_words = set(rx.findall(r"[a-z0-9]+", product.name.lower()))
        unmeasured = without_measures(norm)
        unnamed = " ".join(
            w for w in self._index.without_product_words(unmeasured, product).split() if w not in name_words
        )
        if intents[0] == "shipping":
            unnamed = rx.sub(r"\bhow long\b|多久|多长时间", " ", unnamed)  # a time, not a length
        if (
            ASKS_A_SPEC.search(unnamed)
            or (norm.isascii() and ATTRIBUTE_ASKED.search(unnamed))
            or self._listing_states_the_amount(product, norm)
        ):
            # "#22 能装多少", "6号帆布鞋偏大吗", "中筒袜运费多少" of a listing with "运费6元": the listing's
            # words; the price its 多少 suggests, the material its 帆布 names or the free-shipping flag would
            # answer a neighbouring question.
            text = detail_text(product, norm, lang, self._phrases, self._index.without_product_words)
            if not text and intents[0] in ("size", "material"):
                text = self._closest_segment(product, norm, lang)  # "8号裤脚多宽" -> "裤脚宽24cm"
            # The size list says no fit, and a measurement only where the sizes are written in units.
            measured = sizes_measured(product) and not rx.search(r"宽|\bwid", norm)
            if not text and (FIT_ASKED.search(norm) or (MEASURE_ASKED.search(unmeasured) and not measured)):
                return Answer(False, intents[0], product.sku, "", lang, 0.0, queue=True, on_screen=on_screen)
        if not text and set(intents) & {"size", "color", "stock"}:
            # "6号蓝色还有L吗" of a listing that says "蓝底白花只剩S/M": the sizes list would say yes.
            text = availability_note(
                product, self._index.without_product_words(norm, product), lang, self._phrases
            )
        if not text:
            text = product_text(product, tuple(intents), norm, lang, self._phrases)
            if (
                text
                and intents[0] == "size"
                and SIZE_ADVICE_ASKED.search(norm)
                and not body_fit(product, norm)
            ):
                # "23号西装怎么选码": the sizes, and what the listing says of how they run.
                note = fit_note(product, lang)
                text = f"{text}，{note}" if note and lang == "zh" else f"{text}; {note}" if note else text
        if not text:
            # A fact the fields lack ("充绒量多少克", "裤长多少"): the description, where it says so literally.
            text = detail_text(product, norm, lang, self._phrases, self._index.without_product_words)
        if not text and intents[0] in ("size", "material"):
            text = self._closest_segment(product, norm, lang)  # "贝雷帽头围多大" -> "头围54-58cm"
        if not text:
            return Answer(False, intents[0], product.sku, "", lang, 0.0, queue=True, on_screen=on_screen)
        return Answer(True, intents[0], product.sku, text, lang, 0.9, on_screen=on_screen)

    def _closest_segment(self, product: Product, norm: str, lang: str) -> str:
        """The one listing segment closest to the question (`closest_detail`), in the question's language;
        '' where the question states a body (a chart's row, not the nearest words, answers it) or asks for
        several ("有几种长度": one segment would read as the only one)."""
        if stated_measures(norm) or SEVERAL_ASKED.search(norm) or asked_sizes(norm):
            return ""  # and "M码适合多大的手", "150码裤长多少": that size's row of a chart
        closest = closest_detail if lang == "zh" else closest_detail_en
        text = closest(product, norm, lang, self._phrases, self._index.without_product_words)
        measured = BODY_WORDS.findall(norm)
        if measured and not any(word in text for word in measured):
            return ""  # "加大码多大体重能穿" is not answered by "加大码适合身高160-175cm"
        return text

    def _by_need(
        self, wish: ShoppingWish, normalized: str, lang: str, needs: Mapping[str, float] | None
    ) -> Answer:
        """The in-stock product (of those the wish's kind, category and price allow) the need reader puts
        clearly first, `need_margin` ahead of the next; without scores, or without a clear first, silence
        that asks for them (`Answer.wish`) and queues the question."""
        silent = Answer(False, "recommend", None, "", lang, queue=True, wish=normalized)
        measured = rx.search(r"\d", PRICE_BOUND.sub(" ", normalized))  # "手腕15", "我的包30L"; not "预算200"
        if measured or asked_sizes(normalized) or names_a_color(normalized):
            # "腰围72 阔腿裤选哪个码" asks a size, "鲨鱼夹有豹纹的吗" a colour: no need to read.
            return replace(silent, wish="")
        if needs is None:
            return silent
        ranked = sorted(
            (p for p in self.catalog.in_stock() if wish.allows(p) and p.sku in needs),
            key=lambda p: -needs[p.sku],
        )
        if not ranked or (len(ranked) > 1 and needs[ranked[0].sku] - needs[ranked[1].sku] < self.need_margin):
            return replace(silent, wish="")
        product = ranked[0]
        return Answer(
            True, "recommend", product.sku, recommend_text([product], lang, self._phrases), lang, 0.7
        )

    def _wished_in_stock(self, wish: ShoppingWish, normalized: str) -> list[Product]:
        """The in-stock products the wish allows, narrowed (where names say so) to who they are for."""
        fits = self._index.narrow_by_modifiers(
            normalized, [p for p in self.catalog.in_stock() if wish.allows(p)]
        )
        for words in wish.audience:
            if words not in _SEASON_WORDS:  # "女生 想要最保暖的": the women's; a season is the weather's
                fits = [p for p in fits if any(w in normalize(p.name) for w in words)] or fits
        return fits

    def _by_weather(self, wish: ShoppingWish, normalized: str, lang: str) -> Answer | None:
        """The in-stock products (of those the wish allows) whose listings say they are for the asked
        weather, the best fit first and its equals with it (up to 3), each with the listing's words; "the
        warmest" is the one for the coldest. Where no listing the wish allows states a temperature, None (the
        other rules read the request)."""
        asked = asked_temperature(normalized)
        rated = [(p, r) for p in self._wished_in_stock(wish, normalized) if (r := rating(p)) is not None]
        ratings = {p.sku: r for p, r in rated}
        if not rated or (asked is None and len(rated) < 2):
            return None
        if asks_warmest(normalized):  # "东北零下二十多度 推荐个最厚的", "which thermal set is the warmest"
            coldest = min(r.low for _, r in rated)
            rated = [(p, r) for p, r in rated if r.low == coldest]
        if asked is None:
            tied = [p for p, _ in rated]
        else:
            scored = sorted(rated, key=lambda pr: (fit(asked, pr[1]), -pr[0].stock))
            best = fit(asked, scored[0][1])
            if best[0] == 0:
                # Nothing the shop sells is said to be for that weather: the streamer's call, not a near miss.
                return Answer(False, "recommend", None, "", lang, queue=True)
            tied = [p for p, r in scored if fit(asked, r) == best]
        tied = said_of(wish.unread, tied) or tied  # "十度左右穿哪个加绒的": the one that says 加绒
        picks = [(p, ratings[p.sku].said) for p in tied[:3]]
        sku = picks[0][0].sku if len(picks) == 1 else None
        return Answer(True, "recommend", sku, weather_text(picks, asked, lang, self._phrases), lang, 0.8)

    def _lightest(self, wish: ShoppingWish, normalized: str, lang: str) -> Answer | None:
        """ "最轻的是哪款", "which helmet is the lightest": of the in-stock products the wish allows, the one
        whose listing gives the least weight (with its words); None where fewer than two give one."""
        weighed = [(p, w) for p in self._wished_in_stock(wish, normalized) if (w := weight(p)) is not None]
        if len(weighed) < 2:
            return None
        least = min(grams for _, (grams, _) in weighed)
        picks = [(p, said) for p, (grams, said) in weighed if grams == least][:3]
        sku = picks[0][0].sku if len(picks) == 1 else None
        return Answer(True, "recommend", sku, lightest_text(picks, lang, self._phrases), lang, 0.8)

    def _recommend(
        self,
        wish: ShoppingWish,
        normalized: str,
        lang: str,
        current_sku: str | None,
        popular: Sequence[str],
        needs: Mapping[str, float] | None = None,
    ) -> Answer:
        """In-stock products that fit what the viewer asked for (a kind or category, a price bound, cheap):
        the one on screen and the popular ones first, unless cheap was asked. Nothing fits: silence."""
        fits = [p for p in self.catalog.in_stock() if wish.allows(p)]
        wanted_sizes = asked_sizes(PRICE_BOUND.sub(" ", normalized))  # "under 100" is a price
        if wanted_sizes:  # "a warm coat that comes in 5XL"
            fits = [p for p in fits if set(wanted_sizes) <= {canonical_size(s) for s in p.sizes}]
        # "a good gift for a newborn", "女儿穿什么好": who it is for narrows the choice where names say so.
        narrowed = self._index.narrow_by_modifiers(normalized, fits)
        for words in wish.audience:
            fitting = [p for p in narrowed if any(w in normalize(p.name) for w in words)]
            if not fitting and words in _SEASON_WORDS and not (wish.categories or wish.kinds):
                # "what do u recommend for autumn winter" where no name says the season: any product would
                # be a guess. (A gift for dad is any product; "冬天穿的外套" is any coat.)
                said = [p for p in narrowed if any(w in normalize(p.description) for w in words)]
                if not said:
                    return self._by_need(wish, normalized, lang, needs)
                fitting = said
            narrowed = fitting or narrowed
        if wish.unread:
            # "recommend for yoga", "我爸走路多": the products whose name or description says the words.
            said = said_of(wish.unread, narrowed)
            if said:
                narrowed = said
            elif narrowed == fits and wish.open:
                # "参加婚礼穿什么好" with nothing that reads the occasion: a popular product would be a guess.
                return self._by_need(wish, normalized, lang, needs)
        if GIFT_ASKED.search(normalized) and not (wish.categories or wish.kinds):
            # "想送妈妈个礼物": what the listings sell as a gift, where some do.
            gifts = [p for p in narrowed if GIFT_SAID.search(normalize(f"{p.name} {p.description}"))]
            narrowed = gifts or narrowed
        fits = narrowed
        if wish.cheap:
            ranked = sorted(fits, key=lambda p: p.price)
        elif wish.max_price is not None:
            # "预算1000", "under 250": the most the budget buys first, the nearest to what the viewer set.
            ranked = sorted(fits, key=lambda p: -p.price)
        else:
            ranked = sorted(fits, key=lambda p: -p.stock)
            firsts = [self.catalog.by_sku(sku) for sku in (current_sku, *popular) if sku]
            ranked = [p for p in firsts if p is not None and p in fits] + ranked
        if not normalized.isascii():
            ranked = self._index.rank_by_name_words(normalized, ranked)
        picks: list[Product] = []
        for product in ranked:
            if product not in picks:
                picks.append(product)
        if CHEAPEST.search(normalized) and picks:
            # "最便宜的T恤是哪个" asks for one: the cheapest (all of them when several share that price).
            picks = [p for p in picks if p.price == min(q.price for q in picks)]
        elif PRICIEST.search(normalized) and picks:
            picks = [p for p in picks if p.price == max(q.price for q in picks)]
        picks = picks[:3]
        if not picks:
            return self._by_need(wish, normalized, lang, needs)
        sku = picks[0].sku if len(picks) == 1 else None
        return Answer(True, "recommend", sku, recommend_text(picks, lang, self._phrases), lang, 0.8)
