"""Worker processes on a real job queue: jobs run and publish, fail and retry, cancel, and resume after SIGKILL."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from training.jobs import Job, JobStore
from training.registry import Registry
from training.worker import WorkerPool, WorkerSpec, job_dir

pytestmark = pytest.mark.slow

LINES = [
    "这款纯棉T恤宽松落肩，夏天穿清爽透气",
    "法式碎花连衣裙，收腰设计显瘦又温柔",
    "高腰阔腿牛仔裤，修饰腿型百搭不挑人",
    "a soft cotton tee that keeps you cool all summer",
    "a floral dress with a fitted waist for weekend brunch",
    "wide-leg jeans with a high waist that go with everything",
]


def tiny_text_params(corpus: Path, steps: int, **extra: Any) -> dict[str, Any]:
    """A 2-layer LM small enough to train in a test; checkpoints often so a kill has one to resume from."""
    return {
        "data": str(corpus),
        "steps": steps,
        "hidden": 32,
        "layers": 2,
        "heads": 2,
        "seq_len": 16,
        "batch_size": 4,
        "vocab_size": 300,
        "warmup": 2,
        "checkpoint_every": 10,
        "eval_batches": 1,
        **extra,
    }


def write_corpus(folder: Path) -> Path:
    path = folder / "corpus.txt"
    path.write_text("\n".join(LINES * 20), encoding="utf-8")
    return path


def write_interactions(path: Path, users: int = 40) -> Path:
    rows = ["user_id,item_id,timestamp,weight"]
    for u in range(users):
        group = "A" if u % 2 else "B"
        rows += [f"u{u},{group}{(u + i) % 6},{1000 + 10 * u + i},1" for i in range(5)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def wait_for(
    store: JobStore,
    job_id: int,
    done: Callable[[Job], bool],
    pool: WorkerPool | None,
    timeout_s: float = 60.0,
) -> Job:
    """Poll the job (and supervise the pool) until `done(job)`; fail with the job's state on timeout."""
    deadline = time.monotonic() + timeout_s
    while True:
        if pool is not None:
            pool.poll()
        job = store.get(job_id)
        if done(job):
            return job
        if time.monotonic() > deadline:
            pytest.fail(f"job {job_id} never got there: {job}")
        time.sleep(0.05)


def finished(job: Job) -> bool:
    return job.status in ("succeeded", "failed", "cancelled")


@pytest.fixture
def pool(tmp_path: Path) -> Iterator[WorkerPool]:
    spec = WorkerSpec(
        0, tmp_path / "jobs.sqlite3", tmp_path / "models", tmp_path / "work", device="cpu", threads=1
    )
    workers = WorkerPool(spec, 1, cancel_grace_s=5.0, restart_backoff_s=0.0)
    workers.start()
    yield workers
    workers.stop()


def test_a_job_runs_in_a_worker_and_publishes(pool: WorkerPool, tmp_path: Path) -> None:
    store = pool.store
    job_id = store.submit("recommender", {"data": str(write_interactions(tmp_path / "events.csv"))})
    job = wait_for(store, job_id, finished, pool)
    assert job.status == "succeeded", job.error
    assert job.version == "v0001" and job.worker and job.worker.startswith("worker0:")
    assert job.worker.split(":")[1] != str(os.getpid())  # it ran in another process
    current = Registry(tmp_path / "models").current("recommender")
    assert current is not None and current.name == "v0001"
    assert current.manifest.job_id == job_id
    assert current.manifest.metrics["model_ndcg@10"] > current.manifest.metrics["popularity_ndcg@10"]


def test_a_failing_job_is_retried_then_fails_with_its_traceback(pool: WorkerPool, tmp_path: Path) -> None:
    store = pool.store
    job_id = store.submit("recommender", {"data": str(tmp_path / "missing.csv")}, max_retries=1)
    job = wait_for(store, job_id, finished, pool)
    assert job.status == "failed" and job.attempts == 2
    assert job.error is not None and "Traceback" in job.error and "missing.csv" in job.error
    # The worker survived its job's exception and takes the next one.
    ok = store.submit("recommender", {"data": str(write_interactions(tmp_path / "events.csv"))})
    assert wait_for(store, ok, finished, pool).status == "succeeded"


def test_cancel_stops_a_running_job_within_seconds(pool: WorkerPool, tmp_path: Path) -> None:
    store = pool.store
    job_id = store.submit("text", tiny_text_params(write_corpus(tmp_path), steps=1_000_000))
    wait_for(store, job_id, lambda j: j.status == "running" and j.step > 0, pool)
    asked = time.monotonic()
    assert store.cancel(job_id) == "cancelling"
    job = wait_for(store, job_id, finished, pool, timeout_s=15)
    assert job.status == "cancelled"
    assert job.version is None and Registry(tmp_path / "models").current_name("text") is None
    assert time.monotonic() - asked < 10  # the loop checks for a cancel about twice a second


def test_sigkill_mid_job_resumes_from_the_checkpoint(pool: WorkerPool, tmp_path: Path) -> None:
    store = pool.store
    total = 400
    job_id = store.submit("text", tiny_text_params(write_corpus(tmp_path), steps=total), max_retries=2)
    checkpoint = job_dir(tmp_path / "work", job_id) / "checkpoint.pt"
    wait_for(store, job_id, lambda j: j.status == "running" and checkpoint.exists(), pool)
    pid = pool.pids()[0]
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    job = wait_for(store, job_id, finished, pool, timeout_s=120)
    assert job.status == "succeeded", job.error
    assert (job.attempts == 2 and "died" in (job.error or "")) or job.attempts == 2
    resumed = [line for line in store.log_tail(job_id, 50) if line.startswith("resumed from step")]
    assert resumed, store.log_tail(job_id, 50)
    assert int(resumed[0].split()[3]) > 0  # not from zero
    assert job.step == total
    version = Registry(tmp_path / "models").current("text")
    assert version is not None and version.manifest.metrics["steps"] == total
