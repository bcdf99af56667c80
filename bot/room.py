"""What the bot knows about one room while it runs. Rooms share nothing, so they shard across processes."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from bot.config import FEATURES, RoomConfig
from bot.events import Stats


@dataclass
class RoomState:
    name: str
    config: RoomConfig
    enabled: bool = True
    features: dict[str, bool] = field(default_factory=dict)
    current_sku: str | None = None
    bot_uid: str | None = None
    # Event ids grow strictly per room, so one number remembers every event already handled.
    last_event_id: int = 0
    welcomed: bool = False
    stats: Stats = field(default_factory=Stats)
    queued: int = 0
    # uid -> (sku, ts_ms) of the product the viewer last asked about, for "那黑色呢" follow-ups.
    recent_products: OrderedDict[str, tuple[str, int]] = field(default_factory=OrderedDict)
    max_viewers_remembered: int = 5000
    # uid -> ts_ms of the last proactive recommendation, for the one-per-10-minutes rule.
    suggested_at: dict[str, int] = field(default_factory=dict)
    # Set when the streamer puts another product on screen (the promoter posts its card then).
    product_changed: asyncio.Event = field(default_factory=asyncio.Event)

    @classmethod
    def from_config(cls, name: str, config: RoomConfig) -> RoomState:
        return cls(name=name, config=config, features={f: bool(getattr(config, f)) for f in FEATURES})

    def apply_settings(self, settings: dict[str, Any]) -> None:
        """Moderators' persisted switches win over the config file's initial values."""
        if isinstance(settings.get("enabled"), bool):
            self.enabled = settings["enabled"]
        for feature in FEATURES:
            value = settings.get(f"feature.{feature}")
            if isinstance(value, bool):
                self.features[feature] = value

    def remember_product(self, uid: str, sku: str, ts_ms: int) -> None:
        self.recent_products[uid] = (sku, ts_ms)
        self.recent_products.move_to_end(uid)
        while len(self.recent_products) > self.max_viewers_remembered:
            self.recent_products.popitem(last=False)

    def viewer_product(self, uid: str, now_ms: int, window_s: float) -> str | None:
        sku, ts_ms = self.recent_products.get(uid, (None, 0))
        return sku if sku is not None and now_ms - ts_ms <= window_s * 1000 else None

    def show(self, sku: str) -> None:
        if sku != self.current_sku:
            self.current_sku = sku
            self.product_changed.set()

    def feature(self, name: str) -> bool:
        return self.enabled and self.features.get(name, False)
