"""Our recommenders next to the libraries people use, in one process, under issue 5's protocols.

Anchors (the `bench` extra): `implicit`'s ALS and LightFM's WARP (`rectools-lightfm`, the `lightfm`
module that builds on Python 3.11). Every model, ours and theirs, goes through the same harness
(`recommender.evaluate.run_model`): hyper-parameters chosen by the same coordinate search on the same
validation split, the chosen configuration fitted on the same training part (timed), the same test users
and metrics. implicit's ALS is searched over the same grid as ours (its confidence is alpha * r where
ours is 1 + alpha * r, so its alpha values are ours + 1: identical on binary data).

Printed per dataset: each model's NDCG@10 and train time, both also as ratios to implicit's ALS; then
serving latency (p50 / p99 over sampled viewers): a viewer's top-3 among 500 candidate products, and
fold-in of one new signal (a viewer's history plus one new item -> new top-3 among the 500).

BLAS runs single-threaded (threadpoolctl, set once here at start). implicit trains with its default
thread count (all cores; its own threads, not BLAS); a single-thread implicit fit of the chosen
configuration is timed too.

    .venv/bin/python -m bench.recommender                    # MovieLens random8020 + Taobao leave-last-out
    .venv/bin/python -m bench.recommender --interactions FILE --protocol leave-last-out [--json]

Needs `pip install implicit rectools-lightfm threadpoolctl`. Takes ~2 min (MovieLens) + ~3 min (Taobao)
on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Self

import implicit.cpu.als
import lightfm
import numpy as np
import scipy.linalg  # noqa: F401 (scipy's own BLAS copy must be loaded before the limit below)
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from recommender.base import Recommender
from recommender.evaluate import (
    HYBRID_MEMBERS,
    Experiment,
    ModelRun,
    default_factory,
    prepare,
    run_hybrid,
    run_model,
)
from recommender.interactions import Interactions
from recommender.readers import format_bad_rows, read_events
from recommender.tuning import SPACES, SearchSpace

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LIVEBOT_SHARED_DATA", REPO.parent / "shared" / "data"))
DEFAULT_RUNS = (
    (SHARED / "movielens_100k" / "u.data", "random8020"),
    (SHARED / "ecommerce_taobao_userbehavior" / "UserBehavior_head.csv", "leave-last-out"),
)
OURS = (*HYBRID_MEMBERS, "hybrid")
CANDIDATES = 500
SERVE_TOP = 3
SERVE_USERS = 1000
TIMING_ROUNDS = 3

# implicit searched over exactly our ALS grid (alpha shifted by one: see the module docstring)
IMPLICIT_SPACE = SearchSpace(
    start={"factors": 64, "regularization": 20.0, "alpha": 2.0},
    values={
        "regularization": SPACES["als"].values["regularization"],
        "alpha": tuple(1.0 + a for a in SPACES["als"].values["alpha"]),
        "factors": SPACES["als"].values["factors"],
    },
)
LIGHTFM_SPACE = SearchSpace(
    start={"no_components": 64, "epochs": 20, "learning_rate": 0.05},
    values={"epochs": (10, 20, 40), "learning_rate": (0.02, 0.05, 0.1)},
)


class ImplicitALS(Recommender):
    """implicit's CPU ALS behind our contract (scoring from its factors, so the harness is shared)."""

    name = "implicit_als"

    def __init__(
        self,
        factors: int = 64,
        regularization: float = 20.0,
        alpha: float = 2.0,
        iterations: int = 15,
        num_threads: int = 0,
        seed: int = 0,
    ) -> None:
        super().__init__()
        self.config = {
            "factors": factors,
            "regularization": regularization,
            "alpha": alpha,
            "iterations": iterations,
            "num_threads": num_threads,
            "seed": seed,
        }
        self.model: Any = None

    def get_config(self) -> dict[str, Any]:
        return dict(self.config)

    def fit(self, interactions: Interactions) -> Self:
        c = self.config
        self.model = implicit.cpu.als.AlternatingLeastSquares(
            factors=c["factors"],
            regularization=c["regularization"],
            alpha=c["alpha"],
            iterations=c["iterations"],
            num_threads=c["num_threads"],
            random_state=c["seed"],
        )
        self.model.fit(sp.csr_matrix(interactions.matrix, dtype=np.float32), show_progress=False)
        self._train = interactions
        return self

    def _score_users(self, users: np.ndarray, items: np.ndarray | None) -> np.ndarray:
        v = self.model.item_factors if items is None else self.model.item_factors[items]
        return self.model.user_factors[users] @ v.T

    def _score_histories(self, histories: sp.csr_matrix, items: np.ndarray | None) -> np.ndarray:
        rows = []
        for r in range(histories.shape[0]):
            ids, scores = self.model.recommend(
                0, histories[r], N=len(items) if items is not None else self.interactions.n_items,
                recalculate_user=True, filter_already_liked_items=False, items=items,
            )  # fmt: skip
            row = np.full(self.interactions.n_items, -np.inf, np.float32)
            row[ids] = scores
            rows.append(row if items is None else row[items])
        return np.vstack(rows)

    def _similar(self, item_idx: np.ndarray, items: np.ndarray | None) -> np.ndarray:
        raise NotImplementedError


class LightFMWarp(Recommender):
    """LightFM with the WARP loss (no side features) behind our contract."""

    name = "lightfm_warp"

    def __init__(
        self, no_components: int = 64, epochs: int = 20, learning_rate: float = 0.05, seed: int = 0
    ) -> None:
        super().__init__()
        self.config = {
            "no_components": no_components,
            "epochs": epochs,
            "learning_rate": learning_rate,
            "seed": seed,
        }
        self.user_repr = np.zeros((0, no_components), np.float32)
        self.item_repr = np.zeros((0, no_components), np.float32)
        self.item_bias = np.zeros(0, np.float32)

    def get_config(self) -> dict[str, Any]:
        return dict(self.config)

    def fit(self, interactions: Interactions) -> Self:
        c = self.config
        model = lightfm.LightFM(
            no_components=c["no_components"],
            loss="warp",
            learning_rate=c["learning_rate"],
            random_state=c["seed"],
        )
        model.fit(interactions.matrix.tocoo(), epochs=c["epochs"], num_threads=1)
        _, self.user_repr = model.get_user_representations()
        self.item_bias, self.item_repr = model.get_item_representations()
        self._train = interactions
        return self

    def _score_users(self, users: np.ndarray, items: np.ndarray | None) -> np.ndarray:
        v = self.item_repr if items is None else self.item_repr[items]
        b = self.item_bias if items is None else self.item_bias[items]
        return (self.user_repr[users] @ v.T + b).astype(np.float32)

    def _score_histories(self, histories: sp.csr_matrix, items: np.ndarray | None) -> np.ndarray:
        raise NotImplementedError("LightFM has no fold-in without refitting")

    def _similar(self, item_idx: np.ndarray, items: np.ndarray | None) -> np.ndarray:
        raise NotImplementedError


def percentiles_ms(samples_s: list[float]) -> tuple[float, float]:
    ms = np.asarray(samples_s) * 1000.0
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 99))


def serving_latency(model: Recommender, exp: Experiment, fold_in: bool) -> dict[str, float]:
    """A viewer's top-3 among 500 candidates; and (fold_in) the same after one new signal."""
    train = exp.train
    rng = np.random.default_rng(1)
    n_cand = min(CANDIDATES, train.n_items)
    candidates = train.items.raw(rng.choice(train.n_items, n_cand, replace=False)).tolist()
    users = rng.choice(train.n_users, min(SERVE_USERS, train.n_users), replace=False)
    raw_users = train.users.raw(users).tolist()
    model.recommend([raw_users[0]], n=SERVE_TOP, candidates=candidates)  # warm-up, not counted
    top3 = []
    for user in raw_users:
        started = time.perf_counter()
        model.recommend([user], n=SERVE_TOP, candidates=candidates)
        top3.append(time.perf_counter() - started)
    out = dict(zip(("top3_p50_ms", "top3_p99_ms"), percentiles_ms(top3), strict=True))
    if fold_in:
        folds = []
        new_items = train.items.raw(rng.choice(train.n_items, len(users))).tolist()
        for u, new in zip(users, new_items, strict=True):
            history = dict.fromkeys(train.items.raw(train.rows([u]).indices).tolist(), 1.0)
            history[new] = history.get(new, 0.0) + 1.0  # the viewer just clicked `new`
            started = time.perf_counter()
            model.recommend_for_history(history, n=SERVE_TOP, candidates=candidates)
            folds.append(time.perf_counter() - started)
        out.update(zip(("fold_in_p50_ms", "fold_in_p99_ms"), percentiles_ms(folds), strict=True))
    return out


def bench_one(path: Path, protocol: str, k: int, progress: bool) -> dict[str, Any]:
    events = read_events(path)
    if events.bad_rows:
        print(format_bad_rows(events.bad_rows, str(path)), file=sys.stderr)
    exp = prepare(events, protocol)
    print(f"\n== {path.name} ({protocol}): {exp.stats}", file=sys.stderr, flush=True)

    def note(name: str, trial: Any) -> None:
        if progress:
            print(
                f"  {name}: {trial.config} val_ndcg={trial.score:.4f} fit={trial.fit_s:.2f}s", file=sys.stderr
            )

    runs: dict[str, ModelRun] = {}
    runs["implicit_als"] = run_model("implicit_als", exp, lambda c: ImplicitALS(**c), IMPLICIT_SPACE, k, note)
    runs["lightfm_warp"] = run_model("lightfm_warp", exp, lambda c: LightFMWarp(**c), LIGHTFM_SPACE, k, note)
    for name in HYBRID_MEMBERS:
        runs[name] = run_model(name, exp, default_factory(name), SPACES[name], k, note)
    runs["hybrid"] = run_hybrid(runs, exp, k)

    # ALS training speed like for like: implicit (default threads, and 1 thread) and ours with implicit's
    # chosen configuration (alpha shifted back), in alternating rounds so that all three see the same
    # machine weather; the medians are reported
    chosen = dict(runs["implicit_als"].config)
    same = {
        "factors": chosen["factors"],
        "regularization": chosen["regularization"],
        "alpha": chosen["alpha"] - 1,
    }
    makers = {
        "implicit": lambda: ImplicitALS(**chosen),
        "implicit_1thread": lambda: ImplicitALS(**{**chosen, "num_threads": 1}),
        "ours": lambda: default_factory("als")(same),
    }
    fit_s: dict[str, list[float]] = {name: [] for name in makers}
    for _ in range(TIMING_ROUNDS):
        for name, make in makers.items():
            model = make()
            started = time.perf_counter()
            model.fit(exp.train)
            fit_s[name].append(time.perf_counter() - started)
    like_for_like = {name: float(np.median(times)) for name, times in fit_s.items()}

    anchor = runs["implicit_als"]
    key = f"ndcg@{k}"
    rows = {}
    for name, run in runs.items():
        row = {
            key: run.metrics[key],
            "train_s": run.train_s,
            "ndcg_ratio": run.metrics[key] / anchor.metrics[key] if anchor.metrics[key] else float("nan"),
            "train_ratio": run.train_s / anchor.train_s,
            "config": run.config,
        }
        row.update(serving_latency(run.final, exp, fold_in=name in OURS or name == "implicit_als"))
        rows[name] = row
    return {
        "dataset": str(path),
        "protocol": protocol,
        "stats": exp.stats,
        "als_like_for_like_train_s": like_for_like,
        "models": rows,
    }


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "implicit": implicit.__version__,
        "date_utc": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": " ".join([Path(sys.executable).name, "-m", "bench.recommender", *sys.argv[1:]]),
    }


def format_report(result: Mapping[str, Any], k: int) -> str:
    key = f"ndcg@{k}"
    lines = [f"{result['dataset']} ({result['protocol']})"]
    lines.append(
        f"{'model':<13}{key:>9}{'xALS':>7}{'train_s':>9}{'xALS':>7}"
        f"{'top3 p50':>10}{'p99 ms':>8}{'fold-in p50':>13}{'p99 ms':>8}  chosen"
    )
    for name, r in result["models"].items():
        fold = (
            f"{r['fold_in_p50_ms']:>13.3f}{r['fold_in_p99_ms']:>8.3f}"
            if "fold_in_p50_ms" in r
            else f"{'-':>13}{'-':>8}"
        )
        lines.append(
            f"{name:<13}{r[key]:>9.4f}{r['ndcg_ratio']:>7.3f}{r['train_s']:>9.2f}{r['train_ratio']:>7.2f}"
            f"{r['top3_p50_ms']:>10.3f}{r['top3_p99_ms']:>8.3f}{fold}  {json.dumps(r['config'], sort_keys=True)}"
        )
    t = result["als_like_for_like_train_s"]
    lines.append(
        f"ALS training like for like (implicit's chosen configuration, median of {TIMING_ROUNDS} alternating "
        f"fits): implicit {t['implicit']:.2f} s (its default threads), implicit 1 thread "
        f"{t['implicit_1thread']:.2f} s, ours (numpy, 1 BLAS thread) {t['ours']:.2f} s = "
        f"{t['ours'] / t['implicit']:.2f}x implicit, {t['ours'] / t['implicit_1thread']:.2f}x implicit 1 thread"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--interactions", type=Path, help="one file instead of the two shared datasets")
    parser.add_argument("--protocol", choices=("random8020", "leave-last-out"), default="random8020")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every trial on stderr")
    opts = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # entry point: TensorFlow's C++ log lines off
    threadpool_limits(limits=1, user_api="blas")
    runs = [(opts.interactions, opts.protocol)] if opts.interactions else list(DEFAULT_RUNS)
    report = {
        "machine": machine(),
        "results": [bench_one(p, proto, opts.k, opts.verbose) for p, proto in runs],
    }
    if opts.json:
        print(json.dumps(report, indent=2, default=float))
    else:
        m = report["machine"]
        print(
            f"machine: {m['cpus']} cpu ({m['cpu']}), Python {m['python']}, numpy {m['numpy']}, {m['date_utc']}"
        )
        for result in report["results"]:
            print()
            print(format_report(result, opts.k))
    return 0


if __name__ == "__main__":
    sys.exit(main())
