"""Compose answers from catalog facts only: every number, size, colour and material comes from the row.

Templates carry no facts of their own; several per intent keep the room from reading the same line twice.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from decimal import Decimal

from bot.catalog import FaqEntry, Product, format_price
from bot.qa.intents import MEASURE
from bot.qa.linking import LINK_PATTERNS, mentioned_colors

LOW_STOCK = 10

PRICE_ZH = (
    "{link}号 {name} 现在¥{price}{was}",
    "{link}号链接 {name}：直播间价¥{price}{was}",
    "{name}（{link}号）¥{price}{was}",
)
PRICE_EN = (
    "Link {link} {name} is ¥{price}{was}",
    "{name} (link {link}): ¥{price}{was}",
    "Link {link}, {name}: ¥{price} now{was}",
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
FAQ_EN_PREFIX = "Shop policy (in Chinese): "

_SIZE = r"(?:[2-4]xl|x{0,4}l|xs|s|m|\d{2,3}(?:\.5)?)(?![a-z0-9])"
_THEN = r"(?=\s*(?:码|号码|的|吗|么|呢|没|不|有|\?|$|\s+(?:available|in stock|left|pls|please|for|size)))"
# Ways a size is asked for: "有L码吗", "L码", "xl有吗", "腰围31", "waist 35", "is there an M", "come in 3XL".
_SIZE_ASKED = re.compile(
    r"(?:有|穿|要|拿|买|\bin\b|\bsize\b|\bhave\b|\ban?\b)\s*("
    + _SIZE
    + ")"
    + _THEN
    + r"|(?<![a-z0-9.])("
    + _SIZE
    + r")\s*(?:码|号码|\bsize\b)"
    + r"|(?:腰围|\bwaist\s*)(\d{2})"
    + r"|(?<![a-z0-9.])("
    + _SIZE
    + r")\s*的?(?:有吗|有没有|还有|吗|\?|\s+(?:available|in stock|left))"
    + r"|\bthere an? (xs|s|m|l)\b|\bcome in ("
    + _SIZE
    + ")"
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


def _facts(product: Product) -> dict[str, object]:
    return {"link": product.link, "name": product.name, "price": format_price(product.price)}


def price_text(product: Product, lang: str, phrases: Phrasebook) -> str:
    was = ""
    if lang == "zh":
        if product.original_price > product.price:
            was = f"（原价¥{format_price(product.original_price)}，省¥{format_price(product.saving)}）"
        if not product.in_stock:
            was += "，已售罄"
        return phrases.pick(("price", lang, product.sku), PRICE_ZH).format(**_facts(product), was=was)
    if product.original_price > product.price:
        was = f" (was ¥{format_price(product.original_price)}, save ¥{format_price(product.saving)})"
    if not product.in_stock:
        was += ", sold out"
    return phrases.pick(("price", lang, product.sku), PRICE_EN).format(**_facts(product), was=was)


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


# "还剩多少" / "how many left" asks for the count itself, which is then given whatever it is.
COUNT_ASKED = re.compile(
    r"剩多少|还有多少|剩几|还有几(?:件|个|双|条|套|只|包)|多少件|多少个|多少双|库存多少|多少库存|\bhow many\b"
)


def stock_fact(product: Product, lang: str, count_asked: bool = False) -> str:
    if not product.in_stock:
        return "已售罄" if lang == "zh" else "sold out"
    if count_asked:
        return f"有货，还剩{product.stock}件" if lang == "zh" else f"in stock, {product.stock} left"
    if product.stock <= LOW_STOCK:
        return f"有货，仅剩{product.stock}件" if lang == "zh" else f"in stock, only {product.stock} left"
    return "有货" if lang == "zh" else "in stock"


def canonical_size(size: str) -> str:
    return size.lower().replace("2xl", "xxl").replace("3xl", "xxxl").replace("4xl", "xxxxl")


def asked_sizes(normalized: str) -> list[str]:
    # "link 21 size 30": the link number is not a size.
    for pattern in LINK_PATTERNS:
        normalized = pattern.sub(" ", normalized)
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


def size_fact(product: Product, normalized: str, lang: str) -> str:
    all_sizes = "/".join(product.sizes)
    if not product.sizes:
        return ""
    asked = asked_sizes(normalized)
    measured = any(_MEASURED.search(s) for s in product.sizes)
    if not asked and MEASURE.search(normalized) and not measured:
        return ""  # "裤长多少" of an S/M/L product: the catalog has no length, so no answer
    have = {canonical_size(s): s for s in product.sizes}
    parts = []
    for token in asked:
        if token in have:
            parts.append(f"有{have[token]}码" if lang == "zh" else f"{have[token]} is available")
        else:
            parts.append(f"没有{token.upper()}码" if lang == "zh" else f"no {token.upper()}")
    if lang == "zh":
        listing = f"{'尺寸' if measured else '尺码'}：{all_sizes}"
    else:
        listing = f"{'size' if measured else 'sizes'} {all_sizes}"
    return "，".join([*parts, listing]) if lang == "zh" else ", ".join([*parts, listing])


def color_fact(product: Product, normalized: str, lang: str) -> str:
    if not product.colors:
        return ""
    have, missing = mentioned_colors(normalized, product)
    listing = "/".join(product.colors)
    if lang == "zh":
        parts = [f"有{c}" for c in have] + [f"没有{m}" for m in missing]
        return "，".join([*parts, f"颜色有：{listing}"])
    parts = [f"{c} is available" for c in have] + [f"no {m}" for m in missing]
    return ", ".join([*parts, f"colours: {listing}"])


def material_fact(product: Product, lang: str) -> str:
    if not product.material:
        return ""
    return f"材质是{product.material}" if lang == "zh" else f"material: {product.material}"


def shipping_fact(product: Product, lang: str) -> str:
    if lang == "zh":
        free = "包邮" if product.free_shipping else "不包邮"
        return f"付款后{product.ship_hours}小时内发货，{free}"
    free = "free shipping" if product.free_shipping else "no free shipping"
    return f"ships within {product.ship_hours} hours of payment, {free}"


def discount_fact(product: Product, lang: str) -> str:
    price, orig = format_price(product.price), format_price(product.original_price)
    if product.original_price <= product.price:
        return f"现价¥{price}，没有划线价优惠" if lang == "zh" else f"¥{price}, no markdown on this one"
    saving = format_price(product.saving)
    ratio = discount_ratio_text(product)
    if lang == "zh":
        return f"现价¥{price}，原价¥{orig}，省¥{saving}（{ratio}）"
    return f"¥{price}, was ¥{orig}: save ¥{saving} ({ratio.replace('约', '~')})"


def product_text(
    product: Product, intents: Sequence[str], normalized: str, lang: str, phrases: Phrasebook
) -> str:
    """One answer about one product covering each asked intent; '' when a needed fact is missing."""
    if intents == ("price",) or (intents and intents[0] == "price" and len(intents) == 1):
        return price_text(product, lang, phrases)
    facts: list[str] = []
    for intent in intents:
        fact = {
            "price": lambda: f"¥{format_price(product.price)}",
            "discount": lambda: discount_fact(product, lang),
            "stock": lambda: stock_fact(product, lang, bool(COUNT_ASKED.search(normalized))),
            "size": lambda: size_fact(product, normalized, lang),
            "color": lambda: color_fact(product, normalized, lang),
            "material": lambda: material_fact(product, lang),
            "shipping": lambda: shipping_fact(product, lang),
        }.get(intent, lambda: "")()
        if not fact:
            return ""
        facts.append(fact)
    if not facts:
        return ""
    # Whatever was asked, a sold-out product is said to be sold out.
    if "stock" not in intents and not product.in_stock:
        facts.append(stock_fact(product, lang))
    head = phrases.pick(("head", lang, product.sku, *intents), HEAD_ZH if lang == "zh" else HEAD_EN)
    return head.format(**_facts(product)) + ("，" if lang == "zh" else "; ").join(facts)


def ambiguous_text(products: Sequence[Product], lang: str, phrases: Phrasebook) -> str:
    shown = products[:4]
    if lang == "zh":
        items = "；".join(f"{p.link}号 {p.name} ¥{format_price(p.price)}" for p in shown)
        return phrases.pick(("ambiguous", lang, *(p.sku for p in shown)), AMBIGUOUS_ZH).format(items=items)
    items = "; ".join(f"link {p.link} {p.name} ¥{format_price(p.price)}" for p in shown)
    return phrases.pick(("ambiguous", lang, *(p.sku for p in shown)), AMBIGUOUS_EN).format(items=items)


def recommend_text(products: Sequence[Product], lang: str, phrases: Phrasebook) -> str:
    if lang == "zh":
        items = "；".join(f"{p.link}号 {p.name} ¥{format_price(p.price)}" for p in products)
        return phrases.pick(("recommend", lang, *(p.sku for p in products)), RECOMMEND_ZH).format(items=items)
    items = "; ".join(f"link {p.link} {p.name} ¥{format_price(p.price)}" for p in products)
    return phrases.pick(("recommend", lang, *(p.sku for p in products)), RECOMMEND_EN).format(items=items)


def faq_text(entry: FaqEntry, lang: str) -> str:
    return entry.answer if lang == "zh" else FAQ_EN_PREFIX + entry.answer
