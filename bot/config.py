"""config.toml -> frozen dataclasses, one per section. The only place that reads the environment.

Unknown keys and wrong types are errors that name the file, the key path, what was expected and what was
found; every error in the file is reported at once so a user fixes them in one go.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from recommender.base import MODEL_CLASSES
from training.device import DEVICE_PATTERN

ROLES = ("viewer", "moderator", "broadcaster", "bot")
FEATURES = ("answers", "promo", "images", "recommend")
T = typing.TypeVar("T")


class ConfigError(ValueError):
    """Every problem found in one configuration, each line naming where it is."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid configuration:\n  " + "\n  ".join(problems))


@dataclass(frozen=True)
class StorageConfig:
    # "" = the user's data directory ($XDG_DATA_HOME/livebot or ~/.local/share/livebot).
    data_dir: str = ""
    database: str = "livebot.sqlite3"


@dataclass(frozen=True)
class LiveroomConfig:
    host: str = "127.0.0.1"
    port: int = 8080
    # token -> role; a role comes only from a token (see PROTOCOL.md). Change these outside the demo.
    tokens: dict[str, str] = field(
        default_factory=lambda: {
            "demo-bot-token": "bot",
            "demo-mod-token": "moderator",
            "demo-host-token": "broadcaster",
        }
    )
    history_size: int = 50
    chat_flood_max: int = 20
    chat_flood_window_s: float = 10.0
    bot_chat_max: int = 200
    max_frame_bytes: int = 16384
    max_media_bytes: int = 8_000_000
    # "" = <data_dir>/liveroom-state.json; keeps history and event ids across restarts.
    state_file: str = ""


@dataclass(frozen=True)
class RoomConfig:
    url: str = "ws://127.0.0.1:8080/ws/demo"
    token: str = "demo-bot-token"
    # Outbox limit: at most rate_messages chat messages in any rate_window_s window.
    rate_messages: int = 20
    rate_window_s: float = 30.0
    language: Literal["zh", "en"] = "zh"
    # Initial feature switches; moderators' changes persist in the database and win over these.
    answers: bool = True
    promo: bool = False
    images: bool = False
    recommend: bool = False


@dataclass(frozen=True)
class BotConfig:
    name: str = "livebot"
    command_prefix: str = "!"
    connect_timeout_s: float = 10.0
    send_timeout_s: float = 10.0
    read_timeout_s: float = 30.0
    ping_interval_s: float = 10.0
    reconnect_initial_s: float = 0.5
    reconnect_max_s: float = 60.0
    healthy_after_s: float = 30.0
    # Events the room replays after a reconnect are handled only if younger than this.
    replay_max_age_s: float = 120.0
    no_repeat_s: float = 30.0
    max_message_chars: int = 500
    drain_timeout_s: float = 5.0
    # After the room answers `rate_limited`, the outbox waits this long before sending again.
    rate_limited_pause_s: float = 3.0
    # Slack added to every room's rate window: the room counts arrivals, and arrival times jitter.
    rate_margin_s: float = 0.25
    # An answer still queued after this long is dropped: a late price is worse than none.
    reply_max_age_s: float = 120.0
    command_user_cooldown_s: float = 3.0
    command_room_cooldown_s: float = 1.0


@dataclass(frozen=True)
class CatalogConfig:
    # "" = the demo catalog and FAQ shipped with livebot.
    path: str = ""
    faq_path: str = ""


@dataclass(frozen=True)
class QaConfig:
    min_confidence: float = 0.6
    followup_window_s: float = 180.0
    group_window_s: float = 15.0
    backlog_max_age_s: float = 60.0
    # Recommendations by need read by the embedding model (bot/qa/needs.py), and how far the best listing
    # must lead the next for the bot to name it.
    need_reader: bool = True
    need_margin: float = 0.015


@dataclass(frozen=True)
class PromoConfig:
    interval_s: float = 300.0
    on_product_switch: bool = True
    # "" = the registry's `text` model (trained with `livebot train text`), hot-swapped; else a Hugging
    # Face causal LM id or a folder written by save_pretrained. No model: templates from the catalog row.
    model: str = ""
    # A promotion still queued after this long is dropped (the streamer has moved on).
    max_age_s: float = 30.0


@dataclass(frozen=True)
class ComplianceConfig:
    # Extra terms the shop's posts must not use (UTF-8, one per line, '#' comments), on top of the
    # built-in Advertising-Law rules; and words that are fine although a rule matches inside them.
    terms_files: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    # The visible "（AI生成）" label on text a model wrote (China's 2025 labelling measures).
    ai_label: bool = True


@dataclass(frozen=True)
class ImagesConfig:
    font_path: str = ""
    pool_size: int = 4
    card_px: int = 512


@dataclass(frozen=True)
class RecommenderConfig:
    model: str = "itemknn"
    ask_weight: float = 1.0
    click_weight: float = 2.0
    purchase_weight: float = 5.0
    # Refit from the signal log after this many new signals (checked every refit_check_s).
    refit_signals: int = 200
    refit_check_s: float = 60.0
    # ... and also this often when any new signal arrived (0 = only by count). Refits are training jobs.
    refit_every_s: float = 0.0
    # With a room's `recommend` feature on: at most one unasked suggestion per viewer this often.
    suggest_every_s: float = 600.0


@dataclass(frozen=True)
class TrainingConfig:
    device: str = "auto"
    workers: int = 1
    # 0 = all cores but one, so the bot keeps a core to itself.
    threads: int = 0
    max_retries: int = 2
    keep_versions: int = 5  # per model kind; the current version and its parent are always kept
    poll_s: float = 2.0  # how often the bot looks for a newly promoted model version


@dataclass(frozen=True)
class DashboardConfig:
    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = 8081


@dataclass(frozen=True)
class ModerationConfig:
    # Extra word lists (one term per line); messages containing a term are not answered or logged as signals.
    blocklist_paths: tuple[str, ...] = ()
    timeout_s: int = 0


@dataclass(frozen=True)
class AudienceConfig:
    viewers: int = 6
    messages_per_s: float = 0.5
    question_share: float = 0.4
    english_share: float = 0.25
    click_share: float = 0.1
    purchase_share: float = 0.03
    # The simulated streamer puts a new product on screen this often.
    product_switch_s: float = 45.0


@dataclass(frozen=True)
class Config:
    storage: StorageConfig = field(default_factory=StorageConfig)
    liveroom: LiveroomConfig = field(default_factory=LiveroomConfig)
    rooms: dict[str, RoomConfig] = field(default_factory=lambda: {"demo": RoomConfig()})
    bot: BotConfig = field(default_factory=BotConfig)
    catalog: CatalogConfig = field(default_factory=CatalogConfig)
    qa: QaConfig = field(default_factory=QaConfig)
    promo: PromoConfig = field(default_factory=PromoConfig)
    images: ImagesConfig = field(default_factory=ImagesConfig)
    compliance: ComplianceConfig = field(default_factory=ComplianceConfig)
    recommender: RecommenderConfig = field(default_factory=RecommenderConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)
    dashboard: DashboardConfig = field(default_factory=DashboardConfig)
    moderation: ModerationConfig = field(default_factory=ModerationConfig)
    audience: AudienceConfig = field(default_factory=AudienceConfig)

    @property
    def data_dir(self) -> Path:
        return resolve_data_dir(self.storage.data_dir)


def resolve_data_dir(configured: str) -> Path:
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "livebot"


def load_config(path: str | Path | None = None, overrides: typing.Sequence[str] = ()) -> Config:
    """Read `path` (None = built-in defaults) and apply `--set key.path=value` overrides on top."""
    raw: dict[str, Any] = {}
    source = "<defaults>"
    if path is not None:
        source = str(path)
        try:
            with open(path, "rb") as fh:
                raw = tomllib.load(fh)
        except FileNotFoundError:
            raise ConfigError([f"{source}: file not found"]) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError([f"{source}: not valid TOML: {exc}"]) from None
    problems: list[str] = []
    for item in overrides:
        try:
            apply_override(raw, item)
        except ValueError as exc:
            problems.append(f"--set {item}: {exc}")
    if problems:
        raise ConfigError(problems)
    return validate(build(Config, raw, source), source)


def apply_override(raw: dict[str, Any], item: str) -> None:
    key, sep, text = item.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ValueError("expected key.path=value")
    try:
        value = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        value = text  # a bare word such as `--set bot.name=shopbot` is a string
    *parents, leaf = key.split(".")
    node = raw
    for i, part in enumerate(parents):
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ValueError(f"{'.'.join(parents[: i + 1])} is not a table")
        node = child
    node[leaf] = value


def build(cls: type[T], raw: dict[str, Any], source: str = "<dict>") -> T:
    problems: list[str] = []
    result = _convert(raw, cls, "", source, problems)
    if problems:
        raise ConfigError(problems)
    return result


def _describe(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(tp))
    if origin is dict:
        return f"a table of {_describe(typing.get_args(tp)[1])}"
    if origin is tuple:
        return f"a list of {_describe(typing.get_args(tp)[0])}"
    if dataclasses.is_dataclass(tp):
        return "a table"
    return {bool: "true or false", int: "an integer", float: "a number", str: "a string"}.get(tp, str(tp))


def _found(value: Any) -> str:
    kind = {bool: "boolean", int: "integer", float: "number", str: "string", dict: "table", list: "list"}
    return f"{value!r} ({kind.get(type(value), type(value).__name__)})"


def _convert(value: Any, tp: Any, path: str, source: str, problems: list[str]) -> Any:
    where = f"{source}: {path or '<top>'}"

    def bad() -> None:
        problems.append(f"{where}: expected {_describe(tp)}, found {_found(value)}")

    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            bad()
            return None
        hints = typing.get_type_hints(tp)
        names = {f.name for f in dataclasses.fields(tp)}
        for key in value:
            if key not in names:
                problems.append(
                    f"{source}: {path + '.' if path else ''}{key}: unknown key "
                    f"(expected one of: {', '.join(sorted(names))})"
                )
        kwargs = {
            name: _convert(value[name], hints[name], f"{path + '.' if path else ''}{name}", source, problems)
            for name in names
            if name in value
        }
        if any(v is None for v in kwargs.values()):
            return None
        return tp(**kwargs)
    origin = typing.get_origin(tp)
    if origin is dict:
        if not isinstance(value, dict):
            bad()
            return None
        item_tp = typing.get_args(tp)[1]
        return {str(k): _convert(v, item_tp, f"{path}.{k}", source, problems) for k, v in value.items()}
    if origin is tuple:
        if not isinstance(value, list):
            bad()
            return None
        item_tp = typing.get_args(tp)[0]
        return tuple(_convert(v, item_tp, f"{path}[{i}]", source, problems) for i, v in enumerate(value))
    if origin is Literal:
        if value not in typing.get_args(tp):
            bad()
            return None
        return value
    if origin in (typing.Union, types.UnionType):
        raise TypeError(f"config field {path} uses a union type; keep config fields simple")
    if tp is bool:
        ok = isinstance(value, bool)
    elif tp is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif tp is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif tp is str:
        ok = isinstance(value, str)
    else:
        raise TypeError(f"config field {path} has unsupported type {tp}")
    if not ok:
        bad()
        return None
    return value


def validate(config: Config, source: str = "<config>") -> Config:
    """Checks that span fields (value ranges, role names) beyond what the types say."""
    problems: list[str] = []
    for token, role in config.liveroom.tokens.items():
        if role not in ROLES:
            problems.append(
                f"{source}: liveroom.tokens.{token}: expected one of {', '.join(ROLES)}, found {role!r}"
            )
    for name, room in config.rooms.items():
        if room.rate_messages < 1:
            problems.append(
                f"{source}: rooms.{name}.rate_messages: expected >= 1, found {room.rate_messages}"
            )
        if room.rate_window_s <= 0:
            problems.append(f"{source}: rooms.{name}.rate_window_s: expected > 0, found {room.rate_window_s}")
        if not room.url.startswith(("ws://", "wss://")):
            problems.append(f"{source}: rooms.{name}.url: expected a ws:// or wss:// URL, found {room.url!r}")
    # Every model trains in a worker process (the two-tower one with TensorFlow) and serves exported numpy.
    if config.recommender.model not in MODEL_CLASSES:
        problems.append(
            f"{source}: recommender.model: expected one of {', '.join(MODEL_CLASSES)}, "
            f"found {config.recommender.model!r}"
        )
    if not DEVICE_PATTERN.match(config.training.device):
        problems.append(
            f"{source}: training.device: expected auto, cpu, mps, cuda or cuda:N, found {config.training.device!r}"
        )
    if config.training.workers < 0 or config.training.keep_versions < 1:
        problems.append(f"{source}: training: expected workers >= 0 and keep_versions >= 1")
    if not 0.0 <= config.qa.min_confidence <= 1.0:
        problems.append(f"{source}: qa.min_confidence: expected 0..1, found {config.qa.min_confidence}")
    if not 0.0 <= config.qa.need_margin <= 1.0:
        problems.append(f"{source}: qa.need_margin: expected 0..1, found {config.qa.need_margin}")
    if config.bot.max_message_chars < 20:
        problems.append(
            f"{source}: bot.max_message_chars: expected >= 20, found {config.bot.max_message_chars}"
        )
    if problems:
        raise ConfigError(problems)
    return config
