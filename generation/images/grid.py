"""Sample grids: many uint8 images tiled into one PNG, the quick look a training run leaves behind."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
from PIL import Image

from generation.images.files import write_atomic


def make_grid(images: np.ndarray, nrow: int = 8, padding: int = 2, pad_value: int = 0) -> np.ndarray:
    """uint8 (N, H, W[, C]) -> one uint8 image with `nrow` images per row (torchvision's convention)."""
    if images.dtype != np.uint8 or images.ndim not in (3, 4) or len(images) == 0:
        raise ValueError(
            f"expected a non-empty uint8 (N, H, W[, C]) array, got {images.dtype} {images.shape}"
        )
    if nrow < 1:
        raise ValueError(f"nrow must be at least 1, got {nrow}")
    n, height, width = images.shape[:3]
    cols = min(nrow, n)
    rows = math.ceil(n / cols)
    shape = (rows * (height + padding) + padding, cols * (width + padding) + padding, *images.shape[3:])
    grid = np.full(shape, pad_value, dtype=np.uint8)
    for i, image in enumerate(images):
        top = padding + (i // cols) * (height + padding)
        left = padding + (i % cols) * (width + padding)
        grid[top : top + height, left : left + width] = image
    return grid


def grid_png(images: np.ndarray, nrow: int = 8, padding: int = 2) -> bytes:
    """The grid as PNG bytes (for a dashboard response or a job artefact)."""
    buffer = io.BytesIO()
    Image.fromarray(make_grid(images, nrow, padding)).save(buffer, format="PNG")
    return buffer.getvalue()


def save_grid_png(images: np.ndarray, path: str | Path, nrow: int = 8, padding: int = 2) -> Path:
    """Write the grid to `path` atomically (temp file + os.replace), so a viewer never sees half a PNG."""
    return write_atomic(path, grid_png(images, nrow, padding))
