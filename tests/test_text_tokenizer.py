"""The byte-level BPE tokenizer: exact round trips in any script, and save/load in both loaders."""

from __future__ import annotations

from pathlib import Path

import pytest
from transformers import AutoTokenizer, PreTrainedTokenizerFast

from generation.text.tokenizer import (
    BOS_TOKEN,
    EOS_TOKEN,
    PAD_TOKEN,
    SEP_TOKEN,
    load_tokenizer,
    save_tokenizer,
    train_tokenizer,
)

CORPUS = [
    "类型#上衣*材质#纯棉*颜色#白色<|sep|>简约而不简单的纯棉T恤，白色的衣身十分百搭。",
    "类型#裙*颜色#蓝色<|sep|>法式碎花连衣裙，温柔又显瘦，约会通勤都合适。",
    "Oversize cotton tee, soft and breathable. Great for summer!",
] * 20

SAMPLES = [
    "简约而不简单的牛仔外套，白色的衣身十分百搭。",
    "Oversize cotton T-shirt, only ¥59! Don't miss it .",
    "😀🧥👩‍👩‍👧 emoji with a zero-width joiner",
    "𠮷野家 𪚥 Ｆｕｌｌ－ｗｉｄｔｈ １２３ 〇 ㊙",  # CJK extension B, full-width, circled ideograph
    "e\u0301 combining accent, \u200b zero-width space, tab\tand\nnewline",
    "  leading and trailing spaces  ",
    "never seen: ßøø Ωμέγα кириллица עברית",
]


@pytest.fixture(scope="module")
def tokenizer() -> PreTrainedTokenizerFast:
    return train_tokenizer(CORPUS, vocab_size=400, min_frequency=1)


@pytest.mark.parametrize("text", SAMPLES)
def test_round_trip_is_exact(tokenizer: PreTrainedTokenizerFast, text: str) -> None:
    ids = tokenizer.encode(text, add_special_tokens=False)
    assert tokenizer.decode(ids) == text


def test_special_tokens_have_fixed_ids(tokenizer: PreTrainedTokenizerFast) -> None:
    assert [tokenizer.pad_token, tokenizer.bos_token, tokenizer.eos_token, tokenizer.sep_token] == [
        PAD_TOKEN,
        BOS_TOKEN,
        EOS_TOKEN,
        SEP_TOKEN,
    ]
    assert [
        tokenizer.pad_token_id,
        tokenizer.bos_token_id,
        tokenizer.eos_token_id,
        tokenizer.sep_token_id,
    ] == [
        0,
        1,
        2,
        3,
    ]
    # The separator inside text is one token, and nothing is added behind the caller's back.
    ids = tokenizer.encode("颜色#白色" + SEP_TOKEN + "百搭", add_special_tokens=False)
    assert ids.count(tokenizer.sep_token_id) == 1
    assert tokenizer("百搭")["input_ids"] == tokenizer.encode("百搭", add_special_tokens=False)


def test_vocabulary_size_is_bounded_and_merges_were_learned(tokenizer: PreTrainedTokenizerFast) -> None:
    assert 256 + 4 < len(tokenizer) <= 400
    text = "简约而不简单的纯棉T恤"
    assert len(tokenizer.encode(text, add_special_tokens=False)) < len(text.encode("utf-8"))


def test_save_and_load_in_both_loaders(tokenizer: PreTrainedTokenizerFast, tmp_path: Path) -> None:
    file = save_tokenizer(tokenizer, tmp_path / "tok")
    assert file == tmp_path / "tok" / "tokenizer.json"
    loaded = [
        load_tokenizer(tmp_path / "tok"),
        load_tokenizer(file),
        AutoTokenizer.from_pretrained(tmp_path / "tok"),
    ]
    for other in loaded:
        assert other.sep_token_id == tokenizer.sep_token_id
        for text in SAMPLES:
            ids = other.encode(text, add_special_tokens=False)
            assert ids == tokenizer.encode(text, add_special_tokens=False)
            assert other.decode(ids) == text


def test_load_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"tokenizer\.json"):
        load_tokenizer(tmp_path)
