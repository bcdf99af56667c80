"""Promotions for one room: when the streamer switches products and again every `promo.interval_s`, a
text about the on-screen product (room feature `promo`) and a promo card (feature `images`).

A producer beside the pipeline (timers are not chat events): it hands `Reply` and `PostImage` items to
the room's compliance gate and outbox, where promotions wait behind every answer and count against the
room's rate.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.catalog import Catalog, Product
from bot.config import PromoConfig
from bot.events import Outgoing, PostImage, Priority, Reply
from bot.images import ImagePool
from bot.promo_text import PromoTexts
from bot.room import RoomState

log = logging.getLogger(__name__)


@dataclass
class Promoter:
    state: RoomState
    catalog: Catalog
    config: PromoConfig
    put: Callable[[Outgoing], None]
    texts: PromoTexts | None = None
    pool: ImagePool | None = None
    posted: int = 0
    cards: int = 0

    async def run(self) -> None:
        next_at = time.monotonic() + self.config.interval_s
        while True:
            switched = False
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(0.0, next_at - time.monotonic())):
                    await self.state.product_changed.wait()
                    switched = True
            self.state.product_changed.clear()
            if switched and not self.config.on_product_switch:
                continue
            next_at = time.monotonic() + self.config.interval_s
            for post in (self.post_text, self.post_card):
                try:
                    await post()
                except Exception:
                    # A failed post (a font, a model) must not end the room's promotions: log, try next time.
                    log.exception("[%s] could not make a promotion", self.state.name)

    def _on_screen(self, feature: str) -> Product | None:
        """The product on screen, when the room's feature for this kind of promotion is on."""
        sku = self.state.current_sku
        return self.catalog.by_sku(sku) if sku and self.state.feature(feature) else None

    async def post_text(self) -> bool:
        state = self.state
        product = self._on_screen("promo")
        if product is None or self.texts is None:
            return False
        copy = await self.texts.write(product, state.config.language)
        if copy is None:
            return False
        # A promotion for a product that has left the screen by the time it is sent says the wrong thing.
        self.put(Reply(state.name, copy.text, priority=Priority.PROMO, max_age_s=self.config.max_age_s))
        self.posted += 1
        log.info("[%s] promo text for %s (%s)", state.name, product.sku, copy.source)
        return True

    async def post_card(self) -> bool:
        state = self.state
        product = self._on_screen("images")
        if product is None or self.pool is None:
            return False
        card = await self.pool.card(product, state.config.language)
        if card is None:
            return False
        self.put(PostImage(state.name, "", card.alt, data=card.png, priority=Priority.PROMO))
        self.cards += 1
        log.info("[%s] promo card for %s (gan %s, seed %d)", state.name, product.sku, card.version, card.seed)
        return True
