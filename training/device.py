"""Where a training process runs: the device, its autocast dtype and its CPU threads, decided once at start.

`auto` means CUDA (one GPU per worker, by worker index) when present, else Apple MPS, else the CPU. On the
CPU the worker leaves a core to the bot: measured on a 2-core machine, torch with 2 threads runs 4-5x slower
as soon as anything else is busy, so the default thread count is all cores but one.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # torch is imported where it is used: reading a config must not load it
    import torch

DEVICE_PATTERN = re.compile(r"^(auto|cpu|mps|cuda(:\d+)?)$")


class DeviceError(ValueError):
    """A device spec that is malformed or names hardware this machine does not have."""


@dataclass(frozen=True)
class Placement:
    device: torch.device
    # bf16 autocast on GPUs that support it; None = full precision (bf16 on this kind of CPU was slower).
    amp_dtype: torch.dtype | None
    threads: int

    @property
    def kind(self) -> str:
        return self.device.type

    def autocast(self) -> contextlib.AbstractContextManager[object]:
        import torch

        if self.amp_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(self.device.type, dtype=self.amp_dtype)

    def describe(self) -> str:
        import torch

        amp = f", autocast {str(self.amp_dtype).removeprefix('torch.')}" if self.amp_dtype else ""
        if self.device.type == "cuda":
            return f"{self.device} ({torch.cuda.get_device_name(self.device)}{amp})"
        return f"{self.device} ({self.threads} threads{amp})"


def resolve_device(spec: str, worker_index: int = 0) -> torch.device:
    """`auto|cpu|mps|cuda|cuda:N` -> a concrete device; worker i of a pool gets GPU i mod count."""
    import torch

    spec = spec.strip().lower()
    if not DEVICE_PATTERN.match(spec):
        raise DeviceError(f"device {spec!r}: expected auto, cpu, mps, cuda or cuda:N")
    if spec == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda", worker_index % torch.cuda.device_count())
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    if spec.startswith("cuda"):
        if not torch.cuda.is_available():
            raise DeviceError(f"device {spec!r}: this machine has no CUDA device (torch {torch.__version__})")
        index = int(spec.split(":")[1]) if ":" in spec else worker_index % torch.cuda.device_count()
        if index >= torch.cuda.device_count():
            raise DeviceError(f"device {spec!r}: only {torch.cuda.device_count()} CUDA device(s) here")
        return torch.device("cuda", index)
    if spec == "mps" and not _mps_available():
        raise DeviceError("device 'mps': Apple MPS is not available here")
    return torch.device(spec)


def _mps_available() -> bool:
    import torch

    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def default_threads(threads: int) -> int:
    """0 = all cores but one (at least one)."""
    if threads > 0:
        return threads
    return max(1, (os.cpu_count() or 1) - 1)


def place(spec: str = "auto", threads: int = 0, worker_index: int = 0, amp: bool = True) -> Placement:
    """Pick the device and set this process's torch threads; call once at process start."""
    import torch

    device = resolve_device(spec, worker_index)
    n_threads = default_threads(threads)
    torch.set_num_threads(n_threads)
    amp_dtype = None
    if amp and device.type == "cuda":
        torch.cuda.set_device(device)
        if torch.cuda.is_bf16_supported():
            amp_dtype = torch.bfloat16
    return Placement(device, amp_dtype, n_threads)
