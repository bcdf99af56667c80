"""Top-k ranking metrics, with issue 5's definitions.

For a user with held-out set T and a ranked list (i_1..i_k), rel_j = [i_j in T]:
- precision@k = hits / k;  recall@k = hits / |T|;  HR@k = [hits > 0]
- NDCG@k = sum_j rel_j / log2(j + 1) divided by the ideal sum over the first min(k, |T|) positions
- MAP@k = mean over users of sum_j P@j * rel_j / min(k, |T|)
- coverage@k = distinct items in all top-k lists / items in the catalogue
Averages run over users with a non-empty T.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from recommender.interactions import Events, Interactions


@dataclass(frozen=True, eq=False)
class Truth:
    """Held-out items per evaluated user, over a training matrix's dense indices.

    `users`: dense user indices (rows of the training matrix); `items`: CSR (len(users) x n_items) of the
    held-out items the model could know; `sizes`: |T| per user, counting held-out items the training data
    has never seen (they can never be hit, but they are part of T).
    """

    users: np.ndarray
    items: sp.csr_matrix
    sizes: np.ndarray

    def __len__(self) -> int:
        return len(self.users)

    @classmethod
    def from_events(cls, held_out: Events, train: Interactions) -> Truth:
        """T_u = u's held-out items minus u's training items (ranking excludes those, so they could never
        count); users unknown to the training data, or with an empty T, are not evaluated."""
        u = train.users.indices(held_out.users.tolist(), missing="mask")
        i = train.items.indices(held_out.items.tolist(), missing="mask")
        raw_items = held_out.items
        keep_user = u >= 0
        u, i, raw_items = u[keep_user], i[keep_user], raw_items[keep_user]
        # distinct (user, raw item) pairs: a product viewed twice in the held-out part is one relevant item
        _, item_codes = np.unique(raw_items, return_inverse=True) if len(raw_items) else (None, np.zeros(0))
        item_codes = np.asarray(item_codes, np.int64).reshape(-1)
        pair = u * (int(item_codes.max(initial=0)) + 1) + item_codes
        _, first = np.unique(pair, return_index=True)
        u, i = u[first], i[first]
        # drop pairs already in training (known items are excluded from every ranking)
        known = i >= 0
        in_train = np.zeros(len(u), dtype=bool)
        if known.any():
            m = train.matrix
            n_items = np.int64(train.n_items)
            train_keys = np.repeat(np.arange(train.n_users, dtype=np.int64), np.diff(m.indptr)) * n_items
            train_keys += m.indices
            in_train[known] = np.isin(u[known] * n_items + i[known], train_keys)
        u, i = u[~in_train], i[~in_train]
        users = np.unique(u)
        row = np.searchsorted(users, u)
        sizes = np.bincount(row, minlength=len(users)).astype(np.int64)
        k_row, k_col = row[i >= 0], i[i >= 0]
        items = sp.csr_matrix(
            (np.ones(len(k_row), np.float32), (k_row, k_col)), shape=(len(users), train.n_items)
        )
        items.sum_duplicates()
        return cls(users, items, sizes)

    def subset(self, rows: np.ndarray) -> Truth:
        return Truth(self.users[rows], self.items[rows], self.sizes[rows])


def relevance(top: np.ndarray, truth: Truth) -> np.ndarray:
    """Boolean (n_users, k): is the j-th recommended item (dense index, -1 = padding) held out?"""
    n_items = truth.items.shape[1]
    rows = np.repeat(np.arange(len(truth)), np.diff(truth.items.indptr))
    truth_keys = rows * (n_items + 1) + truth.items.indices
    top_keys = np.arange(len(truth))[:, None] * (n_items + 1) + top
    rel = np.isin(top_keys, truth_keys)
    return rel & (top >= 0)


def ranking_metrics(top: np.ndarray, truth: Truth, k: int, n_items: int) -> dict[str, float]:
    """The six metrics for ranked lists `top` (n_users x >=k dense item indices, rows aligned with truth)."""
    top = np.asarray(top)[:, :k]
    if top.shape[1] < k:  # fewer rankable items than k: the missing slots are misses
        top = np.hstack([top, np.full((top.shape[0], k - top.shape[1]), -1, top.dtype)])
    rel = relevance(top, truth).astype(np.float64)
    sizes = truth.sizes.astype(np.float64)
    hits = rel.sum(axis=1)
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    ideal_len = np.minimum(k, truth.sizes)
    ideal = np.cumsum(discount)[ideal_len - 1]
    ndcg = (rel * discount).sum(axis=1) / ideal
    precision_at = np.cumsum(rel, axis=1) / np.arange(1, k + 1)
    ap = (precision_at * rel).sum(axis=1) / ideal_len
    shown = top[top >= 0]
    n_users = max(len(truth), 1)
    return {
        f"precision@{k}": float(hits.sum() / (k * n_users)) if len(truth) else 0.0,
        f"recall@{k}": float((hits / sizes).mean()) if len(truth) else 0.0,
        f"ndcg@{k}": float(ndcg.mean()) if len(truth) else 0.0,
        f"map@{k}": float(ap.mean()) if len(truth) else 0.0,
        f"hr@{k}": float((hits > 0).mean()) if len(truth) else 0.0,
        f"coverage@{k}": float(len(np.unique(shown)) / n_items) if n_items else 0.0,
    }


def ndcg(top: np.ndarray, truth: Truth, k: int) -> float:
    """Mean NDCG@k alone (what hyper-parameter search optimises)."""
    top = np.asarray(top)[:, :k]
    if not len(truth):
        return 0.0
    rel = relevance(top, truth).astype(np.float64)
    discount = 1.0 / np.log2(np.arange(2, top.shape[1] + 2))
    ideal = np.cumsum(1.0 / np.log2(np.arange(2, k + 2)))[np.minimum(k, truth.sizes) - 1]
    return float(((rel * discount).sum(axis=1) / ideal).mean())
