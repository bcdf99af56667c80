"""The embedded live room (bot.liveroom) on loopback: protocol, roles, limits, history, persistence, media.

Real server on port 0, real aiohttp websocket clients; every wait is a received frame under a timeout.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yarl
from aiohttp import WSMsgType, web

from bot.liveroom.server import HUB_KEY, RoomServerSettings, start_room_server
from bot.liveroom.state import StateFileError

TOKENS = {"t-bot": "bot", "t-mod": "moderator", "t-host": "broadcaster", "t-viewer": "viewer"}
PRODUCTS: dict[str, dict[str, Any]] = {
    "A1": {
        "sku": "A1",
        "name": "法式碎花连衣裙",
        "price": 129.0,
        "original_price": 199.0,
        "link": 3,
        "stock": 12,
        "category": "dress",
        "sizes": ["S", "M", "L"],
    },
    "B2": {"sku": "B2", "name": "羊毛开衫", "price": 89.0, "link": 5, "stock": 0},
}
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)
WAIT_S = 5.0


# -- harness -------------------------------------------------------------------------------------------
class Peer:
    """One websocket client; `welcome` is its first frame."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, welcome: dict[str, Any]):
        self.ws = ws
        self.welcome = welcome

    @property
    def uid(self) -> str:
        return str(self.welcome["you"]["uid"])

    async def send(self, frame: dict[str, Any] | str) -> None:
        await self.ws.send_str(frame if isinstance(frame, str) else json.dumps(frame, ensure_ascii=False))

    async def recv(self) -> dict[str, Any]:
        async with asyncio.timeout(WAIT_S):
            message = await self.ws.receive()
        assert message.type is WSMsgType.TEXT, message
        frame = json.loads(message.data)
        assert isinstance(frame, dict)
        return frame

    async def expect(self, kind: str) -> dict[str, Any]:
        frame = await self.recv()
        assert frame["type"] == kind, frame
        return frame

    async def error(self, code: str) -> dict[str, Any]:
        frame = await self.expect("error")
        assert frame["code"] == code, frame
        assert isinstance(frame["message"], str) and frame["message"]
        return frame

    async def say(self, text: str, **extra: Any) -> dict[str, Any]:
        await self.send({"type": "chat", "text": text, **extra})
        return await self.expect("chat")

    async def assert_open(self) -> None:
        await self.send({"type": "ping"})
        await self.expect("pong")


@dataclass
class Server:
    runner: web.AppRunner
    port: int
    session: aiohttp.ClientSession
    stack: AsyncExitStack
    peers: list[Peer] = field(default_factory=list)
    stopped: bool = False

    @property
    def app(self) -> web.Application:
        return self.runner.app

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def raw_url(self, path: str) -> yarl.URL:
        """`path` exactly as written: the client must not normalise `..` or percent-escapes away."""
        return yarl.URL(self.url(path), encoded=True)

    async def join(self, name: str = "alice", *, token: str = "", uid: str = "", room: str = "r1") -> Peer:
        params = {"name": name, **({"token": token} if token else {}), **({"uid": uid} if uid else {})}
        ws = await self.session.ws_connect(
            self.url(f"/ws/{room}"), params=params, timeout=aiohttp.ClientWSTimeout(ws_close=WAIT_S)
        )
        self.stack.push_async_callback(ws.close)
        peer = Peer(ws, {})
        peer.welcome = await peer.expect("welcome")
        self.peers.append(peer)
        return peer

    async def stop(self) -> None:
        if not self.stopped:
            self.stopped = True
            await self.runner.cleanup()


StartServer = Callable[..., Awaitable[Server]]


@pytest.fixture
async def start(tmp_path: Path) -> AsyncIterator[StartServer]:
    """Start a room server with the test defaults, overridden by keyword (RoomServerSettings fields)."""
    async with AsyncExitStack() as stack:
        session = await stack.enter_async_context(aiohttp.ClientSession())

        async def start_(**overrides: Any) -> Server:
            settings = RoomServerSettings(tokens=TOKENS, products=PRODUCTS, media_dir=tmp_path / "media")
            runner, port = await start_room_server(replace(settings, **overrides))
            server = Server(runner, port, session, stack)
            stack.push_async_callback(server.stop)
            return server

        yield start_


@pytest.fixture
async def server(start: StartServer) -> Server:
    return await start()


# -- connecting ------------------------------------------------------------------------------------------
async def test_welcome_names_the_member_and_assigns_a_uid(server: Server) -> None:
    alice = await server.join("  alice  ")
    assert alice.welcome["room"] == "r1"
    assert alice.welcome["you"]["name"] == "alice"
    assert alice.welcome["you"]["role"] == "viewer"
    assert alice.uid.startswith("v-")
    assert alice.welcome["product"] is None
    assert alice.welcome["history"] == []
    bob = await server.join("bob", uid="bob-42", token="t-mod")
    assert bob.welcome["you"] == {"uid": "bob-42", "name": "bob", "role": "moderator"}


async def test_unknown_token_is_refused_with_403(server: Server) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await server.join("mallory", token="guessed")
    assert refused.value.status == 403
    async with server.session.get(server.url("/ws/r1"), params={"name": "m", "token": "guessed"}) as response:
        assert response.status == 403
        assert "token" in await response.text()


@pytest.mark.parametrize(
    "path",
    [
        "/ws/bad%20room?name=a",
        "/ws/" + "x" * 65 + "?name=a",
        "/ws/%E6%88%BF%E9%97%B4?name=a",
        "/ws/a.b?name=a",
        "/ws/?name=a",
        "/ws/r1",
        "/ws/r1?name=%20%20",
        "/ws/r1?name=" + "n" * 33,
        "/ws/r1?name=a%0Ab",
        "/ws/r1?name=a&uid=has%20space",
    ],
)
async def test_bad_room_name_or_user_is_refused_with_400(server: Server, path: str) -> None:
    async with server.session.get(server.raw_url(path)) as response:
        assert response.status == 400
        assert response.content_type == "text/plain"
        assert await response.text()


# -- errors ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("frame", "code", "echoed"),
    [
        ("{not json", "bad_json", False),
        ('{"type":"chat","text":NaN}', "bad_json", False),
        ('{"type":"chat","text":"\\ud800"}', "bad_json", False),
        ("[1, 2]", "bad_frame", False),
        ('"chat"', "bad_frame", False),
        ({"text": "no type"}, "bad_frame", True),
        ({"type": "dance"}, "bad_frame", True),
        ({"type": 7}, "bad_frame", True),
        ({"type": "chat"}, "bad_frame", True),
        ({"type": "chat", "text": 5}, "bad_frame", True),
        ({"type": "chat", "text": "   "}, "bad_frame", True),
        ({"type": "chat", "text": "hi", "reply_to": "7"}, "bad_frame", True),
        ({"type": "chat", "text": "hi", "reply_to": True}, "bad_frame", True),
        ({"type": "chat", "text": "hi", "reply_to": 2**52}, "bad_frame", True),
        ({"type": "click"}, "bad_frame", True),
        ({"type": "chat", "text": "长" * 501}, "too_long", True),
        ({"type": "chat", "text": "x" * 20000}, "too_long", False),
        ({"type": "click", "sku": "NOPE"}, "unknown_sku", True),
        ({"type": "delete", "id": 1}, "forbidden", True),
        ({"type": "product", "sku": "A1"}, "forbidden", True),
        ({"type": "image", "url": "/media/x.png", "alt": "x"}, "forbidden", True),
        ({"type": "timeout", "uid": "u1", "seconds": 60}, "forbidden", True),
    ],
)
async def test_refused_frames_answer_the_sender_and_keep_the_connection(
    server: Server, frame: dict[str, Any] | str, code: str, echoed: bool
) -> None:
    alice = await server.join("alice")
    bob = await server.join("bob")
    await alice.send(frame)
    error = await alice.error(code)
    assert error["ref"] == (frame if echoed else None)
    await alice.assert_open()
    # Nothing reached anyone else: bob's next frame is alice's next chat.
    said = await alice.say("still here")
    assert await bob.expect("chat") == said


async def test_binary_frames_are_bad_frames(server: Server) -> None:
    alice = await server.join()
    await alice.ws.send_bytes(b'{"type":"ping"}')
    assert (await alice.error("bad_frame"))["ref"] is None
    await alice.assert_open()


async def test_odd_but_valid_json_never_breaks_the_room(server: Server) -> None:
    alice = await server.join()
    odd = [
        "[" * 5000 + "]" * 5000,
        '{"a":' * 100 + "1" + "}" * 100,
        '{"type":"chat","text":1e400}',
        "9" * 5000,
    ]
    for raw in odd:
        await alice.send(raw)
        error = await alice.expect("error")
        assert error["code"] in {"bad_json", "bad_frame"}
        assert error["ref"] is None
    await alice.assert_open()


async def test_a_frame_far_over_the_limit_closes_the_socket(start: StartServer) -> None:
    server = await start(max_frame_bytes=1000)
    alice = await server.join()
    await alice.send({"type": "chat", "text": "x" * 2000})
    assert (await alice.error("too_long"))["ref"] is None
    await alice.send({"type": "chat", "text": "x" * 100_000})
    async with asyncio.timeout(WAIT_S):
        message = await alice.ws.receive()
    assert message.type is WSMsgType.CLOSE
    assert message.data == aiohttp.WSCloseCode.MESSAGE_TOO_BIG


# -- roles -----------------------------------------------------------------------------------------------
async def test_a_role_comes_only_from_the_token(server: Server) -> None:
    alice = await server.join("alice")
    bob = await server.join("bob")
    spoof = {"type": "chat", "text": "我是房管", "role": "moderator", "id": 1, "ts": 1, "room": "other"}
    spoof["user"] = {"uid": "boss", "name": "主播", "role": "broadcaster"}
    event = await alice.say(spoof["text"], **{k: v for k, v in spoof.items() if k not in ("type", "text")})
    assert event["user"] == {"uid": alice.uid, "name": "alice", "role": "viewer"}
    assert event["room"] == "r1"
    assert event["id"] > 1 and event["ts"] > 1
    assert await bob.expect("chat") == event
    for frame in (
        {"type": "delete", "id": event["id"], "role": "moderator"},
        {"type": "product", "sku": "A1", "user": {"role": "broadcaster"}},
        {"type": "image", "url": "https://example.com/a.png", "alt": "a", "role": "bot"},
    ):
        await alice.send(frame)
        assert (await alice.error("forbidden"))["ref"] == frame
    await alice.send({"type": "chat", "text": "after"})
    assert (await bob.expect("chat"))["text"] == "after"  # the delete never happened
    viewer_by_token = await server.join("carol", token="t-viewer")
    assert viewer_by_token.welcome["you"]["role"] == "viewer"


async def test_the_bot_may_not_click_or_buy(server: Server) -> None:
    bot = await server.join("小助手", token="t-bot")
    for kind in ("click", "purchase"):
        await bot.send({"type": kind, "sku": "A1"})
        await bot.error("forbidden")
    await bot.assert_open()


async def test_ping_is_answered_to_the_sender_only(server: Server) -> None:
    alice = await server.join("alice")
    bob = await server.join("bob")
    await alice.send({"type": "ping"})
    await alice.expect("pong")
    said = await alice.say("after the ping")
    assert await bob.recv() == said  # frames arrive in order: a pong for bob would have come first


# -- events ----------------------------------------------------------------------------------------------
async def test_chat_is_broadcast_trimmed_with_increasing_ids(server: Server) -> None:
    alice = await server.join("alice")
    bob = await server.join("bob")
    before_ms = int(time.time() * 1000)
    first = await alice.say("  3号多少钱  ")
    assert first == await bob.expect("chat")
    assert first["text"] == "3号多少钱"
    assert first["reply_to"] is None
    assert first["user"] == {"uid": alice.uid, "name": "alice", "role": "viewer"}
    assert before_ms <= first["ts"] <= int(time.time() * 1000)
    reply = await bob.say("我也想问", reply_to=first["id"])
    assert reply["reply_to"] == first["id"]
    assert await alice.expect("chat") == reply
    ids = [first["id"], reply["id"]]
    for i in range(5):
        ids.append((await alice.say(f"m{i}"))["id"])
        await bob.expect("chat")
    assert ids == sorted(set(ids))


async def test_product_switch_broadcasts_the_full_record(server: Server) -> None:
    host = await server.join("主播", token="t-host")
    alice = await server.join("alice")
    await host.send({"type": "product", "sku": "A1"})
    event = await host.expect("product")
    assert event["product"] == PRODUCTS["A1"]
    assert event["user"]["role"] == "broadcaster"
    assert await alice.expect("product") == event
    bot = await server.join("bot", token="t-bot")
    assert bot.welcome["product"] == PRODUCTS["A1"]
    await bot.send({"type": "product", "sku": "NOPE"})
    assert (await bot.error("unknown_sku"))["ref"] == {"type": "product", "sku": "NOPE"}
    await alice.send({"type": "click", "sku": "A1"})
    click = await alice.expect("click")
    assert click["sku"] == "A1" and click["user"]["uid"] == alice.uid
    await alice.send({"type": "purchase", "sku": "B2"})
    assert (await alice.expect("purchase"))["sku"] == "B2"


async def test_images_from_the_bot_and_their_checks(server: Server) -> None:
    bot = await server.join("bot", token="t-bot")
    alice = await server.join("alice")
    frame = {"type": "image", "url": "/media/abc123.png", "alt": "搭配图", "caption": "今日穿搭"}
    await bot.send(frame)
    event = await bot.expect("image")
    assert {k: event[k] for k in ("url", "alt", "caption")} == {
        k: frame[k] for k in ("url", "alt", "caption")
    }
    assert await alice.expect("image") == event
    await bot.send({"type": "image", "url": "https://example.com/a.jpg", "alt": "a"})
    assert (await bot.expect("image"))["caption"] is None
    for bad in (
        {"type": "image", "url": "javascript:alert(1)", "alt": "x"},
        {"type": "image", "url": "data:image/png;base64,AAAA", "alt": "x"},
        {"type": "image", "url": "/media/../secret.png", "alt": "x"},
        {"type": "image", "url": "/media/a.png"},
        {"type": "image", "url": "/media/a.png", "alt": ""},
    ):
        await bot.send(bad)
        await bot.error("bad_frame")
    await bot.send({"type": "image", "url": "/media/a.png", "alt": "x" * 501})
    await bot.error("too_long")


async def test_timeout_is_broadcast_and_enforced(server: Server) -> None:
    mod = await server.join("房管", token="t-mod")
    alice = await server.join("alice")
    bob = await server.join("bob")
    await mod.send({"type": "timeout", "uid": alice.uid, "seconds": 600})
    event = await mod.expect("timeout")
    assert event["uid"] == alice.uid and event["seconds"] == 600
    assert event["until"] == event["ts"] + 600_000
    assert await alice.expect("timeout") == event
    assert await bob.expect("timeout") == event
    await alice.send({"type": "chat", "text": "why"})
    error = await alice.error("timed_out")
    assert "until" in error["message"]
    assert error["ref"] == {"type": "chat", "text": "why"}
    for bad in (0, 86_401, 1.5, "60", None):
        await mod.send({"type": "timeout", "uid": bob.uid, "seconds": bad})
        await mod.error("bad_frame")
    await alice.send({"type": "click", "sku": "A1"})  # a timeout silences chat only
    click = await alice.expect("click")
    assert await bob.expect("click") == click
    said = await bob.say("bob is fine")
    assert await alice.expect("chat") == said


async def test_a_moderator_cannot_time_out_staff_but_the_broadcaster_can(server: Server) -> None:
    mod = await server.join("房管", token="t-mod")
    host = await server.join("主播", token="t-host")
    bot = await server.join("bot", token="t-bot")
    for target in (host, bot, mod):
        await mod.send({"type": "timeout", "uid": target.uid, "seconds": 60})
        await mod.error("forbidden")
    await host.send({"type": "timeout", "uid": mod.uid, "seconds": 60})
    assert (await host.expect("timeout"))["uid"] == mod.uid
    await mod.expect("timeout")
    await mod.send({"type": "chat", "text": "hm"})
    await mod.error("timed_out")


async def test_flood_limit_per_connection_and_the_bot_exemption(start: StartServer) -> None:
    server = await start(bot_chat_max=30)
    alice = await server.join("alice")
    for i in range(20):
        await alice.say(f"刷屏 {i}")
    await alice.send({"type": "chat", "text": "21st"})
    error = await alice.error("rate_limited")
    assert error["ref"] == {"type": "chat", "text": "21st"}
    await alice.assert_open()
    carol = await server.join("carol")  # the limit is per connection
    await carol.say("hello")
    bot = await server.join("bot", token="t-bot")
    for i in range(30):
        await bot.say(f"bot {i}")
    await bot.send({"type": "chat", "text": "31st"})
    await bot.error("rate_limited")


async def test_history_keeps_the_last_events_oldest_first_without_deleted_ones(server: Server) -> None:
    bot = await server.join("bot", token="t-bot")
    said = [await bot.say(f"消息 {i}") for i in range(51)]
    ids = [event["id"] for event in said]
    assert all(b > a for a, b in itertools.pairwise(ids))
    late = await server.join("late")
    assert late.welcome["history"] == said[1:]
    mod = await server.join("房管", token="t-mod")
    await mod.send({"type": "delete", "id": said[10]["id"]})
    deleted = await mod.expect("delete")
    assert deleted["target"] == said[10]["id"]
    assert await late.expect("delete") == deleted
    later = await server.join("later")
    history_ids = [event["id"] for event in later.welcome["history"]]
    assert said[10]["id"] not in history_ids
    assert later.welcome["history"][-1] == deleted
    assert history_ids == sorted(history_ids)


async def test_delete_only_takes_chat_events_that_exist(server: Server) -> None:
    host = await server.join("主播", token="t-host")
    await host.send({"type": "product", "sku": "A1"})
    product = await host.expect("product")
    await host.send({"type": "delete", "id": product["id"]})
    await host.error("bad_frame")
    await host.send({"type": "delete", "id": product["id"] + 1000})
    await host.error("bad_frame")


# -- persistence -----------------------------------------------------------------------------------------
async def test_restart_with_a_state_file_keeps_history_product_and_ids(
    start: StartServer, tmp_path: Path
) -> None:
    state_file = tmp_path / "state" / "room.json"
    first = await start(state_file=state_file)
    host = await first.join("主播", token="t-host")
    await host.send({"type": "product", "sku": "B2"})
    await host.expect("product")
    said = [await host.say(f"第{i}条") for i in range(3)]
    alice = await first.join("alice", uid="alice-1")
    await host.send({"type": "timeout", "uid": "alice-1", "seconds": 3600})
    timeout = await host.expect("timeout")
    await first.stop()
    assert state_file.is_file()
    assert [p.name for p in state_file.parent.iterdir()] == ["room.json"]  # no temp file left behind

    second = await start(state_file=state_file)
    bob = await second.join("bob")
    assert bob.welcome["product"] == PRODUCTS["B2"]
    assert bob.welcome["history"][-4:] == [*said, timeout]
    event = await bob.say("重启后")
    assert event["id"] == timeout["id"] + 1
    alice = await second.join("alice", uid="alice-1")
    await alice.send({"type": "chat", "text": "still muted?"})
    await alice.error("timed_out")


async def test_restart_without_a_state_file_still_gives_larger_ids(start: StartServer) -> None:
    first = await start()
    alice = await first.join("alice")
    old = await alice.say("before the restart")
    await first.stop()
    second = await start()
    bob = await second.join("bob")
    assert bob.welcome["history"] == []
    new = await bob.say("after the restart")
    assert new["id"] > old["id"]


async def test_a_corrupt_state_file_stops_the_start(start: StartServer, tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    state_file.write_text("{half a file", encoding="utf-8")
    with pytest.raises(StateFileError, match=r"state\.json"):
        await start(state_file=state_file)
    assert state_file.read_text(encoding="utf-8") == "{half a file"  # not overwritten


async def test_shutdown_closes_clients_with_going_away(start: StartServer) -> None:
    server = await start()
    alice = await server.join()
    stopping = asyncio.create_task(server.stop())
    async with asyncio.timeout(WAIT_S):
        message = await alice.ws.receive()
    assert message.type is WSMsgType.CLOSE
    assert message.data == aiohttp.WSCloseCode.GOING_AWAY
    await stopping


# -- slow clients ----------------------------------------------------------------------------------------
async def test_a_client_that_stops_reading_is_dropped_and_the_room_goes_on(start: StartServer) -> None:
    big = {sku: {**record, "description": "长" * 200_000} for sku, record in PRODUCTS.items()}
    server = await start(products=big, client_queue_size=4, chat_flood_max=1000)
    host = await server.join("主播", token="t-host")
    reader, writer = await _silent_client(server.port)
    room = server.app[HUB_KEY].rooms["r1"]
    assert len(room.listeners) == 2
    skus = list(big)
    for i in range(200):
        await host.send({"type": "product", "sku": skus[i % 2]})
        await host.expect("product")
        if len(room.listeners) == 1:
            break
    assert len(room.listeners) == 1, "the silent client was never dropped"
    await host.assert_open()
    async with asyncio.timeout(WAIT_S):
        try:
            while await reader.read(1 << 20):
                pass
        except ConnectionResetError:
            pass  # aborted: what a client that stopped reading gets
    writer.close()


async def _silent_client(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A websocket client that completes the handshake, then never reads again."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port))
    reader, writer = await asyncio.open_connection(sock=sock, limit=4096)
    writer.write(
        b"GET /ws/r1?name=slow HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    async with asyncio.timeout(WAIT_S):
        status = await reader.readline()
        assert b" 101 " in status
        while await reader.readline() not in (b"\r\n", b""):
            pass
    return reader, writer


# -- HTTP: media, page, health ---------------------------------------------------------------------------
async def _upload(
    server: Server, body: bytes, *, token: str | None, content_type: str = "image/png"
) -> aiohttp.ClientResponse:
    headers = {"Content-Type": content_type}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    async with server.session.post(server.url("/media"), data=body, headers=headers) as response:
        await response.read()
        return response


async def test_upload_with_a_bot_token_then_get_serves_the_png(server: Server, tmp_path: Path) -> None:
    response = await _upload(server, PNG, token="t-bot")
    assert response.status == 201
    async with server.session.post(
        server.url("/media"),
        data=PNG,
        headers={"Content-Type": "image/png", "Authorization": "Bearer t-host"},
    ) as again:
        url = (await again.json())["url"]
    assert url.startswith("/media/") and url.endswith(".png")
    async with server.session.get(server.url(url)) as served:
        assert served.status == 200
        assert served.content_type == "image/png"
        assert await served.read() == PNG
    assert (tmp_path / "media" / url.removeprefix("/media/")).read_bytes() == PNG
    bot = await server.join("bot", token="t-bot")
    await bot.send({"type": "image", "url": url, "alt": "上传的图"})
    assert (await bot.expect("image"))["url"] == url


@pytest.mark.parametrize(
    ("token", "status"), [(None, 401), ("nobody", 401), ("t-viewer", 403), ("t-mod", 403)]
)
async def test_upload_needs_a_bot_or_broadcaster_token(
    server: Server, token: str | None, status: int
) -> None:
    assert (await _upload(server, PNG, token=token)).status == status


async def test_upload_checks_type_magic_and_size(start: StartServer) -> None:
    server = await start(max_media_bytes=1000)
    assert (await _upload(server, PNG, token="t-bot", content_type="image/svg+xml")).status == 415
    assert (await _upload(server, PNG, token="t-bot", content_type="image/jpeg")).status == 400
    assert (await _upload(server, b"", token="t-bot")).status == 400
    assert (await _upload(server, PNG + b"\0" * 1000, token="t-bot")).status == 413


async def test_a_streamed_upload_is_cut_at_the_size_cap(start: StartServer) -> None:
    server = await start(max_media_bytes=1000)

    async def chunks() -> AsyncIterator[bytes]:
        yield PNG
        for _ in range(3):
            yield b"\0" * 400

    headers = {"Content-Type": "image/png", "Authorization": "Bearer t-bot"}
    async with server.session.post(server.url("/media"), data=chunks(), headers=headers) as response:
        assert response.status == 413


@pytest.mark.parametrize(
    "path",
    [
        "/media/../x",
        "/media/%2e%2e/x",
        "/media/..%2fpyproject.toml",
        "/media/%2e%2e%2fpyproject.toml",
        "/media/..%5cpyproject.toml",
        "/media/outside.png",
        "/media/notes.txt",
        "/media/.hidden.png",
    ],
)
async def test_media_never_serves_anything_outside_the_media_dir(
    server: Server, tmp_path: Path, path: str
) -> None:
    media = tmp_path / "media"
    (tmp_path / "secret.png").write_bytes(PNG)
    (media / "outside.png").symlink_to(tmp_path / "secret.png")
    (media / "notes.txt").write_text("x")
    (media / ".hidden.png").write_bytes(PNG)
    async with server.session.get(server.raw_url(path)) as response:
        assert response.status == 404


async def test_healthz(server: Server) -> None:
    async with server.session.get(server.url("/healthz")) as response:
        assert response.status == 200
        assert await response.text() == "ok"


async def test_the_viewer_page_is_static_and_carries_no_user_text(server: Server) -> None:
    alice = await server.join("<b>alice</b>")
    await alice.say("<script>alert('xss')</script>")
    async with server.session.get(server.url("/rooms/r1")) as response:
        assert response.status == 200
        assert response.content_type == "text/html"
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        page = await response.text()
    assert "alert(" not in page and "<b>alice" not in page
    for needle in (
        'id="chat"',
        'id="product"',
        'id="input"',
        'id="send"',
        'id="status"',
        "room.js",
        "room.css",
    ):
        assert needle in page
    for asset in ("room.js", "room.css"):
        async with server.session.get(server.url(f"/static/liveroom/{asset}")) as response:
            assert response.status == 200
            assert "innerHTML" not in await response.text()
    async with server.session.get(server.raw_url("/rooms/bad%20room")) as response:
        assert response.status == 400
