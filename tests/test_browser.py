"""The embedded room's viewer page in headless Chromium, against a real room and the real bot on loopback."""

from __future__ import annotations

import os
import shutil
import struct
import tempfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from bot.catalog import Catalog, format_price
from tests import test_bot_room
from tests.conftest import RoomServer

# The real bot, started exactly as tests/test_bot_room.py does; bound here so pytest sees the fixture.
start_bot = test_bot_room.start_bot

pytestmark = [pytest.mark.browser, pytest.mark.timeout(60)]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 10_000  # generous for a loaded CI machine; on loopback everything lands in well under a second
HOSTILE = "<img src=x onerror=alert(1)><b>bold</b>"


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.is_file():
        reason = f"{CHROMIUM} is absent: install the Debian package chromium (apt-get install chromium)"
        if os.environ.get("LIVEBOT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"LIVEBOT_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture
async def browser(chromium: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            await browser.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    """A fresh phone-sized page; any uncaught script error or alert() fails the test at teardown."""
    context = await browser.new_context(viewport={"width": 420, "height": 760}, locale="zh-CN")
    context.set_default_timeout(WAIT_MS)
    page = await context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    async def on_dialog(dialog: Any) -> None:
        problems.append(f"dialog: {dialog.message}")
        await dialog.dismiss()

    page.on("dialog", on_dialog)
    yield page
    await context.close()
    assert problems == []


def room_url(server: RoomServer, name: str = "") -> str:
    return server.http_url("/rooms/r1") + (f"?name={quote(name)}" if name else "")


async def enter(page: Page, server: RoomServer, name: str) -> None:
    await page.goto(room_url(server, name))
    await expect(page.locator("#status")).to_have_text("connected", timeout=WAIT_MS)


async def say(page: Page, text: str) -> None:
    await page.locator("#input").fill(text)
    await page.locator("#input").press("Enter")
    await expect(page.locator("#chat .msg.mine .text").filter(has_text=text).last).to_be_visible()


async def test_viewer_asks_a_price_and_sees_the_bots_answer(
    room_server: RoomServer, start_bot: Callable[..., Any], catalog: Catalog, page: Page
) -> None:
    await start_bot(room_server.ws_url("r1"))
    product = catalog.by_link(3)
    assert product is not None

    # No ?name= in the link: the page asks for a display name first.
    await page.goto(room_url(room_server))
    await expect(page.locator("#join")).to_be_visible()
    await page.locator("#name").fill("小美")
    await page.locator("#join-button").click()
    await expect(page.locator("#join")).to_be_hidden()
    await expect(page.locator("#status")).to_have_text("connected")
    await expect(page.locator("#me")).to_have_text("小美")

    await page.locator("#input").fill("3号多少钱")
    await page.locator("#send").click()

    answer = page.locator('#chat .msg[data-role="bot"]').last
    price = f"¥{format_price(product.price)}"
    await expect(answer.locator(".text")).to_contain_text(price, timeout=WAIT_MS)
    await expect(answer.locator(".text")).to_contain_text("@小美")
    await expect(answer.locator(".badge")).to_have_text("助手")
    await expect(answer.locator(".reply")).to_have_text("回复 @小美")
    question = page.locator("#chat .msg.mine")
    await expect(question.locator(".text")).to_have_text("3号多少钱")
    await expect(page.locator("#input")).to_have_value("")


async def test_chat_text_is_shown_as_text_never_as_markup(room_server: RoomServer, page: Page) -> None:
    await enter(page, room_server, "mallory")
    await say(page, HOSTILE)
    shown = page.locator("#chat .msg.mine .text")
    await expect(shown).to_have_count(1)
    assert await shown.evaluate("node => node.textContent") == HOSTILE
    assert await shown.evaluate("node => node.childElementCount") == 0
    await expect(page.locator("#chat img")).to_have_count(0)
    await expect(page.locator("#chat b")).to_have_count(0)


async def test_product_switch_and_moderator_delete_reach_the_page(
    room_server: RoomServer, open_client: Callable[..., Any], catalog: Catalog, page: Page
) -> None:
    await enter(page, room_server, "小红")
    host = await open_client(room_server.ws_url("r1"), "host", token="t-host")
    mod = await open_client(room_server.ws_url("r1"), "mod", token="t-mod")

    for link in (7, 12):  # twice, so the card is really replaced and not just shown once
        product = catalog.by_link(link)
        assert product is not None
        await host.send(type="product", sku=product.sku)
        card = page.locator("#product")
        await expect(card).to_be_visible()
        await expect(card).to_have_attribute("data-sku", product.sku)
        await expect(card.locator(".name")).to_have_text(product.name)
        await expect(card.locator(".price")).to_have_text(f"¥{format_price(product.price)}")
        await expect(card.locator(".link")).to_have_text(f"{link}号链接")

    await say(page, "这条会被删掉")
    await say(page, "这条留着")
    doomed = await mod.wait_for(lambda f: f.get("type") == "chat" and f["text"] == "这条会被删掉")
    kept = await mod.wait_for(lambda f: f.get("type") == "chat" and f["text"] == "这条留着")
    await expect(page.locator(f'#chat .msg[data-id="{doomed["id"]}"]')).to_be_visible()

    await mod.send(type="delete", id=doomed["id"])
    await expect(page.locator(f'#chat .msg[data-id="{doomed["id"]}"]')).to_have_count(0)
    await expect(page.locator("#chat .text").filter(has_text="这条会被删掉")).to_have_count(0)
    await expect(page.locator(f'#chat .msg[data-id="{kept["id"]}"] .text')).to_have_text("这条留着")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def test_screenshot_of_a_chinese_chat(
    room_server: RoomServer,
    open_client: Callable[..., Any],
    start_bot: Callable[..., Any],
    catalog: Catalog,
    page: Page,
    tmp_path: Path,
) -> None:
    await start_bot(room_server.ws_url("r1"))
    host = await open_client(room_server.ws_url("r1"), "主播小王", token="t-host")
    friend = await open_client(room_server.ws_url("r1"), "路人甲")
    product = catalog.by_link(8)
    assert product is not None
    await host.send(type="product", sku=product.sku)
    await enter(page, room_server, "小美")
    await expect(page.locator("#product .name")).to_have_text(product.name)

    await friend.send(type="chat", text="主播今天穿的好好看！")
    await expect(page.locator("#chat .text").filter(has_text="好好看")).to_be_visible()
    await say(page, "8号多少钱")
    price = f"¥{format_price(product.price)}"
    bot_text = page.locator('#chat .msg[data-role="bot"] .text')
    await expect(bot_text.last).to_contain_text(price, timeout=WAIT_MS)
    await host.send(type="chat", text="羊毛的，很暖和，今天下单包邮～")
    await expect(page.locator("#chat .text").filter(has_text="包邮")).to_be_visible()

    shot = tmp_path / "room.png"
    await page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    width, height = png_size(data)
    assert (width, height) >= (420, 760)
    assert len(data) > 10_000  # a blank or broken page compresses to a few hundred bytes
    # A copy for humans, to check by eye that the Chinese text renders (no tofu boxes).
    shutil.copyfile(shot, Path(tempfile.gettempdir()) / "livebot-room.png")
