"""`re`'s module functions over a larger compile cache.

The answerer's patterns, with those built from a catalog's words, number a few thousand; `re` keeps 512
compiled, so each answer recompiled dozens of them (10-30 ms an answer, over the 5 ms budget). Compiled
patterns pass straight through; strings are compiled once and kept (bounded, so text-built patterns cannot
grow it without end).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

Pattern = str | re.Pattern[str]


@functools.lru_cache(maxsize=8192)
def compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def _of(pattern: Pattern, flags: int = 0) -> re.Pattern[str]:
    return pattern if isinstance(pattern, re.Pattern) else compiled(pattern, flags)


def search(pattern: Pattern, string: str, flags: int = 0) -> re.Match[str] | None:
    return _of(pattern, flags).search(string)


def match(pattern: Pattern, string: str, flags: int = 0) -> re.Match[str] | None:
    return _of(pattern, flags).match(string)


def fullmatch(pattern: Pattern, string: str, flags: int = 0) -> re.Match[str] | None:
    return _of(pattern, flags).fullmatch(string)


def finditer(pattern: Pattern, string: str, flags: int = 0) -> Iterator[re.Match[str]]:
    return _of(pattern, flags).finditer(string)


def findall(pattern: Pattern, string: str, flags: int = 0) -> list:  # type: ignore[type-arg]
    return _of(pattern, flags).findall(string)


def sub(
    pattern: Pattern, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0, flags: int = 0
) -> str:
    return _of(pattern, flags).sub(repl, string, count)
