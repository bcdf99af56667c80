"""Intent of a viewer message from rules. (A learned classifier joins these in the Q&A issue.)"""

from __future__ import annotations

import re
from dataclasses import dataclass

PRICE = re.compile(
    r"多少钱|多钱|几块|几元|多少米|价格|价钱|啥价|什么价|怎么卖|咋卖|到手价|多少一件|多少\s*$|"
    r"\bhow much\b|\bprice\b|\bcost\b|\bhow expensive\b|\bpriced\b"
)


@dataclass(frozen=True, slots=True)
class Intent:
    name: str
    confidence: float


def detect_intent(normalized: str) -> Intent:
    if PRICE.search(normalized):
        return Intent("price", 0.95)
    return Intent("other", 0.0)
