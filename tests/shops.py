"""Small shops written inline for tests: catalog rows under the catalog's header, an answerer on them."""

from __future__ import annotations

from pathlib import Path

from bot.catalog import load_catalog, load_faq
from bot.qa.answerer import Answerer

HEADER = "link,sku,name,category,price,original_price,stock,sizes,colors,material,ship_hours,free_shipping,description"


def listings(tmp_path: Path, rows: list[str], faq: str | None = None) -> Answerer:
    """An answerer (seed 0) on catalog rows under HEADER, and optionally a FAQ CSV's text."""
    (tmp_path / "catalog.csv").write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    if faq is None:
        return Answerer(load_catalog(tmp_path / "catalog.csv"), seed=0)
    (tmp_path / "faq.csv").write_text(faq, encoding="utf-8")
    return Answerer(load_catalog(tmp_path / "catalog.csv"), load_faq(tmp_path / "faq.csv"), seed=0)
