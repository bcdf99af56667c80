"""Promotions and the compliance check: the Advertising-Law rules with their ordinary-word exceptions,
stock claims against the real stock, the gate before the outbox, template and model copy (a tiny real
model that memorised an ad with a banned claim in it), and promo text in a real room."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.catalog import Catalog, format_price, load_catalog
from bot.compliance import AI_LABEL, Compliance, ComplianceGate, catalog_findings
from bot.events import Outgoing, PostImage, Priority, Reply, Stats
from bot.inference import ModelSlot
from bot.promo_text import PromoTexts, template_promo, writer_facts
from tests.conftest import RoomServer
from tests.test_bot_room import answer_to, ask, start_bot  # noqa: F401 (a fixture)
from tests.test_text_writer import memorised_writer
from training.registry import Registry

RULES = Compliance()


@pytest.mark.parametrize(
    "text",
    [
        "全网最低价",
        "这是最好的连衣裙",
        "销量第一",
        "国家级工艺",
        "顶级面料",
        "唯一一款",
        "史上最强",
        "马上涨价，手慢无",
        "the best dress ever",
        "cheapest in town",
        "today only!",
        "No.1 choice",
    ],
)
def test_absolute_terms_and_fake_urgency_are_found(text: str) -> None:
    assert RULES.check(text), text


@pytest.mark.parametrize(
    "text",
    [
        "这款是最近很火的款式",
        "最多买两件",
        "第一件半价，第二件再减10元",
        "第一次来直播间的宝宝",
        "纯棉面料，透气舒服",
        "100%纯棉",
        "link #1 is a dress",
        "Colours: black/white. Ships within 48 h.",
    ],
)
def test_ordinary_words_with_the_same_characters_pass(text: str) -> None:
    assert RULES.check(text) == [], text


def test_a_stock_claim_must_be_the_real_stock() -> None:
    assert RULES.check("仅剩3件，喜欢的抓紧", stock=3) == []
    assert RULES.check("最后三件啦", stock=3) == []  # a true "最后N件" is not a superlative
    assert [v.rule for v in RULES.check("仅剩3件", stock=30)] == ["stock"]
    assert [v.rule for v in RULES.check("only 2 left", stock=None)] == ["stock"]
    assert RULES.check("only 2 left", stock=2) == []


def test_clean_keeps_the_sentences_without_findings() -> None:
    text, dropped = RULES.clean("纯棉面料，透气舒服。全网最低价！马上涨价。48小时发货。", stock=10)
    assert text == "纯棉面料，透气舒服。48小时发货。"
    assert {v.term for v in dropped} >= {"最低", "马上涨价"}


def test_shop_terms_and_allowed_words_come_from_files(tmp_path: Path) -> None:
    terms = tmp_path / "terms.txt"
    terms.write_text("# our own list\n秒杀\nmiracle\n", encoding="utf-8")
    compliance, problems = Compliance.from_files([terms, tmp_path / "missing.txt"], allow=["最美小镇"])
    assert len(problems) == 1 and "missing.txt" in problems[0]
    assert [v.rule for v in compliance.check("今晚秒杀")] == ["term"]
    assert compliance.check("a MIRACLE fabric")
    assert compliance.check("产自最美小镇") == []  # the allowed name covers the 最 inside it
    assert compliance.check("最美连衣裙")


def test_the_gate_stops_promotions_and_flags_answers() -> None:
    sent: list[Outgoing] = []
    stats = Stats()
    gate = ComplianceGate(RULES, "r1", stats, sent.append)
    gate(Reply("r1", "全网最低价的羽绒服", priority=Priority.PROMO))
    gate(Reply("r1", "3号 最美连衣裙 ¥99"))  # an answer quoting the shop's own product name
    gate(Reply("r1", "有货，仅剩3件"))  # the answer's stock is the row's: its producer checked it
    gate(PostImage("r1", "", "AI生成的连衣裙示意图"))
    assert [type(item).__name__ for item in sent] == ["Reply", "Reply", "PostImage"]
    assert stats.compliance_blocked == 1 and stats.compliance_flagged == 1


def test_catalog_names_that_break_a_rule_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "catalog.csv"
    path.write_text(
        "link,sku,name,category,price,original_price,stock,sizes,colors,material,ship_hours,free_shipping,"
        "description\n"
        "1,A1,全网最低价连衣裙,dress,99,199,5,S|M,黑色,棉,48,true,顶级面料\n"
        "2,A2,纯棉T恤,tshirt,39,39,50,S|M,白色,棉,24,true,\n",
        encoding="utf-8",
    )
    findings = catalog_findings(RULES, load_catalog(path))
    assert len(findings) == 2 and all(line.startswith("link 1 (A1)") for line in findings)


def test_templates_state_row_facts_and_pass_the_rules(catalog: Catalog) -> None:
    rng = random.Random(0)
    for product in catalog.products:
        for lang in ("zh", "en"):
            for _ in range(4):
                text = template_promo(product, lang, rng)
                assert f"¥{format_price(product.price)}" in text and str(product.link) in text
                assert RULES.check(text, product.stock) == [], text


def served(writer: Any, tmp_path: Path) -> ModelSlot[Any]:
    slot: ModelSlot[Any] = ModelSlot("text", Registry(tmp_path / "models"), lambda v: None, lambda m: None)
    slot.model, slot.version = writer, "v0007"
    return slot


async def test_model_copy_loses_the_banned_claim_and_gets_the_label_and_the_row_facts(
    catalog: Catalog, tmp_path: Path
) -> None:
    product = catalog.by_link(11)
    assert product is not None
    writer = await asyncio.to_thread(
        memorised_writer, writer_facts(product), "这条裙子全网最低价。面料柔软亲肤，上身显瘦。"
    )
    texts = PromoTexts(RULES, served(writer, tmp_path), temperature=0)
    copy = await texts.write(product, "zh")
    assert copy is not None and copy.source == "text/v0007"
    assert copy.text.startswith("面料柔软亲肤，上身显瘦。" + AI_LABEL["zh"])
    assert f"{product.link}号链接 ¥{format_price(product.price)}" in copy.text
    assert "最低" not in copy.text and any("最低" in why for why in copy.dropped)
    # English rooms get the template: the model writes Chinese.
    english = await texts.write(product, "en")
    assert english is not None and english.source == "template" and AI_LABEL["en"] not in english.text


async def test_copy_with_nothing_left_falls_back_to_the_template(catalog: Catalog, tmp_path: Path) -> None:
    product = catalog.by_link(3)
    assert product is not None
    writer = await asyncio.to_thread(memorised_writer, writer_facts(product), "全网最低价！马上涨价！")
    copy = await PromoTexts(RULES, served(writer, tmp_path), temperature=0).write(product, "zh")
    assert copy is not None and copy.source == "template" and AI_LABEL["zh"] not in copy.text
    assert f"¥{format_price(product.price)}" in copy.text


def is_promo(frame: dict[str, Any]) -> bool:
    return frame.get("type") == "chat" and frame["user"]["role"] == "bot" and frame.get("reply_to") is None


async def test_a_product_switch_posts_promo_text_and_answers_still_come_first(
    start_bot: Callable[..., Any],  # noqa: F811 (the fixture imported above)
    room_server: RoomServer,
    open_client: Callable[..., Any],
    catalog: Catalog,
) -> None:
    await start_bot(room_server.ws_url("r1"), "rooms.r1.promo=true", "promo.interval_s=3600")
    host = await open_client(room_server.ws_url("r1"), "主播", token="t-host")
    viewer = await open_client(room_server.ws_url("r1"), "小林")
    product = catalog.by_sku("DR01")
    assert product is not None
    await host.send(type="product", sku="DR01")
    frame = await viewer.wait_for(is_promo, timeout_s=10)
    assert f"¥{format_price(product.price)}" in frame["text"] and str(product.link) in frame["text"]
    assert RULES.check(frame["text"], product.stock) == []
    question = await ask(viewer, "3号多少钱")
    await viewer.wait_for(answer_to(question["id"]))
