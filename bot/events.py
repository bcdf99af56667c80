"""Plain data that flows one way: transport -> ChatEvent & co. -> pipeline -> Reply & co. -> outbox."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Any


class Role(StrEnum):
    VIEWER = "viewer"
    MODERATOR = "moderator"
    BROADCASTER = "broadcaster"
    BOT = "bot"


STAFF_ROLES = frozenset({Role.MODERATOR, Role.BROADCASTER})
ANSWER_TIMES_KEPT = 2048


@dataclass(frozen=True, slots=True)
class User:
    uid: str
    name: str
    role: Role = Role.VIEWER


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened in a room. `id` increases strictly per room; `ts_ms` is server time."""

    room: str
    id: int
    ts_ms: int
    user: User


@dataclass(frozen=True, slots=True)
class ChatEvent(Event):
    text: str
    reply_to: int | None = None


@dataclass(frozen=True, slots=True)
class ProductEvent(Event):
    """The on-screen product changed; `product` is the record as the room knows it."""

    product: dict[str, Any]

    @property
    def sku(self) -> str:
        return str(self.product.get("sku", ""))


@dataclass(frozen=True, slots=True)
class ShopEvent(Event):
    """A viewer clicked or bought a product (`kind` is "click" or "purchase")."""

    kind: str
    sku: str


@dataclass(frozen=True, slots=True)
class ImageEvent(Event):
    url: str
    alt: str
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class DeleteEvent(Event):
    target_id: int


@dataclass(frozen=True, slots=True)
class TimeoutEvent(Event):
    target_uid: str
    seconds: int


@dataclass(frozen=True, slots=True)
class Welcome:
    """First frame of a connection: who the bot is, what is on screen, and recent history."""

    room: str
    you: User
    product: dict[str, Any] | None
    history: tuple[Event, ...]


@dataclass(frozen=True, slots=True)
class RoomError:
    """The room refused one of our frames (`code` from the protocol, e.g. "rate_limited")."""

    room: str
    code: str
    message: str
    ref: Any = None


Incoming = Event | Welcome | RoomError


class Priority(IntEnum):
    """Lower goes first: moderators wait for nobody, promotions wait for everybody."""

    COMMAND = 0
    ANSWER = 1
    PROMO = 2


@dataclass(frozen=True, slots=True)
class Reply:
    """A chat message the bot wants to post. The outbox adds `@mention` and enforces the limits."""

    room: str
    text: str
    priority: Priority = Priority.ANSWER
    mention: tuple[str, ...] = ()
    reply_to: int | None = None
    created_ms: int = 0
    # Within a priority, lower rank goes first (on-screen product and purchase-blocking questions).
    rank: int = 0
    # Replies with the same key that are still queued become one reply naming every asker.
    group_key: tuple[str, ...] | None = None
    # Dropped, not posted, once queued this long (None: the outbox's default).
    max_age_s: float | None = None


@dataclass(frozen=True, slots=True)
class SwitchProduct:
    room: str
    sku: str
    priority: Priority = Priority.COMMAND


@dataclass(frozen=True, slots=True)
class PostImage:
    """An image for the room. With `data` (and no `url`) the transport uploads the bytes first and posts
    the URL the room gives back, so handlers stay free of I/O."""

    room: str
    url: str
    alt: str
    caption: str | None = None
    priority: Priority = Priority.PROMO
    data: bytes | None = field(default=None, repr=False)
    content_type: str = "image/png"


@dataclass(frozen=True, slots=True)
class TimeoutViewer:
    room: str
    uid: str
    seconds: int
    priority: Priority = Priority.COMMAND


@dataclass(frozen=True, slots=True)
class DeleteMessage:
    room: str
    id: int
    priority: Priority = Priority.COMMAND


Outgoing = Reply | SwitchProduct | PostImage | TimeoutViewer | DeleteMessage


@dataclass(slots=True)
class Stats:
    """Counters per room, shown by !status and the benchmarks."""

    received: int = 0
    handled: int = 0
    duplicates: int = 0
    own_echoes: int = 0
    bad_frames: int = 0
    errors: int = 0
    sent: int = 0
    dropped_repeat: int = 0
    dropped_stale: int = 0
    grouped: int = 0
    # Posts the compliance check stopped (promotions) or let through with a finding (answers quoting data).
    compliance_blocked: int = 0
    compliance_flagged: int = 0
    room_errors: dict[str, int] = field(default_factory=dict)
    # Event-loop time per answered question (ms), from its frame to its reply queued: the recent ones.
    answer_ms: deque[float] = field(default_factory=lambda: deque(maxlen=ANSWER_TIMES_KEPT))

    def answer_ms_p(self, q: float) -> float | None:
        """The q-quantile (0..1) of the recent answer times, nearest rank; None before the first answer."""
        if not self.answer_ms:
            return None
        ranked = sorted(self.answer_ms)
        return ranked[min(len(ranked) - 1, max(0, math.ceil(q * len(ranked)) - 1))]
