"""Models the bot serves from the training registry, hot-swapped without a restart.

A `ModelSlot` watches one kind's CURRENT pointer. When it names a new version, the slot loads that version
in a thread, checks it (it loads, one real inference runs, the output has the expected shape) and only then
swaps its one reference; a version that fails is refused with a log line, remembered, and the old model
keeps serving. Inference goes through the slot's own single-thread executor with the reference taken at
call time, so calls in flight finish on the model they started with.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from training.registry import Registry, Version

log = logging.getLogger(__name__)
M = TypeVar("M")
R = TypeVar("R")


class ModelCheckError(RuntimeError):
    """A new version that loads but does not behave (wrong shapes, non-finite scores)."""


@dataclass
class ModelSlot(Generic[M]):
    kind: str
    registry: Registry
    load: Callable[[Version], M]  # sync; runs in a thread
    check: Callable[[M], None]  # sync; one real inference; raises on a bad model
    on_swap: Callable[[M, Version], None] | None = None
    model: M | None = None
    version: str | None = None
    refused: dict[str, str] = field(default_factory=dict)  # version -> why
    swaps: int = 0
    _executor: ThreadPoolExecutor | None = None

    @property
    def executor(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"model-{self.kind}")
        return self._executor

    async def run(self, fn: Callable[[M | None], R]) -> R:
        """Call `fn(model)` in this model's executor with the model serving right now."""
        model = self.model
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, model)

    async def refresh(self) -> bool:
        """Swap in the registry's current version if it is new and passes its check; True on a swap."""
        name = await asyncio.to_thread(self.registry.current_name, self.kind)
        if name is None or name == self.version or name in self.refused:
            return False
        try:
            version, model = await asyncio.to_thread(self._load_checked, name)
        except Exception as exc:
            # Keep serving the old model: a broken publish must never take answers down.
            reason = f"{type(exc).__name__}: {exc}"
            self.refused[name] = reason
            log.error(
                "refused %s %s (%s); still serving %s", self.kind, name, reason, self.version or "nothing"
            )
            return False
        previous, self.model, self.version = self.version, model, name
        self.swaps += 1
        if self.on_swap is not None:
            self.on_swap(model, version)
        log.info("serving %s %s (was %s)", self.kind, name, previous or "nothing")
        return True

    def _load_checked(self, name: str) -> tuple[Version, M]:
        version = self.registry.get(self.kind, name)
        damaged = self.registry.verify(version)
        if damaged:
            raise ModelCheckError(f"files changed since publishing: {', '.join(damaged)}")
        model = self.load(version)
        self.check(model)
        return version, model

    async def watch(self, poll_s: float) -> None:
        """Refresh forever (the owner cancels this task at shutdown)."""
        while True:
            try:
                await self.refresh()
            except Exception:
                log.exception("checking the registry for %s failed; trying again", self.kind)
            await asyncio.sleep(poll_s)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
