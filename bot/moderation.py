"""The moderation hook: decides whether the bot engages with a message at all, and what to do about spam.

Blocked messages are still logged, but never answered or counted as shopping signals.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.events import ChatEvent, DeleteMessage, Outgoing, TimeoutViewer
from bot.qa.text import normalize

log = logging.getLogger(__name__)

# Off-platform contact and links: the classic live-room spam ("加V", "vx", a URL).
SPAM = re.compile(
    r"https?://|www\.|\b[a-z0-9-]+\.(?:com|cn|net|top|xyz)\b|加\s*[vV微]|v\s*x\s*[:：]?\s*\w{5,}|薇\s*信|qq\s*群"
)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str = ""
    actions: tuple[Outgoing, ...] = ()


@dataclass
class Moderator:
    terms: frozenset[str] = frozenset()
    timeout_s: int = 0
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_files(cls, paths: tuple[str, ...], timeout_s: int = 0) -> Moderator:
        """Read word lists (one term per line, '#' comments). A missing file is reported, not fatal."""
        terms: set[str] = set()
        problems: list[str] = []
        for path in paths:
            try:
                lines = Path(path).read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                problems.append(f"{path}: cannot read word list: {exc.strerror or exc}")
                continue
            terms.update(
                normalize(line) for line in lines if line.strip() and not line.lstrip().startswith("#")
            )
        for problem in problems:
            log.warning("moderation: %s", problem)
        return cls(frozenset(t for t in terms if t), timeout_s, problems)

    def check(self, event: ChatEvent) -> Verdict:
        text = normalize(event.text)
        reason = ""
        if SPAM.search(text):
            reason = "spam"
        elif self.terms and any(term in text for term in self.terms):
            reason = "blocklist"
        if not reason:
            return Verdict(True)
        actions: tuple[Outgoing, ...] = ()
        if self.timeout_s > 0:
            actions = (
                DeleteMessage(event.room, event.id),
                TimeoutViewer(event.room, event.user.uid, self.timeout_s),
            )
        return Verdict(False, reason, actions)
