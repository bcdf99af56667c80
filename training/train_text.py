"""Kind `text`: train the promo-text language model (a small transformers Llama) and publish it.

Parameters (all optional but `data`): `data` (an AdvertiseGen-format folder of `{"content","summary"}` JSON
lines, or a .txt file with one training line per row), `extra` (a .txt of more lines, e.g. the shop's own
catalog descriptions written by the bot), `steps` (or `epochs`), `batch_size` (the GLOBAL batch: under DDP each
of N ranks takes batch_size / N rows, so N processes compute exactly the step one process would), `lr`,
`warmup`, `seed`, `checkpoint_every`, `eval_batches`, `vocab_size`, `hidden`, `layers`, `heads`, `seq_len`,
`compile` (torch.compile the model).

The first attempt trains the tokenizer and encodes the corpus into the job folder; every later attempt (a
retry after a crash, `--resume`) and every DDP rank reads those back, so a resumed run sees the same tokens.
Batches are a pure function of (seed, step), so a resumed run continues with exactly the batches it would
have seen and ends at the same step count.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from transformers.utils.logging import disable_progress_bar

from generation.text.corpus import advertisegen_texts, encode_corpus, split_train_val
from generation.text.model import TextModelArgs, build_model, lm_loss, make_batch, shard_rows, window_starts
from generation.text.tokenizer import load_tokenizer, save_tokenizer, train_tokenizer
from generation.text.writer import PromoWriter
from training.checkpoint import CHECKPOINT_NAME, resume_point, save_checkpoint, set_rng_state
from training.context import JobCancelled, JobContext, JobInterrupted
from training.registry import Version, fingerprint

KIND = "text"
DEFAULTS: dict[str, Any] = {
    "steps": 0,  # 0 = `epochs` passes over the training tokens
    "epochs": 1.0,
    "batch_size": 16,
    "lr": 1e-3,
    "min_lr": 1e-4,
    "warmup": 50,
    "weight_decay": 0.1,
    "grad_clip": 1.0,
    "seed": 1337,
    "checkpoint_every": 100,
    "eval_batches": 8,
    "vocab_size": 6000,
    "hidden": 256,
    "layers": 6,
    "heads": 8,
    "seq_len": 128,
    "compile": False,
}
MODEL_KEYS = ("vocab_size", "hidden", "layers", "heads", "seq_len")


def read_lines(params: dict[str, Any]) -> tuple[list[str], list[Path]]:
    """The training texts and the files they came from (for the dataset fingerprint)."""
    if "data" not in params:
        raise ValueError(
            "text job: parameter 'data' is required: an AdvertiseGen-format folder (dev.json, "
            "train_first5000.json) or a .txt file with one training line per row"
        )
    texts: list[str] = []
    files: list[Path] = []
    for key in ("data", "extra"):
        if not params.get(key):
            continue
        path = Path(params[key])
        if path.is_dir():
            texts += advertisegen_texts(path)
            files += sorted(path.glob("*.json"))
        elif path.is_file():
            texts += [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            files.append(path)
        else:
            raise FileNotFoundError(f"text job: {key} = {path} does not exist")
    if not texts:
        raise ValueError(f"text job: no training lines in {', '.join(map(str, files))}")
    return texts, files


def prepare(ctx: JobContext, p: dict[str, Any]) -> Path:
    """Tokenizer and token arrays in `<workdir>/prepared`, made once per job (by rank 0)."""
    folder = ctx.workdir / "prepared"
    if (folder / "train.npy").exists():
        return folder
    texts, files = read_lines(p)
    train, val = split_train_val(texts, 0.05)
    if not val:
        train, val = texts, texts[:1]
    tokenizer = train_tokenizer(train, vocab_size=int(p["vocab_size"]))
    tmp = ctx.workdir / f".prepared-{time.time_ns()}"
    save_tokenizer(tokenizer, tmp)
    np.save(tmp / "train.npy", encode_corpus(tokenizer, train))
    np.save(tmp / "val.npy", encode_corpus(tokenizer, val))
    (tmp / "dataset.txt").write_text(fingerprint(files), encoding="utf-8")
    tmp.replace(folder)
    ctx.log(f"prepared {len(train)} training and {len(val)} validation lines, vocabulary {len(tokenizer)}")
    return folder


def lr_at(step: int, total: int, p: dict[str, Any]) -> float:
    """Linear warm-up, then cosine decay to `min_lr` (nanoGPT's schedule)."""
    warmup = int(p["warmup"])
    if step < warmup:
        return float(p["lr"]) * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return float(p["min_lr"]) + 0.5 * (1 + math.cos(math.pi * progress)) * (
        float(p["lr"]) - float(p["min_lr"])
    )


@torch.no_grad()
def evaluate(model: torch.nn.Module, tokens: np.ndarray, p: dict[str, Any], ctx: JobContext) -> float:
    """Mean loss on fixed validation windows (the same windows every time, so values compare)."""
    model.eval()
    seq, batch = int(p["seq_len"]), int(p["batch_size"])
    if len(tokens) <= seq + 1:
        return float("nan")
    losses = []
    for i in range(int(p["eval_batches"])):
        starts = window_starts(int(p["seed"]) + 1, i, batch, len(tokens), seq)
        with ctx.placement.autocast():
            losses.append(float(lm_loss(model, make_batch(tokens, starts, seq).to(ctx.placement.device))))
    model.train()
    return float(np.mean(losses))


def _agree_to_stop(ctx: JobContext) -> str | None:
    """Every rank must leave the loop at the same step or the others hang in their next all-reduce."""
    reason = ctx.stop_reason() if ctx.is_main else None
    if ctx.world_size == 1:
        return reason
    import torch.distributed as dist

    code = torch.tensor([{"cancel": 2, "interrupt": 1}.get(reason or "", 0)], device=ctx.placement.device)
    dist.broadcast(code, src=0)
    return {2: "cancel", 1: "interrupt"}.get(int(code.item()))


def run(ctx: JobContext) -> Version | None:
    p = {**DEFAULTS, **ctx.params}
    device = ctx.placement.device
    distributed = ctx.world_size > 1
    if distributed:
        import torch.distributed as dist

        if ctx.is_main:
            prepare(ctx, p)
        dist.barrier()
        folder = ctx.workdir / "prepared"
    else:
        folder = prepare(ctx, p)
    tokenizer = load_tokenizer(folder)
    train_tokens = np.load(folder / "train.npy", mmap_mode="r")
    val_tokens = np.load(folder / "val.npy", mmap_mode="r")
    seq, batch = int(p["seq_len"]), int(p["batch_size"])
    if batch % ctx.world_size:
        raise ValueError(f"batch_size {batch} does not split over {ctx.world_size} processes")
    total = int(p["steps"]) or max(1, math.ceil(float(p["epochs"]) * len(train_tokens) / (batch * seq)))

    args = TextModelArgs(**{k: int(p[k]) for k in MODEL_KEYS if k != "vocab_size"}, vocab_size=len(tokenizer))
    model = build_model(args, seed=int(p["seed"])).to(device)
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=float(p["lr"]), betas=(0.9, 0.95), weight_decay=float(p["weight_decay"])
    )
    step = 0
    checkpoint = resume_point(ctx.workdir, map_location=device)
    if checkpoint is not None:
        if checkpoint["model_args"] != args.to_dict():
            raise ValueError(f"{ctx.workdir / CHECKPOINT_NAME} was written for other model arguments")
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        set_rng_state(checkpoint["rng"])
        step = int(checkpoint["step"])
        ctx.log(f"resumed from step {step} of {total}")
    train_model: torch.nn.Module = model
    if distributed:
        from torch.nn.parallel import DistributedDataParallel

        train_model = DistributedDataParallel(model, device_ids=[device] if device.type == "cuda" else None)
    if p["compile"]:
        train_model = torch.compile(train_model)  # type: ignore[assignment]

    def save(at: int) -> None:
        if ctx.is_main:
            save_checkpoint(
                ctx.workdir / CHECKPOINT_NAME,
                {
                    "kind": KIND,
                    "model_args": args.to_dict(),
                    "model": model.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "scaler": None,  # bf16 autocast needs no grad scaler
                    "step": at,
                    "config": {k: v for k, v in p.items() if isinstance(v, int | float | str | bool)},
                },
            )

    model.train()
    started, first = time.perf_counter(), step
    loss_value = float("nan")
    while step < total:
        reason = _agree_to_stop(ctx)
        if reason == "cancel":
            raise JobCancelled(f"job {ctx.job_id} cancelled at step {step}")
        if reason == "interrupt":
            save(step)
            raise JobInterrupted(f"stopped at step {step}")
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step, total, p)
        starts = window_starts(int(p["seed"]), step, batch, len(train_tokens), seq)
        rows = shard_rows(starts, ctx.rank, ctx.world_size)
        with ctx.placement.autocast():
            loss = lm_loss(train_model, make_batch(train_tokens, rows, seq).to(device))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if p["grad_clip"]:
            torch.nn.utils.clip_grad_norm_(model.parameters(), float(p["grad_clip"]))
        optimizer.step()
        step += 1
        loss_value = float(loss.detach())
        tokens_s = (step - first) * batch * seq / max(1e-9, time.perf_counter() - started)
        ctx.report(step, total, check=False, loss=loss_value, tokens_s=tokens_s)
        if step % int(p["checkpoint_every"]) == 0 and step < total:
            save(step)
    save(total)
    if not ctx.is_main:
        return None
    val_loss = evaluate(model, val_tokens, p, ctx)
    elapsed = time.perf_counter() - started
    metrics = {
        "val_loss": round(val_loss, 4),
        "train_loss": round(loss_value, 4),
        "steps": total,
        "tokens_per_s": round((total - first) * batch * seq / max(elapsed, 1e-9), 1),
        "params": sum(t.numel() for t in model.parameters()),
        "world_size": ctx.world_size,
    }
    ctx.report(total, total, force=True, check=False, val_loss=val_loss)
    ctx.log(f"validation loss {val_loss:.3f} after {total} steps")
    disable_progress_bar()  # "Writing model shards" bars would break the job's own progress output
    with ctx.registry.staging(KIND) as stage:
        PromoWriter(model, tokenizer).save(stage / "writer")
        return ctx.registry.publish(
            KIND,
            stage,
            metrics=metrics,
            dataset=(folder / "dataset.txt").read_text(encoding="utf-8"),
            config={"model_args": args.to_dict(), **{k: v for k, v in p.items() if k not in MODEL_KEYS}},
            job_id=ctx.job_id,
            promote=bool(p.get("promote", True)),
        )
