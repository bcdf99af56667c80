"""What a training function sees of the world: parameters, placement, a folder, progress and stop requests.

The same training function runs in the foreground (`livebot train KIND`, a tqdm bar), in a worker process
(progress and log lines go to the job table, cancel requests come from it) and under torchrun (only rank 0
reports, writes checkpoints and publishes).
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from training.device import Placement
from training.jobs import JobStore
from training.registry import Registry

log = logging.getLogger(__name__)


class JobCancelled(Exception):
    """Someone cancelled the job; the loop stops without publishing."""


class JobInterrupted(Exception):
    """The worker is shutting down; the job goes back to the queue and resumes from its checkpoint."""


@dataclass
class Progress:
    """Throttled progress with an ETA from the steps done in this attempt (a resumed job's early steps
    were done by an earlier attempt and say nothing about this one's speed)."""

    every_s: float = 1.0
    _t0: float = field(default_factory=time.monotonic)
    _first_step: int | None = None
    _last: float = 0.0

    def eta(self, step: int, total: int) -> float | None:
        if self._first_step is None:
            self._first_step, self._t0 = step, time.monotonic()
            return None
        done = step - self._first_step
        if done <= 0 or total <= step:
            return 0.0 if total <= step else None
        return (time.monotonic() - self._t0) / done * (total - step)

    def due(self, force: bool = False) -> bool:
        now = time.monotonic()
        if force or now - self._last >= self.every_s:
            self._last = now
            return True
        return False


@dataclass
class JobContext:
    """Base: foreground runs use it as is (a tqdm bar when `bar` is set)."""

    kind: str
    params: dict[str, Any]
    placement: Placement
    workdir: Path
    registry: Registry
    job_id: int | None = None
    rank: int = 0
    world_size: int = 1
    bar: bool = False
    progress: Progress = field(default_factory=Progress)
    _tqdm: Any = None

    @property
    def is_main(self) -> bool:
        """Only rank 0 reports, writes checkpoints and publishes."""
        return self.rank == 0

    def report(
        self, step: int, total: int, force: bool = False, check: bool = True, **metrics: float
    ) -> None:
        """Call every step; reports at most once a second, and raises when asked to stop (unless
        `check=False`: a DDP loop agrees on stopping across ranks itself)."""
        eta = self.progress.eta(step, total)
        if self.is_main and self.progress.due(force):
            clean = {k: (round(v, 6) if math.isfinite(v) else str(v)) for k, v in metrics.items()}
            self._emit(step, total, clean, eta)
        if check:
            self.check()

    def check(self) -> None:
        """Raise JobCancelled / JobInterrupted when the job should stop (cheap, throttled)."""
        reason = self.stop_reason()
        if reason == "cancel":
            raise JobCancelled(f"job {self.job_id} cancelled")
        if reason == "interrupt":
            raise JobInterrupted("worker shutting down")

    def stop_reason(self) -> str | None:
        """ "cancel", "interrupt" or None, without raising: DDP ranks agree on it before they stop."""
        return None

    def log(self, message: str) -> None:
        if self.is_main:
            log.info("[%s] %s", self.kind, message)

    def _emit(self, step: int, total: int, metrics: dict[str, Any], eta_s: float | None) -> None:
        if not self.bar:
            return
        if self._tqdm is None:
            from tqdm import tqdm

            self._tqdm = tqdm(total=total, desc=self.kind, unit="step", dynamic_ncols=True)
        self._tqdm.total = total
        self._tqdm.n = step
        self._tqdm.set_postfix(metrics, refresh=False)
        self._tqdm.refresh()

    def close(self) -> None:
        if self._tqdm is not None:
            self._tqdm.close()
            self._tqdm = None


@dataclass
class WorkerContext(JobContext):
    """A job in a worker process: progress, log lines and cancel requests go through the job table."""

    store: JobStore | None = None
    stop_requested: Any = None  # a multiprocessing.Event set when the pool shuts down
    check_every_s: float = 0.5
    _cancel: bool = False
    _last_check: float = 0.0

    def check(self) -> None:
        if self.stop_requested is not None and self.stop_requested.is_set():
            raise JobInterrupted("worker shutting down")
        now = time.monotonic()
        if (
            self.store is not None
            and self.job_id is not None
            and now - self._last_check >= self.check_every_s
        ):
            self._last_check = now
            self._cancel = self._cancel or self.store.cancel_requested(self.job_id)
        if self._cancel:
            raise JobCancelled(f"job {self.job_id} cancelled")

    def log(self, message: str) -> None:
        super().log(message)
        if self.store is not None and self.job_id is not None:
            self.store.log(self.job_id, message)

    def _emit(self, step: int, total: int, metrics: dict[str, Any], eta_s: float | None) -> None:
        super()._emit(step, total, metrics, eta_s)
        if self.store is not None and self.job_id is not None:
            self._cancel = self._cancel or self.store.progress(self.job_id, step, total, metrics, eta_s)
