"""The only way out: per-room priority queue, rate limit, no-repeat rule, message splitting.

Handlers return replies; the outbox decides when (and whether) each one reaches the room.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from bot.events import Outgoing, PostImage, Reply, Stats
from bot.ratelimit import RecentTexts, SlidingWindow
from bot.transports.base import NotConnected

log = logging.getLogger(__name__)

# Sentence ends in Chinese and English; a split lands after one of these when it can.
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;…])|(?<=[.](?=\s))")
_SOFT_BREAK = re.compile(r"(?<=[，,、：:\s])")


@dataclass(frozen=True)
class OutboxLimits:
    rate_messages: int = 20
    rate_window_s: float = 30.0
    # The room counts by when messages arrive, and arrival jitters: the outbox keeps this much slack.
    rate_margin_s: float = 0.25
    no_repeat_s: float = 30.0
    max_chars: int = 500
    reply_max_age_s: float = 120.0
    rate_limited_pause_s: float = 3.0
    retry_s: float = 0.5
    max_mentions: int = 5
    # A queued reply takes in later askers of the same question for this long after it was queued.
    group_window_s: float = 15.0


def split_message(text: str, max_chars: int) -> list[str]:
    """Split at sentence ends (else at commas/spaces, else hard) into parts of at most max_chars."""
    text = text.strip()
    parts: list[str] = []
    while len(text) > max_chars:
        window = text[: max_chars + 1]
        cut = _last_break(_SENTENCE_END, window, max_chars) or _last_break(_SOFT_BREAK, window, max_chars)
        if cut is None or cut < max_chars // 3:
            cut = max_chars
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts


def _last_break(pattern: re.Pattern[str], window: str, max_chars: int) -> int | None:
    cuts = [m.start() for m in pattern.finditer(window) if 0 < m.start() <= max_chars]
    return cuts[-1] if cuts else None


def counts_against_rate(item: Outgoing) -> bool:
    """Chat lines and images are messages viewers see; moderation actions are not rate limited."""
    return isinstance(item, Reply | PostImage)


class Outbox:
    def __init__(
        self,
        room: str,
        send: Callable[[Outgoing], Awaitable[None]],
        limits: OutboxLimits,
        stats: Stats | None = None,
        on_sent: Callable[[Outgoing], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.room = room
        self.limits = limits
        self.stats = stats if stats is not None else Stats()
        self._send = send
        self._on_sent = on_sent
        self._clock = clock
        self._limiter = SlidingWindow(limits.rate_messages, limits.rate_window_s + limits.rate_margin_s)
        self._recent = RecentTexts(limits.no_repeat_s)
        # (priority, rank, seq, part, queued_at, item): a split reply's parts keep their place in line.
        self._heap: list[tuple[int, int, int, int, float, Outgoing]] = []
        self._seq = itertools.count()
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._closed = False

    def __len__(self) -> int:
        return len(self._heap)

    def put(self, item: Outgoing) -> None:
        """Queue an item; never blocks. A reply joins a queued one with the same group key if it can."""
        if self._closed:
            log.warning("[%s] outbox closed, dropping %s", self.room, type(item).__name__)
            return
        if isinstance(item, Reply) and item.group_key is not None and self._merge(item):
            return
        rank = item.rank if isinstance(item, Reply) else 0
        heapq.heappush(self._heap, (int(item.priority), rank, next(self._seq), 0, self._clock(), item))
        self._idle.clear()
        self._wake.set()

    def _merge(self, item: Reply) -> bool:
        now = self._clock()
        for i, (priority, rank, seq, part, queued_at, queued) in enumerate(self._heap):
            if (
                isinstance(queued, Reply)
                and now - queued_at <= self.limits.group_window_s
                and queued.group_key == item.group_key
                and len(queued.mention) < self.limits.max_mentions
            ):
                names = queued.mention + tuple(n for n in item.mention if n not in queued.mention)
                merged = replace(queued, mention=names[: self.limits.max_mentions])
                self._heap[i] = (priority, rank, seq, part, queued_at, merged)
                self.stats.grouped += 1
                return True
        return False

    def _expand(self, item: Reply) -> list[Reply]:
        prefix = "".join(f"@{name} " for name in item.mention)
        parts = split_message(prefix + item.text.strip(), self.limits.max_chars)
        return [replace(item, text=part, mention=(), group_key=None) for part in parts]

    def room_said_rate_limited(self, ref: object) -> None:
        """The room refused a message as too fast: pause, and send the refused text again later."""
        self._limiter.block_until(self._clock() + self.limits.rate_limited_pause_s)
        if isinstance(ref, dict) and ref.get("type") == "chat" and isinstance(ref.get("text"), str):
            self._recent.forget(ref["text"])
            self.put(Reply(self.room, ref["text"]))

    async def run(self) -> None:
        """Send forever, in priority order, within the limits. Cancel to stop (see `drain`)."""
        while True:
            if not self._heap:
                self._idle.set()
                self._wake.clear()
                await self._wake.wait()
                continue
            priority, rank, seq, part, queued_at, item = self._heap[0]
            now = self._clock()
            if counts_against_rate(item):
                wait_s = self._limiter.wait_s(now)
                if wait_s > 0:
                    self._wake.clear()
                    # Wake early if a higher-priority item arrives; it is picked on the next turn.
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(wait_s):
                            await self._wake.wait()
                    continue
            heapq.heappop(self._heap)
            if isinstance(item, Reply | PostImage):
                max_age_s = self.limits.reply_max_age_s
                if isinstance(item, Reply) and item.max_age_s is not None:
                    max_age_s = item.max_age_s
                if part == 0 and now - queued_at > max_age_s:
                    self.stats.dropped_stale += 1
                    log.info("[%s] dropped a message queued for %.0f s", self.room, now - queued_at)
                    continue
            if isinstance(item, Reply) and part == 0:
                first, *rest = self._expand(item)
                for i, more in enumerate(rest, 1):
                    heapq.heappush(self._heap, (priority, rank, seq, i, queued_at, more))
                item = first
            if isinstance(item, Reply) and self._recent.seen_recently(item.text, now):
                self.stats.dropped_repeat += 1
                continue
            try:
                await self._send(item)
            except (NotConnected, ConnectionError, TimeoutError) as exc:
                log.info("[%s] send failed (%s); will retry", self.room, exc.__class__.__name__)
                # Put back in its place; its mentions are already in the text, so nothing is added twice.
                heapq.heappush(self._heap, (priority, rank, seq, part, queued_at, item))
                await asyncio.sleep(self.limits.retry_s)
                continue
            sent_at = self._clock()
            if counts_against_rate(item):
                self._limiter.take(sent_at)
            if isinstance(item, Reply):
                self._recent.add(item.text, sent_at)
            self.stats.sent += 1
            if self._on_sent is not None:
                self._on_sent(item)

    async def drain(self, timeout_s: float) -> bool:
        """Stop accepting, wait until everything queued is sent (True) or the timeout passes (False)."""
        self._closed = True
        try:
            async with asyncio.timeout(timeout_s):
                await self._idle.wait()
            return True
        except TimeoutError:
            log.warning("[%s] outbox drain timed out with %d messages unsent", self.room, len(self._heap))
            return False
