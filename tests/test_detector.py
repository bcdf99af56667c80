"""The learned shop-question detector: trains here, saves and loads exactly, and earns its place."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.catalog import load_catalog, load_faq
from bot.qa import detector
from bot.qa.answerer import Answerer
from tests.conftest import SHARED_DATA


def test_trains_on_the_shipped_examples_and_round_trips(tmp_path: Path) -> None:
    model = detector.train(None)
    assert model.metrics["heldout_examples"] > 0
    path = tmp_path / "models" / "question_detector.npz"
    model.save(path)
    loaded = detector.QuestionDetector.load(path)
    for text in ("3号多少钱", "哈哈哈哈", "is it true to size", "lol"):
        assert loaded.probability(text) == pytest.approx(model.probability(text), abs=1e-5)
    assert loaded.metrics == pytest.approx(model.metrics)


def test_a_wrong_shaped_model_file_is_refused(tmp_path: Path) -> None:
    import numpy as np

    path = tmp_path / "bad.npz"
    np.savez(path, weights=np.zeros(10, dtype=np.float32), bias=np.float32(0))
    with pytest.raises(ValueError, match="expected"):
        detector.QuestionDetector.load(path)


@pytest.mark.dataset
@pytest.mark.slow
def test_on_real_chat_it_is_accurate_and_keeps_the_queue_clean() -> None:
    model = detector.train(SHARED_DATA)
    assert model.metrics["heldout_accuracy"] >= 0.95
    assert model.metrics["heldout_recall"] >= 0.9
    # The tail of each chat file is not used in training (the first 20,000 lines are).
    chat: list[str] = []
    for name, column in (
        ("bilibili_live_danmaku_20211230.csv", "text"),
        ("youtube_live_chat_2025.csv", "message"),
    ):
        with open(SHARED_DATA / "livestream_chat" / name, encoding="utf-8", newline="") as fh:
            chat += [row[column] for row in list(csv.DictReader(fh))[-2000:]]
    rules = Answerer(load_catalog(), load_faq())
    learned = Answerer(load_catalog(), load_faq(), detector=model)
    queued_by_rules = sum(rules.answer(t, "TS01").queue for t in chat)
    queued_with_model = sum(learned.answer(t, "TS01").queue for t in chat)
    assert queued_with_model < queued_by_rules / 2
    answered = sum(learned.answer(t, "TS01").answered for t in chat)
    assert answered <= len(chat) * 0.005  # stream talk is almost never answered


def test_who_pays_anywhere_in_the_message_is_a_question() -> None:
    from bot.qa.intents import detect_intents
    from bot.qa.text import normalize

    assert detect_intents(normalize("return shipping who pays")).question_like
    assert detect_intents(normalize("return postage who pay ah")).question_like


def test_discounts_in_chinese_numerals_and_promos_are_asked() -> None:
    from bot.qa.intents import detect_intents
    from bot.qa.text import normalize

    for text in ("20号是打八折吗", "羊绒围巾是五折吗", "link 22 any promo", "this hat got promo or not"):
        assert "discount" in detect_intents(normalize(text)).names, text
