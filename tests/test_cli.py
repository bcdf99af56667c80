"""The `livebot` commands as a user runs them: real processes, real ports, Ctrl-C to stop."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.conftest import RoomServer
from tests.test_bot_room import answer_to, ask

LIVEBOT = [sys.executable, "-m", "bot.cli"]


@pytest.fixture
async def spawn() -> AsyncIterator[Callable[..., Any]]:
    procs: list[asyncio.subprocess.Process] = []

    async def start(*args: str) -> asyncio.subprocess.Process:
        proc = await asyncio.create_subprocess_exec(
            *LIVEBOT, *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def read_until(proc: asyncio.subprocess.Process, pattern: str, timeout_s: float = 30) -> re.Match[str]:
    assert proc.stdout is not None
    async with asyncio.timeout(timeout_s):
        while True:
            line = (await proc.stdout.readline()).decode()
            if not line:
                stderr = await proc.stderr.read() if proc.stderr else b""
                raise AssertionError(f"process ended before {pattern!r}: {stderr.decode()[-2000:]}")
            found = re.search(pattern, line)
            if found:
                return found


async def stop(proc: asyncio.subprocess.Process) -> int:
    proc.send_signal(signal.SIGINT)
    async with asyncio.timeout(20):
        return await proc.wait()


async def test_room_on_port_0_prints_the_bound_port_and_stops_on_ctrl_c(
    spawn: Callable[..., Any], tmp_path: Path
) -> None:
    data = json.dumps(str(tmp_path / "data"))
    proc = await spawn("room", "--port", "0", "--set", f"storage.data_dir={data}", "--token", "bot=secret")
    port = int((await read_until(proc, r"listening on http://127\.0\.0\.1:(\d+)")).group(1))
    assert port > 0
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/healthz") as resp:
        assert resp.status == 200 and (await resp.text()).strip() == "ok"
    assert await stop(proc) == 0


async def test_run_joins_an_existing_room_and_answers(
    spawn: Callable[..., Any], room_server: RoomServer, open_client: Callable[..., Any], tmp_path: Path
) -> None:
    data = json.dumps(str(tmp_path / "data"))
    proc = await spawn(
        "run", "--room", room_server.ws_url("r1"), "--token", "t-bot", "--set", f"storage.data_dir={data}"
    )
    viewer = await open_client(room_server.ws_url("r1"), "小美")
    # The bot joins in its own time: wait for its welcome to show up as a member by asking until answered.
    phrasings = ["3号多少钱", "3号价格", "3号什么价", "3号怎么卖", "how much is link 3", "price of link 3"]
    async with asyncio.timeout(30):
        for attempt in range(100):
            event = await ask(
                viewer, (phrasings[attempt % len(phrasings)] + " " + "!" * (attempt // 6)).strip()
            )
            try:
                await viewer.wait_for(answer_to(event["id"]), timeout_s=1.0)
                break
            except TimeoutError:
                continue
    assert await stop(proc) == 0


def test_bad_config_exits_2_with_the_key_path(tmp_path: Path) -> None:
    import subprocess

    bad = tmp_path / "c.toml"
    bad.write_text("[rooms.demo]\nrate_mesages = 5\n", encoding="utf-8")
    result = subprocess.run(
        [*LIVEBOT, "demo", "--config", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "rooms.demo.rate_mesages: unknown key" in result.stderr
