"""Reading interaction files into an `Events` log: CSV, MovieLens `u.data`, Taobao UserBehavior.

A bad row never stops a run by surprise: it is skipped and reported with its line number
(`Events.bad_rows`, `format_bad_rows`), and `strict=True` turns any bad row into an error instead.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Literal

import numpy as np

from recommender.interactions import BadRow, Events

Format = Literal["auto", "csv", "movielens", "taobao"]
FORMATS: tuple[str, ...] = ("auto", "csv", "movielens", "taobao")

# pv < fav < cart < buy: a purchase says more about taste than a glance at the detail page
DEFAULT_BEHAVIOR_WEIGHTS: Mapping[str, float] = {"pv": 1.0, "fav": 2.0, "cart": 3.0, "buy": 4.0}

# header names we recognise for CSV columns (a header is optional; without one the order is fixed)
_ALIASES = {
    "user": ("user_id", "user", "userid", "uid", "visitorid", "visitor_id", "customer_id", "viewer_id"),
    "item": ("item_id", "item", "itemid", "iid", "product_id", "productid", "movie_id", "sku"),
    "timestamp": ("timestamp", "ts", "time", "datetime", "date", "unix_ts", "ts_s", "event_time"),
    "weight": ("weight", "rating", "value", "count", "score", "quantity"),
}


class InteractionFileError(ValueError):
    """An interaction file that cannot be used as given; `bad_rows` lists the offending lines."""

    def __init__(self, message: str, bad_rows: tuple[BadRow, ...] = ()) -> None:
        super().__init__(message)
        self.bad_rows = bad_rows


def format_bad_rows(bad_rows: Iterable[BadRow], source: str = "", limit: int = 20) -> str:
    rows = list(bad_rows)
    where = f" in {source}" if source else ""
    head = f"skipped {len(rows)} bad row{'s' if len(rows) != 1 else ''}{where}:"
    listed = [f"  {r}" for r in rows[:limit]]
    if len(rows) > limit:
        listed.append(f"  ... and {len(rows) - limit} more")
    return "\n".join([head, *listed])


def read_events(
    path: str | Path,
    *,
    fmt: Format = "auto",
    behavior_weights: Mapping[str, float] | None = None,
    strict: bool = False,
    encoding: str = "utf-8",
) -> Events:
    """Read `path`; bad rows are skipped and kept in `Events.bad_rows` (or raise with `strict`)."""
    path = Path(path)
    with path.open(encoding=encoding, newline="") as fh:
        return parse_lines(
            fh, fmt=fmt, behavior_weights=behavior_weights, strict=strict, source=str(path), name=path.name
        )


def parse_lines(
    lines: Iterable[str],
    *,
    fmt: Format = "auto",
    behavior_weights: Mapping[str, float] | None = None,
    strict: bool = False,
    source: str = "<lines>",
    name: str = "",
) -> Events:
    """Parse interaction lines (the reader behind `read_events`, usable on strings in tests)."""
    weights_by_behavior = dict(DEFAULT_BEHAVIOR_WEIGHTS if behavior_weights is None else behavior_weights)
    users: list[str] = []
    items: list[str] = []
    stamps: list[float] = []
    weights: list[float] = []
    line_nos: list[int] = []
    bad: list[BadRow] = []
    parse_row: RowParser | None = None
    for line_no, raw_line in enumerate(lines, start=1):
        text = raw_line.rstrip("\r\n")
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        if parse_row is None:
            fmt_here = _detect(text, name, weights_by_behavior) if fmt == "auto" else fmt
            parse_row, is_header = _row_parser(fmt_here, text, weights_by_behavior)
            if is_header:
                continue
        try:
            user, item, ts, weight = parse_row(text)
        except _RowError as exc:
            bad.append(BadRow(line_no, str(exc), text))
            continue
        users.append(user)
        items.append(item)
        stamps.append(ts)
        weights.append(weight)
        line_nos.append(line_no)
    if bad and strict:
        raise InteractionFileError(format_bad_rows(bad, source), tuple(bad))
    if not users:
        detail = ("\n" + format_bad_rows(bad, source)) if bad else ""
        raise InteractionFileError(f"no usable interaction rows in {source}{detail}", tuple(bad))
    return Events(
        np.asarray(users, dtype=str),
        np.asarray(items, dtype=str),
        np.asarray(stamps, dtype=np.float64),
        np.asarray(weights, dtype=np.float32),
        np.asarray(line_nos, dtype=np.int64),
        tuple(bad),
    )


class _RowError(ValueError):
    pass


def _detect(first: str, name: str, behavior_weights: Mapping[str, float]) -> str:
    """MovieLens by name or separator (tab, '::'), Taobao by its behaviour column, CSV otherwise."""
    if name in ("u.data", "ratings.dat") or "\t" in first or "::" in first:
        return "movielens"
    fields = first.split(",")
    if len(fields) == 5 and fields[3].strip() in behavior_weights:
        return "taobao"
    return "csv"


RowParser = Callable[[str], tuple[str, str, float, float]]


def _row_parser(fmt: str, first: str, behavior_weights: Mapping[str, float]) -> tuple[RowParser, bool]:
    if fmt == "movielens":
        sep = "::" if "::" in first else ("\t" if "\t" in first else None)

        def parse_movielens(text: str) -> tuple[str, str, float, float]:
            fields = text.split(sep)
            if len(fields) != 4:
                raise _RowError(f"expected 4 fields (user, item, rating, timestamp), got {len(fields)}")
            user, item = _ids(fields[0], fields[1])
            return user, item, _timestamp(fields[3]), _weight(fields[2])

        return parse_movielens, False
    if fmt == "taobao":

        def parse_taobao(text: str) -> tuple[str, str, float, float]:
            fields = text.split(",")
            if len(fields) != 5:
                raise _RowError(
                    f"expected 5 fields (user, item, category, behavior, timestamp), got {len(fields)}"
                )
            user, item = _ids(fields[0], fields[1])
            behavior = fields[3].strip()
            if behavior not in behavior_weights:
                raise _RowError(f"unknown behavior {behavior!r} (known: {', '.join(behavior_weights)})")
            return user, item, _timestamp(fields[4]), float(behavior_weights[behavior])

        return parse_taobao, False
    if fmt != "csv":
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    columns, is_header = _csv_columns(first)

    def parse_csv(text: str) -> tuple[str, str, float, float]:
        fields = text.split(",")
        if len(fields) not in columns["counts"]:
            want = " or ".join(str(c) for c in sorted(columns["counts"]))
            raise _RowError(f"expected {want} fields (user_id,item_id,timestamp[,weight]), got {len(fields)}")
        user, item = _ids(fields[columns["user"]], fields[columns["item"]])
        w_col = columns["weight"]
        weight = _weight(fields[w_col]) if w_col is not None and w_col < len(fields) else 1.0
        return user, item, _timestamp(fields[columns["timestamp"]]), weight

    return parse_csv, is_header


def _csv_columns(first: str) -> tuple[dict, bool]:
    """Column positions from a header line when the first line is one, else the fixed order."""
    names = [f.strip().lower() for f in first.split(",")]
    positions: dict = {}
    for role, aliases in _ALIASES.items():
        for pos, name in enumerate(names):
            if name in aliases:
                positions[role] = pos
                break
    looks_like_header = len(names) >= 3 and not _is_timestamp(names[2]) and any(c.isalpha() for c in first)
    if looks_like_header and {"user", "item", "timestamp"} <= positions.keys():
        n = len(names)
        return {
            "user": positions["user"],
            "item": positions["item"],
            "timestamp": positions["timestamp"],
            "weight": positions.get("weight"),
            "counts": {n},
        }, True
    fixed = {"user": 0, "item": 1, "timestamp": 2, "weight": 3, "counts": {3, 4}}
    # only a line naming at least one known column is taken as a header; anything else is data, so a
    # broken first row is reported like any other instead of vanishing as a "header"
    return fixed, looks_like_header and bool(positions)


def _ids(user: str, item: str) -> tuple[str, str]:
    user, item = user.strip(), item.strip()
    if not user:
        raise _RowError("empty user id")
    if not item:
        raise _RowError("empty item id")
    return user, item


def _is_timestamp(text: str) -> bool:
    try:
        _timestamp(text)
    except _RowError:
        return False
    return True


def _timestamp(text: str) -> float:
    text = text.strip()
    try:
        value = float(text)
    except ValueError:
        try:
            stamp = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise _RowError(f"timestamp {text!r} is neither a number nor an ISO 8601 date") from None
        if stamp.tzinfo is None:  # a naive date is read as UTC so that files sort the same everywhere
            stamp = stamp.replace(tzinfo=datetime.UTC)
        return stamp.timestamp()
    if not math.isfinite(value):
        raise _RowError(f"timestamp {text!r} is not finite")
    return value


def _weight(text: str) -> float:
    text = text.strip()
    try:
        value = float(text)
    except ValueError:
        raise _RowError(f"weight {text!r} is not a number") from None
    if not math.isfinite(value) or value <= 0:
        raise _RowError(f"weight {text!r} must be a positive finite number")
    return value
