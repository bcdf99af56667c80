"""The job queue on a real SQLite file: submitting, claiming, progress, cancelling, retries, logs."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

from training.jobs import LOG_LINES_KEPT, Job, JobError, JobStore


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "state" / "jobs.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[JobStore]:
    jobs = JobStore(db_path)
    yield jobs
    jobs.close()


def a_traceback() -> str:
    try:
        {}["missing"]  # a real exception for a real traceback
    except KeyError:
        return traceback.format_exc()
    raise AssertionError("unreachable")


def test_submit_then_get_returns_a_queued_job(store: JobStore, db_path: Path) -> None:
    before = time.time()
    job_id = store.submit(
        "recommender", {"data": "/x.csv", "k": 3, "name": "ä"}, source="chat", max_retries=4
    )
    job = store.get(job_id)
    assert db_path.exists()
    assert job.id == job_id == 1
    assert job.kind == "recommender"
    assert job.params == {"data": "/x.csv", "k": 3, "name": "ä"}
    assert job.source == "chat"
    assert job.status == "queued"
    assert job.attempts == 0 and job.max_retries == 4
    assert before <= job.created <= time.time()
    assert job.started is None and job.finished is None and job.heartbeat is None
    assert job.worker is None and job.error is None and job.version is None
    assert job.cancel_requested is None
    assert (job.step, job.total, job.metrics, job.eta_s) == (0, 0, {}, None)
    assert job.log_tail == []
    assert job.progress == ""
    defaults = store.get(store.submit("text"))
    assert (defaults.params, defaults.source, defaults.max_retries) == ({}, "cli", 2)


def test_get_of_an_unknown_job_raises(store: JobStore) -> None:
    with pytest.raises(JobError, match="no job 99"):
        store.get(99)


def test_the_database_uses_wal(store: JobStore, db_path: Path) -> None:
    with sqlite3.connect(db_path) as other:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    other.close()


def test_list_is_newest_first_and_filters(store: JobStore) -> None:
    ids = [store.submit(kind) for kind in ("recommender", "text", "recommender", "gan")]
    assert [j.id for j in store.list()] == ids[::-1]
    assert [j.id for j in store.list(limit=2)] == [ids[3], ids[2]]
    assert [j.id for j in store.list(kind="recommender")] == [ids[2], ids[0]]
    store.cancel(ids[1])
    assert [j.id for j in store.list(status="cancelled")] == [ids[1]]
    assert [j.id for j in store.list(status="queued", kind="recommender")] == [ids[2], ids[0]]
    assert store.list(kind="classifier") == []


def test_pending_sees_queued_and_running_jobs_only(store: JobStore) -> None:
    assert not store.pending("recommender")
    job_id = store.submit("recommender")
    assert store.pending("recommender")
    assert not store.pending("text")
    store.claim("w1")
    assert store.pending("recommender")
    store.succeed(job_id, "v0001")
    assert not store.pending("recommender")


def test_claim_takes_the_oldest_queued_job_and_counts_the_attempt(store: JobStore) -> None:
    ids = [store.submit("recommender", {"n": i}) for i in range(3)]
    before = time.time()
    first = store.claim("w1")
    assert first is not None
    assert first.id == ids[0]
    assert first.status == "running"
    assert first.worker == "w1"
    assert first.attempts == 1
    assert first.started is not None and first.started >= before
    assert first.heartbeat == first.started
    second = store.claim("w2")
    third = store.claim("w1")
    assert second is not None and third is not None
    assert [second.id, third.id] == ids[1:]
    assert store.claim("w1") is None
    assert [j.id for j in store.running_on("w1")] == [ids[0], ids[2]]
    assert [j.id for j in store.running_on("w2")] == [ids[1]]


def test_claim_filters_by_kind(store: JobStore) -> None:
    text = store.submit("text")
    rec = store.submit("recommender")
    assert store.claim("w", kinds=("gan",)) is None
    got = store.claim("w", kinds=("recommender", "gan"))
    assert got is not None and got.id == rec
    got = store.claim("w", kinds=("text",))
    assert got is not None and got.id == text
    assert store.claim("w") is None


def test_claim_is_atomic_across_connections(db_path: Path) -> None:
    setup = JobStore(db_path)
    ids = {setup.submit("recommender", {"n": i}) for i in range(24)}
    setup.close()
    n = 4
    start = threading.Barrier(n)
    claimed: list[list[int]] = [[] for _ in range(n)]
    errors: list[BaseException] = []

    def work(i: int) -> None:
        own = JobStore(db_path)  # one connection each, like separate worker processes
        try:
            start.wait(timeout=10)
            while (job := own.claim(f"w{i}")) is not None:
                claimed[i].append(job.id)
        except BaseException as exc:  # reported in the test's thread
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    every = [job_id for ids_of_one in claimed for job_id in ids_of_one]
    assert sorted(every) == sorted(ids)  # each job exactly once
    for ids_of_one in claimed:
        assert ids_of_one == sorted(ids_of_one)  # FIFO within each worker
    check = JobStore(db_path)
    try:
        assert all(j.attempts == 1 and j.status == "running" for j in check.list(limit=100))
    finally:
        check.close()


def test_progress_is_recorded_and_reports_a_cancel_request(store: JobStore) -> None:
    job_id = store.submit("text")
    store.claim("w")
    assert store.progress(job_id, 3, 4, {"loss": 1.5}, eta_s=12.0) is False
    job = store.get(job_id)
    assert (job.step, job.total, job.metrics, job.eta_s) == (3, 4, {"loss": 1.5}, 12.0)
    assert job.progress == "3/4 (75%)"
    assert not store.cancel_requested(job_id)
    assert store.cancel(job_id) == "cancelling"
    assert store.cancel_requested(job_id)
    assert store.progress(job_id, 4, 4, {"loss": 1.0}, eta_s=0.0) is True
    assert store.progress(999, 1, 1, {}, None) is False  # an unknown job is not "cancelled"


def test_cancel_a_queued_job_cancels_it_at_once(store: JobStore) -> None:
    job_id = store.submit("recommender")
    assert store.cancel(job_id) == "cancelled"
    job = store.get(job_id)
    assert job.status == "cancelled"
    assert job.finished is not None and job.cancel_requested is not None
    assert store.claim("w") is None  # a worker never picks it up
    assert not store.pending("recommender")


def test_cancel_a_running_job_asks_it_to_stop(store: JobStore) -> None:
    job_id = store.submit("text")
    store.claim("w")
    assert store.cancel(job_id) == "cancelling"
    job = store.get(job_id)
    assert job.status == "running"
    assert job.cancel_requested is not None
    assert job.finished is None
    assert [j.id for j in store.overdue_cancels(grace_s=-60)] == [job_id]
    assert store.overdue_cancels(grace_s=3600) == []
    assert store.cancel(job_id) == "cancelling"  # asking twice is harmless
    store.mark_cancelled(job_id)
    job = store.get(job_id)
    assert job.status == "cancelled" and job.finished is not None
    assert store.overdue_cancels(grace_s=-60) == []


@pytest.mark.parametrize("end", ["succeeded", "failed", "cancelled"])
def test_cancel_of_a_finished_job_is_an_error(store: JobStore, end: str) -> None:
    job_id = store.submit("recommender", max_retries=0)
    store.claim("w")
    if end == "succeeded":
        store.succeed(job_id, "v0001")
    elif end == "failed":
        store.fail(job_id, "boom")
    else:
        store.cancel(job_id)
        store.mark_cancelled(job_id)
    assert store.get(job_id).status == end
    with pytest.raises(JobError, match=f"job {job_id} already {end}"):
        store.cancel(job_id)
    with pytest.raises(JobError, match="no job 42"):
        store.cancel(42)


def test_fail_requeues_until_the_retries_are_spent(store: JobStore) -> None:
    job_id = store.submit("text", max_retries=2)
    for attempt in (1, 2):
        job = store.claim("w")
        assert job is not None and job.attempts == attempt
        assert store.fail(job_id, f"attempt {attempt} failed") == "queued"
        job = store.get(job_id)
        assert job.status == "queued"
        assert job.error == f"attempt {attempt} failed"
        assert job.worker is None and job.finished is None
    job = store.claim("w")
    assert job is not None and job.attempts == 3
    text = a_traceback()
    assert store.fail(job_id, text) == "failed"
    job = store.get(job_id)
    assert job.status == "failed"
    assert job.error == text
    assert "Traceback (most recent call last)" in job.error and "KeyError: 'missing'" in job.error
    assert job.finished is not None
    assert store.claim("w") is None


def test_fail_without_retry_fails_at_once(store: JobStore) -> None:
    job_id = store.submit("text", max_retries=5)
    store.claim("w")
    assert store.fail(job_id, "bad config", retry=False) == "failed"
    assert store.get(job_id).status == "failed"
    with pytest.raises(JobError, match="no job 77"):
        store.fail(77, "x")


def test_a_late_fail_does_not_reopen_a_finished_job(store: JobStore) -> None:
    # The pool fails jobs it thinks are stale from another thread/process than the one running them; a fail
    # that arrives after the job succeeded must not put it back in the queue to be trained again.
    job_id = store.submit("recommender", max_retries=2)
    store.claim("w")
    store.succeed(job_id, "v0001", {"ndcg@10": 0.5})
    with contextlib.suppress(JobError):
        store.fail(job_id, "w stopped sending heartbeats")
    job = store.get(job_id)
    assert (job.status, job.version) == ("succeeded", "v0001")
    assert store.claim("w2") is None


def test_fail_after_a_cancel_request_means_cancelled(store: JobStore) -> None:
    job_id = store.submit("text", max_retries=5)
    store.claim("w")
    store.cancel(job_id)
    assert store.fail(job_id, "JobCancelled") == "cancelled"
    job = store.get(job_id)
    assert job.status == "cancelled"
    assert job.finished is not None
    assert job.error == "JobCancelled"


def test_requeue_does_not_count_the_attempt(store: JobStore) -> None:
    job_id = store.submit("text")
    job = store.claim("w")
    assert job is not None and job.attempts == 1
    store.requeue(job_id)
    job = store.get(job_id)
    assert (job.status, job.attempts, job.worker) == ("queued", 0, None)
    again = store.claim("w2")
    assert again is not None and again.id == job_id and again.attempts == 1
    store.succeed(job_id, None)
    store.requeue(job_id)  # only a running job goes back
    assert store.get(job_id).status == "succeeded"


def test_log_keeps_only_the_last_lines(store: JobStore) -> None:
    job_id = store.submit("text")
    other = store.submit("text")
    store.log(other, "other job's line")
    lines = [f"line {i}" for i in range(LOG_LINES_KEPT + 7)]
    for line in lines:
        store.log(job_id, line)
    assert store.log_tail(job_id, n=LOG_LINES_KEPT * 2) == lines[-LOG_LINES_KEPT:]
    assert store.log_tail(job_id, n=3) == lines[-3:]
    assert store.get(job_id).log_tail == lines[-20:]
    assert store.get(job_id, log_lines=2).log_tail == lines[-2:]
    assert store.log_tail(other) == ["other job's line"]
    store.log(other, "x" * 5000)
    assert len(store.log_tail(other)[-1]) == 2000


def test_stale_finds_running_jobs_whose_heartbeat_is_old(store: JobStore, db_path: Path) -> None:
    old = store.submit("text")
    fresh = store.submit("text")
    store.submit("text")  # queued: never stale
    store.claim("w")
    store.claim("w")
    assert store.stale(older_than_s=60) == []
    with sqlite3.connect(db_path) as other:
        other.execute("UPDATE jobs SET heartbeat = ? WHERE id = ?", (time.time() - 600, old))
    other.close()
    assert [j.id for j in store.stale(older_than_s=60)] == [old]
    assert fresh not in [j.id for j in store.stale(older_than_s=60)]
    store.heartbeat(old)
    assert store.stale(older_than_s=60) == []


def test_start_foreground_records_a_running_job_without_retries(store: JobStore) -> None:
    job = store.start_foreground("recommender", {"data": "/d.csv"}, worker="cli:1")
    assert job.status == "running"
    assert job.attempts == 1 and job.max_retries == 0
    assert job.worker == "cli:1" and job.source == "cli"
    assert job.params == {"data": "/d.csv"}
    assert job.started is not None and job.heartbeat is not None
    assert store.claim("w") is None  # a worker never takes a foreground job
    assert store.fail(job.id, "boom") == "failed"  # no retries in the foreground


def test_latest_stopped_and_resume_foreground(store: JobStore) -> None:
    assert store.latest_stopped("recommender") is None
    first = store.start_foreground("recommender", {"n": 1}, worker="cli:1")
    store.fail(first.id, "boom", retry=False)
    second = store.start_foreground("recommender", {"n": 2}, worker="cli:1")
    store.cancel(second.id)
    store.fail(second.id, "stopped: JobCancelled", retry=False)
    done = store.start_foreground("recommender", {"n": 3}, worker="cli:1")
    store.succeed(done.id, "v0001")
    store.start_foreground("text", {}, worker="cli:1")
    assert store.get(second.id).status == "cancelled"

    stopped = store.latest_stopped("recommender")
    assert stopped is not None and stopped.id == second.id  # the newest that did not finish
    resumed = store.resume_foreground(second.id, worker="cli:2")
    assert resumed.status == "running"
    assert resumed.attempts == 2
    assert resumed.worker == "cli:2"
    assert resumed.finished is None and resumed.cancel_requested is None
    assert resumed.params == {"n": 2}
    older = store.latest_stopped("recommender")
    assert older is not None and older.id == first.id

    with pytest.raises(JobError, match="only a stopped job can be resumed"):
        store.resume_foreground(second.id, worker="cli:3")  # it is running now
    with pytest.raises(JobError, match="only a stopped job can be resumed"):
        store.resume_foreground(done.id, worker="cli:3")  # succeeded


def test_two_stores_on_one_file_see_each_others_writes(db_path: Path) -> None:
    bot = JobStore(db_path)
    worker = JobStore(db_path)
    try:
        job_id = bot.submit("recommender", {"data": "x"}, source="chat")
        claimed = worker.claim("w1")
        assert claimed is not None and claimed.id == job_id and claimed.source == "chat"
        assert bot.get(job_id).status == "running"
        worker.progress(job_id, 1, 3, {"loss": 2.0}, None)
        worker.log(job_id, "fitting")
        seen = bot.get(job_id)
        assert (seen.step, seen.total, seen.log_tail) == (1, 3, ["fitting"])
        assert bot.cancel(job_id) == "cancelling"
        assert worker.cancel_requested(job_id)
        assert worker.fail(job_id, "stopped") == "cancelled"
        assert bot.get(job_id).status == "cancelled"
    finally:
        bot.close()
        worker.close()


def test_succeed_records_version_and_metrics(store: JobStore) -> None:
    job_id = store.submit("recommender")
    store.claim("w")
    store.progress(job_id, 3, 3, {"partial": 1.0}, None)
    store.succeed(job_id, "v0003", {"ndcg@10": 0.4})
    job = store.get(job_id)
    assert (job.status, job.version, job.metrics, job.error) == ("succeeded", "v0003", {"ndcg@10": 0.4}, None)
    assert job.finished is not None
    other = store.submit("recommender")
    store.claim("w")
    store.progress(other, 3, 3, {"kept": 2.0}, None)
    store.succeed(other, None)  # no metrics: the last progress metrics stay
    assert store.get(other).metrics == {"kept": 2.0}


def test_job_to_dict_is_json_serialisable(store: JobStore) -> None:
    job_id = store.submit("text", {"steps": 10, "lr": 0.001, "tags": ["a", "b"]})
    store.claim("w")
    store.progress(job_id, 2, 10, {"loss": 3.25}, eta_s=8.5)
    store.log(job_id, "step 2")
    store.fail(job_id, a_traceback())
    job = store.get(job_id)
    data = json.loads(json.dumps(job.to_dict()))
    assert data["id"] == job_id
    assert data["params"] == {"steps": 10, "lr": 0.001, "tags": ["a", "b"]}
    assert data["metrics"] == {"loss": 3.25}
    assert data["log_tail"] == ["step 2"]
    assert data["status"] == "queued"
    assert "KeyError" in data["error"]
    assert set(data) == set(Job.__dataclass_fields__)
