"""`livebot` command line: demo | room | run | ask | train | worker | jobs | models | evaluate | recommend.

The CLI is a composition root: it is the one place that starts both the embedded room and the bot.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import errno
import json
import logging
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot import __version__, cli_images, cli_training
from bot.app import detector_path, load_detector, load_shop_data, need_reader, open_bot
from bot.audience import Audience, host_show
from bot.catalog import CatalogError, load_catalog, load_faq
from bot.config import ROLES, Config, ConfigError, RoomConfig, load_config
from bot.console import tail_room
from bot.liveroom.server import RoomServerSettings, start_room_server
from bot.qa import evaluate as qa_eval
from bot.qa.answerer import Answerer
from bot.transports.liveroom import room_from_url

log = logging.getLogger("livebot")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="FILE", help="config.toml (default: built-in defaults)")
    common.add_argument(
        "--set",
        metavar="KEY.PATH=VALUE",
        action="append",
        default=[],
        help="override a config value (repeatable)",
    )
    common.add_argument("--log-level", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"))

    parser = argparse.ArgumentParser(
        prog="livebot", description="AI assistant for live-stream shopping rooms"
    )
    parser.add_argument("--version", action="version", version=f"livebot {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", parents=[common], help="embedded room + bot + simulated audience")
    demo.add_argument("--port", type=int, help="room port (default: liveroom.port; 0 = any free port)")
    demo.add_argument("--viewers", type=int, help="simulated viewers (default: audience.viewers)")

    room = sub.add_parser("room", parents=[common], help="run the embedded live room server")
    room.add_argument("--host", help="default: liveroom.host")
    room.add_argument("--port", type=int, help="default: liveroom.port; 0 = any free port")
    room.add_argument(
        "--token", action="append", default=[], metavar="ROLE=TOKEN", help="grant ROLE to TOKEN"
    )
    room.add_argument("--catalog", metavar="FILE", help="products the room can show (default: catalog.path)")

    run = sub.add_parser("run", parents=[common], help="join an existing room")
    run.add_argument("--room", required=True, metavar="WS_URL", help="e.g. ws://127.0.0.1:8080/ws/demo")
    run.add_argument("--token", default="", help="the bot's token for that room")
    run.add_argument("--catalog", metavar="FILE")
    run.add_argument("--faq", metavar="FILE")

    ask = sub.add_parser("ask", parents=[common], help="answer messages offline, as the bot would")
    ask.add_argument("text", nargs="?", help="the viewer's message")
    ask.add_argument("--catalog", metavar="FILE")
    ask.add_argument("--faq", metavar="FILE")
    ask.add_argument("--current", metavar="SKU", help="the product on screen")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("--batch", metavar="FILE.jsonl", help='lines of {"text": ..., "current": SKU|null}')
    cli_training.add_parsers(sub, common)

    recommend = sub.add_parser(
        "recommend", parents=[common], help="recommender tools: `livebot recommend evaluate --help`"
    )
    recommend.add_argument("rest", nargs=argparse.REMAINDER, help="evaluate --interactions FILE [...]")

    evaluate = sub.add_parser("evaluate", help="measure a component on labelled data")
    targets = evaluate.add_subparsers(dest="target", required=True)
    qa_eval.add_arguments(
        targets.add_parser("qa", parents=[common], help="score question answering on cases")
    )
    cli_images.add_evaluate_parser(targets, common)
    cli_images.add_generate_parser(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=getattr(logging, args.log_level), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # One line per HTTP request drowns the chat the demo shows; errors still come through.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    try:
        config = load_config(args.config, args.set)
        handler = {
            "demo": cmd_demo,
            "room": cmd_room,
            "run": cmd_run,
            "ask": cmd_ask,
            "evaluate": cmd_evaluate,
            "train": cmd_train,
            "worker": cli_training.cmd_worker,
            "jobs": cli_training.cmd_jobs,
            "models": cli_training.cmd_models,
            "generate": cli_images.cmd_generate,
            "recommend": cmd_recommend,
        }[args.command]
        return handler(args, config)
    except (ConfigError, CatalogError) as exc:
        print(f"livebot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


# -- room -----------------------------------------------------------------------------------------
def parse_tokens(items: Sequence[str]) -> dict[str, str]:
    tokens: dict[str, str] = {}
    for item in items:
        role, sep, token = item.partition("=")
        if not sep or role not in ROLES or not token:
            raise ConfigError([f"--token {item}: expected ROLE=TOKEN with ROLE one of {', '.join(ROLES)}"])
        tokens[token] = role
    return tokens


def room_settings(
    config: Config, catalog_records: dict[str, dict[str, Any]], tokens: dict[str, str]
) -> RoomServerSettings:
    lr = config.liveroom
    data_dir = config.data_dir
    return RoomServerSettings(
        tokens=tokens,
        products=catalog_records,
        media_dir=data_dir / "media",
        history_size=lr.history_size,
        chat_flood_max=lr.chat_flood_max,
        chat_flood_window_s=lr.chat_flood_window_s,
        bot_chat_max=lr.bot_chat_max,
        max_frame_bytes=lr.max_frame_bytes,
        max_media_bytes=lr.max_media_bytes,
        state_file=Path(lr.state_file) if lr.state_file else data_dir / "liveroom-state.json",
    )


def token_for(tokens: dict[str, str], role: str) -> str:
    """The first configured token granting `role` ("" when none does)."""
    return next((token for token, granted in tokens.items() if granted == role), "")


async def start_room(settings: RoomServerSettings, host: str, port: int) -> tuple[Any, int]:
    """Start on `port`; if it is taken, take any free port rather than refuse to start the demo."""
    try:
        return await start_room_server(settings, host, port)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE or port == 0:
            raise
        log.warning("port %d is in use; using a free port instead", port)
        return await start_room_server(settings, host, 0)


def cmd_room(args: argparse.Namespace, config: Config) -> int:
    tokens = {**config.liveroom.tokens, **parse_tokens(args.token)}
    catalog = load_catalog(args.catalog or config.catalog.path or None)
    host = args.host or config.liveroom.host
    port = config.liveroom.port if args.port is None else args.port

    async def serve() -> None:
        config.data_dir.mkdir(parents=True, exist_ok=True)
        runner, bound = await start_room(room_settings(config, catalog.records(), tokens), host, port)
        print(f"livebot room listening on http://{host}:{bound}", flush=True)
        print(f"viewer page: http://{host}:{bound}/rooms/demo", flush=True)
        try:
            await wait_for_signal()
        finally:
            await runner.cleanup()

    asyncio.run(serve())
    return 0


# -- run ------------------------------------------------------------------------------------------
def cmd_run(args: argparse.Namespace, config: Config) -> int:
    room = RoomConfig(url=args.room, token=args.token)
    catalog_cfg = dataclasses.replace(
        config.catalog, path=args.catalog or config.catalog.path, faq_path=args.faq or config.catalog.faq_path
    )
    config = dataclasses.replace(config, rooms={room_from_url(args.room): room}, catalog=catalog_cfg)
    asyncio.run(run_bot(config))
    return 0


async def run_bot(config: Config, stop: asyncio.Event | None = None) -> None:
    catalog, faq = await load_shop_data(config)
    bot, store = await open_bot(config, catalog, faq)
    try:
        task = asyncio.create_task(bot.run(), name="bot")
        await (wait_for_signal() if stop is None else stop.wait())
        await bot.stop()
        await task
    finally:
        await store.close()


def wait_for_signal_sync(tick: Callable[[], None], every_s: float) -> None:
    """Call `tick` every `every_s` until Ctrl-C or SIGTERM (for the commands without an event loop)."""
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stop.wait(every_s):
            tick()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


async def wait_for_signal() -> None:
    """Until Ctrl-C or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(sig)


# -- demo -----------------------------------------------------------------------------------------
def cmd_demo(args: argparse.Namespace, config: Config) -> int:
    asyncio.run(run_demo(config, port=args.port, viewers=args.viewers))
    return 0


async def run_demo(config: Config, port: int | None = None, viewers: int | None = None) -> None:
    data_dir = config.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    catalog, faq = await load_shop_data(config)
    host = config.liveroom.host
    tokens = dict(config.liveroom.tokens)
    settings = room_settings(config, catalog.records(), tokens)
    runner, bound = await start_room(settings, host, config.liveroom.port if port is None else port)
    room_name = "demo"
    base = f"ws://{host}:{bound}/ws/{room_name}"
    mod_token, host_token = token_for(tokens, "moderator"), token_for(tokens, "broadcaster")
    # The demo shows promotions too: a text about each product the simulated host puts on screen.
    room_cfg = dataclasses.replace(
        config.rooms.get(room_name, RoomConfig()), url=base, token=token_for(tokens, "bot"), promo=True
    )
    config = dataclasses.replace(config, rooms={room_name: room_cfg})
    bot, store = await open_bot(config, catalog, faq)
    audience_cfg = (
        config.audience if viewers is None else dataclasses.replace(config.audience, viewers=viewers)
    )
    audience = Audience(base, catalog, audience_cfg)
    print(f"livebot demo: data in {data_dir}", flush=True)
    print(f"viewer page:    http://{host}:{bound}/rooms/{room_name}", flush=True)
    if mod_token:
        print(f"moderator page: http://{host}:{bound}/rooms/{room_name}?token={mod_token}", flush=True)
    print("Ctrl-C stops the demo.", flush=True)
    try:
        async with asyncio.TaskGroup() as group:
            bot_task = group.create_task(bot.run(), name="bot")
            helpers = [
                group.create_task(audience.run(), name="audience"),
                group.create_task(tail_room(base), name="console"),
            ]
            if host_token:
                show = host_show(base, host_token, catalog, config.audience.product_switch_s)
                helpers.append(group.create_task(show, name="host"))
            await wait_for_signal()
            for task in helpers:
                task.cancel()
            await bot.stop()
            await bot_task
    finally:
        await store.close()
        await runner.cleanup()
        print("livebot demo stopped.", flush=True)


# -- recommend -----------------------------------------------------------------------------------
def cmd_recommend(args: argparse.Namespace, config: Config) -> int:
    from recommender import evaluate as rec_eval

    if not args.rest or args.rest[0] != "evaluate":
        print("livebot recommend: expected `evaluate --interactions FILE [...]`", file=sys.stderr)
        return 2
    return rec_eval.main(args.rest)


# -- train ---------------------------------------------------------------------------------------
def cmd_train(args: argparse.Namespace, config: Config) -> int:
    if args.kind != "question-detector":
        return cli_training.cmd_train(args, config)
    from bot.qa import detector as question_detector

    data = Path(args.data) if args.data else None
    if data is not None and not (data / "livestream_chat").is_dir():
        print(
            f"livebot train: {data} has no livestream_chat/ folder (expected ../shared/data)", file=sys.stderr
        )
        return 2
    model = question_detector.train(data)
    path = detector_path(config)
    model.save(path)
    if args.json:
        print(json.dumps({"path": str(path), "metrics": model.metrics}))
    else:
        print(f"question detector saved to {path}")
        for key, value in model.metrics.items():
            print(f"  {key}: {value:.4f}" if value < 10 else f"  {key}: {value:.0f}")
    return 0


# -- evaluate ------------------------------------------------------------------------------------
def cmd_evaluate(args: argparse.Namespace, config: Config) -> int:
    if args.target == "gan":
        return cli_images.cmd_evaluate_gan(args, config)
    return qa_eval.run(args)


# -- ask ------------------------------------------------------------------------------------------
def cmd_ask(args: argparse.Namespace, config: Config) -> int:
    if bool(args.text) == bool(args.batch):
        print("livebot ask: give either TEXT or --batch FILE", file=sys.stderr)
        return 2
    catalog = load_catalog(args.catalog or config.catalog.path or None)
    faq = load_faq(args.faq or config.catalog.faq_path or None)
    for problem in (*catalog.problems, *faq.problems):
        print(f"livebot: skipped {problem}", file=sys.stderr)
    answerer = Answerer(
        catalog,
        faq,
        min_confidence=config.qa.min_confidence,
        detector=load_detector(config),
        reader=need_reader(config, catalog),
        need_margin=config.qa.need_margin,
    )
    if args.text:
        answer = answerer.answer_now(args.text, args.current)
        if args.json:
            print(json.dumps(answer.as_json(), ensure_ascii=False))
        else:
            print(answer.text if answer.answered else f"(silent: intent {answer.intent})")
        return 0
    return ask_batch(answerer, Path(args.batch))


def ask_batch(answerer: Answerer, path: Path) -> int:
    """One JSON line out per line in; a bad line gets an error line, and the rest still run."""
    status = 0
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                    raise ValueError('expected {"text": str, "current": SKU or null}')
                current = item.get("current")
                if current is not None and not isinstance(current, str):
                    raise ValueError("'current' should be a SKU string or null")
            except ValueError as exc:
                print(f"livebot ask: {path}:{lineno}: {exc}", file=sys.stderr)
                print(
                    json.dumps(
                        {"answered": False, "intent": "error", "sku": None, "text": "", "line": lineno}
                    )
                )
                status = 1
                continue
            print(json.dumps(answerer.answer_now(item["text"], current).as_json(), ensure_ascii=False))
    return status


if __name__ == "__main__":
    raise SystemExit(main())
