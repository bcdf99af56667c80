"""Match a viewer's question to the shop FAQ: keywords and character bigrams, bilingual, with a threshold.

Paraphrases share characters in Chinese ("能开发票吗" ~ "可以开发票吗") and policy words in English
("return policy?" ~ 退换): a small table maps common English shop vocabulary, and Chinese paraphrases
("要票", "便宜了"), onto the Chinese words shop FAQs are written with. An entry that never speaks of the
topic asked (washing, a foot length) is not the answer, nor one that names places but not the one asked
(a remote-regions list for "do you ship to Canada"). Below the threshold the bot stays silent.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from bot.catalog import CATEGORY_NAMES_EN, CATEGORY_NAMES_ZH, Faq, FaqEntry
from bot.qa import rx
from bot.qa.text import longest_first, normalize

# A viewer's body measurements, by what was measured: each asks the size guide, never for a product size
# ("我要175码" is one, so a size word after the number excludes it; "6-12个月" is a size label, not an age).
_LENGTH = r"(?<![\d.])\d{2,3}(?:\.\d)?\s*(?:cm|厘米|公分)"
_HEIGHT = (
    r"身高\s*\d|[1一]米[1-9一二三四五六七八九]|"
    r"(?:我|爸|妈|老公|老婆|老人|婆婆|公公|奶奶|爷爷|孩子|他|她)\D{0,2}1[4-9]\d(?![\d号块元.码])|"
    r"\bi(?:'?m| am) (?:about |around )?1\d\d(?![\d.]|\s*(?:kg|lb|斤|公斤|磅))"
)
_WEIGHT = (
    r"(?<![\d.装重])\d{1,3}(?:\.\d)?\s*(?:斤|公斤|千克|磅|kgs?(?![a-z])|lbs?(?![a-z])|pounds?(?![a-z]))|体重\s*\d|"
    r"\bweigh(?:s|t)?\s*(?:is\s*)?(?:about |around |only |just )?\d"
)
_AGE = (
    r"(?<![\d.~～到至-])(?:\d{1,2}|[一二两三四五六七八九十]{1,2})\s*(?:个多?月|个半月|周岁|岁)|月龄|"
    r"(?<![a-z0-9.~-])\d{1,2}[ -]?(?:months?|mos?)(?![a-z])(?:[ -]old)?|"
    r"(?<![a-z0-9.~-])\d{1,2}[ -]?(?:years?|yrs?)[ -]old|(?<![a-z0-9.~-])\d{1,2} ?(?:yo|y/o)(?![a-z])"
)
_FOOT = r"脚长|脚的长度|\bfoot (?:length|is|measures)|\bfeet (?:are|measure)"
# "im 65", "i weigh 50": a number a viewer states of herself, whatever its unit.
_STATED = r"\b(?:i(?:'?m| am)|i weigh|my weight is)\s*(?:about |around )?\d"
BODY_MEASURE = "|".join((_LENGTH, _HEIGHT, _WEIGHT, _AGE, _FOOT, _STATED))
# A bare length ("16厘米", "17cm") near a foot or shoe word is the foot's, else the height.
_FOOT_CONTEXT = re.compile(r"脚|鞋|\bfoot\b|\bfeet\b|\bshoes?\b")
# What was measured -> the words a size guide for it uses (added to the message), and the words by which a
# size entry shows it speaks of that measure: a foot length is a shoe-size question, not the height table's.
MEASURES: dict[str, tuple[re.Pattern[str], str, tuple[str, ...]]] = {
    "height": (re.compile(_HEIGHT), "身高", ("身高", "cm", "厘米", "height", "tall")),
    "weight": (re.compile(_WEIGHT), "体重", ("体重", "斤", "kg", "公斤", "weight", "weigh", "lb")),
    "age": (re.compile(_AGE), "月龄 年龄", ("岁", "月", "age", "month", "year")),
    "foot": (re.compile(_FOOT), "脚长 鞋码", ("脚", "鞋", "foot", "feet", "shoe")),
    # "我腰围2尺4", "my waist is 79": the viewer's own waist ("腰围31有吗" asks for the size 31).
    "waist": (
        re.compile(
            r"\bmy waist\b|\bwaist (?:is|measures)\b|[一二两]尺[一二三四五六七八九半]?|\d尺\d|我.{0,2}腰围"
        ),
        "腰围",
        ("腰围", "waist"),
    ),
}
# A bare length ("79cm") beside a waist word is the waist's.
_WAIST_CONTEXT = re.compile(r"腰|\bwaist\b")


def measured(normalized: str) -> set[str]:
    """What body measurements a message states: height, weight, age, foot (length)."""
    kinds = {kind for kind, (pattern, _, _) in MEASURES.items() if pattern.search(normalized)}
    if rx.search(_LENGTH, normalized):
        if _FOOT_CONTEXT.search(normalized):
            kinds.add("foot")
        elif _WAIST_CONTEXT.search(normalized):
            kinds.add("waist")
        else:
            kinds.add("height")
    return kinds


# "how tall is the model", "模特穿的几码": the model's own size, which only an entry about her states.
_MODEL = (
    r"模特.{0,6}(?:多高|身高|多重|体重|几斤|多少斤|(?:几|什么|多大|啥)码|穿(?:的)?(?:多大|几号))|"
    r"\bmodels?\b.{0,30}\b(?:wear|wearing|tall|height|size|weigh)|"
    r"\b(?:wear|wearing|tall|height|size|weigh)\w*\b.{0,30}\bmodels?\b"
)

# Whether the parcel shows what is inside: "寄过来外面能看出是啥吗", "快递盒上写商品名吗", "发货保密吗", "will the
# parcel say what's inside"; only of a parcel ("外面套件开衫能看出孕肚吗" is about the look).
_PRIVACY = (
    r"隐私|保密|^(?=.*(?:寄|快递|包裹|包装|盒|面单|收到)).*(?:外面|外包装|外边|上面|单上|盒上|袋上|箱上).{0,6}"
    r"(?:看(?:得)?出|看到|看见|写|印|显示)|\bprivacy\b|\bdiscreet(?:ly)?\b|"
    r"\bplain (?:packaging|package|parcel|box|bag)\b|"
    r"\b(?:parcel|package|packaging|box|label|outside)\b.{0,20}\b(?:say|says|show|shows|tell|see)\b.{0,12}"
    r"\bwhat(?:'s| is)? (?:inside|in it)\b"
)
# Countries, for shipping abroad (PLACES below).
_COUNTRIES_ZH = (
    "美国|加拿大|英国|日本|韩国|澳大利亚|澳洲|新西兰|新加坡|马来西亚|泰国|越南|菲律宾|印尼|印度|德国|法国|意大利|西班牙|"
    "俄罗斯|欧洲|(?<!加)大马(?!甲|士革|路|哈)|狮城|槟城|吉隆坡|新山|沙巴|砂拉越|东马(?!甲)|西马(?!甲)"
)
# "what if the price goes down after I order", in either order: price protection.
_CHEAPER = r"\b(?:cheaper|price (?:drops?|dropped|goes down|went down|falls?|fell|is (?:lower|cut|reduced)))"
_AFTER_BUYING = r"\bafter (?:i|we) (?:buy|bought|order|ordered|pay|paid|purchase)"

# Made to measure: "能按我自己的尺寸做吗", "can you make it to my measurements" (the viewer's own words, which
# only an entry on custom making answers), and the shop's words for it ("定做", "bespoke"). Not the bare 定制,
# which names products too ("香云纱定制旗袍多少钱").
_TO_MEASURE = (
    r"按(?:照)?(?:我|自己|本人|个人)(?:自己)?的?(?:尺寸|尺码|身材|三围|数据|体型)(?:来)?(?:做|定|裁)|"
    r"(?:做|改)成(?:我|自己)(?:自己)?的?(?:尺寸|三围|身材)|"
    r"\b(?:make|made|sew|sewn|cut|tailor)\b.{0,24}\b(?:my|own) (?:measurements|body|sizes?)\b"
)
MADE_TO_MEASURE = (
    r"定做|订做|订制|量身(?:定|订|打造|裁)|私人订制|\bmade[- ]to[- ]measure\b|\bcustom[- ]?(?:made|sized|orders?)\b|"
    r"\bbespoke\b|\btailor[- ]made\b|" + _TO_MEASURE
)
# Several items in one parcel or not ("预售和现货一起拍会先发现货吗", "能分开发吗", "will they ship together"):
# only an entry that speaks of shipping together answers it, not the plain dispatch time.
_TOGETHER = (
    r"(?:一起|一块|同时|合并|分开|分别)(?:发|寄)(?!票)|分开(?:拍|下单|买)|"
    r"(?:预售|现货).{0,12}(?:一起|一块|同时)(?:拍|买|下单|付款)|(?:一起|一块|同时)(?:拍|买|下单).{0,12}(?:预售|现货)|"
    r"先发(?:现货|预售)|(?:现货|预售).{0,4}先发|"
    r"\b(?:ship|send|dispatch)(?:ed|s|ping)? (?:(?:them|it|everything|both) )?(?:together|separately)\b|"
    r"\bin (?:the )?(?:same|one) (?:parcel|package|shipment)\b|\bcombine (?:my )?(?:orders?|shipping)\b|"
    r"\bpre-?(?:orders?|sale)\b.{0,40}\bin[- ]stock\b|\bin[- ]stock\b.{0,40}\bpre-?(?:orders?|sale)\b"
)

# Something arrived damaged ("拉链坏了", "收到衣服有个洞"; not a ripped style, "破洞牛仔裤"): only an entry that
# speaks of quality, after-sales or returns answers it, not the delivery time its 收到 shares.
_DAMAGED = (
    r"坏了|坏掉|破了|开线|脱线|掉扣|损坏|瑕疵|次品|污渍|勾丝|"
    r"^(?!.*破洞(?:款|裤|牛仔|风|设计)).*(?:(?:有|破了?|烂了?|磨了?|勾了?)(?:一)?(?:个|几个)(?:小)?(?:洞|口子)|"
    r"(?:收到|到手|拆开).{0,8}(?:洞|脏))"
)

# English shop vocabulary -> Chinese words a Chinese shop FAQ uses for the same policy.
EN_TO_ZH: tuple[tuple[str, str], ...] = (
    # "return postage" is who pays for sending it back, not whether it may be returned.
    (r"\breturns?\b(?! shipping| postage| fee| cost| label)|\bexchange|\brefund policy\b|"
     r"\bsend (?:it )?back\b|\bdoesn'?t fit\b", "退换 退货 换货"),
    (r"\brefund", "退款 到账"),
    (r"\binvoice|\breceipt|\bfapiao\b|\bvat\b|\breimburse|\bexpense (?:it|claim|report)", "发票 开票"),
    (r"\bcoupons?\b|\bvouchers?\b|\bpromo code", "优惠券 领券"),
    # A finish that stopped working: "stopped beading water", "no longer waterproof", "it leaks now".
    (r"\b(?:stopped|stops|no longer|not|isn'?t|doesn'?t|don'?t|won'?t)\b.{0,12}\b(?:bead(?:ing|s)?|"
     r"repel(?:s|ling)?|waterproof)\b|\bwets? (?:out|through)\b|\bleak(?:s|ing)?\b", "防水 泼水 渗水"),
    (r"\bwhen (?:will|do) (?:you|it|they) ship|\bdispatch|\bhow (?:long|soon).{0,20}ship", "发货 什么时候发"),
    (r"\bcourier|\bexpress\b|\bwhich (?:delivery|shipping) (?:company|carrier)|\bcarrier\b", "快递 哪家快递"),
    (r"\bfree shipping\b|\bshipping (?:fee|cost)|(?<!return )\bpostage\b|\bdelivery fee", "包邮 运费"),
    (r"\babroad\b|\boverseas\b|\binternational|\bship to (?:the )?(?:us|usa|uk|canada|japan|europe)|"
     r"\bhong kong\b|\btaiwan\b|\bmacau\b|\boutside china\b", "国外 海外 国际 香港 港澳台"),
    (r"\bcash on delivery\b|\bcod\b|\bpay (?:on|at) delivery\b", "货到付款 到付"),
    (r"\b(?:change|wrong) (?:my |the )?address", "改地址 修改地址"),
    (r"\brestock|\bback in stock\b|\bmore stock\b|\bnotify me\b|\bavailable again\b|"
     r"\b(?:it|they|this|that|these|those|items?|stuff|ones?|products?|colou?rs?|sizes?) (?:ever )?"
     r"(?:come|coming) back\b|"
     r"\bsold[- ]?out\b.{0,30}\b(?:again|back|return)", "补货 到货提醒 返场"),
    (r"\bprice (?:protection|guarantee|difference)|\brefund the difference\b|\bgot cheaper\b|"
     rf"{_CHEAPER}.{{0,30}}{_AFTER_BUYING}|{_AFTER_BUYING}.{{0,30}}{_CHEAPER}",
     "降价 补差价 退差价 价保 价格保护"),
    (r"\bbroken\b|\bbroke\b|\bdamaged?\b|\bdefective\b|\bfaulty\b|\btorn\b|\bafter[- ]?sales?\b|"
     # A hole that arrived, not the holes of ripped jeans.
     r"\b(?:arrived|came|got it|received it|found|there'?s) (?:with )?(?:an? |some )?"
     r"(?:holes?|stains?|loose (?:threads?|seams?)|missing buttons?)\b|\ba hole in (?:it|my)\b|"
     r"\b(?:falls?|fell|falling|came|comes?|coming) apart\b|\b(?:sole|seam tape)s? (?:peel|come|came)|"
     r"\bwarrant(?:y|ies)\b|\bguarantee",
     "售后 质量问题 客服 质保 保修"),
    (r"\bwho (?:do|should|can) (?:i|we) (?:talk|speak|contact|ask|message)|"
     r"\bwho (?:to|can i) (?:talk|contact|ask)",
     "客服 联系"),
    (r"\bfan ?(?:club|group|badge|member(?:ship)?|level|light)s?\b|\bbecome a fan\b|"
     r"\bjoin (?:the |your )?fans?\b",
     "粉丝团 粉丝 加团 灯牌"),
    (r"\bchemicals?\b|\btoxic\b|\bformaldehyde\b|\bharmful\b|\bfluorescent\b|"
     r"\bsafe (?:for|on|when|during|while)\b|"
     r"\b(?:is|are) (?:it|this|they|these|the (?:fabric|material|clothes|dye)s?) safe\b|"
     r"\b(?:newborn|baby|babies|sensitive) skin\b", "安全 甲醛 荧光剂 a类"),
    (r"\bgifts?\b|\bfreebies?\b|\bfree gift", "赠品 送什么"),
    (_PRIVACY, "隐私 保密"),
    (_MODEL, "模特"),
    (r"\bauthentic\b|\bgenuine\b|\bfake\b|\bquality (?:issue|problem)|\bdefect", "正品 质量问题"),
    (r"\bsize (?:guide|chart)|\bwhich size\b|\bwhat size should|\bsize should i\b|\b(?:choose|pick|select|find)\b.{0,12}\bsize", "尺码 选码 尺码怎么选"),
    (r"\bwash|\blaundry\b|\bdry clean|\bshrink|\bclean(?:ing)?\b|\bcare (?:for|of|instructions?)\b|"
     r"\bhow (?:do|to|should|can) (?:i |you |we )?(?:look after|take care|maintain)", "洗涤 怎么洗 清洗 保养"),
    (r"\bcustomer service\b|\bcontact (?:you|the shop|support)\b|\btalk to (?:a )?(?:human|person|someone)\b", "客服 联系"),
    (r"\bmembers?(?:ship)?\b|\b(?:loyalty|reward|member) points?\b|\bpoints (?:expire|work|worth)\b", "会员 积分"),
    (r"\bpre-?orders?\b|\bpresale\b|\bpre-?sale\b", "预售 现货"),
    (_TOGETHER, "什么时候发 一起发 分开发 合并发货"),
    (MADE_TO_MEASURE, "定制 量体 定做"),
    (r"\bcolou?r (?:difference|looks? different|accurate)|\bsame (?:in real life|irl)|\birl\b|\bin real life\b", "色差"),
    (r"\bshipping insurance\b|\breturn (?:shipping|postage|fee|cost|label)|\bpays? (?:for )?(?:the )?return",
     "运费险 退货运费"),
    (r"\btibet\b|\bxinjiang\b|\bqinghai\b|\binner mongolia\b|\bremote (?:area|region)s?\b", "新疆 西藏 偏远地区"),
    (r"\blive (?:price|deal)|\bsame price\b|\b(?:after|during) (?:the )?(?:live|stream)\b", "直播间价 下播"),
    (r"\b(?:go|going|be|you(?:'re| are)?|u) live\b|\bwhat time (?:do|does|are|is|will) (?:you|u|the (?:live|stream|show))|"
     r"\bwhen (?:do|are|will) (?:you|u) (?:stream|live|on|start)|\b(?:stream|live|show)(?:ing)? (?:time|schedule|hours)\b|"
     r"\bschedule\b|\bnext (?:live|stream|show)\b|\b(?:stream|live)(?:ing)? (?:on|every|tomorrow|tonight|today)\b",
     "直播时间 几点直播 开播 几点开播"),
    (r"\b(?:change|update|fix|correct|edit)\b.{0,12}\baddress|\baddress\b.{0,12}\b(?:wrong|change|mistake|typo)",
     "改地址 修改地址 地址填错"),
    # Chinese paraphrases of the common policies, whose words differ from a FAQ's own wording.
    # Returns: "能退吗", "拆了还能退吗", "不合适能换吗", "试穿了能退吗" all ask the return policy.
    # A state (worn, washed, unpacked) only with a question of what may still be done: "有谁穿过这个牌子的"
    # asks for reviews.
    (r"(?:能|可以|可|还能|能不能|可不可以|支持|包)(?:退|换)(?!款|差价)|(?<!运费)(?<!退款)[退换](?:吗|么|不|嘛|吧)|退不退|换不换|"
     r"(?:拆(?:了|开|封)|试穿(?:了|过)|穿过|洗过|下过?水|剪了?吊牌).{0,8}(?:还|能|可以|行吗|怎么办)|不合适",
     "退换 退货 换货 拆封 无理由"),
    # Return shipping: "退货运费谁出", "寄回运费谁付", "运费谁承担".
    (r"运费.{0,3}(?:谁|自理|报销|承担)|谁.{0,3}运费|(?:退|寄回|退回).{0,3}运费", "退货运费 运费险 谁出运费"),
    # Fit advice: "do I size down" (whether "these" run big is the product's own description).
    (r"\bsize (?:down|up)\b|(?:买|拍|选|穿|要)(?:大|小)(?:一|半)?(?:点|码|号)|[大小][一半]码", "偏大 偏小 尺码"),
    # Choosing a size in other words: "大小咋挑", "码数怎么拍", "我平常穿L".
    (r"(?:大小|尺码|码数|码子|号码)(?:要|该|应该)?(?:怎么|咋|如何)(?:挑|选|拍|买)|(?:平时|平常|一般)穿[smlx\d]",
     "尺码 选码 尺码怎么选"),
    # Coupons: "券在哪儿领", "去哪领券".
    (r"领(?:个|张)?券|券.{0,4}(?:领|在哪|哪里|怎么用)", "优惠券 领券"),
    # A finish that stopped working: "不挡水了", "水珠都不滚了", "渗水了".
    (r"不(?:再)?(?:挡水|滚水|泼水|防水了)|水珠.{0,3}不滚|(?:渗|漏|透)水了", "防水 泼水 渗水"),
    # A unit in Chinese for the "mm" a waterproof rating is written with.
    (r"毫米", "mm"),
    # An extra charge for where it goes: "要加钱吗", "补差价吗", "any extra fee".
    (r"加钱|补差价|补运费|额外(?:收|加|付)|\bextra (?:fee|charge|cost|shipping)\b|\bcost more\b", "补运费 运费"),
    # Live schedule: "周一播吗", "明天几点播", "今晚直播吗" (never "下播": when a show ends is another question).
    (r"(?:周|星期|礼拜)[一二三四五六日天末1-7]?.{0,3}(?<!下)(?:播|直播|开播)|"
     r"(?:今天|明天|今晚|明晚|后天|每天|几点).{0,3}(?<!下)(?:播|开播|直播)(?!间)|(?<!下)播(?:吗|不|么|嘛)", "直播时间 几点直播 开播 几点开播"),
    # Address changes: "地址写错了", "能改地址吗", "换个地址".
    (r"地址.{0,4}(?:错|改|换|不对)|(?:改|换|填错|写错|修改).{0,2}地址", "改地址 修改地址 地址填错"),
    # Same-day dispatch: "今天下单什么时候发", "现在拍今天能发吗", "order today when does it ship".
    (r"(?:今天|今晚|现在|晚上|下午|中午)(?:下单|拍|付款|买).{0,6}(?:发|寄)|"
     r"\b(?:order|buy|pay)(?:ed)? (?:today|now|tonight)\b.{0,24}\b(?:ship|dispatch|send)",
     "当天发 当天发货 几点前下单 截止"),
    # Chinese paraphrases whose words differ from any FAQ wording: couriers by name, invoices, ...
    (r"顺丰|圆通|中通|韵达|申通|极兔|京东快递|邮政|\bems\b|\bsf express\b", "快递 指定快递"),
    (r"(?:哪家|什么|啥|哪个)(?:物流|快递)", "快递 发什么快递"),
    (r"从哪(?:里|儿)?发|哪里发(?:货|的)|发货地|\bship(?:s|ped)? from\b", "快递 仓 发货地"),
    # Delivery time to a place: "发上海几天能到", "寄到江苏多久到".
    (r"(?:几天|多久|多长时间)(?:能|可以|才能)?(?:到|收到|送到)", "几天到"),
    # Effects said other ways: "粘一身毛" is shedding, "fuzz balls" pilling.
    (r"[粘沾]一身毛|[粘沾](?:得|的)?(?:到处|满身|全身)(?:都是)?毛", "掉毛"),
    (r"\bfuzz(?:y)? ?balls?\b|\blint balls?\b", "起球 pilling"),
    # Gift wrapping: "送女朋友能包装一下吗" (a parcel's packaging, "包装袋", is not).
    (r"(?:送|礼物|礼品|生日).{0,10}包装(?!袋|盒子?破)|包装.{0,6}(?:送人|送礼|礼物)|礼品包装|\bgift[- ]?wrap", "礼盒 包装"),
    # Invoices: "公司报销要票", "能开个票吗" (but "运费能报销吗" is the return-shipping question).
    (r"^(?!.*(?:运费|邮费)).*报销|要(?:个|张)?票|开(?:个|张)?票|专票|普票", "发票 开票"),
    # Price protection: "昨天拍的今天便宜了", "买了就降价", "能退差价吗".
    (r"(?:买|拍|下单|付款)(?:了|完|的|之后|后).{0,8}(?:便宜了|降价|降了|掉价)|(?:便宜了|降价了|降了|掉价了).{0,6}(?:怎么|补|退|能|可以)|"
     r"差价|保价|价保|价格保护|买贵了", "降价 补差价 退差价 价保 价格保护"),
    # Restock: "卖完的还会再上吗", "还会补吗", "什么时候返场" (not "还会有优惠吗").
    (r"补货|还会(?:再)?(?:补|进货|有货|上架|上(?:吗|么|不))|再上(?:架|吗|么|不)|重新上架|返场|(?:卖完|售罄|没货|断货).{0,6}(?:还会|再)|"
     r"(?:还|会|再)补(?:吗|么|不补|嘛)|(?<!差价)(?<!运费)补不补(?!差价|运费|发)",
     "补货 返场"),
    # After-sales: something broke, or whom to ask ("售后找谁", "拉链坏了", "开线了怎么办").
    (rf"售后|质量(?:问题|不好|太差)|{_DAMAGED}", "售后 质量问题 客服"),
    (r"找谁|联系谁|问谁|转人工|找人工|人工客服", "客服 联系"),
    # Fan club: "怎么加粉丝团", "灯牌怎么点".
    (r"粉丝团|粉丝牌|灯牌|加团|入团|(?:加|进|入)(?:入)?粉丝", "粉丝团 粉丝 加团 灯牌"),
    # Safety for babies: "安全吗", "有甲醛吗", "有荧光剂吗", "是A类吗", "宝宝皮肤敏感能穿吗" (not "显皮肤白吗").
    (r"安全|甲醛|荧光剂|[ab]类|有毒|无毒|过敏|敏感肌|皮肤(?:敏感|娇嫩|嫩)|(?:伤|刺激)皮肤", "安全 甲醛 荧光剂 a类"),
    # Shipping to Hong Kong, Macau, Taiwan or abroad ("能寄到香港吗", "我在台湾"; not "台湾产的吗"): shop FAQs
    # write 港澳台 and 海外.
    (r"(?:寄|发|送|邮|运)[到去往]?(?:香港|澳门|台湾|港澳|海外|国外|境外)|(?:在|住)(?:香港|澳门|台湾|海外|国外)|"
     r"(?:香港|澳门|台湾|港澳|海外|国外|境外).{0,4}(?:寄|发|送|邮|运|到|收|包邮)|出国", "港澳台 海外 国外 境外 国际"),
    (rf"(?:寄|发|送|邮|运)[到去往]?(?:{_COUNTRIES_ZH})|(?:在|住)(?:{_COUNTRIES_ZH})", "海外 国外 境外 国际"),
    # Washing: "能扔洗衣机吗", "可以机洗吗", "要干洗吗" (水洗 alone is a fabric finish: 水洗牛仔).
    (r"洗衣机|机洗|机器洗|手洗|干洗|(?:能|可以|怎么|如何)[水手机]?洗(?!头|澡|脸|发|手|脚|牙|碗)",
     "洗涤 清洗 怎么洗 机洗 手洗"),
)  # fmt: skip

_CJK = re.compile(r"[\u4e00-\u9fff]")
# Places a shipping question names. An entry that names places but not the one asked ("偏远地区: 新疆、西藏…港澳台"
# for "do you ship to Canada") does not answer it. Every region of the mainland is also "mainland" (an entry
# listing the mainland's exceptions answers "广东包邮吗" by leaving it out); a country is "abroad".
_MAINLAND = (
    "大陆|内地|国内|mainland|domestic|新疆|西藏|青海|内蒙|宁夏|xinjiang|tibet|qinghai|inner mongolia|ningxia|"
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|"
    "云南|陕西|甘肃|广西|beijing|shanghai|guangdong|gansu|sichuan|yunnan"
)
_COUNTRIES_EN = (
    r"\b(?:usa|the us|u\.s|united states|america|canada|the uk|england|britain|japan|korea|australia|"
    r"new zealand|singapore|malaysia|thailand|vietnam|philippines|indonesia|india|germany|france|italy|spain|"
    r"russia|europe|penang|kuala lumpur|kl|johor(?: bahru)?|jb|sabah|sarawak|east malaysia|west malaysia|"
    r"uk)\b"
)
_ABROAD = "|".join(
    (r"海外|国外|境外|出国|国际|abroad|overseas|international|outside china", _COUNTRIES_ZH, _COUNTRIES_EN)
)
PLACES: tuple[tuple[str, str], ...] = (
    ("xinjiang", r"新疆|xinjiang"),
    ("tibet", r"西藏|tibet"),
    ("qinghai", r"青海|qinghai"),
    ("inner mongolia", r"内蒙|inner mongolia"),
    ("ningxia", r"宁夏|ningxia"),
    ("hong kong", r"香港|港澳|hong kong|\bhk\b"),
    ("macau", r"澳门|港澳|macau|macao"),
    ("taiwan", r"台湾|港澳台|taiwan"),
    ("mainland", _MAINLAND),
    ("abroad", _ABROAD),
)
_PLACES = tuple((name, re.compile(pattern)) for name, pattern in PLACES)


def places(text: str) -> set[str]:
    """The places a text names, as PLACES' names."""
    return {name for name, pattern in _PLACES if pattern.search(text)}


# What a product does over time or in use (pills, shrinks, fades, is see-through): a question about the
# product, which a care or returns policy that never names the effect does not answer ("does this pill
# after washing" is not "how to wash").
EFFECTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"起球|\bpill(?:s|ing)?\b|\bbobbl|\bfuzz(?:y)? ?balls?\b|\blint balls?\b", ("起球",)),
    (r"缩水|\bshrinks?\b|\bshrinking\b|\bshrunk\b", ("缩水",)),
    (r"掉色|褪色|串色|染色|\bfades?\b|\bfading\b|\bbleeds?\b|\bcolou?r run", ("掉色", "褪色", "串色")),
    (r"变形|\blose (?:its|their) shape\b|\bstretch(?:es)? out\b|\bout of shape\b", ("变形",)),
    (r"起皱|\bwrinkles?\b|\bcreases?\b", ("起皱", "皱")),
    (r"透不透|会透|透肉|走光|\bsee[- ]?through\b|\bsheer\b", ("不透", "透肉", "透光", "走光")),
    (r"掉毛|飞毛|[粘沾]一身毛|[粘沾](?:得|的)?(?:到处|满身|全身)?(?:都是)?毛|\bshed(?:s|ding)?\b", ("掉毛",)),
)  # fmt: skip
# A child's size: an adults' size guide ("170cm穿L") does not say it.
_CHILD = re.compile(
    r"\bkids?\b|\bchild(?:ren)?\b|\bmy (?:son|daughter|boy|girl)\b|\b\d{1,2}[ -]?(?:years?|yrs?)[ -]old\b|"
    r"儿童|孩子|小孩|小朋友|儿子|女儿|宝宝(?!们)|婴儿|(?<![\d.])(?:[1-9]|1[0-4])\s*岁"
)
_CHILD_SAID = ("儿童", "童", "孩", "婴儿", "宝宝", "kid", "child", "baby", "岁", "月龄")
# An adult's measurements in a size guide: 150cm and up, 40kg (80斤) and up.
_ADULT_SIZES = re.compile(
    r"(?<![\d.])1[5-9]\d\s*(?:cm|厘米)|(?<![\d.])[4-9]\d\s*kg|(?<![\d.])(?:[89]\d|1\d\d)\s*斤"
)
# A topic the message asks about, and the words an entry speaks of it with: an entry that never does is not
# the answer, whatever keyword it shares ("羽绒服能扔洗衣机吗" is not the down coats' sizing advice). Only the
# asking forms count: "尺码不合适能换吗" asks about returns, not sizes.
TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    *EFFECTS,
    # The stream's hours ("主播几点下播"): not the dispatch cutoff its 几点 shares.
    (r"下播|开播|几点播|直播到几点|\b(?:stream|live)\b.{0,12}\b(?:end|start|over|until)\b",
     ("播", "直播", "live", "stream")),
    # Where parcels leave from: only an entry that names a warehouse or a place of dispatch says.
    (r"从哪(?:里|儿)?发|哪里发(?:货|的)|发货地|哪个仓|什么仓|\bship(?:s|ped)? from\b|\bwhere (?:do|does) (?:it|you|they) ship\b",
     ("仓", "发货地", "从", "ship from", "ships from", "warehouse")),
    (r"洗衣机|机洗|机器洗|手洗|干洗|(?:能|可以|怎么|如何)[水手机]?洗|洗(?:吗|么)|\bwash(?:es|ing)?\b|\bmachine[- ]wash|"
     r"\blaundry\b|\bdry[- ]?clean|\btumble[- ]?dry", ("洗", "wash", "laundry", "clean")),
    (_MODEL, ("模特", "model")),
    # Who pays to send it back: an entry that never speaks of postage (the 7-day returns rule) does not say.
    (r"运费.{0,3}(?:谁|自理|报销|承担)|谁.{0,3}(?:运费|邮费)|(?:退|寄回|退回).{0,3}(?:运费|邮费)|"
     r"\breturn (?:shipping|postage)|\bpays? (?:for )?(?:the )?return|\bshipping insurance\b",
     ("运费", "邮费", "postage", "shipping", "insurance")),
    (_PRIVACY, ("隐私", "保密", "不透明", "不写", "privacy", "discreet", "plain", "opaque")),
    # Washing oneself ("坐月子能洗头吗") is not washing clothes.
    (r"洗(?:头|澡|脸|发)|\b(?:shower|bathe?|bathing|wash (?:my|your|her|the baby'?s?) (?:hair|face|body))\b",
     ("洗头", "洗澡", "洗脸", "洗发", "shower", "bath", "hair")),
    (r"尺码怎么选|(?:多大|什么|几|哪个|啥)码|选码|\b(?:what|which) size\b|\bsize (?:guide|chart|should)|\bsizing\b",
     ("码", "size", "尺")),
    (r"鞋码|鞋.{0,3}码|\bshoe ?sizes?\b", ("鞋", "脚", "shoe", "foot", "feet")),
    (r"^(?!.*(?:票|券|福袋|invoice|coupon)).*(?:(?:什么时候|啥时候|几天|多久|哪天)(?:能|可以|会)?(?:发货?|寄出?)|"
     r"发货时间|\bwhen (?:will|do|does|can|would) .{0,20}\b(?:ship|dispatch)|"
     r"\bhow (?:long|soon).{0,20}\b(?:ship|dispatch)|"
     # "今天拍明天能发不": when it ships, which the live schedule's hours do not say.
     r"(?:今天|明天|后天|今晚|当天|马上|现在)(?:能|可以|会|就)?(?:发货?|寄出?)(?:吗|么|不|嘛|了吗|没))",
     ("发", "寄", "ship", "dispatch", "send")),
    (r"退货|退换|换货|(?:能|可以|怎么|支持|包)退(?!差价|款|钱)|退不退|\breturns?\b(?! shipping| postage| fee| cost| label)",
     ("退", "换", "return", "exchange", "refund")),
    (r"发票|开票|(?:要|开)(?:个|张)?票|\binvoices?\b|\bfapiao\b", ("票", "invoice", "receipt", "fapiao")),
    (_DAMAGED, ("质量", "售后", "破", "坏", "瑕疵", "客服", "退", "换", "quality", "damage", "defect", "service")),
    (_TOGETHER, ("一起", "分开", "合并", "together", "separate", "combine")),
    (_TO_MEASURE, ("定制", "定做", "量体", "量身", "custom", "tailor", "bespoke", "made to measure")),
    (r"甲醛|荧光剂|有毒|\bchemicals?\b|\btoxic\b|\bformaldehyde\b|\bfluorescent\b",
     ("安全", "甲醛", "荧光", "a类", "safe", "chemical", "toxic", "标准", "检测", "test")),
)  # fmt: skip
# Whether a product has a property ("腰包防水吗", "is the poncho waterproof"): the product's own facts say,
# not an entry that only uses the word ("防水性能变差了怎么办"); only one asking the same yes/no answers it.
_PROPERTY = re.compile(
    r"(?:防水|防风|防泼水|透气|保暖|防晒|速干|耐磨|防滑)(?:性|效果)?(?:好|强|怎么样|如何)?(?:吗|么|不|嘛)|"
    r"\b(?:is|are) (?:it|this|these|they|that|those|the [a-z0-9 ]{1,24}) (?:really |fully |very )?"
    r"(?:waterproof|windproof|water[- ]resistant|breathable|warm|quick[- ]dry(?:ing)?)\b"
)
# About the host herself, her family or pregnancy ("主播宝宝几个月了", "is the host pregnant too?"): no shop
# policy answers it, whatever size or age words it shares with one. "主播" also opens a viewer's own question
# ("主播怀孕5个月穿多大码", "主播宝宝多大码合适"), so only a question about her counts.
_HOST_PERSONAL = re.compile(
    r"主播(?:的|家)?(?:宝宝|孩子|娃|小孩)(?:现在|今年)?(?:几个?月|多大(?!码|尺)|几岁|出生|是男|是女|叫什么)|"
    r"主播(?:的|家)(?:老公|男朋友)|主播(?:也|自己|是不是|你)?(?:怀孕|怀了|结婚)了?(?:吗|么|没|嘛|啊|呀)?$|"
    r"\b(?:is|was) (?:the host|the streamer|she)\b.{0,12}\b(?:pregnant|expecting|married)\b|"
    r"^(?:are|were) (?:you|u)\b.{0,8}\b(?:pregnant|expecting|married)\b|"
    r"\b(?:host|streamer)'?s? (?:baby|kids?|children|husband|son|daughter)\b"
)
# A question for a time or a duration, and the words an answer states one with.
_TIME_ASKED = re.compile(
    r"几点|什么时候|啥时候|多久|多长时间|几天|\bwhat time\b|\bhow (?:long|soon)\b|"
    # "when" that asks, not the "when" of "safe when pregnant"
    r"^when\b|\bwhen (?:do|does|did|will|would|is|are|can|could|should|shall)\b"
)
_TIME_ANSWER = re.compile(r"\d|[一二两三四五六七八九十]|点|天|小时|分钟|周|星期|月|\bhours?\b|\bdays?\b")
# Words too common in shop questions to say which policy is meant.
# Whole words are dropped first, so their characters still count elsewhere: the 下 of "一下" says nothing,
# the 下 of "下播" (when the show ends) does.
_STOP_WORDS = re.compile(r"主播|请问|一下|宝宝|宝们|姐妹们|可以|我们|你们|他们")
_STOP = set("吗呢吧啊呀的了是不有没能么我你他这那个嘛哦哈吖")


def _bigrams(text: str) -> set[str]:
    chars = [ch for ch in _STOP_WORDS.sub(" ", text) if _CJK.match(ch) and ch not in _STOP]
    return {a + b for a, b in itertools.pairwise(chars)} | set(chars)


def _overlap(grams: set[str], other: set[str]) -> float:
    return len(grams & other) / max(1, min(len(grams), len(other)))


# English words that say nothing of what is asked. When one keyword is all a message shares with an entry,
# some other word of it must agree with the entry, as the Chinese rest must: "newborn" alone does not make
# "any chemicals on newborn skin?" a baby-size question.
_EN_STOP = frozenset((
    "a", "an", "the", "i", "me", "my", "you", "your", "u", "we", "our", "us", "they", "them", "their", "he",
    "she", "it", "its", "this", "that", "these", "those", "is", "are", "was", "were", "be", "been", "am",
    "do", "does", "did", "have", "has", "had", "can", "could", "will", "would", "should", "may", "might",
    "must", "what", "which", "who", "whom", "when", "where", "why", "how", "there", "here", "and", "or",
    "but", "if", "so", "to", "of", "in", "on", "at", "for", "with", "about", "from", "by", "as", "into",
    "out", "up", "any", "some", "all", "no", "not", "yes", "ok", "okay", "please", "pls", "thanks", "thank",
    "hi", "hello", "hey", "just", "still", "also", "too", "very", "really", "much", "many", "more", "most",
    "one", "ones", "get", "got", "make", "made", "want", "need", "know", "tell", "say", "go", "going",
    "like", "im", "i'm", "it's", "what's", "whats", "dont", "don't", "cant", "can't", "lol", "thing",
    "things", "stuff",
))  # fmt: skip


def _en_words(text: str) -> set[str]:
    return {w for w in rx.findall(r"[a-z]+(?:'[a-z]+)?", text) if len(w) >= 3 and w not in _EN_STOP}


def _agree(word: str, said: set[str]) -> bool:
    """The word, or one sharing its stem ("wash" ~ "washing"), is among the entry's words."""
    return any(
        w == word or (min(len(w), len(word)) >= 4 and (w.startswith(word) or word.startswith(w)))
        for w in said
    )


# Question words are not words of the rest: "这条有哪些尺码" asks the sizes, nothing else.
_QUESTION_WORDS = re.compile(
    r"怎么办|怎么样|怎么|为什么|什么样|什么|多少|多久|如何|哪些|哪个|哪款|哪里|哪儿|哪家|几|一般|大概|大约|"
    # Who is asked ("你们用的哪家物流") is not what is asked.
    r"你们|你家|咱们|主播|宝宝们|家人们|用的"
)


def _without(text: str, words: set[str]) -> str:
    for word in longest_first(words):
        text = text.replace(word, " ")
    return text


_CATEGORY_WORDS = [
    (
        category,
        re.compile(
            "|".join(
                rf"(?<![a-z]){re.escape(normalize(w))}(?:e?s)?(?![a-z])"
                if w.isascii()
                else re.escape(normalize(w))
                for w in (*CATEGORY_NAMES_ZH.get(category, ()), *CATEGORY_NAMES_EN.get(category, ()))
            )
        ),
    )
    for category in CATEGORY_NAMES_EN
]


def categories_named(text: str) -> set[str]:
    """The product categories a text names ("卫衣", "sneakers")."""
    return {category for category, pattern in _CATEGORY_WORDS if pattern.search(text)}


# Two entries this close in score are both answered.
TIE_MARGIN = 0.05


@dataclass(frozen=True, slots=True)
class FaqMatch:
    entry: FaqEntry
    score: float
    # A second entry as close as the first ("who pays postage if I return": the returns policy and the
    # shipping insurance both say): both are answered, rather than one picked by a hair.
    also: FaqEntry | None = None


class FaqMatcher:
    def __init__(self, faq: Faq | None, threshold: float = 0.6):
        self.threshold = threshold
        self._matched: dict[str, FaqMatch | None] = {}
        self._entries = []
        for entry in faq or ():
            keywords = tuple(normalize(k) for k in entry.keywords if k.strip())
            grams = (_bigrams(normalize(entry.question)), _bigrams(normalize(entry.answer)))
            said = normalize(entry.question + " " + entry.answer)
            # Only an entry written in English too can tell whether an English message agrees with it.
            words = _en_words(said + " " + " ".join(keywords)) if len(_en_words(said)) >= 3 else None
            sizing = any(w in normalize(entry.question) for w in ("码", "size", "尺"))
            where = places(said + " " + " ".join(keywords))
            asks_property = bool(_PROPERTY.search(normalize(entry.question)))
            self._entries.append(
                (
                    entry,
                    keywords,
                    *grams,
                    said,
                    words,
                    sizing,
                    where,
                    categories_named(normalize(entry.question)),
                    asks_property,
                )
            )

    def expand(self, normalized: str) -> str:
        """Add the Chinese policy words that an English question, or a paraphrase, implies."""
        extra = [zh for pattern, zh in EN_TO_ZH if rx.search(pattern, normalized)]
        kinds = measured(normalized)
        if kinds or rx.search(BODY_MEASURE, normalized):
            extra += ["尺码 选码", *(MEASURES[kind][1] for kind in sorted(kinds))]
        return normalized + (" " + " ".join(extra) if extra else "")

    def match(self, normalized: str) -> FaqMatch | None:
        """The entry the message asks about, or None below the threshold (remembered per text: one message
        is matched more than once on its way to an answer)."""
        if normalized not in self._matched:
            if len(self._matched) > 256:
                self._matched.clear()
            self._matched[normalized] = self._match(normalized)
        return self._matched[normalized]

    def _match(self, normalized: str) -> FaqMatch | None:
        if _HOST_PERSONAL.search(normalized):
            return None
        text = self.expand(normalized)
        fired = [(pattern, zh) for pattern, zh in EN_TO_ZH if rx.search(pattern, normalized)]
        grams = _bigrams(text)
        asks_time = bool(_TIME_ASKED.search(normalized))
        topics = [words for pattern, words in TOPICS if rx.search(pattern, normalized)]
        kinds = measured(normalized)
        asked_places = places(normalized)
        scored: list[tuple[float, FaqEntry]] = []
        literal: dict[int, set[str]] = {}  # each entry's keywords the message says as written
        speaks: dict[int, str] = {}
        asked_categories = categories_named(normalized)
        property_asked = bool(_PROPERTY.search(normalized))
        child_asked = bool(_CHILD.search(normalized))
        for (
            entry,
            keywords,
            question_grams,
            answer_grams,
            said,
            said_words,
            sizing,
            where,
            kinds_of,
            asks_property,
        ) in self._entries:
            if property_asked and not asks_property:
                continue  # whether a product has a property is its own fact
            if asked_places and where and not asked_places & where:
                continue  # it names places, not the one asked about
            if asked_categories and kinds_of and not asked_categories & kinds_of:
                continue  # a question about tees and hoodies is not one about sneakers
            # The entry's keywords say what it is about as much as its words ("掉色" of a washing entry).
            if topics and not all(
                any(w in said or w in " ".join(keywords) for w in words) for words in topics
            ):
                continue  # the entry never speaks of the topic asked about
            if (
                sizing
                and child_asked
                and _ADULT_SIZES.search(said)
                and not any(w in said for w in _CHILD_SAID)
            ):
                continue  # "my kid is 115cm": an adults' size guide does not say
            spoken = [kind for kind in kinds if any(w in said for w in MEASURES[kind][2])]
            if sizing and kinds and not spoken:
                continue  # a size guide, but for another measure: a foot length is not the height table's
            hits = {k for k in keywords if k in text}
            on_question = _overlap(grams, question_grams)
            on_answer = _overlap(grams, answer_grams)
            # A keyword alone is weak evidence ("下播" in "几点下播" is not the live-price policy): it needs
            # some of the rest of the message to agree with the entry's question or answer.
            keyword_score = 0.0
            if hits:
                longest = max(len(k) for k in hits)
                extra = 0.1 * min(len(hits) - 1, 2)
                keyword_score = 0.45 + 0.05 * min(longest, 5) + extra + 0.4 * max(on_question, on_answer)
                # The rest of the message, less the keywords and the phrase that stood for one ("which
                # delivery company" -> 快递, "求返场" -> 补货).
                rest_text = _without(normalized, hits)
                for pattern, zh in fired:
                    # ... or that the entry speaks of itself ("要加钱吗" -> 补运费, in the entry's answer).
                    if any(k in zh for k in hits) or any(w in said for w in zh.split()):
                        rest_text = rx.sub(pattern, " ", rest_text)
                # Its Chinese: when it has words of its own (one three-character word is enough) and none
                # of them is in the entry ("快递能送货上门吗" vs "发什么快递", "孕妇能穿高跟鞋吗" vs the
                # keyword 孕妇能穿), it asks something else.
                rest = _bigrams(_QUESTION_WORDS.sub(" ", rest_text))
                pairs = sum(1 for g in rest if len(g) == 2)
                if len(hits) == 1 and pairs >= 2 and not rest & (question_grams | answer_grams):
                    keyword_score = 0.0
                # The same for the English rest, in an entry written in English too.
                rest_words = _en_words(rest_text)
                if (
                    said_words is not None
                    and len(hits) == 1
                    and len(rest_words) >= 2
                    and not any(_agree(w, said_words) for w in rest_words)
                ):
                    keyword_score = 0.0
            # Without a keyword, sharing single characters is chance: a shared pair of characters is required.
            shared_pair = any(len(g) == 2 for g in grams & question_grams)
            score = max(keyword_score, 0.9 * on_question if shared_pair else 0.0)
            if sizing and kinds:
                # "180cm 80kg": the guide by height and weight, over the one that speaks of a length only.
                score *= 0.8 + 0.2 * len(spoken) / len(kinds)
            if asks_time and not _TIME_ANSWER.search(entry.answer):
                # "今天几点下播" asks a time: an entry whose answer states none ("下播后以商品页价格为准")
                # is not the answer, however many words they share.
                score = 0.0
            scored.append((score, entry))
            literal[id(entry)] = {k for k in keywords if len(k) >= 2 and k in normalized}
            speaks[id(entry)] = f"{said} {' '.join(keywords)}"
        scored.sort(key=lambda pair: -pair[0])
        if not scored or scored[0][0] < self.threshold:
            return None
        score, entry = scored[0]
        for other_score, other in scored[1:4]:
            # "内裤能退吗": of two entries that answer it, the one about underwear over the general returns
            # entry. The other names, as the viewer wrote it, a subject the first never speaks of, and
            # speaks of everything the viewer's words matched in the first.
            own = {k for k in literal[id(other)] if k not in speaks[id(entry)]}
            if (
                other_score >= self.threshold
                and own
                and all(k in speaks[id(other)] for k in literal[id(entry)])
            ):
                return FaqMatch(other, other_score, None)
        close = [e for s, e in scored[1:2] if s >= self.threshold and s >= score - TIE_MARGIN]
        return FaqMatch(entry, score, close[0] if close else None)
