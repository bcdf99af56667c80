"""`livebot train text --nproc 2` (torchrun, gloo on CPU) ends with the same parameters as one process with
the same global batch: each rank takes half of every batch and DDP averages the gradients."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from safetensors.torch import load_file

from generation.text.model import TextModelArgs, build_model
from tests.test_training_worker import tiny_text_params, write_corpus

pytestmark = pytest.mark.slow
LIVEBOT = Path(sys.executable).with_name("livebot")


def train(data_dir: Path, corpus: Path, *extra: str) -> dict:
    params = tiny_text_params(corpus, steps=6, batch_size=8)
    args = [str(LIVEBOT), "train", "text", "--json", "--log-level", "WARNING"]
    args += [f"--set=storage.data_dir={json.dumps(str(data_dir))}", "--set=training.threads=1"]
    args += [f"--param={k}={json.dumps(v)}" for k, v in params.items()]
    done = subprocess.run([*args, *extra], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_two_gloo_processes_match_one_process_with_the_same_global_batch(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path)
    one = train(tmp_path / "one", corpus)
    two = train(tmp_path / "two", corpus, "--nproc", "2")
    assert one["metrics"]["world_size"] == 1 and two["metrics"]["world_size"] == 2
    a = load_file(tmp_path / "one" / "models" / "text" / one["version"] / "writer" / "model.safetensors")
    b = load_file(tmp_path / "two" / "models" / "text" / two["version"] / "writer" / "model.safetensors")
    assert a.keys() == b.keys()
    for name in a:
        scale = a[name].abs().max().item() + 1e-12
        rel = (a[name] - b[name]).abs().max().item() / scale
        assert rel < 1e-5, f"{name}: relative difference {rel:.2e}"
    # Both really trained: the weights moved away from the seeded initial ones.
    manifest = json.loads(
        (tmp_path / "one" / "models" / "text" / one["version"] / "manifest.json").read_text()
    )
    initial = build_model(TextModelArgs(**manifest["config"]["model_args"]), seed=manifest["config"]["seed"])
    moved = max((initial.state_dict()[k] - a[k]).abs().max().item() for k in a if k in initial.state_dict())
    assert moved > 1e-3
