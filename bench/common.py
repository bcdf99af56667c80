"""What the benchmarks share: machine facts, percentiles, an in-process bot, event-loop lag, child processes.

Nothing here is timed itself; every helper is bounded (timeouts everywhere, children terminated at exit).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import json
import logging
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bot.app import Bot, build_services
from bot.catalog import load_catalog, load_faq
from bot.config import load_config
from bot.models import ModelHub
from bot.store import Store

BENCH_ROOM = "bench"
BOT_TOKEN = "bench-bot-token"


# -- where and when -------------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    """The facts RESULTS.md asks for, read from this machine."""
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram_gib = 0.0
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gib = int(line.split()[1]) / 2**20
                break
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(ram_gib, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date_utc": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "code": code_version(),
        # Other work on a shared machine shows here; compare runs made under similar load.
        "loadavg_1m": round(os.getloadavg()[0], 2),
    }


def code_version() -> str:
    """The commit of the code under test, and whether bot/ differs from it (others edit concurrently)."""
    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "bot"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (head or "unknown") + (" (bot/ modified)" if dirty else "")


def machine_line(info: dict[str, Any]) -> str:
    return (
        f"machine: {info['nproc']} cpu ({info['cpu']}), {info['ram_gib']} GiB RAM, "
        f"Python {info['python']}, {info['date_utc']}, code {info['code']}, load avg {info['loadavg_1m']}"
    )


# -- numbers --------------------------------------------------------------------------------------
def percentile(values: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def summary_ms(values_s: Sequence[float]) -> dict[str, float]:
    """p50 / p90 / p99 / max in milliseconds of samples given in seconds."""
    ms = [v * 1000 for v in values_s]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 3),
        "p90_ms": round(percentile(ms, 90), 3),
        "p99_ms": round(percentile(ms, 99), 3),
        "max_ms": round(max(ms), 3) if ms else float("nan"),
    }


def spread(values: Sequence[float]) -> dict[str, float]:
    """Median and the range of repeated measurements."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def emit(result: dict[str, Any], lines: list[str], as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print("\n".join(lines))


def setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(processName)s %(name)s %(levelname)s %(message)s",
    )


# -- the bot, in this process ---------------------------------------------------------------------
@dataclass
class RunningBot:
    bot: Bot
    store: Store
    task: asyncio.Task[None]

    @property
    def runner(self) -> Any:
        return self.bot.runners[BENCH_ROOM]

    @property
    def transport(self) -> Any:
        return self.runner.transport

    async def stop(self, timeout_s: float = 15.0) -> None:
        async with asyncio.timeout(timeout_s):
            await self.bot.stop()
            await self.task
            await self.store.close()


async def start_bot(url: str, data_dir: Path, *overrides: str, workers: bool = False) -> RunningBot:
    """A real Bot (real SQLite store under `data_dir`) joined to room `bench` at `url`; not yet connected.
    With `workers`, its model hub and training worker pool run too (as `livebot run` starts them)."""
    config = load_config(
        None,
        [
            f"storage.data_dir={json.dumps(str(data_dir))}",
            f"rooms.{BENCH_ROOM}.url={json.dumps(url)}",
            f"rooms.{BENCH_ROOM}.token={json.dumps(BOT_TOKEN)}",
            *overrides,
        ],
    )
    catalog = await asyncio.to_thread(load_catalog)
    faq = await asyncio.to_thread(load_faq)
    store = await Store.open(config.data_dir / "bot.sqlite3")
    hub = await asyncio.to_thread(ModelHub.open, config) if workers else None
    bot = Bot(config, build_services(config, catalog, faq, store), hub=hub)
    return RunningBot(bot, store, asyncio.create_task(bot.run(), name="bench-bot"))


async def wait_until(pred: Callable[[], bool], timeout_s: float, poll_s: float = 0.005) -> None:
    """Poll `pred` (a counter in another task) every `poll_s`; TimeoutError after `timeout_s`."""
    async with asyncio.timeout(timeout_s):
        # The bot's counters have no event to wait on, and the benchmarks may not change the bot for one.
        while not pred():  # noqa: ASYNC110
            await asyncio.sleep(poll_s)


# -- event-loop lag -------------------------------------------------------------------------------
@dataclass
class LoopLag:
    """Sleeps `period_s` again and again in the loop it runs in and records how late each wake-up was."""

    period_s: float = 0.010
    lags_s: list[float] = field(default_factory=list)
    _task: asyncio.Task[None] | None = None

    _sleep_started: float = 0.0

    async def _run(self) -> None:
        clock = time.perf_counter
        while True:
            self._sleep_started = clock()
            await asyncio.sleep(self.period_s)
            self.lags_s.append(max(0.0, clock() - self._sleep_started - self.period_s))

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="loop-lag")

    async def stop(self) -> list[float]:
        if self._task is not None:
            # A sleep still running but already overdue is a lag too (a short run may be one long stall).
            overdue = time.perf_counter() - self._sleep_started - self.period_s
            if self._sleep_started and overdue > 0:
                self.lags_s.append(overdue)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        return self.lags_s


# -- CPU accounting -------------------------------------------------------------------------------
def cpu_seconds(pid: int, tid: int | None = None) -> float:
    """User + system CPU seconds of a process (all threads) or of one of its threads; NaN without /proc."""
    path = Path(f"/proc/{pid}/stat") if tid is None else Path(f"/proc/{pid}/task/{tid}/stat")
    try:
        fields = path.read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return float("nan")
    # After the ")" that ends the command name, utime and stime are the 12th and 13th fields.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def thread_cpu_seconds() -> dict[str, float]:
    """CPU seconds so far of each named Python thread of this process (e.g. the event loop, SQLite)."""
    return {
        t.name: cpu_seconds(os.getpid(), t.native_id)
        for t in threading.enumerate()
        if t.native_id is not None and not t.name.startswith(("asyncio_", "ThreadPoolExecutor"))
    }


# -- child processes ------------------------------------------------------------------------------
class Child:
    """A spawned process running `target(conn, *args)`; messages both ways over one pipe."""

    def __init__(self, target: Callable[..., None], *args: Any, name: str):
        ctx = multiprocessing.get_context("spawn")
        self.conn, child_end = ctx.Pipe()
        self.process = ctx.Process(target=target, args=(child_end, *args), name=name, daemon=True)
        self.process.start()
        child_end.close()

    async def recv(self, timeout_s: float) -> Any:
        try:
            return await asyncio.to_thread(recv_blocking, self.conn, timeout_s)
        except EOFError:
            self.process.join(1.0)
            raise RuntimeError(
                f"the {self.process.name} process ended early (exit code {self.process.exitcode}); "
                "see its traceback above"
            ) from None

    def send(self, message: Any) -> None:
        self.conn.send(message)

    def reap(self, timeout_s: float = 5.0) -> None:
        self.process.join(timeout_s)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(2.0)
        self.conn.close()


def recv_blocking(conn: Connection, timeout_s: float) -> Any:
    if not conn.poll(timeout_s):
        raise TimeoutError(f"no message from the other process within {timeout_s:.0f} s")
    return conn.recv()


async def recv_async(conn: Connection, timeout_s: float) -> Any:
    return await asyncio.to_thread(recv_blocking, conn, timeout_s)


@contextlib.contextmanager
def reaped(children: list[Child]) -> Iterator[list[Child]]:
    """Whatever happens, every child started in the block ends with it."""
    try:
        yield children
    finally:
        for child in children:
            child.reap()
