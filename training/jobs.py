"""The job queue: one SQLite table shared by the bot, the CLI and the worker processes.

A job is a kind (`recommender`, `text`, `gan`, ...), JSON parameters, a status
(queued -> running -> succeeded | failed | cancelled), progress (step, total, metrics, ETA), a log tail, the
last error with its traceback and the model version it published. Every process opens its own connection;
WAL lets readers (the bot polling progress) run beside the writers (the workers).

A job that raises, or whose worker dies, goes back to `queued` until it has been tried `max_retries + 1`
times; because its checkpoints live in a folder named after the job id, the retry resumes where the last
attempt left off.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

STATUSES = ("queued", "running", "succeeded", "failed", "cancelled")
FINISHED = ("succeeded", "failed", "cancelled")
LOG_LINES_KEPT = 200

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    params TEXT NOT NULL DEFAULT '{}',
    source TEXT NOT NULL DEFAULT 'cli',
    status TEXT NOT NULL DEFAULT 'queued',
    created REAL NOT NULL,
    started REAL,
    finished REAL,
    heartbeat REAL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_retries INTEGER NOT NULL DEFAULT 2,
    worker TEXT,
    step INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0,
    metrics TEXT NOT NULL DEFAULT '{}',
    eta_s REAL,
    error TEXT,
    version TEXT,
    cancel_requested REAL
);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status, id);
CREATE TABLE IF NOT EXISTS job_log (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL,
    ts REAL NOT NULL,
    line TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS job_log_job ON job_log(job_id, id);
"""


class JobError(ValueError):
    """A job id that does not exist, or an operation its status does not allow."""


@dataclass
class Job:
    id: int
    kind: str
    params: dict[str, Any]
    source: str
    status: str
    created: float
    started: float | None
    finished: float | None
    heartbeat: float | None
    attempts: int
    max_retries: int
    worker: str | None
    step: int
    total: int
    metrics: dict[str, Any]
    eta_s: float | None
    error: str | None
    version: str | None
    cancel_requested: float | None
    log_tail: list[str] = field(default_factory=list)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Job:
        data = dict(row)
        data["params"] = json.loads(data["params"])
        data["metrics"] = json.loads(data["metrics"])
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def progress(self) -> str:
        if not self.total:
            return ""
        return f"{self.step}/{self.total} ({100 * self.step / self.total:.0f}%)"


class JobStore:
    """Sync access to the queue; the bot calls it through `asyncio.to_thread`."""

    def __init__(self, path: Path, timeout_s: float = 30.0):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(
            self.path, timeout=timeout_s, isolation_level=None, check_same_thread=False
        )
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _exec(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._db.execute(sql, params)

    # -- submitting and reading -------------------------------------------------------------------
    def submit(
        self, kind: str, params: dict[str, Any] | None = None, source: str = "cli", max_retries: int = 2
    ) -> int:
        cur = self._exec(
            "INSERT INTO jobs(kind, params, source, created, max_retries) VALUES (?, ?, ?, ?, ?)",
            (kind, json.dumps(params or {}, ensure_ascii=False), source, time.time(), max_retries),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def start_foreground(self, kind: str, params: dict[str, Any], worker: str) -> Job:
        """Record a job run in the caller's own process (`livebot train` without --background)."""
        now = time.time()
        row = self._exec(
            "INSERT INTO jobs(kind, params, source, status, created, started, heartbeat, attempts,"
            " max_retries, worker) VALUES (?, ?, 'cli', 'running', ?, ?, ?, 1, 0, ?) RETURNING *",
            (kind, json.dumps(params, ensure_ascii=False), now, now, now, worker),
        ).fetchone()
        return Job.from_row(row)

    def resume_foreground(self, job_id: int, worker: str, params: dict[str, Any] | None = None) -> Job:
        """Run a stopped job again in the caller's process; its checkpoint folder is reused. `params`
        (e.g. more steps) are merged over the job's own."""
        current = self.get(job_id, log_lines=0)
        merged = {**current.params, **(params or {})}
        row = self._exec(
            "UPDATE jobs SET status = 'running', started = ?, heartbeat = ?, worker = ?, attempts = attempts + 1,"
            " finished = NULL, cancel_requested = NULL, params = ?, max_retries = attempts"
            " WHERE id = ? AND status IN ('failed', 'cancelled', 'queued') RETURNING *",
            (time.time(), time.time(), worker, json.dumps(merged, ensure_ascii=False), job_id),
        ).fetchone()
        if row is None:
            raise JobError(f"job {job_id} is running or finished; only a stopped job can be resumed")
        return Job.from_row(row)

    def latest_stopped(self, kind: str) -> Job | None:
        """The newest job of `kind` that did not finish (failed, cancelled or still queued)."""
        row = self._exec(
            "SELECT * FROM jobs WHERE kind = ? AND status IN ('failed', 'cancelled', 'queued')"
            " ORDER BY id DESC LIMIT 1",
            (kind,),
        ).fetchone()
        return Job.from_row(row) if row is not None else None

    def get(self, job_id: int, log_lines: int = 20) -> Job:
        row = self._exec("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            raise JobError(f"no job {job_id}")
        job = Job.from_row(row)
        job.log_tail = self.log_tail(job_id, log_lines)
        return job

    def list(self, limit: int = 50, status: str | None = None, kind: str | None = None) -> list[Job]:
        where, args = [], []
        if status:
            where.append("status = ?")
            args.append(status)
        if kind:
            where.append("kind = ?")
            args.append(kind)
        sql = "SELECT * FROM jobs" + (f" WHERE {' AND '.join(where)}" if where else "")
        rows = self._exec(sql + " ORDER BY id DESC LIMIT ?", (*args, limit)).fetchall()
        return [Job.from_row(r) for r in rows]

    def pending(self, kind: str) -> bool:
        """A job of this kind is queued or running (schedules do not pile up duplicates)."""
        row = self._exec(
            "SELECT 1 FROM jobs WHERE kind = ? AND status IN ('queued', 'running') LIMIT 1", (kind,)
        ).fetchone()
        return row is not None

    def log_tail(self, job_id: int, n: int = 20) -> list[str]:
        rows = self._exec(
            "SELECT line FROM job_log WHERE job_id = ? ORDER BY id DESC LIMIT ?", (job_id, n)
        ).fetchall()
        return [r[0] for r in reversed(rows)]

    # -- the worker's side ------------------------------------------------------------------------
    def claim(self, worker: str, kinds: tuple[str, ...] | None = None) -> Job | None:
        """Take the oldest queued job (of the given kinds) for `worker`, atomically."""
        now = time.time()
        kind_filter = ""
        args: tuple[Any, ...] = ()
        if kinds:
            kind_filter = f" AND kind IN ({', '.join('?' * len(kinds))})"
            args = tuple(kinds)
        row = self._exec(
            "UPDATE jobs SET status = 'running', started = ?, heartbeat = ?, worker = ?,"
            " attempts = attempts + 1 WHERE id = (SELECT id FROM jobs WHERE status = 'queued'"
            f"{kind_filter} ORDER BY id LIMIT 1) AND status = 'queued' RETURNING *",
            (now, now, worker, *args),
        ).fetchone()
        return Job.from_row(row) if row is not None else None

    def progress(
        self, job_id: int, step: int, total: int, metrics: dict[str, Any], eta_s: float | None
    ) -> bool:
        """Record progress and a heartbeat; returns True when a cancel was requested."""
        row = self._exec(
            "UPDATE jobs SET step = ?, total = ?, metrics = ?, eta_s = ?, heartbeat = ? WHERE id = ?"
            " RETURNING cancel_requested",
            (step, total, json.dumps(metrics), eta_s, time.time(), job_id),
        ).fetchone()
        return row is not None and row[0] is not None

    def heartbeat(self, job_id: int) -> None:
        self._exec("UPDATE jobs SET heartbeat = ? WHERE id = ? AND status = 'running'", (time.time(), job_id))

    def cancel_requested(self, job_id: int) -> bool:
        row = self._exec("SELECT cancel_requested FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return row is not None and row[0] is not None

    def log(self, job_id: int, line: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO job_log(job_id, ts, line) VALUES (?, ?, ?)", (job_id, time.time(), line[:2000])
            )
            self._db.execute(
                "DELETE FROM job_log WHERE job_id = ? AND id <= (SELECT id FROM job_log WHERE job_id = ?"
                " ORDER BY id DESC LIMIT 1 OFFSET ?)",
                (job_id, job_id, LOG_LINES_KEPT),
            )

    def succeed(self, job_id: int, version: str | None, metrics: dict[str, Any] | None = None) -> None:
        sets = "status = 'succeeded', finished = ?, version = ?, error = NULL"
        args: tuple[Any, ...] = (time.time(), version)
        if metrics is not None:
            sets += ", metrics = ?"
            args += (json.dumps(metrics),)
        self._exec(f"UPDATE jobs SET {sets} WHERE id = ?", (*args, job_id))

    def mark_cancelled(self, job_id: int) -> None:
        self._exec(
            "UPDATE jobs SET status = 'cancelled', finished = ? WHERE id = ? AND status IN ('queued','running')",
            (time.time(), job_id),
        )

    def fail(self, job_id: int, error: str, retry: bool = True) -> str:
        """Record a failed attempt of a running job; it is queued again while it has retries left. A job
        that is no longer running (it finished meanwhile) is left alone. Returns the job's status."""
        with self._lock:
            row = self._db.execute(
                "SELECT status, attempts, max_retries, cancel_requested FROM jobs WHERE id = ?", (job_id,)
            ).fetchone()
            if row is None:
                raise JobError(f"no job {job_id}")
            if row["status"] != "running":
                return str(row["status"])
            cancelled = row["cancel_requested"] is not None
            again = retry and not cancelled and row["attempts"] <= row["max_retries"]
            status = "cancelled" if cancelled else "queued" if again else "failed"
            self._db.execute(
                "UPDATE jobs SET status = ?, error = ?, worker = NULL, finished = ? WHERE id = ? AND status = 'running'",
                (status, error, None if again else time.time(), job_id),
            )
        return status

    def requeue(self, job_id: int) -> None:
        """Put a running job back without counting the attempt (the pool is shutting down)."""
        self._exec(
            "UPDATE jobs SET status = 'queued', worker = NULL, attempts = MAX(attempts - 1, 0)"
            " WHERE id = ? AND status = 'running'",
            (job_id,),
        )

    def running_on(self, worker: str) -> list[Job]:
        rows = self._exec("SELECT * FROM jobs WHERE status = 'running' AND worker = ?", (worker,)).fetchall()
        return [Job.from_row(r) for r in rows]

    def stale(self, older_than_s: float) -> list[Job]:
        """Running jobs without a heartbeat for this long: their process is gone (a crashed bot)."""
        rows = self._exec(
            "SELECT * FROM jobs WHERE status = 'running' AND heartbeat < ?", (time.time() - older_than_s,)
        ).fetchall()
        return [Job.from_row(r) for r in rows]

    # -- cancelling -------------------------------------------------------------------------------
    def cancel(self, job_id: int) -> str:
        """Cancel a queued job at once; ask a running one to stop (its worker checks within seconds).
        Each branch is one conditional UPDATE, so a worker claiming the job meanwhile cannot slip between."""
        now = time.time()
        if self._exec(
            "UPDATE jobs SET status = 'cancelled', cancel_requested = ?, finished = ? WHERE id = ?"
            " AND status = 'queued' RETURNING id",
            (now, now, job_id),
        ).fetchone():
            return "cancelled"
        if self._exec(
            "UPDATE jobs SET cancel_requested = ? WHERE id = ? AND status = 'running' RETURNING id",
            (now, job_id),
        ).fetchone():
            return "cancelling"
        row = self._exec("SELECT status FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            raise JobError(f"no job {job_id}")
        raise JobError(f"job {job_id} already {row['status']}")

    def overdue_cancels(self, grace_s: float) -> list[Job]:
        """Running jobs asked to stop more than `grace_s` ago: their worker is stuck in a long step."""
        rows = self._exec(
            "SELECT * FROM jobs WHERE status = 'running' AND cancel_requested < ?", (time.time() - grace_s,)
        ).fetchall()
        return [Job.from_row(r) for r in rows]
