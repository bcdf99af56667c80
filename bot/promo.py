"""Promotions for one room: a card for the on-screen product when the streamer switches to it and again
every `promo.interval_s`, while the room's `images` feature is on.

A producer beside the pipeline (timers are not chat events): it hands `PostImage` items to the same outbox,
where promotions wait behind every answer and count against the room's rate.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.catalog import Catalog
from bot.config import PromoConfig
from bot.events import Outgoing, PostImage, Priority
from bot.images import ImagePool
from bot.room import RoomState

log = logging.getLogger(__name__)


@dataclass
class Promoter:
    state: RoomState
    catalog: Catalog
    pool: ImagePool
    config: PromoConfig
    put: Callable[[Outgoing], None]
    posted: int = 0

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
            try:
                await self.post_card()
            except Exception:
                # A failed card (a font, a model) must not end the room's promotions: log, try next time.
                log.exception("[%s] could not make a promo card", self.state.name)

    async def post_card(self) -> bool:
        state = self.state
        product = self.catalog.by_sku(state.current_sku) if state.current_sku else None
        if product is None or not state.feature("images"):
            return False
        card = await self.pool.card(product, state.config.language)
        if card is None:
            return False
        self.put(PostImage(state.name, "", card.alt, data=card.png, priority=Priority.PROMO))
        self.posted += 1
        log.info("[%s] promo card for %s (gan %s, seed %d)", state.name, product.sku, card.version, card.seed)
        return True
