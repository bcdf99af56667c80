"""Price answers offline (`livebot ask`): every link form, the on-screen product, silence on chatter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.catalog import Catalog, format_price
from bot.cli import main
from bot.qa.answerer import Answerer
from bot.qa.linking import find_link
from bot.qa.text import normalize


@pytest.fixture(scope="module")
def answerer(catalog: Catalog) -> Answerer:
    return Answerer(catalog, seed=1)


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("3号多少钱", 3),
        ("３号多少钱", 3),
        ("3号链接多少钱", 3),
        ("链接3多少钱", 3),
        ("三号多少钱", 3),
        ("十二号多少钱", 12),
        ("主播12号怎么卖", 12),
        ("how much is link 3", 3),
        ("price of #3?", 3),
        ("Link３ price", 3),
        ("第5个多少钱", 5),
    ],
)
def test_link_forms(text: str, link: int, answerer: Answerer, catalog: Catalog) -> None:
    assert find_link(normalize(text)).link == link
    answer = answerer.answer(text)
    product = catalog.by_link(link)
    assert product is not None
    assert answer.answered and answer.intent == "price" and answer.sku == product.sku
    assert f"¥{format_price(product.price)}" in answer.text


def test_on_screen_product(answerer: Answerer, catalog: Catalog) -> None:
    product = catalog.products[5]
    for text in ("这件多少钱", "主播身上这个多少钱", "how much is this one", "多少钱"):
        answer = answerer.answer(text, current_sku=product.sku)
        assert answer.sku == product.sku, text
        assert f"¥{format_price(product.price)}" in answer.text


def test_no_product_known_means_silence_and_a_queued_question(answerer: Answerer) -> None:
    answer = answerer.answer("这件多少钱", current_sku=None)
    assert not answer.answered and answer.queue and answer.intent == "price"


def test_nonexistent_link_never_gets_another_products_facts(answerer: Answerer, catalog: Catalog) -> None:
    missing = max(p.link for p in catalog.products) + 1
    answer = answerer.answer(f"{missing}号多少钱")
    assert answer.sku is None
    assert "¥" not in answer.text
    assert str(missing) in answer.text


@pytest.mark.parametrize("text", ["666", "哈哈哈哈哈", "主播好美", "hello", "来了来了", "👍👍👍"])
def test_chatter_is_not_answered(text: str, answerer: Answerer) -> None:
    assert not answerer.answer(text, current_sku="anything").answered


def test_answers_follow_the_askers_language(answerer: Answerer) -> None:
    english = answerer.answer("how much is link 2")
    assert english.language == "en" and "link 2" in english.text.lower()
    assert answerer.answer("2号多少钱").language == "zh"


def test_asking_again_gets_different_words(answerer: Answerer) -> None:
    texts = [answerer.answer("9号多少钱").text for _ in range(3)]
    assert len(set(texts)) == 3


def test_sold_out_is_said_plainly(answerer: Answerer, catalog: Catalog) -> None:
    sold_out = next(p for p in catalog.products if p.stock == 0)
    assert "售罄" in answerer.answer(f"{sold_out.link}号多少钱").text
    assert "sold out" in answerer.answer(f"how much is link {sold_out.link}").text


def test_ask_cli_single_and_batch(
    tmp_path: Path, catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    product = catalog.by_link(3)
    assert product is not None
    assert main(["ask", "--json", "3号多少钱"]) == 0
    single = json.loads(capsys.readouterr().out)
    assert single["answered"] and single["sku"] == product.sku and single["intent"] == "price"

    batch = tmp_path / "in.jsonl"
    lines = [
        {"text": "3号多少钱", "current": None},
        {"text": "这件多少钱", "current": product.sku},
        {"text": "666", "current": None},
    ]
    batch.write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\nnot json\n", encoding="utf-8"
    )
    assert main(["ask", "--batch", str(batch)]) == 1  # the bad line is reported, the others answered
    captured = capsys.readouterr()
    out = [json.loads(line) for line in captured.out.splitlines()]
    assert [o["answered"] for o in out] == [True, True, False, False]
    assert set(out[0]) >= {"answered", "intent", "sku", "text"}
    assert f"{batch}:4:" in captured.err
