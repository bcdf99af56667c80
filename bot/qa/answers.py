"""Compose answers from catalog facts only: every number in a reply comes from the product row."""

from __future__ import annotations

import random

from bot.catalog import Product, format_price

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


class Phrasebook:
    """Varied phrasing: for each (intent, product) it walks a shuffled order of the templates, so the
    same product asked about again gets different words rather than a repeat the outbox would drop."""

    def __init__(self, rng: random.Random):
        self._rng = rng
        self._orders: dict[tuple[str, ...], list[int]] = {}

    def pick(self, key: tuple[str, ...], templates: tuple[str, ...]) -> str:
        order = self._orders.get(key)
        if not order:
            order = list(range(len(templates)))
            self._rng.shuffle(order)
            if len(self._orders) > 10_000:
                self._orders.clear()
            self._orders[key] = order
        return templates[order.pop()]


def price_text(product: Product, lang: str, phrases: Phrasebook) -> str:
    facts = {"link": product.link, "name": product.name, "price": format_price(product.price)}
    if lang == "zh":
        was = ""
        if product.original_price > product.price:
            was = f"（原价¥{format_price(product.original_price)}，省¥{format_price(product.saving)}）"
        if not product.in_stock:
            was += "，已售罄"
        return phrases.pick(("price", lang, product.sku), PRICE_ZH).format(**facts, was=was)
    was = ""
    if product.original_price > product.price:
        was = f" (was ¥{format_price(product.original_price)}, save ¥{format_price(product.saving)})"
    if not product.in_stock:
        was += ", sold out"
    return phrases.pick(("price", lang, product.sku), PRICE_EN).format(**facts, was=was)


def no_such_link_text(link: int, lang: str, phrases: Phrasebook) -> str:
    return phrases.pick(("no_link", lang, str(link)), NO_LINK_ZH if lang == "zh" else NO_LINK_EN).format(
        link=link
    )
