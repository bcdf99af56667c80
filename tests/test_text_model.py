"""The tiny causal LM: shape, loss, reproducible windows, batch-split equivalence, and that it learns."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
import torch

from generation.text.corpus import encode_corpus
from generation.text.model import (
    TextModelArgs,
    build_model,
    get_batch,
    lm_loss,
    make_batch,
    shard_rows,
    window_starts,
)
from generation.text.tokenizer import train_tokenizer

TINY = TextModelArgs(vocab_size=300, hidden=64, layers=2, heads=4, seq_len=32)
TEXTS = [
    "类型#上衣*颜色#白色<|sep|>白色T恤清爽百搭，通勤休闲都好穿。",
    "类型#裙*颜色#蓝色<|sep|>蓝色连衣裙温柔显瘦，约会首选。",
    "类型#裤*材质#牛仔布<|sep|>高腰牛仔裤拉长腿部线条，百搭又显瘦。",
]


@pytest.fixture(scope="module", autouse=True)
def one_thread() -> Iterator[None]:
    # A 64-wide model gains nothing from threads, and two threads crawl on a busy 2-core machine.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def tokens() -> np.ndarray:
    tokenizer = train_tokenizer(TEXTS * 10, vocab_size=TINY.vocab_size, min_frequency=1)
    return encode_corpus(tokenizer, TEXTS * 30)


def test_default_model_is_the_cpu_sized_one() -> None:
    model = build_model(TextModelArgs())
    params = sum(p.numel() for p in model.parameters())
    assert 5_000_000 < params < 7_000_000
    config = model.config
    assert (config.hidden_size, config.num_hidden_layers, config.max_position_embeddings) == (256, 6, 128)
    assert config.attention_dropout == 0.0 and config.tie_word_embeddings


def test_seeded_build_is_reproducible_and_leaves_global_rng_alone() -> None:
    before = torch.random.get_rng_state()
    a, b = build_model(TINY, seed=3), build_model(TINY, seed=3)
    assert torch.equal(torch.random.get_rng_state(), before)
    assert all(
        torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values(), strict=True)
    )
    assert TextModelArgs(**TINY.to_dict()) == TINY


def test_window_starts_depend_on_seed_and_step_only() -> None:
    starts = window_starts(seed=7, step=12, global_batch=16, n_tokens=1000, seq_len=32)
    assert starts.dtype == np.int64 and starts.shape == (16,)
    assert np.array_equal(starts, window_starts(7, 12, 16, 1000, 32))
    assert not np.array_equal(starts, window_starts(7, 13, 16, 1000, 32))
    assert not np.array_equal(starts, window_starts(8, 12, 16, 1000, 32))
    many = window_starts(0, 0, 10_000, 100, 32)
    assert many.min() == 0 and many.max() == 100 - 32 - 1  # every window has seq_len + 1 tokens
    with pytest.raises(ValueError, match="cannot hold"):
        window_starts(0, 0, 4, n_tokens=32, seq_len=32)


def test_two_shards_are_the_global_batch(tokens: np.ndarray) -> None:
    starts = window_starts(1, 5, 8, len(tokens), TINY.seq_len)
    halves = [shard_rows(starts, rank, 2) for rank in (0, 1)]
    assert np.array_equal(np.concatenate(halves), starts)
    whole = make_batch(tokens, starts, TINY.seq_len)
    assert torch.equal(torch.cat([make_batch(tokens, h, TINY.seq_len) for h in halves]), whole)
    with pytest.raises(ValueError, match="does not split"):
        shard_rows(starts, 0, 3)


def test_make_batch_copies_the_windows(tokens: np.ndarray) -> None:
    starts = np.array([0, 5, len(tokens) - TINY.seq_len - 1])
    batch = make_batch(tokens, starts, TINY.seq_len)
    assert batch.dtype == torch.int64 and batch.shape == (3, TINY.seq_len + 1)
    for row, start in zip(batch, starts, strict=True):
        assert row.tolist() == tokens[start : start + TINY.seq_len + 1].tolist()


def test_get_batch_replays_from_a_saved_generator_state(tokens: np.ndarray) -> None:
    generator = torch.Generator().manual_seed(0)
    get_batch(tokens, 4, TINY.seq_len, generator)
    state = generator.get_state()
    first = get_batch(tokens, 4, TINY.seq_len, generator)
    generator.set_state(state)
    assert torch.equal(get_batch(tokens, 4, TINY.seq_len, generator), first)


def test_lm_loss_is_shifted_cross_entropy(tokens: np.ndarray) -> None:
    model = build_model(TINY, seed=0)
    batch = make_batch(tokens, window_starts(0, 0, 4, len(tokens), TINY.seq_len), TINY.seq_len)
    reference = model(input_ids=batch, labels=batch).loss  # transformers shifts the labels itself
    assert torch.allclose(lm_loss(model, batch), reference, atol=1e-5)


def test_half_batches_average_to_the_whole_batch_gradient(tokens: np.ndarray) -> None:
    """What DDP relies on: no dropout, equal shards, so mean(grad(half)) == grad(whole)."""
    model = build_model(TINY, seed=0)
    starts = window_starts(2, 0, 8, len(tokens), TINY.seq_len)

    def grads(rows: np.ndarray) -> list[torch.Tensor]:
        model.zero_grad()
        lm_loss(model, make_batch(tokens, rows, TINY.seq_len)).backward()
        return [p.grad.clone() for p in model.parameters()]

    whole = grads(starts)
    halves = [grads(shard_rows(starts, rank, 2)) for rank in (0, 1)]
    for full, a, b in zip(whole, *halves, strict=True):
        assert torch.allclose(full, (a + b) / 2, atol=1e-6)


def test_tiny_model_learns_the_tiny_corpus(tokens: np.ndarray) -> None:
    model = build_model(TINY, seed=0)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    probe = make_batch(tokens, window_starts(99, 0, 16, len(tokens), TINY.seq_len), TINY.seq_len)
    with torch.no_grad():
        start_loss = lm_loss(model, probe).item()
    for step in range(40):
        batch = make_batch(tokens, window_starts(0, step, 8, len(tokens), TINY.seq_len), TINY.seq_len)
        loss = lm_loss(model, batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        end_loss = lm_loss(model, probe).item()
    assert end_loss < 0.5 * start_loss, (start_loss, end_loss)
