"""Client frames of the embedded live room (PROTOCOL.md v1), validated without any I/O.

`parse_frame` turns one websocket message into a typed frame or a `FrameError`; `check_role` says whether
a role may send a frame. Both are pure and total: whatever a client sends, they return, never raise.
The room-dependent checks (timeouts, flood, unknown sku, event ids) live in `state.py`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

VIEWER: Final = "viewer"
MODERATOR: Final = "moderator"
BROADCASTER: Final = "broadcaster"
BOT: Final = "bot"
ROLES: Final = frozenset({VIEWER, MODERATOR, BROADCASTER, BOT})

ERROR_CODES: Final = frozenset(
    {"bad_json", "bad_frame", "too_long", "forbidden", "timed_out", "rate_limited", "unknown_sku"}
)

MAX_TEXT_CHARS: Final = 500
MAX_ALT_CHARS: Final = 500
MAX_CAPTION_CHARS: Final = 500
MAX_URL_CHARS: Final = 2048
MAX_SKU_CHARS: Final = 64
MAX_NAME_CHARS: Final = 32
MAX_TIMEOUT_S: Final = 86_400
# Protocol frames are flat; anything nested deeper is refused so that echoing it back as `ref` can never
# hit the JSON encoder's recursion limit.
MAX_NESTING: Final = 16

ROOM_RE: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")
UID_RE: Final = re.compile(r"[A-Za-z0-9_.:@-]{1,64}")
_MEDIA_PATH_RE: Final = re.compile(r"/media/[A-Za-z0-9_-]{1,100}\.(?:png|jpg|jpeg|webp|gif)")
_HTTP_URL_RE: Final = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)
_CONTROL_RE: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]")

ALLOWED_ROLES: Final[Mapping[str, frozenset[str]]] = {
    "chat": ROLES,
    "image": frozenset({BOT, BROADCASTER}),
    "product": frozenset({BOT, BROADCASTER}),
    "click": frozenset({VIEWER, MODERATOR, BROADCASTER}),
    "purchase": frozenset({VIEWER, MODERATOR, BROADCASTER}),
    "delete": frozenset({MODERATOR, BROADCASTER}),
    "timeout": frozenset({MODERATOR, BROADCASTER, BOT}),
    "ping": ROLES,
}


# -- the typed frames --------------------------------------------------------------------------------
# `raw` is the frame as the client sent it: it goes back as `ref` if the room refuses the frame later.
@dataclass(frozen=True, slots=True)
class ChatFrame:
    text: str
    reply_to: int | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    type: str = field(default="chat", init=False)


@dataclass(frozen=True, slots=True)
class ImageFrame:
    url: str
    alt: str
    caption: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    type: str = field(default="image", init=False)


@dataclass(frozen=True, slots=True)
class ProductFrame:
    sku: str
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    type: str = field(default="product", init=False)


@dataclass(frozen=True, slots=True)
class ShopFrame:
    """A click or a purchase (`type` says which)."""

    type: str
    sku: str
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class DeleteFrame:
    id: int
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    type: str = field(default="delete", init=False)


@dataclass(frozen=True, slots=True)
class TimeoutFrame:
    uid: str
    seconds: int
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    type: str = field(default="timeout", init=False)


@dataclass(frozen=True, slots=True)
class PingFrame:
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    type: str = field(default="ping", init=False)


Frame = ChatFrame | ImageFrame | ProductFrame | ShopFrame | DeleteFrame | TimeoutFrame | PingFrame


@dataclass(frozen=True, slots=True)
class FrameError:
    """A refusal, answered to the sender only as an `error` frame."""

    code: str
    message: str
    ref: Mapping[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"type": "error", "code": self.code, "message": self.message, "ref": self.ref}


class _Invalid(Exception):
    """Raised inside the field readers; always turned into a FrameError before leaving this module."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# -- connection parameters ---------------------------------------------------------------------------
def is_room_name(room: str) -> bool:
    return ROOM_RE.fullmatch(room) is not None


def is_uid(uid: str) -> bool:
    return UID_RE.fullmatch(uid) is not None


def clean_name(name: str) -> str | None:
    """The display name to use, or None when it is empty, too long or has control characters."""
    name = name.strip()
    if not 1 <= len(name) <= MAX_NAME_CHARS or _CONTROL_RE.search(name) or _has_surrogate(name):
        return None
    return name


def is_image_url(url: str) -> bool:
    """Our own media or a plain http(s) URL; never `javascript:`, `data:` or anything a page could run."""
    if _MEDIA_PATH_RE.fullmatch(url):
        return True
    return _HTTP_URL_RE.fullmatch(url) is not None and _CONTROL_RE.search(url) is None


# -- parsing -----------------------------------------------------------------------------------------
def parse_frame(data: str | bytes, *, max_frame_bytes: int = 16_384) -> Frame | FrameError:
    """One client websocket message -> a typed frame or the error to answer. Never raises."""
    if isinstance(data, bytes):
        return FrameError("bad_frame", "binary frames are not part of the protocol; send JSON text")
    # Counting UTF-8 bytes without encoding: a str of n code points has at most 4n bytes.
    if len(data) > max_frame_bytes or (len(data) * 4 > max_frame_bytes and _utf8_len(data) > max_frame_bytes):
        return FrameError("too_long", f"frame is larger than {max_frame_bytes} bytes")
    obj, problem = _load_json(data)
    if problem is not None:
        return FrameError("bad_json", problem)
    if not isinstance(obj, dict):
        return FrameError("bad_frame", f"a frame must be a JSON object, found {_json_kind(obj)}")
    if _too_deep(obj):
        return FrameError("bad_frame", f"frame nests deeper than {MAX_NESTING} levels")
    try:
        return _typed(obj)
    except _Invalid as exc:
        return FrameError(exc.code, exc.message, obj)


def check_role(frame: Frame, role: str) -> FrameError | None:
    """`forbidden` when `role` may not send this kind of frame (the role comes from the token only)."""
    allowed = ALLOWED_ROLES[frame.type]
    if role in allowed:
        return None
    who = ", ".join(sorted(allowed))
    return FrameError("forbidden", f"a {role} may not send {frame.type!r} frames (allowed: {who})", frame.raw)


def _typed(obj: dict[str, Any]) -> Frame:
    kind = obj.get("type")
    if kind is None:
        raise _Invalid("bad_frame", "frame has no 'type'")
    if not isinstance(kind, str) or kind not in ALLOWED_ROLES:
        raise _Invalid("bad_frame", f"unknown frame type {_excerpt(kind)}")
    if kind == "chat":
        return ChatFrame(text=_chat_text(obj), reply_to=_optional_id(obj, "reply_to"), raw=obj)
    if kind == "image":
        return ImageFrame(url=_image_url(obj), alt=_alt(obj), caption=_caption(obj), raw=obj)
    if kind == "product":
        return ProductFrame(sku=_sku(obj), raw=obj)
    if kind in ("click", "purchase"):
        return ShopFrame(type=kind, sku=_sku(obj), raw=obj)
    if kind == "delete":
        return DeleteFrame(id=_event_id(obj, "id"), raw=obj)
    if kind == "timeout":
        return TimeoutFrame(uid=_target_uid(obj), seconds=_seconds(obj), raw=obj)
    return PingFrame(raw=obj)


# -- field readers (raise _Invalid) ------------------------------------------------------------------
def _string(obj: Mapping[str, Any], key: str) -> str:
    if key not in obj:
        raise _Invalid("bad_frame", f"{obj['type']!r} frame needs a {key!r} field")
    value = obj[key]
    if not isinstance(value, str):
        raise _Invalid("bad_frame", f"{key!r} must be a string, found {_json_kind(value)}")
    return value


def _bounded_text(value: str, key: str, max_chars: int) -> str:
    text = value.strip()
    if not text:
        raise _Invalid("bad_frame", f"{key!r} is empty")
    if len(text) > max_chars:
        raise _Invalid("too_long", f"{key!r} has {len(text)} characters; at most {max_chars}")
    return text


def _chat_text(obj: Mapping[str, Any]) -> str:
    return _bounded_text(_string(obj, "text"), "text", MAX_TEXT_CHARS)


def _alt(obj: Mapping[str, Any]) -> str:
    return _bounded_text(_string(obj, "alt"), "alt", MAX_ALT_CHARS)


def _caption(obj: Mapping[str, Any]) -> str | None:
    if obj.get("caption") is None:
        return None
    caption = _string(obj, "caption").strip()
    if len(caption) > MAX_CAPTION_CHARS:
        raise _Invalid("too_long", f"'caption' has {len(caption)} characters; at most {MAX_CAPTION_CHARS}")
    return caption or None


def _image_url(obj: Mapping[str, Any]) -> str:
    url = _string(obj, "url").strip()
    if len(url) > MAX_URL_CHARS:
        raise _Invalid("too_long", f"'url' is longer than {MAX_URL_CHARS} characters")
    if not is_image_url(url):
        raise _Invalid("bad_frame", "'url' must be a /media/NAME path from POST /media or an http(s) URL")
    return url


def _sku(obj: Mapping[str, Any]) -> str:
    sku = _string(obj, "sku")
    if not 1 <= len(sku) <= MAX_SKU_CHARS:
        raise _Invalid("bad_frame", f"'sku' must be 1-{MAX_SKU_CHARS} characters")
    return sku


def _is_int(value: object) -> bool:
    # JSON true/false arrive as bool, which Python counts as int.
    return isinstance(value, int) and not isinstance(value, bool)


def _event_id(obj: Mapping[str, Any], key: str) -> int:
    if key not in obj:
        raise _Invalid("bad_frame", f"{obj['type']!r} frame needs an {key!r} field (an event id)")
    value = obj[key]
    if not _is_int(value) or value < 1:
        raise _Invalid("bad_frame", f"{key!r} must be a positive integer event id, found {_excerpt(value)}")
    return int(value)


def _optional_id(obj: Mapping[str, Any], key: str) -> int | None:
    return None if obj.get(key) is None else _event_id(obj, key)


def _target_uid(obj: Mapping[str, Any]) -> str:
    uid = _string(obj, "uid")
    if not is_uid(uid):
        raise _Invalid("bad_frame", "'uid' must be 1-64 characters of A-Z a-z 0-9 _ . : @ -")
    return uid


def _seconds(obj: Mapping[str, Any]) -> int:
    value = obj.get("seconds")
    if not _is_int(value) or not 1 <= value <= MAX_TIMEOUT_S:
        raise _Invalid(
            "bad_frame", f"'seconds' must be an integer 1-{MAX_TIMEOUT_S}, found {_excerpt(value)}"
        )
    return int(value)


# -- JSON helpers ------------------------------------------------------------------------------------
def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    # 1e400 would become inf, which cannot be written back as JSON (echoing it as `ref` would break).
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text[:20]} is out of range")
    return value


def _load_json(data: str) -> tuple[Any, str | None]:
    try:
        obj = json.loads(data, parse_constant=_reject_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        return None, f"not JSON: {exc.msg} at character {exc.pos}"
    except (ValueError, RecursionError) as exc:
        return None, f"not JSON: {str(exc)[:100] or type(exc).__name__}"
    if _contains_surrogate(obj):
        # "\ud800" parses to a lone surrogate that cannot be encoded as UTF-8 to send it on.
        return None, "not JSON: a \\u escape is a lone UTF-16 surrogate"
    return obj, None


def _walk(obj: Any) -> list[tuple[Any, int]]:
    """Every value inside `obj` with its depth, iteratively (a deep frame must not blow the stack)."""
    seen: list[tuple[Any, int]] = []
    stack = [(obj, 1)]
    while stack:
        value, depth = stack.pop()
        seen.append((value, depth))
        if isinstance(value, dict):
            stack.extend((k, depth + 1) for k in value)
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return seen


def _contains_surrogate(obj: Any) -> bool:
    return any(isinstance(v, str) and _has_surrogate(v) for v, _ in _walk(obj))


def _too_deep(obj: Any) -> bool:
    return any(depth > MAX_NESTING for _, depth in _walk(obj))


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text) if not text.isascii() else False


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _excerpt(value: object, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
