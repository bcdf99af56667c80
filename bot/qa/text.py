"""Normalising live-chat text: full-width forms, case, repeated characters, Chinese numerals."""

from __future__ import annotations

import re
import unicodedata

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_REPEATS = re.compile(r"(.)\1{2,}")
_ZH_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def normalize(text: str) -> str:
    """NFKC (３号 -> 3号, ＡＢＣ -> ABC), lower case, runs of 3+ equal characters cut to two, no emoji."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("So", "Cs", "Co"))
    text = _REPEATS.sub(r"\1\1", text)
    return " ".join(text.split())


def language(text: str) -> str:
    """'zh' when the message has any Chinese character, else 'en'."""
    return "zh" if _CJK.search(text) else "en"


def zh_number(word: str) -> int | None:
    """十二 -> 12, 二十三 -> 23, 三 -> 3; None for anything else (up to 99 is enough for shopping bags)."""
    if not word:
        return None
    if word.isdigit():
        return int(word)
    if "十" in word:
        tens, _, ones = word.partition("十")
        t = 1 if tens == "" else _ZH_DIGITS.get(tens)
        o = 0 if ones == "" else _ZH_DIGITS.get(ones)
        if t is None or o is None or len(tens) > 1 or len(ones) > 1:
            return None
        return t * 10 + o
    if len(word) == 1:
        return _ZH_DIGITS.get(word)
    return None
