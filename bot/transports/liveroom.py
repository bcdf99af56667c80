"""Transport for livebot's embedded live room (../docs/protocol: PROTOCOL.md v1).

Parsing is pure (`parse_frame`); the client only moves bytes, reconnects and keeps the socket honest.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import aiohttp
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI

from bot.events import (
    ChatEvent,
    DeleteEvent,
    DeleteMessage,
    Event,
    ImageEvent,
    Incoming,
    Outgoing,
    PostImage,
    ProductEvent,
    Reply,
    Role,
    RoomError,
    ShopEvent,
    SwitchProduct,
    TimeoutEvent,
    TimeoutViewer,
    User,
    Welcome,
)
from bot.transports.base import Backoff, FatalTransportError, FrameError, NotConnected, Transport

log = logging.getLogger(__name__)

MAX_EXCERPT = 120


# -- parsing (pure) -------------------------------------------------------------------------------
def _field(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = obj.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise FrameError(f"{where}: field {key!r} should be {_kind_name(kind)}, found {value!r}"[:300])
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(k.__name__ for k in kinds)


def _optional(obj: dict[str, Any], key: str, kind: type, where: str) -> Any:
    return None if obj.get(key) is None else _field(obj, key, kind, where)


def parse_user(obj: Any, where: str) -> User:
    if not isinstance(obj, dict):
        raise FrameError(f"{where}: 'user' should be an object, found {obj!r}"[:300])
    role = _field(obj, "role", str, where)
    try:
        parsed_role = Role(role)
    except ValueError:
        raise FrameError(f"{where}: unknown role {role!r}") from None
    return User(uid=_field(obj, "uid", str, where), name=_field(obj, "name", str, where), role=parsed_role)


def parse_event(obj: Any, room: str) -> Event:
    """One broadcast event (also used for the welcome's history)."""
    if not isinstance(obj, dict):
        raise FrameError(f"event should be an object, found {type(obj).__name__}")
    kind = _field(obj, "type", str, "event")
    where = f"{kind} event"
    base = {
        "room": room,
        "id": _field(obj, "id", int, where),
        "ts_ms": _field(obj, "ts", int, where),
        "user": parse_user(obj.get("user"), where),
    }
    if kind == "chat":
        return ChatEvent(
            **base, text=_field(obj, "text", str, where), reply_to=_optional(obj, "reply_to", int, where)
        )
    if kind == "product":
        product = _field(obj, "product", dict, where)
        _field(product, "sku", str, "product record")
        return ProductEvent(**base, product=product)
    if kind in ("click", "purchase"):
        return ShopEvent(**base, kind=kind, sku=_field(obj, "sku", str, where))
    if kind == "image":
        return ImageEvent(
            **base,
            url=_field(obj, "url", str, where),
            alt=_field(obj, "alt", str, where),
            caption=_optional(obj, "caption", str, where),
        )
    if kind == "delete":
        return DeleteEvent(**base, target_id=_field(obj, "target", int, where))
    if kind == "timeout":
        return TimeoutEvent(
            **base, target_uid=_field(obj, "uid", str, where), seconds=_field(obj, "seconds", int, where)
        )
    raise FrameError(f"unknown event type {kind!r}")


def parse_frame(text: str | bytes, room: str) -> Incoming | None:
    """Parse one server frame. None for frames the bot has no use for (pong)."""
    if isinstance(text, bytes):
        raise FrameError("binary frame; the protocol uses text frames")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FrameError(f"not JSON ({exc.msg} at char {exc.pos})") from None
    if not isinstance(obj, dict):
        raise FrameError(f"frame should be a JSON object, found {type(obj).__name__}")
    kind = obj.get("type")
    if kind == "pong":
        return None
    if kind == "welcome":
        you = parse_user(obj.get("you"), "welcome")
        history_raw = obj.get("history") or []
        if not isinstance(history_raw, list):
            raise FrameError("welcome: 'history' should be a list")
        history: list[Event] = []
        for i, item in enumerate(history_raw):
            try:
                history.append(parse_event(item, room))
            except FrameError as exc:
                # One bad history entry must not cost the whole welcome (and with it the connection).
                log.warning("[%s] skipped welcome history[%d]: %s", room, i, exc)
        product = obj.get("product")
        return Welcome(
            room=room, you=you, product=product if isinstance(product, dict) else None, history=tuple(history)
        )
    if kind == "error":
        return RoomError(
            room=room,
            code=str(obj.get("code", "")),
            message=str(obj.get("message", "")),
            ref=obj.get("ref"),
        )
    return parse_event(obj, room)


def encode(item: Outgoing) -> dict[str, Any]:
    """The client frame for an outgoing item."""
    if isinstance(item, Reply):
        frame: dict[str, Any] = {"type": "chat", "text": item.text}
        if item.reply_to is not None:
            frame["reply_to"] = item.reply_to
        return frame
    if isinstance(item, SwitchProduct):
        return {"type": "product", "sku": item.sku}
    if isinstance(item, PostImage):
        frame = {"type": "image", "url": item.url, "alt": item.alt}
        if item.caption:
            frame["caption"] = item.caption
        return frame
    if isinstance(item, TimeoutViewer):
        return {"type": "timeout", "uid": item.uid, "seconds": item.seconds}
    if isinstance(item, DeleteMessage):
        return {"type": "delete", "id": item.id}
    raise TypeError(f"cannot encode {type(item).__name__}")


def with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode({k: v for k, v in params.items() if v})) if q)
    return urlunsplit(parts._replace(query=query))


def media_url(ws_url: str) -> str:
    """The room's upload endpoint on the same host and port: ws://h:p/ws/room -> http://h:p/media."""
    parts = urlsplit(ws_url)
    scheme = "https" if parts.scheme == "wss" else "http"
    return f"{scheme}://{parts.netloc}/media"


def room_from_url(url: str) -> str:
    path = urlsplit(url).path.rstrip("/")
    return path.rsplit("/", 1)[-1]


def is_retryable(exc: BaseException) -> bool:
    """A refused handshake (bad token, bad room name) will be refused again; network trouble passes."""
    if isinstance(exc, InvalidStatus):
        status = exc.response.status_code
        return status >= 500 or status in (408, 429)
    if isinstance(exc, InvalidURI):
        return False
    return isinstance(exc, OSError | TimeoutError | ConnectionClosed | InvalidHandshake | EOFError)


# -- the client -----------------------------------------------------------------------------------
class LiveroomTransport(Transport):
    def __init__(
        self,
        url: str,
        *,
        name: str,
        token: str = "",
        backoff: Backoff | None = None,
        connect_timeout_s: float = 10.0,
        read_timeout_s: float = 30.0,
        ping_interval_s: float = 10.0,
        send_timeout_s: float = 10.0,
        rng: random.Random | None = None,
    ):
        self.url = url
        self.room = room_from_url(url)
        self._connect_url = with_query(url, name=name, token=token)
        self._backoff = backoff or Backoff()
        self._connect_timeout_s = connect_timeout_s
        self._read_timeout_s = read_timeout_s
        self._ping_interval_s = ping_interval_s
        self._send_timeout_s = send_timeout_s
        self._rng = rng or random.Random()
        self._ws: ClientConnection | None = None
        self._closing = False
        self.connected = asyncio.Event()
        self.disconnected = asyncio.Event()
        self.disconnected.set()
        self.connections = 0
        self.bad_frames = 0
        self._last_frame = 0.0
        self._silent = False
        self._token = token
        self._http: aiohttp.ClientSession | None = None
        self.upload_errors = 0

    async def events(self) -> AsyncIterator[Incoming]:
        attempt = 0
        while not self._closing:
            started = time.monotonic()
            try:
                async with connect(
                    self._connect_url,
                    open_timeout=self._connect_timeout_s,
                    ping_interval=None,  # our own app-level ping + read timeout below
                    max_size=2**20,
                ) as ws:
                    self._ws = ws
                    self.connections += 1
                    self.connected.set()
                    self.disconnected.clear()
                    log.info("[%s] connected to %s", self.room, self.url)
                    async for item in self._read(ws):
                        yield item
            except Exception as exc:
                if not is_retryable(exc):
                    raise FatalTransportError(f"[{self.room}] cannot join {self.url}: {exc}") from exc
                if not self._closing:
                    log.warning(
                        "[%s] connection lost: %s", self.room, exc.__class__.__name__ + f": {exc}"[:200]
                    )
            finally:
                self._ws = None
                self.connected.clear()
                self.disconnected.set()
            if self._closing:
                return
            if time.monotonic() - started >= self._backoff.healthy_after_s:
                attempt = 0
            delay = self._backoff.delay_s(attempt, self._rng)
            attempt += 1
            log.info("[%s] reconnecting in %.1f s", self.room, delay)
            await asyncio.sleep(delay)

    async def _read(self, ws: ClientConnection) -> AsyncIterator[Incoming]:
        self._last_frame = time.monotonic()
        self._silent = False
        pinger = asyncio.create_task(self._ping(ws), name=f"ping:{self.room}")
        try:
            while True:
                try:
                    raw = await ws.recv()
                except ConnectionClosed:
                    if self._silent:
                        raise ConnectionError(f"no frame for {self._read_timeout_s:.0f} s") from None
                    raise
                self._last_frame = time.monotonic()
                try:
                    item = parse_frame(raw, self.room)
                except FrameError as exc:
                    self.bad_frames += 1
                    log.warning("[%s] skipped a malformed frame: %s | %s", self.room, exc, _excerpt(raw))
                    continue
                if item is not None:
                    yield item
        finally:
            pinger.cancel()
            with _quiet():
                await pinger

    async def _ping(self, ws: ClientConnection) -> None:
        """Ping so the room answers at least every ping_interval_s; then silence means a dead socket.

        The watchdog lives here rather than as a timeout around every read: that costs a timer per frame.
        """
        check_s = min(self._ping_interval_s, self._read_timeout_s / 2)
        next_ping = time.monotonic() + self._ping_interval_s
        while True:
            await asyncio.sleep(check_s)
            now = time.monotonic()
            if now - self._last_frame > self._read_timeout_s:
                self._silent = True
                # No closing handshake with a peer that stopped answering: drop the connection now.
                ws.transport.abort()
                return
            if now >= next_ping:
                next_ping = now + self._ping_interval_s
                async with asyncio.timeout(self._send_timeout_s):
                    await ws.send(json.dumps({"type": "ping"}))

    async def send(self, item: Outgoing) -> None:
        ws = self._ws
        if ws is None:
            raise NotConnected(f"[{self.room}] not connected")
        if isinstance(item, PostImage) and item.data is not None and not item.url:
            url = await self._upload(item.data, item.content_type)
            if url is None:
                return
            item = replace(item, url=url, data=None)
        data = json.dumps(encode(item), ensure_ascii=False)
        try:
            async with asyncio.timeout(self._send_timeout_s):
                await ws.send(data)
        except ConnectionClosed as exc:
            raise NotConnected(f"[{self.room}] connection closed while sending") from exc

    async def _upload(self, data: bytes, content_type: str) -> str | None:
        """POST the image to the room's /media; its URL, or None when the room refuses it (logged and
        counted: a refusal does not get better by retrying). Network trouble raises ConnectionError, so the
        outbox retries the post later."""
        if self._http is None:
            self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._send_timeout_s))
        headers = {"Content-Type": content_type, "Authorization": f"Bearer {self._token}"}
        try:
            async with self._http.post(media_url(self.url), data=data, headers=headers) as response:
                body = await response.text()
                if response.status != 201:
                    self.upload_errors += 1
                    log.error(
                        "[%s] the room refused an image upload: %s %s", self.room, response.status, body[:200]
                    )
                    return None
                return str(json.loads(body)["url"])
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise ConnectionError(f"image upload failed: {exc}") from exc
        except (ValueError, KeyError) as exc:
            self.upload_errors += 1
            log.error("[%s] the room answered an upload without a URL: %s", self.room, exc)
            return None

    async def close(self) -> None:
        self._closing = True
        ws = self._ws
        if ws is not None:
            await ws.close()
        if self._http is not None:
            await self._http.close()
            self._http = None


def _excerpt(raw: str | bytes) -> str:
    text = raw if isinstance(raw, str) else repr(raw[:MAX_EXCERPT])
    return text[:MAX_EXCERPT] + ("…" if len(text) > MAX_EXCERPT else "")


class _quiet:
    """Await a cancelled helper task without letting its cancellation or a dead-socket error leak."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: type[BaseException] | None, exc: object, tb: object) -> bool:
        if exc_type is None:
            return False
        if exc_type is asyncio.CancelledError:
            # Only swallow the pinger's own cancellation, not ours.
            task = asyncio.current_task()
            return task is None or task.cancelling() == 0
        return issubclass(exc_type, ConnectionClosed | TimeoutError | OSError)
