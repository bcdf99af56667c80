"""One message in, one grounded answer (or silence) out. Pure and synchronous: cheap enough for the loop."""

from __future__ import annotations

import random
from dataclasses import dataclass

from bot.catalog import Catalog, Faq, Product
from bot.qa.answers import Phrasebook, no_such_link_text, price_text
from bot.qa.intents import detect_intent
from bot.qa.linking import find_link
from bot.qa.text import language, normalize


@dataclass(frozen=True, slots=True)
class Answer:
    answered: bool
    intent: str
    sku: str | None
    text: str
    language: str
    confidence: float = 0.0
    # A question the bot could not answer: the streamer should see it in the queue.
    queue: bool = False

    def as_json(self) -> dict[str, object]:
        return {"answered": self.answered, "intent": self.intent, "sku": self.sku, "text": self.text}


class Answerer:
    def __init__(
        self,
        catalog: Catalog,
        faq: Faq | None = None,
        *,
        min_confidence: float = 0.6,
        seed: int | None = None,
    ):
        self.catalog = catalog
        self.faq = faq
        self.min_confidence = min_confidence
        self._phrases = Phrasebook(random.Random(seed))

    def answer(self, text: str, current_sku: str | None = None) -> Answer:
        norm = normalize(text)
        lang = language(norm)
        intent = detect_intent(norm)
        if intent.name == "other" or intent.confidence < self.min_confidence:
            return Answer(False, intent.name, None, "", lang, intent.confidence)
        ref = find_link(norm)
        product: Product | None = None
        if ref.link is not None:
            product = self.catalog.by_link(ref.link)
            if product is None:
                return Answer(
                    True, intent.name, None, no_such_link_text(ref.link, lang, self._phrases), lang, 0.9
                )
        elif current_sku:
            # "这件多少钱" and a bare "多少钱" both mean the product on screen during a live sale.
            product = self.catalog.by_sku(current_sku)
        if product is None:
            return Answer(False, intent.name, None, "", lang, intent.confidence, queue=True)
        return Answer(
            True, intent.name, product.sku, price_text(product, lang, self._phrases), lang, intent.confidence
        )
