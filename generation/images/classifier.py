"""Fashion-MNIST classifiers that judge generated images: class accuracy and a Fréchet feature distance.

Two deliberately different designs share one interface: `cnn` (BN + 3x3 convs, the project's judge, whose
penultimate layer feeds the Fréchet distance) and `lenet` (5x5 convs, no BN, wide dropout, another seed),
the independent check, so a generator cannot pass by exploiting the quirks of a single network.
Both take uint8 images of any size; `to_model_batch` brings them to `image_size` per batch.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Literal

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from generation.images.batches import to_model_batch
from generation.images.files import write_atomic


@dataclass(frozen=True)
class ClassifierArgs:
    arch: Literal["cnn", "lenet"] = "cnn"
    n_classes: int = 10
    image_size: int = 32
    channels: int = 1
    width: int = 32  # channels of the first conv (cnn) / conv1 (lenet: 20 in the original)
    feature_dim: int = 128  # the penultimate layer, used for the Fréchet distance

    def __post_init__(self) -> None:
        if self.arch not in ("cnn", "lenet"):
            raise ValueError(f"arch must be 'cnn' or 'lenet', got {self.arch!r}")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClassifierArgs:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown ClassifierArgs keys {unknown}; expected a subset of {sorted(known)}")
        return cls(**data)


@dataclass(frozen=True)
class ClassifierTrainArgs:
    epochs: int = 3
    batch_size: int = 128
    lr: float = 1e-3
    seed: int = 0


# The judge and the independent check, as the GAN acceptance uses them.
JUDGE = ClassifierArgs(arch="cnn")
JUDGE_TRAIN = ClassifierTrainArgs(seed=0)
CHECK = ClassifierArgs(arch="lenet", width=20, feature_dim=256)
CHECK_TRAIN = ClassifierTrainArgs(seed=1)


class Classifier(nn.Module):
    def __init__(self, args: ClassifierArgs) -> None:
        super().__init__()
        self.args = args
        w = args.width
        if args.arch == "cnn":
            self.body = nn.Sequential(
                *_conv_bn(args.channels, w),
                nn.MaxPool2d(2),
                *_conv_bn(w, 2 * w),
                nn.MaxPool2d(2),
                *_conv_bn(2 * w, 4 * w),
                nn.MaxPool2d(2),
                nn.AdaptiveAvgPool2d(4),  # 32 px lands on 4x4 already; 64 px is averaged down to it
                nn.Flatten(),
                nn.Linear(4 * w * 16, args.feature_dim),
                nn.ReLU(inplace=True),
            )
            self.head = nn.Sequential(nn.Dropout(0.3), nn.Linear(args.feature_dim, args.n_classes))
        else:
            self.body = nn.Sequential(
                nn.Conv2d(args.channels, w, 5),
                nn.ReLU(inplace=True),
                nn.MaxPool2d(2),
                nn.Conv2d(w, int(2.5 * w), 5),
                nn.ReLU(inplace=True),
                nn.MaxPool2d(2),
                nn.AdaptiveMaxPool2d(5),
                nn.Flatten(),
                nn.Linear(int(2.5 * w) * 25, args.feature_dim),
                nn.ReLU(inplace=True),
            )
            self.head = nn.Sequential(nn.Dropout(0.5), nn.Linear(args.feature_dim, args.n_classes))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """Penultimate activations (N, feature_dim) for x in [-1, 1]."""
        return self.body(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x))


def _conv_bn(c_in: int, c_out: int) -> list[nn.Module]:
    return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True)]


def build_classifier(args: ClassifierArgs, seed: int = 0) -> Classifier:
    """A fresh classifier whose initial weights depend only on `seed` (the global RNG is left as it was)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return Classifier(args)


def _device(model: nn.Module) -> torch.device:
    return next(model.parameters()).device


def train_epoch(
    model: Classifier,
    optimizer: torch.optim.Optimizer,
    images: np.ndarray,
    labels: np.ndarray,
    batch_size: int,
    rng: np.random.Generator,
    scheduler: torch.optim.lr_scheduler.LRScheduler | None = None,
) -> float:
    """One shuffled pass over uint8 images; returns the mean training loss. `scheduler` steps per batch.
    Dropout draws from torch's global RNG, so seed it (or wrap in `fork_rng`) for a reproducible epoch."""
    model.train()
    device = _device(model)
    order = rng.permutation(len(labels))
    total, seen = 0.0, 0
    for start in range(0, len(order), batch_size):
        idx = np.sort(order[start : start + batch_size])  # sorted: faster gather from the uint8 array
        x = to_model_batch(images[idx], model.args.image_size, model.args.channels, device)
        y = torch.from_numpy(labels[idx].astype(np.int64)).to(device)
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        total += loss.item() * len(idx)
        seen += len(idx)
    return total / max(seen, 1)


def train_classifier(
    model: Classifier,
    images: np.ndarray,
    labels: np.ndarray,
    train_args: ClassifierTrainArgs | None = None,
    on_epoch: Callable[[int, float], None] | None = None,
) -> list[float]:
    """Adam with a cosine decay to zero over all steps (worth about a point of accuracy over a constant
    rate at 3 epochs); deterministic given `train_args.seed` and leaves the global RNG alone.
    `on_epoch(epoch, loss)` lets a job report progress or checkpoint between epochs."""
    t = train_args or ClassifierTrainArgs()
    optimizer = torch.optim.Adam(model.parameters(), lr=t.lr)
    total_steps = t.epochs * math.ceil(len(labels) / t.batch_size)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: 0.5 * (1.0 + math.cos(math.pi * min(step, total_steps) / total_steps))
    )
    rng = np.random.default_rng(t.seed)
    losses = []
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(t.seed)
        for epoch in range(t.epochs):
            losses.append(train_epoch(model, optimizer, images, labels, t.batch_size, rng, scheduler))
            if on_epoch is not None:
                on_epoch(epoch, losses[-1])
    model.eval()
    return losses


@torch.no_grad()
def _batched(
    model: Classifier, images: np.ndarray, fn: Callable[[torch.Tensor], torch.Tensor], batch_size: int
) -> np.ndarray:
    was_training = model.training
    model.eval()
    device = _device(model)
    try:
        out = [
            fn(
                to_model_batch(images[i : i + batch_size], model.args.image_size, model.args.channels, device)
            ).cpu()
            for i in range(0, len(images), batch_size)
        ]
    finally:
        model.train(was_training)
    return torch.cat(out).numpy()


def predict(model: Classifier, images: np.ndarray, batch_size: int = 500) -> np.ndarray:
    """Class index per uint8 image."""
    return _batched(model, images, lambda x: model(x).argmax(dim=1), batch_size)


def features(model: Classifier, images: np.ndarray, batch_size: int = 500) -> np.ndarray:
    """Penultimate features (N, feature_dim) float64 per uint8 image, for the Fréchet distance."""
    return _batched(model, images, model.features, batch_size).astype(np.float64)


def evaluate(model: Classifier, images: np.ndarray, labels: np.ndarray, batch_size: int = 500) -> float:
    """Accuracy in [0, 1]."""
    if len(labels) == 0:
        raise ValueError("evaluate needs at least one image")
    return float((predict(model, images, batch_size) == np.asarray(labels)).mean())


def classifier_state(model: Classifier) -> dict[str, Any]:
    return {"model_args": asdict(model.args), "state_dict": model.state_dict()}


def classifier_from_state(state: dict[str, Any], map_location: str | torch.device = "cpu") -> Classifier:
    model = Classifier(ClassifierArgs.from_dict(state["model_args"]))
    model.load_state_dict(state["state_dict"])
    return model.to(map_location).eval()


def save_classifier(model: Classifier, path: str | Path) -> Path:
    """`model_args` + `state_dict`, written atomically."""
    buffer = io.BytesIO()
    torch.save(classifier_state(model), buffer)
    return write_atomic(path, buffer.getvalue())


def load_classifier(path: str | Path, map_location: str | torch.device = "cpu") -> Classifier:
    """Read a file from `save_classifier` (weights_only: a model file is data, never code)."""
    return classifier_from_state(torch.load(path, map_location=map_location, weights_only=True), map_location)
