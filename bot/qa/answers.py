"""Compose answers from catalog facts only: every number, size, colour and material comes from the row.

Templates carry no facts of their own; several per intent keep the room from reading the same line twice.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from decimal import Decimal

from bot.catalog import FaqEntry, Product, format_price
from bot.qa import rx
from bot.qa.charts import chart_answer
from bot.qa.intents import FIT_ASKED, FLAVOURS_ASKED, MEASURE, MEASURE_ASKED, SCENTS_ASKED
from bot.qa.linking import LINK_PATTERNS, mentioned_colors
from bot.qa.sizing import (
    RANGE_OF_SIZE_ASKED,
    SIZED_BY_CHART_ONLY,
    body_fit,
    canonical_size,
    chart_ends,
    fit_step,
    inner_lengths,
    ranges_of,
    sizes_named,
    stated_measures,
    usual_fit,
    without_measures,
)

LOW_STOCK = 10
# Up to this many, "in stock" carries the real count (as the live room's own stock badge does): a viewer
# deciding now is told how many are left; a count in the thousands tells her nothing.
COUNTED_STOCK = 200

PRICE_ZH = (
    "{link}号 {name} 现在¥{price}{sold_out}",
    "{link}号链接 {name}：直播间价¥{price}{sold_out}",
    "{name}（{link}号）¥{price}{sold_out}",
)
PRICE_EN = (
    "Link {link} {name} is ¥{price}{sold_out}",
    "{name} (link {link}): ¥{price}{sold_out}",
    "Link {link}, {name}: ¥{price} now{sold_out}",
)
NO_LINK_ZH = ("没有{link}号链接哦，请看购物袋里的链接号", "{link}号链接不存在，宝宝们看下购物袋")
NO_LINK_EN = (
    "There is no link {link}; please check the shopping bag",
    "Link {link} doesn't exist, check the bag",
)
HEAD_ZH = ("{link}号 {name}：", "{link}号链接 {name}，", "{name}（{link}号）")
HEAD_EN = ("Link {link} {name}: ", "{name} (link {link}): ", "Link {link}, {name}: ")
AMBIGUOUS_ZH = ("有几款哦：{items}，想问哪个链接？", "符合的有{items}，宝宝说下几号链接")
AMBIGUOUS_EN = ("A few match: {items}. Which link do you mean?", "There are several: {items}. Which link?")
RECOMMEND_ZH = ("推荐看看：{items}", "可以看看这几款：{items}")
RECOMMEND_EN = ("You might like: {items}", "Worth a look: {items}")
RECOMMEND_ONE_ZH = ("推荐看看：{items}", "可以看看这款：{items}")
WEATHER_ZH = ("{weather}可以看看：{items}", "{weather}推荐：{items}")
WEATHER_EN = ("For {weather}: {items}", "At {weather}, worth a look: {items}")
# No 最 in a reply (the advertising law's absolute terms): what the listings state, compared.
WARMEST_ZH = ("按详情页写的温度，这款适合的温度低：{items}", "详情页写的适用温度里这款能到更冷：{items}")
WARMEST_EN = ("By the temperatures the listings give, the one for the coldest: {items}",)
LIGHTEST_ZH = ("按详情页写的重量，这款轻：{items}", "详情页写的重量里这款轻：{items}")
LIGHTEST_EN = ("By the weights the listings give, the lightest: {items}",)
FAQ_EN_PREFIX = "Shop policy (in Chinese): "

# A bra size ("75B", "80C") is band and cup in one token.
_CUP = r"(?:6[5-9]|[789][05]|10[05]|110)[a-g]"
_SIZE = rf"(?:{_CUP}|[2-9]xl|xl|l|xs|s|m|\d{{2,3}}(?:\.5)?)(?![a-z0-9])"
_THEN = r"(?=\s*(?:码|号码|的|吗|么|呢|没|不|有|还是|\?|$|\s+(?:available|in stock|left|pls|please|for|size|in|or)\b))"
# Ways a size is asked for: "有L码吗", "L码", "xl有吗", "腰围31", "waist 35", "is there an M", "come in 3XL".
_SIZE_ASKED = re.compile(
    r"(?:有|穿|要|拿|买|\bin\b|\bsize\b|\bhave\b|\ban?\b)\s*("
    + _SIZE
    + ")"
    + _THEN
    + r"|(?<![a-z0-9.])("
    + _SIZE
    + r")\s*(?:码|号码|\bsize\b)"
    + r"|(?:腰围|领围|\bwaist\s*|\bcollar\s*(?:size\s*)?)(\d{2})"
    + r"|(?<![0-9.])(\d{2})\s*(?:腰|的腰)"  # "36腰": a waist size
    # "is there a size 38 in link 19": a number after "size" is the size asked, whatever follows.
    + r"|\bsize\s*(\d{2,3}(?:\.5)?)(?![a-z0-9.])"
    + r"|(?<![a-z0-9.])("
    + _SIZE
    + r")\s*的?(?:有吗|有没有|还有|有哪些|吗|\?|\s+(?:available|in stock|left))"
    # "2xl还是3xl", "m or l": a choice between two sizes (the first asked here, the second by _THEN).
    + r"|(?<![a-z0-9.])("
    + _SIZE
    + r")(?:码|号)?(?=\s*(?:还是|或者|\bor\b)\s*"
    + _SIZE
    + ")"
    + r"|(?<=[0-9a-z码])\s*(?:还是|或者|\bor\b)\s*("
    + _SIZE
    + r")(?=\s*(?:码|号码)?\s*(?:啊|呢|吗|\?|$))"
    + r"|\bthere an? (xs|s|m|l)\b|\bcome in ("
    + _SIZE
    + ")"
    + rf"|(?<![a-z0-9.])({_CUP})(?![a-z0-9])"
)


class Phrasebook:
    """Varied phrasing: for each (intent, product) it walks a shuffled order of the templates, so the
    same product asked about again gets different words rather than a repeat the outbox would drop."""

    def __init__(self, rng: random.Random):
        self._rng = rng
        self._orders: dict[tuple[str, ...], list[int]] = {}

    def pick(self, key: tuple[str, ...], templates: Sequence[str]) -> str:
        order = self._orders.get(key)
        if not order:
            order = list(range(len(templates)))
            self._rng.shuffle(order)
            if len(self._orders) > 10_000:
                self._orders.clear()
            self._orders[key] = order
        return templates[order.pop()]


def facts_of(product: Product) -> dict[str, object]:
    return {"link": product.link, "name": product.name, "price": format_price(product.price)}


# "一件多少钱", "how much per pair": of a multipack, the price divided by the count its name states.
_PER_PIECE_ASKED = re.compile(
    r"(?:一|每|单)(?:件|双|条|个|只|片)(?:多少|合多少|才多少|是多少)|算下来|单价|平均|\bper (?:piece|pair|item|one|pc)\b|"
    r"\beach\b"
)
_PACK_COUNT = re.compile(
    r"(\d{1,2})\s*(?:件|双|条|个|只|片|支)\s*装|(\d{1,2})[- ]?(?:pack|pcs|pieces|pairs)\b", re.IGNORECASE
)


def per_piece_text(product: Product, normalized: str, lang: str) -> str:
    """ "，5件装合¥15.98/件" when a multipack's price per piece is asked; '' otherwise."""
    if not _PER_PIECE_ASKED.search(normalized):
        return ""
    match = _PACK_COUNT.search(product.name)
    count = int(next(g for g in match.groups() if g)) if match else 0
    if count < 2:
        return ""
    each = format_price(product.price / count)
    return f"，{count}件装合¥{each}/件" if lang == "zh" else f", ¥{each} each for {count}"


def price_text(product: Product, lang: str, phrases: Phrasebook) -> str:
    """What it costs now. The original price and the saving answer the discount question: every extra
    number in a price answer is one a viewer may take for the price."""
    if lang == "zh":
        sold_out = "" if product.in_stock else "，已售罄"
        return phrases.pick(("price", lang, product.sku), PRICE_ZH).format(
            **facts_of(product), sold_out=sold_out
        )
    sold_out = "" if product.in_stock else ", sold out"
    return phrases.pick(("price", lang, product.sku), PRICE_EN).format(**facts_of(product), sold_out=sold_out)


def no_such_link_text(link: int, lang: str, phrases: Phrasebook) -> str:
    return phrases.pick(("no_link", lang, str(link)), NO_LINK_ZH if lang == "zh" else NO_LINK_EN).format(
        link=link
    )


def discount_ratio_text(product: Product) -> str:
    """ "7折" when the ratio is exact to one decimal ("6.9折"), else "约6.9折"; the numbers are the row's."""
    tenths = product.discount_ratio * 10
    rounded = tenths.quantize(Decimal("0.1"))
    shown = f"{rounded.normalize():f}"
    return f"{shown}折" if rounded == tenths else f"约{shown}折"


def percent_off_text(product: Product) -> str:
    """ "20% off" when exact to a whole percent, else "~30% off": how English viewers read a discount."""
    off = (1 - product.discount_ratio) * 100
    rounded = off.quantize(Decimal("1"))
    return f"{rounded}% off" if rounded == off else f"~{rounded}% off"


# "还剩多少" / "how many left" / "库存?" / "stock for #23?" asks for the count itself, which is then given
# whatever it is ("in stock?" asks only whether).
COUNT_ASKED = re.compile(
    r"剩多少|还有多少|剩几|还有几(?:件|个|双|条|套|只|包)|多少件|多少个|多少双|库存|\bhow many\b|"
    r"(?<!\bin )(?<!\bout of )\bstock\b(?! up)"
)


_PRESALE = re.compile(r"预售|\bpre-?sale\b|\bpre-?order\b", re.IGNORECASE)
PRESALE_HOURS = 168


def is_presale(product: Product) -> bool:
    """A product sold before it is made or delivered: its listing says so, or it ships a week or more out."""
    return product.ship_hours >= PRESALE_HOURS or bool(
        _PRESALE.search(f"{product.name} {product.description}")
    )


def stock_fact(product: Product, lang: str, count_asked: bool = False) -> str:
    if not product.in_stock:
        return "已售罄" if lang == "zh" else "sold out"
    if count_asked:
        fact = f"有货，还剩{product.stock}件" if lang == "zh" else f"in stock, {product.stock} left"
    elif product.stock <= LOW_STOCK:
        fact = f"有货，仅剩{product.stock}件" if lang == "zh" else f"in stock, only {product.stock} left"
    elif product.stock <= COUNTED_STOCK:
        fact = f"有货，还有{product.stock}件" if lang == "zh" else f"in stock, {product.stock} left"
    else:
        fact = "有货" if lang == "zh" else "in stock"
    if is_presale(product):
        # "有现货吗" of a pre-sale: "in stock" alone would promise it ships now.
        ship = shipping_fact(product, lang).split("，" if lang == "zh" else ", ")[0]
        return f"预售款，{fact}，{ship}" if lang == "zh" else f"pre-sale, {fact}, {ship}"
    return fact


# A coupon's amounts ("满300减30", "300-30的券", "减20元"): money, never a size.
_COUPON = re.compile(
    r"满\s*\d+\s*(?:元|块)?\s*减\s*\d+|\d+\s*-\s*\d+\s*(?:的)?券|减\s*\d+\s*(?:元|块)?|\d+\s*(?:元|块)\s*券"
)


def asked_sizes(normalized: str) -> list[str]:
    # "link 21 size 30": the link number is not a size; "腰围72", "头围58": a body, not a size.
    for pattern in LINK_PATTERNS:
        normalized = pattern.sub(" ", normalized)
    normalized = _COUPON.sub(" ", normalized)
    normalized = without_measures(normalized)
    sizes = []
    for match in _SIZE_ASKED.finditer(normalized):
        raw = next((g for g in match.groups() if g), "")
        if not raw:
            continue
        token = canonical_size(raw)
        if token not in sizes:
            sizes.append(token)
    return sizes


# "多长" / "how long" asks a measurement: only sizes written in units ("95cm", "53x53cm") answer it.
_MEASURED = re.compile(r"\d\s*(?:cm|mm|厘米|毫米|米|x\s*\d)")


def _size_named(size: str) -> str:
    """ "XL" is said "XL码"; "均码" and "4XL(180-200斤)" as written."""
    return f"{size}码" if rx.fullmatch(r"[0-9a-zA-Z]{1,4}", size) else size


def listing_says(segments: Sequence[str], lang: str, joined: str | None = None) -> str:
    """ "详情页写着“…”“…”" / 'the listing says "…" "…"': segments of a listing, quoted as written."""
    quoted = (joined or ("”“" if lang == "zh" else '" "')).join(segments)
    return f"详情页写着“{quoted}”" if lang == "zh" else f'the listing says "{quoted}"'


def sizes_measured(product: Product) -> bool:
    """Whether the sizes are written in units ("105cm", "53x53cm"), so that they answer "how long"."""
    return any(_MEASURED.search(s) for s in product.sizes)


def size_fact(product: Product, normalized: str, lang: str) -> str:
    all_sizes = "/".join(product.sizes)
    if not product.sizes:
        return ""
    fit = body_fit(product, normalized)
    usual = usual_fit(product, normalized) if fit is None else None
    if usual is not None:
        # "平时穿42 这双拍几码": the usual size moved by how the listing says its sizes run.
        said, size, words = usual
        if lang == "zh":
            return f"平时穿{said}的话，详情页写着“{words}”，可以选{_size_named(size)}，尺码：{all_sizes}"
        return f'usually {said}: the listing says "{words}", so size {size}; sizes {all_sizes}'
    stated = {kind for kind, _, _ in stated_measures(normalized)}
    if fit is None and "foot" in stated and (table := inner_lengths(product, lang)):
        # "孩子脚长18cm 拍几码": the shoe's inner length per size, which the foot is measured against.
        return f"{table}，尺码：{all_sizes}" if lang == "zh" else f"{table}; sizes {all_sizes}"
    if fit is None and stated & SIZED_BY_CHART_ONLY and not asked_sizes(normalized):
        return ""  # "头围58选什么码" of a listing with no head sizes: the size list would not answer it
    if fit is not None:
        said, fits = fit
        moved = _moved_by_fit_note(product, fits, normalized)
        if moved is not None:
            # "版型偏修身 建议按身高拍大一码": the chart's size, moved as the listing tells everyone to.
            size, words = moved
            if lang == "zh":
                return (
                    f"{said}按尺码表是{_size_named(fits[0])}，详情页写着“{words}”，所以选{_size_named(size)}"
                )
            return f'for {said} the chart gives size {fits[0]}; the listing says "{words}", so size {size}'

        # One size for everyone ("均码"): the range it is written for says more than its name; a body outside
        # the chart is told the chart's ends, so that "130斤能穿吗" hears "均码 90-125斤".
        written = ranges_of(product, fits, lang) if len(product.sizes) == 1 and fits else []
        ends = [] if fits else chart_ends(product, {kind for kind, _, _ in stated_measures(normalized)}, lang)
        # The size that fits is the answer; the full list beside it would read as "any of these".
        if lang == "zh":
            if not fits:
                return f"{said}不在尺码表的范围里" + (
                    f"（{'，'.join(ends)}）" if ends else f"，尺码：{all_sizes}"
                )
            head = f"{said}可以选{'或'.join(map(_size_named, fits))}"
            return head + (f"（{'，'.join(written)}）" if written else "")
        if not fits:
            return f"{said} is outside the size chart" + (
                f" ({', '.join(ends)})" if ends else f"; sizes {all_sizes}"
            )
        head = f"for {said}: {' or '.join(f'size {size}' for size in fits)}"
        return head + (f" ({', '.join(written)})" if written else "")
    asked = asked_sizes(normalized)
    named = sizes_named(product, normalized)
    if named and RANGE_OF_SIZE_ASKED.search(normalized) and (written := ranges_of(product, named, lang)):
        # "这个xl多少斤穿": what the listing writes that size for.
        return (
            ("，".join(written) + f"，尺码：{all_sizes}")
            if lang == "zh"
            else ("; ".join(written) + f"; sizes {all_sizes}")
        )
    if cell := chart_answer(product, normalized, asked, lang):
        return cell  # "1号XL胸围多少": that size's row of the listing's chart
    measured = sizes_measured(product)
    if not asked and MEASURE.search(normalized) and not measured:
        return ""  # "裤长多少" of an S/M/L product: the catalog has no length, so no answer
    if FIT_ASKED.search(normalized):
        return ""  # "偏大吗": the size list does not say how the sizes run
    if MEASURE_ASKED.search(normalized) and (not measured or rx.search(r"宽|\bwid", normalized)):
        return ""  # "27码腰围多少", "how wide is the belt": a size's measurement, which the list is not
    have = {canonical_size(s): s for s in product.sizes}
    parts = []
    if rx.search(r"半码|\bhalf sizes?\b", normalized):  # "有半码吗": yes or no, then the sizes
        halves = any(rx.fullmatch(r"\d+\.5", s.strip()) for s in product.sizes)
        numeric = all(rx.fullmatch(r"\d+(?:\.5)?", s.strip()) for s in product.sizes)
        if halves or numeric:  # letter or cm sizes: the list says it, a "no" would be a guess
            if lang == "zh":
                parts.append("有半码" if halves else "没有半码")
            else:
                parts.append("half sizes available" if halves else "no half sizes")
    for token in asked:
        if token in have:
            parts.append(f"有{have[token]}码" if lang == "zh" else f"{have[token]} is available")
        else:
            parts.append(f"没有{token.upper()}码" if lang == "zh" else f"no {token.upper()}")
    if lang == "zh":
        listing = f"{'尺寸' if measured else '尺码'}：{all_sizes}"
    else:
        listing = (
            f"{'size' if measured or len(product.sizes) == 1 else 'sizes'} {all_sizes}"  # one size: "size M"
        )
    if not asked and not FIT_ASKED.search(normalized):
        # "kids socks sizes?": what each size is for, where the listing writes it ("S码1-3岁").
        chart = (
            ranges_of(product, list(product.sizes), lang)
            if not any(_BODY_RANGE_IN.search(s) for s in product.sizes)
            else []
        )
        if chart:
            listing += f"（{'，'.join(chart)}）" if lang == "zh" else f" ({', '.join(chart)})"
    parts.append(listing)
    # "wat size is the crew socks for": one size says nothing of whom it fits; the listing's range does.
    if all(ONE_SIZE.fullmatch(s.strip().lower()) for s in product.sizes):
        fits = [seg for seg in _CLAUSES.split(product.description) if ONE_SIZE_FITS.search(seg)]
        if fits:
            parts.append(listing_says([seg.strip() for seg in fits[:2]], lang, joined="”“"))
    return "，".join(parts) if lang == "zh" else ", ".join(parts)


_BODY_RANGE_IN = re.compile(r"\d\s*[-~～到]\s*\d")  # "4XL(180-200斤)": the size says it already
ONE_SIZE = re.compile(r"均码|free ?size|one ?size|os|f")
_CLAUSES = re.compile(r"[，,;；。]")
# Whom a one-size product fits, as a listing says it: "适合35-42码脚", "头围54-58cm".
ONE_SIZE_FITS = re.compile(
    r"\d{2,3}\s*[-~～到]\s*\d{2,3}\s*(?:码|cm|厘米|斤|kg)|头围|适合.{0,6}\d|^\s*[长宽]\s*约?\s*\d{2,3}\s*(?:cm|厘米)"
)


def color_fact(product: Product, normalized: str, lang: str) -> str:
    if not product.colors:
        return ""
    have, missing = mentioned_colors(normalized, product)
    listing = "/".join(product.colors)
    # Asked as flavours or scents, the column's values are named so ("口味有：原味/香辣").
    kind = next((said for pattern, said in _VARIANT_KINDS if pattern.search(normalized)), None)
    if lang == "zh":
        parts = [f"有{c}" for c in have] + [f"没有{m}" for m in missing]
        return "，".join([*parts, f"{kind[0] if kind else '颜色'}有：{listing}"])
    parts = [f"{c} is available" for c in have] + [f"no {m}" for m in missing]
    return ", ".join([*parts, f"{kind[1] if kind else 'colours'}: {listing}"])


_VARIANT_KINDS = (
    (re.compile(FLAVOURS_ASKED), ("口味", "flavours")),
    (re.compile(SCENTS_ASKED), ("香型", "scents")),
)


# "充绒量多少克 / how heavy": a weight, which a material states only with a weight unit.
WEIGHT_ASKED = re.compile(
    r"充绒量|充棉量|填充量|多少克|几克|克数|多重|重量|\bgrams?\b|\bhow heavy\b|\bweigh|\bfill (?:weight|power)\b"
)
_OWN_WEIGHT_ASKED = re.compile(r"多重|多沉|重量|\bhow heavy\b|\bweigh")
_FILL = re.compile(r"充绒|充棉|填充|\bfill")
_WEIGHT_UNIT = re.compile(r"\d\s*(?:克|g\b|kg|斤|两|公斤|grams?)")
# "含量多少 / how much wool": a share, which only a material written with numbers (or 纯, pure) states.
SHARE_ASKED = re.compile(r"含量|比例|占比|百分之|几成|多少|\bhow much\b|\bpercent|%")


def material_fact(product: Product, lang: str, normalized: str = "") -> str:
    if not product.material:
        return ""
    material = product.material.lower()
    if WEIGHT_ASKED.search(normalized):
        if not _WEIGHT_UNIT.search(material):
            return ""
        if _OWN_WEIGHT_ASKED.search(normalized) and not _FILL.search(normalized) and _FILL.search(material):
            return ""  # "羽绒服多重" is not answered by "充绒量300g": the description may state the weight

    elif SHARE_ASKED.search(normalized) and not rx.search(r"\d|纯|pure", material):
        return ""
    if _INGREDIENTS_ASKED.search(normalized):
        # A food's column holds its ingredients: named as asked ("配料：牛肉、食用盐").
        return f"配料：{product.material}" if lang == "zh" else f"ingredients: {product.material}"
    return f"材质是{product.material}" if lang == "zh" else f"material: {product.material}"


_INGREDIENTS_ASKED = re.compile(r"配料|\bingredients?\b")


# What a listing says of its postage: "运费6元", "满2件包邮", "邮费5元 两件包邮".
_POSTAGE_STATED = re.compile(r"运费|邮费|包邮|\bpostage\b|\bshipping (?:fee|cost)\b|\bships? free\b")


def shipping_fact(product: Product, lang: str) -> str:
    hours = product.ship_hours
    # A pre-sale's "360 hours" is read as days by viewers; the hours stay, as the row states them.
    days = hours // 24 if hours >= 72 and hours % 24 == 0 else 0
    # Not free: what the listing says it costs, or when it is free after all ("运费6元，2件包邮").
    terms = (
        []
        if product.free_shipping
        else [c.strip() for c in _CLAUSES.split(product.description) if _POSTAGE_STATED.search(c.lower())]
    )
    if lang == "zh":
        free = "包邮" if product.free_shipping else "不包邮"
        within = f"{hours}小时（{days}天）" if days else f"{hours}小时"
        said = f"，详情页写着“{'”“'.join(terms[:2])}”" if terms else ""
        return f"付款后{within}内发货，{free}{said}"
    free = "free shipping" if product.free_shipping else "no free shipping"
    within = f"{hours} hours ({days} days)" if days else f"{hours} hours"
    quoted = '" "'.join(terms[:2])
    said = f'; the listing says "{quoted}"' if terms else ""
    return f"ships within {within} of payment, {free}{said}"


def _moved_by_fit_note(product: Product, fits: list[str], asked: str) -> tuple[str, str] | None:
    """(the size one step from the one chart size that fits, the listing's words) where the listing says for
    everyone, or for viewers like the asker, to take a size up or down; None otherwise (a half step on whole
    sizes is left to the viewer)."""
    found = fit_step(product, asked)
    if len(fits) != 1 or found is None or found[0] not in (1.0, -1.0) or fits[0] not in product.sizes:
        return None
    step, words = found
    at = product.sizes.index(fits[0]) + int(step)
    return (product.sizes[at], words) if 0 <= at < len(product.sizes) else None


# No markdown on a product, in the words viewers use for it (不打折 / no discount): shop jargon such as
# "划线价" or "markdown" reads to a viewer as an evasion, or as a different fact.
NO_DISCOUNT_ZH = ("现价¥{price}，不打折，没有折扣", "¥{price}，这款不打折", "¥{price}，没有折扣，不打折")
NO_DISCOUNT_EN = (
    "¥{price}, no discount on this one",
    "¥{price}, no discount, that is the full price",
    "no discount on this one, it is ¥{price}",
)


def discount_fact(product: Product, lang: str, phrases: Phrasebook | None = None) -> str:
    price, orig = format_price(product.price), format_price(product.original_price)
    if product.original_price <= product.price:
        templates = NO_DISCOUNT_ZH if lang == "zh" else NO_DISCOUNT_EN
        template = phrases.pick(("no_discount", lang, product.sku), templates) if phrases else templates[0]
        return template.format(price=price)
    saving = format_price(product.saving)
    ratio = discount_ratio_text(product)
    if lang == "zh":
        return f"现价¥{price}，原价¥{orig}，省¥{saving}（{ratio}）"
    return f"¥{price}, was ¥{orig}: save ¥{saving} ({percent_off_text(product)})"


def product_text(
    product: Product, intents: Sequence[str], normalized: str, lang: str, phrases: Phrasebook
) -> str:
    """One answer about one product covering each asked intent; '' when a needed fact is missing."""
    if intents == ("price",) or (intents and intents[0] == "price" and len(intents) == 1):
        return price_text(product, lang, phrases) + per_piece_text(product, normalized, lang)
    facts: list[str] = []
    for intent in intents:
        fact = intent_fact(product, intent, normalized, lang, phrases)
        if not fact:
            return ""
        facts.append(fact)
    if not facts:
        return ""
    # Whatever was asked, a sold-out product is said to be sold out.
    if "stock" not in intents and not product.in_stock:
        facts.append(stock_fact(product, lang))
    head = phrases.pick(("head", lang, product.sku, *intents), HEAD_ZH if lang == "zh" else HEAD_EN)
    return head.format(**facts_of(product)) + ("，" if lang == "zh" else "; ").join(facts)


def intent_fact(product: Product, intent: str, normalized: str, lang: str, phrases: Phrasebook) -> str:
    """The fact that answers one intent about one product, without the product's name; '' when the row
    lacks it."""
    fact = {
        "price": lambda: f"¥{format_price(product.price)}",
        "discount": lambda: discount_fact(product, lang, phrases),
        "stock": lambda: stock_fact(product, lang, bool(COUNT_ASKED.search(normalized))),
        "size": lambda: size_fact(product, normalized, lang),
        "color": lambda: color_fact(product, normalized, lang),
        "material": lambda: material_fact(product, lang, normalized),
        "shipping": lambda: shipping_fact(product, lang),
    }.get(intent, lambda: "")
    return fact()


def shared_fact_text(products: Sequence[Product], intents: Sequence[str], normalized: str, lang: str) -> str:
    """ "发簪包邮吗" of two hairpins that both ship the same way: one answer naming both, since the fact
    is the same whichever was meant; '' when the facts differ (then the caller asks which link)."""
    if len(products) > 4 or len(intents) != 1 or intents[0] in ("price", "discount", "stock"):
        return ""
    quiet = Phrasebook(random.Random(0))  # the fact only, compared across products
    facts = {intent_fact(p, intents[0], normalized, lang, quiet) for p in products}
    fact = facts.pop() if len(facts) == 1 else ""
    if not fact or any(not p.in_stock for p in products):
        return ""
    if lang == "zh":
        return "、".join(f"{p.link}号" for p in products) + f"都一样：{fact}"
    links = ", ".join(str(p.link) for p in products[:-1]) + f" and {products[-1].link}"
    return f"Same for links {links}: {fact}"


def sold_out_policy_text(product: Product, policy: str, lang: str, phrases: Phrasebook) -> str:
    """ "3号啥时候补货": that the product is sold out, then the shop's policy that answers the rest."""
    head = phrases.pick(("head", lang, product.sku, "restock"), HEAD_ZH if lang == "zh" else HEAD_EN)
    said = "已售罄。" if lang == "zh" else "sold out. "
    return head.format(**facts_of(product)) + said + policy


# Said after "sold out" when nothing the shop wrote gives a restock date.
_NO_RESTOCK_DATE = {
    "zh": "补货时间商品页没有写，已经帮你留言给主播",
    "en": "The listing gives no restock date; your question is passed to the host",
}


def sold_out_no_date_text(product: Product, lang: str, phrases: Phrasebook) -> str:
    """ "7号什么时候补货" with no date anywhere: that it is sold out, and that the host will see the question."""
    return sold_out_policy_text(product, _NO_RESTOCK_DATE[lang], lang, phrases)


def ambiguous_text(
    products: Sequence[Product],
    lang: str,
    phrases: Phrasebook,
    intents: Sequence[str] = (),
    normalized: str = "",
) -> str:
    """The candidates with their links and prices, and, for two or three of them asked one fact ("卡包有蓝色的
    吗"), each one's fact: the viewer may not need to say which."""
    shown = products[:4]
    quiet = Phrasebook(random.Random(0))
    each = len(shown) <= 3 and len(intents) == 1 and intents[0] in _FACT_PER_CANDIDATE
    facts = [intent_fact(p, intents[0], normalized, lang, quiet) if each else "" for p in shown]

    def price(p: Product, fact: str) -> str:
        return "" if fact and intents[0] == "discount" else f" ¥{format_price(p.price)}"  # the fact says it

    if lang == "zh":
        items = "；".join(
            f"{p.link}号 {p.name}{price(p, f)}" + (f"（{f}）" if f else "")
            for p, f in zip(shown, facts, strict=True)
        )
        return phrases.pick(("ambiguous", lang, *(p.sku for p in shown)), AMBIGUOUS_ZH).format(items=items)
    items = "; ".join(
        f"link {p.link} {p.name}{price(p, f)}" + (f" ({f})" if f else "")
        for p, f in zip(shown, facts, strict=True)
    )
    return phrases.pick(("ambiguous", lang, *(p.sku for p in shown)), AMBIGUOUS_EN).format(items=items)


# Facts short enough to give for each candidate of an ambiguous question.
_FACT_PER_CANDIDATE = frozenset({"color", "size", "stock", "material", "shipping", "discount"})


def recommend_text(products: Sequence[Product], lang: str, phrases: Phrasebook) -> str:
    if lang == "zh":
        items = "；".join(f"{p.link}号 {p.name} ¥{format_price(p.price)}" for p in products)
        templates = RECOMMEND_ONE_ZH if len(products) == 1 else RECOMMEND_ZH
        return phrases.pick(("recommend", lang, *(p.sku for p in products)), templates).format(items=items)
    items = "; ".join(f"link {p.link} {p.name} ¥{format_price(p.price)}" for p in products)
    return phrases.pick(("recommend", lang, *(p.sku for p in products)), RECOMMEND_EN).format(items=items)


def _degrees(asked: tuple[int, int], lang: str) -> str:
    low, high = asked
    said = f"{low}" if low == high else (f"{low}到{high}" if lang == "zh" else f"{low} to {high}")
    return f"{said}℃" if lang == "zh" else f"{said}°C"


def _with_words(picks: Sequence[tuple[Product, str]], lang: str) -> str:
    """Each product with the listing's own words that chose it ("36号 … ¥69（适合-25到-15℃）")."""
    if lang == "zh":
        return "；".join(f"{p.link}号 {p.name} ¥{format_price(p.price)}（{said}）" for p, said in picks)
    return "; ".join(f"link {p.link} {p.name} ¥{format_price(p.price)} ({said})" for p, said in picks)


def weather_text(
    picks: Sequence[tuple[Product, str]], asked: tuple[int, int] | None, lang: str, phrases: Phrasebook
) -> str:
    """ "零下20度穿哪个": each product with the listing's own words for the weather it is for; without a
    temperature ("which is warmest") the listings' coldest."""
    key = ("weather", lang, *(p.sku for p, _ in picks))
    if asked is None:
        templates = WARMEST_ZH if lang == "zh" else WARMEST_EN
        return phrases.pick(key, templates).format(items=_with_words(picks, lang))
    templates = WEATHER_ZH if lang == "zh" else WEATHER_EN
    return phrases.pick(key, templates).format(weather=_degrees(asked, lang), items=_with_words(picks, lang))


def lightest_text(picks: Sequence[tuple[Product, str]], lang: str, phrases: Phrasebook) -> str:
    key = ("lightest", lang, *(p.sku for p, _ in picks))
    return phrases.pick(key, LIGHTEST_ZH if lang == "zh" else LIGHTEST_EN).format(
        items=_with_words(picks, lang)
    )


def which_link_text(products: Sequence[Product], lang: str) -> str:
    """ "豆沙紫是几号": the link numbers of what was described, with name and price to check it by."""
    if lang == "zh":
        items = "；".join(f"{p.link}号 {p.name} ¥{format_price(p.price)}" for p in products)
        return f"是{items}" if len(products) == 1 else f"有{len(products)}个链接：{items}"
    items = "; ".join(f"link {p.link} {p.name} ¥{format_price(p.price)}" for p in products)
    return f"That's {items}" if len(products) == 1 else f"{len(products)} links: {items}"


# A FAQ answer that holds an English sentence of its own ("中文 / English") is not "in Chinese".
_ENGLISH_SENTENCE = re.compile(r"[A-Za-z]{2,}(?:[^A-Za-z\u4e00-\u9fff]+[A-Za-z]{2,}){3}")


def faq_text(entry: FaqEntry, lang: str, also: FaqEntry | None = None) -> str:
    answer = entry.answer if also is None else f"{entry.answer} {also.answer}"
    if lang == "zh":
        return answer
    prefix = "Shop policy: " if _ENGLISH_SENTENCE.search(answer) else FAQ_EN_PREFIX
    return prefix + answer
