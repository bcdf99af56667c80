"""How good are generated images: Fréchet distance between feature sets, and class accuracy.

The features come from our own Fashion-MNIST classifier (the Inception network of FID knows nothing of
28-px garments and cannot be downloaded on an offline box), so the numbers compare runs of this project,
not papers. The floor to read them against is the distance between the real train and test sets.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import linalg

from generation.images.classifier import Classifier, features, predict


def gaussian_frechet_distance(
    mu1: np.ndarray, sigma1: np.ndarray, mu2: np.ndarray, sigma2: np.ndarray, eps: float = 1e-6
) -> float:
    """||mu1 - mu2||^2 + Tr(S1 + S2 - 2 sqrt(S1 S2)) for two Gaussians."""
    mu1, mu2 = np.atleast_1d(mu1).astype(np.float64), np.atleast_1d(mu2).astype(np.float64)
    sigma1, sigma2 = np.atleast_2d(sigma1).astype(np.float64), np.atleast_2d(sigma2).astype(np.float64)
    if mu1.shape != mu2.shape or sigma1.shape != sigma2.shape or sigma1.shape != (len(mu1), len(mu1)):
        raise ValueError(
            f"shape mismatch: mu {mu1.shape} vs {mu2.shape}, sigma {sigma1.shape} vs {sigma2.shape}"
        )
    diff = mu1 - mu2
    covmean = _sqrtm_or_none(sigma1 @ sigma2)
    if covmean is None:
        # Singular product (fewer samples than dimensions, dead ReLU features): nudge both covariances.
        offset = np.eye(len(mu1)) * eps
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", linalg.LinAlgWarning)  # the nudge is the documented remedy
            covmean = linalg.sqrtm((sigma1 + offset) @ (sigma2 + offset))
    if np.iscomplexobj(covmean):
        # Round-off gives tiny imaginary parts; large ones mean the inputs were not covariances.
        imag = np.abs(covmean.imag).max() if covmean.size else 0.0
        if imag > 1e-3 * max(1.0, np.abs(covmean.real).max()):
            raise ValueError(f"sqrtm produced an imaginary component of {imag:.3g}; are these covariances?")
        covmean = covmean.real
    value = diff @ diff + np.trace(sigma1) + np.trace(sigma2) - 2.0 * np.trace(covmean)
    return float(max(value, 0.0))  # the exact value is >= 0; round-off can dip below for identical sets


def _sqrtm_or_none(matrix: np.ndarray) -> np.ndarray | None:
    """sqrtm, or None when scipy finds the matrix singular/ill-conditioned or the result is not finite."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", linalg.LinAlgWarning)
        try:
            root = linalg.sqrtm(matrix)
        except linalg.LinAlgWarning:
            return None
    return root if np.isfinite(root).all() else None


def frechet_distance(features_a: np.ndarray, features_b: np.ndarray, eps: float = 1e-6) -> float:
    """Fréchet distance between Gaussians fitted to two (N, D) feature sets."""
    a, b = np.asarray(features_a, np.float64), np.asarray(features_b, np.float64)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1] or min(len(a), len(b)) < 2:
        raise ValueError(f"expected two (N>=2, D) feature sets of equal D, got {a.shape} and {b.shape}")
    return gaussian_frechet_distance(
        a.mean(axis=0), np.cov(a, rowvar=False), b.mean(axis=0), np.cov(b, rowvar=False), eps
    )


def classifier_feature_distance(
    classifier: Classifier, images_a: np.ndarray, images_b: np.ndarray, batch_size: int = 500
) -> float:
    """Fréchet distance in the classifier's penultimate features between two uint8 image sets."""
    return frechet_distance(
        features(classifier, images_a, batch_size), features(classifier, images_b, batch_size)
    )


def conditional_accuracy(
    classifier: Classifier, images: np.ndarray, labels: np.ndarray, batch_size: int = 500
) -> float:
    """Share of generated uint8 images the classifier assigns to the class they were generated for."""
    labels = np.asarray(labels)
    if len(images) != len(labels) or len(labels) == 0:
        raise ValueError(
            f"need one label per image and at least one image, got {len(images)} and {len(labels)}"
        )
    return float((predict(classifier, images, batch_size) == labels).mean())
