"""Training images for the `gan` and `classifier` kinds: Fashion-MNIST's IDX files or a folder of the shop's
own photos (`DIR/<category>/*.jpg`). Images stay uint8 until a batch is made (a float copy of 60k 64x64
images is ~2 GB)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from generation.images.fashion_mnist import CLASS_NAMES, SPLIT_FILES, load_split
from generation.images.photo_folder import load_photo_folder
from training.registry import fingerprint

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImageData:
    images: np.ndarray  # uint8 (N, H, W) or (N, H, W, C)
    labels: np.ndarray  # int64 (N,) indexing `classes`
    classes: tuple[str, ...]
    source: str  # "fashion_mnist" | "photos"
    dataset: str  # fingerprint of the files read
    test_images: np.ndarray | None = None
    test_labels: np.ndarray | None = None
    skipped: list[tuple[Path, str]] = field(default_factory=list)


def is_fashion_mnist(folder: Path) -> bool:
    name = SPLIT_FILES["train"][0]
    return (folder / name).is_file() or (folder / name.removesuffix(".gz")).is_file()


def load_images(data: str | None, image_size: int, channels: int) -> ImageData:
    """Fashion-MNIST when `data` holds its files, else a photo folder; a missing `data` names what to do."""
    if not data:
        raise ValueError(
            "parameter 'data' is required: a folder with Fashion-MNIST's IDX files (train-images-idx3-ubyte.gz"
            " ...; Debian's dataset-fashion-mnist installs them) or your photos as DIR/<category>/*.jpg"
        )
    folder = Path(data)
    if not folder.is_dir():
        raise FileNotFoundError(f"image data folder {folder} does not exist")
    if is_fashion_mnist(folder):
        train = load_split(folder, "train")
        test = load_split(folder, "test") if (folder / SPLIT_FILES["test"][0]).exists() else None
        files = sorted(p for p in folder.iterdir() if "idx" in p.name)
        return ImageData(
            train.images,
            train.labels.astype(np.int64),
            tuple(CLASS_NAMES),
            "fashion_mnist",
            fingerprint(files),
            None if test is None else test.images,
            None if test is None else test.labels.astype(np.int64),
        )
    photos = load_photo_folder(folder, image_size, mode="L" if channels == 1 else "RGB")
    if len(photos) == 0:
        raise ValueError(
            f"{folder}: no readable photos in DIR/<category>/ folders named like {CLASS_NAMES[:3]}"
        )
    for path, why in photos.skipped:
        log.warning("skipped %s: %s", path, why)
    present = sorted({int(i) for i in photos.labels})
    log.info("photos: %d images in %d categories", len(photos), len(present))
    return ImageData(
        photos.images,
        photos.labels,
        tuple(photos.categories),
        "photos",
        fingerprint(list(photos.paths)),
        skipped=photos.skipped,
    )


def epoch_order(seed: int, epoch: int, n: int) -> np.ndarray:
    """The sample order of one epoch: a pure function of (seed, epoch), so a resumed job continues with the
    very batches it would have seen."""
    return np.random.default_rng([seed, epoch]).permutation(n)


def batch_indices(seed: int, step: int, batch_size: int, n: int) -> np.ndarray:
    """The (sorted, for a faster uint8 gather) sample indices of global step `step`; the last partial batch
    of an epoch is dropped so every step has the same size."""
    per_epoch = n // batch_size
    if per_epoch == 0:
        raise ValueError(f"{n} images are fewer than one batch of {batch_size}")
    epoch, offset = divmod(step, per_epoch)
    order = epoch_order(seed, epoch, n)
    return np.sort(order[offset * batch_size : (offset + 1) * batch_size])
