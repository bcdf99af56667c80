"""`livebot evaluate qa`: score the question answerer on a labelled case set (JSON lines).

Each line is one viewer message and what a correct bot does with it:
`{"id", "current", "text", "expect": "answer"|"silent", "sku", "intent", "must": [...], "must_not": [...]}`.
`current` is the product on screen, by sku (a string) or by link number (an integer), or null.
A case passes when silence is expected and the bot stays silent, or an answer is expected and the bot
answers about the right product (`sku`, when the case names one) with every `must` fact in its text and
no `must_not` fact. An item may hold alternatives `a|b` (any one counts as present). Texts are compared
after NFKC normalisation (３ = 3, full-width letters = ASCII) and case folding, so a case checks facts,
never the bot's wording.

The report counts what matters in a live sale separately: wrong-fact answers (the bot spoke but a fact
was missing, forbidden, or about another product: worse than silence) and answers to messages that
should have been left alone.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from bot.catalog import Catalog, CatalogError, load_catalog, load_faq
from bot.qa.answerer import Answerer
from bot.qa.needs import NeedReader, reader_available

__all__ = [
    "EXPECTS",
    "INTENTS",
    "Case",
    "CaseResult",
    "Report",
    "add_arguments",
    "fact_found",
    "format_report",
    "load_cases",
    "main",
    "run_cases",
    "score_case",
]

INTENTS: tuple[str, ...] = (
    "price",
    "stock",
    "size",
    "color",
    "material",
    "shipping",
    "discount",
    "faq",
    "recommend",
    "other",
)
EXPECTS: tuple[str, ...] = ("answer", "silent")

# Han ideographs (basic, extension A, compatibility): a case is Chinese when its text has one.
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class _Answer(Protocol):
    answered: bool
    sku: str | None
    text: str


class _Answerer(Protocol):
    def answer_now(self, text: str, current_sku: str | None = None) -> _Answer: ...


# -- cases --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    text: str
    expect: str
    intent: str
    current: str | None = None  # the on-screen product's sku
    sku: str | None = None
    must: tuple[str, ...] = ()
    must_not: tuple[str, ...] = ()
    line: int = 0  # where it was read, for messages; 0 for a case built in code
    current_link: int | None = None  # the on-screen product by link number, until resolve_links() runs

    @property
    def language(self) -> str:
        return "zh" if _CJK.search(_fold(self.text)) else "en"


class _BadLine(ValueError):
    pass


def load_cases(path: str | Path, problems: list[str] | None = None) -> list[Case]:
    """Read and validate a JSON-lines case file; blank lines are skipped.

    A bad line (not JSON, a missing or mistyped field, an unknown expect or intent, a repeated id) is
    reported as "FILE:LINE: what is wrong" in `problems` (or on stderr when no list is given) and
    skipped; the other lines still load. An unreadable file raises OSError / UnicodeDecodeError.
    """
    file = Path(path)
    text = file.read_text(encoding="utf-8-sig")
    cases: list[Case] = []
    seen: dict[str, int] = {}
    found: list[str] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            case = _parse_case(raw, lineno)
            if case.id in seen:
                raise _BadLine(f"id {case.id!r} is already used on line {seen[case.id]}")
        except _BadLine as exc:
            found.append(f"{file}:{lineno}: {exc}")
            continue
        seen[case.id] = lineno
        cases.append(case)
    if problems is None:
        for problem in found:
            print(f"livebot evaluate qa: {problem}", file=sys.stderr)
    else:
        problems.extend(found)
    return cases


def _parse_case(raw: str, lineno: int) -> Case:
    try:
        item = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _BadLine(f"expected one JSON object, found invalid JSON ({exc.msg})") from None
    if not isinstance(item, dict):
        raise _BadLine(f"expected one JSON object, found {type(item).__name__}")
    case_id = _text_field(item, "id")
    text = _text_field(item, "text")
    expect = _text_field(item, "expect")
    if expect not in EXPECTS:
        raise _BadLine(f"expect: expected one of {', '.join(EXPECTS)}, found {expect!r}")
    intent = _text_field(item, "intent")
    if intent not in INTENTS:
        raise _BadLine(f"intent: expected one of {', '.join(INTENTS)}, found {intent!r}")
    current_link = _link_field(item, "current")
    return Case(
        id=case_id,
        text=text,
        expect=expect,
        intent=intent,
        current=None if current_link is not None else _optional_text_field(item, "current"),
        sku=_optional_text_field(item, "sku"),
        must=_facts_field(item, "must"),
        must_not=_facts_field(item, "must_not"),
        line=lineno,
        current_link=current_link,
    )


def _link_field(item: dict[str, Any], key: str) -> int | None:
    value = item.get(key)
    # bool is an int in Python, but `true` is no link number.
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    if value < 1:
        raise _BadLine(f"{key}: expected a link number of 1 or more, found {value}")
    return value


def resolve_links(cases: Iterable[Case], catalog: Catalog, problems: list[str]) -> list[Case]:
    """The cases with each on-screen link number replaced by that product's sku; a link the catalog
    lacks leaves the case without a product on screen and is reported in `problems` as "LINE: ..."."""
    resolved: list[Case] = []
    for case in cases:
        if case.current_link is not None:
            product = catalog.by_link(case.current_link)
            if product is None:
                problems.append(f"{case.line}: current link {case.current_link} is not in the catalog")
            case = replace(case, current=None if product is None else product.sku, current_link=None)
        resolved.append(case)
    return resolved


def _text_field(item: dict[str, Any], key: str) -> str:
    if key not in item:
        raise _BadLine(f"{key}: expected a non-empty string, found no {key!r} key")
    value = item[key]
    if not isinstance(value, str) or not value.strip():
        raise _BadLine(f"{key}: expected a non-empty string, found {json.dumps(value, ensure_ascii=False)}")
    return value


def _optional_text_field(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _BadLine(
            f"{key}: expected a non-empty string or null, found {json.dumps(value, ensure_ascii=False)}"
        )
    return value


def _facts_field(item: dict[str, Any], key: str) -> tuple[str, ...]:
    value = item.get(key, [])
    if not isinstance(value, list):
        raise _BadLine(f"{key}: expected a list of strings, found {json.dumps(value, ensure_ascii=False)}")
    for fact in value:
        # An empty alternative ("59|") would be found in every text and pass anything.
        if not isinstance(fact, str) or not all(alt.strip() for alt in fact.split("|")):
            raise _BadLine(
                f"{key}: expected strings with no empty alternative, found "
                f"{json.dumps(fact, ensure_ascii=False)}"
            )
    return tuple(value)


# -- scoring ------------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def fact_found(item: str, text: str) -> bool:
    """Whether any alternative of `item` ("a|b") occurs in `text`, both NFKC-normalised and case-folded."""
    folded = _fold(text)
    return any(_fold(alt).strip() in folded for alt in item.split("|"))


@dataclass(frozen=True, slots=True)
class CaseResult:
    case: Case
    answered: bool
    sku: str | None
    answer: str
    passed: bool
    sku_ok: bool = True
    missing: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    error: str = ""  # the answerer raised: the case fails, the run goes on

    @property
    def wrong_fact(self) -> bool:
        """Answered an answer case, but with a fact missing or forbidden, or about another product."""
        return self.case.expect == "answer" and self.answered and not self.passed

    @property
    def false_answer(self) -> bool:
        return self.case.expect == "silent" and self.answered

    @property
    def reason(self) -> str:
        if self.passed:
            return ""
        if self.error:
            return f"error: {self.error}"
        if self.case.expect == "silent":
            return "answered a message that needs silence"
        if not self.answered:
            return "silent"
        parts = []
        if not self.sku_ok:
            parts.append(f"sku {self.sku} instead of {self.case.sku}")
        if self.missing:
            parts.append("missing " + ", ".join(self.missing))
        if self.forbidden:
            parts.append("forbidden " + ", ".join(self.forbidden))
        return "; ".join(parts)


def score_case(case: Case, answered: bool, sku: str | None, text: str) -> CaseResult:
    """The issue's rule: silence where silence is expected; else right sku, every must, no must_not."""
    if case.expect == "silent":
        return CaseResult(case, answered, sku, text, passed=not answered)
    if not answered:
        return CaseResult(case, answered, sku, text, passed=False)
    sku_ok = case.sku is None or (sku is not None and sku.casefold() == case.sku.casefold())
    missing = tuple(item for item in case.must if not fact_found(item, text))
    forbidden = tuple(item for item in case.must_not if fact_found(item, text))
    passed = sku_ok and not missing and not forbidden
    return CaseResult(case, answered, sku, text, passed, sku_ok, missing, forbidden)


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


@dataclass(frozen=True)
class Report:
    results: tuple[CaseResult, ...]

    @property
    def cases(self) -> int:
        return len(self.results)

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def pass_rate(self) -> float:
        return _rate(self.passed, self.cases)

    @property
    def wrong_facts(self) -> int:
        return sum(r.wrong_fact for r in self.results)

    @property
    def errors(self) -> int:
        """Cases where the answerer raised instead of answering or staying silent (a bug, always)."""
        return sum(bool(r.error) for r in self.results)

    @property
    def silent_cases(self) -> int:
        return sum(r.case.expect == "silent" for r in self.results)

    @property
    def false_answers(self) -> int:
        return sum(r.false_answer for r in self.results)

    @property
    def false_answer_rate(self) -> float:
        return _rate(self.false_answers, self.silent_cases)

    @property
    def per_intent(self) -> dict[str, dict[str, Any]]:
        return self._groups(lambda r: r.case.intent, INTENTS)

    @property
    def per_language(self) -> dict[str, dict[str, Any]]:
        return self._groups(lambda r: r.case.language, ("zh", "en"))

    @property
    def failures(self) -> list[CaseResult]:
        return [r for r in self.results if not r.passed]

    def _groups(self, key: Callable[[CaseResult], str], order: Sequence[str]) -> dict[str, dict[str, Any]]:
        groups: dict[str, list[CaseResult]] = {}
        for result in self.results:
            groups.setdefault(key(result), []).append(result)
        names = [n for n in order if n in groups] + sorted(n for n in groups if n not in order)
        return {
            name: {
                "cases": len(groups[name]),
                "pass_rate": _rate(sum(r.passed for r in groups[name]), len(groups[name])),
            }
            for name in names
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "pass_rate": self.pass_rate,
            "wrong_facts": self.wrong_facts,
            "silent_cases": self.silent_cases,
            "false_answers": self.false_answers,
            "false_answer_rate": self.false_answer_rate,
            "errors": self.errors,
            "per_intent": self.per_intent,
            "per_language": self.per_language,
            "failures": [
                {
                    "id": r.case.id,
                    "text": r.case.text,
                    "expect": r.case.expect,
                    "answered": r.answered,
                    "sku": r.sku,
                    "answer": r.answer,
                    "reason": r.reason,
                }
                for r in self.failures
            ],
        }


def run_cases(answerer: _Answerer, cases: Iterable[Case]) -> Report:
    """Ask every case's text with its on-screen product, in file order, and score the answers."""
    results = []
    for case in cases:
        try:
            answer = answerer.answer_now(case.text, case.current)
        except Exception as exc:  # one bad case must not lose the whole measurement
            results.append(
                CaseResult(case, False, None, "", passed=False, error=f"{type(exc).__name__}: {exc}")
            )
            continue
        text = answer.text if answer.answered else ""
        results.append(score_case(case, bool(answer.answered), answer.sku, text or ""))
    return Report(tuple(results))


def format_report(report: Report) -> str:
    lines = [
        f"QA evaluation: {report.cases} cases",
        f"  pass rate           {report.pass_rate:.1%} ({report.passed}/{report.cases})",
        f"  wrong-fact answers  {report.wrong_facts}",
        f"  silent cases        {report.silent_cases}, answered {report.false_answers} "
        f"({report.false_answer_rate:.1%})",
    ]
    if report.errors:
        lines.append(f"  errors              {report.errors} (the answerer raised; see the failures)")
    lines += [
        "per intent:",
    ]
    lines += [
        f"  {name:<10} {group['cases']:>4} cases  {group['pass_rate']:6.1%}"
        for name, group in report.per_intent.items()
    ]
    lines.append("per language:")
    lines += [
        f"  {name:<10} {group['cases']:>4} cases  {group['pass_rate']:6.1%}"
        for name, group in report.per_language.items()
    ]
    failures = report.failures
    lines.append(f"failures ({len(failures)}):")
    for r in failures:
        shown = r.answer.replace("\n", " ") if r.answered else "(silent)"
        lines.append(f"  {r.case.id} [{r.case.expect}] {r.case.text!r} -> {shown}  <{r.reason}>")
    return "\n".join(lines)


# -- command line -------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options of `livebot evaluate qa`, for a parser the CLI owns."""
    parser.add_argument("--catalog", metavar="FILE", help="catalog CSV/JSON (default: the demo catalog)")
    parser.add_argument("--faq", metavar="FILE", help="shop FAQ CSV (default: the demo FAQ)")
    parser.add_argument("--cases", required=True, metavar="FILE.jsonl", help="the labelled cases")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    parser.add_argument(
        "--rules-only",
        action="store_true",
        help="without the need reader (the embedding model that reads recommendations by need)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """`livebot evaluate qa` (argv: the arguments after `qa`). 0 after a run, 2 when a file can't be read."""
    parser = add_arguments(
        argparse.ArgumentParser(
            prog="livebot evaluate qa", description="score the question answerer on a labelled case set"
        )
    )
    return run(parser.parse_args(argv))


def run(args: argparse.Namespace) -> int:
    """Run an evaluation from parsed `add_arguments` options."""
    try:
        catalog = load_catalog(args.catalog)
        faq = load_faq(args.faq)
    except CatalogError as exc:
        print(f"livebot evaluate qa: {exc}", file=sys.stderr)
        return 2
    problems: list[str] = []
    try:
        cases = load_cases(args.cases, problems)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        print(f"livebot evaluate qa: {args.cases}: cannot read the cases ({reason})", file=sys.stderr)
        return 2
    for problem in (*catalog.problems, *faq.problems):
        print(f"livebot evaluate qa: skipped {problem}", file=sys.stderr)
    for problem in problems:
        print(f"livebot evaluate qa: skipped {problem}", file=sys.stderr)
    # Not errors (the case may test a product the shop removed), but worth a line: it cannot pass.
    unknown_links: list[str] = []
    cases = resolve_links(cases, catalog, unknown_links)
    for problem in unknown_links:
        print(f"livebot evaluate qa: {args.cases}:{problem}", file=sys.stderr)
    for case in cases:
        for role, sku in (("sku", case.sku), ("current", case.current)):
            if sku is not None and catalog.by_sku(sku) is None:
                print(
                    f"livebot evaluate qa: {args.cases}:{case.line}: {role} {sku!r} is not in the catalog",
                    file=sys.stderr,
                )
    reader = NeedReader(catalog) if not args.rules_only and reader_available() else None
    report = run_cases(Answerer(catalog, faq, reader=reader), cases)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        print(format_report(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
