"""The promo-text corpus: facts prompts, cleaned ad text, the token stream and the train/val split."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from transformers import PreTrainedTokenizerFast

from generation.text.corpus import (
    advertisegen_texts,
    catalog_texts,
    clean_ad_text,
    encode_corpus,
    split_train_val,
)
from generation.text.prompt import format_prompt
from generation.text.tokenizer import SEP_TOKEN, train_tokenizer
from tests.conftest import SHARED_DATA

PRODUCTS = [
    {
        "sku": "TS01",
        "name": "Oversize 纯棉白T恤",
        "category": "tshirt",
        "price": 69.0,
        "colors": ["白色", "浅灰色"],
        "material": "纯棉",
        "description": "宽松落肩版型，领口罗纹加厚不易变形。",
    },
    {"name": "碎花裙", "category": "dress", "colors": [], "material": "雪纺", "description": ""},
    {"name": "*怪#名字<|eos|>", "category": "hat", "colors": "黑色", "material": "", "description": "好看。"},
]


def test_catalog_products_become_prompt_sep_text_lines() -> None:
    texts = catalog_texts(PRODUCTS)
    assert texts == [
        "类型#上衣*衣样式#T恤*材质#纯棉*颜色#白色*颜色#浅灰色*名称#Oversize 纯棉白T恤"
        f"{SEP_TOKEN}宽松落肩版型，领口罗纹加厚不易变形。",
        # Separators and special tokens in a cell cannot break the format; no description, no line.
        f"类型#帽子*颜色#黑色*名称#怪 名字{SEP_TOKEN}好看。",
    ]


def test_prompt_leaves_out_prices_and_keeps_extra_attributes() -> None:
    facts = {
        "category": "skirt",
        "price": 99,
        "stock": 5,
        "colors": ["黑色"],
        "style": "复古",
        "attributes": {"图案": ["格子", "印花"], "裙型": "百褶"},
        "name": "格纹百褶裙",
    }
    assert (
        format_prompt(facts)
        == "类型#裙*裙长#半身裙*颜色#黑色*风格#复古*图案#格子*图案#印花*裙型#百褶*名称#格纹百褶裙"
    )
    assert format_prompt({"category": "雨伞"}) == "类型#雨伞"
    assert format_prompt({}) == ""


def test_clean_ad_text_removes_masks() -> None:
    text = "这款BRAND针织裙很温柔。随时<UNK>，没错！腰线设计显瘦。"
    assert clean_ad_text(text) == "这款针织裙很温柔。腰线设计显瘦。"
    assert clean_ad_text("<UNK>") == ""


def test_encode_corpus_puts_documents_between_bos_and_eos() -> None:
    texts = catalog_texts(PRODUCTS)
    tokenizer: PreTrainedTokenizerFast = train_tokenizer(texts * 5, vocab_size=300, min_frequency=1)
    stream = encode_corpus(tokenizer, texts)
    assert stream.dtype == np.uint16
    assert stream[0] == tokenizer.bos_token_id and stream[-1] == tokenizer.eos_token_id
    assert int((stream == tokenizer.eos_token_id).sum()) == len(texts)
    # Split at EOS, drop BOS: the documents come back exactly.
    docs = np.split(stream, np.flatnonzero(stream == tokenizer.eos_token_id)[:-1] + 1)
    decoded = [tokenizer.decode(doc[1:-1].tolist()) for doc in docs]
    assert decoded == texts
    assert len(encode_corpus(tokenizer, [])) == 0


def test_split_is_deterministic_disjoint_and_order_free() -> None:
    texts = [f"类型#上衣{SEP_TOKEN}第{i}条广告。" for i in range(2000)]
    train, val = split_train_val(texts, val_fraction=0.1)
    assert sorted(train + val) == sorted(texts)
    assert 150 < len(val) < 250
    again_train, again_val = split_train_val(list(reversed(texts)), val_fraction=0.1)
    assert sorted(again_val) == sorted(val) and sorted(again_train) == sorted(train)
    # Adding data never moves an old text across the split.
    _, more_val = split_train_val([*texts, "新的一条。"], val_fraction=0.1)
    assert set(val) <= set(more_val)
    with pytest.raises(ValueError, match="val_fraction"):
        split_train_val(texts, val_fraction=1.0)


def test_bad_advertisegen_line_names_file_and_line(tmp_path: Path) -> None:
    rows = [json.dumps({"content": "类型#裤", "summary": "好穿。"}, ensure_ascii=False), "{not json"]
    (tmp_path / "dev.json").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"dev\.json:2"):
        advertisegen_texts(tmp_path, "dev")


@pytest.mark.dataset
def test_advertisegen_lines() -> None:
    folder = SHARED_DATA / "advertisegen"
    dev = advertisegen_texts(folder, "dev")
    everything = advertisegen_texts(folder)
    # 1,070 + 5,000 rows; a row goes only when every sentence of its ad text held a <UNK> mask.
    assert 1000 < len(dev) <= 1070 and 5800 < len(everything) <= 6070
    assert everything[0].startswith("类型#裤*版型#宽松*风格#性感*图案#线条*裤型#阔腿裤" + SEP_TOKEN)
    for line in everything:
        prompt, sep, text = line.partition(SEP_TOKEN)
        assert sep and prompt.startswith("类型#") and text
        assert "<UNK>" not in text and "BRAND" not in text and SEP_TOKEN not in text
