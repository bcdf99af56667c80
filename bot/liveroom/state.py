"""Per-room state of the embedded live room, and its persistence. No I/O except the two file functions,
which the server runs in a worker thread.

A `Room` decides what an accepted frame does (the event to broadcast) or why the room refuses it; every
method takes `now_ms` so that tests and replays need no clock.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Protocol

from .frames import (
    BOT,
    BROADCASTER,
    MODERATOR,
    ChatFrame,
    DeleteFrame,
    Frame,
    FrameError,
    ImageFrame,
    ProductFrame,
    ShopFrame,
    TimeoutFrame,
    is_room_name,
)

STATE_VERSION: Final = 1
# Who a moderator (or the bot) may not time out while they are connected: only a broadcaster outranks them.
_PROTECTED_FROM_STAFF: Final = frozenset({MODERATOR, BROADCASTER, BOT})


@dataclass(frozen=True, slots=True)
class Member:
    """Who is behind a connection; `role` comes from the token, never from a frame."""

    uid: str
    name: str
    role: str

    def to_json(self) -> dict[str, str]:
        return {"uid": self.uid, "name": self.name, "role": self.role}


class Listener(Protocol):
    """A connection as the room sees it: who it is, and a non-blocking way to hand it a frame."""

    @property
    def member(self) -> Member: ...

    def deliver(self, text: str) -> None: ...


class FloodWindow:
    """At most `limit` actions in any `window_s` seconds (a sliding window over monotonic time)."""

    def __init__(self, limit: int, window_s: float):
        self.limit = limit
        self.window_s = window_s
        self._times: deque[float] = deque()

    def allows(self, now: float) -> bool:
        while self._times and self._times[0] <= now - self.window_s:
            self._times.popleft()
        return len(self._times) < self.limit

    def record(self, now: float) -> None:
        self._times.append(now)

    def retry_after_s(self, now: float) -> float:
        return max(0.0, self._times[0] + self.window_s - now) if self._times else 0.0


@dataclass(eq=False)
class Room:
    """One room: its history of broadcast events, id counter, on-screen product, timeouts and listeners."""

    name: str
    history: deque[dict[str, Any]]
    last_id: int
    product: dict[str, Any] | None = None
    timeouts: dict[str, int] = field(default_factory=dict)  # uid -> until, ms since the epoch
    listeners: set[Listener] = field(default_factory=set)
    first_id: int = 0  # the last id when this process made or restored the room (see `is_disposable`)
    restored: bool = False  # came from the state file: its ids must be remembered even if nothing happens

    @classmethod
    def fresh(cls, name: str, history_size: int, now_us: int) -> Room:
        # Without a stored id, microseconds since the epoch: a restarted server keeps counting above any
        # earlier run's ids as long as a room averaged under one event per microsecond (and the ids stay
        # exact in JavaScript numbers until about the year 2255).
        return cls(name=name, history=deque(maxlen=history_size), last_id=now_us - 1, first_id=now_us - 1)

    # -- membership ----------------------------------------------------------------------------------
    def welcome(self, member: Member) -> dict[str, Any]:
        return {
            "type": "welcome",
            "room": self.name,
            "you": member.to_json(),
            "product": self.product,
            "history": list(self.history),
        }

    def roles_of(self, uid: str) -> set[str]:
        return {listener.member.role for listener in self.listeners if listener.member.uid == uid}

    def is_disposable(self) -> bool:
        """Nobody is here and the room never used an id: forgetting it loses nothing."""
        return not self.listeners and not self.restored and self.last_id == self.first_id

    def broadcast(self, event: Mapping[str, Any]) -> None:
        text = encode(event)
        for listener in list(self.listeners):
            listener.deliver(text)

    # -- decisions -----------------------------------------------------------------------------------
    def timed_out_until(self, uid: str, now_ms: int) -> int | None:
        until = self.timeouts.get(uid)
        if until is None:
            return None
        if until <= now_ms:
            del self.timeouts[uid]
            return None
        return until

    def apply(
        self, member: Member, frame: Frame, products: Mapping[str, Mapping[str, Any]], now_ms: int
    ) -> dict[str, Any] | FrameError:
        """The event an accepted frame becomes (already recorded in the history), or the refusal."""
        fields = self._event_fields(member, frame, products, now_ms)
        if isinstance(fields, FrameError):
            return fields
        return self._record(frame.type, member, now_ms, fields)

    def _event_fields(
        self, member: Member, frame: Frame, products: Mapping[str, Mapping[str, Any]], now_ms: int
    ) -> dict[str, Any] | FrameError:
        if isinstance(frame, ChatFrame):
            return self._chat_fields(frame)
        if isinstance(frame, ImageFrame):
            return {"url": frame.url, "alt": frame.alt, "caption": frame.caption}
        if isinstance(frame, ProductFrame | ShopFrame):
            return self._product_fields(frame, products)
        if isinstance(frame, DeleteFrame):
            return self._delete_fields(frame)
        if isinstance(frame, TimeoutFrame):
            return self._timeout_fields(member, frame, now_ms)
        return FrameError("bad_frame", f"{frame.type!r} frames are not broadcast", frame.raw)

    def _chat_fields(self, frame: ChatFrame) -> dict[str, Any] | FrameError:
        if frame.reply_to is not None and frame.reply_to > self.last_id:
            return FrameError(
                "bad_frame", f"'reply_to' {frame.reply_to} is not an event of this room", frame.raw
            )
        return {"text": frame.text, "reply_to": frame.reply_to}

    def _product_fields(
        self, frame: ProductFrame | ShopFrame, products: Mapping[str, Mapping[str, Any]]
    ) -> dict[str, Any] | FrameError:
        record = products.get(frame.sku)
        if record is None:
            return FrameError("unknown_sku", f"no product with sku {frame.sku!r} in this room", frame.raw)
        if isinstance(frame, ShopFrame):
            return {"sku": frame.sku}
        self.product = dict(record)
        return {"product": self.product}

    def _delete_fields(self, frame: DeleteFrame) -> dict[str, Any] | FrameError:
        if frame.id > self.last_id:
            return FrameError("bad_frame", f"event {frame.id} does not exist in this room", frame.raw)
        target = next((event for event in self.history if event["id"] == frame.id), None)
        if target is not None and target["type"] != "chat":
            return FrameError(
                "bad_frame", f"event {frame.id} is a {target['type']} event; only chat can go", frame.raw
            )
        if target is not None:
            self.history.remove(target)
        # An id older than the history is still broadcast: clients that show it hide it.
        return {"target": frame.id}

    def _timeout_fields(
        self, member: Member, frame: TimeoutFrame, now_ms: int
    ) -> dict[str, Any] | FrameError:
        if member.role != BROADCASTER and self.roles_of(frame.uid) & _PROTECTED_FROM_STAFF:
            return FrameError(
                "forbidden", f"a {member.role} may not time out {frame.uid!r} (staff is connected)", frame.raw
            )
        until = now_ms + frame.seconds * 1000
        self._forget_expired_timeouts(now_ms)
        self.timeouts[frame.uid] = until
        return {"uid": frame.uid, "seconds": frame.seconds, "until": until}

    def _forget_expired_timeouts(self, now_ms: int) -> None:
        for uid in [uid for uid, until in self.timeouts.items() if until <= now_ms]:
            del self.timeouts[uid]

    def _record(self, kind: str, member: Member, now_ms: int, fields: dict[str, Any]) -> dict[str, Any]:
        self.last_id += 1
        event = {"type": kind, "id": self.last_id, "ts": now_ms, "room": self.name, "user": member.to_json()}
        event.update(fields)
        self.history.append(event)
        return event


def encode(obj: Mapping[str, Any]) -> str:
    """The wire form: compact, and Chinese stays readable (3 bytes a character instead of 6 escaped)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


# -- persistence -------------------------------------------------------------------------------------
class StateFileError(ValueError):
    """The state file exists but is not one this server wrote; refusing to start beats overwriting it."""


def snapshot(rooms: Iterable[Room], now_ms: int) -> dict[str, Any]:
    """Plain data for the state file. Taken on the event loop (consistent); written from a thread."""
    return {
        "version": STATE_VERSION,
        "rooms": {
            room.name: {
                "last_id": room.last_id,
                "history": list(room.history),
                "product": room.product,
                "timeouts": {uid: until for uid, until in room.timeouts.items() if until > now_ms},
            }
            for room in rooms
            if not room.is_disposable()
        },
    }


def restore(
    data: Any, *, history_size: int, products: Mapping[str, Mapping[str, Any]], path: Path
) -> dict[str, Room]:
    """Rooms from a state file's data. The on-screen product is refreshed from today's catalog."""
    if (
        not isinstance(data, dict)
        or data.get("version") != STATE_VERSION
        or not isinstance(data.get("rooms"), dict)
    ):
        raise StateFileError(f"{path}: not a livebot room state file (version {STATE_VERSION})")
    rooms: dict[str, Room] = {}
    for name, stored in data["rooms"].items():
        rooms[name] = _restore_room(name, stored, history_size, products, path)
    return rooms


def _restore_room(
    name: str, stored: Any, history_size: int, products: Mapping[str, Mapping[str, Any]], path: Path
) -> Room:
    where = f"{path}: room {name!r}"
    if not isinstance(name, str) or not is_room_name(name) or not isinstance(stored, dict):
        raise StateFileError(f"{where}: bad room entry")
    last_id = stored.get("last_id")
    history = stored.get("history", [])
    if not isinstance(last_id, int) or isinstance(last_id, bool) or not isinstance(history, list):
        raise StateFileError(f"{where}: 'last_id' must be an integer and 'history' a list")
    if any(not isinstance(e, dict) or not isinstance(e.get("id"), int) or e["id"] > last_id for e in history):
        raise StateFileError(f"{where}: history events need integer ids no larger than last_id")
    product = stored.get("product")
    sku = product.get("sku") if isinstance(product, dict) else None
    timeouts = stored.get("timeouts", {})
    if not isinstance(timeouts, dict):
        raise StateFileError(f"{where}: 'timeouts' must be an object")
    return Room(
        name=name,
        history=deque(history[-history_size:] if history_size else [], maxlen=history_size),
        last_id=last_id,
        product=dict(products[sku]) if isinstance(sku, str) and sku in products else None,
        timeouts={str(uid): int(until) for uid, until in timeouts.items() if isinstance(until, int)},
        first_id=last_id,
        restored=True,
    )


def read_state_file(path: Path) -> Any | None:
    """The parsed file, or None when there is none yet. Blocking: run it in a thread."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise StateFileError(f"{path}: not valid JSON ({exc}); fix or remove it") from exc


def write_state_file(path: Path, data: Mapping[str, Any]) -> None:
    """Atomically: a reader (or a crash) sees the old file or the new one, never half of one. Blocking."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as tmp:
            json.dump(data, tmp, ensure_ascii=False, separators=(",", ":"))
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
