"""The promo-text training corpus: AdvertiseGen pairs and catalog products as `prompt<|sep|>text` lines.

AdvertiseGen (../shared/data/advertisegen) is research data: it is read at run time from wherever the
caller points, never copied into the repository or a model folder.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
from transformers import PreTrainedTokenizerBase

from generation.text.grounding import split_sentences
from generation.text.prompt import facts_to_pairs, format_example, format_pairs

__all__ = [
    "ADVERTISEGEN_FILES",
    "advertisegen_texts",
    "catalog_texts",
    "clean_ad_text",
    "encode_corpus",
    "split_train_val",
]

ADVERTISEGEN_FILES: Mapping[str, str] = {"train": "train_first5000.json", "dev": "dev.json"}


def advertisegen_texts(folder: Path, split: Literal["train", "dev", "all"] = "all") -> list[str]:
    """Training lines from AdvertiseGen's JSON lines (`content` attributes -> `summary` ad text)."""
    names = list(ADVERTISEGEN_FILES.values()) if split == "all" else [ADVERTISEGEN_FILES[split]]
    texts: list[str] = []
    for name in names:
        path = folder / name
        with path.open(encoding="utf-8") as lines:
            for line_no, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    content, summary = row["content"], row["summary"]
                except (json.JSONDecodeError, KeyError, TypeError) as exc:
                    raise ValueError(f"{path}:{line_no}: not a content/summary JSON object ({exc})") from exc
                text = clean_ad_text(summary)
                if text:
                    pairs = [_split_pair(item) for item in content.split("*") if item]
                    texts.append(format_example(format_pairs(pairs), text))
    return texts


def catalog_texts(products: Iterable[Mapping[str, Any]]) -> list[str]:
    """Training lines from catalog products given as plain dicts: facts prompt -> the shop's description.

    Products without a description teach nothing and are skipped.
    """
    texts = []
    for product in products:
        description = clean_ad_text(str(product.get("description") or ""))
        pairs = facts_to_pairs(product)
        if description and pairs:
            texts.append(format_example(format_pairs(pairs), description))
    return texts


def clean_ad_text(text: str) -> str:
    """The ad text without dataset masks.

    `BRAND` masks a brand name and reads fine removed ("这款BRAND针织裙" -> "这款针织裙"). `<UNK>` masks
    words (in 30% of AdvertiseGen's rows), so a sentence holding one is dropped, not patched.
    """
    sentences = split_sentences(text.replace("BRAND", ""))
    return "".join(s for s in sentences if "<UNK>" not in s).strip()


def split_train_val(texts: Sequence[str], val_fraction: float = 0.05) -> tuple[list[str], list[str]]:
    """Deterministic split by a hash of each text, so it holds across runs, orderings and added data."""
    if not 0.0 <= val_fraction < 1.0:
        raise ValueError(f"val_fraction must be in [0, 1), got {val_fraction}")
    train: list[str] = []
    val: list[str] = []
    for text in texts:
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
        bucket = int.from_bytes(digest, "big") / 2**64
        (val if bucket < val_fraction else train).append(text)
    return train, val


def encode_corpus(tokenizer: PreTrainedTokenizerBase, texts: Sequence[str]) -> np.ndarray:
    """All texts as one token stream, each document `<|bos|> ids <|eos|>` (the EOS between documents).

    uint16 when the vocabulary fits (half the memory of uint32 for the memory-mapped training array),
    else uint32. BOS is left out for tokenizers without one (most Hugging Face causal LMs use EOS only).
    """
    eos = tokenizer.eos_token_id
    if eos is None:
        raise ValueError("the tokenizer has no EOS token to put between documents")
    bos = tokenizer.bos_token_id
    head = [] if bos is None else [bos]
    docs = tokenizer(list(texts), add_special_tokens=False)["input_ids"] if texts else []
    dtype = np.uint16 if len(tokenizer) <= np.iinfo(np.uint16).max + 1 else np.uint32
    # Filled in place: a list of Python ints for the full 115k-row AdvertiseGen would be ~10x the array.
    stream = np.empty(sum(len(head) + len(doc) + 1 for doc in docs), dtype=dtype)
    at = 0
    for doc in docs:
        row = [*head, *doc, eos]
        stream[at : at + len(row)] = row
        at += len(row)
    return stream


def _split_pair(item: str) -> tuple[str, str]:
    key, _, value = item.partition("#")
    return key, value
