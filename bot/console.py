"""The demo's terminal view of a room: one line per chat message, product switch, click or purchase."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from bot.transports.liveroom import with_query


def format_event(event: dict[str, object]) -> str | None:
    user = event.get("user")
    name = user.get("name", "?") if isinstance(user, dict) else "?"
    role = user.get("role", "") if isinstance(user, dict) else ""
    stamp = time.strftime("%H:%M:%S", time.localtime(int(event.get("ts", 0) or 0) / 1000))  # type: ignore[arg-type]
    kind = event.get("type")
    badge = {"bot": " [bot]", "moderator": " [mod]", "broadcaster": " [host]"}.get(str(role), "")
    if kind == "chat":
        return f"{stamp} {name}{badge}: {event.get('text')}"
    if kind == "product":
        product = event.get("product")
        if isinstance(product, dict):
            price = product.get("price")
            shown = f"{price:g}" if isinstance(price, int | float) else str(price)
            return f"{stamp} -- on screen: {product.get('link')}号 {product.get('name')} ¥{shown}"
    if kind in ("click", "purchase"):
        return f"{stamp} -- {name} {'bought' if kind == 'purchase' else 'clicked'} {event.get('sku')}"
    if kind == "image":
        return f"{stamp} {name}{badge}: [image] {event.get('alt')}"
    return None


async def tail_room(room_url: str, write: Callable[[str], None] = print) -> None:
    """Print the room's events until cancelled; reconnects after a drop."""
    url = with_query(room_url, name="console", uid="demo-console")
    while True:
        try:
            async with connect(url, open_timeout=10, max_size=2**20) as ws:
                async for raw in ws:
                    line = format_event(json.loads(raw))
                    if line is not None:
                        write(line)
        except (OSError, ConnectionClosed, TimeoutError, json.JSONDecodeError):
            await asyncio.sleep(1.0)
