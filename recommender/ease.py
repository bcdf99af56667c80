"""EASE (Steck, 2019): a closed-form item-item linear model with a zero diagonal.

    P = (X^T X + lambda I)^-1,   B = I - P diag(1 / diag(P)),   score(u) = x_u B

lambda is `l2` when given, else `l2_scale` times the mean diagonal of X^T X (the mean item popularity), so
that the same small search grid of scales means the same thing on data of any size.

The Gram matrix is dense (n x n), so catalogues larger than `max_items` (5000) keep only their `max_items` most
popular items in the model; the others get score -inf (never recommended by EASE; the hybrid treats them as
its lowest score). On a live room's few hundred products this never applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

import numpy as np
import scipy.linalg
import scipy.sparse as sp

from recommender.base import Recommender
from recommender.interactions import Interactions


class EASE(Recommender):
    name = "ease"

    def __init__(
        self, l2: float | None = None, l2_scale: float = 8.0, max_items: int = 5000, binary: bool = True
    ) -> None:
        super().__init__()
        self.l2 = l2
        self.l2_scale = float(l2_scale)
        self.max_items = int(max_items)
        self.binary = bool(binary)
        self._weights = np.zeros((0, 0), np.float32)  # B over the modelled items
        self._modelled = np.zeros(0, np.int64)  # dense item indices that B covers
        self._position = np.zeros(0, np.int64)  # item index -> row/column of B, -1 when not modelled
        self.lambda_ = 0.0

    def get_config(self) -> dict[str, Any]:
        return {"l2": self.l2, "l2_scale": self.l2_scale, "max_items": self.max_items, "binary": self.binary}

    def fit(self, interactions: Interactions) -> Self:
        x = self._inputs(interactions.matrix)
        counts = np.asarray((x != 0).sum(axis=0)).ravel()
        if interactions.n_items > self.max_items:
            modelled = np.sort(np.argsort(-counts, kind="stable")[: self.max_items])
        else:
            modelled = np.arange(interactions.n_items)
        xs = x[:, modelled]
        gram = (xs.T @ xs).toarray().astype(np.float32)
        diag_mean = float(np.mean(np.diag(gram))) if len(modelled) else 0.0
        self.lambda_ = float(self.l2) if self.l2 is not None else self.l2_scale * max(diag_mean, 1e-6)
        gram[np.diag_indices_from(gram)] += self.lambda_
        precision = _spd_inverse(gram)
        weights = precision / (-np.diag(precision))
        np.fill_diagonal(weights, 0.0)
        self._train = interactions
        self._set(weights.astype(np.float32), modelled)
        return self

    def _inputs(self, matrix: sp.csr_matrix) -> sp.csr_matrix:
        x = sp.csr_matrix(matrix, dtype=np.float32, copy=True)
        if self.binary:
            x.data = np.ones_like(x.data)
        return x

    def _set(self, weights: np.ndarray, modelled: np.ndarray) -> None:
        self._weights = weights
        self._modelled = modelled.astype(np.int64)
        self._position = np.full(self.interactions.n_items, -1, np.int64)
        self._position[self._modelled] = np.arange(len(self._modelled))

    def _score_histories(self, histories: sp.csr_matrix, items: np.ndarray | None) -> np.ndarray:
        if histories.shape[0] == 1 and items is not None:
            return self._score_one(histories, items)
        h = self._inputs(histories)
        h = h[:, self._modelled] if len(self._modelled) != h.shape[1] else h
        # sparse @ dense touches only the rows of B for items in the history: cheap even for one viewer
        part = np.asarray(h @ self._weights, dtype=np.float32)
        if items is None:
            if len(self._modelled) == self.interactions.n_items:
                return part
            out = np.full((h.shape[0], self.interactions.n_items), -np.inf, np.float32)
            out[:, self._modelled] = part
            return out
        pos = self._position[items]
        ok = pos >= 0
        if ok.all():
            return part[:, pos]
        out = np.full((h.shape[0], len(items)), -np.inf, np.float32)
        out[:, ok] = part[:, pos[ok]]
        return out

    def _score_one(self, history: sp.csr_matrix, items: np.ndarray) -> np.ndarray:
        """One viewer among candidates (the serving path): only B's rows of the history items (or just
        their candidate columns) are touched, and no scipy object is built."""
        lo, hi = history.indptr[0], history.indptr[1]
        rows = self._position[history.indices[lo:hi]]
        values = np.ones(hi - lo, np.float32) if self.binary else history.data[lo:hi].astype(np.float32)
        known = rows >= 0
        cols = self._position[items]
        ok = cols >= 0
        out = np.full((1, len(items)), -np.inf, np.float32)
        if 4 * len(items) < len(self._modelled):  # few candidates in a big model: gather just the block
            out[0, ok] = values[known] @ self._weights[np.ix_(rows[known], cols[ok])]
        else:  # contiguous rows are ~4x cheaper per element than a 2-d fancy gather
            out[0, ok] = (values[known] @ self._weights[rows[known]])[cols[ok]]
        return out

    def _similar(self, item_idx: np.ndarray, items: np.ndarray | None) -> np.ndarray:
        n = self.interactions.n_items
        out = np.full((len(item_idx), n), -np.inf, np.float32)
        pos = self._position[item_idx]
        ok = pos >= 0
        # row i of B: how strongly having i predicts each other item
        out[np.ix_(np.flatnonzero(ok), self._modelled)] = self._weights[pos[ok]]
        return out if items is None else out[:, items]

    def _arrays(self) -> dict[str, np.ndarray]:
        return {"weights": self._weights, "modelled": self._modelled}

    def _state(self) -> dict[str, Any]:
        return {"lambda": self.lambda_}

    def _restore(self, arrays: Mapping[str, np.ndarray], state: Mapping[str, Any]) -> None:
        self.lambda_ = float(state.get("lambda", 0.0))
        self._set(arrays["weights"], arrays["modelled"])


def _spd_inverse(gram: np.ndarray) -> np.ndarray:
    """Inverse of a symmetric positive-definite matrix by Cholesky (LAPACK potrf + potri): measured 4x
    faster than numpy's LU inverse at n = 4000 in float32, relative error ~4e-7; float64 if float32
    Cholesky breaks down."""
    for dtype in (np.float32, np.float64):
        a = np.asarray(gram, dtype=dtype)
        potrf, potri = scipy.linalg.get_lapack_funcs(("potrf", "potri"), (a,))
        factor, info = potrf(a, lower=True)
        if info == 0:
            inverse, info = potri(factor, lower=True)
            if info == 0:
                lower = np.tril(inverse)
                return lower + np.tril(lower, -1).T
    raise np.linalg.LinAlgError("X^T X + lambda I is not positive definite")
