"""The job kinds a worker can run: name -> the module whose `run(ctx)` trains and publishes."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from training.context import JobContext
from training.registry import Version

KINDS: dict[str, tuple[str, str]] = {
    "recommender": ("training.train_recommender", "collaborative-filtering model from an interaction file"),
    "text": ("training.train_text", "promo-text language model (transformers Llama, trained here)"),
    "gan": ("training.train_gan", "class-conditional GAN for product images"),
    "classifier": ("training.train_classifier", "Fashion-MNIST classifier behind the GAN's quality metrics"),
}
# Kinds whose loop is a torch step loop that `--nproc` can spread over processes with DDP.
DISTRIBUTED_KINDS = ("text",)

Runner = Callable[[JobContext], Version | None]


class UnknownKindError(ValueError):
    pass


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise UnknownKindError(f"unknown job kind {kind!r}; known: {', '.join(KINDS)}")
    return kind


def runner(kind: str) -> Runner:
    """Imported on first use: a worker that only refits recommenders never loads transformers."""
    module = importlib.import_module(KINDS[check_kind(kind)][0])
    return module.run
