"""Worker processes that take jobs from the queue, and the pool that keeps them alive.

Each worker is a separate process (spawn: no state inherited from the bot, CUDA-safe) bound to one device.
It claims the oldest queued job, runs its kind's training function, and records the outcome. An exception
fails that attempt with its traceback (and the job is retried while it has retries left); a worker that dies
outright (SIGKILL, out of memory, a segfault in native code) is noticed by the pool, which fails the attempt,
starts a new worker, and the retry resumes from the job's last checkpoint. Nothing here runs in the bot's
event loop: the bot calls `WorkerPool.poll` from a thread.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import signal
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.context import SpawnProcess
from pathlib import Path
from typing import Any

from training.context import JobCancelled, JobInterrupted, WorkerContext
from training.device import place
from training.jobs import Job, JobStore
from training.kinds import runner
from training.registry import Registry

log = logging.getLogger(__name__)
HEARTBEAT_EVERY_S = 5.0
HEARTBEAT_STALE_S = 60.0  # a running job silent this long belongs to a process that is gone


@dataclass(frozen=True)
class WorkerSpec:
    """Everything a worker process needs; plain data so it pickles across spawn."""

    index: int
    jobs_db: Path
    models_dir: Path
    work_dir: Path  # <work_dir>/<job id>/ holds a job's checkpoints
    device: str = "auto"
    threads: int = 0
    keep_versions: int = 5
    poll_s: float = 0.5
    kinds: tuple[str, ...] | None = None
    log_level: int = logging.INFO


def job_dir(work_dir: Path, job_id: int) -> Path:
    return work_dir / f"job-{job_id}"


def run_job(
    job: Job, spec: WorkerSpec, store: JobStore, registry: Registry, stop: Any, placement: Any
) -> None:
    """Run one claimed job to an outcome recorded in the store."""
    ctx = WorkerContext(
        kind=job.kind,
        params=job.params,
        placement=placement,
        workdir=job_dir(spec.work_dir, job.id),
        registry=registry,
        job_id=job.id,
        store=store,
        stop_requested=stop,
    )
    ctx.log(f"attempt {job.attempts} on {os.getpid()} ({placement.describe()})")
    try:
        with heartbeat(store, job.id):
            version = runner(job.kind)(ctx)
    except JobCancelled:
        store.mark_cancelled(job.id)
        ctx.log("cancelled")
    except JobInterrupted:
        store.requeue(job.id)
        ctx.log("interrupted by shutdown; queued again, resumes from its checkpoint")
    except Exception:
        status = store.fail(job.id, traceback.format_exc())
        log.warning("job %d (%s) attempt %d failed -> %s", job.id, job.kind, job.attempts, status)
    else:
        store.succeed(
            job.id, version.name if version else None, version.manifest.metrics if version else None
        )
        ctx.log(f"published {job.kind} {version.name}" if version else "done")
    finally:
        ctx.close()


@contextlib.contextmanager
def heartbeat(store: JobStore, job_id: int) -> Iterator[None]:
    """Heartbeats from a thread while the body runs: one long step (a big fit, an evaluation) must not look
    like a dead process to the pool that watches for stale jobs."""
    done = threading.Event()

    def beat() -> None:
        while not done.wait(HEARTBEAT_EVERY_S):
            store.heartbeat(job_id)

    thread = threading.Thread(target=beat, name=f"heartbeat-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def worker_main(spec: WorkerSpec, stop: Any) -> None:
    """A worker process's body: claim, run, repeat, until `stop` is set or the parent is gone."""
    logging.basicConfig(
        level=spec.log_level, format=f"%(asctime)s worker{spec.index} %(levelname)s %(message)s"
    )
    # The pool stops workers through `stop`; Ctrl-C in the terminal is the parent's to handle.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    placement = place(spec.device, spec.threads, spec.index)
    store = JobStore(spec.jobs_db)
    registry = Registry(spec.models_dir, keep=spec.keep_versions)
    parent = os.getppid()
    name = worker_name(spec.index, os.getpid())
    try:
        while not stop.is_set() and os.getppid() == parent:
            job = store.claim(name, spec.kinds)
            if job is None:
                stop.wait(spec.poll_s)
                continue
            run_job(job, spec, store, registry, stop, placement)
    finally:
        store.close()


def worker_name(index: int, pid: int) -> str:
    return f"worker{index}:{pid}"


@dataclass
class WorkerPool:
    """Starts `count` workers and keeps them alive; `poll()` is cheap and sync (call it from a thread)."""

    spec: WorkerSpec
    count: int = 1
    cancel_grace_s: float = 10.0
    restart_backoff_s: float = 1.0
    _ctx: Any = field(default_factory=lambda: mp.get_context("spawn"))
    _procs: dict[int, SpawnProcess] = field(default_factory=dict)
    _stop: Any = None
    _store: JobStore | None = None
    _restarts: dict[int, float] = field(default_factory=dict)

    @property
    def store(self) -> JobStore:
        if self._store is None:
            self._store = JobStore(self.spec.jobs_db)
        return self._store

    def start(self) -> None:
        self._stop = self._ctx.Event()
        self._fail_stale()
        for index in range(self.count):
            self._spawn(index)

    def _spawn(self, index: int) -> None:
        spec = WorkerSpec(**{**self.spec.__dict__, "index": index})
        proc = self._ctx.Process(target=worker_main, args=(spec, self._stop), name=f"livebot-worker{index}")
        proc.start()
        self._procs[index] = proc
        log.info("training worker %d started (pid %s, device %s)", index, proc.pid, spec.device)

    def pids(self) -> dict[int, int | None]:
        """Every worker slot's pid; None while a slot waits out its restart backoff."""
        procs = dict(self._procs)  # poll() may change the dict from its thread
        return {i: procs[i].pid if i in procs else None for i in range(self.count)}

    def poll(self) -> None:
        """Restart dead workers (failing the attempt they were running) and stop stuck cancelled jobs."""
        now = time.monotonic()
        for index, proc in list(self._procs.items()):
            if proc.is_alive() or self._stop.is_set():
                continue
            name = worker_name(index, proc.pid or 0)
            for job in self.store.running_on(name):
                status = self.store.fail(
                    job.id, f"{name} died (exit code {proc.exitcode}) while running job {job.id}"
                )
                log.warning("job %d: its worker %s died (exit %s) -> %s", job.id, name, proc.exitcode, status)
            proc.close()
            del self._procs[index]
        for index in range(self.count):
            if index in self._procs or self._stop.is_set():
                continue
            # A worker that dies right after its restart waits a moment: a crash loop must not eat the CPU.
            if now - self._restarts.get(index, -1e9) >= self.restart_backoff_s:
                self._restarts[index] = now
                self._spawn(index)
        for job in self.store.overdue_cancels(self.cancel_grace_s):
            self._kill_worker_of(job)
        self._fail_stale()

    def _fail_stale(self) -> None:
        """Jobs left `running` by a process that is gone (a livebot that was killed): retry them."""
        ours = {worker_name(i, p.pid or 0) for i, p in self._procs.items() if p.is_alive()}
        for job in self.store.stale(HEARTBEAT_STALE_S):
            if job.worker not in ours:
                self.store.fail(job.id, f"{job.worker} stopped sending heartbeats (its livebot was stopped?)")

    def _kill_worker_of(self, job: Job) -> None:
        for index, proc in self._procs.items():
            if job.worker == worker_name(index, proc.pid or 0) and proc.is_alive():
                log.warning(
                    "job %d ignored its cancel for %.0f s; stopping %s",
                    job.id,
                    self.cancel_grace_s,
                    job.worker,
                )
                proc.kill()
                proc.join(5)
        self.store.mark_cancelled(job.id)

    def stop(self, timeout_s: float = 10.0) -> None:
        """Ask workers to stop (their jobs go back to the queue, checkpointed), then make sure they have."""
        if self._stop is None:
            return
        self._stop.set()
        deadline = time.monotonic() + timeout_s
        for proc in self._procs.values():
            proc.join(max(0.1, deadline - time.monotonic()))
        for index, proc in self._procs.items():
            if proc.is_alive():
                proc.kill()
                proc.join(5)
                for job in self.store.running_on(worker_name(index, proc.pid or 0)):
                    self.store.requeue(job.id)
        self._procs.clear()
        if self._store is not None:
            self._store.close()
            self._store = None
