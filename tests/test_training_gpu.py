"""CUDA paths of the training workers: device choice, bf16 autocast, a text job trained and published on
the GPU, and DDP over NCCL when there are two GPUs. Skipped on machines without CUDA (see conftest)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from tests.test_training_worker import tiny_text_params, write_corpus
from training.context import JobContext
from training.device import place, resolve_device
from training.registry import Registry
from training.train_text import run as train_text

pytestmark = pytest.mark.gpu


def test_auto_picks_cuda_one_gpu_per_worker() -> None:
    count = torch.cuda.device_count()
    assert resolve_device("auto", 0) == torch.device("cuda", 0)
    assert resolve_device("auto", count) == torch.device("cuda", 0)  # worker i gets GPU i mod count
    assert resolve_device(f"cuda:{count - 1}").index == count - 1


def test_bf16_autocast_where_supported() -> None:
    threads = torch.get_num_threads()
    placement = place("cuda", threads=threads)
    assert placement.device.type == "cuda"
    expected = torch.bfloat16 if torch.cuda.is_bf16_supported() else None
    assert placement.amp_dtype == expected
    with placement.autocast():
        y = torch.nn.Linear(8, 8).to(placement.device)(torch.randn(4, 8, device=placement.device))
    assert y.dtype == (expected or torch.float32)


def test_a_text_job_trains_on_the_gpu_and_publishes(tmp_path: Path) -> None:
    placement = place("cuda", threads=torch.get_num_threads())
    registry = Registry(tmp_path / "models")
    ctx = JobContext(
        "text", tiny_text_params(write_corpus(tmp_path), steps=30), placement, tmp_path / "job", registry
    )
    version = train_text(ctx)
    assert version is not None and version.manifest.metrics["steps"] == 30
    assert version.manifest.metrics["val_loss"] < 10
    checkpoint = torch.load(tmp_path / "job" / "checkpoint.pt", map_location="cpu", weights_only=True)
    assert checkpoint["step"] == 30
