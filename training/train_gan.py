"""Kind `gan`: train the class-conditional product-image GAN (or, with `model=dcgan`, the reference
unconditional DCGAN the benchmark compares it with) and publish the generator.

Parameters: `data` (Fashion-MNIST's folder or DIR/<category>/ photos), `model` (cgan|dcgan), `image_size`
(16|32|64), `channels` (1|3), `epochs` or `steps`, `batch_size`, `lr_g`, `lr_d`, `beta1`, `beta2`, `seed`,
the networks' own arguments (`nz`, `ngf`, `ndf`, ...), `checkpoint_every`, `eval_n` (images generated for
the quality numbers; 0 = none), `promote`.

Batches and noise are pure functions of (seed, step), so a resumed job continues exactly. After every
epoch a fixed-noise grid (one column per class) is saved beside the checkpoint as PNG: people look at those.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import numpy as np
import torch

from generation.images import cgan, dcgan
from generation.images.batches import to_model_batch
from generation.images.grid import save_grid_png
from training.checkpoint import CHECKPOINT_NAME, resume_point, save_checkpoint, set_rng_state
from training.context import JobContext
from training.gan_quality import load_graders, quality
from training.image_data import batch_indices, load_images
from training.registry import Version

KIND = "gan"
GRID_ROWS = 8


def _fields(cls: type, p: dict[str, Any]) -> dict[str, Any]:
    return {f.name: p[f.name] for f in dataclasses.fields(cls) if f.name in p}


def run(ctx: JobContext) -> Version | None:
    p = dict(ctx.params)
    conditional = p.get("model", "cgan") == "cgan"
    if p.get("model", "cgan") not in ("cgan", "dcgan"):
        raise ValueError(f"gan job: model must be cgan or dcgan, got {p['model']!r}")
    lib: Any = cgan if conditional else dcgan
    train_cls = cgan.CganTrainArgs if conditional else dcgan.DcganTrainArgs
    train_args = train_cls(**_fields(train_cls, p))
    image_size, channels = int(p.get("image_size", 32)), int(p.get("channels", 1))
    seed = int(p.get("seed", 0))
    data = load_images(p.get("data"), image_size, channels)
    n_classes = len(data.classes)
    shape = {"image_size": image_size, "channels": channels}
    if conditional:
        args: Any = cgan.CganArgs(**{**_fields(cgan.CganArgs, p), **shape, "n_classes": n_classes})
    else:
        args = dcgan.DcganArgs(**{**_fields(dcgan.DcganArgs, p), **shape})
    device = ctx.placement.device
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        generator, discriminator = lib.build(args)
    generator, discriminator = generator.to(device), discriminator.to(device)
    opt_g, opt_d = lib.make_optimizers(generator, discriminator, train_args)

    batch = train_args.batch_size
    per_epoch = len(data.labels) // batch
    total = int(p.get("steps") or 0) or max(1, round(float(p.get("epochs", train_args.epochs)) * per_epoch))
    step = 0
    checkpoint = resume_point(ctx.workdir, map_location=device)
    if checkpoint is not None:
        if checkpoint["model_args"] != dataclasses.asdict(args):
            raise ValueError(f"{ctx.workdir / CHECKPOINT_NAME} was written for other model arguments")
        generator.load_state_dict(checkpoint["generator"])
        discriminator.load_state_dict(checkpoint["discriminator"])
        opt_g.load_state_dict(checkpoint["opt_g"])
        opt_d.load_state_dict(checkpoint["opt_d"])
        set_rng_state(checkpoint["rng"])
        step = int(checkpoint["step"])
        ctx.log(f"resumed from step {step} of {total}")
    else:
        ctx.log(f"{len(data.labels)} {data.source} images, {n_classes} classes, {per_epoch} steps per epoch")

    def save(at: int) -> None:
        if ctx.is_main:
            save_checkpoint(
                ctx.workdir / CHECKPOINT_NAME,
                {
                    "kind": KIND,
                    "model_args": dataclasses.asdict(args),
                    "generator": generator.state_dict(),
                    "discriminator": discriminator.state_dict(),
                    "opt_g": opt_g.state_dict(),
                    "opt_d": opt_d.state_dict(),
                    "scaler": None,
                    "step": at,
                    "config": {k: v for k, v in p.items() if isinstance(v, int | float | str | bool)},
                },
            )

    def grid(path_name: str) -> None:
        # The same noise every time: one column per class, so epochs can be compared by eye.
        shown = min(n_classes, 10)
        if conditional:
            images = cgan.sample(generator, np.tile(np.arange(shown), GRID_ROWS), seed=seed + 7)
        else:
            images = dcgan.sample(generator, shown * GRID_ROWS, seed=seed + 7)
        save_grid_png(images, ctx.workdir / "samples" / path_name, nrow=shown)

    every = int(p.get("checkpoint_every", 200))
    started, first = time.perf_counter(), step
    last: Any = None
    while step < total:
        idx = batch_indices(seed, step, batch, len(data.labels))
        real = to_model_batch(data.images[idx], image_size, channels, device)
        noise = torch.Generator().manual_seed(seed * 1_000_003 + step)
        with ctx.placement.autocast():
            if conditional:
                labels = torch.from_numpy(data.labels[idx]).to(device)
                last = cgan.train_step(generator, discriminator, opt_g, opt_d, real, labels, noise)
            else:
                last = dcgan.train_step(generator, discriminator, opt_g, opt_d, real, noise)
        step += 1
        rate = (step - first) * batch / max(1e-9, time.perf_counter() - started)
        ctx.report(step, total, d_loss=last.d_loss, g_loss=last.g_loss, images_s=rate)
        if ctx.is_main and step % per_epoch == 0:
            grid(f"epoch-{step // per_epoch:03d}.png")
        if step % every == 0 and step < total:
            save(step)
    save(total)
    if not ctx.is_main:
        return None
    elapsed = time.perf_counter() - started
    judge, check = load_graders(ctx.registry)
    metrics: dict[str, Any] = {
        "steps": total,
        "epochs": round(total / per_epoch, 3),
        "images_per_s": round((total - first) * batch / max(elapsed, 1e-9), 1),
        "d_loss": round(last.d_loss, 4) if last else None,
        "g_loss": round(last.g_loss, 4) if last else None,
    }
    if data.source == "fashion_mnist":
        metrics |= quality(
            generator,
            n_classes,
            judge,
            check,
            data.images,
            data.test_images,
            int(p.get("eval_n", 1000)),
            seed,
        )
    if judge is None:
        ctx.log("no classifier in the registry: train one (`livebot train classifier`) for quality numbers")
    grid("final.png")
    ctx.log(f"trained {total} steps: {metrics}")
    kind = KIND if conditional else "gan-reference"
    with ctx.registry.staging(kind) as stage:
        if conditional:
            cgan.save_generator(generator, stage / "generator.pt")
        else:
            torch.save(dcgan.generator_state(generator), stage / "generator.pt")
        (stage / "samples.png").write_bytes((ctx.workdir / "samples" / "final.png").read_bytes())
        return ctx.registry.publish(
            kind,
            stage,
            metrics=metrics,
            dataset=data.dataset,
            config={
                "model": p.get("model", "cgan"),
                "model_args": dataclasses.asdict(args),
                "classes": list(data.classes),
                "source": data.source,
                "train_args": dataclasses.asdict(train_args),
                "seed": seed,
            },
            job_id=ctx.job_id,
            promote=bool(p.get("promote", True)),
        )
