"""User product photos: fitted onto a square canvas; unreadable files and unknown folders are reported."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from generation.images.photo_folder import load_photo_folder, read_photo


def _save(path: Path, image: Image.Image, **params: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, **params)


def _png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_corrupt_photos_are_skipped_and_reported(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    _save(tmp_path / "tshirt" / "wide.png", Image.new("RGB", (40, 20), (200, 30, 30)))
    _save(tmp_path / "tshirt" / "photo.JPG", Image.new("RGB", (64, 64), (10, 200, 10)), format="JPEG")
    _save(tmp_path / "bag" / "cutout.webp", Image.new("RGBA", (30, 30), (0, 0, 255, 255)), format="WEBP")
    (tmp_path / "tshirt" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not really a jpeg")
    png = _png_bytes(Image.new("RGB", (50, 50), (1, 2, 3)))
    (tmp_path / "tshirt" / "truncated.png").write_bytes(png[: len(png) // 2])
    _save(tmp_path / "spaceship" / "x.png", Image.new("RGB", (8, 8)))
    (tmp_path / "tshirt" / "notes.txt").write_text("not a photo, not reported")

    with caplog.at_level(logging.WARNING, logger="generation.images.photo_folder"):
        photos = load_photo_folder(tmp_path, 32)

    assert photos.images.shape == (3, 32, 32) and photos.images.dtype == np.uint8
    assert [p.name for p in photos.paths] == ["cutout.webp", "photo.JPG", "wide.png"]
    assert [photos.categories[i] for i in photos.labels] == ["bag", "tshirt", "tshirt"]
    assert sorted(p.name for p, _ in photos.skipped) == ["broken.jpg", "truncated.png"]
    assert all(reason for _, reason in photos.skipped)
    assert photos.unknown_categories == ["spaceship"]
    logged = caplog.text
    assert "broken.jpg" in logged and "truncated.png" in logged and "spaceship" in logged


def test_aspect_ratio_is_kept_on_a_centred_canvas(tmp_path: Path) -> None:
    path = tmp_path / "wide.png"
    Image.new("RGB", (40, 20), (255, 255, 255)).save(path)
    gray = read_photo(path, 32, background=0)
    assert gray.shape == (32, 32)
    assert (gray[:8] == 0).all() and (gray[24:] == 0).all()  # letterbox bars
    assert (gray[8:24] == 255).all()
    rgb = read_photo(path, 32, mode="RGB", background=(0, 0, 255))
    assert rgb.shape == (32, 32, 3) and tuple(rgb[0, 0]) == (0, 0, 255)
    # "edge": the canvas takes the photo's own border colour, so no bars appear.
    assert (read_photo(path, 32) == 255).all()


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    image = Image.new("L", (40, 20), 0)
    image.paste(255, (0, 0, 20, 20))  # left half white
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display": a portrait phone photo stored landscape
    path = tmp_path / "phone.jpg"
    image.save(path, format="JPEG", exif=exif, quality=95)
    fitted = read_photo(path, 32, background=0)
    # After rotation the photo is 20 wide x 40 tall: bars left and right, white on top.
    assert fitted[:, :6].max() < 30 and fitted[:, 26:].max() < 30
    assert fitted[2:14, 10:22].mean() > 200 and fitted[18:30, 10:22].mean() < 50


def test_missing_root_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_photo_folder(tmp_path / "nope", 32)
