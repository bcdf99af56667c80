"""The bot in a real embedded room on loopback: answers, reconnects, rate limits, commands, shutdown."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import WSMsgType, web

from bot.app import Bot, build_services
from bot.catalog import Catalog, format_price, load_faq
from bot.config import Config, load_config
from bot.store import Store
from tests.conftest import Client, RoomServer


@dataclass
class RunningBot:
    bot: Bot
    store: Store
    task: asyncio.Task[None]

    @property
    def runner(self) -> Any:
        return next(iter(self.bot.runners.values()))

    async def stop(self) -> None:
        await self.bot.stop()
        await self.task
        await self.store.close()


def bot_config(tmp_path: Path, url: str, *overrides: str) -> Config:
    return load_config(
        None,
        [
            f"storage.data_dir={json.dumps(str(tmp_path / 'data'))}",
            f"rooms.r1.url={json.dumps(url)}",
            'rooms.r1.token="t-bot"',
            "bot.reconnect_initial_s=0.05",
            "bot.reconnect_max_s=0.2",
            "bot.command_user_cooldown_s=0",
            "bot.command_room_cooldown_s=0",
            *overrides,
        ],
    )


@pytest.fixture
async def start_bot(tmp_path: Path, catalog: Catalog) -> AsyncIterator[Callable[..., Any]]:
    running: list[RunningBot] = []

    async def start(url: str, *overrides: str) -> RunningBot:
        config = bot_config(tmp_path, url, *overrides)
        store = await Store.open(config.data_dir / "bot.sqlite3")
        bot = Bot(config, build_services(config, catalog, load_faq(), store))
        handle = RunningBot(bot, store, asyncio.create_task(bot.run()))
        running.append(handle)
        async with asyncio.timeout(10):
            await handle.runner.transport.connected.wait()
        return handle

    yield start
    for handle in running:
        if not handle.task.done():
            await handle.stop()


def bot_chat(frame: dict[str, Any]) -> bool:
    return frame.get("type") == "chat" and frame["user"]["role"] == "bot"


def answer_to(event_id: int) -> Callable[[dict[str, Any]], bool]:
    return lambda f: bot_chat(f) and f.get("reply_to") == event_id


async def ask(client: Client, text: str) -> dict[str, Any]:
    """Send a chat line and return the room's broadcast of it (with its event id)."""
    await client.send(type="chat", text=text)
    me = client.welcome["you"]["uid"]
    return await client.wait_for(
        lambda f: f.get("type") == "chat" and f["user"]["uid"] == me and f["text"] == text
    )


async def test_answers_price_questions_with_catalog_prices(
    room_server: RoomServer, open_client: Callable[..., Any], start_bot: Callable[..., Any], catalog: Catalog
) -> None:
    await start_bot(room_server.ws_url("r1"))
    viewer = await open_client(room_server.ws_url("r1"), "小美")
    product = catalog.by_link(3)
    assert product is not None
    for text in ("3号多少钱", "３号链接多少钱呀", "how much is link 3"):
        event = await ask(viewer, text)
        reply = await viewer.wait_for(answer_to(event["id"]))
        assert f"¥{format_price(product.price)}" in reply["text"]
        assert reply["text"].startswith("@小美 ")
    host = await open_client(room_server.ws_url("r1"), "host", token="t-host")
    other = catalog.by_link(7)
    assert other is not None
    await host.send(type="product", sku=other.sku)
    await viewer.wait_for(lambda f: f.get("type") == "product" and f["product"]["sku"] == other.sku)
    event = await ask(viewer, "这件多少钱")
    reply = await viewer.wait_for(answer_to(event["id"]))
    assert f"¥{format_price(other.price)}" in reply["text"]


async def test_answer_time_is_recorded_per_answer_and_shown_by_status(
    room_server: RoomServer, open_client: Callable[..., Any], start_bot: Callable[..., Any]
) -> None:
    handle = await start_bot(room_server.ws_url("r1"))
    viewer = await open_client(room_server.ws_url("r1"), "小美")
    mod = await open_client(room_server.ws_url("r1"), "mod", token="t-mod")
    stats = handle.runner.state.stats
    status = await ask(mod, "!status")
    first = await mod.wait_for(answer_to(status["id"]))
    assert "p99" not in first["text"] and len(stats.answer_ms) == 0  # a command is not an answer
    for text in ("3号多少钱", "主播好美", "5号有货吗"):
        event = await ask(viewer, text)
    await viewer.wait_for(answer_to(event["id"]))
    assert len(stats.answer_ms) == 2  # the chatter got no answer and no record
    assert all(0 < ms < 1000 for ms in stats.answer_ms)
    status = await ask(mod, "!status again")  # another text: `ask` finds the first echo by its text
    reply = await mod.wait_for(answer_to(status["id"]))
    assert re.search(r"p99 \d+\.\dms", reply["text"])
    assert stats.answer_ms_p(0.99) == max(stats.answer_ms)


async def test_reconnects_after_room_restart_and_answers_nothing_twice(
    room_server: RoomServer, open_client: Callable[..., Any], start_bot: Callable[..., Any]
) -> None:
    handle = await start_bot(room_server.ws_url("r1"))
    viewer = await open_client(room_server.ws_url("r1"), "Tom")
    first = await ask(viewer, "5号多少钱")
    await viewer.wait_for(answer_to(first["id"]))

    await room_server.stop()
    async with asyncio.timeout(10):
        await handle.runner.transport.disconnected.wait()
    await room_server.restart()
    async with asyncio.timeout(10):
        await handle.runner.transport.connected.wait()

    viewer = await open_client(room_server.ws_url("r1"), "Tom")
    # The restored history holds the first question and its answer: the bot must not answer again.
    assert any(e.get("id") == first["id"] for e in viewer.welcome["history"])
    second = await ask(viewer, "6号多少钱")
    assert second["id"] > first["id"]
    await viewer.wait_for(answer_to(second["id"]))
    third = await ask(viewer, "7号多少钱")
    await viewer.wait_for(answer_to(third["id"]))
    answers = [f for f in viewer.frames if bot_chat(f)]
    assert [f["reply_to"] for f in answers] == [second["id"], third["id"]]
    assert handle.runner.transport.connections == 2


async def test_burst_of_200_questions_respects_the_rate_and_loses_no_answer(
    room_server: RoomServer, open_client: Callable[..., Any], start_bot: Callable[..., Any], catalog: Catalog
) -> None:
    limit, window_s = 20, 1.0
    await start_bot(
        room_server.ws_url("r1"), f"rooms.r1.rate_messages={limit}", f"rooms.r1.rate_window_s={window_s}"
    )
    watcher = await open_client(room_server.ws_url("r1"), "watcher")
    viewers = [await open_client(room_server.ws_url("r1"), f"v{i}") for i in range(10)]
    links = [p.link for p in catalog.products]
    asked: set[tuple[str, int]] = set()
    for i in range(200):
        # 10 viewers x 20 questions stays inside the room's flood limit of 20 per 10 s per connection.
        viewer, link = f"v{i % 10}", links[i % len(links)]
        await viewers[i % 10].send(type="chat", text=f"{link}号多少钱")
        asked.add((viewer, link))

    def answered(frames: list[dict[str, Any]]) -> set[tuple[str, int]]:
        # Askers of the same question share one reply that names each of them.
        covered = set()
        for frame in filter(bot_chat, frames):
            for viewer, link in asked:
                if f"@{viewer} " in frame["text"] and re.search(rf"(?<!\d){link}号", frame["text"]):
                    covered.add((viewer, link))
        return covered

    await watcher.wait_until(lambda frames: answered(frames) >= asked, timeout_s=60)
    answers = [f for f in watcher.frames if bot_chat(f)]
    assert len(answers) < len(asked)  # grouping saved messages
    times = sorted(f["ts"] for f in answers)
    for i, start in enumerate(times):
        # Server timestamps: the room counts arrivals, which is what a platform's limit would count.
        assert sum(1 for t in times[i:] if t - start < window_s * 1000) <= limit


async def test_viewers_cannot_run_moderator_commands_and_moderators_can(
    room_server: RoomServer, open_client: Callable[..., Any], start_bot: Callable[..., Any], catalog: Catalog
) -> None:
    handle = await start_bot(room_server.ws_url("r1"))
    viewer = await open_client(room_server.ws_url("r1"), "viewer")
    mod = await open_client(room_server.ws_url("r1"), "mod", token="t-mod")

    await ask(viewer, "!bot off")
    await ask(viewer, "!product 3")
    probe = await ask(viewer, "1号多少钱")
    await viewer.wait_for(answer_to(probe["id"]))  # still on: the viewer's commands did nothing
    assert not any(f.get("type") == "product" for f in viewer.frames)

    off = await ask(mod, "!feature answers off")
    await mod.wait_for(answer_to(off["id"]))
    silent = await ask(viewer, "2号多少钱")
    switch = await ask(mod, "!product 4")
    product = catalog.by_link(4)
    assert product is not None
    await viewer.wait_for(lambda f: f.get("type") == "product" and f["product"]["sku"] == product.sku)
    await mod.wait_for(answer_to(switch["id"]))
    assert not any(answer_to(silent["id"])(f) for f in viewer.frames)

    status = await ask(mod, "!status")
    reply = await mod.wait_for(answer_to(status["id"]))
    assert "4号" in reply["text"]
    assert await handle.store.settings("r1") == {"feature.answers": False}


async def test_feature_switches_persist_across_bot_restarts(
    room_server: RoomServer, open_client: Callable[..., Any], start_bot: Callable[..., Any]
) -> None:
    first = await start_bot(room_server.ws_url("r1"))
    mod = await open_client(room_server.ws_url("r1"), "mod", token="t-mod")
    off = await ask(mod, "!bot off")
    await mod.wait_for(answer_to(off["id"]))
    await first.stop()

    second = await start_bot(room_server.ws_url("r1"))
    assert second.runner.state.enabled is False
    viewer = await open_client(room_server.ws_url("r1"), "viewer")
    silent = await ask(viewer, "1号多少钱")
    on = await ask(mod, "!bot on")
    await mod.wait_for(answer_to(on["id"]))
    assert not any(answer_to(silent["id"])(f) for f in viewer.frames)


async def test_shutdown_drains_queued_answers(
    room_server: RoomServer, open_client: Callable[..., Any], start_bot: Callable[..., Any]
) -> None:
    handle = await start_bot(
        room_server.ws_url("r1"), "rooms.r1.rate_messages=3", "rooms.r1.rate_window_s=0.3"
    )
    viewer = await open_client(room_server.ws_url("r1"), "v")
    events = [await ask(viewer, f"{n}号多少钱") for n in range(1, 10)]
    await viewer.wait_for(answer_to(events[0]["id"]))
    await handle.stop()
    for event in events:
        await viewer.wait_for(answer_to(event["id"]))


# -- a room that misbehaves on purpose: server-side fault injection -------------------------------
class EvilRoom:
    """A websocket endpoint speaking the protocol badly: garbage frames, or silence."""

    def __init__(self, script: Callable[[web.WebSocketResponse], Any]):
        self.script = script
        self.connections = 0
        self.received: list[dict[str, Any]] = []
        self.changed = asyncio.Event()

    async def until(self, pred: Callable[[], bool], timeout_s: float = 10.0) -> None:
        async with asyncio.timeout(timeout_s):
            while not pred():
                self.changed.clear()
                await self.changed.wait()

    async def handler(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=False)
        await ws.prepare(request)
        self.connections += 1
        self.changed.set()
        await self.script(ws)
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                self.received.append(json.loads(msg.data))
                self.changed.set()
        return ws


@pytest.fixture
async def evil_room() -> AsyncIterator[Callable[..., Any]]:
    runners: list[web.AppRunner] = []

    async def start(script: Callable[[web.WebSocketResponse], Any]) -> tuple[EvilRoom, str]:
        room = EvilRoom(script)
        app = web.Application()
        app.router.add_get("/ws/{room}", room.handler)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        port = runner.addresses[0][1]
        return room, f"ws://127.0.0.1:{port}/ws/r1"

    yield start
    for runner in runners:
        await runner.cleanup()


WELCOME = {
    "type": "welcome",
    "room": "r1",
    "you": {"uid": "bot-1", "name": "livebot", "role": "bot"},
    "product": None,
    "history": [],
}


def chat(event_id: int, text: str) -> dict[str, Any]:
    user = {"uid": "v1", "name": "alice", "role": "viewer"}
    return {
        "type": "chat",
        "id": event_id,
        "ts": 1,
        "room": "r1",
        "user": user,
        "text": text,
        "reply_to": None,
    }


async def test_malformed_frames_from_the_server_are_logged_and_skipped(
    evil_room: Callable[..., Any], start_bot: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    async def script(ws: web.WebSocketResponse) -> None:
        await ws.send_str(json.dumps(WELCOME))
        await ws.send_str("{not json")
        await ws.send_str(json.dumps({"type": "chat", "id": "seven"}))
        await ws.send_bytes(b"\x00\x01")
        await ws.send_str(json.dumps([1, 2]))
        await ws.send_str(json.dumps(chat(10, "2号多少钱")))

    room, url = await evil_room(script)
    handle = await start_bot(url)
    await room.until(lambda: any(f.get("type") == "chat" for f in room.received))
    answer = next(f for f in room.received if f.get("type") == "chat")
    assert answer["reply_to"] == 10
    assert handle.runner.transport.bad_frames == 4
    assert "skipped a malformed frame" in caplog.text
    assert room.connections == 1  # bad frames are skipped, not a reason to reconnect


async def test_a_silent_socket_is_detected_and_replaced(
    evil_room: Callable[..., Any], start_bot: Callable[..., Any]
) -> None:
    async def script(ws: web.WebSocketResponse) -> None:
        await ws.send_str(json.dumps(WELCOME))  # then never answers, not even pings

    room, url = await evil_room(script)
    await start_bot(url, "bot.read_timeout_s=0.3", "bot.ping_interval_s=0.1")
    await room.until(lambda: room.connections >= 3)


async def test_a_refused_token_is_fatal_not_retried(
    room_server: RoomServer, tmp_path: Path, catalog: Catalog
) -> None:
    config = bot_config(tmp_path, room_server.ws_url("r1"), 'rooms.r1.token="wrong"')
    store = await Store.open(tmp_path / "db.sqlite3")
    bot = Bot(config, build_services(config, catalog, load_faq(), store))
    async with asyncio.timeout(10):
        await bot.run()  # returns: the room's runner logged the fatal error and ended
    assert bot.runners["r1"].transport.connections == 0  # type: ignore[attr-defined]
    await store.close()
