"""The live room's pure parts: client frame validation (frames.py) and room decisions (state.py), no I/O."""

from __future__ import annotations

import json
from collections import deque
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.liveroom.frames import (
    ALLOWED_ROLES,
    ERROR_CODES,
    ROLES,
    ChatFrame,
    DeleteFrame,
    Frame,
    FrameError,
    ImageFrame,
    PingFrame,
    ProductFrame,
    ShopFrame,
    TimeoutFrame,
    check_role,
    clean_name,
    is_image_url,
    is_room_name,
    parse_frame,
)
from bot.liveroom.state import FloodWindow, Member, Room, StateFileError, restore, snapshot

FRAME_TYPES = sorted(ALLOWED_ROLES)
PRODUCTS = {"A1": {"sku": "A1", "name": "连衣裙", "price": 129.0, "link": 3}}

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
field_names = st.sampled_from(
    ["type", "text", "reply_to", "url", "alt", "caption", "sku", "id", "uid", "seconds"]
)
frame_like = st.dictionaries(field_names, json_values, max_size=6).flatmap(
    lambda fields: (
        st.sampled_from([*FRAME_TYPES, "welcome", ""]).map(lambda kind: {"type": kind, **fields})
        | st.just(fields)
    )
)


def assert_well_formed(result: Frame | FrameError) -> None:
    """Either a typed frame whose fields meet the protocol, or an error that can go back on the wire."""
    if isinstance(result, FrameError):
        assert result.code in ERROR_CODES
        assert result.message
        assert result.ref is None or isinstance(result.ref, dict)
        json.dumps(result.to_json(), ensure_ascii=False, allow_nan=False).encode("utf-8")
        return
    assert result.type in ALLOWED_ROLES
    for role in ROLES:
        refusal = check_role(result, role)
        assert refusal is None or refusal.code == "forbidden"
    if isinstance(result, ChatFrame):
        assert 1 <= len(result.text) <= 500 and result.text == result.text.strip()
        assert result.reply_to is None or (type(result.reply_to) is int and result.reply_to >= 1)
    if isinstance(result, ImageFrame):
        assert is_image_url(result.url) and 1 <= len(result.alt) <= 500
    if isinstance(result, TimeoutFrame):
        assert type(result.seconds) is int and 1 <= result.seconds <= 86_400


# -- properties --------------------------------------------------------------------------------------------
@given(st.text(max_size=300))
def test_any_text_gives_a_frame_or_a_protocol_error(text: str) -> None:
    assert_well_formed(parse_frame(text))


@given(st.binary(max_size=100))
def test_binary_is_always_bad_frame(data: bytes) -> None:
    result = parse_frame(data)
    assert isinstance(result, FrameError) and result.code == "bad_frame" and result.ref is None


@given(json_values)
def test_any_json_value_gives_a_frame_or_a_protocol_error(value: Any) -> None:
    assert_well_formed(parse_frame(json.dumps(value, ensure_ascii=False)))
    assert_well_formed(parse_frame(json.dumps(value)))


@settings(max_examples=300)
@given(frame_like)
def test_frame_shaped_objects_give_a_frame_or_a_protocol_error(obj: dict[str, Any]) -> None:
    result = parse_frame(json.dumps(obj, ensure_ascii=False))
    assert_well_formed(result)
    if isinstance(result, FrameError) and result.ref is not None:
        assert result.ref == obj


@given(st.sampled_from(FRAME_TYPES), st.text(max_size=30), st.integers(min_value=1, max_value=100))
def test_size_limit_is_counted_in_utf8_bytes(kind: str, text: str, limit: int) -> None:
    raw = json.dumps({"type": kind, "text": text}, ensure_ascii=False)
    result = parse_frame(raw, max_frame_bytes=limit)
    if len(raw.encode("utf-8")) > limit:
        assert isinstance(result, FrameError) and result.code == "too_long" and result.ref is None
    else:
        assert_well_formed(result)


# -- examples ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{"type":"chat","text":"  3号多少钱 "}', ChatFrame(text="3号多少钱")),
        ('{"type":"chat","text":"hi","reply_to":7}', ChatFrame(text="hi", reply_to=7)),
        ('{"type":"chat","text":"hi","reply_to":null,"role":"moderator"}', ChatFrame(text="hi")),
        ('{"type":"image","url":"/media/ab_1.png","alt":"图"}', ImageFrame(url="/media/ab_1.png", alt="图")),
        (
            '{"type":"image","url":"HTTPS://cdn.example.com/a.jpg?x=1","alt":"a","caption":"c"}',
            ImageFrame(url="HTTPS://cdn.example.com/a.jpg?x=1", alt="a", caption="c"),
        ),
        ('{"type":"product","sku":"A1"}', ProductFrame(sku="A1")),
        ('{"type":"click","sku":"A1"}', ShopFrame(type="click", sku="A1")),
        ('{"type":"purchase","sku":"A1"}', ShopFrame(type="purchase", sku="A1")),
        ('{"type":"delete","id":42}', DeleteFrame(id=42)),
        ('{"type":"timeout","uid":"v-1","seconds":86400}', TimeoutFrame(uid="v-1", seconds=86400)),
        ('{"type":"ping"}', PingFrame()),
    ],
)
def test_valid_frames(raw: str, expected: Frame) -> None:
    result = parse_frame(raw)
    assert result == expected
    assert result.raw == json.loads(raw)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "bad_json"),
        ("{", "bad_json"),
        ('{"type":"chat","text":"x"} trailing', "bad_json"),
        ('{"type":"chat","text":NaN}', "bad_json"),
        ('{"type":"chat","text":"x","n":Infinity}', "bad_json"),
        ('{"type":"chat","text":"x","n":1e999}', "bad_json"),
        ('{"type":"chat","text":"\\udc00"}', "bad_json"),
        ("[" * 3000 + "]" * 3000, "bad_json"),
        ("null", "bad_frame"),
        ("[]", "bad_frame"),
        ("{}", "bad_frame"),
        ('{"type":null}', "bad_frame"),
        ('{"type":["chat"]}', "bad_frame"),
        ('{"type":"welcome"}', "bad_frame"),
        ('{"type":"chat","text":""}', "bad_frame"),
        ('{"type":"chat","text":"\\u3000 \\n"}', "bad_frame"),
        ('{"type":"chat","text":"x","reply_to":0}', "bad_frame"),
        ('{"type":"chat","text":"x","reply_to":1.0}', "bad_frame"),
        ('{"type":"chat","text":"x","reply_to":false}', "bad_frame"),
        ('{"type":"image","url":"javascript:alert(1)","alt":"x"}', "bad_frame"),
        ('{"type":"image","url":"//evil.example/a.png","alt":"x"}', "bad_frame"),
        ('{"type":"image","url":"/media/a.svg","alt":"x"}', "bad_frame"),
        ('{"type":"image","url":"/media/../a.png","alt":"x"}', "bad_frame"),
        ('{"type":"image","url":"http://","alt":"x"}', "bad_frame"),
        ('{"type":"image","url":"/media/a.png","alt":"x","caption":3}', "bad_frame"),
        ('{"type":"product","sku":""}', "bad_frame"),
        ('{"type":"product","sku":5}', "bad_frame"),
        ('{"type":"delete","id":"5"}', "bad_frame"),
        ('{"type":"delete"}', "bad_frame"),
        ('{"type":"timeout","uid":"a b","seconds":5}', "bad_frame"),
        ('{"type":"timeout","uid":"v-1","seconds":true}', "bad_frame"),
        ('{"type":"timeout","uid":"v-1","seconds":0}', "bad_frame"),
        ('{"type":"chat","text":"' + "字" * 501 + '"}', "too_long"),
        ('{"type":"image","url":"/media/a.png","alt":"' + "a" * 501 + '"}', "too_long"),
        ('{"type":"image","url":"https://x.example/' + "a" * 2100 + '","alt":"a"}', "too_long"),
    ],
)
def test_refused_frames(raw: str, code: str) -> None:
    result = parse_frame(raw)
    assert isinstance(result, FrameError), result
    assert result.code == code, result


def test_ref_is_the_frame_only_when_it_is_a_json_object() -> None:
    assert parse_frame('{"type":"chat"}').ref == {"type": "chat"}  # type: ignore[union-attr]
    assert parse_frame("[1]").ref is None  # type: ignore[union-attr]
    assert parse_frame('{"a":' * 20 + "1" + "}" * 20).ref is None  # type: ignore[union-attr]


def test_whole_frame_limit_counts_bytes_not_characters() -> None:
    chinese = json.dumps({"type": "chat", "text": "字" * 400}, ensure_ascii=False)  # 1200+ bytes, 400+ chars
    assert isinstance(parse_frame(chinese, max_frame_bytes=1000), FrameError)
    assert isinstance(parse_frame(chinese, max_frame_bytes=2000), ChatFrame)


@pytest.mark.parametrize("kind", FRAME_TYPES)
def test_role_table(kind: str) -> None:
    frame = {
        "chat": ChatFrame(text="x"),
        "image": ImageFrame(url="/media/a.png", alt="a"),
        "product": ProductFrame(sku="A1"),
        "click": ShopFrame(type="click", sku="A1"),
        "purchase": ShopFrame(type="purchase", sku="A1"),
        "delete": DeleteFrame(id=1),
        "timeout": TimeoutFrame(uid="u", seconds=1),
        "ping": PingFrame(),
    }[kind]
    allowed = {role for role in ROLES if check_role(frame, role) is None}
    expected = {
        "chat": ROLES,
        "ping": ROLES,
        "image": {"bot", "broadcaster"},
        "product": {"bot", "broadcaster"},
        "click": {"viewer", "moderator", "broadcaster"},
        "purchase": {"viewer", "moderator", "broadcaster"},
        "delete": {"moderator", "broadcaster"},
        "timeout": {"moderator", "broadcaster", "bot"},
    }[kind]
    assert allowed == set(expected)


def test_connection_parameters() -> None:
    assert is_room_name("r1") and is_room_name("A-b_9" * 12) and not is_room_name("x" * 65)
    assert not is_room_name("") and not is_room_name("a/b") and not is_room_name("房间")
    assert clean_name("  小红  ") == "小红"
    assert clean_name("") is None and clean_name("   ") is None and clean_name("x" * 33) is None
    assert clean_name("a\nb") is None and clean_name("a\u200bb") == "a\u200bb"


# -- room decisions (state.py, sans-I/O) ---------------------------------------------------------------------
def test_flood_window_slides() -> None:
    window = FloodWindow(limit=2, window_s=10.0)
    for now in (0.0, 1.0):
        assert window.allows(now)
        window.record(now)
    assert not window.allows(9.9)
    assert window.retry_after_s(9.9) == pytest.approx(0.1)
    assert window.allows(10.0)


def test_room_ids_start_at_the_clock_and_increase() -> None:
    room = Room.fresh("r1", history_size=3, now_us=1_000_000)
    member = Member("u1", "alice", "viewer")
    events = [room.apply(member, ChatFrame(text=str(i)), PRODUCTS, now_ms=1_000_000 + i) for i in range(5)]
    assert [e["id"] for e in events] == [1_000_000 + i for i in range(5)]  # type: ignore[index]
    assert [e["text"] for e in room.history] == ["2", "3", "4"]


def test_room_refusals() -> None:
    room = Room.fresh("r1", history_size=50, now_us=1000)
    member = Member("m1", "mod", "moderator")
    assert room.apply(member, ProductFrame(sku="ZZ"), PRODUCTS, 1000).code == "unknown_sku"  # type: ignore[union-attr]
    assert room.apply(member, ChatFrame(text="x", reply_to=5000), PRODUCTS, 1000).code == "bad_frame"  # type: ignore[union-attr]
    assert room.apply(member, DeleteFrame(id=5000), PRODUCTS, 1000).code == "bad_frame"  # type: ignore[union-attr]
    assert room.last_id == 999  # refusals use no id


def test_timeouts_expire(tmp_path: Path) -> None:
    room = Room.fresh("r1", history_size=50, now_us=0)
    room.apply(Member("b", "bot", "bot"), TimeoutFrame(uid="v-1", seconds=60), PRODUCTS, 1000)
    assert room.timed_out_until("v-1", 60_999) == 61_000
    assert room.timed_out_until("v-1", 61_000) is None


def test_snapshot_round_trip_and_bad_files() -> None:
    room = Room.fresh("r1", history_size=50, now_us=10)
    room.apply(Member("h", "host", "broadcaster"), ProductFrame(sku="A1"), PRODUCTS, 20)
    data = json.loads(json.dumps(snapshot([room, Room.fresh("empty", 50, 30)], now_ms=40)))
    assert set(data["rooms"]) == {"r1"}  # a room that never had an event is not worth a line
    restored = restore(data, history_size=50, products=PRODUCTS, path=Path("s.json"))["r1"]
    assert restored.last_id == room.last_id and list(restored.history) == list(room.history)
    assert restored.product == PRODUCTS["A1"]
    for bad in ([], {"version": 99, "rooms": {}}, {"version": 1, "rooms": {"bad name": {}}}):
        with pytest.raises(StateFileError):
            restore(bad, history_size=50, products=PRODUCTS, path=Path("s.json"))
    history = deque([{"id": 5}])
    broken = {"version": 1, "rooms": {"r1": {"last_id": 4, "history": list(history)}}}
    with pytest.raises(StateFileError, match="ids"):
        restore(broken, history_size=50, products=PRODUCTS, path=Path("s.json"))
