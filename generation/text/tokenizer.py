"""The promo-text tokenizer: a byte-level BPE trained offline, wrapped as a transformers tokenizer.

Byte-level BPE has no unknown token: every string is bytes first, so Chinese, English, emoji and rare
characters all round-trip exactly (no normaliser either, for the same reason: NFKC would turn full-width
digits into ASCII ones and the text would no longer be what was written). The wrapper is a
`PreTrainedTokenizerFast`, so the writer uses one code path for our model and any Hugging Face model.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

__all__ = [
    "BOS_TOKEN",
    "EOS_TOKEN",
    "PAD_TOKEN",
    "SEP_TOKEN",
    "SPECIAL_TOKENS",
    "load_tokenizer",
    "save_tokenizer",
    "train_tokenizer",
    "wrap_tokenizer",
]

PAD_TOKEN = "<|pad|>"
BOS_TOKEN = "<|bos|>"
EOS_TOKEN = "<|eos|>"
# Between the facts prompt and the ad text: the model learns "after <|sep|> comes copy for these facts".
SEP_TOKEN = "<|sep|>"
# Ids 0..3 in this order, whatever the vocabulary size.
SPECIAL_TOKENS: tuple[str, ...] = (PAD_TOKEN, BOS_TOKEN, EOS_TOKEN, SEP_TOKEN)
TOKENIZER_FILE = "tokenizer.json"


def train_tokenizer(
    texts: Iterable[str], vocab_size: int = 6000, min_frequency: int = 2
) -> PreTrainedTokenizerFast:
    """A byte-level BPE trained on `texts` (about a second for the AdvertiseGen subset on one core)."""
    backend = Tokenizer(models.BPE())
    # use_regex keeps GPT-2's word/number/punctuation pre-split: merges never glue a digit run to a
    # word, so numbers stay separate tokens (the grounding guard reads them back from text anyway).
    backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    backend.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=min_frequency,
        special_tokens=list(SPECIAL_TOKENS),
        # All 256 byte symbols up front: a character never seen in training still encodes (as bytes).
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    backend.train_from_iterator(texts, trainer=trainer)
    return wrap_tokenizer(backend)


def wrap_tokenizer(backend: Tokenizer) -> PreTrainedTokenizerFast:
    """The transformers view of a `tokenizers.Tokenizer` with our special tokens named."""
    return PreTrainedTokenizerFast(
        tokenizer_object=backend,
        pad_token=PAD_TOKEN,
        bos_token=BOS_TOKEN,
        eos_token=EOS_TOKEN,
        sep_token=SEP_TOKEN,
        # The default clean-up rewrites " ." to "." and friends: the round trip would not be exact.
        clean_up_tokenization_spaces=False,
    )


def save_tokenizer(tokenizer: PreTrainedTokenizerFast, folder: Path) -> Path:
    """`save_pretrained` into `folder` (tokenizer.json + tokenizer_config.json); returns tokenizer.json.

    The folder then loads with `AutoTokenizer.from_pretrained(folder)` as well as `load_tokenizer`.
    """
    folder.mkdir(parents=True, exist_ok=True)
    tokenizer.save_pretrained(str(folder))
    return folder / TOKENIZER_FILE


def load_tokenizer(path: Path) -> PreTrainedTokenizerFast:
    """From a folder written by `save_tokenizer` or from a bare tokenizer.json file."""
    file = path / TOKENIZER_FILE if path.is_dir() else path
    if not file.is_file():
        raise FileNotFoundError(f"no {TOKENIZER_FILE} at {path}")
    return wrap_tokenizer(Tokenizer.from_file(str(file)))
