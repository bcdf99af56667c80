"""Homophone typos: viewers type with pinyin keyboards and pick a character of the same sound ("金俊眉" for
金骏眉, "铁关音" for 铁观音, "普尔" for 普洱, "冲峰衣" for 冲锋衣). A word of the message that no product name
holds, but that sounds like a word of a name with exactly one character different, is read as that word.

Kept narrow on purpose, because a wrong correction would answer about the wrong product: the word must be
3-4 characters (two-character ones are too often ordinary words: "腰围" is no typo of a name's "腰微"), only
one of them may differ (the others are the name's own), the differing character must
not be one of chat's function characters ("有几个" is never "有机个"), and the sound must lead to one name word
only. Sounds come from pypinyin's character table: each character's usual reading, without its tone.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from pypinyin.pinyin_dict import pinyin_dict

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
# Characters chat uses for its own grammar and questions: a message's word that differs from a name's by one
# of them is the message's own word ("有几个" is not the "有机" of a name), never a typo.
_FUNCTION_CHARS = frozenset(
    "的了吗呢吧啊嘛呀么是有在不也就都和还没这那个几多少能会要可以一二两三四五六七八九十号件条双套款买拍"
    "穿用么啥什怎哪谁吗你我他她它们人大小长短上下来去到给对把被让很太更最还再又"
)


@functools.lru_cache(maxsize=65536)
def sound(ch: str) -> str:
    """The character's usual reading without its tone ("行" -> xing, "骏" -> jun); itself for a character
    the table lacks. Only the usual one: a rare reading ("袜" is also read mo) would make typos of sound words."""
    readings = pinyin_dict.get(ord(ch))
    if readings is None:
        return ch
    first = readings.split(",")[0]
    return "".join(c for c in unicodedata.normalize("NFKD", first) if not unicodedata.combining(c)).replace(
        "ü", "v"
    )


class Homophones:
    """The words of a catalog's names, to read a message's homophone typos as those words."""

    def __init__(self, names: Iterable[str], other_text: Iterable[str] = ()):
        """`names` are what a typo may be corrected to; `other_text` (descriptions, the FAQ) only adds to
        the shop's own words ("直播", "平时"), which a typed character is left as when it makes one."""
        self._words: set[str] = set()
        self._pairs: set[str] = set()
        for name in names:
            for run in _CJK_RUN.findall(name):
                self._pairs.update(run[i : i + 2] for i in range(len(run) - 1))
                for size in (3, 4):
                    self._words.update(run[i : i + size] for i in range(len(run) - size + 1))
        for text in other_text:
            for run in _CJK_RUN.findall(text):
                self._pairs.update(run[i : i + 2] for i in range(len(run) - 1))
        # (length, position, character) -> the name words with that character there.
        self._by_char: dict[tuple[int, int, str], list[str]] = defaultdict(list)
        for word in self._words:
            for i, ch in enumerate(word):
                self._by_char[(len(word), i, ch)].append(word)

    def _meant(self, said: str) -> str | None:
        """The one name word `said` is a homophone typo of, or None."""
        if said in self._words:
            return None
        found: set[str] = set()
        for i, ch in enumerate(said):
            for word in self._by_char.get((len(said), i, ch), ()):
                differ = [j for j in range(len(said)) if word[j] != said[j]]
                if (
                    len(differ) == 1
                    and said[differ[0]] not in _FUNCTION_CHARS
                    and sound(word[differ[0]]) == sound(said[differ[0]])
                ):
                    found.add(word)
        return found.pop() if len(found) == 1 else None

    def _a_word_of_its_own(self, run: str, start: int, said: str, meant: str) -> bool:
        """Whether the typed character makes a word the shop's text uses with a neighbour ("圣诞毛衣": 毛衣 is
        a word of names, so 毛 is meant, not the 帽 of "圣诞帽"; "手机直播": 直播 is the FAQ's word)."""
        at = start + next(j for j in range(len(said)) if said[j] != meant[j])
        pairs = (run[max(0, at - 1) : at + 1], run[at : at + 2])
        return any(len(pair) == 2 and pair in self._pairs for pair in pairs)

    def correct(self, text: str) -> str:
        """The text with each homophone typo of a name word replaced by that word, longest first; the text
        unchanged when it has none."""
        if not self._words:
            return text
        out = text
        for run in _CJK_RUN.findall(text):
            fixed = run
            i = 0
            while i < len(fixed) - 1:
                for size in (4, 3):
                    said = fixed[i : i + size]
                    if len(said) < size:
                        continue
                    meant = self._meant(said)
                    if meant is not None and not self._a_word_of_its_own(fixed, i, said, meant):
                        fixed = fixed[:i] + meant + fixed[i + size :]
                        i += size - 1
                        break
                i += 1
            if fixed != run:
                out = out.replace(run, fixed, 1)
        return out
