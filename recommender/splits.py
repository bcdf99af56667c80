"""The two evaluation protocols' splits, exactly as issue 5 defines them (so numbers compare across tools).

- `random_holdout` (protocol `random8020`): `key = numpy.random.default_rng(seed).random(N)`, one value per
  line in file order; within each user the lines are ordered by key and the first
  `clip(floor(0.2 * n + 0.5), 1, n - 1)` are held out. A user with a single line keeps it in train.
- `leave_last_out`: per user, lines ordered by timestamp (file order breaks ties); the last is test, the
  one before it validation, the rest train; users with fewer than 3 lines stay in train.
"""

from __future__ import annotations

import numpy as np

TRAIN, VALIDATION, TEST = 0, 1, 2


def _codes(users: np.ndarray) -> np.ndarray:
    _, inverse = np.unique(np.asarray(users), return_inverse=True)
    return inverse.reshape(-1).astype(np.int64)


def holdout_count(n: np.ndarray, fraction: float = 0.2) -> np.ndarray:
    """clip(floor(fraction * n + 0.5), 1, n - 1) with numpy's clip semantics (n == 1 gives 0)."""
    n = np.asarray(n, dtype=np.int64)
    return np.minimum(np.maximum(np.floor(fraction * n + 0.5).astype(np.int64), 1), n - 1)


def random_holdout(users: np.ndarray, seed: int = 42, fraction: float = 0.2) -> np.ndarray:
    """Boolean per line (file order): True where the line is held out."""
    n_lines = len(users)
    key = np.random.default_rng(seed).random(n_lines)
    codes = _codes(users)
    order = np.lexsort((key, codes))  # by user, then by key
    sorted_codes = codes[order]
    counts = np.bincount(codes)
    group_start = np.zeros(len(counts), np.int64)
    np.cumsum(counts[:-1], out=group_start[1:])
    rank = np.arange(n_lines) - group_start[sorted_codes]
    held = np.zeros(n_lines, dtype=bool)
    held[order] = rank < holdout_count(counts)[sorted_codes]
    return held


def leave_last_out(users: np.ndarray, timestamps: np.ndarray) -> np.ndarray:
    """Role per line (file order): TRAIN, VALIDATION or TEST."""
    n_lines = len(users)
    codes = _codes(users)
    order = np.lexsort((np.arange(n_lines), np.asarray(timestamps, np.float64), codes))
    sorted_codes = codes[order]
    counts = np.bincount(codes)
    group_end = np.cumsum(counts)
    from_end = group_end[sorted_codes] - 1 - np.arange(n_lines)  # 0 for a user's last line
    evaluated = counts[sorted_codes] >= 3
    role_sorted = np.full(n_lines, TRAIN, dtype=np.int8)
    role_sorted[evaluated & (from_end == 0)] = TEST
    role_sorted[evaluated & (from_end == 1)] = VALIDATION
    role = np.empty(n_lines, dtype=np.int8)
    role[order] = role_sorted
    return role
