"""Most-popular items, optionally within a recent time window (the live room's "what's hot now").

The baseline every other model has to beat, and the cold-start answer for a viewer with no signals.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Self

import numpy as np
import scipy.sparse as sp

from recommender.base import Recommender
from recommender.interactions import Interactions


class Popularity(Recommender):
    """Score of an item = how many users interacted with it (`by="users"`) or their summed weight
    (`by="weight"`), counting only pairs last seen within `window_s` of `now_s` (default: the newest
    timestamp in the data) when a window is given."""

    name = "popularity"

    def __init__(
        self,
        window_s: float | None = None,
        by: Literal["users", "weight"] = "users",
        now_s: float | None = None,
    ) -> None:
        super().__init__()
        if by not in ("users", "weight"):
            raise ValueError(f"by must be 'users' or 'weight', not {by!r}")
        self.window_s = window_s
        self.by = by
        self.now_s = now_s
        self._counts = np.zeros(0, np.float32)

    def get_config(self) -> dict[str, Any]:
        return {"window_s": self.window_s, "by": self.by, "now_s": self.now_s}

    def fit(self, interactions: Interactions) -> Self:
        m = interactions.matrix
        values = np.ones(m.nnz, np.float32) if self.by == "users" else m.data.astype(np.float32)
        if self.window_s is not None:
            if interactions.last_seen is None:
                raise ValueError("a time window needs interactions built with timestamps")
            now = float(interactions.last_seen.max(initial=0.0)) if self.now_s is None else self.now_s
            values = np.where(interactions.last_seen >= now - self.window_s, values, 0.0).astype(np.float32)
        self._counts = np.bincount(m.indices, weights=values, minlength=m.shape[1]).astype(np.float32)
        self._train = interactions
        return self

    def _score_histories(self, histories: sp.csr_matrix, items: np.ndarray | None) -> np.ndarray:
        row = self._counts if items is None else self._counts[items]
        # a fresh array per call: the caller masks exclusions in place
        return np.tile(row, (histories.shape[0], 1))

    def _score_users(self, users: np.ndarray, items: np.ndarray | None) -> np.ndarray:
        row = self._counts if items is None else self._counts[items]
        return np.tile(row, (len(users), 1))

    def _similar(self, item_idx: np.ndarray, items: np.ndarray | None) -> np.ndarray:
        # popularity knows no similarity: "people also look at" the popular items
        row = self._counts if items is None else self._counts[items]
        return np.tile(row, (len(item_idx), 1))

    def _arrays(self) -> dict[str, np.ndarray]:
        return {"counts": self._counts}

    def _restore(self, arrays: Mapping[str, np.ndarray], state: Mapping[str, Any]) -> None:
        self._counts = arrays["counts"]
