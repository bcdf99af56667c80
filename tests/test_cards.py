"""Promo cards: visible text and AI label, PNG metadata, price formatting, and finding a CJK font."""

from __future__ import annotations

import io
import os
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from generation.images.cards import CardFacts, format_price, link_text, render_card, saving_text, write_card
from generation.images.fonts import FontChoice, FontNotFoundError, find_cjk_font

WIDTH = 320


@pytest.fixture(scope="module")
def cjk_font() -> FontChoice:
    try:
        return find_cjk_font()
    except FontNotFoundError as exc:
        # .ci/run installs fonts-wqy-microhei; there (LIVEBOT_REQUIRE_DATA=1) a missing font is a failure.
        if os.environ.get("LIVEBOT_REQUIRE_DATA") == "1":
            pytest.fail(f"no CJK font although CI installs one: {exc}")
        pytest.skip(f"no CJK font on this machine: {exc}")


def _facts(**changes: object) -> CardFacts:
    base: dict[str, object] = {
        "name": "Oversize 纯棉白T恤",
        "price": "¥69",
        "original_price": "¥99",
        "link": 3,
        "sku": "TS01",
        "model_version": "cgan-20250101-abc",
        "seed": 42,
    }
    return CardFacts(**{**base, **changes})  # type: ignore[arg-type]


def _garment() -> np.ndarray:
    image = np.zeros((32, 32), np.uint8)
    image[6:26, 8:24] = 200
    return image


def _read(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def _panel(card: Image.Image) -> np.ndarray:
    """The text area below the (square) picture."""
    return np.asarray(card.convert("L"))[WIDTH:].astype(np.float64)


def test_card_has_metadata_text_and_ai_label(cjk_font: FontChoice) -> None:
    card = _read(render_card(_facts(), _garment(), font=cjk_font, width=WIDTH))
    assert card.format == "PNG" and card.width == WIDTH and card.height > WIDTH
    meta = card.text  # type: ignore[attr-defined]
    assert meta["AIGC"] == "true" and meta["AIGC-Label"] == "AI生成"
    assert meta["model_version"] == "cgan-20250101-abc" and meta["seed"] == "42" and meta["sku"] == "TS01"
    assert meta["price"] == "¥69" and meta["original_price"] == "¥99"
    assert _panel(card).var() > 500  # text was drawn on the white panel
    # The AI label is drawn over the top-left of the picture, which is black in this image.
    corner = np.asarray(card.convert("L"))[: WIDTH // 8, : WIDTH // 3]
    assert corner.max() > 200


def test_price_and_cjk_name_change_the_pixels(cjk_font: FontChoice) -> None:
    base = _panel(_read(render_card(_facts(), _garment(), font=cjk_font, width=WIDTH)))
    cheaper = _panel(_read(render_card(_facts(price="¥59"), _garment(), font=cjk_font, width=WIDTH)))
    assert np.abs(base - cheaper).sum() > 0
    # Two different Han characters must render differently (a font without CJK draws the same box).
    one = _panel(_read(render_card(_facts(name="生"), _garment(), font=cjk_font, width=WIDTH)))
    two = _panel(_read(render_card(_facts(name="成"), _garment(), font=cjk_font, width=WIDTH)))
    assert np.abs(one - two).sum() > 1000


def test_english_card_and_file_output(cjk_font: FontChoice, tmp_path: Path) -> None:
    facts = _facts(
        name="Oversize cotton T-shirt, a very long name that has to wrap " * 3, language="en", price=59.9
    )
    rgb = np.stack([_garment()] * 3, axis=-1)
    path = write_card(facts, rgb, tmp_path / "cards" / "card.png", font=cjk_font, width=WIDTH)
    with Image.open(path) as card:
        assert card.text["AIGC-Label"] == "AI生成 · AI-generated"  # type: ignore[attr-defined]
        assert card.text["price"] == "¥59.9"  # type: ignore[attr-defined]
    assert [p.name for p in path.parent.iterdir()] == ["card.png"]  # no temp file left


def test_price_formatting() -> None:
    assert format_price("¥59") == "¥59"
    assert format_price("￥59.9") == "¥59.9"
    assert format_price("59") == "¥59"
    assert format_price(59.90) == "¥59.9"
    assert format_price(Decimal("59.00")) == "¥59"
    assert format_price(Decimal("1234.5")) == "¥1234.5"
    assert format_price(0.1 + 0.2) == "¥0.3"
    assert format_price(100) == "¥100"
    with pytest.raises(ValueError):
        format_price(float("nan"))


def test_saving_and_link_text() -> None:
    assert saving_text(_facts()) == "省¥30"
    assert saving_text(_facts(language="en", price=Decimal("59.9"), original_price=99)) == "save ¥39.1"
    assert saving_text(_facts(original_price="¥69")) is None  # no discount, none invented
    assert saving_text(_facts(original_price=None)) is None
    assert saving_text(_facts(price="see shop")) is None
    assert link_text(_facts()) == "3号链接" and link_text(_facts(language="en")) == "Link 3"


def test_missing_font_names_the_packages(tmp_path: Path) -> None:
    with pytest.raises(FontNotFoundError) as err:
        find_cjk_font(tmp_path / "no-such-font.ttc", known=())
    assert str(tmp_path / "no-such-font.ttc") in str(err.value)
    assert "fonts-noto-cjk" in str(err.value) and "fonts-wqy-microhei" in str(err.value)
    with pytest.raises(FontNotFoundError, match=r"fonts-noto-cjk.*fonts-wqy-microhei"):
        find_cjk_font(None, use_fontconfig=False, known=())
    with pytest.raises(FontNotFoundError, match="fonts-wqy-microhei"):
        find_cjk_font(None, use_fontconfig=False, known=(FontChoice(tmp_path / "gone.ttf"),))


def test_configured_font_wins(cjk_font: FontChoice) -> None:
    assert find_cjk_font(cjk_font.path).path == cjk_font.path
