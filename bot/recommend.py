"""Per-viewer product picks for the room: collaborative-filtering scores folded in live from what each viewer
asks about, clicks and buys, limited to the room's in-stock products and never what the viewer bought.

The model (item-kNN by default) is fitted off the event loop from the signal log in SQLite, at start and
again after `refit_signals` new signals; between refits a viewer's new signals count at once through the
model's fold-in path (`recommend_for_history`), no retraining. A viewer with no usable history (a cold
start) gets the products most similar to the one on screen, then the session's best-sellers.
"""

from __future__ import annotations

import csv
import logging
import os
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.catalog import Catalog
from bot.inference import ModelCheckError, ModelSlot
from recommender.base import Recommender, load_model, model_class
from recommender.interactions import Events, Interactions
from training.registry import Version

log = logging.getLogger(__name__)


@dataclass
class SignalWeights:
    ask: float = 1.0
    click: float = 2.0
    purchase: float = 5.0

    def of(self, kind: str) -> float:
        return {"ask": self.ask, "click": self.click, "purchase": self.purchase}.get(kind, 0.0)


def fit_model(
    name: str, signals: Iterable[tuple[str, str, str, int]], weights: SignalWeights
) -> Recommender | None:
    """Fit `name` on (viewer, sku, kind, ts_ms) rows; None when there is too little to learn from. Sync:
    run it in an executor."""
    rows = [(viewer, sku, weights.of(kind), ts) for viewer, sku, kind, ts in signals if weights.of(kind) > 0]
    if len({sku for _, sku, _, _ in rows}) < 2:
        return None
    viewers, skus, values, times = zip(*rows, strict=True)
    events = Events.from_columns(viewers, skus, np.asarray(times, np.float64) / 1000, np.asarray(values))
    return model_class(name)().fit(Interactions.from_events(events))


@dataclass(frozen=True)
class PickRequest:
    uid: str
    current_sku: str | None
    n: int
    allowed: tuple[str, ...]
    history: dict[str, float]


@dataclass
class ViewerRecommender:
    catalog: Catalog
    weights: SignalWeights = field(default_factory=SignalWeights)
    model: Recommender | None = None
    max_viewers: int = 10_000
    _histories: OrderedDict[str, dict[str, float]] = field(default_factory=OrderedDict)
    _bought: dict[str, set[str]] = field(default_factory=dict)
    _sales: Counter[str] = field(default_factory=Counter)
    new_signals: int = 0
    # The registry slot that hot-swaps `model` and owns the executor its scoring runs in (None: inline).
    slot: ModelSlot[Recommender] | None = None

    def record(self, uid: str, kind: str, sku: str) -> None:
        """Fold a signal into the viewer's profile at once."""
        weight = self.weights.of(kind)
        if weight <= 0 or self.catalog.by_sku(sku) is None:
            return
        history = self._histories.setdefault(uid, {})
        history[sku] = history.get(sku, 0.0) + weight
        self._histories.move_to_end(uid)
        while len(self._histories) > self.max_viewers:
            old, _ = self._histories.popitem(last=False)
            self._bought.pop(old, None)
        if kind == "purchase":
            self._bought.setdefault(uid, set()).add(sku)
            self._sales[sku] += 1
        elif kind == "click":
            self._sales[sku] += 0.2  # type: ignore[assignment]
        self.new_signals += 1

    def candidates(self, uid: str) -> list[str]:
        bought = self._bought.get(uid, set())
        return [p.sku for p in self.catalog.in_stock() if p.sku not in bought]

    def pick(self, uid: str, current_sku: str | None, n: int = 3) -> list[str]:
        """Up to n in-stock skus for this viewer, best first; never one the viewer bought. The products the
        viewer already asked about are not suggested back to them. Sync: scores inline."""
        request = self._request(uid, current_sku, n)
        if request is None:
            return []
        return self._merge(request, self._model_picks(self.model, request))

    async def pick_async(self, uid: str, current_sku: str | None, n: int = 3) -> list[str]:
        """`pick` with the model's scoring in the model's executor (the bot's path). The request is a
        snapshot taken on the loop, so the executor never reads state the loop is changing."""
        request = self._request(uid, current_sku, n)
        if request is None:
            return []
        scored: list[str] = []
        if self.model is not None:
            if self.slot is not None:
                scored = await self.slot.run(lambda model: self._model_picks(model, request))
            else:
                scored = self._model_picks(self.model, request)
        return self._merge(request, scored)

    def _request(self, uid: str, current_sku: str | None, n: int) -> PickRequest | None:
        allowed = self.candidates(uid)
        if not allowed:
            return None
        return PickRequest(uid, current_sku, n, tuple(allowed), dict(self._histories.get(uid, {})))

    def _model_picks(self, model: Recommender | None, request: PickRequest) -> list[str]:
        if model is None:
            return []
        picks = self._from_history(model, request.history, request.allowed, request.n)
        if len(picks) < request.n and request.current_sku:
            picks += self._similar(model, request.current_sku, request.allowed, request.n)
        return picks

    def _merge(self, request: PickRequest, picks: list[str]) -> list[str]:
        allowed_set = set(request.allowed)
        history = request.history
        picks = list(picks)
        picks += [sku for sku, _ in self._sales.most_common() if sku in allowed_set]
        # Before any sales: the categories this viewer asked about, then the one on screen.
        categories = [self.catalog.by_sku(sku) for sku in (*history, request.current_sku) if sku]
        for product in categories:
            if product is not None:
                picks += [p.sku for p in self.catalog.by_category(product.category) if p.sku in allowed_set]
        picks += request.allowed  # catalog order: the shop's own ordering of its bag is the last resort
        seen: list[str] = []
        for sku in picks:
            if sku not in seen and sku not in history:
                seen.append(sku)
        return seen[: request.n]

    def _from_history(
        self, model: Recommender, history: Mapping[str, float], allowed: Sequence[str], n: int
    ) -> list[str]:
        known = {sku: w for sku, w in history.items() if sku in model.interactions.items}
        if not known:
            return []
        ids, scores = model.recommend_for_history(known, n, candidates=allowed)
        return [str(i) for i, s in zip(ids, scores, strict=True) if np.isfinite(s) and s > 0]

    def _similar(self, model: Recommender, sku: str, allowed: Sequence[str], n: int) -> list[str]:
        if sku not in model.interactions.items:
            return []
        ids, scores = model.similar_items([sku], n, candidates=allowed)
        return [str(i) for i, s in zip(ids[0], scores[0], strict=True) if np.isfinite(s) and s > 0]


def load_version(version: Version) -> Recommender:
    """A published `recommender` version (sync: file I/O)."""
    return load_model(version.path / "model")


def check_model(model: Recommender) -> None:
    """One real fold-in inference; a model that cannot rank its own items is refused."""
    items = model.interactions.items.ids
    if len(items) < 2:
        raise ModelCheckError(f"the model knows {len(items)} item(s); at least 2 are needed to rank")
    ids, scores = model.recommend_for_history({items[0]: 1.0}, 3)
    if ids.ndim != 1 or ids.shape != scores.shape or len(ids) > 3:
        raise ModelCheckError(f"fold-in returned ids {ids.shape} and scores {scores.shape} for n=3")
    # Finite scores, or -inf padding where fewer items can be ranked; never NaN or +inf.
    if np.isnan(scores).any() or np.isposinf(scores).any():
        raise ModelCheckError(f"fold-in scores are not usable numbers: {scores.tolist()}")


def write_signals(rows: Iterable[tuple[str, str, str, int]], weights: SignalWeights, path: Path) -> int:
    """The signal log as the interaction CSV a `recommender` job trains on (sync: file I/O). Written to a
    temp file and renamed, so a worker never reads half of it. Returns the rows written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    count = 0
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(("user_id", "item_id", "timestamp", "weight"))
        for viewer, sku, kind, ts_ms in rows:
            weight = weights.of(kind)
            if weight > 0:
                writer.writerow((viewer, sku, f"{ts_ms / 1000:.3f}", weight))
                count += 1
    os.replace(tmp, path)
    return count
