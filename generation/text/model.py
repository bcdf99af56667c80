"""The promo-text model: a tiny Llama-style causal LM, its loss and reproducible batches.

The model is a stock transformers `LlamaForCausalLM`, so it saves with `save_pretrained` and loads with
`AutoModelForCausalLM`, exactly like any Hugging Face model the writer may be pointed at. Dropout is
zero everywhere: the loss of a batch is then a pure function of weights and rows, so a global batch
split over processes (DDP) gives the same gradient as the whole batch in one process.

Batches come from one token stream (see `corpus.encode_corpus`) as random windows of `seq_len + 1`
tokens. `window_starts(seed, step, ...)` draws a step's starts from (seed, step) alone, so a resumed or
distributed run sees exactly the examples a single uninterrupted run sees; `shard_rows` gives one
process its rows of that global batch.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
import torch.nn.functional as F
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedModel

__all__ = [
    "TextModelArgs",
    "build_model",
    "get_batch",
    "lm_loss",
    "make_batch",
    "model_config",
    "shard_rows",
    "window_starts",
]


@dataclass(frozen=True)
class TextModelArgs:
    """Shape of the model. The defaults are the ~6.5 M-parameter model that trains on 2 CPU cores."""

    vocab_size: int = 6000
    hidden: int = 256
    layers: int = 6
    heads: int = 8
    kv_heads: int | None = None  # None: one key/value head per query head (plain multi-head attention)
    mlp_hidden: int | None = None  # None: about 8/3 * hidden, rounded up to a multiple of 64 (Llama's rule)
    seq_len: int = 128
    rope_theta: float = 10_000.0
    tie_embeddings: bool = True  # at hidden 256 a 6k vocabulary is a quarter of the weights: share it
    pad_token_id: int = 0
    bos_token_id: int = 1
    eos_token_id: int = 2

    def to_dict(self) -> dict[str, int | float | bool | None]:
        """Plain data for a checkpoint's `model_args`; `TextModelArgs(**d)` restores it."""
        return asdict(self)


def model_config(args: TextModelArgs) -> LlamaConfig:
    if args.hidden % args.heads:
        raise ValueError(f"hidden ({args.hidden}) must be a multiple of heads ({args.heads})")
    mlp_hidden = args.mlp_hidden or -(-(8 * args.hidden // 3) // 64) * 64
    return LlamaConfig(
        vocab_size=args.vocab_size,
        hidden_size=args.hidden,
        intermediate_size=mlp_hidden,
        num_hidden_layers=args.layers,
        num_attention_heads=args.heads,
        num_key_value_heads=args.kv_heads or args.heads,
        max_position_embeddings=args.seq_len,
        rope_parameters={"rope_type": "default", "rope_theta": args.rope_theta},
        tie_word_embeddings=args.tie_embeddings,
        attention_dropout=0.0,
        attention_bias=False,
        mlp_bias=False,
        pad_token_id=args.pad_token_id,
        bos_token_id=args.bos_token_id,
        eos_token_id=args.eos_token_id,
    )


def build_model(args: TextModelArgs, seed: int | None = None) -> LlamaForCausalLM:
    """A freshly initialised model; with `seed`, the same weights every time without touching torch's
    global RNG (the weights are drawn under a forked RNG state)."""
    config = model_config(args)
    if seed is None:
        return LlamaForCausalLM(config)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return LlamaForCausalLM(config)


def lm_loss(model: PreTrainedModel, batch: torch.Tensor) -> torch.Tensor:
    """Mean next-token cross-entropy of `batch` (B, T+1): inputs are [:, :-1], targets [:, 1:]."""
    inputs, targets = batch[:, :-1], batch[:, 1:]
    logits = model(input_ids=inputs, use_cache=False).logits
    # float32 for the softmax even under bf16 autocast: the loss is a sum over a 6k vocabulary.
    return F.cross_entropy(logits.float().reshape(-1, logits.size(-1)), targets.reshape(-1))


def window_starts(seed: int, step: int, global_batch: int, n_tokens: int, seq_len: int) -> np.ndarray:
    """The start of each of a step's `global_batch` windows (int64), from (seed, step) alone.

    A window is `seq_len + 1` tokens, so starts lie in [0, n_tokens - seq_len - 1]. Processes of a
    distributed run each call this with the same arguments and take their rows with `shard_rows`.
    """
    if n_tokens < seq_len + 1:
        raise ValueError(f"{n_tokens} tokens cannot hold one window of seq_len + 1 = {seq_len + 1}")
    if seed < 0 or step < 0:
        raise ValueError(f"seed and step must be >= 0, got seed={seed} step={step}")
    rng = np.random.default_rng([seed, step])
    return rng.integers(0, n_tokens - seq_len, size=global_batch, dtype=np.int64)


def shard_rows(starts: np.ndarray, rank: int, world_size: int) -> np.ndarray:
    """Rank `rank`'s contiguous share of a global batch; the global batch must split evenly, so every
    process has the same number of rows and the averaged gradient equals the whole batch's."""
    if len(starts) % world_size:
        raise ValueError(f"global batch {len(starts)} does not split over {world_size} processes")
    if not 0 <= rank < world_size:
        raise ValueError(f"rank {rank} is outside world size {world_size}")
    rows = len(starts) // world_size
    return starts[rank * rows : (rank + 1) * rows]


def make_batch(tokens: np.ndarray, starts: np.ndarray, seq_len: int) -> torch.Tensor:
    """The windows `tokens[s : s + seq_len + 1]` as an int64 tensor (len(starts), seq_len + 1).

    `tokens` may be a read-only `np.memmap` of uint16/uint32; only the windows are copied.
    """
    index = np.asarray(starts, dtype=np.int64)[:, None] + np.arange(seq_len + 1, dtype=np.int64)
    return torch.from_numpy(np.asarray(tokens[index], dtype=np.int64))


def get_batch(tokens: np.ndarray, batch_size: int, seq_len: int, generator: torch.Generator) -> torch.Tensor:
    """`batch_size` random windows drawn from `generator`; saving `generator.get_state()` in a
    checkpoint and restoring it replays the same batches on resume."""
    if len(tokens) < seq_len + 1:
        raise ValueError(f"{len(tokens)} tokens cannot hold one window of seq_len + 1 = {seq_len + 1}")
    starts = torch.randint(0, len(tokens) - seq_len, (batch_size,), generator=generator)
    return make_batch(tokens, starts.numpy(), seq_len)
