from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Config, ConfigError, load_config

REPO = Path(__file__).resolve().parents[1]


def test_shipped_config_toml_is_exactly_the_defaults() -> None:
    # config.toml documents every key; this keeps the documentation and the code in step.
    assert load_config(REPO / "config.toml") == Config()


def test_unknown_key_names_the_key_path_and_the_choices(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[bot]\nreconect_max_s = 5\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert f"{path}: bot.reconect_max_s: unknown key" in message
    assert "reconnect_max_s" in message


def test_wrong_type_names_path_expected_and_found(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[rooms.shop]\nrate_messages = "twenty"\n[liveroom]\nport = true\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    problems = err.value.problems
    assert f"{path}: rooms.shop.rate_messages: expected an integer, found 'twenty' (string)" in problems
    assert f"{path}: liveroom.port: expected an integer, found True (boolean)" in problems


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[bot]\nname = 3\nnope = 1\n[qa]\nmin_confidence = 7\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert len(err.value.problems) == 2  # the range check runs once the types are right
    assert any("bot.name" in p for p in err.value.problems)
    assert any("bot.nope" in p for p in err.value.problems)


def test_value_ranges_and_roles_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[liveroom.tokens]\nabc = "admin"\n[qa]\nmin_confidence = 1.5\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    text = str(err.value)
    assert "liveroom.tokens.abc: expected one of viewer, moderator, broadcaster, bot, found 'admin'" in text
    assert "qa.min_confidence: expected 0..1, found 1.5" in text


def test_set_overrides_are_typed_and_checked() -> None:
    config = load_config(None, ["rooms.demo.rate_messages=7", "bot.name=shopbot", "training.device=cuda:1"])
    assert config.rooms["demo"].rate_messages == 7
    assert config.bot.name == "shopbot"
    assert config.training.device == "cuda:1"
    with pytest.raises(ConfigError) as err:
        load_config(None, ["bot.read_timeout_s=soon"])
    assert "<defaults>: bot.read_timeout_s: expected a number, found 'soon' (string)" in str(err.value)
    with pytest.raises(ConfigError, match=r"expected key\.path=value"):
        load_config(None, ["bot.name"])


def test_bad_toml_and_missing_file_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[bot\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.toml: not valid TOML"):
        load_config(bad)
    with pytest.raises(ConfigError, match=r"missing\.toml: file not found"):
        load_config(tmp_path / "missing.toml")


def test_cli_reports_config_errors_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[catalog]\npaht = 'x.csv'\n", encoding="utf-8")
    assert main(["ask", "--config", str(path), "3号多少钱"]) == 2
    assert "catalog.paht: unknown key" in capsys.readouterr().err


def test_data_dir_default_is_the_user_data_dir() -> None:
    assert Config().data_dir.name == "livebot"
    assert load_config(None, ["storage.data_dir=/srv/lb"]).data_dir == Path("/srv/lb")
