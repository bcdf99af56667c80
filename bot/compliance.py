"""The last check before the outbox: what the bot posts must be legal advertising copy.

China's Advertising Law (Art. 9(3)) bans "国家级", "最高级", "最佳" and the like in ads; SAMR's 2023
guidance on absolute terms reads that as absolute or superlative claims about the product (最好, 第一,
顶级, 唯一, 全网最低 ...), while the same characters in ordinary words (最近, 第一次, 第一件半价) are fine.
Fake urgency ("马上涨价", "only 2 left" when 30 are) is a false statement under the same law (Art. 4, 28).

Rules here are patterns with their exceptions, not a bare word list, because substring matching of 最 or
第一 would block half of all chat. A shop adds its own terms (one per line, `compliance.terms_files`) and
allows exceptions (`compliance.allow`). Generated copy loses the sentences that break a rule; what is left
is posted only if something is. Answers quote the shop's own catalog, so they are posted and the finding
is counted and logged for the streamer, and the catalog's own offending names are reported at start-up.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.catalog import Catalog
from bot.events import Outgoing, Priority, Reply, Stats
from bot.qa.text import zh_number

log = logging.getLogger(__name__)

__all__ = ["AI_LABEL", "Compliance", "ComplianceGate", "Violation", "catalog_findings"]

# The visible label China's 2025 measures for AI-generated content ask for on generated text.
AI_LABEL = {"zh": "（AI生成）", "en": " (AI-generated)"}

_CJK = r"\u4e00-\u9fff"
# (rule, pattern). The exceptions are inside the patterns, as look-aheads, next to what they excuse.
_RULES: tuple[tuple[str, str], ...] = (
    # 最 + anything but the ordinary words: 最近 (recently), 最后/最终 (last, finally), 最初, 最少/最多
    # (at least / at most, quantities). "最后一件" is an urgency claim: the urgency rule checks it.
    ("absolute", rf"最(?!近|后|终|初|少|多|低消费)[{_CJK}a-z]"),
    # 第一 as a rank (销量第一, 第一品牌), not as an ordinal of a thing (第一次, 第一件半价, 第一批).
    ("absolute", r"第一(?![次件个款天批步眼单双套号位期季集波轮])"),
    ("absolute", r"\bno\.\s?1(?!\d)"),  # "No.1"; never "#1", which is how viewers write link 1
    (
        "absolute",
        r"国家级|世界级|全球级|宇宙级|国际级|顶级|顶尖|极致|极品|唯一|首选|首个|首家|首款|独一无二|史上|前无古人|"
        r"全网(?:最|第一|首|独家|最低|底价)|独家|王牌|冠军|领袖|领导品牌|绝对|万能|永久|永不|无敌|至尊|巅峰|完美|"
        r"零风险|无副作用|100%(?:有效|安全|纯天然|正品)|百分百|根治|特效|祖传|秘制|驰名|金牌|销冠|遥遥领先|秒杀全网",
    ),
    (
        "absolute",
        r"\b(?:best|finest|greatest|cheapest|number one|world[- ]class|unbeatable|perfect|guaranteed|"
        r"the only|ultimate|lowest price|best[- ]selling|top[- ]rated|#1 rated)\b",
    ),
    # Urgency that no fact backs: price rises, deadlines, "last chance".
    (
        "urgency",
        r"马上涨价|即将涨价|明天涨价|下播(?:就)?涨价|错过(?:再等|就没|今天)|最后一天|仅限今天|今天截止|倒计时|"
        r"手慢无|抢完(?:就)?没|过时不候|"
        r"\b(?:price (?:goes|will go) up|today only|last chance|ends (?:tonight|today|soon)|hurry|act now|"
        r"while (?:stocks|supplies) last|don'?t miss out)\b",
    ),
)
# A claimed count left in stock: checked against the product's real stock.
_STOCK_CLAIM = re.compile(
    r"(?:仅剩|只剩|还剩|最后|剩下?)\s*(\d+|[一二两三四五六七八九十]+)\s*(?:件|个|双|条|套|顶|只|份)|"
    r"\b(?:only|just|last)\s+(\d+)\s+(?:left|remaining|in stock)\b|\b(\d+)\s+left\b"
)
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;\n]*|[。！？!?；;\n]+")


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str  # "absolute" | "urgency" | "stock" | "term"
    term: str
    start: int
    end: int

    def describe(self) -> str:
        why = {
            "absolute": "an absolute term the Advertising Law bans in ads (Art. 9)",
            "urgency": "urgency no fact backs",
            "stock": "a stock count that is not the real one",
            "term": "a term on the shop's own list",
        }[self.rule]
        return f"{self.term!r}: {why}"


@dataclass
class Compliance:
    """Finds violations in a text; `clean` keeps the sentences without any."""

    extra_terms: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    _rules: list[tuple[str, re.Pattern[str]]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._rules = [(rule, re.compile(pattern, re.IGNORECASE)) for rule, pattern in _RULES]
        terms = sorted({t.strip() for t in self.extra_terms if t.strip()}, key=len, reverse=True)
        if terms:
            self._rules.append(("term", re.compile("|".join(map(re.escape, terms)), re.IGNORECASE)))

    @classmethod
    def from_files(
        cls, paths: Iterable[str | Path], allow: Iterable[str] = ()
    ) -> tuple[Compliance, list[str]]:
        """Term files (UTF-8, one term per line, '#' comments); a file that cannot be read is reported."""
        terms: list[str] = []
        problems: list[str] = []
        for path in paths:
            try:
                lines = Path(path).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(f"compliance.terms_files: cannot read {path}: {exc}")
                continue
            terms.extend(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))
        return cls(tuple(terms), tuple(allow)), problems

    def check(self, text: str, stock: int | None = None) -> list[Violation]:
        """Every violation in `text`; a stock claim is checked against `stock` (None: any claim fails)."""
        found: list[Violation] = []
        for rule, pattern in self._rules:
            for match in pattern.finditer(text):
                if not self._allowed(text, match.start(), match.end()):
                    found.append(Violation(rule, match.group(0).strip(), match.start(), match.end()))
        for match in _STOCK_CLAIM.finditer(text):
            claimed = zh_number(next(g for g in match.groups() if g))
            if stock is None or claimed != stock:
                found.append(Violation("stock", match.group(0), match.start(), match.end()))
        # A true "最后3件" is a stock claim, not a superlative: the stock rule has judged it.
        stock_spans = [(m.start(), m.end()) for m in _STOCK_CLAIM.finditer(text)]
        found = [
            v
            for v in found
            if v.rule == "stock" or not any(a <= v.start and v.end <= b for a, b in stock_spans)
        ]
        return sorted(found, key=lambda v: v.start)

    def _allowed(self, text: str, start: int, end: int) -> bool:
        """Inside an allowed word ("最近", a brand's registered name the shop lists)."""
        for word in self.allow:
            at = text.find(word)
            while at >= 0:
                if at <= start and end <= at + len(word):
                    return True
                at = text.find(word, at + 1)
        return False

    def allows(self, text: str, stock: int | None = None) -> bool:
        return not self.check(text, stock)

    def clean(self, text: str, stock: int | None = None) -> tuple[str, list[Violation]]:
        """The text less every sentence with a violation, and what was dropped (for the log)."""
        kept: list[str] = []
        dropped: list[Violation] = []
        for sentence in _SENTENCE.findall(text):
            problems = self.check(sentence, stock)
            if problems:
                dropped.extend(problems)
            else:
                kept.append(sentence)
        return "".join(kept).strip(), dropped


@dataclass
class ComplianceGate:
    """Stands between a room's producers and its outbox: `gate(item)` instead of `outbox.put(item)`.

    Promotions with a finding are not posted. Answers and command replies are posted and counted: their
    words are the shop's own catalog and FAQ (checked at start-up), and a price answer must not vanish
    because a product is called "最美连衣裙". A stock count is its producer's to check, with the real
    stock at hand (answers state it from the row; `PromoTexts` checks its copy), so it is not judged here.
    """

    compliance: Compliance
    room: str
    stats: Stats
    put: Callable[[Outgoing], None]

    def __call__(self, item: Outgoing) -> None:
        if not isinstance(item, Reply):
            self.put(item)
            return
        found = [v for v in self.compliance.check(item.text) if v.rule != "stock"]
        if not found:
            self.put(item)
            return
        why = "; ".join(v.describe() for v in found)
        if item.priority is Priority.PROMO:
            self.stats.compliance_blocked += 1
            log.warning("[%s] promotion not posted: %s: %r", self.room, why, item.text)
            return
        self.stats.compliance_flagged += 1
        log.warning("[%s] posted data that breaks an ad rule (fix it in the catalog/FAQ): %s", self.room, why)
        self.put(item)


def catalog_findings(compliance: Compliance, catalog: Catalog) -> list[str]:
    """Product names and descriptions the bot quotes that break a rule, as lines for the start-up log."""
    lines = []
    for product in catalog.products:
        for field_name in ("name", "description"):
            found = compliance.check(getattr(product, field_name), product.stock)
            found = [v for v in found if v.rule != "stock"]
            if found:
                terms = ", ".join(v.describe() for v in found)
                lines.append(f"link {product.link} ({product.sku}) {field_name}: {terms}")
    return lines
