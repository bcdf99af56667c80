"""A learned "is this a shop question?" detector beside the rules: hashed character n-grams + logistic
regression in numpy (trains in seconds on 2 cores; no model download; predicts in microseconds).

Rules decide what a message asks; this model decides whether a message that no rule could answer is a
shopper's question at all. It keeps the streamer's queue free of stream chatter ("这是什么游戏", "what time is
it there") and vetoes weak FAQ matches on such chatter. Training data (see docs/qa.md): real live chat from
../shared/data/livestream_chat as non-questions, real product questions from ../shared/data/product_qa, and
the examples livebot ships in bot/data/question_examples.tsv. The public datasets are research-only, so the
weights are trained on the user's machine (`livebot train question-detector`), never shipped.
"""

from __future__ import annotations

import csv
import gzip
import json
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from bot.qa.text import normalize

N_FEATURES = 2**18
VERSION = 1


def features(text: str) -> np.ndarray:
    """Indices of the hashed 1-3 character n-grams of the normalised text (crc32: stable across runs)."""
    norm = f"^{normalize(text)}$"
    grams = {norm[i : i + n] for n in (1, 2, 3) for i in range(len(norm) - n + 1)}
    return np.fromiter((zlib.crc32(g.encode()) % N_FEATURES for g in grams), dtype=np.int64, count=len(grams))


@dataclass
class QuestionDetector:
    weights: np.ndarray
    bias: float
    metrics: dict[str, float]

    def probability(self, text: str) -> float:
        idx = features(text)
        score = float(self.weights[idx].sum()) / max(1.0, np.sqrt(len(idx))) + self.bias
        return float(1.0 / (1.0 + np.exp(-score)))

    def save(self, path: Path) -> None:
        """Written to a temp file then renamed, so a reader never sees half a model."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        np.savez_compressed(tmp, weights=self.weights.astype(np.float32), bias=np.float32(self.bias))
        tmp.replace(path)
        manifest = {"version": VERSION, "created": time.time(), "metrics": self.metrics}
        path.with_suffix(".json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> QuestionDetector:
        with np.load(path, allow_pickle=False) as data:
            weights, bias = data["weights"].astype(np.float32), float(data["bias"])
        if weights.shape != (N_FEATURES,):
            raise ValueError(f"{path}: expected {N_FEATURES} weights, found {weights.shape}")
        manifest_path = path.with_suffix(".json")
        metrics = (
            json.loads(manifest_path.read_text(encoding="utf-8"))["metrics"] if manifest_path.exists() else {}
        )
        return cls(weights, bias, metrics)


def fit(
    texts: Sequence[str],
    labels: Sequence[int],
    epochs: int = 4,
    lr: float = 0.5,
    l2: float = 1e-6,
    seed: int = 0,
) -> QuestionDetector:
    """Logistic regression by AdaGrad over single examples, classes weighted to balance."""
    rng = np.random.default_rng(seed)
    rows = [features(t) for t in texts]
    y = np.asarray(labels, dtype=np.float64)
    positive = max(1.0, y.sum())
    class_weight = {1.0: len(y) / (2 * positive), 0.0: len(y) / (2 * max(1.0, len(y) - positive))}
    weights = np.zeros(N_FEATURES)
    grad_sq = np.full(N_FEATURES, 1e-8)
    bias, bias_sq = 0.0, 1e-8
    for _ in range(epochs):
        for i in rng.permutation(len(rows)):
            idx = rows[i]
            scale = 1.0 / max(1.0, np.sqrt(len(idx)))
            p = 1.0 / (1.0 + np.exp(-(weights[idx].sum() * scale + bias)))
            g = (p - y[i]) * class_weight[y[i]]
            grad = g * scale + l2 * weights[idx]
            grad_sq[idx] += grad * grad
            weights[idx] -= lr * grad / np.sqrt(grad_sq[idx])
            bias_sq += g * g
            bias -= lr * g / np.sqrt(bias_sq)
    return QuestionDetector(weights.astype(np.float32), float(bias), {})


def evaluate(model: QuestionDetector, texts: Sequence[str], labels: Sequence[int]) -> dict[str, float]:
    predicted = np.array([model.probability(t) >= 0.5 for t in texts])
    truth = np.asarray(labels, dtype=bool)
    tp = float((predicted & truth).sum())
    return {
        "accuracy": float((predicted == truth).mean()),
        "precision": tp / max(1.0, float(predicted.sum())),
        "recall": tp / max(1.0, float(truth.sum())),
        "examples": float(len(texts)),
    }


# -- data -----------------------------------------------------------------------------------------
def shipped_examples() -> list[tuple[str, int]]:
    text = resources.files("bot").joinpath("data/question_examples.tsv").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            label, _, message = line.partition("\t")
            rows.append((message, int(label)))
    return rows


def live_chat(data_dir: Path, limit: int) -> Iterable[tuple[str, int]]:
    """Danmaku and YouTube live chat from game and IRL streams: real chat, not shop questions."""
    for name, column in (
        ("bilibili_live_danmaku_20211230.csv", "text"),
        ("youtube_live_chat_2025.csv", "message"),
    ):
        with open(data_dir / "livestream_chat" / name, encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh)):
                if i >= limit:
                    break
                if row.get(column, "").strip():
                    yield row[column], 0


def product_questions(data_dir: Path, limit: int) -> Iterable[tuple[str, int]]:
    """Amazon clothing questions (en) and the customer turns of Taobao service chats (zh)."""
    with gzip.open(data_dir / "product_qa" / "amazon_qa_Clothing_Shoes_and_Jewelry.jsonl.gz", "rt") as fh:
        for i, line in enumerate(fh):
            if i >= limit:
                break
            question = json.loads(line).get("question", "")
            if question:
                yield question, 1
    for name in ("ecd_sample_test.tsv", "ecd_sample_valid.tsv"):
        with open(data_dir / "product_qa" / name, encoding="utf-8") as fh:
            for line in fh:
                turns = line.rstrip("\n").split("\t")[1:-1]
                # Customer turns are the even ones; word-segmented, so the spaces go.
                for turn in turns[::2]:
                    text = turn.replace(" ", "")
                    if len(text) >= 5 and any(m in text for m in "吗呢么?？几多什怎哪"):
                        yield text, 1


def training_data(data_dir: Path | None, per_source: int = 20000) -> list[tuple[str, int]]:
    """Unique (text, label) pairs; a text seen with both labels keeps the first."""
    rows = shipped_examples()
    if data_dir is not None:
        rows += list(live_chat(data_dir, per_source)) + list(product_questions(data_dir, per_source))
    seen: dict[str, int] = {}
    for text, label in rows:
        seen.setdefault(normalize(text), label)
    return list(seen.items())


def train(data_dir: Path | None, seed: int = 0) -> QuestionDetector:
    """Fit on 80%, report metrics on the held-out 20%, then keep the model."""
    rows = training_data(data_dir)
    order = np.random.default_rng(seed).permutation(len(rows))
    cut = int(len(rows) * 0.8)
    train_rows = [rows[i] for i in order[:cut]]
    test_rows = [rows[i] for i in order[cut:]]
    shipped = {normalize(t) for t, _ in shipped_examples()}
    # Few but exactly on topic: the shipped examples count five times in training.
    train_rows += [r for r in train_rows if r[0] in shipped] * 4
    model = fit([t for t, _ in train_rows], [y for _, y in train_rows], seed=seed)
    texts, labels = [t for t, _ in test_rows], [y for _, y in test_rows]
    model.metrics = {f"heldout_{k}": v for k, v in evaluate(model, texts, labels).items()}
    model.metrics["train_examples"] = float(len(train_rows))
    return model
