"""One room's decisions: seen? own echo? -> moderation -> commands -> questions -> viewer signals.

`handle` returns what to send; it never sends. One error boundary per event lives in the caller.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.catalog import Catalog, format_price
from bot.checks import is_staff
from bot.commands import CommandContext, CommandTable
from bot.compliance import Compliance
from bot.events import (
    ChatEvent,
    Event,
    Incoming,
    Outgoing,
    Priority,
    ProductEvent,
    Reply,
    Role,
    ShopEvent,
    Welcome,
)
from bot.models import ModelHub
from bot.moderation import Moderator
from bot.qa.answerer import Answerer
from bot.recommend import ViewerRecommender
from bot.room import RoomState
from bot.store import Store

log = logging.getLogger(__name__)


@dataclass
class Services:
    """What every room's pipeline shares: the data, the database and the decision makers."""

    catalog: Catalog
    store: Store
    answerer: Answerer
    commands: CommandTable
    moderator: Moderator
    replay_max_age_s: float = 120.0
    followup_window_s: float = 180.0
    backlog_max_age_s: float = 60.0
    recommender: ViewerRecommender | None = None
    suggest_every_s: float = 600.0
    hub: ModelHub | None = None  # training jobs and served models; None when the bot runs without them
    # What every post passes before the outbox (the built-in Advertising-Law rules by default).
    compliance: Compliance = field(default_factory=Compliance)


class Pipeline:
    def __init__(self, room: RoomState, services: Services, wall_ms: Callable[[], int] | None = None):
        self.room = room
        self.services = services
        self._wall_ms = wall_ms or (lambda: int(time.time() * 1000))
        # Time the last `handle` spent awaiting a worker (recommender, need reader): off the event loop.
        self.waited_s = 0.0

    async def handle(self, item: Incoming) -> list[Outgoing]:
        self.waited_s = 0.0
        if isinstance(item, Welcome):
            return await self._welcome(item)
        if isinstance(item, Event):
            return await self._event(item, replayed=False)
        return []

    async def _welcome(self, welcome: Welcome) -> list[Outgoing]:
        room = self.room
        room.bot_uid = welcome.you.uid
        if welcome.product is not None and isinstance(welcome.product.get("sku"), str):
            room.current_sku = welcome.product["sku"]
        out: list[Outgoing] = []
        if not room.welcomed:
            # First join: what happened before the bot arrived is history, not questions for it.
            room.welcomed = True
            if welcome.history:
                room.last_event_id = max(room.last_event_id, max(e.id for e in welcome.history))
            return out
        # A reconnect: the history repeats what we saw, and may hold what we missed while away.
        now = self._wall_ms()
        for event in welcome.history:
            if event.id <= room.last_event_id:
                room.stats.duplicates += 1
                continue
            if now - event.ts_ms > self.services.replay_max_age_s * 1000:
                room.last_event_id = event.id
                room.stats.dropped_stale += 1
                continue
            out.extend(await self._event(event, replayed=True))
        return out

    async def _event(self, event: Event, replayed: bool) -> list[Outgoing]:
        room = self.room
        room.stats.received += 1
        if event.id <= room.last_event_id:
            room.stats.duplicates += 1
            return []
        room.last_event_id = event.id
        if event.user.uid == room.bot_uid:
            room.stats.own_echoes += 1
            if isinstance(event, ProductEvent):
                room.show(event.sku)
            return []
        room.stats.handled += 1
        if isinstance(event, ChatEvent):
            return await self._chat(event)
        if isinstance(event, ProductEvent):
            room.show(event.sku)
        elif isinstance(event, ShopEvent):
            self.services.store.record_signal(room.name, event.user.uid, event.kind, event.sku, event.ts_ms)
            if self.services.recommender is not None:
                self.services.recommender.record(event.user.uid, event.kind, event.sku)
                return await self._suggest(event.user.uid, event.user.name, event.ts_ms, exclude=event.sku)
        return []

    async def _suggest(self, uid: str, name: str, now_ms: int, exclude: str | None) -> list[Outgoing]:
        """A proactive pick for a viewer who just engaged: only with the room's `recommend` feature on, at most
        one per viewer per `suggest_every_s`, as a promotion (it waits behind every answer, within the rate)."""
        room, recommender = self.room, self.services.recommender
        if recommender is None or not room.feature("recommend"):
            return []
        last = room.suggested_at.get(uid)
        if last is not None and now_ms - last < self.services.suggest_every_s * 1000:
            return []
        picks = [sku for sku in await recommender.pick_async(uid, room.current_sku, n=3) if sku != exclude]
        product = self.services.catalog.by_sku(picks[0]) if picks else None
        if product is None:
            return []
        if len(room.suggested_at) > 10_000:
            horizon = now_ms - self.services.suggest_every_s * 1000
            room.suggested_at = {k: t for k, t in room.suggested_at.items() if t > horizon}
        room.suggested_at[uid] = now_ms
        price = format_price(product.price)
        text = (
            f"你可能还喜欢 {product.link}号 {product.name} ¥{price}"
            if room.config.language == "zh"
            else f"You might also like link {product.link} {product.name} ¥{price}"
        )
        return [Reply(room.name, text, priority=Priority.PROMO, mention=(name,), max_age_s=60.0)]

    async def _chat(self, event: ChatEvent) -> list[Outgoing]:
        services, room = self.services, self.room
        services.store.log_chat(room.name, event.id, event.ts_ms, event.user.uid, event.user.role, event.text)
        if event.user.role is Role.BOT:
            return []  # another bot; two bots answering each other is a loop nobody wants
        if not is_staff(event.user):
            verdict = services.moderator.check(event)
            if not verdict.allowed:
                log.info("[%s] not engaging with message %d (%s)", room.name, event.id, verdict.reason)
                return list(verdict.actions)
        if services.commands.parse(event.text.strip()) is not None:
            ctx = CommandContext(
                room,
                event,
                services.store,
                services.catalog,
                room.config.language,
                services.recommender,
                services.hub,
            )
            return await services.commands.dispatch(ctx)
        if not room.feature("answers") or is_staff(event.user):
            # The streamer and moderators are the ones who answer; the bot does not answer them.
            return []
        previous = room.viewer_product(event.user.uid, event.ts_ms, services.followup_window_s)
        recommender, answerer = services.recommender, services.answerer
        picks: list[str] = []
        answer = answerer.answer(event.text, room.current_sku, previous, picks)
        if answer.intent == "recommend" and recommender is not None:
            # Picks cost a trip to the model's executor: only the messages that ask for them pay it.
            started = time.perf_counter()
            picks = await recommender.pick_async(event.user.uid, room.current_sku)
            self.waited_s += time.perf_counter() - started
            answer = answerer.answer(event.text, room.current_sku, previous, picks)
        if answer.wish and answerer.reader is not None:
            # A need no listing's words say: the embedding model reads it in a worker thread.
            started = time.perf_counter()
            needs = await answerer.reader.scores_async(answer.wish)
            self.waited_s += time.perf_counter() - started
            answer = answerer.answer(event.text, room.current_sku, previous, picks, needs)
        if answer.sku is not None:
            services.store.record_signal(room.name, event.user.uid, "ask", answer.sku, event.ts_ms)
            room.remember_product(event.user.uid, answer.sku, event.ts_ms)
            if recommender is not None:
                recommender.record(event.user.uid, "ask", answer.sku)
        if answer.queue:
            services.store.enqueue_question(
                room.name, event.user.name, event.user.uid, event.text, answer.intent
            )
        if not answer.answered:
            return []
        suggestion = await self._suggest(event.user.uid, event.user.name, event.ts_ms, exclude=answer.sku)
        return [
            *suggestion,
            Reply(
                room.name,
                answer.text,
                priority=Priority.ANSWER,
                mention=(event.user.name,),
                reply_to=event.id,
                created_ms=event.ts_ms,
                rank=(0 if answer.blocking else 1) + (0 if answer.on_screen else 2),
                group_key=(answer.intent, answer.sku or answer.text),
                max_age_s=services.backlog_max_age_s,
            ),
        ]
