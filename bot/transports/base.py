"""What every transport offers the bot, and the reconnect policy they share."""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from dataclasses import dataclass

from bot.events import Incoming, Outgoing


class FatalTransportError(RuntimeError):
    """Retrying cannot help (bad token, unknown room): the room stops with this message."""


class NotConnected(ConnectionError):
    """No live connection right now; the outbox keeps the message and retries."""


class FrameError(ValueError):
    """A frame from the platform that does not follow its protocol."""


@dataclass(frozen=True)
class Backoff:
    """Jittered exponential backoff ("full jitter"): many bots restarting at once do not stampede."""

    initial_s: float = 0.5
    max_s: float = 60.0
    healthy_after_s: float = 30.0

    def delay_s(self, attempt: int, rng: random.Random) -> float:
        ceiling = min(self.max_s, self.initial_s * (2**attempt))
        return rng.uniform(ceiling / 2, ceiling)


class Transport(ABC):
    """One connection to one room. `events()` reconnects by itself; `send` raises NotConnected between."""

    room: str

    @abstractmethod
    def events(self) -> AsyncIterator[Incoming]:
        """Yield parsed events until `close()`; reconnects inside; raises FatalTransportError."""

    @abstractmethod
    async def send(self, item: Outgoing) -> None:
        """Send one item or raise `NotConnected` / `TimeoutError`."""

    @abstractmethod
    async def close(self) -> None: ...
