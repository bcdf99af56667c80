"""The facts prompt: one format shared by the training corpus and the writer.

A training line is `<facts prompt><|sep|><ad text>`. The facts prompt uses AdvertiseGen's own attribute
syntax (`类型#上衣*材质#牛仔布*颜色#白色`) so catalog products and the 6k AdvertiseGen pairs teach the model
one format. Only descriptive attributes go into the prompt, never prices, stock or shipping: the corpus has
no such numbers to learn from, and the grounding guard removes any number the model makes up anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from generation.text.tokenizer import SEP_TOKEN, SPECIAL_TOKENS

__all__ = [
    "CATEGORY_ATTRIBUTES",
    "facts_to_pairs",
    "format_example",
    "format_pairs",
    "format_prompt",
]

# The catalog's category codes in AdvertiseGen's vocabulary: its 类型 is only 上衣 / 裙 / 裤, the finer
# kind sits in 衣样式 / 裙长. Footwear and accessories are not in AdvertiseGen; they keep a plain word.
CATEGORY_ATTRIBUTES: Mapping[str, tuple[tuple[str, str], ...]] = {
    "tshirt": (("类型", "上衣"), ("衣样式", "T恤")),
    "trouser": (("类型", "裤"),),
    "pullover": (("类型", "上衣"), ("衣样式", "毛衣")),
    "dress": (("类型", "裙"), ("裙长", "连衣裙")),
    "coat": (("类型", "上衣"), ("衣样式", "外套")),
    "sandal": (("类型", "凉鞋"),),
    "shirt": (("类型", "上衣"), ("衣样式", "衬衫")),
    "sneaker": (("类型", "运动鞋"),),
    "bag": (("类型", "包"),),
    "ankle_boot": (("类型", "短靴"),),
    "skirt": (("类型", "裙"), ("裙长", "半身裙")),
    "hoodie": (("类型", "上衣"), ("衣样式", "卫衣")),
    "jacket": (("类型", "上衣"), ("衣样式", "外套")),
    "jeans": (("类型", "裤"), ("材质", "牛仔布")),
    "hat": (("类型", "帽子"),),
    "scarf": (("类型", "围巾"),),
    "socks": (("类型", "袜子"),),
    "accessory": (("类型", "配饰"),),
}

# facts key -> prompt key, in AdvertiseGen's usual order (type, material, colour, style, pattern).
_LIST_KEYS: tuple[tuple[str, str], ...] = (
    ("material", "材质"),
    ("colors", "颜色"),
    ("color", "颜色"),
    ("styles", "风格"),
    ("style", "风格"),
    ("patterns", "图案"),
    ("pattern", "图案"),
)


def facts_to_pairs(facts: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(key, value) attribute pairs for a product given as plain data.

    Reads `category` (a catalog code or any word), `material`, `colors`/`color`, `styles`/`style`,
    `patterns`/`pattern`, then `attributes` (AdvertiseGen keys to a value or a list of values, as-is),
    then `name` last. Other keys (price, stock, description, ...) are not part of the prompt.
    """
    pairs: list[tuple[str, str]] = []
    category = facts.get("category")
    if category:
        pairs.extend(CATEGORY_ATTRIBUTES.get(str(category), (("类型", str(category)),)))
    for fact_key, prompt_key in _LIST_KEYS:
        pairs.extend((prompt_key, value) for value in _values(facts.get(fact_key)))
    attributes = facts.get("attributes") or {}
    for key, value in attributes.items():
        pairs.extend((str(key), v) for v in _values(value))
    for value in _values(facts.get("name")):
        pairs.append(("名称", value))
    return [(key, value) for key, value in pairs if value]


def format_pairs(pairs: Iterable[tuple[str, str]]) -> str:
    """`k#v*k#v`; separators and special tokens are taken out of values so the prompt parses back."""
    return "*".join(f"{_clean(key)}#{_clean(value)}" for key, value in pairs)


def format_prompt(facts: Mapping[str, Any]) -> str:
    """The facts prompt the writer feeds the model (without the separator)."""
    return format_pairs(facts_to_pairs(facts))


def format_example(prompt: str, text: str) -> str:
    """One training document: the model learns to continue `prompt<|sep|>` with `text`."""
    return f"{prompt}{SEP_TOKEN}{text}"


def _values(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value.strip()]
    if isinstance(value, Sequence):
        return [str(v).strip() for v in value]
    return [str(value).strip()]


def _clean(value: str) -> str:
    for token in SPECIAL_TOKENS:  # a catalog cell must not be able to end the prompt early
        value = value.replace(token, " ")
    return " ".join(value.replace("*", " ").replace("#", " ").split())
