"""The deep model: a two-tower softmax recommender trained on -log p(item | user) in TensorFlow.

User tower: the viewer's history as an L2-normalised bag of items -> input item embeddings summed ->
tanh, i.e. u = tanh(x_u W_in + b). Item tower: an output embedding and a bias per item. Score
s(u, i) = u . v_i + b_i, and p(i | u) = softmax over items.

Training (TensorFlow, imported only inside `fit`): per step a batch of users; each user's items are split
at random into an input part and dropped items, and up to `targets_per_user` dropped items are the
targets (predicting what a viewer will pick from what they already picked, which is the serving task).
The softmax runs over the batch's targets (in-batch negatives), with the user's other positives masked,
and every logit is corrected by -log Q(i), Q the item's chance of being an in-batch candidate
(proportional to its popularity). Without the logQ correction, popular items are over-sampled as
negatives and the model learns to avoid them: measured here, it then scores below popularity.

Serving is numpy only: the trained weights are exported as arrays, user vectors are computed from a
history bag in numpy, so a viewer's fold-in is one sparse row times the input embeddings, and the bot
never loads TensorFlow. The number of epochs is chosen on a validation split (`fit(..., validation=)`,
early stopping) and the chosen count is reused for the final fit.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any, Self

import numpy as np
import scipy.sparse as sp

from recommender.base import Recommender, mask_rows, top_n
from recommender.interactions import Interactions
from recommender.metrics import Truth, ndcg


def _normalised_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Each history row scaled to unit L2 norm (a heavy user's bag is not a bigger vector)."""
    m = sp.csr_matrix(matrix, dtype=np.float32, copy=True)
    sq = np.asarray(m.multiply(m).sum(axis=1)).ravel()
    scale = 1.0 / np.sqrt(np.maximum(sq, 1e-12))
    m.data *= np.repeat(scale, np.diff(m.indptr)).astype(np.float32)
    return m


class TwoTower(Recommender):
    name = "two_tower"
    early_stopping = True

    def __init__(
        self,
        dim: int = 128,
        epochs: int = 200,
        batch_users: int = 128,
        targets_per_user: int = 16,
        input_dropout: float = 0.5,
        learning_rate: float = 3e-3,
        logq: bool = True,
        eval_every: int = 10,
        patience: int = 3,
        max_steps: int = 10_000,
        seed: int = 0,
        progress: bool = False,
    ) -> None:
        """`epochs` is the most epochs; with `validation` the best epoch found is kept (`best_epoch_`).
        `max_steps` caps epochs * steps-per-epoch so a large dataset stays trainable on a CPU."""
        super().__init__()
        self.dim = int(dim)
        self.epochs = int(epochs)
        self.batch_users = int(batch_users)
        self.targets_per_user = int(targets_per_user)
        self.input_dropout = float(input_dropout)
        self.learning_rate = float(learning_rate)
        self.logq = bool(logq)
        self.eval_every = int(eval_every)
        self.patience = int(patience)
        self.max_steps = int(max_steps)
        self.seed = int(seed)
        self.progress = bool(progress)
        self.best_epoch_: int | None = None
        self.validation_ndcg_: float | None = None
        self.in_embeddings = np.zeros((0, self.dim), np.float32)
        self.in_bias = np.zeros(self.dim, np.float32)
        self.item_embeddings = np.zeros((0, self.dim), np.float32)
        self.item_bias = np.zeros(0, np.float32)
        self.user_vectors = np.zeros((0, self.dim), np.float32)

    def get_config(self) -> dict[str, Any]:
        return {
            "dim": self.dim,
            "epochs": self.epochs,
            "batch_users": self.batch_users,
            "targets_per_user": self.targets_per_user,
            "input_dropout": self.input_dropout,
            "learning_rate": self.learning_rate,
            "logq": self.logq,
            "eval_every": self.eval_every,
            "patience": self.patience,
            "max_steps": self.max_steps,
            "seed": self.seed,
        }

    # -- training (the only place TensorFlow is imported) -----------------------------------------
    def fit(self, interactions: Interactions, *, validation: Truth | None = None, k: int = 10) -> Self:
        import tensorflow as tf  # lazily: serving and the bot process never load TensorFlow

        self._train = interactions
        matrix = sp.csr_matrix(interactions.matrix, dtype=np.float32)
        matrix.sort_indices()
        n_items = matrix.shape[1]
        rng = np.random.default_rng(self.seed)
        d = self.dim
        w_in = tf.Variable((rng.standard_normal((n_items, d)) * 0.01).astype(np.float32))
        b_in = tf.Variable(np.zeros(d, np.float32))
        w_out = tf.Variable((rng.standard_normal((n_items, d)) * 0.01).astype(np.float32))
        b_out = tf.Variable(np.zeros(n_items, np.float32))
        variables = [w_in, b_in, w_out, b_out]
        optimizer = tf.keras.optimizers.Adam(self.learning_rate)
        popularity = np.diff(matrix.tocsc().indptr).astype(np.float64)
        log_q = np.log(np.maximum(popularity, 1.0) / max(popularity.sum(), 1.0)).astype(np.float32)
        if not self.logq:
            log_q[:] = 0.0

        @tf.function(reduce_retracing=True)
        def train_step(in_rows, in_cols, in_vals, n_rows, t_rows, cand, t_pos, cand_log_q, positives):
            with tf.GradientTape() as tape:
                bag = tf.gather(w_in, in_cols) * in_vals[:, None]
                user = tf.tanh(tf.math.unsorted_segment_sum(bag, in_rows, n_rows) + b_in)
                logits = tf.matmul(user, tf.gather(w_out, cand), transpose_b=True) + tf.gather(b_out, cand)
                logits -= cand_log_q  # logQ correction for in-batch sampling
                is_positive = tf.scatter_nd(positives, tf.ones(tf.shape(positives)[0]), tf.shape(logits)) > 0
                per_target = tf.gather(logits, t_rows)
                own = tf.one_hot(t_pos, tf.shape(cand)[0]) > 0
                # the user's other items are not negatives for this target
                per_target = tf.where(tf.gather(is_positive, t_rows) & ~own, -1e9, per_target)
                loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(t_pos, per_target))
            optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
            return loss

        active = np.flatnonzero(np.diff(matrix.indptr) > 0)
        steps_per_epoch = max(1, -(-len(active) // self.batch_users))
        max_epochs = max(1, min(self.epochs, self.max_steps // steps_per_epoch))
        best = (-1.0, 0, None)
        stale = 0
        bar = None
        if self.progress:
            from tqdm import tqdm

            bar = tqdm(total=max_epochs, desc="two_tower epochs", leave=False, file=sys.stderr)
        for epoch in range(1, max_epochs + 1):
            order = rng.permutation(active)
            for start in range(0, len(order), self.batch_users):
                batch = self._batch(matrix, order[start : start + self.batch_users], rng, log_q)
                if batch is not None:
                    train_step(*batch)
            if bar is not None:
                bar.update(1)
            if validation is not None and (epoch % self.eval_every == 0 or epoch == max_epochs):
                self._export(variables, matrix)
                score = self._validate(validation, k)
                if bar is not None:
                    bar.set_postfix(epoch=epoch, val_ndcg=f"{score:.4f}")
                if score > best[0]:
                    best = (score, epoch, [v.numpy().copy() for v in variables])
                    stale = 0
                else:
                    stale += 1
                    if stale >= self.patience:
                        break
        if bar is not None:
            bar.close()
        if validation is not None and best[2] is not None:
            for var, value in zip(variables, best[2], strict=True):
                var.assign(value)
            self.best_epoch_, self.validation_ndcg_ = best[1], best[0]
        else:
            self.best_epoch_, self.validation_ndcg_ = max_epochs, None
        self._export(variables, matrix)
        return self

    def _batch(
        self, matrix: sp.csr_matrix, users: np.ndarray, rng: np.random.Generator, log_q: np.ndarray
    ) -> tuple[np.ndarray, ...] | None:
        """Numpy side of one step: split each user's items into input and targets, build candidates."""
        starts = matrix.indptr[users]
        lens = matrix.indptr[users + 1] - starts
        rows = np.repeat(np.arange(len(users)), lens)
        offsets = np.arange(lens.sum()) - np.repeat(np.cumsum(lens) - lens, lens)
        src = np.repeat(starts, lens) + offsets
        cols, vals = matrix.indices[src], matrix.data[src]
        dropped = rng.random(len(cols)) < self.input_dropout
        in_rows, in_cols, in_vals = rows[~dropped], cols[~dropped], vals[~dropped]
        norm = np.bincount(in_rows, weights=in_vals.astype(np.float64) ** 2, minlength=len(users))
        in_vals = (in_vals / np.sqrt(np.maximum(norm[in_rows], 1e-12))).astype(np.float32)
        t_rows, t_cols = rows[dropped], cols[dropped]
        if not len(t_rows):
            return None
        shuffle = np.lexsort((rng.random(len(t_rows)), t_rows))
        t_rows, t_cols = t_rows[shuffle], t_cols[shuffle]
        rank = np.arange(len(t_rows)) - np.searchsorted(t_rows, t_rows)
        keep = rank < self.targets_per_user
        t_rows, t_cols = t_rows[keep], t_cols[keep]
        cand, t_pos = np.unique(t_cols, return_inverse=True)
        where = np.minimum(np.searchsorted(cand, cols), len(cand) - 1)
        hit = cand[where] == cols
        positives = np.stack([rows[hit], where[hit]], axis=1).astype(np.int32)
        return (
            in_rows.astype(np.int32),
            in_cols.astype(np.int32),
            in_vals,
            np.int32(len(users)),
            t_rows.astype(np.int32),
            cand.astype(np.int32),
            t_pos.reshape(-1).astype(np.int32),
            log_q[cand],
            positives,
        )

    def _export(self, variables: list[Any], matrix: sp.csr_matrix) -> None:
        w_in, b_in, w_out, b_out = (v.numpy().astype(np.float32) for v in variables)
        self.in_embeddings, self.in_bias, self.item_embeddings, self.item_bias = w_in, b_in, w_out, b_out
        self.user_vectors = self._tower(matrix)

    def _validate(self, truth: Truth, k: int, max_users: int = 5000) -> float:
        """Validation NDCG@k (on at most `max_users` users, in blocks of about 4M scores)."""
        if len(truth) > max_users:
            truth = truth.subset(
                np.sort(np.random.default_rng(self.seed).choice(len(truth), max_users, False))
            )
        batch = int(np.clip((1 << 22) // max(self.interactions.n_items, 1), 16, 1024))
        tops = []
        for start in range(0, len(truth), batch):
            users = truth.users[start : start + batch]
            scores = self._score_users(users, None)
            mask_rows(scores, self.interactions.rows(users), None)
            top, vals = top_n(scores, k)
            tops.append(np.where(np.isfinite(vals), top, -1))
        return ndcg(np.vstack(tops), truth, k) if tops else 0.0

    # -- serving (numpy) ----------------------------------------------------------------------------
    def _tower(self, histories: sp.csr_matrix) -> np.ndarray:
        bag = _normalised_rows(histories)
        return np.tanh(np.asarray(bag @ self.in_embeddings) + self.in_bias).astype(np.float32)

    def user_vector(self, history: Mapping[Any, float] | list[Any]) -> np.ndarray:
        """Fold-in: a viewer's vector from raw item ids (-> weights), in numpy."""
        hist = self.interactions.history(dict(history) if isinstance(history, Mapping) else list(history))
        return self._tower(hist)[0]

    def _scores(self, vectors: np.ndarray, items: np.ndarray | None) -> np.ndarray:
        if items is None:
            return vectors @ self.item_embeddings.T + self.item_bias
        return vectors @ self.item_embeddings[items].T + self.item_bias[items]

    def _score_users(self, users: np.ndarray, items: np.ndarray | None) -> np.ndarray:
        return self._scores(self.user_vectors[users], items)

    def _score_histories(self, histories: sp.csr_matrix, items: np.ndarray | None) -> np.ndarray:
        return self._scores(self._tower(histories), items)

    def _similar(self, item_idx: np.ndarray, items: np.ndarray | None) -> np.ndarray:
        emb = self.item_embeddings / (np.linalg.norm(self.item_embeddings, axis=1, keepdims=True) + 1e-12)
        table = emb if items is None else emb[items]
        return emb[item_idx] @ table.T

    def _arrays(self) -> dict[str, np.ndarray]:
        return {
            "in_embeddings": self.in_embeddings,
            "in_bias": self.in_bias,
            "item_embeddings": self.item_embeddings,
            "item_bias": self.item_bias,
            "user_vectors": self.user_vectors,
        }

    def _state(self) -> dict[str, Any]:
        return {"best_epoch": self.best_epoch_, "validation_ndcg": self.validation_ndcg_}

    def _restore(self, arrays: Mapping[str, np.ndarray], state: Mapping[str, Any]) -> None:
        self.in_embeddings = arrays["in_embeddings"]
        self.in_bias = arrays["in_bias"]
        self.item_embeddings = arrays["item_embeddings"]
        self.item_bias = arrays["item_bias"]
        self.user_vectors = arrays["user_vectors"]
        self.best_epoch_ = state.get("best_epoch")
        self.validation_ndcg_ = state.get("validation_ndcg")
