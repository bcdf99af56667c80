"""The streamer's own product photos as a training set: ROOT/<category>/*.jpg|jpeg|png|webp.

Each photo is oriented by its EXIF tag, flattened onto a background, converted to grayscale or RGB,
scaled to fit (aspect ratio kept) and centred on a square canvas of the training size, stored uint8 like
Fashion-MNIST. A shop's folder is whatever people dropped into it, so a photo that cannot be read is
skipped and reported, never fatal, and folders that are not catalog categories are reported, not guessed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from generation.images.fashion_mnist import CLASS_NAMES

log = logging.getLogger(__name__)

PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp"})
# A phone photo is ~12 MP; far larger is a decompression bomb or a scan nobody meant to train on.
MAX_PIXELS = 80_000_000

Background = Literal["edge"] | int | tuple[int, int, int]


@dataclass(frozen=True)
class PhotoSet:
    """images uint8 (N, S, S) for "L" or (N, S, S, 3) for "RGB"; labels index `categories`."""

    images: np.ndarray
    labels: np.ndarray
    categories: tuple[str, ...]
    paths: tuple[Path, ...]
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # (file, why) for unreadable photos
    unknown_categories: list[str] = field(default_factory=list)  # folder names not in `categories`

    def __len__(self) -> int:
        return len(self.labels)


def load_photo_folder(
    root: str | Path,
    size: int,
    *,
    mode: Literal["L", "RGB"] = "L",
    categories: Sequence[str] = CLASS_NAMES,
    background: Background = "edge",
) -> PhotoSet:
    """Read every photo under `root/<category>/`; label = position of the folder name in `categories`.

    `background` fills the canvas around a photo that is not square: "edge" takes the median colour of
    the photo's border, so a white-background product shot stays on white and the canvas edge does not
    become a feature the GAN has to learn; an int (grey) or RGB tuple fixes it.
    """
    if mode not in ("L", "RGB"):
        raise ValueError(f"mode must be 'L' or 'RGB', got {mode!r}")
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"photo folder {root} does not exist; expected {root}/<category>/*.jpg")
    index = {name: i for i, name in enumerate(categories)}
    images: list[np.ndarray] = []
    labels: list[int] = []
    paths: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    unknown: list[str] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if folder.name not in index:
            unknown.append(folder.name)
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() not in PHOTO_SUFFIXES or not path.is_file() or path.name.startswith("."):
                continue
            try:
                images.append(read_photo(path, size, mode=mode, background=background))
            except PhotoError as exc:
                skipped.append((path, str(exc)))
                log.warning("skipping photo %s: %s", path, exc)
                continue
            labels.append(index[folder.name])
            paths.append(path)
    if unknown:
        log.warning(
            "photo folder %s: ignoring folders that are not categories: %s (expected one of %s)",
            root,
            ", ".join(unknown),
            ", ".join(categories),
        )
    shape = (0, size, size) if mode == "L" else (0, size, size, 3)
    return PhotoSet(
        images=np.stack(images) if images else np.zeros(shape, np.uint8),
        labels=np.asarray(labels, dtype=np.int64),
        categories=tuple(categories),
        paths=tuple(paths),
        skipped=skipped,
        unknown_categories=unknown,
    )


class PhotoError(Exception):
    """A photo that cannot be used; the message says why (for the skipped list and the log)."""


def read_photo(
    path: str | Path, size: int, *, mode: Literal["L", "RGB"] = "L", background: Background = "edge"
) -> np.ndarray:
    """One photo -> uint8 (size, size) or (size, size, 3), fitted onto a square canvas."""
    path = Path(path)
    try:
        with Image.open(path) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                raise PhotoError(f"{opened.width}x{opened.height} pixels, more than {MAX_PIXELS} allowed")
            opened.load()  # decode now, inside the try: a truncated file fails here, not later
            image = ImageOps.exif_transpose(opened)
    except PhotoError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        # UnidentifiedImageError (not an image) and truncated data are OSErrors; bad headers raise
        # ValueError/SyntaxError in some Pillow decoders.
        reason = (
            "not a readable image"
            if isinstance(exc, UnidentifiedImageError)
            else str(exc) or type(exc).__name__
        )
        raise PhotoError(reason) from exc
    return fit_square(image, size, mode=mode, background=background)


def fit_square(
    image: Image.Image, size: int, *, mode: Literal["L", "RGB"] = "L", background: Background = "edge"
) -> np.ndarray:
    """Scale `image` to fit inside size x size (aspect kept, LANCZOS) and centre it on a filled canvas."""
    rgb = _flatten(image)
    fill = _edge_colour(rgb) if background == "edge" else background
    if isinstance(fill, int):
        fill = (fill, fill, fill)
    scale = size / max(rgb.width, rgb.height)
    new_size = (max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale)))
    resized = rgb.resize(new_size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    canvas = Image.new("RGB", (size, size), fill)
    canvas.paste(resized, ((size - new_size[0]) // 2, (size - new_size[1]) // 2))
    return np.asarray(canvas.convert(mode), dtype=np.uint8).copy()


def _flatten(image: Image.Image) -> Image.Image:
    # Transparent PNG/WebP product cut-outs go onto white, the usual shop background.
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


def _edge_colour(image: Image.Image) -> tuple[int, int, int]:
    pixels = np.asarray(image)
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    red, green, blue = (int(v) for v in np.median(border, axis=0))
    return red, green, blue
