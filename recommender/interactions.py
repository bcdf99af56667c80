"""Id maps, the event log and the interaction matrix every model fits on.

Raw ids (viewer ids, product ids, MovieLens ids as read from a file) stop here: models only ever see the
dense indices of an `Interactions` matrix, and `IdMap` translates at the edges.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import scipy.sparse as sp

RawId = str | int
Missing = Literal["raise", "drop", "mask"]


def as_id_array(raw: Sequence[RawId] | np.ndarray) -> np.ndarray:
    """Integers stay int64; anything else becomes a unicode array (never an object array: no pickle)."""
    arr = np.asarray(raw)
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64, copy=False)
    if arr.dtype.kind == "U":
        return arr
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in arr.tolist()):
        return arr.astype(np.int64)
    return arr.astype(str)


class IdMap:
    """Raw ids <-> dense indices 0..n-1, in the order given (first-seen order when built from a column)."""

    __slots__ = ("_ids", "_index")

    def __init__(self, ids: Sequence[RawId] | np.ndarray) -> None:
        arr = as_id_array(ids)
        arr.setflags(write=False)
        self._ids = arr
        self._index: dict[RawId, int] = {v: i for i, v in enumerate(arr.tolist())}
        if len(self._index) != len(arr):
            raise ValueError("IdMap ids must be unique")

    @classmethod
    def encode(cls, column: Sequence[RawId] | np.ndarray) -> tuple[IdMap, np.ndarray]:
        """The map of a raw column (first-seen order) and the column's dense codes, vectorised."""
        arr = as_id_array(column)
        if arr.size == 0:
            return cls(arr), np.zeros(0, dtype=np.int64)
        uniq, first, inverse = np.unique(arr, return_index=True, return_inverse=True)
        order = np.argsort(first, kind="stable")
        rank = np.empty(len(uniq), dtype=np.int64)
        rank[order] = np.arange(len(uniq))
        return cls(uniq[order]), rank[inverse.reshape(-1)]

    @property
    def ids(self) -> np.ndarray:
        """index -> raw id (read-only)."""
        return self._ids

    @property
    def pad(self) -> RawId:
        """The id used for padding in batch results (its score is -inf): -1 for integer ids, '' for text."""
        return -1 if self._ids.dtype.kind == "i" else ""

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, raw: object) -> bool:
        return raw in self._index

    def index(self, raw: RawId) -> int:
        return self._index[raw]

    def indices(self, raws: Iterable[RawId], missing: Missing = "raise") -> np.ndarray:
        """Dense indices of `raws`; unknown ids raise (naming them), are dropped, or become -1."""
        raws = list(raws)
        get = self._index.get
        out = [get(r, -1) for r in raws]
        arr = np.asarray(out, dtype=np.int64)
        if missing == "mask" or not (arr < 0).any():
            return arr
        if missing == "drop":
            return arr[arr >= 0]
        unknown = [r for r, i in zip(raws, out, strict=True) if i < 0][:10]
        raise KeyError(f"unknown ids: {unknown!r}")

    def raw(self, indices: np.ndarray) -> np.ndarray:
        """Raw ids of dense indices; -1 becomes `pad`."""
        idx = np.asarray(indices, dtype=np.int64)
        out = (
            self._ids[np.where(idx >= 0, idx, 0)] if len(self._ids) else np.zeros(idx.shape, self._ids.dtype)
        )
        if (idx < 0).any():
            out = out.copy()
            out[idx < 0] = self.pad
        return out


@dataclass(frozen=True, eq=False)
class BadRow:
    """A line of an interaction file that was skipped, and why."""

    line: int
    reason: str
    text: str

    def __str__(self) -> str:
        excerpt = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        return f"line {self.line}: {self.reason}: {excerpt!r}"


@dataclass(frozen=True, eq=False)
class Events:
    """The signal log: one entry per interaction line, in file order (raw ids, not yet mapped)."""

    users: np.ndarray
    items: np.ndarray
    timestamps: np.ndarray  # float64 seconds
    weights: np.ndarray  # float32, > 0
    lines: np.ndarray  # int64 source line numbers (1-based), 0 when not read from a file
    bad_rows: tuple[BadRow, ...] = field(default=())

    @classmethod
    def from_columns(
        cls,
        users: Sequence[RawId] | np.ndarray,
        items: Sequence[RawId] | np.ndarray,
        timestamps: Sequence[float] | np.ndarray | None = None,
        weights: Sequence[float] | np.ndarray | None = None,
    ) -> Events:
        n = len(users)
        if len(items) != n:
            raise ValueError("users and items differ in length")
        ts = np.arange(n, dtype=np.float64) if timestamps is None else np.asarray(timestamps, np.float64)
        w = np.ones(n, np.float32) if weights is None else np.asarray(weights, np.float32)
        return cls(as_id_array(users), as_id_array(items), ts, w, np.zeros(n, np.int64))

    def __len__(self) -> int:
        return len(self.users)

    def take(self, selector: np.ndarray) -> Events:
        """The events at a boolean mask or index array, file order kept."""
        return Events(
            self.users[selector],
            self.items[selector],
            self.timestamps[selector],
            self.weights[selector],
            self.lines[selector],
        )


@dataclass(frozen=True, eq=False)
class Interactions:
    """A users x items CSR matrix over dense indices (float32 summed weights) plus its two id maps.

    `last_seen` (optional, aligned with `matrix.data`) is the latest timestamp of each user-item pair, for
    models that look at time (popularity per window).
    """

    matrix: sp.csr_matrix
    users: IdMap
    items: IdMap
    last_seen: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.matrix.shape != (len(self.users), len(self.items)):
            raise ValueError(
                f"matrix shape {self.matrix.shape} != maps ({len(self.users)}, {len(self.items)})"
            )

    @classmethod
    def from_events(
        cls,
        events: Events,
        *,
        binary: bool = False,
        users: IdMap | None = None,
        items: IdMap | None = None,
    ) -> Interactions:
        """Duplicate (user, item) lines add up (`binary`: every line counts 1 and a pair is 1 or absent).

        With maps given, events whose user or item is not in them are dropped (e.g. scoring a held-out
        split against the training maps); otherwise the maps are built in first-seen order.
        """
        if users is None:
            users, u = IdMap.encode(events.users)
        else:
            u = users.indices(events.users.tolist(), missing="mask")
        if items is None:
            items, i = IdMap.encode(events.items)
        else:
            i = items.indices(events.items.tolist(), missing="mask")
        keep = (u >= 0) & (i >= 0)
        u, i = u[keep], i[keep]
        w = np.ones(len(u), np.float32) if binary else events.weights[keep].astype(np.float32)
        ts = events.timestamps[keep]
        return cls.from_indices(u, i, w, ts, users=users, items=items, binary=binary)

    @classmethod
    def from_indices(
        cls,
        user_idx: np.ndarray,
        item_idx: np.ndarray,
        weights: np.ndarray | None,
        timestamps: np.ndarray | None,
        *,
        users: IdMap,
        items: IdMap,
        binary: bool = False,
    ) -> Interactions:
        n_u, n_i = len(users), len(items)
        u = np.asarray(user_idx, np.int64)
        i = np.asarray(item_idx, np.int64)
        w = np.ones(len(u), np.float32) if weights is None else np.asarray(weights, np.float32)
        # one sort gives both the CSR layout and the per-pair aggregation (sum of weights, latest time)
        key = u * n_i + i
        order = np.argsort(key, kind="stable")
        key_s = key[order]
        starts = np.flatnonzero(np.r_[True, key_s[1:] != key_s[:-1]]) if len(key_s) else np.zeros(0, np.int64)
        pair = key_s[starts]
        data = np.add.reduceat(w[order], starts) if len(starts) else np.zeros(0, np.float32)
        if binary:
            data = np.ones(len(pair), np.float32)
        last = None
        if timestamps is not None:
            ts = np.asarray(timestamps, np.float64)[order]
            last = np.maximum.reduceat(ts, starts) if len(starts) else np.zeros(0, np.float64)
        rows = pair // n_i if n_i else pair
        cols = pair % n_i if n_i else pair
        indptr = np.zeros(n_u + 1, np.int64)
        np.cumsum(np.bincount(rows, minlength=n_u), out=indptr[1:])
        matrix = sp.csr_matrix((data.astype(np.float32), cols.astype(np.int32), indptr), shape=(n_u, n_i))
        return cls(matrix, users, items, last)

    @property
    def n_users(self) -> int:
        return self.matrix.shape[0]

    @property
    def n_items(self) -> int:
        return self.matrix.shape[1]

    @property
    def nnz(self) -> int:
        return int(self.matrix.nnz)

    def rows(self, users: np.ndarray) -> sp.csr_matrix:
        """The CSR rows of `users` (dense indices), built directly from the arrays (scipy's fancy
        row indexing costs more than the serving budget allows)."""
        return csr_rows(self.matrix, users)

    def history(self, item_weights: dict[RawId, float] | Sequence[RawId]) -> sp.csr_matrix:
        """One CSR row (1 x n_items) of a raw-id history; unknown items are ignored, repeats add up."""
        if isinstance(item_weights, dict):
            raws, vals = list(item_weights.keys()), list(item_weights.values())
        else:
            raws, vals = list(item_weights), [1.0] * len(item_weights)
        idx = self.items.indices(raws, missing="mask")
        keep = idx >= 0
        idx = idx[keep]
        w = np.asarray(vals, np.float32)[keep] if len(vals) else np.zeros(0, np.float32)
        m = sp.csr_matrix((w, (np.zeros(len(idx), np.int64), idx)), shape=(1, self.n_items))
        m.sum_duplicates()
        return m


def csr_rows(matrix: sp.csr_matrix, rows: np.ndarray) -> sp.csr_matrix:
    """`matrix[rows]` for a CSR matrix without scipy's indexing overhead (rows may repeat)."""
    rows = np.asarray(rows, np.int64)
    indptr = matrix.indptr
    starts = indptr[rows]
    lens = indptr[rows + 1] - starts
    new_ptr = np.zeros(len(rows) + 1, np.int64)
    np.cumsum(lens, out=new_ptr[1:])
    total = int(new_ptr[-1])
    if len(rows) == 1:
        sel = slice(int(starts[0]), int(starts[0]) + total)
        idx, data = matrix.indices[sel], matrix.data[sel]
    else:
        pos = np.arange(total, dtype=np.int64) - np.repeat(new_ptr[:-1] - starts, lens)
        idx, data = matrix.indices[pos], matrix.data[pos]
    return sp.csr_matrix((data, idx, new_ptr), shape=(len(rows), matrix.shape[1]))
