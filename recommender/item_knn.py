"""Item-based collaborative filtering with the product design's normalised-similarity score.

    score(u, i) = sum_{j in N_k(i) & I_u} r_uj * sim(i, j) / (sum_{j in N_k(i) & I_u} |sim(i, j)| + damping)

sim is the cosine of the two items' user sets with shrinkage, sim(i, j) = |U_i & U_j| / (sqrt(|U_i| |U_j|)
+ shrink), and N_k(i) holds i's k most similar items. This sim is never negative, so |sim| = sim below.

Why `damping`: with damping = 0 (the design's formula as written) the score is a weighted *average* of the
user's ratings, so an item whose only link to the user is one neighbour with a tiny similarity scores
r_uj, as high as an item backed by fifty strong neighbours; on implicit data (every r = 1) every item
with any neighbour scores exactly 1 and the ranking is arbitrary. A damping constant in the denominator
shrinks weakly-supported averages towards 0 (a Bayesian average): well-supported items keep nearly the
average, thin evidence scores little. With binary data the score becomes num / (num + damping), a
monotone function of the classic unnormalised sum; with weighted signals (view < cart < buy) it still
ranks by the weighted average where evidence is plentiful. damping = 0 is allowed and gives the design's
exact score (0/0 is taken as 0).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

import numpy as np
import scipy.sparse as sp

from recommender.base import Recommender
from recommender.interactions import Interactions

_DENSE_MAX_ITEMS = 3000  # two dense float32 copies of the similarities cost at most 72 MB


class ItemKNN(Recommender):
    name = "itemknn"

    def __init__(
        self, k: int = 100, shrink: float = 10.0, damping: float = 1.0, max_user_items: int = 1000
    ) -> None:
        """`max_user_items`: users with more items than this are left out of the similarity counts
        (still recommended to): one crawler-like account with n items adds n^2 co-occurrences."""
        super().__init__()
        if k < 1:
            raise ValueError("k must be >= 1")
        if shrink < 0 or damping < 0:
            raise ValueError("shrink and damping must be >= 0")
        self.k = int(k)
        self.shrink = float(shrink)
        self.damping = float(damping)
        self.max_user_items = int(max_user_items)
        self._sim = sp.csr_matrix((0, 0), dtype=np.float32)  # row i: neighbours j of i, sim(i, j)
        self._sim_t = self._sim  # row j: items i that have j as a neighbour (the scoring layout)
        self._dense: np.ndarray | None = None
        self._dense_t: np.ndarray | None = None
        self._fan_out = self._fan_in = np.zeros(0, np.int64)

    def get_config(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "shrink": self.shrink,
            "damping": self.damping,
            "max_user_items": self.max_user_items,
        }

    def fit(self, interactions: Interactions) -> Self:
        x = interactions.matrix.copy()
        x.data = np.ones_like(x.data)  # similarity of who touched what; how strongly enters via r_uj
        heavy = np.diff(x.indptr) > self.max_user_items
        if heavy.any():
            x = sp.diags((~heavy).astype(np.float32)) @ x
            x.eliminate_zeros()
        co = x.T @ x  # CSC; the co-occurrence matrix is symmetric, so its CSC arrays are its CSR arrays
        co = sp.csr_matrix((co.data.astype(np.float32, copy=False), co.indices, co.indptr), shape=co.shape)
        # few, in-place passes over the co-occurrence arrays: on large catalogues they hold tens of millions
        # of entries and every fresh array costs page faults
        rows = np.repeat(np.arange(co.shape[0], dtype=np.int32), np.diff(co.indptr))
        norms = np.sqrt(np.asarray(x.sum(axis=0)).ravel()).astype(np.float32)
        denominator = norms[rows]
        denominator *= norms[co.indices]
        denominator += self.shrink + 1e-12
        co.data /= denominator
        co.data[rows == co.indices] = 0.0  # an item is not its own neighbour
        del rows, denominator
        self._set_similarity(_keep_top_k(co, self.k))
        self._train = interactions
        return self

    def _set_similarity(self, sim: sp.csr_matrix) -> None:
        self._sim = sim
        self._sim_t = sim.T.tocsr()
        # small catalogues (a live room's products) also keep dense copies for the one-viewer path
        small = sim.shape[0] <= _DENSE_MAX_ITEMS
        self._dense = sim.toarray() if small else None
        self._dense_t = np.ascontiguousarray(self._dense.T) if self._dense is not None else None
        self._fan_out = np.diff(sim.indptr)  # neighbours of each item
        self._fan_in = np.diff(self._sim_t.indptr)  # items that list each item as a neighbour

    def _score_histories(self, histories: sp.csr_matrix, items: np.ndarray | None) -> np.ndarray:
        if histories.shape[0] == 1:
            return self._score_one(histories, items)
        h = sp.csr_matrix(histories, dtype=np.float32)
        touched = h.copy()
        touched.data = np.ones_like(touched.data)
        num = np.asarray((h @ self._sim_t).todense(), dtype=np.float32)
        den = np.asarray((touched @ self._sim_t).todense(), dtype=np.float32)
        if items is not None:
            num, den = num[:, items], den[:, items]
        den += self.damping
        with np.errstate(invalid="ignore", divide="ignore"):
            scores = np.where(den > 0, num / den, 0.0)
        return scores.astype(np.float32, copy=False)

    def _score_one(self, history: sp.csr_matrix, items: np.ndarray | None) -> np.ndarray:
        """One viewer (the serving path): the batch path's sums, computed the cheapest way. On a small
        catalogue (a live room's products, MovieLens) from the dense similarity rows of the shorter
        side, the history's items or the candidates, in one BLAS call; otherwise with numpy on the
        CSR arrays. scipy's per-call overhead (~40 us per sparse matrix built) would cost more than
        the arithmetic here."""
        n = self.interactions.n_items
        lo, hi = history.indptr[0], history.indptr[1]
        hist_idx, hist_val = history.indices[lo:hi], history.data[lo:hi].astype(np.float32)
        if self._dense is not None:
            if items is None or len(hist_idx) <= len(items):
                weights = np.stack([hist_val, np.ones_like(hist_val)])  # (ratings, touched)
                sums = weights @ self._dense_t[hist_idx]
                num, den = (sums[0], sums[1]) if items is None else (sums[0, items], sums[1, items])
            else:
                signals = np.zeros((n, 2), np.float32)
                signals[hist_idx, 0] = hist_val
                signals[hist_idx, 1] = 1.0
                sums = self._dense[items] @ signals
                num, den = sums[:, 0], sums[:, 1]
        elif items is not None and int(self._fan_out[items].sum()) < int(self._fan_in[hist_idx].sum()):
            owner, cols, sims = _entries(self._sim, items)
            ratings = np.zeros(n, np.float32)
            ratings[hist_idx] = hist_val
            r = ratings[cols]
            num = np.bincount(owner, weights=sims * r, minlength=len(items))
            den = np.bincount(owner, weights=sims * (r != 0), minlength=len(items))
        else:
            owner, cols, sims = _entries(self._sim_t, hist_idx)
            num = np.bincount(cols, weights=hist_val[owner] * sims, minlength=n)
            den = np.bincount(cols, weights=sims, minlength=n)
            if items is not None:
                num, den = num[items], den[items]
        den = den + self.damping
        with np.errstate(invalid="ignore", divide="ignore"):
            scores = np.where(den > 0, num / den, 0.0)
        return scores.astype(np.float32)[None, :]

    def _similar(self, item_idx: np.ndarray, items: np.ndarray | None) -> np.ndarray:
        rows = np.asarray(self._sim[item_idx].todense(), dtype=np.float32)
        return rows if items is None else rows[:, items]

    def _arrays(self) -> dict[str, np.ndarray]:
        return {"sim_indptr": self._sim.indptr, "sim_indices": self._sim.indices, "sim_data": self._sim.data}

    def _restore(self, arrays: Mapping[str, np.ndarray], state: Mapping[str, Any]) -> None:
        n = self.interactions.n_items
        self._set_similarity(
            sp.csr_matrix((arrays["sim_data"], arrays["sim_indices"], arrays["sim_indptr"]), shape=(n, n))
        )


def _keep_top_k(m: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Each row's k largest entries (by absolute value); only rows longer than k are touched."""
    counts = np.diff(m.indptr)
    keep = np.ones(m.nnz, dtype=bool)
    for row in np.flatnonzero(counts > k):
        lo, hi = m.indptr[row], m.indptr[row + 1]
        drop = np.argpartition(-np.abs(m.data[lo:hi]), k - 1)[k:]
        keep[lo + drop] = False
    indptr = np.r_[0, np.cumsum(np.minimum(counts, k))]
    out = sp.csr_matrix((m.data[keep], m.indices[keep], indptr), shape=m.shape)
    out.eliminate_zeros()  # the zeroed diagonal, where a row had fewer than k other entries
    return out


def _entries(m: sp.csr_matrix, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(position in `rows`, column, value) of every stored entry of the given rows, as flat arrays."""
    starts = m.indptr[rows]
    lens = m.indptr[rows + 1] - starts
    owner = np.repeat(np.arange(len(rows)), lens)
    pos = np.arange(int(lens.sum())) - np.repeat(np.cumsum(lens) - lens - starts, lens)
    return owner, m.indices[pos], m.data[pos]
