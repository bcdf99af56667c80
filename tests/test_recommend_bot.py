"""The bot's recommender hook: live fold-in, in-stock candidates only, never what the viewer bought."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.catalog import Catalog
from bot.recommend import SignalWeights, ViewerRecommender, fit_model
from tests import test_bot_room
from tests.conftest import RoomServer
from tests.test_bot_room import answer_to, ask

start_bot = test_bot_room.start_bot


def two_tastes(catalog: Catalog) -> list[tuple[str, str, str, int]]:
    """Viewers who buy T-shirts and shirts, and viewers who buy boots and sneakers."""
    tops = [p.sku for p in catalog.products if p.category in ("tshirt", "shirt") and p.in_stock]
    shoes = [p.sku for p in catalog.products if p.category in ("ankle_boot", "sneaker") and p.in_stock]
    rows = []
    for v in range(30):
        group = tops if v % 2 else shoes
        rows += [(f"v{v}", sku, "click", 1000 * v + i) for i, sku in enumerate(group)]
    return rows


def test_fold_in_moves_the_next_pick_to_the_viewers_taste(catalog: Catalog) -> None:
    rec = ViewerRecommender(catalog, SignalWeights())
    rec.model = fit_model("itemknn", two_tastes(catalog), SignalWeights())
    boots = {p.sku for p in catalog.products if p.category in ("ankle_boot", "sneaker")}
    tops = {p.sku for p in catalog.products if p.category in ("tshirt", "shirt")}
    rec.record("new", "click", next(iter(sorted(boots & {p.sku for p in catalog.in_stock()}))))
    assert set(rec.pick("new", None, n=3)) <= boots
    for sku in sorted(tops & {p.sku for p in catalog.in_stock()}):
        rec.record("other", "purchase", sku)
    assert set(rec.pick("other", None, n=3)).isdisjoint(rec._bought["other"])


def test_never_sold_out_never_bought(catalog: Catalog) -> None:
    rec = ViewerRecommender(catalog, SignalWeights())
    rec.model = fit_model("itemknn", two_tastes(catalog), SignalWeights())
    sold_out = {p.sku for p in catalog.products if not p.in_stock}
    for uid in ("a", "b", "c"):
        for p in catalog.products[:20]:
            rec.record(uid, "purchase", p.sku)
        picks = rec.pick(uid, catalog.products[0].sku, n=3)
        assert len(picks) == 3
        assert not set(picks) & sold_out and not set(picks) & {p.sku for p in catalog.products[:20]}


def test_cold_start_uses_the_screen_and_the_sales(catalog: Catalog) -> None:
    rec = ViewerRecommender(catalog, SignalWeights())
    best = catalog.by_link(8)
    assert best is not None
    for uid in ("x", "y"):
        rec.record(uid, "purchase", best.sku)
    assert rec.pick("newcomer", None, n=3)[0] == best.sku
    assert fit_model("itemknn", [], SignalWeights()) is None  # nothing to learn from yet


async def test_recommend_command_in_a_room_names_in_stock_products(
    room_server: RoomServer, open_client: Callable[..., Any], start_bot: Callable[..., Any], catalog: Catalog
) -> None:
    await start_bot(room_server.ws_url("r1"))
    viewer = await open_client(room_server.ws_url("r1"), "小美")
    bought = catalog.by_link(1)
    assert bought is not None
    await viewer.send(type="purchase", sku=bought.sku)
    await viewer.wait_for(lambda f: f.get("type") == "purchase")
    event = await ask(viewer, "!推荐")
    reply = await viewer.wait_for(answer_to(event["id"]))
    links = [int(n) for n in re.findall(r"(\d+)号", reply["text"])]
    assert 1 <= len(links) <= 3
    for link in links:
        product = catalog.by_link(link)
        assert product is not None and product.in_stock and product.sku != bought.sku


async def test_proactive_suggestions_only_with_the_feature_and_once_per_viewer(
    room_server: RoomServer, open_client: Callable[..., Any], start_bot: Callable[..., Any], catalog: Catalog
) -> None:
    await start_bot(room_server.ws_url("r1"), "rooms.r1.recommend=true")
    viewer = await open_client(room_server.ws_url("r1"), "阿强")
    clicked = catalog.by_link(2)
    assert clicked is not None
    await viewer.send(type="click", sku=clicked.sku)
    suggestion = await viewer.wait_for(lambda f: f.get("type") == "chat" and "你可能还喜欢" in f["text"])
    assert suggestion["text"].startswith("@阿强 ") and f"{clicked.link}号" not in suggestion["text"]
    await viewer.send(type="click", sku=clicked.sku)
    marker = await ask(viewer, "3号多少钱")
    await viewer.wait_for(answer_to(marker["id"]))
    assert sum("你可能还喜欢" in f.get("text", "") for f in viewer.frames if f.get("type") == "chat") == 1


async def test_no_unasked_suggestions_without_the_feature(
    room_server: RoomServer, open_client: Callable[..., Any], start_bot: Callable[..., Any], catalog: Catalog
) -> None:
    await start_bot(room_server.ws_url("r1"))
    viewer = await open_client(room_server.ws_url("r1"), "v")
    await viewer.send(type="click", sku=catalog.products[1].sku)
    marker = await ask(viewer, "3号多少钱")
    await viewer.wait_for(answer_to(marker["id"]))
    assert not any("你可能还喜欢" in f.get("text", "") for f in viewer.frames if f.get("type") == "chat")
