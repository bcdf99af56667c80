"""Chat messages per second through the bot's ingest path, next to a raw websockets receive loop.

A "blaster" (a tiny aiohttp websocket endpoint in a child process) answers every connection with a welcome
frame and, as soon as the client sends its first frame ("go", sent when the client starts its clock), N
chat events with strictly increasing ids, as fast as the socket takes them. The frames, websocket framing
and (by default) permessage-deflate compression are all prepared before anyone connects, so the blaster
costs next to nothing and what is measured is the client side:

- raw: a `websockets` client that receives and `json.loads` every frame;
- livebot: a real `Bot` (real `LiveroomTransport`, `Pipeline`, SQLite `Store` in a temp dir, so chat
  logging is included) with room feature `answers` off, timed until `RoomState.stats.handled` reaches N.

The "go" gate matters: the bot's runner handles every event already buffered without yielding to the
event loop, so a clock started on an event (say, `connected`) could start after thousands were handled.

Rounds alternate raw / livebot, so both see the same machine weather. Run: `python -m bench.ingest`.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import pstats
import random
import struct
import sys
import tempfile
import time
import zlib
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from aiohttp import web
from websockets.asyncio.client import connect

from bench.common import (
    BENCH_ROOM,
    Child,
    LoopLag,
    emit,
    machine,
    machine_line,
    ratio,
    reaped,
    recv_async,
    setup_logging,
    spread,
    start_bot,
    wait_until,
)
from bot.audience import NAMES, ViewerScript
from bot.catalog import load_catalog
from bot.config import AudienceConfig
from bot.events import Reply

ROUND_TIMEOUT_S = 60.0
GO = json.dumps({"type": "chat", "text": "go"})


# -- the blaster (child process) ------------------------------------------------------------------
def chat_frames(n: int, seed: int) -> list[str]:
    """A welcome, then `n` chat events (ids 1..n) with the simulated audience's chatter and questions."""
    rng = random.Random(seed)
    script = ViewerScript(
        load_catalog(),
        AudienceConfig(question_share=0.4, english_share=0.25, click_share=0.0, purchase_share=0.0),
        rng,
    )
    bot = {"uid": "bench-bot", "name": "livebot", "role": "bot"}
    frames = [{"type": "welcome", "room": BENCH_ROOM, "you": bot, "product": None, "history": []}]
    ts_ms = int(time.time() * 1000)
    for event_id in range(1, n + 1):
        viewer = rng.randrange(len(NAMES))
        user = {"uid": f"sim-{viewer}", "name": NAMES[viewer], "role": "viewer"}
        frames.append(
            {
                "type": "chat",
                "id": event_id,
                "ts": ts_ms + event_id // 10,
                "room": BENCH_ROOM,
                "user": user,
                "text": script.next_frame()["text"],
                "reply_to": None,
            }
        )
    # The room's own wire form (bot/liveroom/state.py `encode`): compact, Chinese unescaped.
    return [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in frames]


def ws_frame(payload: bytes, compressed: bool) -> bytes:
    """One unmasked (server-to-client) final text frame; RSV1 marks a permessage-deflate message."""
    first = 0x80 | (0x40 if compressed else 0) | 0x1
    size = len(payload)
    if size < 126:
        header = struct.pack("!BB", first, size)
    elif size < 2**16:
        header = struct.pack("!BBH", first, 126, size)
    else:
        header = struct.pack("!BBQ", first, 127, size)
    return header + payload


def wire_stream(frames: list[str], deflate: bool) -> list[bytes]:
    """Each frame as the room would write it (deflate with context takeover, window 15), in order."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15) if deflate else None
    out = []
    for text in frames:
        data = text.encode()
        if compressor is not None:
            data = compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
            data = data[:-4]  # RFC 7692 7.2.1: drop the 00 00 ff ff tail of the sync flush
        out.append(ws_frame(data, compressor is not None))
    return out


def blaster_main(conn: Connection, n: int, deflate: bool, seed: int) -> None:
    asyncio.run(_blaster(conn, n, deflate, seed))


async def _blaster(conn: Connection, n: int, deflate: bool, seed: int) -> None:
    frames = chat_frames(n, seed)
    # (welcome, events) per compression mode; one compressor runs through both, as on a real connection.
    streams = {}
    for compressed in {False, deflate}:
        wire = wire_stream(frames, compressed)
        streams[compressed] = (wire[0], b"".join(wire[1:]))

    async def handler(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(compress=deflate)
        await ws.prepare(request)
        transport = request.transport
        if transport is None:
            return ws
        welcome, events = streams[bool(ws.compress)]
        # Straight onto the socket: aiohttp's writer would frame and compress each message per connection.
        transport.write(welcome)
        sent = False
        async for _ in ws:  # until the client closes (aiohttp answers the close handshake)
            if not sent:
                # The client's first frame says its clock is running: only now do the events go out, so
                # nothing is received (and nothing processed) before the client starts timing.
                transport.write(events)
                sent = True
        return ws

    app = web.Application()
    app.router.add_get("/ws/{room}", handler)
    runner = web.AppRunner(app, shutdown_timeout=2.0)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        wire_bytes = sum(len(part) for part in streams[deflate])
        conn.send({"port": runner.addresses[0][1], "wire_bytes": wire_bytes})
        await recv_async(conn, 600.0)  # "stop"
    finally:
        await runner.cleanup()
    conn.send("stopped")


# -- the two clients (this process) ---------------------------------------------------------------
async def raw_round(url: str, n: int) -> dict[str, Any]:
    """websockets with the transport's own settings: receive and json-decode the welcome and N events."""
    async with asyncio.timeout(ROUND_TIMEOUT_S):
        async with connect(f"{url}?name=raw", ping_interval=None, max_size=2**20, open_timeout=10) as ws:
            json.loads(await ws.recv())  # welcome
            started, cpu_started = time.perf_counter(), time.process_time()
            await ws.send(GO)
            last: dict[str, Any] = {}
            for _ in range(n):
                last = json.loads(await ws.recv())
            elapsed, cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
    if last.get("id") != n:
        raise RuntimeError(f"raw client: last event id {last.get('id')}, expected {n}")
    return {"msgs_s": n / elapsed, "elapsed_s": elapsed, "cpu_us_per_msg": cpu_s / n * 1e6}


async def bot_round(url: str, n: int, profile: cProfile.Profile | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="livebot-bench-") as tmp:
        bot = await start_bot(url, Path(tmp), f"rooms.{BENCH_ROOM}.answers=false")
        try:
            stats = bot.runner.state.stats
            async with asyncio.timeout(10):
                await bot.transport.connected.wait()
            if profile is not None:
                profile.enable()
            lag = LoopLag()
            lag.start()
            started, cpu_started = time.perf_counter(), time.process_time()
            await bot.transport.send(Reply(BENCH_ROOM, "go"))
            await wait_until(lambda: stats.handled >= n, ROUND_TIMEOUT_S)
            handled_s, cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
            lags = await lag.stop()
            # A query is answered after every earlier write is committed: this is when the log is complete.
            logged = await bot.store.count("chat_log")
            logged_s = time.perf_counter() - started
            if profile is not None:
                profile.disable()
        finally:
            await bot.stop()
    if logged != n or stats.errors or stats.bad_frames:
        raise RuntimeError(f"livebot: logged {logged} of {n}; errors {stats.errors}, bad {stats.bad_frames}")
    return {
        "msgs_s": n / handled_s,
        "elapsed_s": handled_s,
        # CPU of the whole process (the SQLite thread included) per event: steadier than wall time when
        # other work shares the machine.
        "cpu_us_per_msg": cpu_s / n * 1e6,
        "logged_msgs_s": n / logged_s,
        # How long the bot's event loop went without running anything else (a 10 ms sleeper's overshoot).
        "loop_lag_max_ms": round(max(lags, default=0.0) * 1000, 1),
        "received": stats.received,
        "handled": stats.handled,
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    info = machine()  # before the run: the load average then is the other work on the machine
    profile = cProfile.Profile() if args.profile else None
    rounds: list[dict[str, Any]] = []
    with reaped([Child(blaster_main, args.n, args.deflate, args.seed, name="blaster")]) as (blaster,):
        ready = await blaster.recv(60.0)
        url = f"ws://127.0.0.1:{ready['port']}/ws/{BENCH_ROOM}"
        await raw_round(url, min(args.n, 2000))  # warm-up: imports, first connections, CPU caches
        for i in range(args.rounds):
            raw = await raw_round(url, args.n)
            live = await bot_round(url, args.n, profile)
            rounds.append(
                {
                    "round": i + 1,
                    "raw": raw,
                    "livebot": live,
                    "ratio": ratio(live["msgs_s"], raw["msgs_s"]),
                    "cpu_ratio": ratio(raw["cpu_us_per_msg"], live["cpu_us_per_msg"]),
                }
            )
        blaster.send("stop")
        await blaster.recv(10.0)
    if profile is not None:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.profile).print_stats(30)
        print(out.getvalue(), file=sys.stderr)
    return {
        "bench": "ingest",
        "machine": info,
        "params": {"n": args.n, "rounds": args.rounds, "deflate": args.deflate, "seed": args.seed},
        "wire_bytes": ready["wire_bytes"],
        "rounds": rounds,
        "raw_msgs_s": spread([r["raw"]["msgs_s"] for r in rounds]),
        "livebot_msgs_s": spread([r["livebot"]["msgs_s"] for r in rounds]),
        "livebot_logged_msgs_s": spread([r["livebot"]["logged_msgs_s"] for r in rounds]),
        "ratio_livebot_over_raw": spread([r["ratio"] for r in rounds]),
        "raw_cpu_us_per_msg": spread([r["raw"]["cpu_us_per_msg"] for r in rounds]),
        "livebot_cpu_us_per_msg": spread([r["livebot"]["cpu_us_per_msg"] for r in rounds]),
        "cpu_ratio_raw_over_livebot": spread([r["cpu_ratio"] for r in rounds]),
        "livebot_loop_lag_max_ms": spread([r["livebot"]["loop_lag_max_ms"] for r in rounds]),
    }


def report(result: dict[str, Any]) -> list[str]:
    p = result["params"]
    per_event = result["wire_bytes"] / p["n"]
    lines = [
        machine_line(result["machine"]),
        f"ingest: {p['n']} chat events per round, {p['rounds']} rounds, "
        f"permessage-deflate {'on' if p['deflate'] else 'off'}, {per_event:.0f} wire bytes/event",
    ]
    for r in result["rounds"]:
        raw, live = r["raw"], r["livebot"]
        lines.append(
            f"  round {r['round']}: raw {raw['msgs_s']:9,.0f} msg/s | livebot {live['msgs_s']:9,.0f} msg/s"
            f" (logged {live['logged_msgs_s']:,.0f} msg/s) | ratio {r['ratio']:.3f}"
            f" | CPU {raw['cpu_us_per_msg']:.1f} vs {live['cpu_us_per_msg']:.1f} us/msg"
            f" | bot loop lag max {live['loop_lag_max_ms']:.0f} ms"
        )
    rows = [
        ("raw websockets recv+json.loads, msg/s", "raw_msgs_s", ",.0f"),
        ("livebot transport+pipeline, msg/s", "livebot_msgs_s", ",.0f"),
        ("livebot incl. SQLite commit, msg/s", "livebot_logged_msgs_s", ",.0f"),
        ("RATIO livebot/raw (wall clock)", "ratio_livebot_over_raw", ".3f"),
        ("CPU us/msg, raw", "raw_cpu_us_per_msg", ".1f"),
        ("CPU us/msg, livebot (all threads)", "livebot_cpu_us_per_msg", ".1f"),
        ("CPU ratio raw/livebot", "cpu_ratio_raw_over_livebot", ".3f"),
        ("bot loop lag max while ingesting, ms", "livebot_loop_lag_max_ms", ".0f"),
    ]
    for label, key, fmt in rows:
        s = result[key]
        lines.append(f"{label:<40}: median {s['median']:{fmt}} (min {s['min']:{fmt}}, max {s['max']:{fmt}})")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=20000, help="chat events per round (default 20000)")
    parser.add_argument("--rounds", type=int, default=5, help="raw/livebot pairs, interleaved (default 5)")
    parser.add_argument(
        "--deflate",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="permessage-deflate, as the embedded room negotiates with the bot (default on)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument(
        "--profile",
        metavar="SORT",
        choices=("tottime", "cumulative"),
        help="cProfile the livebot rounds (event-loop thread) and print the top 30 to stderr",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO")
    args = parser.parse_args(argv)
    if args.n < 1 or args.rounds < 1:
        parser.error("-n and --rounds must be >= 1")
    setup_logging(args.verbose)
    result = asyncio.run(run(args))
    emit(result, report(result), args.json)


if __name__ == "__main__":
    main()
