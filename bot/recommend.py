"""Per-viewer product picks for the room: collaborative-filtering scores folded in live from what each viewer
asks about, clicks and buys, limited to the room's in-stock products and never what the viewer bought.

The model (item-kNN by default) is fitted off the event loop from the signal log in SQLite, at start and
again after `refit_signals` new signals; between refits a viewer's new signals count at once through the
model's fold-in path (`recommend_for_history`), no retraining. A viewer with no usable history (a cold
start) gets the products most similar to the one on screen, then the session's best-sellers.
"""

from __future__ import annotations

import logging
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from bot.catalog import Catalog
from recommender.base import Recommender, model_class
from recommender.interactions import Events, Interactions

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
        viewer already asked about are not suggested back to them."""
        allowed = self.candidates(uid)
        if not allowed:
            return []
        picks: list[str] = []
        model = self.model
        history = self._histories.get(uid, {})
        if model is not None:
            picks += self._from_history(model, history, allowed, n)
            if len(picks) < n and current_sku:
                picks += self._similar(model, current_sku, allowed, n)
        allowed_set = set(allowed)
        picks += [sku for sku, _ in self._sales.most_common() if sku in allowed_set]
        # Before any sales: the categories this viewer asked about, then the one on screen.
        categories = [self.catalog.by_sku(sku) for sku in (*history, current_sku) if sku]
        for product in categories:
            if product is not None:
                picks += [p.sku for p in self.catalog.by_category(product.category) if p.sku in allowed_set]
        picks += allowed  # catalog order: the shop's own ordering of its bag is the last resort
        seen: list[str] = []
        for sku in picks:
            if sku not in seen and sku not in history:
                seen.append(sku)
        return seen[:n]

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
