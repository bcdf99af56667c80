"""The promo writer on a tiny real model: save/load, the corpus prompt format, the grounding guard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import torch

from generation.text.corpus import encode_corpus
from generation.text.model import TextModelArgs, build_model, lm_loss, make_batch, window_starts
from generation.text.prompt import format_example, format_prompt
from generation.text.tokenizer import train_tokenizer
from generation.text.writer import PromoWriter, WriterLoadError, drop_prompt_echo

FACTS = {"name": "白T", "category": "tshirt", "colors": ["白色"], "material": "纯棉", "price": 59}
AD = "白色T恤清爽百搭。只要39元！"


@pytest.fixture(scope="module", autouse=True)
def one_thread() -> Iterator[None]:
    # A 64-wide model gains nothing from threads, and two threads crawl on a busy 2-core machine.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def memorised_writer(facts: dict[str, object], ad: str, steps: int = 80) -> PromoWriter:
    """A 2-layer model that has memorised one facts prompt -> ad text pair."""
    document = format_example(format_prompt(facts), ad)
    tokenizer = train_tokenizer([document] * 20, vocab_size=400, min_frequency=1)
    tokens = encode_corpus(tokenizer, [document] * 20)
    args = TextModelArgs(vocab_size=len(tokenizer), hidden=64, layers=2, heads=4, seq_len=64)
    model = build_model(args, seed=0)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
    for step in range(steps):
        loss = lm_loss(
            model, make_batch(tokens, window_starts(0, step, 8, len(tokens), args.seq_len), args.seq_len)
        )
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return PromoWriter(model, tokenizer)


@pytest.fixture(scope="module")
def writer() -> PromoWriter:
    """The memorised ad has an invented price in it."""
    return memorised_writer(FACTS, AD)


def test_the_model_continues_the_facts_prompt(writer: PromoWriter) -> None:
    assert writer.generate(FACTS, temperature=0) == AD
    ids = writer.prompt_ids(FACTS)
    assert ids[0] == writer.tokenizer.bos_token_id and ids[-1] == writer.tokenizer.sep_token_id


def test_write_promo_drops_the_invented_price(writer: PromoWriter) -> None:
    assert writer.write_promo(FACTS, temperature=0) == "白色T恤清爽百搭。"
    assert writer.write_promo({**FACTS, "price": 39}, temperature=0) == AD


def test_sampling_is_reproducible_per_seed(writer: PromoWriter) -> None:
    before = torch.random.get_rng_state()
    first = writer.generate(FACTS, seed=5, temperature=1.5, top_p=1.0)
    assert writer.generate(FACTS, seed=5, temperature=1.5, top_p=1.0) == first
    assert isinstance(writer.write_promo({"category": "dress"}, seed=1, max_new_tokens=20), str)
    assert torch.equal(torch.random.get_rng_state(), before)  # a private generator, not the global RNG


def test_save_and_load_a_local_folder(writer: PromoWriter, tmp_path: Path) -> None:
    writer.save(tmp_path / "promo")
    assert (tmp_path / "promo" / "config.json").is_file() and (
        tmp_path / "promo" / "tokenizer.json"
    ).is_file()
    loaded = PromoWriter.load(tmp_path / "promo")
    assert loaded.write_promo(FACTS, temperature=0) == "白色T恤清爽百搭。"
    assert loaded.write_promo(FACTS, seed=3) == writer.write_promo(FACTS, seed=3)


def test_unknown_hub_id_fails_fast_and_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # huggingface_hub reads HF_HUB_OFFLINE when it is imported, so the variable alone cannot stop a
    # network attempt in this process (retries take ~45 s without a network); local_files_only does.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(WriterLoadError, match="livebot-tests/no-such-model"):
        PromoWriter.load("livebot-tests/no-such-model", local_files_only=True)


def test_missing_or_empty_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WriterLoadError, match="no model folder"):
        PromoWriter.load(tmp_path / "absent")
    with pytest.raises(WriterLoadError, match=r"no config\.json"):
        PromoWriter.load(tmp_path)


def test_prompt_echo_and_wordless_sentences_are_dropped() -> None:
    assert drop_prompt_echo("#裤风格###*。版型宽松。") == "版型宽松。"
    assert drop_prompt_echo("……。好看！") == "好看！"
    assert drop_prompt_echo("好看<|eos|>。百搭！") == "百搭！"
