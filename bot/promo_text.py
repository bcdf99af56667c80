"""Promotional text for the on-screen product: the served language model's copy when there is one, a
template otherwise; facts always from the catalog row.

The model writes the colour ("面料柔软亲肤，上身显瘦"), never the numbers: its prompt holds only
descriptive attributes, the grounding guard drops any sentence with a number the row does not state, and
the price, saving and link are appended from the row itself. Model copy carries the visible AI label.
Every text then passes `bot.compliance` with the product's real stock; what breaks a rule is dropped,
and a post with nothing left falls back to the template.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.catalog import CATEGORY_NAMES_EN, CATEGORY_NAMES_ZH, Product, format_price
from bot.compliance import AI_LABEL, Compliance
from bot.inference import ModelCheckError, ModelSlot
from training.registry import Version

if TYPE_CHECKING:
    from generation.text.writer import PromoWriter

log = logging.getLogger(__name__)

# Facts the templates may state, by name; a template needing a fact the row lacks is skipped.
TEMPLATES_ZH: tuple[str, ...] = (
    "{link}号 {name} 来啦，{material_zh}{colors_zh}直播间¥{price}{saving_zh}，喜欢的宝宝拍{link}号链接～",
    "正在讲的是{link}号 {name}：{colors_zh}{material_zh}现在¥{price}{saving_zh}，{shipping_zh}",
    "{kind_zh}看这里👉 {link}号 {name}，¥{price}{saving_zh}，{colors_zh}{shipping_zh}",
)
TEMPLATES_EN: tuple[str, ...] = (
    "Now on screen: link {link}, {name}, ¥{price}{saving_en}. {colors_en}{material_en}{shipping_en}",
    "Link {link} is up: {name} for ¥{price}{saving_en}. {colors_en}{shipping_en}",
    "Looking for a {kind_en}? Link {link}, {name}, ¥{price}{saving_en}. {material_en}{colors_en}",
)


@dataclass(frozen=True, slots=True)
class PromoCopy:
    text: str
    source: str  # "template" or the model version that wrote it
    dropped: tuple[str, ...] = ()  # compliance findings removed from the model's copy


def writer_facts(product: Product) -> dict[str, Any]:
    """The row as the writer's prompt and grounding guard read it."""
    return {
        "category": product.category,
        "name": product.name,
        "material": product.material,
        "colors": list(product.colors),
        "price": product.price,
        "original_price": product.original_price,
        "stock": product.stock,
        "ship_hours": product.ship_hours,
        "link": product.link,
        "sku": product.sku,
    }


def template_fields(product: Product) -> dict[str, str]:
    saving = product.original_price - product.price if product.original_price > product.price else 0
    hours = product.ship_hours
    days = f"{hours // 24}天" if hours % 24 == 0 and hours >= 24 else f"{hours}小时"
    free_zh = "包邮" if product.free_shipping else "不包邮"
    return {
        "link": str(product.link),
        "name": product.name,
        "price": format_price(product.price),
        "saving_zh": f"（原价¥{format_price(product.original_price)}，省¥{format_price(saving)}）"
        if saving
        else "",
        "saving_en": f" (was ¥{format_price(product.original_price)}, save ¥{format_price(saving)})"
        if saving
        else "",
        "colors_zh": f"有{'/'.join(product.colors)}，" if product.colors else "",
        "colors_en": f"Colours: {'/'.join(product.colors)}. " if product.colors else "",
        "material_zh": f"{product.material}，" if product.material else "",
        "material_en": f"Material: {product.material}. " if product.material else "",
        "shipping_zh": f"付款后{days}内发货，{free_zh}" if hours else free_zh,
        "shipping_en": (f"Ships within {hours} h" if hours else "Ships soon")
        + (", free shipping." if product.free_shipping else "."),
        "kind_zh": CATEGORY_NAMES_ZH.get(product.category, ("好物",))[0],
        "kind_en": CATEGORY_NAMES_EN.get(product.category, ("find",))[0],
    }


def template_promo(product: Product, lang: str, rng: random.Random) -> str:
    templates = TEMPLATES_ZH if lang == "zh" else TEMPLATES_EN
    text = rng.choice(templates).format(**template_fields(product))
    return " ".join(text.split())


def facts_tail(product: Product, lang: str) -> str:
    """What follows the model's copy: the numbers, from the row."""
    fields = template_fields(product)
    if lang == "zh":
        return f"{product.link}号链接 ¥{fields['price']}{fields['saving_zh']}"
    return f"Link {product.link}: ¥{fields['price']}{fields['saving_en']}"


@dataclass
class PromoTexts:
    """Writes one promo text per call; the model (when served) runs in its slot's executor."""

    compliance: Compliance
    slot: ModelSlot[PromoWriter] | None = None
    ai_label: bool = True
    temperature: float = 0.8
    rng: random.Random = field(default_factory=random.Random)

    async def write(self, product: Product, lang: str) -> PromoCopy | None:
        """Copy for `product` in `lang`, or None when even the template breaks a rule (a product name
        with an absolute term: the streamer sees it in the log at start-up)."""
        dropped: tuple[str, ...] = ()
        slot = self.slot
        if slot is not None and slot.model is not None and lang == "zh":
            seed = self.rng.randrange(2**31)
            facts, temperature = writer_facts(product), self.temperature
            try:
                raw = await slot.run(
                    lambda m: (
                        m.write_promo(facts, seed=seed, temperature=temperature) if m is not None else ""
                    )
                )
            except Exception:
                # A model that fails at run time must not end promotions: the template stands in.
                log.exception("the promo writer %s failed; using a template", slot.version)
                raw = ""
            copy, found = self.compliance.clean(raw, product.stock)
            dropped = tuple(v.describe() for v in found)
            if dropped:
                log.info(
                    "promo copy for %s lost %d sentence(s): %s", product.sku, len(found), "; ".join(dropped)
                )
            if copy:
                label = AI_LABEL["zh"] if self.ai_label else ""
                text = f"{copy}{label} {facts_tail(product, lang)}"
                if self.compliance.allows(text, product.stock):
                    return PromoCopy(text, f"text/{slot.version}", dropped)
        text = template_promo(product, lang, self.rng)
        found = self.compliance.check(text, product.stock)
        if found:
            log.warning(
                "no promo text for %s: the catalog's own words break a rule (%s)",
                product.sku,
                "; ".join(v.describe() for v in found),
            )
            return None
        return PromoCopy(text, "template", dropped)


def load_writer(version: Version) -> PromoWriter:
    """A published `text` version (sync: file I/O and torch)."""
    from generation.text.writer import PromoWriter, WriterLoadError

    try:
        return PromoWriter.load(version.path / "writer", local_files_only=True)
    except WriterLoadError as exc:
        raise ModelCheckError(str(exc)) from exc


def check_writer(writer: PromoWriter) -> None:
    """One short real generation: it runs and returns text."""
    sample = {"category": "dress", "name": "连衣裙", "material": "棉", "colors": ["黑色"]}
    out = writer.generate(sample, seed=0, max_new_tokens=4)
    if not isinstance(out, str):
        raise ModelCheckError(f"generate returned {type(out).__name__}, expected text")
