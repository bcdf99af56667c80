"""Markers and loopback fixtures shared by the tests. Servers are real and bound to port 0."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect

from bot.catalog import Catalog, load_catalog
from bot.liveroom.server import RoomServerSettings, start_room_server

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("LIVEBOT_SHARED_DATA", REPO.parent / "shared" / "data"))
TOKENS = {"t-bot": "bot", "t-mod": "moderator", "t-host": "broadcaster"}


def pytest_runtest_setup(item: pytest.Item) -> None:
    # Markers, not keywords: a parametrize id such as "gpu" must not skip a test.
    if item.get_closest_marker("dataset") is not None and not SHARED_DATA.is_dir():
        if os.environ.get("LIVEBOT_REQUIRE_DATA") == "1":
            pytest.fail(f"LIVEBOT_REQUIRE_DATA=1 but the dataset folder {SHARED_DATA} is absent")
        pytest.skip(f"dataset folder {SHARED_DATA} is absent")
    if item.get_closest_marker("gpu") is not None and not _cuda_available():
        pytest.skip("needs CUDA; none on this machine")


def _cuda_available() -> bool:
    import torch

    return bool(torch.cuda.is_available())


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@dataclass
class RoomServer:
    """A running embedded room on loopback, restartable on the same port."""

    settings: RoomServerSettings
    port: int
    runner: Any
    host: str = "127.0.0.1"

    def ws_url(self, room: str = "r1") -> str:
        return f"ws://{self.host}:{self.port}/ws/{room}"

    def http_url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    async def stop(self) -> None:
        await self.runner.cleanup()

    async def restart(self) -> None:
        self.runner, self.port = await start_room_server(self.settings, self.host, self.port)


@pytest.fixture
async def room_server(tmp_path: Path, catalog: Catalog) -> AsyncIterator[RoomServer]:
    settings = RoomServerSettings(
        tokens=TOKENS,
        products=catalog.records(),
        media_dir=tmp_path / "media",
        state_file=tmp_path / "room-state.json",
    )
    runner, port = await start_room_server(settings, "127.0.0.1", 0)
    server = RoomServer(settings, port, runner)
    yield server
    await server.runner.cleanup()


@dataclass
class Client:
    """A viewer (or moderator) on a real websocket; `frames` keeps everything received."""

    ws: ClientConnection
    welcome: dict[str, Any]
    frames: list[dict[str, Any]] = field(default_factory=list)
    _new: asyncio.Event = field(default_factory=asyncio.Event)
    _reader: asyncio.Task[None] | None = None

    async def send(self, **frame: Any) -> None:
        await self.ws.send(json.dumps(frame, ensure_ascii=False))

    async def _read(self) -> None:
        async for raw in self.ws:
            self.frames.append(json.loads(raw))
            self._new.set()

    async def wait_for(
        self, pred: Callable[[dict[str, Any]], bool], timeout_s: float = 10.0
    ) -> dict[str, Any]:
        """The first frame received (ever) that matches `pred`."""
        async with asyncio.timeout(timeout_s):
            seen = 0
            while True:
                for frame in self.frames[seen:]:
                    if pred(frame):
                        return frame
                seen = len(self.frames)
                self._new.clear()
                await self._new.wait()

    async def wait_until(self, cond: Callable[[list[dict[str, Any]]], bool], timeout_s: float = 10.0) -> None:
        """Until `cond(all frames so far)` holds; re-checked on every new frame."""
        async with asyncio.timeout(timeout_s):
            while not cond(self.frames):
                self._new.clear()
                await self._new.wait()

    async def close(self) -> None:
        await self.ws.close()
        if self._reader is not None:
            await self._reader


@pytest.fixture
async def open_client() -> AsyncIterator[Callable[..., Any]]:
    clients: list[Client] = []

    async def open_(url: str, name: str, token: str = "", uid: str = "") -> Client:
        query = f"?name={name}" + (f"&token={token}" if token else "") + (f"&uid={uid}" if uid else "")
        ws = await connect(url + query, open_timeout=5)
        welcome = json.loads(await ws.recv())
        client = Client(ws, welcome)
        client._reader = asyncio.create_task(client._read())
        clients.append(client)
        return client

    yield open_
    for client in clients:
        await client.close()
