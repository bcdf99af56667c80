"""Self-describing training checkpoints, written atomically and loaded with `weights_only=True`.

A checkpoint holds everything a killed job needs to continue as if it never stopped: the model's
constructor arguments, its state, the optimizers', the grad scaler's, the step, every RNG state and the job's
config. It is written to a temp file in the same folder and moved over the old one with `os.replace`, so a
SIGKILL at any moment leaves either the previous checkpoint or the new one, never half of one.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import numpy as np
import torch

CHECKPOINT_NAME = "checkpoint.pt"


class CheckpointError(RuntimeError):
    """A checkpoint that cannot be read or does not belong to this job."""


def rng_state() -> dict[str, Any]:
    """Every RNG a training loop may draw from, in types `weights_only` loading accepts."""
    np_state = np.random.get_state()
    state: dict[str, Any] = {
        "python": random.getstate(),
        "numpy": {
            "algo": np_state[0],
            "keys": torch.from_numpy(np.asarray(np_state[1], dtype=np.int64)),
            "pos": int(np_state[2]),
            "has_gauss": int(np_state[3]),
            "cached_gaussian": float(np_state[4]),
        },
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict[str, Any]) -> None:
    random.setstate(_as_tuple(state["python"]))
    n = state["numpy"]
    np.random.set_state(
        (n["algo"], n["keys"].numpy().astype(np.uint32), n["pos"], n["has_gauss"], n["cached_gaussian"])
    )
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def _as_tuple(value: Any) -> Any:
    # random.setstate wants tuples all the way down; a round trip may hand back lists.
    if isinstance(value, list | tuple):
        return tuple(_as_tuple(v) for v in value)
    return value


def save_checkpoint(path: Path, payload: dict[str, Any]) -> Path:
    """Write `payload` (plus the RNG states) to `path` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {**payload, "rng": rng_state()}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        torch.save(data, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def load_checkpoint(path: Path, map_location: str | torch.device = "cpu") -> dict[str, Any]:
    """Read a checkpoint written by `save_checkpoint`; raises CheckpointError naming the file."""
    try:
        data = torch.load(path, map_location=map_location, weights_only=True)
    except FileNotFoundError:
        raise
    except Exception as exc:  # torch raises many types for a corrupt file; report them all the same way
        raise CheckpointError(f"{path}: not a readable livebot checkpoint ({exc})") from exc
    if not isinstance(data, dict) or "step" not in data or "model_args" not in data:
        raise CheckpointError(f"{path}: missing 'step' or 'model_args'; not a livebot checkpoint")
    return data


def resume_point(folder: Path, map_location: str | torch.device = "cpu") -> dict[str, Any] | None:
    """The checkpoint in `folder`, if one exists; a job calls this before its first step."""
    path = folder / CHECKPOINT_NAME
    if not path.exists():
        return None
    return load_checkpoint(path, map_location)
