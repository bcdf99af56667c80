"""Question-to-answer latency under ~1,000 background chat messages/s, next to the room's own round trip.

Four processes, so that the load generators do not share an event loop with what is measured:

- room:     the embedded live room (`bot.liveroom.server`), flood limits raised for the load;
- audience: `bot.audience.Audience` (10 simulated viewers, ~1,000 frames/s, no questions);
- probe:    one viewer that asks a price question every 100 ms for 20 s and timestamps, on its own clock,
            its own echo (baseline: the raw loopback round trip through the room) and the bot's chat
            frame whose `reply_to` is the echo's event id (the answer);
- this one: the real `Bot` (real transport, pipeline, outbox, SQLite store in a temp dir) plus a 10 ms
            sleeper that records how late the bot's event loop wakes it (loop lag).

Two measures of what answering adds. "answer - echo" is end to end: the probe's answer time less its own
echo's, so it also holds the waits for the CPU that four busy processes on a small machine take turns at.
"bot loop time per answer" is what issue 3 budgets (5 ms p99 on the event loop): the time the bot's loop
spends on each question, from its frame to its reply queued, as the bot records it for `!status`.

With `--training`, the whole measurement runs twice in one run: once idle, once while a training worker
(the bot's own pool, as `livebot run` starts it) trains the promo-text model, and prints the ratio of the two
answer-latency p99s (issue 4's bar: within 2x of idle).

Run: `python -m bench.answer_latency [--training]`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import tempfile
import time
from collections import Counter, deque
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from websockets.asyncio.client import connect

from bench.common import (
    BENCH_ROOM,
    BOT_TOKEN,
    Child,
    LoopLag,
    cpu_seconds,
    emit,
    machine,
    machine_line,
    ratio,
    reaped,
    recv_async,
    setup_logging,
    start_bot,
    summary_ms,
    thread_cpu_seconds,
)
from bot.audience import Audience
from bot.catalog import load_catalog
from bot.config import AudienceConfig
from bot.liveroom.server import HUB_KEY, RoomServerSettings, start_room_server

CHILD_TIMEOUT_S = 120.0
PROBE_UID = "bench-probe"
PROBE_NAME = "probe"


# -- room (child process) -------------------------------------------------------------------------
def room_main(conn: Connection, chat_flood_max: int, client_queue_size: int) -> None:
    asyncio.run(_room(conn, chat_flood_max, client_queue_size))


async def _room(conn: Connection, chat_flood_max: int, client_queue_size: int) -> None:
    settings = RoomServerSettings(
        tokens={BOT_TOKEN: "bot"},
        products=load_catalog().records(),
        chat_flood_max=chat_flood_max,
        bot_chat_max=chat_flood_max,
        client_queue_size=client_queue_size,
    )
    runner, port = await start_room_server(settings, "127.0.0.1", 0)
    try:
        conn.send({"port": port})
        await recv_async(conn, CHILD_TIMEOUT_S)  # "stop"
        refusals = dict(runner.app[HUB_KEY].refusals)
    finally:
        await runner.cleanup()
    conn.send({"refusals": refusals})


# -- audience (child process) ---------------------------------------------------------------------
def audience_main(conn: Connection, url: str, config: AudienceConfig, seed: int) -> None:
    asyncio.run(_audience(conn, url, config, seed))


async def _audience(conn: Connection, url: str, config: AudienceConfig, seed: int) -> None:
    audience = Audience(url, load_catalog(), config, seed=seed)
    conn.send("ready")
    await recv_async(conn, CHILD_TIMEOUT_S)  # "start"
    task = asyncio.create_task(audience.run(), name="audience")
    try:
        while True:
            # "mark": how many frames were sent by when; "stop": the same, then leave.
            command = await recv_async(conn, CHILD_TIMEOUT_S)
            conn.send({"sent": audience.sent, "t": time.perf_counter()})
            if command == "stop":
                break
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


# -- probe (child process) ------------------------------------------------------------------------
@dataclass
class Probe:
    text: str
    sent_t: float
    echo_t: float | None = None
    event_id: int | None = None
    answer_t: float | None = None
    answer_text: str = ""
    error: str = ""


def probe_main(conn: Connection, url: str, count: int, interval_s: float, drain_s: float) -> None:
    asyncio.run(_probe(conn, url, count, interval_s, drain_s))


async def _probe(conn: Connection, url: str, count: int, interval_s: float, drain_s: float) -> None:
    links = [p.link for p in load_catalog().products]
    async with connect(
        f"{url}?name={PROBE_NAME}&uid={PROBE_UID}", ping_interval=None, max_size=2**20, open_timeout=10
    ) as ws:
        json.loads(await ws.recv())  # welcome
        conn.send("ready")
        await recv_async(conn, CHILD_TIMEOUT_S)  # "go"
        pending: deque[Probe] = deque()  # sent, not yet echoed (the room answers one connection in order)
        by_id: dict[int, Probe] = {}
        probes: list[Probe] = []
        all_answered = asyncio.Event()

        async def read() -> None:
            async for raw in ws:
                now = time.perf_counter()
                frame = json.loads(raw)
                kind = frame.get("type")
                if kind == "chat":
                    user = frame["user"]
                    if user["uid"] == PROBE_UID and pending:
                        probe = pending.popleft()
                        probe.echo_t, probe.event_id = now, frame["id"]
                        by_id[frame["id"]] = probe
                    elif user["role"] == "bot" and frame.get("reply_to") in by_id:
                        probe = by_id.pop(frame["reply_to"])
                        probe.answer_t, probe.answer_text = now, frame["text"]
                        if len(probes) == count and not pending and not by_id:
                            all_answered.set()
                elif kind == "error" and pending:
                    pending.popleft().error = str(frame.get("code"))

        reader = asyncio.create_task(read(), name="probe-reader")
        start = time.perf_counter()
        for i in range(count):
            # An absolute schedule: a late send does not push every later one back.
            await asyncio.sleep(max(0.0, start + i * interval_s - time.perf_counter()))
            probe = Probe(f"{links[i % len(links)]}号多少钱", time.perf_counter())
            probes.append(probe)
            pending.append(probe)
            await ws.send(json.dumps({"type": "chat", "text": probe.text}, ensure_ascii=False))
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(drain_s):
                await all_answered.wait()
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reader
    conn.send(
        {
            "window_s": time.perf_counter() - start,
            "probes": [
                {
                    "echo_s": None if p.echo_t is None else p.echo_t - p.sent_t,
                    "answer_s": None if p.answer_t is None else p.answer_t - p.sent_t,
                    "priced": "¥" in p.answer_text and p.answer_text.startswith(f"@{PROBE_NAME} "),
                    "error": p.error,
                }
                for p in probes
            ],
        }
    )


# -- the bot and the conductor (this process) -----------------------------------------------------
def training_corpus(folder: Path) -> str:
    """AdvertiseGen from ../shared/data when present, else the demo catalog's descriptions (enough to keep a
    worker busy: the benchmark needs the load, not a good model)."""
    shared = Path(__file__).resolve().parents[2] / "shared" / "data" / "advertisegen"
    if shared.is_dir():
        return str(shared)
    path = folder / "corpus.txt"
    lines = [p.description for p in load_catalog().products if p.description]
    path.write_text("\n".join(lines * 50), encoding="utf-8")
    return str(path)


async def start_training(bot: Any, folder: Path) -> int:
    """Queue a text-model job in the bot's own worker pool and wait until it is past its first steps."""
    hub = bot.bot.hub
    job = await hub.submit("text", {"data": training_corpus(folder), "steps": 100_000}, "bench")
    async with asyncio.timeout(300):
        # Progress lives in the job table, written by another process: there is no event to wait on.
        while (await asyncio.to_thread(hub.jobs.get, job)).step < 3:  # noqa: ASYNC110
            await asyncio.sleep(0.5)
    return job


async def run(args: argparse.Namespace, training: bool = False) -> dict[str, Any]:
    info = machine()  # before the run: the load average then is the other work on the machine
    count = max(1, round(args.duration_s / args.interval_s))
    audience_config = AudienceConfig(
        viewers=args.viewers,
        messages_per_s=args.rate,
        question_share=0.0,
        english_share=0.25,
        click_share=0.02,
        purchase_share=0.005,
    )
    # The room's per-connection window is 10 s: give each viewer 10x its average share of it.
    flood_max = max(1000, int(args.rate / args.viewers * 10 * 10))
    with reaped([]) as children:
        room = Child(room_main, flood_max, args.client_queue, name="room")
        children.append(room)
        port = (await room.recv(60.0))["port"]
        url = f"ws://127.0.0.1:{port}/ws/{BENCH_ROOM}"
        audience = Child(audience_main, url, audience_config, args.seed, name="audience")
        probe = Child(probe_main, url, count, args.interval_s, args.drain_s, name="probe")
        children += [audience, probe]
        with tempfile.TemporaryDirectory(prefix="livebot-bench-") as tmp:
            bot = await start_bot(
                url,
                Path(tmp),
                f"rooms.{BENCH_ROOM}.rate_messages={args.bot_rate}",
                f"rooms.{BENCH_ROOM}.rate_window_s=1.0",
                # The probe cycles the catalog's links, so answers repeat within the default 30 s.
                "bot.no_repeat_s=0",
                "training.workers=1",
                workers=training,
            )
            try:
                async with asyncio.timeout(15):
                    await bot.transport.connected.wait()
                job = await start_training(bot, Path(tmp)) if training else None
                await audience.recv(60.0)
                await probe.recv(60.0)
                idle = LoopLag()
                idle.start()
                await asyncio.sleep(args.idle_s)
                idle_lags = await idle.stop()

                audience.send("start")
                await asyncio.sleep(args.warmup_s)
                stats = bot.runner.state.stats
                received_before, connections_before = stats.received, bot.transport.connections
                lag = LoopLag()
                audience.send("mark")
                first = await audience.recv(10.0)
                pids = {"bot": os.getpid()} | {c.process.name: c.process.pid or 0 for c in children}
                cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
                threads_before = thread_cpu_seconds()
                lag.start()
                stats.answer_ms.clear()
                bot_t0 = time.perf_counter()
                probe.send("go")
                result = await probe.recv(args.duration_s + args.drain_s + 30.0)
                bot_elapsed = time.perf_counter() - bot_t0
                # The audience asks nothing: every answer in the window is a probe's.
                on_loop_s = [ms / 1000 for ms in stats.answer_ms]
                cpu_share = {
                    name: round((cpu_seconds(pid) - cpu_before[name]) / bot_elapsed * 100, 1)
                    for name, pid in pids.items()
                }
                threads_after = thread_cpu_seconds()
                thread_share = {
                    name: round((threads_after[name] - before) / bot_elapsed * 100, 1)
                    for name, before in threads_before.items()
                    if name in threads_after
                }
                load_lags = await lag.stop()
                received = stats.received - received_before
                audience.send("stop")
                last = await audience.recv(10.0)
            finally:
                await bot.stop()
        room.send("stop")
        refusals = (await room.recv(20.0))["refusals"]

    probes = result["probes"]
    echoed = [p for p in probes if p["echo_s"] is not None]
    answered = [p for p in echoed if p["answer_s"] is not None]
    echo = summary_ms([p["echo_s"] for p in echoed])
    answer = summary_ms([p["answer_s"] for p in answered])
    extra = summary_ms([p["answer_s"] - p["echo_s"] for p in answered])
    sent_rate = (last["sent"] - first["sent"]) / (last["t"] - first["t"])
    return {
        "bench": "answer_latency",
        "training_job": job,
        "machine": info,
        "params": {k: v for k, v in vars(args).items() if k != "json"} | {"questions": count},
        "background": {
            "audience_sent_msgs_s": round(sent_rate, 1),
            "bot_received_msgs_s": round(received / bot_elapsed, 1),
            "room_refusals": refusals,
            "bot_reconnects": bot.transport.connections - connections_before,
            "cpu_percent": cpu_share,
            "bot_thread_cpu_percent": thread_share,
            "bot_cpu_us_per_received": round(
                cpu_share["bot"] / 100 * bot_elapsed / max(received, 1) * 1e6, 1
            ),
            # The probe receives the same broadcast as the bot and only json-decodes it: a bare client.
            "probe_cpu_us_per_received": round(
                cpu_share["probe"] / 100 * bot_elapsed / max(received, 1) * 1e6, 1
            ),
        },
        "probes": {
            "sent": len(probes),
            "echoed": len(echoed),
            "answered": len(answered),
            "answered_with_price": sum(1 for p in answered if p["priced"]),
            "errors": dict(Counter(p["error"] for p in probes if p["error"])),
        },
        "echo": echo,
        "answer": answer,
        "answer_minus_echo": extra,
        "answer_on_loop": summary_ms(on_loop_s),
        "ratio_p50": ratio(answer["p50_ms"], echo["p50_ms"]),
        "ratio_p99": ratio(answer["p99_ms"], echo["p99_ms"]),
        "loop_lag_idle": summary_ms(idle_lags),
        "loop_lag_load": summary_ms(load_lags),
    }


def report(result: dict[str, Any]) -> list[str]:
    p, bg, pr = result["params"], result["background"], result["probes"]

    def ms(s: dict[str, float]) -> str:
        return (
            f"p50 {s['p50_ms']:7.2f} ms  p99 {s['p99_ms']:7.2f} ms  max {s['max_ms']:7.2f} ms  (n={s['n']})"
        )

    return [
        machine_line(result["machine"]),
        f"answer latency: {pr['sent']} price questions, one every {p['interval_s'] * 1000:.0f} ms, under "
        f"{p['viewers']} simulated viewers at {p['rate']:.0f} msg/s",
        f"background: audience sent {bg['audience_sent_msgs_s']:,.0f} msg/s; bot received "
        f"{bg['bot_received_msgs_s']:,.0f} msg/s; room refusals {bg['room_refusals'] or 'none'}; "
        f"bot reconnects {bg['bot_reconnects']}",
        "CPU % of one core while probing: "
        + ", ".join(f"{name} {share:.0f}%" for name, share in bg["cpu_percent"].items())
        + " (bot threads: "
        + ", ".join(f"{name} {share:.0f}%" for name, share in bg["bot_thread_cpu_percent"].items())
        + ")",
        f"CPU per received event: bot {bg['bot_cpu_us_per_received']:.0f} us, probe (a bare websockets "
        f"client, json.loads only) {bg['probe_cpu_us_per_received']:.0f} us, ratio "
        f"{ratio(bg['bot_cpu_us_per_received'], bg['probe_cpu_us_per_received']):.2f}",
        f"probe echo (raw round trip) : {ms(result['echo'])}",
        f"question -> answer          : {ms(result['answer'])}",
        f"answer - echo, per question : {ms(result['answer_minus_echo'])}",
        f"bot loop time per answer    : {ms(result['answer_on_loop'])}  (frame -> reply queued; budget p99 5 ms)",
        f"ratio answer/echo           : p50 {result['ratio_p50']:.2f}  p99 {result['ratio_p99']:.2f}",
        f"bot loop lag, idle          : {ms(result['loop_lag_idle'])}",
        f"bot loop lag, under load    : {ms(result['loop_lag_load'])}",
        f"answered {pr['answered']}/{pr['sent']} ({pr['answered_with_price']} with a price); "
        f"probe errors {pr['errors'] or 'none'}",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration-s", type=float, default=20.0, help="probe duration (default 20)")
    parser.add_argument("--interval-s", type=float, default=0.1, help="probe question interval (default 0.1)")
    parser.add_argument("--drain-s", type=float, default=3.0, help="wait for late answers (default 3)")
    parser.add_argument("--rate", type=float, default=1000.0, help="audience msg/s (default 1000)")
    parser.add_argument("--viewers", type=int, default=10, help="simulated viewers (default 10)")
    parser.add_argument("--warmup-s", type=float, default=3.0, help="load before the probe (default 3)")
    parser.add_argument("--idle-s", type=float, default=2.0, help="idle loop-lag sample (default 2)")
    parser.add_argument("--bot-rate", type=int, default=1000, help="bot outbox messages per s (default 1000)")
    parser.add_argument(
        "--client-queue", type=int, default=256, help="room's per-client queue (default 256, the server's)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--training", action="store_true", help="run twice: idle, then with a training job in a worker"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO")
    args = parser.parse_args(argv)
    if args.duration_s <= 0 or args.interval_s <= 0 or args.rate <= 0 or args.viewers < 1:
        parser.error("durations, interval, rate and viewers must be positive")
    setup_logging(args.verbose)
    result = asyncio.run(run(args))
    if not args.training:
        emit(result, report(result), args.json)
        return
    busy = asyncio.run(run(args, training=True))
    both = {
        "idle": result,
        "training": busy,
        "ratio_answer_p99_training_vs_idle": ratio(busy["answer"]["p99_ms"], result["answer"]["p99_ms"]),
        "ratio_answer_p50_training_vs_idle": ratio(busy["answer"]["p50_ms"], result["answer"]["p50_ms"]),
    }
    lines = [
        "== idle ==",
        *report(result),
        "== while a training worker trains the promo-text model ==",
        *report(busy),
        f"answer latency, training vs idle: p50 x{both['ratio_answer_p50_training_vs_idle']:.2f}  "
        f"p99 x{both['ratio_answer_p99_training_vs_idle']:.2f}",
    ]
    emit(both, lines, args.json)


if __name__ == "__main__":
    main()
