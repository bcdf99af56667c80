"""The model registry on a real folder: versions, manifests, CURRENT, history, pruning, verification."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any

import pytest

from training import __version__
from training.registry import CURRENT, HISTORY, MANIFEST, Registry, RegistryError, Version, fingerprint

KIND = "recommender"


def publish(registry: Registry, data: bytes = b"weights", kind: str = KIND, **kwargs: Any) -> Version:
    """Stage two files (one in a sub-folder) and publish them, as a training job does."""
    with registry.staging(kind) as stage:
        (stage / "model.bin").write_bytes(data)
        (stage / "sub").mkdir()
        (stage / "sub" / "config.json").write_text('{"dim": 4}', encoding="utf-8")
        return registry.publish(kind, stage, **kwargs)


def leftovers(registry: Registry, kind: str = KIND) -> list[str]:
    """Hidden entries (staging folders, temp files) in a kind's folder."""
    folder = registry.root / kind
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) if folder.exists() else []


def names(registry: Registry, kind: str = KIND) -> list[str]:
    return [v.name for v in registry.versions(kind)]


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    return Registry(tmp_path / "models", keep=5)


def test_publish_numbers_versions_and_writes_a_complete_manifest(registry: Registry, tmp_path: Path) -> None:
    data = tmp_path / "interactions.csv"
    data.write_text("user_id,item_id,timestamp,weight\nu1,i1,1,1\n", encoding="utf-8")
    first = publish(
        registry,
        b"one",
        metrics={"ndcg@10": 0.25},
        dataset=fingerprint([data]),
        config={"model": "itemknn", "k": 20},
        job_id=7,
    )
    second = publish(registry, b"two", metrics={"ndcg@10": 0.5}, job_id=8)

    assert (first.name, second.name) == ("v0001", "v0002")
    assert first.path == registry.root / KIND / "v0001"
    assert names(registry) == ["v0001", "v0002"]
    assert registry.current_name(KIND) == "v0002"
    assert registry.kinds() == [KIND]

    on_disk = json.loads((first.path / MANIFEST).read_text(encoding="utf-8"))
    assert on_disk["kind"] == KIND
    assert on_disk["version"] == "v0001"
    assert on_disk["metrics"] == {"ndcg@10": 0.25}
    assert on_disk["dataset"] == fingerprint([data])
    assert on_disk["dataset"].startswith("sha256:")
    assert on_disk["config"] == {"model": "itemknn", "k": 20}
    assert on_disk["livebot_version"] == __version__
    assert on_disk["parent"] is None
    assert on_disk["job_id"] == 7
    assert on_disk["created"]
    assert on_disk["files"] == {
        "model.bin": hashlib.sha256(b"one").hexdigest(),
        "sub/config.json": hashlib.sha256(b'{"dim": 4}').hexdigest(),
    }

    again = registry.get(KIND, "v0002").manifest
    assert again.parent == "v0001"
    assert again.job_id == 8
    assert again.metrics == {"ndcg@10": 0.5}
    assert again.files["model.bin"] == hashlib.sha256(b"two").hexdigest()
    assert (second.path / "model.bin").read_bytes() == b"two"
    assert registry.verify(first) == [] and registry.verify(second) == []

    history = registry.history(KIND)
    assert [(h["version"], h["previous"], h["reason"]) for h in history] == [
        ("v0001", None, "published"),
        ("v0002", "v0001", "published"),
    ]


def test_publish_without_promote_leaves_current_alone(registry: Registry) -> None:
    publish(registry, b"one")
    candidate = publish(registry, b"two", promote=False)
    assert candidate.name == "v0002"
    assert candidate.manifest.parent == "v0001"  # the parent is what was current when it was built
    assert registry.current_name(KIND) == "v0001"
    assert registry.current(KIND) is not None
    assert registry.current(KIND).name == "v0001"  # type: ignore[union-attr]
    assert len(registry.history(KIND)) == 1


def test_a_staged_version_is_invisible_and_staging_is_removed_after_publishing(registry: Registry) -> None:
    with registry.staging(KIND) as stage:
        (stage / "model.bin").write_bytes(b"half")
        assert stage.parent == registry.root / KIND
        assert names(registry) == []  # the bot never sees a version that is still being written
        assert registry.current_name(KIND) is None
        registry.publish(KIND, stage)
        assert not stage.exists()
    assert leftovers(registry) == []
    assert names(registry) == ["v0001"]
    assert (registry.root / KIND / CURRENT).read_text(encoding="utf-8").strip() == "v0001"


def test_an_exception_while_staging_removes_the_stage_and_publishes_nothing(registry: Registry) -> None:
    publish(registry, b"one")
    with pytest.raises(RuntimeError, match="training blew up"), registry.staging(KIND) as stage:
        (stage / "model.bin").write_bytes(b"half")
        (stage / "deep").mkdir()
        (stage / "deep" / "part").write_bytes(b"x")
        raise RuntimeError("training blew up")
    assert not stage.exists()
    assert leftovers(registry) == []
    assert names(registry) == ["v0001"]
    assert registry.current_name(KIND) == "v0001"


def test_promote_and_rollback_follow_the_history(registry: Registry) -> None:
    for data in (b"1", b"2", b"3"):
        publish(registry, data)
    assert registry.current_name(KIND) == "v0003"

    assert registry.rollback(KIND).name == "v0002"
    assert registry.current_name(KIND) == "v0002"
    last = registry.history(KIND)[-1]
    assert (last["version"], last["previous"], last["reason"]) == ("v0002", "v0003", "rollback from v0003")

    promoted = registry.promote(KIND, "v0001")
    assert promoted.name == "v0001" and promoted.path.name == "v0001"
    assert registry.current_name(KIND) == "v0001"
    # The version current before v0001 was v0002 (not the numerically older one: there is none).
    assert registry.rollback(KIND).name == "v0002"
    assert registry.current_name(KIND) == "v0002"


def test_rollback_after_an_unpromoted_publish_goes_to_the_older_served_version(registry: Registry) -> None:
    publish(registry, b"1", promote=False)
    publish(registry, b"2", promote=False)
    registry.promote(KIND, "v0002")  # history: v0002 with no previous current
    assert registry.rollback(KIND).name == "v0001"


def test_rollback_with_nothing_older_raises_a_clear_error(registry: Registry) -> None:
    with pytest.raises(RegistryError, match="recommender has no current version to roll back from"):
        registry.rollback(KIND)
    publish(registry, b"1")
    with pytest.raises(RegistryError, match="recommender: nothing older than v0001 to roll back to"):
        registry.rollback(KIND)
    assert registry.current_name(KIND) == "v0001"
    assert len(registry.history(KIND)) == 1  # a refused rollback records nothing


def test_prune_keeps_the_newest_plus_current_and_its_parent(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "models", keep=2, prune_min_age_s=0)
    publish(registry, b"1")
    publish(registry, b"2")  # current v0002, parent v0001
    for data in (b"3", b"4", b"5"):
        publish(registry, data, promote=False)  # candidates: not served
    assert registry.current_name(KIND) == "v0002"
    assert names(registry) == ["v0001", "v0002", "v0004", "v0005"]
    assert not (registry.root / KIND / "v0003").exists()
    assert registry.prune(KIND) == []  # nothing more to remove


def test_prune_while_publishing_and_promoting_keeps_keep_versions(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "models", keep=2, prune_min_age_s=0)
    for data in (b"1", b"2", b"3", b"4"):
        publish(registry, data)
    assert names(registry) == ["v0003", "v0004"]
    assert registry.current_name(KIND) == "v0004"
    assert registry.rollback(KIND).name == "v0003"
    # Numbers are never reused after pruning: the next version is v0005.
    assert publish(registry, b"5").name == "v0005"
    assert registry.get(KIND, "v0005").manifest.parent == "v0003"


def test_prune_removes_old_versions_with_explicit_keep(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "models", keep=10, prune_min_age_s=0)
    for data in (b"1", b"2", b"3", b"4"):
        publish(registry, data)
    registry.keep = 1
    assert registry.prune(KIND) == ["v0001", "v0002"]  # v0003 is the parent of the current v0004
    assert names(registry) == ["v0003", "v0004"]


def test_verify_detects_a_modified_and_a_missing_file(registry: Registry) -> None:
    version = publish(registry, b"good")
    assert registry.verify(version) == []
    (version.path / "model.bin").write_bytes(b"evil")
    assert registry.verify(version) == ["model.bin"]
    (version.path / "sub" / "config.json").unlink()
    assert sorted(registry.verify(registry.get(KIND, "v0001"))) == ["model.bin", "sub/config.json"]


def test_concurrent_publishers_get_distinct_versions(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "models", keep=50)
    n = 6
    start = threading.Barrier(n)
    results: dict[int, Version] = {}
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            own = Registry(tmp_path / "models", keep=50)  # as separate processes would each open one
            with own.staging(KIND) as stage:
                (stage / "model.bin").write_bytes(f"model {i}".encode())
                start.wait(timeout=10)
                results[i] = own.publish(KIND, stage, job_id=i, metrics={"i": i})
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(v.name for v in results.values()) == [f"v{i:04d}" for i in range(1, n + 1)]
    assert names(registry) == [f"v{i:04d}" for i in range(1, n + 1)]
    for i, version in results.items():
        stored = registry.get(KIND, version.name)
        assert stored.manifest.version == version.name
        assert stored.manifest.job_id == i
        assert (stored.path / "model.bin").read_bytes() == f"model {i}".encode()
        assert registry.verify(stored) == []
    assert leftovers(registry) == []
    assert registry.current_name(KIND) in {v.name for v in results.values()}
    assert len(registry.history(KIND)) == n


def test_an_unknown_version_names_the_known_ones(registry: Registry) -> None:
    with pytest.raises(RegistryError, match=r"recommender has no version 'v0001' \(known: none\)"):
        registry.get(KIND, "v0001")
    publish(registry, b"1")
    publish(registry, b"2")
    for bad in ("v0009", "latest", "v1", "../v0001"):
        with pytest.raises(RegistryError, match=r"\(known: v0001, v0002\)"):
            registry.get(KIND, bad)
    with pytest.raises(RegistryError, match="known: v0001, v0002"):
        registry.promote(KIND, "v0042")
    assert registry.current_name(KIND) == "v0002"


@pytest.mark.parametrize("kind", ["", "Recommender", "1model", "../escape", "a/b", "a b", "x" * 42, "-a"])
def test_malformed_kind_names_are_refused(registry: Registry, kind: str) -> None:
    with pytest.raises(RegistryError, match="expected lower-case letters, digits"):
        registry.kind_dir(kind)
    with pytest.raises(RegistryError):
        registry.versions(kind)
    with pytest.raises(RegistryError), registry.staging(kind):
        pass
    assert not registry.root.exists()  # nothing was created for a refused name


@pytest.mark.parametrize("kind", ["text", "gan-v2", "fashion_mnist", "a", "x" * 41])
def test_well_formed_kind_names_are_accepted(registry: Registry, kind: str) -> None:
    assert registry.kind_dir(kind) == registry.root / kind
    assert registry.versions(kind) == []
    assert registry.current(kind) is None
    assert registry.history(kind) == []


def test_kinds_lists_only_kind_folders(registry: Registry) -> None:
    assert registry.kinds() == []
    publish(registry, b"1", kind="text")
    publish(registry, b"1", kind="gan")
    (registry.root / "Not-A-Kind").mkdir()
    (registry.root / "notes.txt").write_text("x", encoding="utf-8")
    assert registry.kinds() == ["gan", "text"]


def test_a_broken_manifest_is_a_registry_error_naming_the_file(registry: Registry) -> None:
    version = publish(registry, b"1")
    (version.path / MANIFEST).write_text("{not json", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"v0001/manifest\.json: unreadable manifest"):
        registry.get(KIND, "v0001")
    (version.path / MANIFEST).write_text('{"kind": "recommender", "surprise": 1}', encoding="utf-8")
    with pytest.raises(RegistryError, match="unreadable manifest"):
        registry.versions(KIND)


def test_history_file_is_one_json_object_per_promotion(registry: Registry) -> None:
    publish(registry, b"1")
    publish(registry, b"2")
    registry.rollback(KIND)
    lines = (registry.root / KIND / HISTORY).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    assert all({"ts", "version", "previous", "reason"} <= json.loads(line).keys() for line in lines)


def test_fingerprint_depends_on_names_and_bytes(tmp_path: Path) -> None:
    a = tmp_path / "a.csv"
    b = tmp_path / "b.csv"
    a.write_bytes(b"1,2\n")
    b.write_bytes(b"3,4\n")
    assert fingerprint([a, b]) == fingerprint([b, a])  # order of the list does not matter
    before = fingerprint([a, b])
    b.write_bytes(b"3,5\n")
    assert fingerprint([a, b]) != before
    renamed = tmp_path / "c.csv"
    renamed.write_bytes(a.read_bytes())
    assert fingerprint([renamed]) != fingerprint([a])


def test_repeated_rollbacks_walk_back_through_what_was_served(registry: Registry) -> None:
    for data in (b"1", b"2", b"3"):
        publish(registry, data)
    assert registry.rollback(KIND).name == "v0002"
    assert registry.rollback(KIND).name == "v0001"
    with pytest.raises(RegistryError, match="nothing older than v0001"):
        registry.rollback(KIND)
    registry.promote(KIND, "v0003")
    assert registry.rollback(KIND).name == "v0001"  # undo the last promotion, not "one number lower"
