"""Whether a composed answer says what the message asked: the last look before the bot speaks.

Every fact the answerer writes comes from the catalog or the FAQ, but a true fact of the wrong kind is still
a wrong answer in a live sale: the size list for "30码内长多少", the material for "帆布包几钱", the shop's
how-to-measure guide for "我172 阔腿裤拍哪个", the men's mask for "kids mask still available?". Each check
here reads only the message, the answer and the catalog, never how the answer was reached, so it also holds
for the wordings and shops the answerer's rules have not met. When one fails the bot stays silent and the
question goes to the streamer's queue.
"""

from __future__ import annotations

import re

from bot.catalog import CATEGORY_NAMES_EN, CATEGORY_NAMES_ZH, Catalog, Product, format_price
from bot.qa import rx
from bot.qa.intents import HOW_MUCH_OF, MEASURE_ASKED, PATTERNS
from bot.qa.linking import (
    MATERIAL_WORDS_ZH,
    MODIFIER_WORDS,
    ON_SCREEN,
    find_link,
    names_a_color,
    without_color_words,
)
from bot.qa.sizing import stated_measures, usual_size_said
from bot.qa.text import normalize

__all__ = ["AnswerCheck"]

# A measurement stated: a number with its unit ("19.5cm", "210g", "53x53"), or right after the measure's
# name as listings write it ("M码胸围88", "长约105").
_MEASURE_SAID = re.compile(
    r"\d+(?:\.\d+)?\s*(?:cm|mm|厘米|毫米|米|公分|g\b|克|kg|公斤|斤|寸|inch|in\b|\"|″)|\d\s*[x×*]\s*\d|"
    r"(?:围|长|宽|高|深|waist|hips?|chest|bust|length|width|height|inseam|neck|shoulder|sleeve)\D{0,8}\d"
)
_PRICE_SAID = re.compile(r"[¥￥]\s*\d|\d\s*(?:元|块)")
# Which size to take for a body the viewer describes.
_WHICH_SIZE = re.compile(
    r"(?:穿|拍|选|买|戴|要|拿)\s*(?:啥|什么|哪个|哪|几|多大)|多大码|几码|哪个码|什么码|啥码|能穿|穿得下|穿得了|"
    r"有我(?:的|能穿的)码|\b(?:which|what) (?:\w+ )?size\b|\bsize (?:for|should)\b|\bcan i wear\b|\bwill (?:it|they|this) fit\b"
)
# How sizes run, as a guide says it to a viewer who gives their usual size.
_RUNS_SAID = re.compile(r"正常码|按平时(?:的)?(?:尺码|码)|拍平时|\btake your usual\b|\btrue to size\b")
# A chart in a policy text: a range, or a number with a body unit.
_CHART_SAID = re.compile(r"\d+\s*[-~～到]\s*\d+|\d+\s*(?:cm|厘米|kg|公斤|斤|mm|岁|个月)")
# What a product is made of says which one only where the answerer already weighed it (see best_fitting).
_MATERIAL_ZH = re.compile("|".join(sorted(MATERIAL_WORDS_ZH, key=len, reverse=True)))
# Words that never say which product: the grammar of a question, and what every listing has.
_FUNCTION_EN = frozenset((
    "a", "an", "the", "this", "that", "these", "those", "it", "its", "is", "are", "was", "were", "be",
    "am", "do", "does", "did", "can", "could", "will", "would", "should", "i", "im", "i'm", "me", "my",
    "we", "us", "our", "you", "your", "u", "ur", "he", "she", "him", "her", "they", "them", "his", "in",
    "on", "of", "to", "for", "at", "by", "with", "from", "and", "or", "but", "so", "if", "as", "up", "out",
    "off", "any", "some", "all", "each", "both", "one", "ones", "thing", "things", "stuff", "item",
    "items", "piece", "pieces", "pair", "pairs", "set", "sets", "pack", "size", "sizes", "free", "new",
    "still", "just", "only", "also", "too", "very", "really", "left", "please", "pls", "plz", "thx",
    "thanks", "how", "what", "whats", "what's", "which", "when", "where", "who", "why", "much", "many",
    "more", "less", "price", "cost", "sale", "stock", "color", "colour", "colors", "colours", "material",
    "made", "ship", "shipping", "come", "comes", "came", "have", "has", "got", "get", "there", "here",
    "big", "small", "large", "long", "short", "run", "runs", "fit", "fits", "waterproof", "windproof",
    "breathable", "warm", "thick", "thin", "soft", "stretchy", "heavy", "light", "dark", "pale", "deep",
    "cheap", "cheaper", "cheapest", "expensive", "good", "nice", "best",
))  # fmt: skip
# How a question asks ("how big is", "how long for"), which no product's name answers.
_ASKED_EN = re.compile(r"\bhow (?:big|long|wide|tall|high|heavy|much|many|warm|thick)\b")
# Chinese phrases of the question itself, cut out before the product words are looked at.
_FUNCTION_ZH = re.compile(
    r"宝宝们|宝宝|家人们|姐妹们|集美们|主播|请问|这个|那个|这件|那件|这款|那款|这条|这双|现在|还有|有没有|有吗|是不是|"
    r"能不能|可以|可不可以|什么|多少|几号|链接|号|颜色|尺码|码数|材质|面料|发货|包邮|价格|推荐|一下|的|了|吗|呢|啊|呀"
)


def _sold_as(product: Product) -> str:
    """Everything a listing says of a product, with its category's own words: what the viewer may call it."""
    kind_words = CATEGORY_NAMES_ZH.get(product.category, ()) + CATEGORY_NAMES_EN.get(product.category, ())
    said = (product.name, product.description, product.material, product.category, *product.colors)
    return normalize(" ".join((*said, *product.sizes, *kind_words)))


class AnswerCheck:
    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        # Each listing's words, normalised once: the contradiction check reads every one per answer.
        self._sold = {p.sku: _sold_as(p) for p in catalog.products}
        self._names = {p.sku: normalize(p.name) for p in catalog.products}
        self._called = {
            p.sku: normalize(
                " ".join(
                    (p.name, *CATEGORY_NAMES_ZH.get(p.category, ()), *CATEGORY_NAMES_EN.get(p.category, ()))
                )
            )
            for p in catalog.products
        }

    def failed(
        self, normalized: str, intent: str, sku: str | None, text: str, *, current_sku: str | None
    ) -> str:
        """Why an answer (its intent, product and text) does not answer the message; "" when it does."""
        said = normalize(text)
        if intent != "recommend" and (sku is not None or intent == "faq"):
            # "ship how long" asks a time, which the shipping answer states in hours.
            measure = MEASURE_ASKED.search(normalized) and not PATTERNS["shipping"].search(normalized)
            # "how long is price protection": of a policy, a length of time ("15天") is the answer.
            if intent == "faq" and rx.search(
                r"\d+\s*(?:天|小时|个月|年|days?\b|hours?\b|months?\b|years?\b)", said
            ):
                measure = None
            if measure and not _MEASURE_SAID.search(said):
                return "a measurement was asked and the answer states none"
        if (
            sku is not None
            and intent not in ("faq", "recommend")
            and PATTERNS["price"].search(normalized)
            and not HOW_MUCH_OF.search(normalized)
            and not _PRICE_SAID.search(said)
        ):
            return "the price was asked and the answer states none"
        product = self.catalog.by_sku(sku) if sku is not None else None
        if product is not None and intent not in ("faq", "recommend"):
            why = _product_fact_missing(normalized, product, said)
            if why:
                return why
        # A body or a usual size stated, and the shop's guide on choosing sizes (or any size question) in
        # reply: the guide answers with a chart, or, for a usual size, with how the sizes run ("拍小一码").
        usual = usual_size_said(normalized)
        body = stated_measures(normalized) or usual
        body_asked = body and (_WHICH_SIZE.search(normalized) or rx.search(r"尺码|码|\bsizes?\b", said))
        answered = _CHART_SAID.search(said) or (
            usual and not stated_measures(normalized) and _RUNS_SAID.search(said)
        )
        if intent == "faq" and body_asked and not answered:
            return "a size for a stated body was asked and the shop's guide gives none"
        # Only where the message's own words chose the product (no link number, not the one on screen).
        chosen_by_words = product is not None and sku != current_sku and find_link(normalized).link is None
        if product is not None and chosen_by_words and (words := self.contradicting(normalized, product)):
            return f"the message says {'/'.join(words)}, which {product.sku} does not and another name does"
        return ""

    def contradicting(self, normalized: str, product: Product) -> list[str]:
        """Words of the message the product's listing lacks while another product's name has them, and that
        other product fits more of the message: "goalkeeper shirt" of the Team Polo when a Goalkeeper Shirt
        is listed. A tie ("mocha puffer": one name says mocha, another puffer) is the answerer's call.
        Colours and materials are what the viewer asks a product to be ("is the hoodie cotton", "有黑色吗"):
        they count towards how well a product fits, but a listing without them is answered "no", not wrong."""
        mine = self._sold.get(product.sku) or _sold_as(product)
        runs, english = self._tokens(normalized, product)
        missing = [t for t in english if not _holds(mine, t) and not _asked_about(t)]
        for run in runs:
            covered = _covered(run, mine)
            for i in range(len(run) - 1):
                pair = run[i : i + 2]
                # A pair across two words the listing has ("法兰绒睡袍" -> 绒睡) is no word of the message.
                across = covered[i] and covered[i + 1]
                if pair not in mine and not across and not _asked_about(pair) and pair not in missing:
                    missing.append(pair)
        if not missing:
            return []
        fit = _fit(runs, english, mine)
        found: list[str] = []
        for other in self.catalog.products:
            if other.sku == product.sku:
                continue
            said = [t for t in missing if _holds(self._names[other.sku], t)]
            if said and _fit(runs, english, self._sold[other.sku]) > fit:
                found += [t for t in said if t not in found]
        return found

    def best_fitting(self, normalized: str, products: list[Product]) -> list[Product]:
        """Of several candidates, the one whose name holds strictly more of the message's words than every
        other's ("satin hijab": the hijab, not the satin skirt; "夹脚拖": the flip-flops, not the slides); all
        of them when two fit alike (two black dresses, and "羊毛贝雷帽" of the plain, the large and the kids'
        wool beret: viewers mean the plain one as often as they want to hear of all three)."""
        if len(products) < 2:
            return products
        # Colours were weighed where the candidates were found; what is left to tell them apart is what they
        # are. English words count only where every name has English to hold them.
        runs, english = self._tokens(_MATERIAL_ZH.sub(" ", without_color_words(normalized)), products[0])
        if not all(len(rx.findall(r"[a-z]{3,}", self._names[p.sku])) >= 2 for p in products):
            english = []
        fits = [_fit(runs, english, self._called[p.sku]) for p in products]
        top = max(fits)
        if top == 0 or fits.count(top) > 1:
            return products
        return [products[fits.index(top)]]

    @staticmethod
    def _tokens(normalized: str, product: Product) -> tuple[list[str], list[str]]:
        """The message's words that could name a product: its runs of Chinese, less the question's own words,
        and its English words (when the product's name has English to compare them with)."""
        text = _ASKED_EN.sub(" ", ON_SCREEN.sub(" ", normalized))
        english: list[str] = []
        if len(rx.findall(r"[a-z]{3,}", normalize(product.name))) >= 2:
            for word in rx.findall(r"[a-z]{2,}", text):
                if word not in _FUNCTION_EN and (len(word) >= 3 or word == "pu") and word not in english:
                    english.append(word)
        return rx.findall(r"[\u4e00-\u9fff]{2,}", _FUNCTION_ZH.sub(" ", text)), english


def _covered(run: str, text: str) -> list[bool]:
    """For each character of a run, whether a pair of the run that holds it is in the text."""
    covered = [False] * len(run)
    for i in range(len(run) - 1):
        if run[i : i + 2] in text:
            covered[i] = covered[i + 1] = True
    return covered


def _fit(runs: list[str], english: list[str], text: str) -> int:
    """How much of the message a listing holds: the Chinese characters its pairs cover ("粗跟凉鞋": 粗跟绑带凉鞋
    covers all four, 高跟凉鞋 three) and the English words."""
    return sum(sum(_covered(run, text)) for run in runs) + sum(_holds(text, word) for word in english)


_NO_DISCOUNT = re.compile(
    r"不打折|没有?折扣|没有?优惠|原价|\bno discount|\bfull price|\bnot (?:on sale|discounted)"
)
_SAYS_NO = re.compile(r"没有|没|无|不|\bno\b|\bnot\b|\bonly\b|只有|只剩|sold out|售罄")


def _product_fact_missing(normalized: str, product: Product, said: str) -> str:
    """What the message asks of one product that the answer about it leaves out."""
    # A discount asked and answered with prices ("¥139"): the saving or the original must be among them.
    if PATTERNS["discount"].search(normalized) and rx.search(r"[¥￥]", said):
        discounted = product.original_price > product.price
        shown = format_price(product.original_price) in said or format_price(product.saving) in said
        if discounted and not shown:
            return "a discount was asked and the answer gives neither the original price nor the saving"
        if not discounted and not _NO_DISCOUNT.search(said):
            return "a discount was asked of an undiscounted product and the answer does not say so"
    if stated_measures(normalized) and _WHICH_SIZE.search(normalized) and product.sizes:
        listed = re.escape("/".join(normalize(size) for size in product.sizes))
        rest = rx.sub(rf"(?:尺码|尺寸|sizes?)\s*[：:]?\s*{listed}", " ", said)
        chosen = any(
            rx.search(rf"(?<![a-z0-9]){re.escape(normalize(size))}(?![a-z0-9])", rest)
            for size in product.sizes
        )
        if not chosen and not rx.search(r"不在尺码表|outside the size chart", said):
            return "a size for a stated body was asked and the answer names none"
    if names_a_color(normalized) and rx.search(
        r"有吗|有没有|还有|\bin stock\b|\bavailable\b|\bcome in\b|\bleft\b|\bin \w+\s*\??$", normalized
    ):
        colors = [normalize(color) for color in product.colors]
        if not names_a_color(said) and not any(c in said for c in colors) and not _SAYS_NO.search(said):
            return "a colour was asked after and the answer says nothing of colours"
    return ""


def _asked_about(token: str) -> bool:
    """A colour or a material: what a viewer asks a product to be ("有黑色吗", "is it cotton"), so a listing
    without it is answered "no", not taken for the wrong product. It still counts towards how well a
    product fits the message."""
    if token.isascii():
        return names_a_color(token) or _material_word(token)
    return names_a_color(token) or any(token in word for word in MATERIAL_WORDS_ZH)


def _holds(text: str, token: str) -> bool:
    """Whether a listing's text has a message word: Chinese as written, English as a word start
    ("hiking" of "hiker" by its first five letters) or by its Chinese translation ("silk" of 真丝)."""
    if not token.isascii():
        return token in text
    stem = token[:5]
    if (stem in text) if len(stem) >= 4 else rx.search(rf"(?<![a-z]){re.escape(stem)}", text):
        return True
    for pattern, translations in MODIFIER_WORDS:
        if rx.fullmatch(pattern, token):
            return any(t in text for t in translations)
    return False


def _material_word(word: str) -> bool:
    """ "cotton", "leather", "pu": what a product is made of, which a viewer asks about rather than names."""
    return bool(
        rx.fullmatch(
            r"cotton|leather|wool|silk|cashmere|linen|pu|polyester|nylon|blend|down|real|genuine|faux|fake",
            word,
        )
    )
