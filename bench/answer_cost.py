"""What one `Answerer.answer` call costs the event loop, on every shop and case set in tests/data.

The bot answers on the loop (the answerer is pure and synchronous), so issue 3's budget is <= 5 ms p99
per message. Each set's case texts are answered once to warm up, then `--repeats` times timed; the
baseline in the same run is `normalize` alone, uncached, on the same texts (what any handling of a message
costs), and the ratio says how many of those one answer is worth. The answerer's caches (normalised catalog
fields, compiled patterns, name matches) are warm, as they are a minute into a live session.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bot.catalog import load_catalog, load_faq
from bot.qa.answerer import Answerer
from bot.qa.evaluate import Case, load_cases, resolve_links
from bot.qa.text import normalize

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
BUDGET_MS = 5.0


def _sets(names: list[str] | None) -> list[tuple[str, Answerer, list[Case]]]:
    catalog = load_catalog()
    found = [
        ("own (demo catalog)", Answerer(catalog, load_faq(), seed=0), load_cases(DATA / "qa_cases.jsonl"))
    ]
    folders = sorted(p for p in DATA.iterdir() if (p / "cases.jsonl").is_file())
    for folder in folders if names is None else [DATA / name for name in names]:
        catalog = load_catalog(folder / "catalog.csv")
        answerer = Answerer(catalog, load_faq(folder / "faq.csv"), seed=0)
        cases = resolve_links(load_cases(folder / "cases.jsonl"), catalog, [])  # "current": a link number
        found.append((folder.name, answerer, cases))
    return found


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--sets", nargs="+", metavar="FOLDER", help="case folders in tests/data (default: all)"
    )
    args = parser.parse_args(argv)
    answers: list[float] = []
    baseline: list[float] = []
    print(f"{'set':22s} {'texts':>5s} {'p50 ms':>7s} {'p99 ms':>7s} {'max ms':>7s}")
    for name, answerer, cases in _sets(args.sets):
        for case in cases:  # warm-up: regex caches, the name index's cache
            answerer.answer(case.text, current_sku=case.current)
        times = []
        for _ in range(args.repeats):
            for case in cases:
                text, current = case.text, case.current
                start = time.perf_counter()
                normalize.__wrapped__(text)  # uncached: what reading a new message costs
                middle = time.perf_counter()
                answerer.answer(text, current_sku=current)
                end = time.perf_counter()
                baseline.append(middle - start)
                times.append(end - middle)
        answers += times
        print(
            f"{name:22s} {len(cases):5d} {_percentile(times, 0.5) * 1e3:7.2f} "
            f"{_percentile(times, 0.99) * 1e3:7.2f} {max(times) * 1e3:7.2f}"
        )
    p99 = _percentile(answers, 0.99) * 1e3
    ratio = _percentile(answers, 0.5) / max(_percentile(baseline, 0.5), 1e-9)
    print(
        f"all: p50 {_percentile(answers, 0.5) * 1e3:.2f} ms, p99 {p99:.2f} ms, max {max(answers) * 1e3:.2f} ms"
    )
    print(
        f"p99 / budget ({BUDGET_MS:g} ms): {p99 / BUDGET_MS:.2f}; median answer = {ratio:.0f}x normalize alone"
    )


if __name__ == "__main__":
    main()
