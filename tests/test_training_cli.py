"""`livebot train | jobs | models` in-process, on a small real interaction file and a temp data dir."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import torch

from bot.cli import main
from bot.cli_training import parse_params

USERS = 36
ITEMS = 8


@dataclass
class Result:
    rc: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Livebot = Callable[..., Result]


def write_interactions(path: Path, seed: int = 0) -> Path:
    """A checkerboard: even users like even items, odd users odd items; timestamps shuffled."""
    rng = random.Random(seed)
    rows = [(f"u{u}", f"i{i}") for u in range(USERS) for i in range(ITEMS) if (u + i) % 2 == 0]
    stamps = list(range(1_700_000_000, 1_700_000_000 + len(rows)))
    rng.shuffle(stamps)
    lines = ["user_id,item_id,timestamp,weight"]
    lines += [f"{u},{i},{t},{rng.choice((1, 2))}" for (u, i), t in zip(rows, stamps, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def torch_threads() -> Iterator[None]:
    before = torch.get_num_threads()  # `livebot train` sets this process's threads
    yield
    torch.set_num_threads(before)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def livebot(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> Livebot:
    def run(*args: str) -> Result:
        capsys.readouterr()
        rc = main([*args, "--set", f"storage.data_dir={data_dir}"])
        captured = capsys.readouterr()
        return Result(rc, captured.out, captured.err)

    return run


@pytest.fixture
def interactions(tmp_path: Path) -> Path:
    return write_interactions(tmp_path / "interactions.csv")


def test_train_recommender_publishes_v0001(livebot: Livebot, interactions: Path, data_dir: Path) -> None:
    result = livebot("train", "recommender", "--data", str(interactions), "--json")
    assert result.rc == 0, result.err
    printed = result.json()
    assert printed["job"] == 1
    assert printed["kind"] == "recommender"
    assert printed["version"] == "v0001"
    metrics = printed["metrics"]
    assert metrics["users"] == USERS and metrics["items"] == ITEMS
    assert metrics["interactions"] == USERS * ITEMS // 2
    assert metrics["holdout_users"] == USERS
    assert 0.0 <= metrics["popularity_ndcg@10"] <= 1.0
    assert metrics["model_ndcg@10"] > 0.5  # the checkerboard is easy for item-kNN

    manifest = json.loads((data_dir / "models" / "recommender" / "v0001" / "manifest.json").read_text())
    assert manifest["job_id"] == 1
    assert manifest["metrics"] == metrics
    assert manifest["config"]["data"] == str(interactions.resolve())
    assert manifest["config"]["model"] == "itemknn"
    assert manifest["dataset"].startswith("sha256:")
    assert manifest["files"]

    job = livebot("jobs", "show", "1", "--json").json()
    assert job["status"] == "succeeded"
    assert job["version"] == "v0001"
    assert job["metrics"] == metrics
    assert job["params"] == {"data": str(interactions.resolve())}
    assert any("job 1 on cpu" in line for line in job["log_tail"])


def test_train_without_json_prints_a_summary(livebot: Livebot, interactions: Path, data_dir: Path) -> None:
    result = livebot("train", "recommender", "--data", str(interactions))
    assert result.rc == 0, result.err
    assert f"published recommender v0001 ({data_dir / 'models' / 'recommender' / 'v0001'})" in result.out
    assert "  model_ndcg@10: " in result.out


def test_models_list_show_rollback_and_promote(livebot: Livebot, interactions: Path) -> None:
    assert livebot("models", "list").out.startswith("no models in ")
    assert livebot("models", "list", "--json").json() == []
    for _ in range(2):
        assert livebot("train", "recommender", "--data", str(interactions), "--json").rc == 0

    rows = livebot("models", "list", "--json").json()
    assert [(r["kind"], r["version"], r["current"], r["parent"], r["job"]) for r in rows] == [
        ("recommender", "v0001", False, None, 1),
        ("recommender", "v0002", True, "v0001", 2),
    ]
    assert rows[0]["dataset"] == rows[1]["dataset"]  # same file, same fingerprint
    text = livebot("models", "list").out.splitlines()
    assert text[0].startswith("  recommender  v0001") and text[1].startswith("* recommender  v0002")

    shown = livebot("models", "show", "recommender", "--json").json()
    assert shown["version"] == "v0002" and shown["parent"] == "v0001"
    assert shown["path"].endswith("models/recommender/v0002")
    assert shown["manifest"]["files"]
    assert livebot("models", "show", "recommender", "v0001", "--json").json()["version"] == "v0001"

    rolled = livebot("models", "rollback", "recommender", "--json")
    assert rolled.rc == 0, rolled.err
    assert rolled.json()["version"] == "v0001"
    assert livebot("models", "show", "recommender", "--json").json()["version"] == "v0001"

    promoted = livebot("models", "promote", "recommender", "v0002")
    assert promoted.rc == 0
    assert promoted.out.strip() == "recommender: now serving v0002"
    assert livebot("models", "show", "recommender", "--json").json()["version"] == "v0002"

    unknown = livebot("models", "promote", "recommender", "v0009")
    assert unknown.rc == 2
    assert "known: v0001, v0002" in unknown.err
    assert livebot("models", "promote", "recommender").rc == 2
    missing_kind = livebot("models", "show")
    assert missing_kind.rc == 2 and "needs a kind" in missing_kind.err


def test_models_errors_exit_2_with_a_message(livebot: Livebot, interactions: Path) -> None:
    nothing = livebot("models", "show", "recommender")
    assert nothing.rc == 2 and "recommender has no current version" in nothing.err
    bad_kind = livebot("models", "show", "Bad/Kind")
    assert bad_kind.rc == 2 and "model kind 'Bad/Kind'" in bad_kind.err
    assert livebot("train", "recommender", "--data", str(interactions), "--json").rc == 0
    rollback = livebot("models", "rollback", "recommender")
    assert rollback.rc == 2
    assert "nothing older than v0001" in rollback.err


def test_jobs_list_and_show(livebot: Livebot, interactions: Path) -> None:
    assert livebot("jobs").out.strip() == "no jobs"
    for _ in range(2):
        assert livebot("train", "recommender", "--data", str(interactions), "--json").rc == 0
    listed = livebot("jobs", "--json").json()
    assert [(j["id"], j["kind"], j["status"], j["version"]) for j in listed] == [
        (2, "recommender", "succeeded", "v0002"),
        (1, "recommender", "succeeded", "v0001"),
    ]
    assert len(livebot("jobs", "list", "--limit", "1", "--json").json()) == 1
    table = livebot("jobs").out.splitlines()
    assert table[0].split()[:4] == ["id", "kind", "status", "progress"]
    assert table[1].split()[:5] == ["2", "recommender", "succeeded", "3/3", "(100%)"]

    shown = livebot("jobs", "show", "1")
    assert shown.rc == 0
    assert shown.out.startswith(
        "job 1: recommender succeeded (source cli, attempt 1, 0 automatic retries allowed, worker cli:"
    )
    assert "version: v0001" in shown.out
    assert "progress: 3/3 (100%)" in shown.out
    assert "log:\n  job 1 on cpu" in shown.out

    missing = livebot("jobs", "show", "99")
    assert missing.rc == 2 and "no job 99" in missing.err
    no_id = livebot("jobs", "show")
    assert no_id.rc == 2 and "needs a job id" in no_id.err


def test_background_train_queues_a_job_that_can_be_cancelled(livebot: Livebot, interactions: Path) -> None:
    queued = livebot(
        "train", "recommender", "--background", "--json", "--data", str(interactions), "--param", "k=5"
    )
    assert queued.rc == 0, queued.err
    assert queued.json() == {"job": 1, "status": "queued"}
    job = livebot("jobs", "show", "1", "--json").json()
    assert job["status"] == "queued"
    assert job["params"] == {"k": 5, "data": str(interactions.resolve())}
    assert job["max_retries"] == 2
    assert livebot("models", "list", "--json").json() == []  # nothing trained in the CLI's process

    cancelled = livebot("jobs", "cancel", "1", "--json")
    assert cancelled.rc == 0
    assert cancelled.json() == {"job": 1, "status": "cancelled"}
    assert livebot("jobs", "show", "1", "--json").json()["status"] == "cancelled"
    again = livebot("jobs", "cancel", "1")
    assert again.rc == 2 and "job 1 already cancelled" in again.err
    assert livebot("jobs", "cancel").rc == 2


def test_background_train_says_when_no_workers_run(livebot: Livebot, interactions: Path) -> None:
    result = livebot(
        "train", "recommender", "--background", "--data", str(interactions), "--set", "training.workers=0"
    )
    assert result.rc == 0
    assert result.out.strip() == "queued recommender job 1"
    assert "run `livebot worker`" in result.err


def test_parse_params_reads_json_values_else_strings() -> None:
    assert parse_params(
        ["lr=0.01", "steps=300", "flag=true", "off=false", "model=als", "empty=", "eq=a=b", 'cfg={"k": 2}']
    ) == {
        "lr": 0.01,
        "steps": 300,
        "flag": True,
        "off": False,
        "model": "als",
        "empty": "",
        "eq": "a=b",
        "cfg": {"k": 2},
    }
    assert parse_params([]) == {}
    for bad in ("novalue", "=5"):
        with pytest.raises(ValueError, match="expected KEY=VALUE"):
            parse_params([bad])


def test_params_epochs_and_steps_reach_the_job(livebot: Livebot) -> None:
    result = livebot(
        "train", "recommender", "--background", "--json", "--steps", "40", "--param", "model=ease",
        "--param", "config={\"l2\": 10}",
    )  # fmt: skip
    assert result.rc == 0
    job = livebot("jobs", "show", "1", "--json").json()
    assert job["params"] == {"model": "ease", "config": {"l2": 10}, "steps": 40}


@pytest.mark.parametrize("bad", ["novalue", "=5"])
def test_a_malformed_param_exits_2_without_a_job(livebot: Livebot, interactions: Path, bad: str) -> None:
    result = livebot("train", "recommender", "--data", str(interactions), "--param", bad)
    assert result.rc == 2
    assert f"livebot train: --param {bad!r}: expected KEY=VALUE" in result.err
    assert livebot("jobs", "--json").json() == []


def test_a_missing_data_file_fails_the_job_with_its_error(livebot: Livebot, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    result = livebot("train", "recommender", "--data", str(missing), "--json")
    assert result.rc == 1
    assert "livebot train recommender: FileNotFoundError" in result.err
    assert result.out == ""
    job = livebot("jobs", "show", "1", "--json").json()
    assert job["status"] == "failed"
    assert job["finished"] is not None
    assert "Traceback (most recent call last)" in job["error"]
    assert "FileNotFoundError" in job["error"] and "nowhere.csv" in job["error"]
    assert livebot("models", "list", "--json").json() == []


def test_a_recommender_job_without_data_fails(livebot: Livebot) -> None:
    result = livebot("train", "recommender")
    assert result.rc == 1
    assert "parameter 'data'" in result.err
    assert livebot("jobs", "show", "1", "--json").json()["status"] == "failed"


def test_resume_reruns_the_stopped_job(livebot: Livebot, tmp_path: Path) -> None:
    nothing = livebot("train", "recommender", "--resume")
    assert nothing.rc == 2 and "no stopped recommender job to resume" in nothing.err
    data = tmp_path / "late.csv"
    assert livebot("train", "recommender", "--data", str(data), "--json").rc == 1
    write_interactions(data)  # the file arrives; the same job continues
    resumed = livebot("train", "recommender", "--resume", "--json")
    assert resumed.rc == 0, resumed.err
    assert resumed.json()["job"] == 1 and resumed.json()["version"] == "v0001"
    job = livebot("jobs", "show", "1", "--json").json()
    assert (job["status"], job["attempts"], job["error"]) == ("succeeded", 2, None)
    assert len(livebot("jobs", "--json").json()) == 1


def test_jobs_show_after_a_resume_does_not_claim_more_attempts_than_allowed(
    livebot: Livebot, tmp_path: Path
) -> None:
    data = tmp_path / "late.csv"
    assert livebot("train", "recommender", "--data", str(data), "--json").rc == 1
    write_interactions(data)
    assert livebot("train", "recommender", "--resume", "--json").rc == 0
    shown = livebot("jobs", "show", "1").out.splitlines()[0]
    found = re.search(r"attempt (\d+), (\d+) automatic retries allowed", shown)
    assert found is not None, shown
    done, retries = int(found.group(1)), int(found.group(2))
    assert done <= retries + 1, f"the job detail says {found.group(0)!r}: {shown}"


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_an_unavailable_device_exits_2_and_fails_the_job(livebot: Livebot, interactions: Path) -> None:
    result = livebot("train", "recommender", "--data", str(interactions), "--device", "cuda")
    assert result.rc == 2
    assert "no CUDA device" in result.err
    job = livebot("jobs", "show", "1", "--json").json()
    assert job["status"] == "failed" and "no CUDA device" in job["error"]
