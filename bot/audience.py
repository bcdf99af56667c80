"""Simulated viewers for the demo and the load benchmarks: real websocket clients that chat, ask, click, buy.

Their questions are written in the way live chat really looks (no punctuation, full-width digits, English
next to Chinese), and they are not the bot's answer templates.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from bot.catalog import Catalog
from bot.config import AudienceConfig
from bot.transports.liveroom import with_query

log = logging.getLogger(__name__)

NAMES = (
    "小美", "阿强", "糖糖", "Lily", "大橙子", "Tom", "乐乐", "momo", "小鹿", "Kevin", "阿紫", "Ann", "胖虎",
    "Mia", "星星", "Jay", "奶茶", "Zoe", "老王", "Coco",
)  # fmt: skip
CHATTER = (
    "666", "哈哈哈哈", "主播好美", "来了来了", "好看", "已拍", "宝宝们冲", "主播今天好好看", "姐妹们这个绝了",
    "nice", "love it", "hello from Shanghai", "first time here", "👍👍👍", "主播声音好好听", "等了好久",
)  # fmt: skip
PRICE_ZH = ("{n}号多少钱", "{n}号链接多少钱呀", "{w}号什么价", "主播{n}号怎么卖", "{n}号多钱", "链接{n}价格")
PRICE_ON_SCREEN_ZH = ("这件多少钱", "主播身上这个多少钱", "现在这个什么价格", "这个多少钱啊啊啊")
PRICE_EN = ("how much is link {n}", "price of #{n}?", "link {n} price pls", "how much is this one")
OTHER_ZH = ("{n}号有L码吗", "包邮吗", "{n}号还有货吗", "{n}号什么材质", "几天发货", "能开发票吗")
OTHER_EN = ("is link {n} available in M?", "do you ship to the US?", "what material is #{n}")


def full_width(number: int) -> str:
    return "".join(chr(ord("０") + int(d)) for d in str(number))


@dataclass
class ViewerScript:
    """Picks what one simulated viewer does next; `rng` makes a run reproducible."""

    catalog: Catalog
    config: AudienceConfig
    rng: random.Random

    def next_frame(self) -> dict[str, str]:
        roll = self.rng.random()
        cfg = self.config
        product = self.rng.choice(self.catalog.products)
        if roll < cfg.purchase_share:
            return {"type": "purchase", "sku": product.sku}
        if roll < cfg.purchase_share + cfg.click_share:
            return {"type": "click", "sku": product.sku}
        if roll < cfg.purchase_share + cfg.click_share + cfg.question_share:
            return {"type": "chat", "text": self.question(product.link)}
        return {"type": "chat", "text": self.rng.choice(CHATTER)}

    def question(self, link: int) -> str:
        english = self.rng.random() < self.config.english_share
        price = self.rng.random() < 0.7
        if english:
            template = self.rng.choice(PRICE_EN if price else OTHER_EN)
        elif price:
            template = self.rng.choice(PRICE_ZH + PRICE_ON_SCREEN_ZH)
        else:
            template = self.rng.choice(OTHER_ZH)
        return template.format(n=link, w=full_width(link))


class Audience:
    """`viewers` websocket clients in one room, together sending about `messages_per_s` frames."""

    def __init__(
        self,
        room_url: str,
        catalog: Catalog,
        config: AudienceConfig,
        seed: int | None = None,
        on_frame: Callable[[dict[str, object]], None] | None = None,
    ):
        self.room_url = room_url
        self.catalog = catalog
        self.config = config
        self._rng = random.Random(seed)
        self._on_frame = on_frame
        self.sent = 0

    async def run(self) -> None:
        async with asyncio.TaskGroup() as group:
            for i in range(self.config.viewers):
                name = NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else str(i // len(NAMES)))
                rng = random.Random(self._rng.random())
                group.create_task(self._viewer(f"sim-{i}", name, rng), name=f"viewer:{name}")

    async def _viewer(self, uid: str, name: str, rng: random.Random) -> None:
        script = ViewerScript(self.catalog, self.config, rng)
        per_viewer_s = self.config.viewers / max(self.config.messages_per_s, 1e-6)
        url = with_query(self.room_url, name=name, uid=uid)
        while True:
            try:
                async with connect(url, open_timeout=10, max_size=2**20) as ws:
                    await asyncio.gather(self._talk(ws, script, rng, per_viewer_s), _discard(ws))
            except (OSError, ConnectionClosed, TimeoutError) as exc:
                log.debug("simulated viewer %s disconnected: %s", name, exc)
            await asyncio.sleep(1.0 + rng.random())

    async def _talk(
        self, ws: ClientConnection, script: ViewerScript, rng: random.Random, mean_gap_s: float
    ) -> None:
        while True:
            await asyncio.sleep(rng.expovariate(1 / mean_gap_s))
            frame = script.next_frame()
            await ws.send(json.dumps(frame, ensure_ascii=False))
            self.sent += 1
            if self._on_frame is not None:
                self._on_frame(frame)


async def _discard(ws: ClientConnection) -> None:
    """Read and drop what the room broadcasts, so the server never sees a stalled client."""
    async for _ in ws:
        pass


async def host_show(
    room_url: str, token: str, catalog: Catalog, every_s: float, seed: int | None = None
) -> None:
    """The simulated streamer: puts an in-stock product on screen now and switches every `every_s`."""
    rng = random.Random(seed)
    url = with_query(room_url, name="主播", uid="sim-host", token=token)
    while True:
        try:
            async with connect(url, open_timeout=10, max_size=2**20) as ws:
                reader = asyncio.create_task(_discard(ws))
                try:
                    while True:
                        product = rng.choice(catalog.in_stock())
                        await ws.send(json.dumps({"type": "product", "sku": product.sku}))
                        await asyncio.sleep(every_s)
                finally:
                    reader.cancel()
        except (OSError, ConnectionClosed, TimeoutError) as exc:
            log.debug("simulated host disconnected: %s", exc)
        await asyncio.sleep(1.0)
