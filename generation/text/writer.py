"""The promo writer: facts in, one short grounded ad text out (or "" for the caller's template).

It loads our own checkpoint folder (model and tokenizer saved with `save_pretrained`) or any Hugging
Face causal LM by id or path through the Auto classes, so a shop with a bigger model online uses the
same code. Sampling is our own small loop with a KV cache and a private `torch.Generator`: the same
seed gives the same text without touching torch's global RNG, which other models in the process share.
Calls are synchronous and CPU/GPU-bound; the bot runs them in its model executor, never on the loop.
"""

from __future__ import annotations

from collections.abc import Mapping
from inspect import signature
from pathlib import Path
from typing import Any

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, PreTrainedModel, PreTrainedTokenizerBase

from generation.text.grounding import finish_text, keep_grounded, split_sentences
from generation.text.prompt import format_prompt
from generation.text.tokenizer import SEP_TOKEN

__all__ = ["PromoWriter", "WriterLoadError", "drop_prompt_echo"]


class WriterLoadError(RuntimeError):
    """The model or tokenizer named by the caller could not be loaded (the message names it)."""


class PromoWriter:
    """A causal LM and its tokenizer, writing ad text for products given as plain facts.

    The model is put in eval mode (a training loop that samples mid-run sets train mode back).
    """

    def __init__(
        self,
        model: PreTrainedModel,
        tokenizer: PreTrainedTokenizerBase,
        *,
        max_chars: int = 120,
    ) -> None:
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.max_chars = max_chars
        # Any special token ends the ad: EOS, and for our tokenizer also BOS/SEP (a new document).
        self._stop_ids = frozenset(tokenizer.all_special_ids)
        self._max_positions: int | None = getattr(model.config, "max_position_embeddings", None)
        # transformers 5.x renamed the KV-cache argument and output to `cache` (`past_key_values` is
        # deprecated); models on older releases or with remote code still use the old name.
        params = signature(model.forward).parameters
        self._cache_name = "cache" if "cache" in params else "past_key_values"

    @classmethod
    def load(
        cls,
        source: str | Path,
        *,
        device: str | torch.device = "cpu",
        dtype: torch.dtype | None = None,
        local_files_only: bool = False,
        max_chars: int = 120,
    ) -> PromoWriter:
        """From a local folder written by `save_pretrained`, or a Hugging Face model id.

        Raises `WriterLoadError` naming `source` when neither works (a typo, a private model, or no
        network: with HF_HUB_OFFLINE=1 or `local_files_only=True` only the local cache is tried).
        """
        path = Path(source).expanduser()
        is_folder = path.is_dir()
        if not is_folder and (path.is_absolute() or str(source).startswith((".", "~"))):
            raise WriterLoadError(f"no model folder at {path}")
        if is_folder and not (path / "config.json").is_file():
            raise WriterLoadError(f"{path} is not a model folder written by save_pretrained (no config.json)")
        name = str(path) if is_folder else str(source)
        options: dict[str, Any] = {"local_files_only": local_files_only or is_folder}
        if dtype is not None:
            options["dtype"] = dtype
        try:
            tokenizer = AutoTokenizer.from_pretrained(name, local_files_only=options["local_files_only"])
            model = AutoModelForCausalLM.from_pretrained(name, **options)
        except (OSError, ValueError) as exc:
            where = (
                "local model folder"
                if is_folder
                else "Hugging Face model id: not in the local cache, and the hub was not reachable or has no such model"
            )
            raise WriterLoadError(f"cannot load causal LM {name!r} ({where}): {exc}") from exc
        return cls(model.to(device), tokenizer, max_chars=max_chars)

    def save(self, folder: Path) -> None:
        """Model and tokenizer side by side, loadable again with `PromoWriter.load(folder)`."""
        self.model.save_pretrained(str(folder))
        self.tokenizer.save_pretrained(str(folder))

    def prompt_ids(self, facts: Mapping[str, Any]) -> list[int]:
        """`<|bos|>facts<|sep|>` as token ids: the corpus format, so the model continues with copy."""
        ids = self.tokenizer.encode(format_prompt(facts) + SEP_TOKEN, add_special_tokens=False)
        bos = self.tokenizer.bos_token_id
        return ids if bos is None else [bos, *ids]

    def write_promo(
        self,
        facts: Mapping[str, Any],
        *,
        seed: int = 0,
        max_new_tokens: int = 96,
        temperature: float = 0.8,
        top_p: float = 0.9,
        repetition_penalty: float = 1.1,
    ) -> str:
        """Ad text for `facts` with no number that the facts do not state, whole sentences only, at
        most `max_chars` characters; "" when nothing safe is left (the caller uses a template)."""
        raw = self.generate(
            facts,
            seed=seed,
            max_new_tokens=max_new_tokens,
            temperature=temperature,
            top_p=top_p,
            repetition_penalty=repetition_penalty,
        )
        text = drop_prompt_echo(raw.replace("\ufffd", ""))  # U+FFFD: the model split a UTF-8 character
        return finish_text(keep_grounded(text, facts), self.max_chars)

    @torch.inference_mode()
    def generate(
        self,
        facts: Mapping[str, Any],
        *,
        seed: int = 0,
        max_new_tokens: int = 96,
        temperature: float = 0.8,
        top_p: float = 0.9,
        repetition_penalty: float = 1.1,
    ) -> str:
        """The raw sampled continuation of the facts prompt (unguarded: use `write_promo` for viewers).

        `temperature <= 0` is greedy. The repetition penalty (CTRL's) applies to generated tokens only:
        repeating the prompt's colour or material is wanted, a small model's loops are not.
        """
        prompt = self.prompt_ids(facts)
        if self._max_positions is not None:
            max_new_tokens = min(max_new_tokens, self._max_positions - len(prompt))
        if max_new_tokens <= 0:
            return ""  # the facts alone fill the context; nothing sensible can follow
        device = self.model.device
        generator = torch.Generator(device=device).manual_seed(seed)
        input_ids = torch.tensor([prompt], dtype=torch.long, device=device)
        cache = None
        generated: list[int] = []
        for _ in range(max_new_tokens):
            out = self.model(input_ids=input_ids, use_cache=True, **{self._cache_name: cache})
            cache = getattr(out, self._cache_name)
            logits = out.logits[0, -1].float()
            token = _sample(logits, generated, generator, temperature, top_p, repetition_penalty)
            if token in self._stop_ids:
                break
            generated.append(token)
            input_ids = torch.tensor([[token]], dtype=torch.long, device=device)
        return self.tokenizer.decode(generated, skip_special_tokens=True)


def drop_prompt_echo(text: str) -> str:
    """Without sentences that echo the prompt syntax ("#", "*", special tokens) or hold no word at all:
    an undertrained model writes "类型#裤*风格" back, which no viewer should see."""
    kept = [
        s
        for s in split_sentences(text)
        if not any(mark in s for mark in ("#", "*", "<|")) and any(c.isalpha() for c in s)
    ]
    return "".join(kept)


def _sample(
    logits: torch.Tensor,
    generated: list[int],
    generator: torch.Generator,
    temperature: float,
    top_p: float,
    repetition_penalty: float,
) -> int:
    if generated and repetition_penalty != 1.0:
        seen = torch.tensor(sorted(set(generated)), device=logits.device)
        scores = logits[seen]
        logits[seen] = torch.where(scores > 0, scores / repetition_penalty, scores * repetition_penalty)
    if temperature <= 0:
        return int(logits.argmax())
    probs = torch.softmax(logits / temperature, dim=-1)
    if top_p < 1.0:
        sorted_probs, order = probs.sort(descending=True)
        # Keep the smallest set whose mass reaches top_p (the first token always stays).
        outside = sorted_probs.cumsum(-1) - sorted_probs >= top_p
        sorted_probs[outside] = 0.0
        probs = torch.zeros_like(probs).scatter(0, order, sorted_probs)
    return int(torch.multinomial(probs, 1, generator=generator))
