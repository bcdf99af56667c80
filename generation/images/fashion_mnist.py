"""Fashion-MNIST from its original IDX files: find, verify, parse and (when asked) download them.

The data stays uint8 (N, 28, 28) in memory; `generation.images.batches.to_model_batch` turns one batch at a
time into model input. Files with the official names are checked against the published checksums, so a
half-downloaded or swapped file fails loudly here instead of training a model on garbage.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import logging
import os
import tempfile
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

log = logging.getLogger(__name__)

# Label order of the dataset; the same names are the first ten categories of the shop catalog, so a label
# index maps to a catalog category by position.
CLASS_NAMES: tuple[str, ...] = (
    "tshirt",
    "trouser",
    "pullover",
    "dress",
    "coat",
    "sandal",
    "shirt",
    "sneaker",
    "bag",
    "ankle_boot",
)
BASE_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
DEBIAN_PACKAGE = "dataset-fashion-mnist"

IMAGES_MAGIC = 2051  # 0x00000803: uint8, 3 dimensions
LABELS_MAGIC = 2049  # 0x00000801: uint8, 1 dimension

# IDX type byte -> numpy dtype (all big-endian on disk).
_IDX_DTYPES: dict[int, np.dtype] = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_IDX_CODES = {dtype: code for code, dtype in _IDX_DTYPES.items()}


class DatasetError(Exception):
    """A dataset file that is missing, corrupt, truncated or not the one expected; the message names it."""


@dataclass(frozen=True)
class OfficialFile:
    """Checksums of one upstream file. `raw_md5` is of the decompressed bytes: Debian's package recompresses
    the same stream without the gzip name and mtime, so its .gz differs from upstream's but not its content."""

    sha256: str
    md5: str
    raw_md5: str
    magic: int
    count: int


OFFICIAL_FILES: dict[str, OfficialFile] = {
    "train-images-idx3-ubyte.gz": OfficialFile(
        sha256="3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
        md5="8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        raw_md5="f4a8712d7a061bf5bd6d2ca38dc4d50a",
        magic=IMAGES_MAGIC,
        count=60_000,
    ),
    "train-labels-idx1-ubyte.gz": OfficialFile(
        sha256="a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
        md5="25c81989df183df01b3e8a0aad5dffbe",
        raw_md5="9018921c3c673c538a1fc5bad174d6f9",
        magic=LABELS_MAGIC,
        count=60_000,
    ),
    "t10k-images-idx3-ubyte.gz": OfficialFile(
        sha256="346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
        md5="bef4ecab320f06d8554ea6380940ec79",
        raw_md5="8181f5470baa50b63fa0f6fddb340f0a",
        magic=IMAGES_MAGIC,
        count=10_000,
    ),
    "t10k-labels-idx1-ubyte.gz": OfficialFile(
        sha256="67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
        md5="bb300cfdad3c16e7a12a480ee83cd310",
        raw_md5="15d484375f8d13e6eb1aabb0c3f46965",
        magic=LABELS_MAGIC,
        count=10_000,
    ),
}
SPLIT_FILES: dict[str, tuple[str, str]] = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}


@dataclass(frozen=True)
class Split:
    """One split: images uint8 (N, 28, 28), labels uint8 (N,) indexing CLASS_NAMES."""

    images: np.ndarray
    labels: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)


def load_split(
    folder: str | Path, split: Literal["train", "test"] = "train", *, verify: bool = True
) -> Split:
    """Read one split from `folder`, which holds the official file names (gzipped or not)."""
    if split not in SPLIT_FILES:
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    folder = Path(folder)
    image_name, label_name = SPLIT_FILES[split]
    images = read_idx(find_file(folder, image_name), expected_magic=IMAGES_MAGIC, verify=verify)
    labels = read_idx(find_file(folder, label_name), expected_magic=LABELS_MAGIC, verify=verify)
    if images.shape[1:] != (28, 28):
        raise DatasetError(f"{folder / image_name}: images are {images.shape[1:]}, expected (28, 28)")
    if len(images) != len(labels):
        raise DatasetError(
            f"{folder}: {len(images)} {split} images but {len(labels)} labels; expected equal counts"
        )
    if labels.size and int(labels.max()) >= len(CLASS_NAMES):
        raise DatasetError(
            f"{folder / label_name}: label {int(labels.max())} outside 0..{len(CLASS_NAMES) - 1}"
        )
    return Split(images=images, labels=labels)


def find_file(folder: Path, name: str) -> Path:
    """`folder/name`, or its decompressed twin without `.gz`; a missing file names what to do about it."""
    for candidate in (folder / name, folder / name.removesuffix(".gz")):
        if candidate.is_file():
            return candidate
    raise DatasetError(_missing_message(folder, f"{name} not found in {folder}"))


def read_idx(path: str | Path, *, expected_magic: int | None = None, verify: bool = True) -> np.ndarray:
    """Parse an IDX file (gzipped or raw) into a writable numpy array of its declared dtype and shape.

    When the file carries an official Fashion-MNIST name and `verify` is set, its checksum must match the
    upstream release (or, for a recompressed copy, the decompressed content must).
    """
    path = Path(path)
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read ({exc})") from exc
    official = _official_for(path.name) if verify else None
    if (
        official is not None
        and path.name.endswith(".gz")
        and hashlib.sha256(blob).hexdigest() == official.sha256
    ):
        official = None  # byte-identical to upstream; nothing more to check
    data = _decompress(path, blob)
    if official is not None and hashlib.md5(data).hexdigest() != official.raw_md5:
        raise DatasetError(
            f"{path}: checksum mismatch; expected the official file (sha256 {official.sha256} for the .gz, "
            f"md5 {official.raw_md5} decompressed). The file is corrupt, truncated or a different dataset: "
            f"delete it and download it again"
        )
    return parse_idx(data, source=str(path), expected_magic=expected_magic)


def _official_for(name: str) -> OfficialFile | None:
    return OFFICIAL_FILES.get(name) or OFFICIAL_FILES.get(name + ".gz")


def _decompress(path: Path, blob: bytes) -> bytes:
    if not blob.startswith(b"\x1f\x8b"):
        return blob
    try:
        return gzip.decompress(blob)
    except (OSError, EOFError, zlib.error) as exc:
        raise DatasetError(
            f"{path}: corrupt or truncated gzip data ({exc}); expected a complete .gz file"
        ) from exc


def parse_idx(data: bytes, *, source: str = "<bytes>", expected_magic: int | None = None) -> np.ndarray:
    """IDX bytes -> array. Header: two zero bytes, a type byte, the number of dims, then each dim as a
    big-endian uint32; the payload must be exactly the size those dims declare."""
    if len(data) < 4:
        raise DatasetError(f"{source}: {len(data)} bytes, too short for an IDX header (at least 4 expected)")
    magic = int.from_bytes(data[:4], "big")
    if expected_magic is not None and magic != expected_magic:
        raise DatasetError(
            f"{source}: wrong IDX magic number {magic} (0x{magic:08x}); expected {expected_magic} "
            f"(0x{expected_magic:08x}, {_describe_magic(expected_magic)})"
        )
    type_code, ndim = data[2], data[3]
    if data[0] != 0 or data[1] != 0 or type_code not in _IDX_DTYPES or ndim == 0:
        raise DatasetError(f"{source}: not an IDX file (magic 0x{magic:08x}); expected 00 00 <type> <ndim>")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DatasetError(
            f"{source}: truncated header; {ndim} dimensions need {header} bytes, found {len(data)}"
        )
    dims = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = _IDX_DTYPES[type_code]
    expected = int(np.prod(dims, dtype=np.int64)) * dtype.itemsize
    found = len(data) - header
    if found != expected:
        kind = "truncated" if found < expected else "trailing bytes"
        raise DatasetError(
            f"{source}: {kind}; header declares shape {dims} of {dtype.name} = {expected} bytes of data, "
            f"found {found}"
        )
    array = np.frombuffer(data, dtype=dtype, offset=header).reshape(dims)
    # Native byte order and a writable copy: torch.from_numpy refuses read-only or big-endian arrays.
    return array.astype(dtype.newbyteorder("="), copy=True)


def _describe_magic(magic: int) -> str:
    names = {IMAGES_MAGIC: "uint8 images, 3 dims", LABELS_MAGIC: "uint8 labels, 1 dim"}
    return names.get(magic, "IDX")


def encode_idx(array: np.ndarray) -> bytes:
    """An array as IDX bytes (the inverse of `parse_idx`), for fixtures and exported subsets."""
    dtype = np.dtype(array.dtype).newbyteorder(">") if array.dtype.itemsize > 1 else np.dtype(array.dtype)
    code = _IDX_CODES.get(dtype)
    if code is None or array.ndim == 0:
        raise ValueError(f"IDX cannot store {array.dtype} arrays of {array.ndim} dims")
    header = bytes([0, 0, code, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    return header + np.ascontiguousarray(array, dtype=dtype).tobytes()


def download(
    folder: str | Path,
    *,
    base_url: str = BASE_URL,
    names: tuple[str, ...] = tuple(OFFICIAL_FILES),
    timeout_s: float = 30.0,
    progress: bool = True,
) -> list[Path]:
    """Fetch the official files into `folder`, skipping those already there and valid.

    Each file is streamed into a temp file beside its target, checked against the published SHA-256 and
    only then moved into place with `os.replace`, so an interrupted download never leaves a file that
    looks complete. Offline, the error says where to put the files by hand.
    """
    from tqdm import tqdm  # only a download needs a progress bar

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        official = OFFICIAL_FILES.get(name)
        if official is None:
            raise ValueError(
                f"{name!r} is not a Fashion-MNIST file; expected one of {sorted(OFFICIAL_FILES)}"
            )
        target = folder / name
        if target.is_file() and _sha256_file(target) == official.sha256:
            paths.append(target)
            continue
        url = base_url.rstrip("/") + "/" + name
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
        tmp = Path(tmp_name)
        try:
            digest = hashlib.sha256()
            with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout_s) as response:
                total = int(response.headers.get("Content-Length") or 0) or None
                with tqdm(total=total, unit="B", unit_scale=True, desc=name, disable=not progress) as bar:
                    while chunk := response.read(1 << 16):
                        out.write(chunk)
                        digest.update(chunk)
                        bar.update(len(chunk))
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != official.sha256:
                raise DatasetError(
                    f"{url}: downloaded file has sha256 {digest.hexdigest()}, expected {official.sha256}; "
                    f"nothing was written to {target}"
                )
            os.replace(tmp, target)
        except (OSError, http.client.HTTPException) as exc:
            raise DatasetError(_missing_message(folder, f"could not download {url} ({exc})")) from exc
        finally:
            tmp.unlink(missing_ok=True)
        log.info("downloaded %s (%d bytes)", target, target.stat().st_size)
        paths.append(target)
    return paths


def _missing_message(folder: Path, what: str) -> str:
    names = ", ".join(OFFICIAL_FILES)
    return (
        f"{what}. Put the four Fashion-MNIST files ({names}) into {folder}: download them from {BASE_URL} "
        f"or https://github.com/zalandoresearch/fashion-mnist (data/fashion/), or on Debian/Ubuntu run "
        f"`apt-get install {DEBIAN_PACKAGE}` and use the folder `dpkg -L {DEBIAN_PACKAGE}` lists"
    )


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
