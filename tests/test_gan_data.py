"""Fashion-MNIST IDX files: parsing, checksums, clear errors, download; and the per-batch conversions."""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import torch

from generation.images import fashion_mnist as fm
from generation.images.batches import to_model_batch, to_uint8
from generation.images.grid import make_grid, save_grid_png
from tests.conftest import SHARED_DATA


def _images(n: int = 5, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, size=(n, 28, 28), dtype=np.uint8)


def _write_split(folder: Path, images: np.ndarray, labels: np.ndarray, split: str = "train") -> None:
    image_name, label_name = fm.SPLIT_FILES[split]
    (folder / image_name).write_bytes(gzip.compress(fm.encode_idx(images)))
    (folder / label_name).write_bytes(gzip.compress(fm.encode_idx(labels)))


@pytest.fixture
def fashion_mnist_dir() -> Path:
    """The real dataset folder; skipped when absent, failed when LIVEBOT_REQUIRE_DATA=1."""
    folder = SHARED_DATA / "fashion_mnist"
    if not folder.is_dir():
        if os.environ.get("LIVEBOT_REQUIRE_DATA") == "1":
            pytest.fail(f"LIVEBOT_REQUIRE_DATA=1 but {folder} is absent")
        pytest.skip(f"{folder} is absent")
    return folder


def test_idx_round_trip_gzipped_and_raw(tmp_path: Path) -> None:
    images = _images()
    path = tmp_path / "some-images.gz"
    path.write_bytes(gzip.compress(fm.encode_idx(images)))
    loaded = fm.read_idx(path, expected_magic=fm.IMAGES_MAGIC)
    assert loaded.dtype == np.uint8 and loaded.flags.writeable
    np.testing.assert_array_equal(loaded, images)

    wide = np.arange(-6, 6, dtype=np.int16).reshape(3, 4)  # multi-byte types are big-endian on disk
    raw = tmp_path / "wide.idx"
    raw.write_bytes(fm.encode_idx(wide))
    np.testing.assert_array_equal(fm.read_idx(raw), wide)


def test_split_with_official_names_loads_without_verification(tmp_path: Path) -> None:
    labels = np.array([0, 9, 3, 3, 1], dtype=np.uint8)
    _write_split(tmp_path, _images(), labels)
    split = fm.load_split(tmp_path, "train", verify=False)
    assert split.images.shape == (5, 28, 28) and len(split) == 5
    np.testing.assert_array_equal(split.labels, labels)
    assert fm.CLASS_NAMES[split.labels[1]] == "ankle_boot"


def test_wrong_checksum_for_an_official_name_is_a_clear_error(tmp_path: Path) -> None:
    _write_split(tmp_path, _images(), np.zeros(5, np.uint8))
    with pytest.raises(fm.DatasetError) as err:
        fm.load_split(tmp_path, "train")
    message = str(err.value)
    assert str(tmp_path / "train-images-idx3-ubyte.gz") in message
    assert "checksum" in message and fm.OFFICIAL_FILES["train-images-idx3-ubyte.gz"].sha256 in message


def test_truncated_gzip_is_a_clear_error(tmp_path: Path) -> None:
    blob = gzip.compress(fm.encode_idx(_images(50)))
    path = tmp_path / "cut.gz"
    path.write_bytes(blob[: len(blob) // 2])
    with pytest.raises(fm.DatasetError, match="truncated") as err:
        fm.read_idx(path)
    assert str(path) in str(err.value)


def test_truncated_payload_names_the_declared_shape(tmp_path: Path) -> None:
    blob = fm.encode_idx(_images(5))
    path = tmp_path / "short.idx"
    path.write_bytes(blob[: -28 * 28])  # one image missing
    with pytest.raises(fm.DatasetError, match=r"truncated.*\(5, 28, 28\)") as err:
        fm.read_idx(path)
    assert str(path) in str(err.value)


def test_wrong_magic_says_what_was_expected(tmp_path: Path) -> None:
    path = tmp_path / "labels.idx"
    path.write_bytes(fm.encode_idx(np.zeros(5, np.uint8)))
    with pytest.raises(fm.DatasetError, match=r"wrong IDX magic number 2049.*expected 2051"):
        fm.read_idx(path, expected_magic=fm.IMAGES_MAGIC)
    junk = tmp_path / "junk.idx"
    junk.write_bytes(b"PK\x03\x04 not an idx file")
    with pytest.raises(fm.DatasetError, match="not an IDX file"):
        fm.read_idx(junk)


def test_missing_files_tell_where_to_put_them(tmp_path: Path) -> None:
    with pytest.raises(fm.DatasetError) as err:
        fm.load_split(tmp_path, "test")
    message = str(err.value)
    assert str(tmp_path) in message and "t10k-images-idx3-ubyte.gz" in message
    assert "dataset-fashion-mnist" in message


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_download_offline_names_the_folder_and_the_debian_package(tmp_path: Path) -> None:
    folder = tmp_path / "fm"
    with pytest.raises(fm.DatasetError) as err:
        fm.download(folder, base_url=f"http://127.0.0.1:{_closed_port()}/", progress=False, timeout_s=5)
    message = str(err.value)
    assert str(folder) in message and "dataset-fashion-mnist" in message
    assert list(folder.iterdir()) == []  # no partial file left behind


@pytest.fixture
def file_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real HTTP server on loopback serving a folder; yields (base URL, folder)."""
    root = tmp_path / "served"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", root
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass


def test_download_rejects_a_file_with_the_wrong_checksum(
    tmp_path: Path, file_server: tuple[str, Path]
) -> None:
    url, served = file_server
    name = "t10k-labels-idx1-ubyte.gz"
    (served / name).write_bytes(gzip.compress(fm.encode_idx(np.zeros(10, np.uint8))))
    folder = tmp_path / "fm"
    with pytest.raises(fm.DatasetError, match="sha256"):
        fm.download(folder, base_url=url, names=(name,), progress=False)
    assert list(folder.iterdir()) == []


@pytest.mark.dataset
def test_download_verifies_and_writes_the_official_file(
    tmp_path: Path, file_server: tuple[str, Path], fashion_mnist_dir: Path
) -> None:
    url, served = file_server
    name = "t10k-labels-idx1-ubyte.gz"
    (served / name).write_bytes((fashion_mnist_dir / name).read_bytes())
    folder = tmp_path / "fm"
    [path] = fm.download(folder, base_url=url, names=(name,), progress=False)
    assert path == folder / name and path.read_bytes() == (fashion_mnist_dir / name).read_bytes()
    assert sorted(p.name for p in folder.iterdir()) == [name]
    # Present and valid: a second call does not fetch again (the server is gone for it).
    fm.download(folder, base_url=f"http://127.0.0.1:{_closed_port()}/", names=(name,), progress=False)


@pytest.mark.dataset
def test_real_fashion_mnist(fashion_mnist_dir: Path) -> None:
    train = fm.load_split(fashion_mnist_dir, "train")
    test = fm.load_split(fashion_mnist_dir, "test")
    assert train.images.shape == (60_000, 28, 28) and train.images.dtype == np.uint8
    assert test.images.shape == (10_000, 28, 28)
    assert np.bincount(train.labels).tolist() == [6000] * 10
    assert np.bincount(test.labels).tolist() == [1000] * 10
    assert 72 < train.images.mean() < 74


def test_to_model_batch_frames_28px_images_and_scales_to_minus_one_one() -> None:
    images = np.full((3, 28, 28), 255, np.uint8)
    x = to_model_batch(images, 32)
    assert x.shape == (3, 1, 32, 32) and x.dtype == torch.float32
    assert x[:, :, 2:30, 2:30].eq(1).all() and x[:, :, :2].eq(-1).all()  # 2-px black frame
    assert to_model_batch(images, 64, channels=3).shape == (3, 3, 64, 64)


def test_to_model_batch_and_to_uint8_round_trip() -> None:
    rgb = np.random.default_rng(1).integers(0, 256, size=(4, 32, 32, 3), dtype=np.uint8)
    np.testing.assert_array_equal(to_uint8(to_model_batch(rgb, 32, channels=3)), rgb)
    gray = to_model_batch(rgb, 32, channels=1)  # luma, as Pillow's "L"
    assert gray.shape == (4, 1, 32, 32) and gray.min() >= -1 and gray.max() <= 1
    readonly = rgb[..., 0].copy()
    readonly.flags.writeable = False
    assert to_model_batch(readonly, 16).shape == (4, 1, 16, 16)


def test_grid_png(tmp_path: Path) -> None:
    images = _images(10)
    grid = make_grid(images, nrow=4, padding=2)
    assert grid.shape == (3 * 30 + 2, 4 * 30 + 2)
    np.testing.assert_array_equal(grid[2:30, 2:30], images[0])
    from PIL import Image

    path = save_grid_png(images, tmp_path / "grid.png", nrow=4)
    with Image.open(path) as png:
        assert png.size == (122, 92)
