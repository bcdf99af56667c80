"""Fréchet distance and conditional accuracy."""

from __future__ import annotations

import numpy as np
import pytest

from generation.images import classifier
from generation.images.metrics import (
    classifier_feature_distance,
    conditional_accuracy,
    frechet_distance,
    gaussian_frechet_distance,
)


def test_identical_sets_are_at_distance_zero() -> None:
    features = np.random.default_rng(0).normal(size=(2000, 16))
    assert frechet_distance(features, features) == pytest.approx(0.0, abs=1e-8)


def test_shifted_sets_are_farther() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(3000, 8)), rng.normal(size=(3000, 8))
    near = frechet_distance(a, b)
    far = frechet_distance(a, b + 0.5)
    farther = frechet_distance(a, b + 1.0)
    assert near < far < farther
    assert far == pytest.approx(8 * 0.25, rel=0.1)


def test_matches_the_closed_form_for_gaussians() -> None:
    # Commuting (diagonal) covariances: d = |mu1 - mu2|^2 + sum (sqrt(v1) - sqrt(v2))^2.
    mu1, mu2 = np.array([0.0, 1.0, -2.0]), np.array([1.0, 1.0, 0.0])
    v1, v2 = np.array([1.0, 4.0, 0.25]), np.array([9.0, 1.0, 0.25])
    exact = np.sum((mu1 - mu2) ** 2) + np.sum((np.sqrt(v1) - np.sqrt(v2)) ** 2)
    assert gaussian_frechet_distance(mu1, np.diag(v1), mu2, np.diag(v2)) == pytest.approx(exact)

    rng = np.random.default_rng(2)
    a = rng.normal(mu1, np.sqrt(v1), size=(200_000, 3))
    b = rng.normal(mu2, np.sqrt(v2), size=(200_000, 3))
    assert frechet_distance(a, b) == pytest.approx(exact, rel=0.02)

    # One dimension: d = (m1 - m2)^2 + (s1 - s2)^2.
    assert gaussian_frechet_distance(
        np.array([0.0]), np.array([[1.0]]), np.array([2.0]), np.array([[9.0]])
    ) == pytest.approx(8.0)


def test_singular_covariances_stay_finite() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(5, 32)), rng.normal(size=(6, 32))  # fewer samples than dimensions
    value = frechet_distance(a, b)
    assert np.isfinite(value) and value > 0
    dead = np.zeros((100, 4))  # e.g. ReLU features that never fire
    assert frechet_distance(dead, dead) == pytest.approx(0.0, abs=1e-6)


def test_classifier_metrics_on_uint8_images() -> None:
    rng = np.random.default_rng(4)
    labels = rng.integers(0, 2, 120)
    images = rng.integers(0, 50, size=(120, 32, 32), dtype=np.uint8)
    images[labels == 1, 8:24, 8:24] = 255  # class 1 has a bright square
    model = classifier.build_classifier(
        classifier.ClassifierArgs(n_classes=2, width=4, feature_dim=8), seed=0
    )
    classifier.train_classifier(
        model, images, labels, classifier.ClassifierTrainArgs(epochs=3, batch_size=20)
    )
    assert conditional_accuracy(model, images, labels) >= 0.95
    assert conditional_accuracy(model, images, 1 - labels) <= 0.05
    same = classifier_feature_distance(model, images[:60], images[60:], batch_size=32)
    other = classifier_feature_distance(model, images[labels == 0], images[labels == 1], batch_size=32)
    assert same < other
    with pytest.raises(ValueError, match="one label per image"):
        conditional_accuracy(model, images, labels[:3])
