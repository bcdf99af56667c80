"""The outbox's rules, driven by a controllable clock (no sleeps): limits, order, splitting, no-repeat."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.events import Outgoing, Priority, Reply, SwitchProduct
from bot.outbox import Outbox, OutboxLimits, split_message
from bot.ratelimit import SlidingWindow


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@given(
    limit=st.integers(1, 30),
    window=st.floats(0.5, 60),
    gaps=st.lists(st.floats(0, 5), min_size=1, max_size=200),
)
def test_sliding_window_never_exceeds_the_limit_in_any_window(
    limit: int, window: float, gaps: list[float]
) -> None:
    limiter = SlidingWindow(limit, window)
    now, taken = 0.0, []
    for gap in gaps:
        now += gap
        if limiter.take(now):
            taken.append(now)
    for i, start in enumerate(taken):
        # 1e-9: the times are sums of floats, so "exactly one window apart" can round either way.
        in_window = [t for t in taken[i:] if t - start < window - 1e-9]
        assert len(in_window) <= limit


def test_sliding_window_says_how_long_to_wait() -> None:
    limiter = SlidingWindow(2, 10)
    assert limiter.take(0) and limiter.take(1)
    assert not limiter.take(5)
    assert limiter.wait_s(5) == pytest.approx(5)
    assert limiter.take(10)


@given(st.text(min_size=0, max_size=3000), st.integers(20, 600))
def test_split_message_keeps_every_character_in_parts_within_the_limit(text: str, limit: int) -> None:
    parts = split_message(text, limit)
    assert all(0 < len(p) <= limit for p in parts)
    assert "".join("".join(parts).split()) == "".join(text.split())


def test_split_message_prefers_sentence_ends() -> None:
    text = "第一句话说完了。" * 30 + "Second part is English. " * 10
    parts = split_message(text, 100)
    assert all(p.endswith(("。", ".")) for p in parts[:-1])


class Sink:
    """Where the outbox's sends land in these tests (the transport's place)."""

    def __init__(self) -> None:
        self.sent: list[Outgoing] = []
        self.changed = asyncio.Event()

    async def __call__(self, item: Outgoing) -> None:
        self.sent.append(item)
        self.changed.set()

    def texts(self) -> list[str]:
        return [s.text for s in self.sent if isinstance(s, Reply)]


async def run_outbox(outbox: Outbox, sink: Sink, count: int) -> None:
    task = asyncio.create_task(outbox.run())
    try:
        async with asyncio.timeout(5):
            while len(sink.sent) < count:
                sink.changed.clear()
                await sink.changed.wait()
    finally:
        task.cancel()


async def test_priorities_commands_first_then_answers_then_promotions() -> None:
    sink = Sink()
    outbox = Outbox("r", sink, OutboxLimits())
    outbox.put(Reply("r", "promo", priority=Priority.PROMO))
    outbox.put(Reply("r", "answer", priority=Priority.ANSWER))
    outbox.put(SwitchProduct("r", "SKU1"))
    outbox.put(Reply("r", "mod", priority=Priority.COMMAND))
    await run_outbox(outbox, sink, 4)
    assert [getattr(s, "text", "switch") for s in sink.sent] == ["switch", "mod", "answer", "promo"]


async def test_same_text_is_not_sent_twice_within_the_window() -> None:
    sink = Sink()
    clock = Clock()
    outbox = Outbox("r", sink, OutboxLimits(no_repeat_s=30), clock=clock)
    outbox.put(Reply("r", "满99包邮"))
    outbox.put(Reply("r", "满99包邮"))
    outbox.put(Reply("r", "other"))
    await run_outbox(outbox, sink, 2)
    assert sink.texts() == ["满99包邮", "other"]
    assert outbox.stats.dropped_repeat == 1
    clock.now += 31
    outbox.put(Reply("r", "满99包邮"))
    await run_outbox(outbox, sink, 3)
    assert sink.texts()[-1] == "满99包邮"


async def test_mentions_and_long_replies_split_in_order() -> None:
    sink = Sink()
    outbox = Outbox("r", sink, OutboxLimits(max_chars=40))
    outbox.put(Reply("r", "这是一句很长的回答。" * 8, mention=("小美", "Tom")))
    await run_outbox(outbox, sink, 3)
    texts = sink.texts()
    assert texts[0].startswith("@小美 @Tom ")
    assert all(len(t) <= 40 for t in texts)
    assert "".join(texts).count("这是一句很长的回答。") == 8


async def test_stale_replies_are_dropped_not_posted_late() -> None:
    sink = Sink()
    clock = Clock()
    outbox = Outbox("r", sink, OutboxLimits(reply_max_age_s=60), clock=clock)
    outbox.put(Reply("r", "old"))
    clock.now += 61
    outbox.put(Reply("r", "fresh"))
    await run_outbox(outbox, sink, 1)
    assert sink.texts() == ["fresh"]
    assert outbox.stats.dropped_stale == 1
