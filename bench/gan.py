"""The GAN against the standard: the class-conditional GAN and a reference unconditional DCGAN (the Radford
et al. architecture) trained in the same run on the same data with the same budget (epochs and batch size),
both graded by classifiers trained in this run too.

Prints, for each model: the classifier-feature Fréchet distance to the test set (real train vs test is the
floor), the conditional accuracy by the judge classifier and by an independently built check classifier
(conditional model only), training images/s; and the ratio of the two distances (< 1: the cGAN is closer
to the real data). Everything runs through the real training kinds (`training/train_*.py`) in this process.

Run: `python -m bench.gan [--data DIR] [--epochs 2] [--threads N]`.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import emit, machine, machine_line, ratio, setup_logging
from training.context import JobContext
from training.device import place
from training.registry import Registry
from training.train_classifier import run as train_classifier
from training.train_gan import run as train_gan

SHARED = Path(os.environ.get("LIVEBOT_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


def job(
    kind: str, params: dict[str, Any], runner: Any, registry: Registry, work: Path, spec: str, threads: int
) -> dict[str, Any]:
    ctx = JobContext(kind, params, place(spec, threads), work, registry, bar=True)
    started = time.perf_counter()
    version = runner(ctx)
    ctx.close()
    assert version is not None
    return {
        "version": version.name,
        "wall_s": round(time.perf_counter() - started, 1),
        **version.manifest.metrics,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    info = machine()
    data = str(args.data)
    with tempfile.TemporaryDirectory(prefix="livebot-bench-gan-") as tmp:
        root = Path(tmp)
        registry = Registry(root / "models")

        def go(name: str, kind: str, params: dict[str, Any], runner: Any) -> dict[str, Any]:
            return job(
                kind, {"data": data, **params}, runner, registry, root / name, args.device, args.threads
            )

        judge = go(
            "judge", "classifier", {"role": "judge", "epochs": args.classifier_epochs}, train_classifier
        )
        check = go(
            "check", "classifier", {"role": "check", "epochs": args.classifier_epochs}, train_classifier
        )
        budget = {"epochs": args.epochs, "seed": args.seed, "eval_n": args.n, "checkpoint_every": 10**9}
        cgan = go("cgan", "gan", {"model": "cgan", **budget}, train_gan)
        dcgan = go("dcgan", "gan", {"model": "dcgan", **budget}, train_gan)
    return {
        "bench": "gan",
        "machine": info,
        "params": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items() if k != "json"},
        "judge": judge,
        "check": check,
        "cgan": cgan,
        "dcgan": dcgan,
        "fd_ratio_cgan_vs_dcgan": ratio(cgan["fd"], dcgan["fd"]),
    }


def report(r: dict[str, Any]) -> list[str]:
    c, d = r["cgan"], r["dcgan"]
    return [
        machine_line(r["machine"]),
        f"budget: {r['params']['epochs']} epochs of Fashion-MNIST 32x32 per GAN, {r['params']['threads']} threads, "
        f"device {r['params']['device']}; {r['params']['n']} generated images graded",
        f"judge classifier (CNN):      test accuracy {r['judge']['test_accuracy']:.4f} ({r['judge']['wall_s']} s)",
        f"check classifier (LeNet):    test accuracy {r['check']['test_accuracy']:.4f} ({r['check']['wall_s']} s)",
        f"classifier-feature distance: real train vs test {c.get('fd_real')} (the floor)",
        f"  cGAN  {c['fd']:>9.3f}   cond. accuracy judge {c['cond_acc']:.3f}, check {c['check_acc']:.3f}   "
        f"{c['images_per_s']:.0f} img/s, {c['wall_s']} s",
        f"  DCGAN {d['fd']:>9.3f}   (unconditional: no class to check)                 "
        f"{d['images_per_s']:.0f} img/s, {d['wall_s']} s",
        f"ratio cGAN / DCGAN distance: {r['fd_ratio_cgan_vs_dcgan']:.3f}  (< 1: the cGAN is closer to real data)",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED / "fashion_mnist")
    parser.add_argument("--epochs", type=float, default=2.0, help="GAN budget, same for both (default 2)")
    parser.add_argument("--classifier-epochs", type=float, default=3.0)
    parser.add_argument("--n", type=int, default=1000, help="generated images to grade (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (default: all cores but one)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        parser.error(f"{args.data} is not a folder with Fashion-MNIST's files")
    setup_logging(args.verbose)
    result = run(args)
    emit(result, report(result), args.json)


if __name__ == "__main__":
    main()
