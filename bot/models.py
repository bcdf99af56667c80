"""The bot's side of training: the job queue, the model registry, the worker pool and the served models.

The bot never trains in its own process. It submits jobs (the recommender refit schedule, `!train`), a pool
of worker processes (when `training.workers` > 0; else a separate `livebot worker`) runs them, and each
served model kind has a `ModelSlot` that hot-swaps the registry's current version.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.config import Config
from bot.images import GanModel, ImagePool, check_gan, load_gan
from bot.inference import ModelCheckError, ModelSlot
from bot.promo_text import check_writer, load_writer
from bot.recommend import SignalWeights, ViewerRecommender, check_model, load_version, write_signals
from bot.store import Store
from training.jobs import JobStore
from training.kinds import check_kind
from training.registry import Registry
from training.worker import WorkerPool, WorkerSpec

log = logging.getLogger(__name__)
SIGNAL_FILES_KEPT = 3


def jobs_path(config: Config) -> Path:
    return config.data_dir / "jobs.sqlite3"


def models_path(config: Config) -> Path:
    return config.data_dir / "models"


def work_path(config: Config) -> Path:
    return config.data_dir / "training"


def open_jobs(config: Config) -> JobStore:
    return JobStore(jobs_path(config))


def open_registry(config: Config) -> Registry:
    return Registry(models_path(config), keep=config.training.keep_versions)


def worker_spec(config: Config, device: str | None = None) -> WorkerSpec:
    t = config.training
    return WorkerSpec(
        index=0,
        jobs_db=jobs_path(config),
        models_dir=models_path(config),
        work_dir=work_path(config),
        device=device or t.device,
        threads=t.threads,
        keep_versions=t.keep_versions,
    )


@dataclass
class ModelHub:
    config: Config
    jobs: JobStore
    registry: Registry
    pool: WorkerPool | None = None
    slots: dict[str, ModelSlot[Any]] = field(default_factory=dict)
    images: ImagePool | None = None
    text: ModelSlot[Any] | None = None  # the promo writer
    _fixed_text: str = ""  # a writer named in the config, loaded once instead of from the registry

    @classmethod
    def open(cls, config: Config, start_workers: bool = True) -> ModelHub:
        """Sync (SQLite, spawning processes): call it through `asyncio.to_thread`."""
        hub = cls(config, open_jobs(config), open_registry(config))
        if start_workers and config.training.workers > 0:
            hub.pool = WorkerPool(worker_spec(config), config.training.workers)
            hub.pool.start()
        else:
            log.info("training.workers = 0: queued jobs wait for `livebot worker`")
        return hub

    def serve_recommender(self, recommender: ViewerRecommender) -> ModelSlot[Any]:
        """Hot-swap `recommender.model` from the registry's current `recommender` version."""

        def swap(model: Any, version: Any) -> None:
            recommender.model = model

        slot: ModelSlot[Any] = ModelSlot("recommender", self.registry, load_version, check_model, swap)
        recommender.slot = slot
        self.slots["recommender"] = slot
        return slot

    def serve_images(self, categories: list[str]) -> ImagePool:
        """Hot-swap the registry's current `gan` version and keep a pool of its images for `categories`."""
        slot: ModelSlot[GanModel] = ModelSlot("gan", self.registry, load_gan, check_gan)
        cfg = self.config.images
        pool = ImagePool(slot, size=cfg.pool_size, card_px=cfg.card_px, font_path=cfg.font_path)
        slot.on_swap = pool.swapped
        pool.want(categories)
        self.slots["gan"] = slot
        self.images = pool
        return pool

    def serve_text(self, source: str = "") -> ModelSlot[Any]:
        """The promo writer: the registry's current `text` version, hot-swapped; or, with `source` (a
        Hugging Face id or a save_pretrained folder), that model, loaded once when `run()` starts."""
        slot: ModelSlot[Any] = ModelSlot("text", self.registry, load_writer, check_writer)
        if source:
            self._fixed_text = source
        else:
            self.slots["text"] = slot
        self.text = slot
        return slot

    async def _load_fixed_text(self) -> None:
        from generation.text.writer import PromoWriter, WriterLoadError

        assert self.text is not None
        try:
            writer = await asyncio.to_thread(PromoWriter.load, self._fixed_text)
            await asyncio.to_thread(check_writer, writer)
        except (WriterLoadError, ModelCheckError) as exc:
            # Promotions go on with templates; the streamer sees why in the log.
            log.error("promo.model: %s; promotions use templates", exc)
            return
        self.text.model, self.text.version = writer, self._fixed_text
        log.info("serving promo writer %s", self._fixed_text)

    async def run(self) -> None:
        """Watch every slot, keep the image pool filled and supervise the workers until cancelled."""
        async with asyncio.TaskGroup() as group:
            if self._fixed_text:
                group.create_task(self._load_fixed_text(), name="model:text")
            for kind, slot in self.slots.items():
                group.create_task(slot.watch(self.config.training.poll_s), name=f"model:{kind}")
            if self.images is not None:
                group.create_task(self.images.run(), name="image-pool")
            if self.pool is not None:
                group.create_task(self._supervise(), name="training-workers")

    async def _supervise(self) -> None:
        assert self.pool is not None
        while True:
            try:
                await asyncio.to_thread(self.pool.poll)
            except Exception:
                log.exception("supervising the training workers failed; trying again")
            await asyncio.sleep(1.0)

    async def close(self) -> None:
        for slot in self.slots.values():
            slot.close()
        if self.text is not None and self._fixed_text:
            self.text.close()
        if self.pool is not None:
            await asyncio.to_thread(self.pool.stop)
        await asyncio.to_thread(self.jobs.close)

    # -- submitting -------------------------------------------------------------------------------
    async def submit(self, kind: str, params: dict[str, Any], source: str) -> int:
        check_kind(kind)
        return await asyncio.to_thread(
            self.jobs.submit, kind, params, source, self.config.training.max_retries
        )

    async def submit_refit(self, store: Store, source: str = "schedule") -> int | None:
        """Export the signal log and queue a `recommender` job on it; None when one is already waiting or
        there is nothing to learn from yet."""
        if await asyncio.to_thread(self.jobs.pending, "recommender"):
            return None
        rows = await store.query(
            lambda db: db.execute(
                "SELECT viewer, sku, kind, ts_ms FROM signals ORDER BY id DESC LIMIT 500000"
            ).fetchall()
        )
        if len({sku for _, sku, _, _ in rows}) < 2:
            return None
        rc = self.config.recommender
        weights = SignalWeights(ask=rc.ask_weight, click=rc.click_weight, purchase=rc.purchase_weight)
        path = work_path(self.config) / "inputs" / f"signals-{int(time.time() * 1000)}.csv"
        count = await asyncio.to_thread(write_signals, rows, weights, path)
        await asyncio.to_thread(_prune_inputs, path.parent)
        job = await self.submit("recommender", {"data": str(path), "model": rc.model}, source)
        log.info("queued recommender job %d on %d signals", job, count)
        return job


def _prune_inputs(folder: Path) -> None:
    files = sorted(folder.glob("signals-*.csv"))
    for old in files[:-SIGNAL_FILES_KEPT]:
        with contextlib.suppress(OSError):
            old.unlink()
