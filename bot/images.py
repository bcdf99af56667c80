"""Generated product images for the rooms: a pool per category, filled in the background from the GAN the
registry serves, and promo cards composed from catalog facts on demand.

Generation runs in the GAN slot's own executor and card drawing in a thread, so the event loop only ever
awaits. A new GAN version empties the pool (old images came from the old model). A catalog category maps to
the GAN's classes by name, with the nearest garment class standing in for the categories Fashion-MNIST lacks
(a hoodie is drawn as a pullover); categories with no close class (hats, socks) get no image.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from bot.catalog import Product, format_price
from bot.inference import ModelCheckError, ModelSlot
from generation.images import cgan
from generation.images.cards import CardFacts, render_card
from generation.images.fonts import FontChoice, FontNotFoundError, find_cjk_font
from training.registry import Version

log = logging.getLogger(__name__)
STAND_INS = {"skirt": "dress", "hoodie": "pullover", "jacket": "coat", "jeans": "trouser"}
CATEGORY_NAMES = {
    "zh": {"tshirt": "T恤", "trouser": "裤子", "pullover": "毛衣", "dress": "连衣裙", "coat": "外套",
           "sandal": "凉鞋", "shirt": "衬衫", "sneaker": "运动鞋", "bag": "包", "ankle_boot": "短靴"},
    "en": {"tshirt": "T-shirt", "trouser": "trousers", "pullover": "pullover", "dress": "dress", "coat": "coat",
           "sandal": "sandal", "shirt": "shirt", "sneaker": "sneaker", "bag": "bag", "ankle_boot": "ankle boot"},
}  # fmt: skip


@dataclass(frozen=True)
class GanModel:
    generator: cgan.Generator
    classes: tuple[str, ...]
    version: str

    def class_of(self, category: str) -> int | None:
        name = category if category in self.classes else STAND_INS.get(category)
        return self.classes.index(name) if name in self.classes else None


def load_gan(version: Version) -> GanModel:
    """A published `gan` version (sync: file I/O and torch)."""
    classes = tuple(version.manifest.config.get("classes") or ())
    if not classes:
        raise ModelCheckError("the manifest names no classes")
    generator = cgan.load_generator(version.path / "generator.pt")
    return GanModel(generator, classes, version.name)


def check_gan(model: GanModel) -> None:
    """Two real samples: uint8, square, one per label asked for."""
    images = cgan.sample(model.generator, [0, len(model.classes) - 1], seed=0)
    size = model.generator.args.image_size
    if images.dtype != np.uint8 or images.shape[:3] != (2, size, size):
        raise ModelCheckError(
            f"samples came out {images.dtype} {images.shape}, expected uint8 (2, {size}, {size})"
        )


@dataclass
class Card:
    png: bytes
    alt: str
    seed: int
    version: str


@dataclass
class ImagePool:
    """Up to `size` ready images per GAN class, for the classes the catalog's products need."""

    slot: ModelSlot[GanModel]
    size: int = 4
    card_px: int = 512
    font_path: str = ""
    _ready: dict[int, deque[tuple[np.ndarray, int]]] = field(default_factory=dict)
    _wanted: set[str] = field(default_factory=set)
    _font: FontChoice | None = None
    _refill: asyncio.Event = field(default_factory=asyncio.Event)

    def want(self, categories: Iterable[str]) -> None:
        self._wanted |= set(categories)
        self._refill.set()

    def swapped(self, model: GanModel, version: Version) -> None:
        """The slot's on_swap: images from the old model go; the pool refills from the new one."""
        self._ready.clear()
        self._refill.set()

    async def run(self) -> None:
        """Keep every wanted class topped up (the owner cancels this at shutdown)."""
        try:
            font = await self._cjk_font()
            log.info("promo cards draw with %s (%s)", font.path, font.source)
        except FontNotFoundError as exc:
            log.error("promo cards are off until a CJK font is installed: %s", exc)
        while True:
            await self._refill.wait()
            self._refill.clear()
            try:
                await self._top_up()
            except Exception:
                # Generation trouble must not end the pool: the next refill tries again.
                log.exception("filling the image pool failed")

    async def _cjk_font(self) -> FontChoice:
        if self._font is None:
            self._font = await asyncio.to_thread(find_cjk_font, self.font_path or None)
        return self._font

    async def _top_up(self) -> None:
        model = self.slot.model
        if model is not None:
            for category in sorted(self._wanted):
                index = model.class_of(category)
                queue = self._ready.setdefault(index, deque()) if index is not None else None
                if index is None or queue is None or len(queue) >= self.size:
                    continue
                seeds = [secrets.randbelow(2**31) for _ in range(self.size - len(queue))]
                images = await self.slot.run(lambda m, i=index, s=seeds: _draw(m, i, s))
                if self.slot.model is model:  # not swapped meanwhile
                    queue.extend(zip(images, seeds, strict=True))

    async def card(self, product: Product, lang: str) -> Card | None:
        """A promo card for `product`, or None when there is no model or no image class for its category.
        Raises FontNotFoundError (naming the packages to install) when no CJK font is found."""
        model = self.slot.model
        index = model.class_of(product.category) if model is not None else None
        if model is None or index is None:
            return None
        queue = self._ready.setdefault(index, deque())
        if queue:
            image, seed = queue.popleft()
        else:  # the pool ran dry: draw one now (still off the loop)
            seed = secrets.randbelow(2**31)
            image = (await self.slot.run(lambda m: _draw(m, index, [seed])))[0]
        self._refill.set()
        font = await self._cjk_font()
        facts = CardFacts(
            name=product.name,
            price=product.price,
            original_price=product.original_price if product.original_price > product.price else None,
            link=product.link,
            sku=product.sku,
            language="zh" if lang == "zh" else "en",
            model_version=f"gan/{model.version}",
            seed=seed,
        )
        png = await asyncio.to_thread(render_card, facts, image, font=font, width=self.card_px)
        return Card(png, alt_text(product, lang), seed, model.version)


def _draw(model: GanModel | None, index: int, seeds: list[int]) -> list[np.ndarray]:
    if model is None:
        return []
    return [cgan.sample(model.generator, [index], seed=seed)[0] for seed in seeds]


def alt_text(product: Product, lang: str) -> str:
    """What a screen reader says for the card: an AI picture of the category, the product and its price."""
    kind = CATEGORY_NAMES["zh" if lang == "zh" else "en"].get(
        STAND_INS.get(product.category, product.category), product.category
    )
    if lang == "zh":
        return f"AI生成的{kind}示意图：{product.link}号 {product.name} ¥{format_price(product.price)}"
    return (
        f"AI-generated picture of a {kind}: link {product.link} {product.name} ¥{format_price(product.price)}"
    )
