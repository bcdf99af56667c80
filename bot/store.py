"""SQLite storage (WAL): chat log, viewer signals, audit log, per-room settings, the streamer's queue.

One thread owns the connection. Writes are queued without waiting (the event loop never blocks on disk)
and committed in batches; reads are awaited and answered from the same thread, after earlier writes.
Viewer ids are stored only as salted hashes, so the database alone does not identify anybody.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import queue
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chat_log (
    room TEXT NOT NULL, event_id INTEGER NOT NULL, ts_ms INTEGER NOT NULL,
    viewer TEXT NOT NULL, role TEXT NOT NULL, text TEXT NOT NULL,
    PRIMARY KEY (room, event_id)
);
CREATE TABLE IF NOT EXISTS signals (
    id INTEGER PRIMARY KEY, room TEXT NOT NULL, ts_ms INTEGER NOT NULL,
    viewer TEXT NOT NULL, kind TEXT NOT NULL, sku TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS signals_viewer ON signals (viewer);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY, room TEXT NOT NULL, ts_ms INTEGER NOT NULL,
    actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (
    room TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (room, key)
);
CREATE TABLE IF NOT EXISTS question_queue (
    id INTEGER PRIMARY KEY, room TEXT NOT NULL, ts_ms INTEGER NOT NULL, viewer_name TEXT NOT NULL,
    viewer TEXT NOT NULL, text TEXT NOT NULL, guess TEXT NOT NULL
);
"""

SIGNAL_KINDS = ("ask", "click", "purchase")
_STOP = object()


def _is_write(item: object) -> bool:
    return isinstance(item, tuple) and isinstance(item[0], str)


def now_ms() -> int:
    return int(time.time() * 1000)


class Store:
    """Owns one SQLite database. Use `await Store.open(path)` and `await store.close()`."""

    def __init__(self, path: Path, batch_size: int = 500, linger_s: float = 0.02):
        self.path = path
        self._jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._batch_size = batch_size
        self._linger_s = linger_s
        self._ready: Future[str] = Future()
        self._thread = threading.Thread(target=self._run, name=f"sqlite:{path.name}", daemon=True)
        self._salt = ""
        self.write_errors = 0

    @classmethod
    async def open(cls, path: Path) -> Store:
        store = cls(path)
        store._thread.start()
        store._salt = await asyncio.wrap_future(store._ready)
        return store

    # -- thread side -------------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(SCHEMA)
            row = db.execute("SELECT value FROM meta WHERE key='viewer_salt'").fetchone()
            if row is None:
                salt = secrets.token_hex(16)
                db.execute("INSERT INTO meta (key, value) VALUES ('viewer_salt', ?)", (salt,))
            else:
                salt = row[0]
        except Exception as exc:
            self._ready.set_exception(exc)
            return
        self._ready.set_result(salt)
        try:
            self._serve(db)
        finally:
            db.close()

    def _serve(self, db: sqlite3.Connection) -> None:
        while True:
            job = self._jobs.get()
            batch = [job]
            # Writes wait up to linger_s for company: a chat trickle then costs one commit per batch rather
            # than one per row (5x cheaper). A read ends the wait, so queries answer promptly.
            deadline = time.monotonic() + self._linger_s
            while len(batch) < self._batch_size and _is_write(batch[-1]):
                try:
                    batch.append(self._jobs.get(timeout=max(0.0, deadline - time.monotonic())))
                except queue.Empty:
                    break
            stop = False
            db.execute("BEGIN")
            for item in batch:
                if item is _STOP:
                    stop = True
                elif _is_write(item):
                    sql, params = item
                    try:
                        db.execute(sql, params)
                    except sqlite3.Error:
                        self.write_errors += 1
                        log.exception("database write failed: %s", sql.split("(")[0])
                else:
                    fn, fut = item
                    if fut.set_running_or_notify_cancel():
                        try:
                            fut.set_result(fn(db))
                        except BaseException as exc:
                            fut.set_exception(exc)
            db.execute("COMMIT")
            if stop:
                return

    # -- loop side ---------------------------------------------------------------------------------
    def write(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        """Queue a write; never blocks. Ordered before any later `query`."""
        self._jobs.put((sql, params))

    async def query(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        fut: Future[T] = Future()
        self._jobs.put((fn, fut))
        return await asyncio.wrap_future(fut)

    async def close(self) -> None:
        if self._thread.is_alive():
            self._jobs.put(_STOP)
            await asyncio.to_thread(self._thread.join)

    def viewer_key(self, uid: str) -> str:
        """Pseudonymous id for a viewer: a salted hash, stable for this database."""
        return hashlib.blake2b(uid.encode(), key=self._salt.encode(), digest_size=12).hexdigest()

    # -- records -----------------------------------------------------------------------------------
    def log_chat(self, room: str, event_id: int, ts_ms: int, uid: str, role: str, text: str) -> None:
        self.write(
            "INSERT OR IGNORE INTO chat_log (room, event_id, ts_ms, viewer, role, text) VALUES (?,?,?,?,?,?)",
            (room, event_id, ts_ms, self.viewer_key(uid), role, text),
        )

    def record_signal(self, room: str, uid: str, kind: str, sku: str, ts_ms: int | None = None) -> None:
        if kind not in SIGNAL_KINDS:
            raise ValueError(f"signal kind must be one of {SIGNAL_KINDS}, got {kind!r}")
        self.write(
            "INSERT INTO signals (room, ts_ms, viewer, kind, sku) VALUES (?,?,?,?,?)",
            (room, ts_ms or now_ms(), self.viewer_key(uid), kind, sku),
        )

    def audit(self, room: str, actor: str, action: str, detail: dict[str, Any] | str = "") -> None:
        text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)
        self.write(
            "INSERT INTO audit (room, ts_ms, actor, action, detail) VALUES (?,?,?,?,?)",
            (room, now_ms(), actor, action, text),
        )

    def set_setting(self, room: str, key: str, value: Any) -> None:
        self.write(
            "INSERT INTO settings (room, key, value) VALUES (?,?,?) "
            "ON CONFLICT (room, key) DO UPDATE SET value = excluded.value",
            (room, key, json.dumps(value)),
        )

    async def settings(self, room: str) -> dict[str, Any]:
        rows = await self.query(
            lambda db: db.execute("SELECT key, value FROM settings WHERE room = ?", (room,)).fetchall()
        )
        return {key: json.loads(value) for key, value in rows}

    def enqueue_question(self, room: str, viewer_name: str, uid: str, text: str, guess: str) -> None:
        self.write(
            "INSERT INTO question_queue (room, ts_ms, viewer_name, viewer, text, guess) VALUES (?,?,?,?,?,?)",
            (room, now_ms(), viewer_name, self.viewer_key(uid), text, guess),
        )

    async def queued_questions(self, room: str, limit: int = 20) -> list[dict[str, Any]]:
        def read(db: sqlite3.Connection) -> list[dict[str, Any]]:
            cur = db.execute(
                "SELECT id, ts_ms, viewer_name, text, guess FROM question_queue WHERE room = ? "
                "ORDER BY id LIMIT ?",
                (room, limit),
            )
            return [dict(zip(("id", "ts_ms", "name", "text", "guess"), row, strict=True)) for row in cur]

        return await self.query(read)

    async def clear_queue(self, room: str) -> int:
        def clear(db: sqlite3.Connection) -> int:
            return db.execute("DELETE FROM question_queue WHERE room = ?", (room,)).rowcount

        return await self.query(clear)

    async def count(self, table: str, room: str | None = None) -> int:
        if table not in ("chat_log", "signals", "audit", "question_queue"):
            raise ValueError(f"unknown table {table!r}")
        sql = f"SELECT COUNT(*) FROM {table}" + (" WHERE room = ?" if room is not None else "")
        params = (room,) if room is not None else ()
        return await self.query(lambda db: db.execute(sql, params).fetchone()[0])
