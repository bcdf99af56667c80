"""Kind `recommender`: fit a collaborative-filtering model on an interaction file and publish it.

Parameters: `data` (a CSV of user_id,item_id,timestamp[,weight], MovieLens `u.data` or Taobao
UserBehavior; the bot writes its signal log in the first form), `model` (popularity|itemknn|als|ease|
two_tower|hybrid members' names as in `recommender.base`), `config` (the model's hyper-parameters).

Before the final fit on everything, the model is fitted once on a leave-last-out split, so the manifest
carries an honest NDCG@10 next to popularity's on the same split (the bot's operators compare versions by it).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from recommender.base import model_class
from recommender.evaluate import prepare
from recommender.interactions import Events, Interactions
from recommender.metrics import ranking_metrics
from recommender.readers import read_events
from recommender.tuning import top_k_indices
from training.context import JobContext
from training.registry import Version, fingerprint

KIND = "recommender"
MIN_USERS_FOR_METRICS = 10


def holdout_metrics(events: Events, name: str, config: dict[str, Any], k: int = 10) -> dict[str, float]:
    """NDCG@k and HR@k of `name` and of popularity on a leave-last-out split (empty when too small)."""
    _, counts = np.unique(events.users, return_counts=True)
    if int((counts >= 3).sum()) < MIN_USERS_FOR_METRICS:
        return {}
    exp = prepare(events, "leave-last-out")
    if not len(exp.test):
        return {}
    out: dict[str, float] = {"holdout_users": float(len(exp.test))}
    for label, model in (("model", model_class(name)(**config)), ("popularity", model_class("popularity")())):
        model.fit(exp.train)
        top = top_k_indices(model, exp.train, exp.test.users, k)
        metrics = ranking_metrics(top, exp.test, k, exp.train.n_items)
        out[f"{label}_ndcg@{k}"] = round(float(metrics[f"ndcg@{k}"]), 6)
        out[f"{label}_hr@{k}"] = round(float(metrics[f"hr@{k}"]), 6)
    return out


def run(ctx: JobContext) -> Version | None:
    params = ctx.params
    if "data" not in params:
        raise ValueError("recommender job: parameter 'data' (an interaction file) is required")
    data = Path(params["data"])
    name = str(params.get("model", "itemknn"))
    config = dict(params.get("config", {}))
    model_class(name)  # an unknown name fails here, before any reading
    total = 3
    ctx.report(0, total, force=True)
    events = read_events(data)
    if events.bad_rows:
        ctx.log(f"{data}: skipped {len(events.bad_rows)} bad rows; first: {events.bad_rows[0]}")
    if len(np.unique(events.items)) < 2:
        raise ValueError(f"{data}: {len(events)} interactions over fewer than 2 items; nothing to learn")
    ctx.report(1, total, force=True, interactions=float(len(events)))
    metrics = holdout_metrics(events, name, config)
    ctx.report(2, total, force=True, **metrics)
    started = time.perf_counter()
    model = model_class(name)(**config).fit(Interactions.from_events(events))
    metrics.update(
        fit_s=round(time.perf_counter() - started, 3),
        users=float(model.interactions.n_users),
        items=float(model.interactions.n_items),
        interactions=float(len(events)),
    )
    ctx.report(total, total, force=True, **metrics)
    if not ctx.is_main:
        return None
    with ctx.registry.staging(KIND) as stage:
        model.save(stage / "model")
        return ctx.registry.publish(
            KIND,
            stage,
            metrics=metrics,
            dataset=fingerprint([data]),
            config={"model": name, **config, "data": str(data)},
            job_id=ctx.job_id,
            promote=bool(params.get("promote", True)),
        )
