"""How often things may happen. Every method takes `now` so tests drive time instead of sleeping."""

from __future__ import annotations

from collections import deque


class SlidingWindow:
    """At most `limit` events in any `window_s` window.

    A token bucket of the same nominal rate lets nearly twice the limit through a window (a full bucket,
    then the refill), and platforms such as Twitch count a sliding window: this never exceeds it.
    """

    def __init__(self, limit: int, window_s: float):
        if limit < 1 or window_s <= 0:
            raise ValueError("limit must be >= 1 and window_s > 0")
        self.limit = limit
        self.window_s = window_s
        self._times: deque[float] = deque()

    def _expire(self, now: float) -> None:
        while self._times and now - self._times[0] >= self.window_s:
            self._times.popleft()

    def wait_s(self, now: float) -> float:
        """Seconds until one more event fits (0 when it fits now)."""
        self._expire(now)
        if len(self._times) < self.limit:
            return 0.0
        return self._times[0] + self.window_s - now

    def take(self, now: float) -> bool:
        if self.wait_s(now) > 0:
            return False
        self._times.append(now)
        return True

    def block_until(self, until: float) -> None:
        """Treat the window as full until `until` (the platform said we were too fast)."""
        start = until - self.window_s
        self._times = deque([start] * self.limit)


class Cooldowns:
    """Per-key cooldown: a key may fire once every `period_s`."""

    def __init__(self, period_s: float, max_keys: int = 10_000):
        self.period_s = period_s
        self._last: dict[str, float] = {}
        self._max_keys = max_keys

    def remaining_s(self, key: str, now: float) -> float:
        last = self._last.get(key)
        if last is None:
            return 0.0
        return max(0.0, last + self.period_s - now)

    def hit(self, key: str, now: float) -> None:
        if len(self._last) >= self._max_keys:
            # Forget keys whose cooldown is over so a busy room cannot grow this without bound.
            self._last = {k: t for k, t in self._last.items() if t + self.period_s > now}
        self._last[key] = now


class RecentTexts:
    """Remembers what was said so the same text is not posted twice within `window_s`."""

    def __init__(self, window_s: float):
        self.window_s = window_s
        self._seen: dict[str, float] = {}

    def seen_recently(self, text: str, now: float) -> bool:
        last = self._seen.get(text)
        return last is not None and now - last < self.window_s

    def add(self, text: str, now: float) -> None:
        if len(self._seen) > 1000:
            self._seen = {t: at for t, at in self._seen.items() if now - at < self.window_s}
        self._seen[text] = now

    def forget(self, text: str) -> None:
        self._seen.pop(text, None)
