"""A weighted blend of other models' per-user normalised scores, weights chosen on a validation split.

    score(u, i) = sum_m w_m * norm_m(u, i)

where norm is the z-score ("z") or min-max ("minmax") of member m's scores over the items being ranked for
u (finite scores only; an item a member cannot score gets that member's lowest normalised value).
Normalising per user makes scores of different scales (ALS dot products, EASE regressions, kNN
averages, popularity counts) comparable before they are added.

Weights (and the normalisation) are chosen by `choose_weights`: coordinate ascent over a small grid,
starting from the best single member, so the blend can always fall back to that member alone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Self

import numpy as np
import scipy.sparse as sp

from recommender.base import Recommender, mask_rows, model_class, top_n
from recommender.interactions import Interactions
from recommender.metrics import Truth, relevance
from recommender.splits import random_holdout

NORMALISATIONS = ("z", "minmax")
WEIGHT_GRID = (0.0, 0.25, 0.5, 1.0, 2.0)


def normalise(scores: np.ndarray, how: str) -> np.ndarray:
    """Per-row z-score or min-max over finite entries; non-finite entries get the row's lowest value."""
    if how not in NORMALISATIONS:
        raise ValueError(f"normalisation must be one of {NORMALISATIONS}, not {how!r}")
    scores = np.asarray(scores, dtype=np.float32)
    finite = np.isfinite(scores)
    any_finite = finite.any(axis=1, keepdims=True)
    if how == "z":
        center = np.mean(scores, axis=1, where=finite, keepdims=True)
        scale = np.std(scores, axis=1, where=finite, keepdims=True)
    else:
        center = np.min(scores, axis=1, where=finite, initial=np.inf, keepdims=True)
        scale = np.max(scores, axis=1, where=finite, initial=-np.inf, keepdims=True) - center
    center = np.where(any_finite, center, 0.0)
    scale = np.where(any_finite & (scale > 0), scale, 1.0)
    out = (scores - center) / scale
    if not finite.all():
        floor = np.min(out, axis=1, where=finite, initial=np.inf, keepdims=True)
        out = np.where(finite, out, np.where(any_finite, floor, 0.0))
    return out.astype(np.float32, copy=False)


class Hybrid(Recommender):
    name = "hybrid"

    def __init__(
        self,
        members: Mapping[str, Recommender | Mapping[str, Any]] | None = None,
        weights: Mapping[str, float] | None = None,
        normalisation: str = "z",
        validation_fraction: float = 0.2,
        seed: int = 43,
        k: int = 10,
    ) -> None:
        """`members`: name -> model (or {"model": name, "config": {...}}). Without `weights`, `fit`
        holds out `validation_fraction` of each user's items (the random8020 rule, `seed`), fits the
        members on the rest, chooses weights there, then refits the members on everything."""
        super().__init__()
        if normalisation not in NORMALISATIONS:
            raise ValueError(f"normalisation must be one of {NORMALISATIONS}, not {normalisation!r}")
        self.members: dict[str, Recommender] = {
            name: m if isinstance(m, Recommender) else model_class(m["model"])(**m["config"])
            for name, m in (members or {}).items()
        }
        self.weights = None if weights is None else {n: float(w) for n, w in weights.items()}
        self.normalisation = normalisation
        self.validation_fraction = float(validation_fraction)
        self.seed = int(seed)
        self.k = int(k)

    def get_config(self) -> dict[str, Any]:
        return {
            "members": {n: {"model": m.name, "config": m.get_config()} for n, m in self.members.items()},
            "weights": self.weights,
            "normalisation": self.normalisation,
            "validation_fraction": self.validation_fraction,
            "seed": self.seed,
            "k": self.k,
        }

    @classmethod
    def from_fitted(
        cls, members: Mapping[str, Recommender], weights: Mapping[str, float], normalisation: str = "z"
    ) -> Hybrid:
        """A hybrid over members already fitted on the same interactions (no refit)."""
        model = cls(dict(members), weights, normalisation)
        trains = [m.interactions for m in members.values()]
        if not trains or any(t.matrix.shape != trains[0].matrix.shape for t in trains):
            raise ValueError("members must be fitted on the same interactions")
        model._train = trains[0]
        return model

    def fit(self, interactions: Interactions) -> Self:
        if not self.members:
            raise ValueError("a hybrid needs members")
        if self.weights is None:
            inner_train, truth = holdout(interactions, self.validation_fraction, self.seed)
            inner = {}
            for name, member in self.members.items():
                twin = member.clone()
                if twin.early_stopping:
                    twin.fit(inner_train, validation=truth, k=self.k)  # type: ignore[call-arg]
                    member.epochs = twin.best_epoch_  # type: ignore[attr-defined]
                else:
                    twin.fit(inner_train)
                inner[name] = twin
            self.weights, self.normalisation, _ = choose_weights(inner, inner_train, truth, self.k)
        for name, member in self.members.items():
            if self.weights.get(name, 0.0) > 0:
                member.fit(interactions)
        self._train = interactions
        return self

    def _active(self) -> list[tuple[str, float]]:
        weights = self.weights or {}
        return [(n, w) for n, w in weights.items() if w > 0 and n in self.members]

    def _blend(
        self,
        per_member: list[tuple[float, np.ndarray]],
        exclude: sp.csr_matrix | None = None,
        items: np.ndarray | None = None,
    ) -> np.ndarray:
        """Weighted sum of normalised member scores; normalised over the items actually ranked (the
        excluded ones left out), exactly as `choose_weights` saw them on validation."""
        total = None
        excluded = None
        if exclude is not None and per_member:
            # one mask for every member: exclusions are the same whoever scores
            marks = np.zeros(per_member[0][1].shape, np.float32)
            mask_rows(marks, exclude, items)
            excluded = np.isneginf(marks)
        for weight, raw in per_member:
            scores = np.array(raw, dtype=np.float32, copy=True)
            if excluded is not None:
                scores[excluded] = -np.inf
            part = weight * normalise(scores, self.normalisation)
            total = part if total is None else total + part
        if total is None:
            raise ValueError("the hybrid has no member with a positive weight")
        return total

    def recommend_indices(
        self,
        users: np.ndarray,
        n: int,
        *,
        exclude: sp.csr_matrix | None = None,
        items: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        users = np.asarray(users, np.int64)
        parts = [(w, self.members[name]._score_users(users, items)) for name, w in self._active()]
        return self._rank(self._blend(parts, exclude, items), n, exclude, items)

    def history_indices(
        self,
        histories: sp.csr_matrix,
        n: int,
        *,
        exclude: sp.csr_matrix | None = None,
        items: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        parts = [(w, self.members[name]._score_histories(histories, items)) for name, w in self._active()]
        return self._rank(self._blend(parts, exclude, items), n, exclude, items)

    def _score_users(self, users: np.ndarray, items: np.ndarray | None) -> np.ndarray:
        return self._blend([(w, self.members[n]._score_users(users, items)) for n, w in self._active()])

    def _score_histories(self, histories: sp.csr_matrix, items: np.ndarray | None) -> np.ndarray:
        return self._blend(
            [(w, self.members[n]._score_histories(histories, items)) for n, w in self._active()]
        )

    def _similar(self, item_idx: np.ndarray, items: np.ndarray | None) -> np.ndarray:
        return self._blend([(w, self.members[n]._similar(item_idx, items)) for n, w in self._active()])

    # -- persistence: members live in sub-folders ---------------------------------------------------
    def save(self, path: str | Path) -> Path:
        path = Path(path)
        for name, member in self.members.items():
            if member.is_fitted:
                member.save(path / "members" / name)
        return super().save(path)

    def _after_load(self, path: Path) -> None:
        loaded = {}
        for name in self.members:
            folder = path / "members" / name
            if (folder / "manifest.json").exists():
                manifest = json.loads((folder / "manifest.json").read_text())
                loaded[name] = model_class(manifest["model"]).load(folder)
        self.members.update(loaded)


def holdout(interactions: Interactions, fraction: float, seed: int) -> tuple[Interactions, Truth]:
    """Split a matrix's pairs per user by the random8020 rule: (train part, held-out truth)."""
    m = interactions.matrix
    rows = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
    held = random_holdout(rows, seed, fraction)
    train = Interactions.from_indices(
        rows[~held],
        m.indices[~held],
        m.data[~held],
        None if interactions.last_seen is None else interactions.last_seen[~held],
        users=interactions.users,
        items=interactions.items,
    )
    users = np.unique(rows[held])
    truth_items = sp.csr_matrix(
        (np.ones(int(held.sum()), np.float32), (np.searchsorted(users, rows[held]), m.indices[held])),
        shape=(len(users), m.shape[1]),
    )
    return train, Truth(users, truth_items, np.diff(truth_items.indptr).astype(np.int64))


def _pools(
    members: Mapping[str, Recommender], train: Interactions, truth: Truth, k: int, pool: int
) -> tuple[np.ndarray, dict[str, dict[str, np.ndarray]]]:
    """Per validation user, the union of every member's top-`pool` items, with each member's normalised
    scores on it (both normalisations); padding has item -1 and score -inf."""
    batch = int(np.clip((1 << 21) // max(train.n_items, 1), 8, 256))
    width = pool * len(members)
    items_out = np.full((len(truth), width), -1, np.int64)
    scores_out = {
        how: {n: np.full((len(truth), width), -np.inf, np.float32) for n in members} for how in NORMALISATIONS
    }
    for start in range(0, len(truth), batch):
        users = truth.users[start : start + batch]
        excluded = train.rows(users)
        raw = {}
        union = []
        for name, model in members.items():
            # normalised below over the same items serving ranks: everything but the training items
            masked = model._score_users(users, None).astype(np.float32, copy=True)
            mask_rows(masked, excluded, None)
            raw[name] = masked
            pos, vals = top_n(masked, pool)
            union.append(np.where(np.isfinite(vals), pos, -1))
        cand = np.hstack(union)
        for r in range(len(users)):
            u = np.unique(cand[r][cand[r] >= 0])
            items_out[start + r, : len(u)] = u
        block = items_out[start : start + len(users)]
        safe = np.where(block >= 0, block, 0)
        for name, masked in raw.items():
            for how in NORMALISATIONS:
                norm = normalise(masked, how)
                picked = np.take_along_axis(norm, safe, axis=1)
                scores_out[how][name][start : start + len(users)] = np.where(block >= 0, picked, -np.inf)
    return items_out, scores_out


def choose_weights(
    members: Mapping[str, Recommender],
    train: Interactions,
    truth: Truth,
    k: int = 10,
    grid: tuple[float, ...] = WEIGHT_GRID,
    pool: int = 50,
    max_users: int = 5000,
    seed: int = 0,
) -> tuple[dict[str, float], str, float]:
    """Weights (and normalisation) maximising validation NDCG@k of the blend: coordinate ascent from the
    best single member, two passes over the grid per member. Returns (weights, normalisation, ndcg)."""
    if len(truth) > max_users:
        keep = np.sort(np.random.default_rng(seed).choice(len(truth), max_users, replace=False))
        truth = truth.subset(keep)
    items, scores = _pools(members, train, truth, k, pool)
    names = list(members)
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    ideal = np.cumsum(discount)[np.minimum(k, truth.sizes) - 1]

    def value(weights: Mapping[str, float], how: str) -> float:
        blended = np.zeros(items.shape, np.float32)
        for name in names:
            w = weights.get(name, 0.0)
            if w:
                blended += w * np.where(items >= 0, scores[how][name], 0.0)
        blended[items < 0] = -np.inf
        pos, vals = top_n(blended, k)
        top = np.where(np.isfinite(vals), np.take_along_axis(items, pos, axis=1), -1)
        rel = relevance(top, truth).astype(np.float64)
        return float(((rel * discount[: top.shape[1]]).sum(axis=1) / ideal).mean()) if len(truth) else 0.0

    best: tuple[float, dict[str, float], str] = (-1.0, {}, "z")
    for how in NORMALISATIONS:
        singles = {name: value({name: 1.0}, how) for name in names}
        start = max(names, key=lambda n: singles[n])
        weights = {name: (1.0 if name == start else 0.0) for name in names}
        current = singles[start]
        for _ in range(2):
            for name in names:
                for w in grid:
                    trial = {**weights, name: w}
                    if not any(trial.values()):
                        continue
                    v = value(trial, how)
                    if v > current + 1e-6:  # only a real gain changes the blend (keeps it simple)
                        weights, current = trial, v
        if current > best[0] + 1e-6:
            best = (current, weights, how)
    return best[1], best[2], best[0]
