"""`recommend evaluate`: the offline evaluation of every model under issue 5's protocols.

    recommend evaluate --interactions FILE [--protocol random8020|leave-last-out] [--k 10] [--json]
                       [--models a,b] [--format auto|csv|movielens|taobao]

For each model: hyper-parameters are chosen on the protocol's validation split only (a small fixed
search space per model, `tuning.SPACES`), the chosen configuration is fitted on the protocol's training
part (timed: `train_s`), and the test users are ranked over all items except their training items. The
hybrid blends the other models, its weights chosen on the same validation split; its `train_s` is the sum
of its members' fits. Latency (`p50_ms`, `p99_ms`) is one `recommend([user], n=k)` call per sampled test
user, through the public API.

Held-out items a user already has in training are not part of T (ranking excludes them, so they could
never be hit); held-out items the training data never saw stay in T and can never be hit.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from recommender.base import Recommender, model_class
from recommender.hybrid import Hybrid, choose_weights
from recommender.interactions import Events, Interactions
from recommender.metrics import Truth, ranking_metrics
from recommender.readers import FORMATS, InteractionFileError, format_bad_rows, read_events
from recommender.splits import TEST, TRAIN, VALIDATION, leave_last_out, random_holdout
from recommender.tuning import SPACES, SearchSpace, Trial, coordinate_search, top_k_indices

PROTOCOLS = ("random8020", "leave-last-out")
MODELS = ("popularity", "itemknn", "als", "ease", "two_tower", "hybrid")
HYBRID_MEMBERS = ("popularity", "itemknn", "als", "ease", "two_tower")
LATENCY_USERS = 300


@dataclass(frozen=True, eq=False)
class Experiment:
    """One protocol applied to one file: where to tune and where to test."""

    protocol: str
    tune_train: Interactions  # hyper-parameters are chosen by fitting here ...
    tune_truth: Truth  # ... and scoring here
    train: Interactions  # the final models are fitted here ...
    test: Truth  # ... and evaluated here
    stats: dict[str, Any] = field(default_factory=dict)


def prepare(events: Events, protocol: str) -> Experiment:
    """Split `events` by `protocol` (see `recommender.splits`)."""
    if protocol == "random8020":
        # every interaction counts 1: weights are not used by this protocol
        events = replace(events, weights=np.ones(len(events), np.float32))
        held = random_holdout(events.users, seed=42)
        train_events, test_events = events.take(~held), events.take(held)
        inner_held = random_holdout(train_events.users, seed=43)
        tune_events, val_events = train_events.take(~inner_held), train_events.take(inner_held)
    elif protocol == "leave-last-out":
        role = leave_last_out(events.users, events.timestamps)
        tune_events, val_events = events.take(role == TRAIN), events.take(role == VALIDATION)
        train_events, test_events = events.take(role != TEST), events.take(role == TEST)
    else:
        raise ValueError(f"unknown protocol {protocol!r}; expected one of {', '.join(PROTOCOLS)}")
    tune_train = Interactions.from_events(tune_events)
    train = Interactions.from_events(train_events)
    exp = Experiment(
        protocol,
        tune_train,
        Truth.from_events(val_events, tune_train),
        train,
        Truth.from_events(test_events, train),
    )
    exp.stats.update(
        lines=len(events),
        users=len(np.unique(events.users)),
        items=len(np.unique(events.items)),
        train_users=train.n_users,
        train_items=train.n_items,
        train_pairs=train.nnz,
        test_users=len(exp.test),
        validation_users=len(exp.tune_truth),
        test_items_unseen=int(exp.test.sizes.sum() - exp.test.items.nnz),
        test_items=int(exp.test.sizes.sum()),
    )
    return exp


@dataclass
class ModelRun:
    name: str
    config: dict[str, Any]
    validation_ndcg: float
    tuned: Recommender  # fitted on tune_train with `config`
    final: Recommender  # fitted on train with `config`
    train_s: float
    metrics: dict[str, float]
    p50_ms: float
    p99_ms: float
    trials: list[Trial] = field(default_factory=list)

    def row(self, k: int) -> dict[str, float]:
        keys = [f"{m}@{k}" for m in ("precision", "recall", "ndcg", "map", "hr", "coverage")]
        out = {key: round(float(self.metrics[key]), 6) for key in keys}
        out.update(train_s=round(self.train_s, 4), p50_ms=round(self.p50_ms, 4), p99_ms=round(self.p99_ms, 4))
        return out


def latency_ms(model: Recommender, test: Truth, k: int, n_users: int = LATENCY_USERS) -> tuple[float, float]:
    """p50 / p99 of one public `recommend([user], n=k)` call (id mapping and exclusions included)."""
    if not len(test):
        return float("nan"), float("nan")
    pick = np.random.default_rng(0).choice(len(test), min(n_users, len(test)), replace=False)
    raw = model.interactions.users.raw(test.users[pick]).tolist()
    model.recommend([raw[0]], n=k)  # first call warms caches; not counted
    times = []
    for user in raw:
        started = time.perf_counter()
        model.recommend([user], n=k)
        times.append((time.perf_counter() - started) * 1000.0)
    return float(np.percentile(times, 50)), float(np.percentile(times, 99))


def run_model(
    name: str,
    exp: Experiment,
    make: Callable[[dict[str, Any]], Recommender],
    space: SearchSpace,
    k: int = 10,
    on_trial: Callable[[str, Trial], None] | None = None,
) -> ModelRun:
    """Tune on the validation split, fit the chosen configuration on train (timed), test it."""
    tuned = coordinate_search(
        make,
        space,
        exp.tune_train,
        exp.tune_truth,
        k,
        None if on_trial is None else lambda t: on_trial(name, t),
    )
    final = make(dict(tuned.config))
    started = time.perf_counter()
    final.fit(exp.train)
    train_s = time.perf_counter() - started
    if on_trial is not None:
        on_trial(name, Trial({"final": True, **tuned.config}, float("nan"), train_s))
    return _tested(name, tuned.config, tuned.score, tuned.model, final, train_s, exp, k, tuned.trials)


def _tested(
    name: str,
    config: dict[str, Any],
    val_ndcg: float,
    tuned: Recommender,
    final: Recommender,
    train_s: float,
    exp: Experiment,
    k: int,
    trials: list[Trial],
) -> ModelRun:
    top = top_k_indices(final, exp.train, exp.test.users, k)
    metrics = ranking_metrics(top, exp.test, k, exp.train.n_items)
    p50, p99 = latency_ms(final, exp.test, k)
    return ModelRun(name, config, val_ndcg, tuned, final, train_s, metrics, p50, p99, trials)


def run_hybrid(runs: Mapping[str, ModelRun], exp: Experiment, k: int = 10) -> ModelRun:
    """Weights chosen on the validation split from the members' tuned fits; the final hybrid blends
    the members' final fits (no extra training)."""
    members = {name: runs[name] for name in HYBRID_MEMBERS if name in runs}
    weights, how, val_ndcg = choose_weights(
        {n: r.tuned for n, r in members.items()}, exp.tune_train, exp.tune_truth, k
    )
    active = {n: w for n, w in weights.items() if w > 0}
    tuned = Hybrid.from_fitted({n: members[n].tuned for n in active}, active, how)
    final = Hybrid.from_fitted({n: members[n].final for n in active}, active, how)
    train_s = sum(members[n].train_s for n in active)
    config = {"weights": active, "normalisation": how}
    return _tested("hybrid", config, val_ndcg, tuned, final, train_s, exp, k, [])


def default_factory(name: str, progress: bool = False) -> Callable[[dict[str, Any]], Recommender]:
    cls = model_class(name)
    extra = {"progress": progress} if name == "two_tower" else {}
    return lambda config: cls(**config, **extra)


def evaluate_events(
    events: Events,
    protocol: str = "random8020",
    k: int = 10,
    models: Sequence[str] | None = None,
    progress: bool = True,
    log: TextIO | None = None,
) -> tuple[dict[str, Any], Experiment, dict[str, ModelRun]]:
    """`evaluate` on an already-read log; also returns the experiment and every model's run.

    With "hybrid" in `models`, the hybrid blends the other listed models (all five when it is listed
    alone)."""
    wanted = list(MODELS if models is None else models)
    unknown = [m for m in wanted if m not in MODELS]
    if unknown:
        raise ValueError(f"unknown models {unknown}; known: {', '.join(MODELS)}")
    # the hybrid blends the listed models; listed alone, it blends all of them
    listed = [m for m in HYBRID_MEMBERS if m in wanted]
    needed = listed if listed or "hybrid" not in wanted else list(HYBRID_MEMBERS)
    exp = prepare(events, protocol)
    if log is not None:
        s = exp.stats
        print(
            f"{protocol}: {s['lines']} lines, {s['users']} users, {s['items']} items; train {s['train_pairs']} pairs "
            f"({s['train_users']} users x {s['train_items']} items); {s['validation_users']} validation users, "
            f"{s['test_users']} test users ({s['test_items_unseen']} of {s['test_items']} test items unseen in train)",
            file=log,
        )
    from tqdm import tqdm

    total = sum(SPACES[m].size() + 1 for m in needed) + ("hybrid" in wanted)
    bar = tqdm(total=total, desc="training", file=sys.stderr, disable=not progress, dynamic_ncols=True)

    def on_trial(name: str, trial: Trial) -> None:
        bar.update(1)
        shown = {key: v for key, v in trial.config.items() if key != "final"}
        bar.set_postfix_str(
            f"{name} {shown} val_ndcg={trial.score:.4f}" if trial.score == trial.score else name
        )

    runs: dict[str, ModelRun] = {}
    try:
        for name in needed:
            runs[name] = run_model(name, exp, default_factory(name, progress), SPACES[name], k, on_trial)
        if "hybrid" in wanted:
            bar.set_postfix_str("hybrid weights")
            runs["hybrid"] = run_hybrid(runs, exp, k)
            bar.update(1)
    finally:
        bar.close()
    result = {"protocol": protocol, "models": {name: runs[name].row(k) for name in wanted}}
    return result, exp, runs


def evaluate(
    path: str | Path,
    protocol: str = "random8020",
    k: int = 10,
    models: Sequence[str] | None = None,
    progress: bool = True,
    *,
    fmt: str = "auto",
) -> dict[str, Any]:
    """Evaluate the models on an interaction file; returns `{"protocol": P, "models": {NAME: {...}}}`.
    Bad rows are skipped and listed on stderr with their line numbers."""
    events = read_events(path, fmt=fmt)  # type: ignore[arg-type]
    if events.bad_rows:
        print(format_bad_rows(events.bad_rows, str(path)), file=sys.stderr)
    result, _, _ = evaluate_events(events, protocol, k, models, progress, sys.stderr if progress else None)
    return result


def format_table(result: Mapping[str, Any], k: int, runs: Mapping[str, ModelRun] | None = None) -> str:
    cols = ["precision", "recall", "ndcg", "map", "hr", "coverage"]
    head = f"{'model':<11}" + "".join(f"{c[:4].upper() + '@' + str(k):>9}" for c in cols)
    head += f"{'train_s':>9}{'p50_ms':>8}{'p99_ms':>8}  chosen on validation"
    lines = [f"protocol {result['protocol']}", head]
    for name, row in result["models"].items():
        line = f"{name:<11}" + "".join(f"{row[f'{c}@{k}']:>9.4f}" for c in cols)
        line += f"{row['train_s']:>9.2f}{row['p50_ms']:>8.3f}{row['p99_ms']:>8.3f}"
        if runs is not None and name in runs:
            line += "  " + json.dumps(runs[name].config, sort_keys=True)
        lines.append(line)
    return "\n".join(lines)


def single_thread_blas() -> bool:
    """Limit BLAS pools to one thread, once, at process start (measured: two OpenBLAS threads on two
    busy cores make a 943x64 by 64x1682 product 4x slower). False when threadpoolctl is absent."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return False
    import scipy.linalg  # noqa: F401 (load scipy's own BLAS copy first so that it is limited too)

    threadpool_limits(limits=1, user_api="blas")
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """`recommend evaluate ...` (a leading "evaluate" is accepted and skipped)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "evaluate":
        args = args[1:]
    parser = argparse.ArgumentParser(
        prog="livebot recommend evaluate", description="Offline evaluation of the recommenders (issue 5)."
    )
    parser.add_argument(
        "--interactions",
        required=True,
        type=Path,
        help="CSV user_id,item_id,timestamp[,weight], MovieLens u.data, or Taobao UserBehavior",
    )
    parser.add_argument("--protocol", choices=PROTOCOLS, default="random8020")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--models", default=None, help=f"comma-separated subset of {','.join(MODELS)}")
    parser.add_argument("--format", choices=FORMATS, default="auto", dest="fmt")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    opts = parser.parse_args(args)
    models = None if opts.models is None else [m.strip() for m in opts.models.split(",") if m.strip()]
    if models is not None and (bad := [m for m in models if m not in MODELS]):
        parser.error(f"unknown models {bad}; known: {', '.join(MODELS)}")
    if opts.k < 1:
        parser.error("--k must be >= 1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # entry point: keep TensorFlow's C++ chatter off
    single_thread_blas()
    try:
        events = read_events(opts.interactions, fmt=opts.fmt)
    except (InteractionFileError, OSError, UnicodeDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if events.bad_rows:
        print(format_bad_rows(events.bad_rows, str(opts.interactions)), file=sys.stderr)
    progress = not opts.no_progress
    result, _, runs = evaluate_events(events, opts.protocol, opts.k, models, progress, sys.stderr)
    if opts.json:
        print(json.dumps(result, indent=2))
    else:
        print(format_table(result, opts.k, runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
