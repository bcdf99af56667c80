"""`livebot train | worker | jobs | models`: training jobs and the model registry from the command line."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from bot.config import Config
from bot.models import jobs_path, models_path, open_jobs, open_registry, work_path, worker_spec
from training.context import JobCancelled, WorkerContext
from training.jobs import Job, JobError
from training.kinds import DISTRIBUTED_KINDS, KINDS, runner
from training.registry import RegistryError, Version
from training.worker import WorkerPool, heartbeat, job_dir


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    train = sub.add_parser(
        "train",
        parents=[common],
        help="train a model (foreground with a progress bar, or queued for the workers)",
        description="Kinds: "
        + "; ".join(f"{k}: {d}" for k, (_, d) in KINDS.items())
        + "; question-detector: the shop-question detector.",
    )
    train.add_argument("kind", choices=(*KINDS, "question-detector"))
    train.add_argument("--device", help="auto | cpu | cuda | cuda:N | mps (default: training.device)")
    length = train.add_mutually_exclusive_group()
    length.add_argument("--epochs", type=float)
    length.add_argument("--steps", type=int)
    train.add_argument("--resume", action="store_true", help="continue this kind's last stopped job")
    train.add_argument("--data", metavar="PATH", help="training data (a file or folder; see the kind)")
    train.add_argument("--background", action="store_true", help="queue the job for the workers")
    train.add_argument("--nproc", type=int, default=1, help="processes for DDP via torchrun (text)")
    train.add_argument(
        "--param", action="append", default=[], metavar="KEY=VALUE", help="a kind's parameter (repeatable)"
    )
    train.add_argument("--json", action="store_true")

    worker = sub.add_parser("worker", parents=[common], help="run training workers until Ctrl-C")
    worker.add_argument("--workers", type=int, help="default: training.workers (at least 1)")
    worker.add_argument("--device", help="default: training.device")

    jobs = sub.add_parser("jobs", parents=[common], help="list, show or cancel training jobs")
    jobs.add_argument("action", nargs="?", choices=("list", "show", "cancel"), default="list")
    jobs.add_argument("id", nargs="?", type=int)
    jobs.add_argument("--limit", type=int, default=20)
    jobs.add_argument("--json", action="store_true")

    models = sub.add_parser(
        "models", parents=[common], help="list, show, promote or roll back model versions"
    )
    models.add_argument("action", choices=("list", "show", "promote", "rollback"))
    models.add_argument("kind", nargs="?")
    models.add_argument("version", nargs="?")
    models.add_argument("--json", action="store_true")


def parse_params(items: list[str]) -> dict[str, Any]:
    """KEY=VALUE pairs; values are JSON where they parse (numbers, true/false), else strings."""
    params: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"--param {item!r}: expected KEY=VALUE")
        try:
            params[key] = json.loads(value)
        except json.JSONDecodeError:
            params[key] = value
    return params


def job_params(args: argparse.Namespace) -> dict[str, Any]:
    params = parse_params(args.param)
    if args.data:
        params["data"] = str(Path(args.data).resolve())
    if args.epochs is not None:
        params["epochs"] = args.epochs
    if args.steps is not None:
        params["steps"] = args.steps
    return params


# -- train ---------------------------------------------------------------------------------------
def cmd_train(args: argparse.Namespace, config: Config) -> int:
    try:
        params = job_params(args)
    except ValueError as exc:
        print(f"livebot train: {exc}", file=sys.stderr)
        return 2
    store = open_jobs(config)
    try:
        if args.background:
            job_id = store.submit(args.kind, params, "cli", config.training.max_retries)
            _print(args.json, {"job": job_id, "status": "queued"}, f"queued {args.kind} job {job_id}")
            if config.training.workers == 0:
                print("training.workers = 0: run `livebot worker` to process it", file=sys.stderr)
            return 0
        worker = f"cli:{os.getpid()}"
        if args.resume:
            stopped = store.latest_stopped(args.kind)
            if stopped is None:
                print(f"livebot train: no stopped {args.kind} job to resume", file=sys.stderr)
                return 2
            job = store.resume_foreground(stopped.id, worker, params)
        else:
            job = store.start_foreground(args.kind, params, worker)
        if args.nproc > 1:
            return launch_ddp(args, config, job)
        return train_here(args, config, store, job)
    finally:
        store.close()


def train_here(args: argparse.Namespace, config: Config, store: Any, job: Job) -> int:
    from training.device import DeviceError, place

    try:
        # In the foreground nothing else runs: every core trains unless the config says otherwise.
        placement = place(
            args.device or config.training.device, config.training.threads or (os.cpu_count() or 1)
        )
    except DeviceError as exc:
        store.fail(job.id, str(exc), retry=False)
        print(f"livebot train: {exc}", file=sys.stderr)
        return 2
    ctx = WorkerContext(
        kind=job.kind,
        params=job.params,
        placement=placement,
        workdir=job_dir(work_path(config), job.id),
        registry=open_registry(config),
        job_id=job.id,
        store=store,
        bar=not args.json,
    )
    ctx.log(f"job {job.id} on {placement.describe()}")
    try:
        with heartbeat(store, job.id):
            version = runner(job.kind)(ctx)
    except (KeyboardInterrupt, JobCancelled) as exc:
        store.fail(job.id, f"stopped: {type(exc).__name__}", retry=False)
        ctx.close()
        print(f"\nstopped; `livebot train {job.kind} --resume` continues job {job.id}", file=sys.stderr)
        return 130
    except Exception as exc:
        store.fail(job.id, traceback.format_exc(), retry=False)
        ctx.close()
        print(f"livebot train {job.kind}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    ctx.close()
    store.succeed(job.id, version.name if version else None, version.manifest.metrics if version else None)
    _print_version(args.json, job.id, version)
    return 0


def launch_ddp(args: argparse.Namespace, config: Config, job: Job) -> int:
    """One torchrun process group on this machine: N ranks of `training.distributed`."""
    if job.kind not in DISTRIBUTED_KINDS:
        print(f"livebot train: --nproc is supported for {', '.join(DISTRIBUTED_KINDS)}", file=sys.stderr)
        return 2
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        f"--nproc-per-node={args.nproc}",
        "-m",
        "training.distributed",
        f"--kind={job.kind}",
        f"--params={json.dumps(job.params)}",
        f"--jobs={jobs_path(config)}",
        f"--job-id={job.id}",
        f"--models={models_path(config)}",
        f"--work={work_path(config)}",
        f"--device={args.device or config.training.device}",
        f"--threads={config.training.threads or max(1, (os.cpu_count() or 1) // args.nproc)}",
        f"--keep={config.training.keep_versions}",
        *(["--no-bar"] if args.json else []),
    ]
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
    code = subprocess.run(command, env=env, check=False).returncode
    store = open_jobs(config)
    try:
        done = store.get(job.id)
        if done.status == "running":  # torchrun died before rank 0 could record anything
            store.fail(job.id, f"torchrun exited with code {code}", retry=False)
            done = store.get(job.id)
        if done.status != "succeeded":
            print(f"livebot train: job {job.id} {done.status}", file=sys.stderr)
            return code or 1
        version = open_registry(config).get(job.kind, done.version) if done.version else None
    finally:
        store.close()
    _print_version(args.json, job.id, version)
    return 0


def _print_version(as_json: bool, job_id: int, version: Version | None) -> None:
    if version is None:
        _print(as_json, {"job": job_id, "version": None}, f"job {job_id} done")
        return
    _print(
        as_json,
        {
            "job": job_id,
            "kind": version.manifest.kind,
            "version": version.name,
            "metrics": version.manifest.metrics,
        },
        f"published {version.manifest.kind} {version.name} ({version.path})\n"
        + "\n".join(f"  {k}: {v}" for k, v in version.manifest.metrics.items()),
    )


def _print(as_json: bool, data: Any, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False) if as_json else text, flush=True)


# -- worker --------------------------------------------------------------------------------------
def cmd_worker(args: argparse.Namespace, config: Config) -> int:
    from bot.cli import wait_for_signal_sync

    pool = WorkerPool(worker_spec(config, args.device), max(1, args.workers or config.training.workers))
    pool.start()
    print(f"{pool.count} training worker(s) on {jobs_path(config)}; Ctrl-C stops them", flush=True)
    try:
        wait_for_signal_sync(pool.poll, every_s=1.0)
    finally:
        pool.stop()
    return 0


# -- jobs ----------------------------------------------------------------------------------------
def cmd_jobs(args: argparse.Namespace, config: Config) -> int:
    store = open_jobs(config)
    try:
        if args.action in ("show", "cancel") and args.id is None:
            print(f"livebot jobs {args.action}: needs a job id", file=sys.stderr)
            return 2
        if args.action == "cancel":
            status = store.cancel(args.id)
            _print(args.json, {"job": args.id, "status": status}, f"job {args.id}: {status}")
            return 0
        if args.action == "show":
            job = store.get(args.id, log_lines=50)
            if args.json:
                print(json.dumps(job.to_dict(), ensure_ascii=False))
            else:
                print(_job_detail(job))
            return 0
        jobs = store.list(limit=args.limit)
        if args.json:
            print(json.dumps([j.to_dict() for j in jobs], ensure_ascii=False))
        elif not jobs:
            print("no jobs")
        else:
            print(
                f"{'id':>4}  {'kind':<12} {'status':<10} {'progress':<16} {'version':<8} {'age':>6}  metrics"
            )
            for job in jobs:
                print(_job_line(job))
        return 0
    except JobError as exc:
        print(f"livebot jobs: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()


def _age(ts: float | None) -> str:
    if ts is None:
        return "-"
    s = time.time() - ts
    return f"{s:.0f}s" if s < 120 else f"{s / 60:.0f}m" if s < 7200 else f"{s / 3600:.0f}h"


def _job_line(job: Job) -> str:
    metrics = ", ".join(f"{k}={v}" for k, v in list(job.metrics.items())[:3])
    eta = f" eta {job.eta_s:.0f}s" if job.status == "running" and job.eta_s else ""
    return (
        f"{job.id:>4}  {job.kind:<12} {job.status:<10} {(job.progress + eta):<16} {job.version or '-':<8}"
        f" {_age(job.created):>6}  {metrics}"
    )


def _job_detail(job: Job) -> str:
    lines = [
        f"job {job.id}: {job.kind} {job.status} (source {job.source}, attempt {job.attempts}, "
        f"{job.max_retries} automatic retries allowed, worker {job.worker or '-'})",
        f"params: {json.dumps(job.params, ensure_ascii=False)}",
        f"progress: {job.progress or '-'}  metrics: {json.dumps(job.metrics)}",
        f"version: {job.version or '-'}",
    ]
    if job.error:
        lines += ["error:", job.error.rstrip()]
    if job.log_tail:
        lines += ["log:", *(f"  {line}" for line in job.log_tail)]
    return "\n".join(lines)


# -- models --------------------------------------------------------------------------------------
def cmd_models(args: argparse.Namespace, config: Config) -> int:
    registry = open_registry(config)
    try:
        if args.action == "list":
            kinds = [args.kind] if args.kind else registry.kinds()
            rows = []
            for kind in kinds:
                current = registry.current_name(kind)
                for v in registry.versions(kind):
                    rows.append({**_version_row(v), "current": v.name == current})
            if args.json:
                print(json.dumps(rows, ensure_ascii=False))
            elif not rows:
                print(f"no models in {registry.root}")
            else:
                for row in rows:
                    mark = "*" if row["current"] else " "
                    metrics = ", ".join(f"{k}={v}" for k, v in list(row["metrics"].items())[:4])
                    print(f"{mark} {row['kind']:<12} {row['version']:<6} {row['created']:<25} {metrics}")
            return 0
        if not args.kind:
            print(f"livebot models {args.action}: needs a kind", file=sys.stderr)
            return 2
        if args.action == "show":
            version = registry.get(args.kind, args.version) if args.version else registry.current(args.kind)
            if version is None:
                print(f"livebot models: {args.kind} has no current version", file=sys.stderr)
                return 2
            data = {**_version_row(version), "path": str(version.path), "manifest": version.manifest.__dict__}
            print(json.dumps(data, ensure_ascii=False, indent=None if args.json else 2))
            return 0
        if args.action == "promote":
            if not args.version:
                print("livebot models promote: needs KIND VERSION", file=sys.stderr)
                return 2
            version = registry.promote(args.kind, args.version)
        else:
            version = registry.rollback(args.kind)
        _print(args.json, _version_row(version), f"{args.kind}: now serving {version.name}")
        return 0
    except RegistryError as exc:
        print(f"livebot models: {exc}", file=sys.stderr)
        return 2


def _version_row(v: Version) -> dict[str, Any]:
    m = v.manifest
    return {
        "kind": m.kind,
        "version": m.version,
        "created": m.created,
        "metrics": m.metrics,
        "parent": m.parent,
        "job": m.job_id,
        "dataset": m.dataset,
    }
