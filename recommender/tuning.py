"""Hyper-parameter search on a validation split: one small, fixed search space per model.

The spaces are deliberately coarse and set once (not tuned to MovieLens): the same command must do well
on data never seen. Search is coordinate ascent: start from `start`, then for each parameter in turn try
its listed values with the others held at the best so far (one pass). Scale-dependent parameters are
expressed relative to the data where the model allows it (EASE's lambda as a multiple of the mean item
popularity), so the grid means the same thing on a small room and on a big catalogue.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from recommender.base import Recommender
from recommender.interactions import Interactions
from recommender.metrics import Truth, ndcg


@dataclass(frozen=True)
class SearchSpace:
    start: Mapping[str, Any] = field(default_factory=dict)
    values: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)

    def size(self) -> int:
        """Fits one coordinate-ascent pass makes at most (the start, then each untried value)."""
        return 1 + sum(
            len([v for v in vals if v != self.start.get(name)]) for name, vals in self.values.items()
        )


SPACES: Mapping[str, SearchSpace] = {
    "popularity": SearchSpace(),
    "itemknn": SearchSpace(
        start={"k": 100, "shrink": 10.0, "damping": 1.0},
        values={"k": (25, 100, 200), "shrink": (0.0, 10.0, 100.0), "damping": (0.1, 1.0, 10.0)},
    ),
    "als": SearchSpace(
        start={"factors": 64, "regularization": 20.0, "alpha": 1.0},
        values={
            "regularization": (5.0, 10.0, 20.0, 40.0, 80.0),
            "alpha": (0.25, 1.0, 4.0),
            "factors": (64, 128),
        },
    ),
    "ease": SearchSpace(start={"l2_scale": 8.0}, values={"l2_scale": (0.5, 2.0, 8.0, 32.0)}),
    # the two-tower model's epochs are chosen by early stopping on the same validation split
    "two_tower": SearchSpace(),
}


@dataclass
class Trial:
    config: dict[str, Any]
    score: float
    fit_s: float


@dataclass
class TuneResult:
    config: dict[str, Any]  # the chosen constructor arguments (early-stopped epochs included)
    score: float  # validation NDCG@k of the chosen configuration
    model: Recommender  # fitted on the validation-train part, with the chosen configuration
    trials: list[Trial]


def validation_ndcg(
    model: Recommender, train: Interactions, truth: Truth, k: int, batch: int | None = None
) -> float:
    """NDCG@k of `model` on `truth`, ranking all items except each user's training items."""
    if not len(truth):
        return 0.0
    return ndcg(top_k_indices(model, train, truth.users, k, batch), truth, k)


def coordinate_search(
    make: Callable[[dict[str, Any]], Recommender],
    space: SearchSpace,
    train: Interactions,
    truth: Truth,
    k: int = 10,
    on_trial: Callable[[Trial], None] | None = None,
) -> TuneResult:
    """Coordinate ascent over `space` (one pass); ties keep the earlier (start-side) value."""
    trials: list[Trial] = []
    seen: dict[tuple, tuple[float, Recommender, dict[str, Any]]] = {}

    def run(config: dict[str, Any]) -> float:
        key = tuple(sorted(config.items()))
        if key in seen:
            return seen[key][0]
        model = make(dict(config))
        started = time.perf_counter()
        if model.early_stopping:
            model.fit(train, validation=truth, k=k)  # type: ignore[call-arg]
        else:
            model.fit(train)
        fit_s = time.perf_counter() - started
        score = validation_ndcg(model, train, truth, k)
        chosen = dict(config)
        best_epoch = getattr(model, "best_epoch_", None)
        if model.early_stopping and best_epoch is not None:
            chosen["epochs"] = int(best_epoch)
        seen[key] = (score, model, chosen)
        trial = Trial(chosen, score, fit_s)
        trials.append(trial)
        if on_trial is not None:
            on_trial(trial)
        return score

    best_config = dict(space.start)
    best_score = run(best_config)
    for name, values in space.values.items():
        for value in values:
            candidate = {**best_config, name: value}
            score = run(candidate)
            if score > best_score + 1e-9:
                best_config, best_score = candidate, score
    score, model, chosen = seen[tuple(sorted(best_config.items()))]
    return TuneResult(chosen, score, model, trials)


def top_k_indices(
    model: Recommender, train: Interactions, users: np.ndarray, k: int, batch: int | None = None
) -> np.ndarray:
    """Top-k dense item indices per user (train items excluded), in user batches."""
    if batch is None:  # a dense (batch x items) score block of about 4M floats
        batch = int(np.clip((1 << 22) // max(train.n_items, 1), 16, 512))
    out = []
    for start in range(0, len(users), batch):
        chunk = users[start : start + batch]
        top, _ = model.recommend_indices(chunk, k, exclude=train.rows(chunk))
        out.append(top)
    return np.vstack(out) if out else np.zeros((0, k), np.int64)
