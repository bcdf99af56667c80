"""One prepared GPU check: every torch model kind trains a fixed number of steps on CUDA (bf16 autocast
where supported) and on the CPU, through the real `livebot train` command, and the throughput is printed
side by side (tokens/s for `text`, images/s for `gan` and `classifier`); then the `gpu`-marked tests run.

Every command's full output goes to LOG_DIR. Without CUDA the GPU column says so and the rest still runs.
Run through `bench/gpu_check.sh LOG_DIR [STEPS]`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LIVEBOT_SHARED_DATA", REPO.parent / "shared" / "data"))
LIVEBOT = Path(sys.executable).with_name("livebot")
RATE_KEYS = {"text": "tokens_per_s", "gan": "images_per_s", "classifier": "images_per_s"}


def kind_params(kind: str, out: Path) -> list[str]:
    if kind == "text":
        data = SHARED / "advertisegen"
        if not data.is_dir():
            data = out / "corpus.txt"
            data.write_text("\n".join(["这款纯棉T恤宽松落肩，夏天穿清爽透气"] * 2000), encoding="utf-8")
        return ["--data", str(data), "--param", "checkpoint_every=1000000"]
    return ["--data", str(SHARED / "fashion_mnist"), "--param", "checkpoint_every=1000000"]


def train(kind: str, device: str, steps: int, out: Path) -> dict[str, Any]:
    log = out / f"{kind}-{device}.log"
    command = [
        str(LIVEBOT), "train", kind, "--device", device, "--steps", str(steps), "--json",
        f"--set=storage.data_dir={json.dumps(str(out / f'data-{device}'))}",
        *kind_params(kind, out),
    ]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    log.write_text(f"$ {' '.join(command)}\n{done.stdout}\n{done.stderr}", encoding="utf-8")
    if done.returncode != 0:
        return {"ok": False, "wall_s": round(wall, 1), "error": done.stderr.strip().splitlines()[-1:]}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {"ok": True, "wall_s": round(wall, 1), "rate": result["metrics"].get(RATE_KEYS[kind]), **result}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log_dir", type=Path)
    parser.add_argument("--steps", type=int, default=300, help="GPU steps per kind (the CPU runs a quarter)")
    parser.add_argument("--kinds", default="text,gan,classifier")
    args = parser.parse_args(argv)
    out = args.log_dir.resolve()
    out.mkdir(parents=True, exist_ok=True)

    import torch

    cuda = torch.cuda.is_available()
    print(
        f"torch {torch.__version__}, CUDA {'available: ' + torch.cuda.get_device_name(0) if cuda else 'absent'}"
    )
    if cuda:
        print(f"bf16 supported: {torch.cuda.is_bf16_supported()}, GPUs: {torch.cuda.device_count()}")
    rows = []
    for kind in args.kinds.split(","):
        gpu = train(kind, "cuda", args.steps, out) if cuda else {"ok": False, "error": ["no CUDA"]}
        cpu = train(kind, "cpu", max(10, args.steps // 4), out)
        speedup = gpu["rate"] / cpu["rate"] if gpu.get("rate") and cpu.get("rate") else None
        rows.append({"kind": kind, "unit": RATE_KEYS[kind], "cuda": gpu, "cpu": cpu, "speedup": speedup})
        print(
            f"{kind:<10} {RATE_KEYS[kind]:<13} cuda {gpu.get('rate') or gpu.get('error')}  "
            f"cpu {cpu.get('rate') or cpu.get('error')}  speedup {f'x{speedup:.1f}' if speedup else '-'}",
            flush=True,
        )
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-m", "gpu", "-q", "-rs", str(REPO / "tests")],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    (out / "pytest-gpu.log").write_text(tests.stdout + tests.stderr, encoding="utf-8")
    print("gpu tests:", (tests.stdout.strip().splitlines() or ["(no output)"])[-1])
    (out / "summary.json").write_text(json.dumps({"cuda": cuda, "rows": rows}, indent=2), encoding="utf-8")
    return 0 if tests.returncode in (0, 5) else tests.returncode


if __name__ == "__main__":
    sys.exit(main())
