"""Kind `classifier`: the Fashion-MNIST classifiers that grade the GAN, trained and versioned here.

`role=judge` (default; registry kind `classifier`): the CNN whose penultimate features give the Fréchet
distance and whose labels give the conditional accuracy. `role=check` (kind `classifier-check`): a
differently built LeNet with another seed, the independent second opinion on generated images.
Parameters: `data` (Fashion-MNIST's folder), `role`, `epochs` or `steps`, `batch_size`, `lr`, `seed`,
`image_size`, `checkpoint_every`. The test accuracy is in the manifest (the judge must reach >= 90%).
"""

from __future__ import annotations

import dataclasses
import math
import time
from typing import Any

import torch
import torch.nn.functional as F

from generation.images.batches import to_model_batch
from generation.images.classifier import (
    CHECK,
    CHECK_TRAIN,
    JUDGE,
    JUDGE_TRAIN,
    ClassifierTrainArgs,
    build_classifier,
    evaluate,
    save_classifier,
)
from training.checkpoint import CHECKPOINT_NAME, resume_point, save_checkpoint, set_rng_state
from training.context import JobContext
from training.gan_quality import CHECK_KIND, JUDGE_KIND
from training.image_data import batch_indices, load_images
from training.registry import Version

ROLES = {"judge": (JUDGE, JUDGE_TRAIN, JUDGE_KIND), "check": (CHECK, CHECK_TRAIN, CHECK_KIND)}


def run(ctx: JobContext) -> Version | None:
    p = dict(ctx.params)
    role = str(p.get("role", "judge"))
    if role not in ROLES:
        raise ValueError(f"classifier job: role must be judge or check, got {role!r}")
    base_args, base_train, kind = ROLES[role]
    args = dataclasses.replace(base_args, image_size=int(p.get("image_size", base_args.image_size)))
    known = {f.name for f in dataclasses.fields(ClassifierTrainArgs)}
    t = dataclasses.replace(base_train, **{k: p[k] for k in known if k in p})
    data = load_images(p.get("data"), args.image_size, args.channels)
    if data.test_images is None:
        raise ValueError(f"classifier job: {p.get('data')} has no test split (t10k-*) to measure accuracy on")
    device = ctx.placement.device
    model = build_classifier(dataclasses.replace(args, n_classes=len(data.classes)), seed=t.seed).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=t.lr)
    per_epoch = len(data.labels) // t.batch_size
    total = int(p.get("steps") or 0) or max(1, round(float(p.get("epochs", t.epochs)) * per_epoch))
    # Cosine decay to zero over the whole run (about a point of accuracy over a constant rate at 3 epochs).
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: 0.5 * (1.0 + math.cos(math.pi * min(s, total) / total))
    )
    step = 0
    checkpoint = resume_point(ctx.workdir, map_location=device)
    if checkpoint is not None:
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        schedule.load_state_dict(checkpoint["schedule"])
        set_rng_state(checkpoint["rng"])
        step = int(checkpoint["step"])
        ctx.log(f"resumed from step {step} of {total}")

    def save(at: int) -> None:
        save_checkpoint(
            ctx.workdir / CHECKPOINT_NAME,
            {
                "kind": kind,
                "model_args": dataclasses.asdict(model.args),
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "schedule": schedule.state_dict(),
                "scaler": None,
                "step": at,
                "config": {k: v for k, v in p.items() if isinstance(v, int | float | str | bool)},
            },
        )

    every = int(p.get("checkpoint_every", 200))
    started, first = time.perf_counter(), step
    model.train()
    while step < total:
        idx = batch_indices(t.seed, step, t.batch_size, len(data.labels))
        x = to_model_batch(data.images[idx], args.image_size, args.channels, device)
        y = torch.from_numpy(data.labels[idx]).to(device)
        # Dropout draws from torch's RNG: seed it per step so a resumed run repeats the same masks.
        torch.manual_seed(t.seed * 1_000_003 + step)
        with ctx.placement.autocast():
            loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        schedule.step()
        step += 1
        rate = (step - first) * t.batch_size / max(1e-9, time.perf_counter() - started)
        ctx.report(step, total, loss=float(loss.detach()), images_s=rate)
        if step % every == 0 and step < total:
            save(step)
    save(total)
    model.eval()
    elapsed = time.perf_counter() - started
    accuracy = evaluate(model, data.test_images, data.test_labels)
    metrics: dict[str, Any] = {
        "test_accuracy": round(accuracy, 4),
        "steps": total,
        "epochs": round(total / per_epoch, 3),
        "images_per_s": round((total - first) * t.batch_size / max(elapsed, 1e-9), 1),
    }
    ctx.log(f"{role} classifier: test accuracy {accuracy:.4f}")
    with ctx.registry.staging(kind) as stage:
        save_classifier(model, stage / "classifier.pt")
        return ctx.registry.publish(
            kind,
            stage,
            metrics=metrics,
            dataset=data.dataset,
            config={"role": role, "model_args": dataclasses.asdict(model.args), **dataclasses.asdict(t)},
            job_id=ctx.job_id,
            promote=bool(p.get("promote", True)),
        )
