"""Quality numbers for a generator, graded by classifiers the project trains and versions itself.

- `fd`: Fréchet distance between the judge classifier's penultimate features of generated images and of
  the real test images (the offline stand-in for Inception FID, as "Fréchet LeNet Distance");
  `fd_real`: the same between real train and real test images, the floor a perfect generator reaches.
- `cond_acc`: the share of images generated for class c that the judge labels c (conditional models only);
  `check_acc`: the same by a second, differently built classifier, so the judge does not grade alone.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from generation.images import cgan, dcgan
from generation.images.classifier import Classifier, load_classifier
from generation.images.metrics import classifier_feature_distance, conditional_accuracy
from training.registry import Registry

JUDGE_KIND = "classifier"
CHECK_KIND = "classifier-check"


def load_graders(registry: Registry) -> tuple[Classifier | None, Classifier | None]:
    """The current judge and check classifiers from the registry (None where none is published)."""
    out = []
    for kind in (JUDGE_KIND, CHECK_KIND):
        version = registry.current(kind)
        out.append(None if version is None else load_classifier(version.path / "classifier.pt"))
    return out[0], out[1]


def generate(generator: Any, n: int, n_classes: int, seed: int) -> tuple[np.ndarray, np.ndarray | None]:
    """n images, an equal share per class for a conditional generator; labels None for an unconditional one."""
    if isinstance(generator, cgan.Generator):
        labels = np.arange(n) % n_classes
        return cgan.sample(generator, labels, seed=seed), labels
    return dcgan.sample(generator, n, seed=seed), None


def quality(
    generator: Any,
    n_classes: int,
    judge: Classifier | None,
    check: Classifier | None,
    real_train: np.ndarray | None,
    real_test: np.ndarray | None,
    n: int = 1000,
    seed: int = 12345,
) -> dict[str, float]:
    if judge is None or n <= 0:
        return {}
    images, labels = generate(generator, n, n_classes, seed)
    out: dict[str, float] = {"eval_n": float(n)}
    if real_test is not None:
        reference = real_test[:n] if len(real_test) >= n else real_test
        out["fd"] = round(classifier_feature_distance(judge, images, reference), 4)
        if real_train is not None:
            pick = np.random.default_rng(seed).choice(len(real_train), min(n, len(real_train)), replace=False)
            out["fd_real"] = round(
                classifier_feature_distance(judge, real_train[np.sort(pick)], reference), 4
            )
    if labels is not None:
        out["cond_acc"] = round(conditional_accuracy(judge, images, labels), 4)
        if check is not None:
            out["check_acc"] = round(conditional_accuracy(check, images, labels), 4)
    return out
