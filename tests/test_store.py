from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.store import Store


async def test_wal_mode_and_pseudonymous_viewers(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "db.sqlite3")
    store.log_chat("r1", 1, 1000, "alice-uid-123", "viewer", "3号多少钱")
    store.record_signal("r1", "alice-uid-123", "click", "SKU1")
    store.record_signal("r1", "alice-uid-123", "purchase", "SKU1")
    assert await store.count("chat_log", "r1") == 1
    assert await store.count("signals") == 2
    await store.close()

    db = sqlite3.connect(tmp_path / "db.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    dump = "\n".join(db.iterdump())
    assert "alice-uid-123" not in dump  # only the salted hash is stored
    viewers = {row[0] for row in db.execute("SELECT viewer FROM signals")}
    assert len(viewers) == 1


async def test_viewer_hash_is_stable_per_database_and_differs_across_databases(tmp_path: Path) -> None:
    a = await Store.open(tmp_path / "a.sqlite3")
    key = a.viewer_key("u1")
    await a.close()
    a_again = await Store.open(tmp_path / "a.sqlite3")
    b = await Store.open(tmp_path / "b.sqlite3")
    assert a_again.viewer_key("u1") == key
    assert b.viewer_key("u1") != key
    await a_again.close()
    await b.close()


async def test_settings_and_queue_round_trip(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "db.sqlite3")
    store.set_setting("r1", "feature.promo", True)
    store.set_setting("r1", "feature.promo", False)
    store.set_setting("r2", "enabled", False)
    store.enqueue_question("r1", "小美", "u1", "这个会起球吗", "other")
    assert await store.settings("r1") == {"feature.promo": False}
    assert await store.settings("r2") == {"enabled": False}
    queued = await store.queued_questions("r1")
    assert [(q["name"], q["text"]) for q in queued] == [("小美", "这个会起球吗")]
    await store.close()


async def test_a_failed_write_is_counted_and_does_not_stop_later_writes(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "db.sqlite3")
    store.write("INSERT INTO no_such_table VALUES (1)")
    store.audit("r1", "bot", "send", {"text": "hi"})
    assert await store.count("audit") == 1
    assert store.write_errors == 1
    await store.close()
