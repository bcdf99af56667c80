"""Training checkpoints (atomic, weights-only, RNG-exact) and device placement, on a tiny real torch model."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from training.checkpoint import (
    CHECKPOINT_NAME,
    CheckpointError,
    load_checkpoint,
    resume_point,
    save_checkpoint,
    set_rng_state,
)
from training.device import DeviceError, default_threads, place, resolve_device


class Tiny(torch.nn.Module):
    def __init__(self, d_in: int, d_hidden: int) -> None:
        super().__init__()
        self.net = torch.nn.Sequential(
            torch.nn.Linear(d_in, d_hidden), torch.nn.ReLU(), torch.nn.Linear(d_hidden, 1)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


@dataclass
class NotATensor:
    """Arbitrary pickled objects are what `weights_only` loading refuses."""

    value: int = 1


@pytest.fixture
def torch_threads() -> Iterator[int]:
    before = torch.get_num_threads()
    yield before
    torch.set_num_threads(before)


def trained(steps: int = 3) -> tuple[Tiny, torch.optim.Optimizer]:
    torch.manual_seed(0)
    model = Tiny(4, 8)
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.01)
    x, y = torch.randn(16, 4), torch.randn(16, 1)
    for _ in range(steps):
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    return model, optimizer


def payload(model: Tiny, optimizer: torch.optim.Optimizer, step: int = 3) -> dict[str, Any]:
    return {
        "step": step,
        "model_args": {"d_in": 4, "d_hidden": 8},
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "config": {"lr": 0.01, "name": "tiny", "betas": [0.9, 0.999]},
    }


def draws() -> tuple[float, list[float], list[float], float]:
    return (
        random.random(),
        np.random.rand(3).tolist(),
        torch.rand(3).tolist(),
        float(np.random.randn()),  # uses numpy's cached-gaussian state
    )


def test_round_trip_restores_model_and_optimizer(tmp_path: Path) -> None:
    model, optimizer = trained()
    path = save_checkpoint(tmp_path / "job-1" / CHECKPOINT_NAME, payload(model, optimizer))
    assert path == tmp_path / "job-1" / CHECKPOINT_NAME
    data = load_checkpoint(path)
    assert data["step"] == 3
    assert data["config"] == {"lr": 0.01, "name": "tiny", "betas": [0.9, 0.999]}
    assert set(data["rng"]) >= {"python", "numpy", "torch"}

    restored = Tiny(**data["model_args"])
    restored.load_state_dict(data["model"])
    for name, tensor in model.state_dict().items():
        assert torch.equal(restored.state_dict()[name], tensor), name
    x = torch.randn(5, 4)
    assert torch.equal(restored(x), model(x))

    opt = torch.optim.AdamW(restored.parameters(), lr=0.5)
    opt.load_state_dict(data["optimizer"])
    assert opt.param_groups[0]["lr"] == 0.01
    for key, state in optimizer.state_dict()["state"].items():
        got = opt.state_dict()["state"][key]
        assert torch.equal(got["exp_avg"], state["exp_avg"])
        assert torch.equal(got["exp_avg_sq"], state["exp_avg_sq"])
        assert float(got["step"]) == float(state["step"]) == 3.0


def test_loading_is_weights_only(tmp_path: Path) -> None:
    path = save_checkpoint(tmp_path / CHECKPOINT_NAME, {"step": 1, "model_args": {}, "extra": NotATensor()})
    with pytest.raises(CheckpointError, match=str(path)):
        load_checkpoint(path)


def test_rng_states_are_restored_exactly(tmp_path: Path) -> None:
    random.seed(11)
    np.random.seed(11)
    torch.manual_seed(11)
    np.random.randn()  # leave numpy with a cached gaussian, the awkward part of its state
    random.gauss(0, 1)
    path = save_checkpoint(tmp_path / CHECKPOINT_NAME, {"step": 0, "model_args": {}})
    expected = draws()
    for _ in range(5):  # move every generator on, as the rest of an interrupted run would
        draws()
    assert draws() != expected

    set_rng_state(load_checkpoint(path)["rng"])
    assert draws() == expected


def test_save_replaces_atomically_and_leaves_no_temp_file(tmp_path: Path) -> None:
    model, optimizer = trained(1)
    path = tmp_path / CHECKPOINT_NAME
    save_checkpoint(path, payload(model, optimizer, step=1))
    save_checkpoint(path, payload(model, optimizer, step=2))
    assert sorted(p.name for p in tmp_path.iterdir()) == [CHECKPOINT_NAME]
    assert load_checkpoint(path)["step"] == 2


def test_a_garbage_checkpoint_raises_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "job-3" / CHECKPOINT_NAME
    path.parent.mkdir()
    path.write_bytes(b"\x00not a zip file, a power cut mid-write" * 10)
    with pytest.raises(CheckpointError, match=f"{path}: not a readable livebot checkpoint"):
        load_checkpoint(path)
    with pytest.raises(CheckpointError, match=str(path)):
        resume_point(path.parent)


def test_a_truncated_checkpoint_raises_checkpoint_error(tmp_path: Path) -> None:
    model, optimizer = trained(1)
    path = save_checkpoint(tmp_path / CHECKPOINT_NAME, payload(model, optimizer))
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(CheckpointError, match=str(path)):
        load_checkpoint(path)


@pytest.mark.parametrize(
    "data",
    [
        {"model_args": {}},  # no step
        {"step": 3},  # no model_args
        {"weights": torch.zeros(2)},
        [1, 2, 3],
        torch.ones(3),
    ],
    ids=["no-step", "no-model-args", "foreign-dict", "list", "tensor"],
)
def test_a_file_that_is_not_a_livebot_checkpoint_is_refused(tmp_path: Path, data: Any) -> None:
    path = tmp_path / CHECKPOINT_NAME
    torch.save(data, path)
    with pytest.raises(CheckpointError, match=f"{path}: missing 'step' or 'model_args'"):
        load_checkpoint(path)


def test_a_missing_checkpoint_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_checkpoint(tmp_path / CHECKPOINT_NAME)


def test_resume_point(tmp_path: Path) -> None:
    assert resume_point(tmp_path / "never-created") is None
    folder = tmp_path / "job-9"
    folder.mkdir()
    assert resume_point(folder) is None
    (folder / "notes.txt").write_text("not a checkpoint", encoding="utf-8")
    assert resume_point(folder) is None
    model, optimizer = trained(1)
    save_checkpoint(folder / CHECKPOINT_NAME, payload(model, optimizer, step=7))
    found = resume_point(folder)
    assert found is not None and found["step"] == 7


# -- device placement -------------------------------------------------------------------------------
def test_auto_resolves_to_the_best_device_here() -> None:
    device = resolve_device("auto")
    if torch.cuda.is_available():
        assert device == torch.device("cuda", 0)
    elif torch.backends.mps.is_available():
        assert device.type == "mps"
    else:
        assert device == torch.device("cpu")
    assert resolve_device(" CPU ") == torch.device("cpu")


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
@pytest.mark.parametrize("spec", ["cuda", "cuda:0", "cuda:3"])
def test_cuda_without_cuda_is_a_clear_error(spec: str) -> None:
    with pytest.raises(DeviceError, match=f"device '{spec}': this machine has no CUDA device"):
        resolve_device(spec)


# ids=repr: a bare id "gpu" would make conftest treat the case as a `gpu`-marked test and skip it.
@pytest.mark.parametrize(
    "spec", ["gpu", "cuda:", "cuda:x", "cpu:0", "", "tpu", "cuda0", "auto,cpu"], ids=repr
)
def test_malformed_device_specs_are_refused(spec: str) -> None:
    with pytest.raises(DeviceError, match="expected auto, cpu, mps, cuda or cuda:N"):
        resolve_device(spec)
    assert issubclass(DeviceError, ValueError)


def test_default_threads() -> None:
    assert default_threads(0) == max(1, (os.cpu_count() or 1) - 1)
    assert default_threads(-1) == default_threads(0)
    assert default_threads(3) == 3
    assert default_threads(1) == 1


def test_place_sets_torch_threads(torch_threads: int) -> None:
    placement = place("cpu", threads=1)
    assert torch.get_num_threads() == 1
    assert placement.device == torch.device("cpu")
    assert placement.kind == "cpu"
    assert placement.threads == 1
    assert placement.amp_dtype is None
    assert placement.describe() == "cpu (1 threads)"
    with placement.autocast():  # full precision on the CPU: a no-op context
        assert torch.ones(2).dtype == torch.float32

    placement = place("cpu", threads=0)
    assert placement.threads == torch.get_num_threads() == default_threads(0)


def test_place_with_a_bad_spec_changes_nothing(torch_threads: int) -> None:
    torch.set_num_threads(1)
    with pytest.raises(DeviceError):
        place("gpu", threads=2)
    assert torch.get_num_threads() == 1
