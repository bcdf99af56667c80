"""Promo cards: a generated product image with the facts a viewer needs, labelled as AI-generated.

The card shows the image (upscaled smoothly), the product name, the price with the original price struck
through and the saving, the link number, and a visible "AI生成" label; the PNG also carries the label,
model version, seed and SKU as text metadata, so a card found later can be traced to the model that made
it. Prices are drawn exactly as the caller's strings say (the catalog is the only source of prices);
numbers are formatted without trailing zeros.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from generation.images.files import write_atomic
from generation.images.fonts import FontChoice, find_cjk_font, load_font

Price = str | Decimal | int | float

AI_LABEL_ZH = "AI生成"
AI_LABEL_EN = "AI-generated"

_INK = (34, 34, 34)
_PRICE_RED = (228, 57, 60)
_GREY = (150, 150, 150)
_WHITE = (255, 255, 255)


@dataclass(frozen=True, kw_only=True)
class CardFacts:
    """What the card states; every value comes from the catalog or the generating model."""

    name: str
    price: Price
    original_price: Price | None = None
    link: int
    sku: str
    language: Literal["zh", "en"] = "zh"
    model_version: str
    seed: int


def price_value(price: Price) -> Decimal | None:
    """The number in a price ("¥59.9", "59", Decimal, float), or None when it is not one."""
    if isinstance(price, bool):
        return None
    if isinstance(price, str):
        text = price.strip().removeprefix("¥").removeprefix("￥").replace(",", "").strip()
        try:
            value = Decimal(text)
        except InvalidOperation:
            return None
    else:
        value = Decimal(str(price))  # str() first: Decimal(0.1) would carry the float's binary error
    return value if value.is_finite() and value >= 0 else None


def format_price(price: Price) -> str:
    """ "¥59" / "¥59.9": a caller's string is kept as written (with ¥ added if bare); numbers are rounded
    to fen and lose trailing zeros."""
    if isinstance(price, str):
        text = price.strip()
        if text.startswith("￥"):
            text = "¥" + text[1:]
        return text if text.startswith("¥") or price_value(text) is None else "¥" + text
    value = price_value(price)
    if value is None:
        raise ValueError(f"not a price: {price!r}")
    return "¥" + _plain(value)


def _plain(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def saving_text(facts: CardFacts) -> str | None:
    """ "省¥40" / "save ¥40" when the original price is higher, else None (no invented discount)."""
    if facts.original_price is None:
        return None
    price, original = price_value(facts.price), price_value(facts.original_price)
    if price is None or original is None or original <= price:
        return None
    amount = "¥" + _plain(original - price)
    return f"省{amount}" if facts.language == "zh" else f"save {amount}"


def link_text(facts: CardFacts) -> str:
    return f"{facts.link}号链接" if facts.language == "zh" else f"Link {facts.link}"


def ai_label(language: Literal["zh", "en"]) -> str:
    # The Chinese label is always shown (the rules for AI-generated content are Chinese); English adds one.
    return AI_LABEL_ZH if language == "zh" else f"{AI_LABEL_ZH} · {AI_LABEL_EN}"


def card_metadata(facts: CardFacts) -> dict[str, str]:
    """The PNG text chunks: the implicit AI label and what produced the card."""
    meta = {
        "AIGC": "true",
        "AIGC-Label": ai_label(facts.language),
        "ContentProducer": "livebot",
        "model_version": facts.model_version,
        "seed": str(facts.seed),
        "sku": facts.sku,
        "link": str(facts.link),
        "price": format_price(facts.price),
    }
    if facts.original_price is not None:
        meta["original_price"] = format_price(facts.original_price)
    return meta


@dataclass(frozen=True)
class _Fonts:
    name: ImageFont.FreeTypeFont
    price: ImageFont.FreeTypeFont
    original: ImageFont.FreeTypeFont
    badge: ImageFont.FreeTypeFont
    label: ImageFont.FreeTypeFont
    small: ImageFont.FreeTypeFont


def _fonts(choice: FontChoice, width: int) -> _Fonts:
    def at(fraction: float) -> ImageFont.FreeTypeFont:
        font = load_font(choice, max(10, round(width * fraction)))
        font.layout_engine = ImageFont.Layout.BASIC  # same pixels on every machine (no raqm shaping)
        return font

    return _Fonts(at(0.055), at(0.095), at(0.05), at(0.045), at(0.04), at(0.033))


def render_card(
    facts: CardFacts, image: np.ndarray, *, font: FontChoice | None = None, width: int = 480
) -> bytes:
    """The card as PNG bytes. `image` is uint8 (H, W) or (H, W, 3); `font` defaults to `find_cjk_font()`
    (look it up once and pass it in when rendering many cards: the lookup runs fontconfig)."""
    if image.dtype != np.uint8 or image.ndim not in (2, 3):
        raise ValueError(f"expected a uint8 (H, W) or (H, W, 3) image, got {image.dtype} {image.shape}")
    if not 128 <= width <= 2048:
        raise ValueError(f"width must be 128..2048 px, got {width}")
    fonts = _fonts(font or find_cjk_font(), width)
    pad = round(width * 0.04)
    picture = _upscale(image, width)

    draw_probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    name_lines = _wrap(facts.name, fonts.name, width - 2 * pad, max_lines=2, draw=draw_probe)
    name_h = _line_height(fonts.name)
    price_h = _line_height(fonts.price)
    badge_h = _line_height(fonts.badge) + pad // 2
    panel_h = pad + len(name_lines) * round(name_h * 1.25) + pad // 2 + price_h + pad // 2 + badge_h + pad

    card = Image.new("RGB", (width, picture.height + panel_h), _WHITE)
    card.paste(picture, (0, 0))
    _draw_ai_label(card, facts.language, fonts.label, pad)
    draw = ImageDraw.Draw(card)

    y = picture.height + pad
    for line in name_lines:
        draw.text((pad, y), line, font=fonts.name, fill=_INK)
        y += round(name_h * 1.25)
    y += pad // 2

    x = pad
    price = format_price(facts.price)
    draw.text((x, y), price, font=fonts.price, fill=_PRICE_RED)
    x += round(draw.textlength(price, font=fonts.price)) + pad
    if facts.original_price is not None:
        original = format_price(facts.original_price)
        top = y + price_h - _line_height(fonts.original) - round(price_h * 0.08)  # share the price's baseline
        draw.text((x, top), original, font=fonts.original, fill=_GREY)
        length = round(draw.textlength(original, font=fonts.original))
        mid = top + _line_height(fonts.original) // 2 + 1
        draw.line([(x - 2, mid), (x + length + 2, mid)], fill=_GREY, width=max(2, width // 240))
        x += length + pad
    saving = saving_text(facts)
    if saving is not None:
        _badge(draw, (x, y + (price_h - badge_h) // 2), saving, fonts.badge, _PRICE_RED, pad)
    y += price_h + pad // 2

    right = _badge(draw, (pad, y), link_text(facts), fonts.badge, _INK, pad)
    sku = f"SKU {facts.sku}"
    sku_w = draw.textlength(sku, font=fonts.small)
    if right + pad + sku_w <= width - pad:
        draw.text(
            (width - pad - sku_w, y + (badge_h - _line_height(fonts.small)) // 2),
            sku,
            font=fonts.small,
            fill=_GREY,
        )

    info = PngInfo()
    for key, value in card_metadata(facts).items():
        info.add_itxt(key, value)  # iTXt: UTF-8, so "AI生成" survives
    buffer = io.BytesIO()
    card.save(buffer, format="PNG", pnginfo=info, optimize=False)
    return buffer.getvalue()


def write_card(
    facts: CardFacts, image: np.ndarray, path: str | Path, *, font: FontChoice | None = None, width: int = 480
) -> Path:
    """Render and write the card atomically (a gallery never shows half a PNG)."""
    return write_atomic(path, render_card(facts, image, font=font, width=width))


def _upscale(image: np.ndarray, width: int) -> Image.Image:
    picture = Image.fromarray(image).convert("RGB")
    height = max(1, round(picture.height * width / picture.width))
    # LANCZOS: a 32-px sample blown up 15x stays smooth instead of showing nearest-neighbour blocks.
    return picture.resize((width, height), Image.Resampling.LANCZOS)


def _line_height(font: ImageFont.FreeTypeFont) -> int:
    ascent, descent = font.getmetrics()
    return ascent + descent


def _draw_ai_label(
    card: Image.Image, language: Literal["zh", "en"], font: ImageFont.FreeTypeFont, pad: int
) -> None:
    text = ai_label(language)
    overlay = Image.new("RGBA", card.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    w = round(draw.textlength(text, font=font))
    h = _line_height(font)
    margin = pad // 2
    draw.rounded_rectangle(
        [margin, margin, margin + w + pad, margin + h + pad // 2], radius=pad // 3, fill=(0, 0, 0, 170)
    )
    draw.text((margin + pad // 2, margin + pad // 4), text, font=font, fill=(255, 255, 255, 255))
    card.paste(Image.alpha_composite(card.convert("RGBA"), overlay).convert("RGB"))


def _badge(
    draw: ImageDraw.ImageDraw,
    xy: tuple[int, int],
    text: str,
    font: ImageFont.FreeTypeFont,
    fill: tuple[int, int, int],
    pad: int,
) -> int:
    """A rounded label; returns its right edge."""
    x, y = xy
    w = round(draw.textlength(text, font=font)) + pad
    h = _line_height(font) + pad // 2
    draw.rounded_rectangle([x, y, x + w, y + h], radius=pad // 3, fill=fill)
    draw.text((x + pad // 2, y + pad // 4), text, font=font, fill=_WHITE)
    return x + w


_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-./%]*|\s+|.")


def _wrap(
    text: str, font: ImageFont.FreeTypeFont, max_w: int, *, max_lines: int, draw: ImageDraw.ImageDraw
) -> list[str]:
    """Greedy wrap: Latin words stay whole, CJK breaks between any two characters; the last line gets
    an ellipsis when the name does not fit."""
    lines: list[str] = []
    current = ""
    tokens = _TOKEN.findall(" ".join(text.split()))
    for i, token in enumerate(tokens):
        candidate = current + token
        if draw.textlength(candidate, font=font) <= max_w or not current:
            current = candidate
            continue
        lines.append(current.rstrip())
        current = token.lstrip()
        if len(lines) == max_lines:
            return _ellipsize(lines, tokens[i:], font, max_w, draw)
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        return _ellipsize(lines[:max_lines], ["…"], font, max_w, draw)
    return lines


def _ellipsize(
    lines: list[str], rest: list[str], font: ImageFont.FreeTypeFont, max_w: int, draw: ImageDraw.ImageDraw
) -> list[str]:
    if not rest:
        return lines
    last = lines[-1]
    while last and draw.textlength(last + "…", font=font) > max_w:
        last = last[:-1]
    return [*lines[:-1], last.rstrip() + "…"]
