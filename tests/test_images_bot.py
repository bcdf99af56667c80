"""Promo cards in a real room: `!image` posts an image frame whose /media URL serves the card PNG (with
its AI label metadata and the catalog price), viewers cannot run it, a product switch posts a card by
itself, and a new GAN version is swapped in. The GAN is a tiny real one trained here on drawn photos."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import numpy as np
import pytest
from PIL import Image

from bot.app import Bot, build_services
from bot.catalog import Catalog, format_price, load_faq
from bot.models import ModelHub
from bot.store import Store
from tests.conftest import RoomServer
from tests.test_bot_room import RunningBot, answer_to, ask, bot_config
from training.context import JobContext
from training.device import place
from training.registry import Registry
from training.train_gan import run as train_gan

pytestmark = pytest.mark.slow


def draw_photos(root: Path) -> Path:
    """A few 24 px drawings per class: a T-shape for T-shirts, a trapezoid for dresses."""
    rng = np.random.default_rng(0)
    for category, rows in (("tshirt", range(4, 10)), ("dress", range(4, 22))):
        folder = root / category
        folder.mkdir(parents=True)
        for i in range(12):
            image = np.zeros((24, 24), np.uint8)
            for y in rows:
                half = 9 if category == "tshirt" and y < 7 else 3 + (y - 4) // 3
                image[y, 12 - half : 12 + half] = 200 + rng.integers(0, 50)
            Image.fromarray(image).save(folder / f"{i}.png")
    return root


def publish_tiny_gan(models: Path, photos: Path, workdir: Path, seed: int = 0, model: str = "cgan") -> str:
    params = {
        "model": model,
        "data": str(photos), "image_size": 16, "steps": 6, "batch_size": 8, "ngf": 8, "ndf": 8, "nz": 16,
        "embed_dim": 8, "seed": seed, "eval_n": 0,
    }  # fmt: skip
    ctx = JobContext("gan", params, place("cpu", threads=1), workdir, Registry(models))
    version = train_gan(ctx)
    assert version is not None
    return version.name


@pytest.fixture
async def bot_with_cards(
    room_server: RoomServer, tmp_path: Path, catalog: Catalog
) -> AsyncIterator[RunningBot]:
    config = bot_config(
        tmp_path,
        room_server.ws_url("r1"),
        "training.workers=0",
        "training.poll_s=0.1",
        "images.pool_size=2",
        "images.card_px=256",
        "rooms.r1.images=true",
        "promo.interval_s=3600",
    )
    photos = draw_photos(tmp_path / "photos")
    await asyncio.to_thread(publish_tiny_gan, config.data_dir / "models", photos, tmp_path / "job")
    store = await Store.open(config.data_dir / "bot.sqlite3")
    hub = await asyncio.to_thread(ModelHub.open, config)
    bot = Bot(config, build_services(config, catalog, load_faq(), store), hub=hub)
    handle = RunningBot(bot, store, asyncio.create_task(bot.run()))
    async with asyncio.timeout(10):
        await handle.runner.transport.connected.wait()
    slot = hub.slots["gan"]
    async with asyncio.timeout(30):
        while slot.version != "v0001":  # noqa: ASYNC110 (the slot loads in a thread; no event to await)
            await asyncio.sleep(0.05)
    yield handle
    if not handle.task.done():
        await handle.stop()


def is_image(frame: dict[str, Any]) -> bool:
    return frame.get("type") == "image" and frame["user"]["role"] == "bot"


async def fetch(room: RoomServer, url: str) -> tuple[str, bytes]:
    async with aiohttp.ClientSession() as http, http.get(room.http_url(url)) as response:
        assert response.status == 200
        return response.content_type, await response.read()


async def test_image_command_posts_a_card_served_from_media(
    bot_with_cards: RunningBot, room_server: RoomServer, open_client: Callable[..., Any], catalog: Catalog
) -> None:
    mod = await open_client(room_server.ws_url("r1"), "场控", token="t-mod")
    product = catalog.by_link(11)  # a dress
    assert product is not None
    await ask(mod, "!image 11")
    frame = await mod.wait_for(is_image, timeout_s=30)
    assert frame["url"].startswith("/media/") and frame["url"].endswith(".png")
    assert "AI生成" in frame["alt"] and product.name in frame["alt"]
    content_type, body = await fetch(room_server, frame["url"])
    assert content_type == "image/png" and body.startswith(b"\x89PNG")
    card = Image.open(io.BytesIO(body))
    assert card.info["AIGC"] == "true" and card.info["sku"] == product.sku
    assert card.info["price"] == f"¥{format_price(product.price)}"
    assert card.info["model_version"] == "gan/v0001" and card.width == 256


async def test_viewers_cannot_post_images(
    bot_with_cards: RunningBot, room_server: RoomServer, open_client: Callable[..., Any]
) -> None:
    viewer = await open_client(room_server.ws_url("r1"), "路人")
    await ask(viewer, "!image 11")
    marker = await ask(viewer, "3号多少钱")
    await viewer.wait_for(answer_to(marker["id"]))
    assert not any(is_image(f) for f in viewer.frames)


async def test_a_product_switch_posts_a_card_and_a_new_gan_is_swapped_in(
    bot_with_cards: RunningBot, room_server: RoomServer, open_client: Callable[..., Any], tmp_path: Path
) -> None:
    host = await open_client(room_server.ws_url("r1"), "主播", token="t-host")
    await host.send(type="product", sku="DR01")
    first = await host.wait_for(is_image, timeout_s=30)
    assert "法式方领小黑裙" in first["alt"]

    hub = bot_with_cards.bot.hub
    assert hub is not None
    models = bot_with_cards.bot.config.data_dir / "models"
    name = await asyncio.to_thread(publish_tiny_gan, models, tmp_path / "photos", tmp_path / "job2", 1)
    async with asyncio.timeout(30):
        while hub.slots["gan"].version != name:  # noqa: ASYNC110 (loaded in a thread)
            await asyncio.sleep(0.05)
    await host.send(type="product", sku="TS01")
    second = await host.wait_for(lambda f: is_image(f) and f["url"] != first["url"], timeout_s=30)
    _, body = await fetch(room_server, second["url"])
    assert Image.open(io.BytesIO(body)).info["model_version"] == f"gan/{name}"


def test_generate_card_and_image_from_the_command_line(tmp_path: Path, catalog: Catalog) -> None:
    from bot.cli import main

    data_dir = tmp_path / "data"
    publish_tiny_gan(data_dir / "models", draw_photos(tmp_path / "photos"), tmp_path / "job")
    setting = f"--set=storage.data_dir={json.dumps(str(data_dir))}"
    out = tmp_path / "card.png"
    assert main(["generate", "card", setting, "--sku", "11", "--out", str(out), "--seed", "3"]) == 0
    with Image.open(out) as card:
        card.load()
    product = catalog.by_link(11)
    assert product is not None and card.info["sku"] == product.sku and card.info["seed"] == "3"
    assert card.info["AIGC"] == "true" and card.info["price"] == f"¥{format_price(product.price)}"
    folder = tmp_path / "samples"
    assert main(["generate", "image", setting, "--category", "dress", "--n", "3", "--out", str(folder)]) == 0
    assert len(list(folder.glob("dress-0-*.png"))) == 3
    assert main(["generate", "image", setting, "--category", "socks", "--n", "1", "--out", str(folder)]) == 2


def test_the_reference_dcgan_publishes_under_its_own_kind(tmp_path: Path) -> None:
    models = tmp_path / "models"
    name = publish_tiny_gan(models, draw_photos(tmp_path / "photos"), tmp_path / "job", model="dcgan")
    assert Registry(models).current_name("gan-reference") == name
    assert Registry(models).current_name("gan") is None  # the bot never serves the reference model
