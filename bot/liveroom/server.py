"""The embedded live room: an aiohttp app speaking PROTOCOL.md v1 on `/ws/{room}`, plus the viewer page,
uploaded media and a health check. It imports nothing else of livebot: the bot is just another client.

Every connection has a bounded outgoing queue drained by its own pump task, so a broadcast never waits for
a slow client: one that falls `client_queue_size` frames behind, or whose socket stays blocked for
`send_timeout_s`, is disconnected. All decisions about a frame are synchronous (`frames.py`, `state.py`);
only the pump and the file work (in threads) await.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import secrets
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from aiohttp import WSCloseCode, WSMsgType, web

from .frames import (
    BOT,
    BROADCASTER,
    ROLES,
    VIEWER,
    ChatFrame,
    Frame,
    FrameError,
    PingFrame,
    check_role,
    clean_name,
    is_room_name,
    is_uid,
    parse_frame,
)
from .state import (
    FloodWindow,
    Member,
    Room,
    encode,
    read_state_file,
    restore,
    snapshot,
    write_state_file,
)

log = logging.getLogger(__name__)

STATIC_DIR: Final = Path(__file__).with_name("static")
MEDIA_NAME_RE: Final = re.compile(r"[A-Za-z0-9_-]{1,100}\.(png|jpg|jpeg|webp|gif)")
MEDIA_TYPES: Final[Mapping[str, str]] = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "image/gif": "gif",
}
_CONTENT_TYPE_OF_EXT: Final[Mapping[str, str]] = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "gif": "image/gif",
}
UPLOAD_ROLES: Final = frozenset({BOT, BROADCASTER})
PAGE_CSP: Final = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' http: https:; "
    "connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_REQUIRED_PRODUCT_FIELDS: Final = ("sku", "name", "price")
_UPLOAD_TIMEOUT_S: Final = 60.0
_PONG: Final = encode({"type": "pong"})


@dataclass(frozen=True)
class RoomServerSettings:
    tokens: Mapping[str, str] = field(default_factory=dict)  # token -> role ("viewer"|"moderator"|...)
    products: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # sku -> product record
    media_dir: Path | None = None  # None: a temporary directory, removed at cleanup
    history_size: int = 50
    chat_flood_max: int = 20  # chat frames per connection per window ...
    chat_flood_window_s: float = 10.0
    bot_chat_max: int = 200  # ... and the bot role's own limit in the same window
    max_frame_bytes: int = 16384
    max_media_bytes: int = 8_000_000
    state_file: Path | None = None  # history, last event id, product, timeouts per room
    # Beyond the brief's interface; the defaults suit a demo on one machine.
    client_queue_size: int = 256  # frames a client may fall behind before it is disconnected
    send_timeout_s: float = 5.0  # a socket blocked this long is dead to the room
    heartbeat_s: float = 30.0  # websocket ping interval; no pong within half of it closes the socket
    state_save_interval_s: float = 30.0  # also write the state file this often while it changes


# -- one connection ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Close:
    code: int
    reason: bytes


class Connection:
    """One websocket client as the room sees it (`state.Listener`): non-blocking `deliver`, own pump."""

    def __init__(
        self, member: Member, ws: web.WebSocketResponse, request: web.Request, settings: RoomServerSettings
    ):
        self._member = member
        self._ws = ws
        self._transport = request.transport
        self._queue: asyncio.Queue[str | _Close] = asyncio.Queue(settings.client_queue_size)
        self._send_timeout_s = settings.send_timeout_s
        limit = settings.bot_chat_max if member.role == BOT else settings.chat_flood_max
        self.chat_window = FloodWindow(limit, settings.chat_flood_window_s)
        # Clicks, images, product switches... share one window of the same size, so they cannot flood either.
        self.action_window = FloodWindow(limit, settings.chat_flood_window_s)
        self.dropped = False

    @property
    def member(self) -> Member:
        return self._member

    def deliver(self, text: str) -> None:
        if self.dropped:
            return
        try:
            self._queue.put_nowait(text)
        except asyncio.QueueFull:
            self.abort(f"fell {self._queue.maxsize} frames behind")

    def request_close(self, code: int, reason: bytes) -> None:
        """Close politely after what is being sent now; anything still queued is dropped."""
        while not self._queue.empty():
            self._queue.get_nowait()
        self._queue.put_nowait(_Close(code, reason))

    def abort(self, why: str) -> None:
        """Cut a client that cannot keep up: its socket would only block, so no close handshake."""
        if self.dropped:
            return
        self.dropped = True
        log.info("dropping %s (%s): %s", self._member.uid, self._member.name, why)
        if self._transport is not None:
            self._transport.abort()

    async def pump(self) -> None:
        """Send queued frames in order, each under `send_timeout_s`, until told to close."""
        try:
            while True:
                item = await self._queue.get()
                if isinstance(item, _Close):
                    await self._close(item)
                    return
                async with asyncio.timeout(self._send_timeout_s):
                    await self._ws.send_str(item)
        except TimeoutError:
            self.abort(f"a send blocked for {self._send_timeout_s} s")
        except ConnectionError:
            pass  # the client went away; the reader sees it too and ends the connection

    async def _close(self, item: _Close) -> None:
        try:
            async with asyncio.timeout(self._send_timeout_s):
                await self._ws.close(code=item.code, message=item.reason)
        except (TimeoutError, ConnectionError):
            self.abort("the close handshake did not finish")


# -- the rooms of one app ----------------------------------------------------------------------------
class LiveRooms:
    """Everything one app owns: settings, catalog, rooms (created on demand), media dir, persistence."""

    def __init__(self, settings: RoomServerSettings):
        self.settings = settings
        self.products = _checked_products(settings.products)
        self.tokens = _checked_tokens(settings.tokens)
        self.rooms: dict[str, Room] = {}
        self.media_dir: Path = settings.media_dir or Path()  # the real one is set in `start`
        self.refusals: Counter[str] = Counter()
        self._own_media_dir = False
        self._dirty = False
        self._save_lock = asyncio.Lock()

    # -- lifecycle -----------------------------------------------------------------------------------
    async def start(self) -> None:
        if self.settings.media_dir is None:
            self.media_dir = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix="livebot-media-"))
            self._own_media_dir = True
        else:
            await asyncio.to_thread(self.settings.media_dir.mkdir, parents=True, exist_ok=True)
        if self.settings.state_file is not None:
            data = await asyncio.to_thread(read_state_file, self.settings.state_file)
            if data is not None:
                self.rooms = restore(
                    data,
                    history_size=self.settings.history_size,
                    products=self.products,
                    path=self.settings.state_file,
                )
                log.info("restored %d rooms from %s", len(self.rooms), self.settings.state_file)

    async def stop(self) -> None:
        await self.save(force=True)
        if self._own_media_dir:
            await asyncio.to_thread(shutil.rmtree, self.media_dir, ignore_errors=True)

    async def save(self, *, force: bool = False) -> None:
        """Write the state file (if configured) from a consistent snapshot, the writing in a thread."""
        path = self.settings.state_file
        if path is None or not (force or self._dirty):
            return
        async with self._save_lock:
            self._dirty = False
            data = snapshot(self.rooms.values(), _now_ms())
            await asyncio.to_thread(write_state_file, path, data)

    async def autosave(self) -> None:
        while True:
            await asyncio.sleep(self.settings.state_save_interval_s)
            try:
                await self.save()
            except Exception:  # a failed autosave must not end autosaving; the final save still runs
                log.exception("could not write the room state to %s", self.settings.state_file)

    def close_all(self, code: int, reason: bytes) -> None:
        for room in self.rooms.values():
            for listener in room.listeners:
                if isinstance(listener, Connection):
                    listener.request_close(code, reason)

    # -- joining -------------------------------------------------------------------------------------
    def admit(self, room_name: str, query: Mapping[str, str]) -> Member:
        """Who is connecting, from the URL alone; an HTTP error (before the upgrade) when it is refused."""
        if not is_room_name(room_name):
            raise _plain(web.HTTPBadRequest, "room name must be 1-64 characters of A-Z a-z 0-9 _ -")
        name = clean_name(query.get("name", ""))
        if name is None:
            raise _plain(web.HTTPBadRequest, "name is required: 1-32 characters, no control characters")
        uid = query.get("uid") or "v-" + secrets.token_hex(6)
        if not is_uid(uid):
            raise _plain(web.HTTPBadRequest, "uid must be 1-64 characters of A-Z a-z 0-9 _ . : @ -")
        role = self.role_of(query.get("token", ""))
        if role is None:
            raise _plain(web.HTTPForbidden, "unknown token")
        return Member(uid=uid, name=name, role=role)

    def role_of(self, token: str) -> str | None:
        """The token's role; "viewer" without a token; None for a token nobody configured."""
        if not token:
            return VIEWER
        found = None
        given = token.encode("utf-8", "surrogatepass")
        for known, role in self.tokens.items():
            # Every token is compared, in constant time, so timing does not tell how close a guess was.
            if hmac.compare_digest(known.encode("utf-8"), given):
                found = role
        return found

    def room(self, name: str) -> Room:
        room = self.rooms.get(name)
        if room is None:
            room = self.rooms[name] = Room.fresh(name, self.settings.history_size, time.time_ns() // 1000)
        return room

    def leave(self, room: Room, connection: Connection) -> None:
        room.listeners.discard(connection)
        # Rooms are made on demand by whoever connects; one that never saw an event is not kept.
        if room.is_disposable() and self.rooms.get(room.name) is room:
            del self.rooms[room.name]

    # -- frames --------------------------------------------------------------------------------------
    def on_text(self, room: Room, connection: Connection, data: str) -> None:
        """One error boundary per frame: whatever happens, the room and the connection go on."""
        try:
            self._handle(room, connection, data)
        except Exception:
            log.exception(
                "[%s] could not handle a frame from %s: %.200r", room.name, connection.member.uid, data
            )
            self.refusals["internal"] += 1
            connection.deliver(
                encode(FrameError("bad_frame", "the server failed on this frame; it was dropped").to_json())
            )

    def _handle(self, room: Room, connection: Connection, data: str) -> None:
        outcome = self._decide(
            room, connection, parse_frame(data, max_frame_bytes=self.settings.max_frame_bytes)
        )
        if isinstance(outcome, FrameError):
            self.refusals[outcome.code] += 1
            log.debug(
                "[%s] refused %s from %s: %s", room.name, outcome.code, connection.member.uid, outcome.message
            )
            connection.deliver(encode(outcome.to_json()))
        elif outcome is None:
            connection.deliver(_PONG)
        else:
            self._dirty = True
            room.broadcast(outcome)

    def _decide(
        self, room: Room, connection: Connection, frame: Frame | FrameError
    ) -> dict[str, Any] | FrameError | None:
        """The event to broadcast, the refusal, or None for a ping (answered to the sender only)."""
        if isinstance(frame, FrameError):
            return frame
        member = connection.member
        refusal = check_role(frame, member.role)
        if refusal is not None:
            return refusal
        if isinstance(frame, PingFrame):
            return None
        now, now_ms = time.monotonic(), _now_ms()
        if isinstance(frame, ChatFrame):
            until = room.timed_out_until(member.uid, now_ms)
            if until is not None:
                left_s = -(-(until - now_ms) // 1000)
                message = f"you are timed out until {_clock(until)} ({left_s} s from now)"
                return FrameError("timed_out", message, frame.raw)
        window = connection.chat_window if isinstance(frame, ChatFrame) else connection.action_window
        if not window.allows(now):
            what = "chat messages" if isinstance(frame, ChatFrame) else "actions"
            wait_s = window.retry_after_s(now)
            message = f"more than {window.limit} {what} in {window.window_s:g} s; wait {wait_s:.1f} s"
            return FrameError("rate_limited", message, frame.raw)
        outcome = room.apply(member, frame, self.products, now_ms)
        if not isinstance(outcome, FrameError):
            window.record(now)
        return outcome


# -- HTTP handlers -----------------------------------------------------------------------------------
HUB_KEY: Final = web.AppKey("liveroom_hub", LiveRooms)


async def _websocket(request: web.Request) -> web.StreamResponse:
    hub = request.app[HUB_KEY]
    member = hub.admit(request.match_info["room"], request.query)
    settings = hub.settings
    # Frames up to 4x the limit are read and answered `too_long`; beyond that aiohttp closes with 1009.
    ws = web.WebSocketResponse(
        heartbeat=settings.heartbeat_s, max_msg_size=max(4 * settings.max_frame_bytes, 65536)
    )
    await ws.prepare(request)
    room = hub.room(request.match_info["room"])
    connection = Connection(member, ws, request, settings)
    # Welcome first and joining in the same step: no event can slip in between or be missed.
    connection.deliver(encode(room.welcome(member)))
    room.listeners.add(connection)
    pump = asyncio.create_task(connection.pump(), name=f"liveroom-pump-{room.name}-{member.uid}")
    try:
        async for message in ws:
            if message.type is WSMsgType.TEXT:
                hub.on_text(room, connection, message.data)
            elif message.type is WSMsgType.BINARY:
                connection.deliver(
                    encode(FrameError("bad_frame", "binary frames are not part of the protocol").to_json())
                )
            else:
                break
    finally:
        hub.leave(room, connection)
        connection.request_close(WSCloseCode.OK, b"")
        done, _ = await asyncio.wait([pump], timeout=settings.send_timeout_s + 1)
        if not done:
            pump.cancel()
            await asyncio.wait([pump])
    return ws


async def _room_page(request: web.Request) -> web.StreamResponse:
    if not is_room_name(request.match_info["room"]):
        raise _plain(web.HTTPBadRequest, "room name must be 1-64 characters of A-Z a-z 0-9 _ -")
    # The page is the same static file for every room: it reads the room from its own URL, so nothing a
    # user typed ever passes through server-side HTML.
    return _static_file("room.html", "text/html; charset=utf-8")


async def _static(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    kinds = {"room.js": "text/javascript; charset=utf-8", "room.css": "text/css; charset=utf-8"}
    if name not in kinds:
        raise web.HTTPNotFound()
    return _static_file(name, kinds[name])


def _static_file(name: str, content_type: str) -> web.FileResponse:
    return web.FileResponse(
        STATIC_DIR / name,
        headers={
            "Content-Type": content_type,
            "Cache-Control": "no-cache",
            "Content-Security-Policy": PAGE_CSP,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        },
    )


async def _media(request: web.Request) -> web.StreamResponse:
    hub = request.app[HUB_KEY]
    name = request.match_info["name"]
    match = MEDIA_NAME_RE.fullmatch(name)
    if match is None or not await asyncio.to_thread(_is_media_file, hub.media_dir, name):
        raise web.HTTPNotFound()
    return web.FileResponse(
        hub.media_dir / name,
        headers={
            "Content-Type": _CONTENT_TYPE_OF_EXT[match.group(1)],
            "Cache-Control": "public, max-age=31536000, immutable",  # names are random and never reused
            "Content-Security-Policy": "default-src 'none'",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _is_media_file(media_dir: Path, name: str) -> bool:
    # The name pattern already excludes separators; this fence also refuses symlinks leading out.
    path = media_dir / name
    return path.is_file() and path.resolve().parent == media_dir.resolve()


async def _upload(request: web.Request) -> web.StreamResponse:
    hub = request.app[HUB_KEY]
    _authorize_upload(hub, request.headers.get("Authorization", ""))
    ext = MEDIA_TYPES.get(request.content_type)
    if ext is None:
        raise _plain(web.HTTPUnsupportedMediaType, f"Content-Type must be one of {', '.join(MEDIA_TYPES)}")
    limit = hub.settings.max_media_bytes
    if request.content_length is not None and request.content_length > limit:
        raise _too_large(limit, request.content_length)
    body = await _read_capped(request, limit)
    if not body:
        raise _plain(web.HTTPBadRequest, "empty body; send the image bytes as the request body")
    if not _magic_matches(ext, body):
        raise _plain(web.HTTPBadRequest, f"the body is not a {ext} image")
    name = f"{secrets.token_hex(16)}.{ext}"
    await asyncio.to_thread(_write_media, hub.media_dir, name, body)
    url = f"/media/{name}"
    return web.json_response({"url": url}, status=201, headers={"Location": url})


def _authorize_upload(hub: LiveRooms, header: str) -> None:
    scheme, _, token = header.partition(" ")
    role = hub.role_of(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
    if role is None:
        raise web.HTTPUnauthorized(
            text="send Authorization: Bearer TOKEN (a bot or broadcaster token)",
            headers={"WWW-Authenticate": 'Bearer realm="livebot-room"'},
        )
    if role not in UPLOAD_ROLES:
        raise _plain(web.HTTPForbidden, f"a {role} may not upload images")


async def _read_capped(request: web.Request, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async with asyncio.timeout(_UPLOAD_TIMEOUT_S):
        async for chunk in request.content.iter_chunked(65536):
            size += len(chunk)
            if size > limit:
                raise _too_large(limit, size)
            chunks.append(chunk)
    return b"".join(chunks)


def _magic_matches(ext: str, body: bytes) -> bool:
    if ext == "png":
        return body.startswith(b"\x89PNG\r\n\x1a\n")
    if ext == "jpg":
        return body.startswith(b"\xff\xd8\xff")
    if ext == "gif":
        return body.startswith((b"GIF87a", b"GIF89a"))
    return body[:4] == b"RIFF" and body[8:12] == b"WEBP"


def _write_media(media_dir: Path, name: str, body: bytes) -> None:
    # Written under a name no route serves, then renamed: a reader never sees half an image.
    partial = media_dir / f".{name}.part"
    partial.write_bytes(body)
    partial.replace(media_dir / name)


async def _healthz(_request: web.Request) -> web.StreamResponse:
    return web.Response(text="ok")


async def _no_favicon(_request: web.Request) -> web.StreamResponse:
    # Browsers ask for one on every page load; an empty answer keeps their consoles free of 404s.
    return web.Response(status=204)


# -- the app -----------------------------------------------------------------------------------------
def create_app(settings: RoomServerSettings) -> web.Application:
    """The room server as an aiohttp app (settings are checked here; a bad one raises ValueError)."""
    _check_settings(settings)
    app = web.Application()
    app[HUB_KEY] = LiveRooms(settings)
    app.router.add_get("/ws/{room:.*}", _websocket)
    app.router.add_get("/rooms/{room:.*}", _room_page)
    app.router.add_get("/static/liveroom/{name}", _static)
    app.router.add_get("/media/{name}", _media)
    app.router.add_post("/media", _upload)
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/favicon.ico", _no_favicon)
    app.cleanup_ctx.append(_lifecycle)
    app.on_shutdown.append(_close_connections)
    return app


async def _lifecycle(app: web.Application) -> AsyncIterator[None]:
    hub = app[HUB_KEY]
    await hub.start()
    autosave = (
        asyncio.create_task(hub.autosave(), name="liveroom-autosave") if hub.settings.state_file else None
    )
    try:
        yield
    finally:
        if autosave is not None:
            autosave.cancel()
            await asyncio.wait([autosave])
        await hub.stop()


async def _close_connections(app: web.Application) -> None:
    # Handlers then finish on their own; aiohttp waits for them before running the cleanup above.
    app[HUB_KEY].close_all(WSCloseCode.GOING_AWAY, b"server shutting down")


async def start_room_server(
    settings: RoomServerSettings, host: str = "127.0.0.1", port: int = 0
) -> tuple[web.AppRunner, int]:
    """Start serving; returns the runner (call `await runner.cleanup()` to stop) and the bound port."""
    runner = web.AppRunner(create_app(settings), shutdown_timeout=settings.send_timeout_s + 5)
    try:
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    bound = runner.addresses[0][1]
    log.info("live room serving on http://%s:%d/", host, bound)
    return runner, int(bound)


# -- checks and small helpers ------------------------------------------------------------------------
def _check_settings(settings: RoomServerSettings) -> None:
    positive = {
        "history_size": settings.history_size,
        "chat_flood_max": settings.chat_flood_max,
        "chat_flood_window_s": settings.chat_flood_window_s,
        "bot_chat_max": settings.bot_chat_max,
        "max_frame_bytes": settings.max_frame_bytes,
        "max_media_bytes": settings.max_media_bytes,
        "client_queue_size": settings.client_queue_size,
        "send_timeout_s": settings.send_timeout_s,
        "heartbeat_s": settings.heartbeat_s,
        "state_save_interval_s": settings.state_save_interval_s,
    }
    bad = [f"{key}={value!r}" for key, value in positive.items() if not value > 0]
    if bad:
        raise ValueError(f"room server settings must be positive: {', '.join(bad)}")


def _checked_tokens(tokens: Mapping[str, str]) -> dict[str, str]:
    for token, role in tokens.items():
        if not isinstance(token, str) or not token:
            raise ValueError("room server tokens must be non-empty strings")
        if role not in ROLES:
            raise ValueError(f"token for role {role!r}: the role must be one of {', '.join(sorted(ROLES))}")
    return dict(tokens)


def _checked_products(products: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Private JSON copies: a record must survive the wire and the state file, and later edits by the
    caller must not change what the room already announced."""
    catalog: dict[str, dict[str, Any]] = {}
    for sku, record in products.items():
        if not isinstance(record, Mapping):
            raise ValueError(f"product {sku!r}: the record must be a mapping")
        missing = [key for key in _REQUIRED_PRODUCT_FIELDS if key not in record]
        if missing:
            raise ValueError(f"product {sku!r}: missing {', '.join(missing)}")
        if record["sku"] != sku:
            raise ValueError(f"product {sku!r}: its record says sku {record['sku']!r}")
        try:
            catalog[sku] = json.loads(json.dumps(dict(record), ensure_ascii=False, allow_nan=False))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"product {sku!r}: the record is not plain JSON data ({exc})") from exc
    return catalog


def _plain(kind: type[web.HTTPException], reason: str) -> web.HTTPException:
    return kind(text=reason, content_type="text/plain")


def _too_large(limit: int, size: int) -> web.HTTPException:
    return web.HTTPRequestEntityTooLarge(
        limit, size, text=f"images are limited to {limit} bytes", content_type="text/plain"
    )


def _now_ms() -> int:
    return int(time.time() * 1000)


def _clock(ts_ms: int) -> str:
    return datetime.fromtimestamp(ts_ms / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
