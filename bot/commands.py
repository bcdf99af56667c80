"""Chat commands: a table of commands, each with role checks, cooldowns and argument parsing.

Order for every invocation (as discord.py's Command.prepare): known? -> role check -> cooldowns -> args.
A viewer who tries a staff command gets silence: answering would invite spam.
"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace

from bot import __version__
from bot.catalog import Catalog, Product, format_price
from bot.checks import BROADCASTER_ONLY, EVERYONE, STAFF, has_role
from bot.config import FEATURES
from bot.events import ChatEvent, Outgoing, PostImage, Priority, Reply, Role, SwitchProduct
from bot.models import ModelHub
from bot.ratelimit import Cooldowns
from bot.recommend import ViewerRecommender
from bot.room import RoomState
from bot.store import Store
from generation.images.fonts import FontNotFoundError

log = logging.getLogger(__name__)


# Kinds whose data the bot knows without arguments: the signal log, or the paths in config.
TRAINABLE_FROM_CHAT = ("recommender", "text", "gan", "classifier")


class UsageError(ValueError):
    """Arguments that do not fit the command; the message is shown to the caller."""


@dataclass
class CommandContext:
    room: RoomState
    event: ChatEvent
    store: Store
    catalog: Catalog
    lang: str
    recommender: ViewerRecommender | None = None
    hub: ModelHub | None = None

    def say(self, zh: str, en: str) -> Reply:
        return Reply(
            self.room.name,
            zh if self.lang == "zh" else en,
            priority=Priority.COMMAND,
            mention=(self.event.user.name,),
            reply_to=self.event.id,
        )

    def audit(self, action: str, detail: dict[str, object]) -> None:
        self.store.audit(self.room.name, f"{self.event.user.role}:{self.event.user.name}", action, detail)


Handler = Callable[[CommandContext, list[str]], Awaitable[list[Outgoing]] | list[Outgoing]]


@dataclass
class Command:
    name: str
    handler: Handler
    roles: frozenset[Role] = EVERYONE
    aliases: tuple[str, ...] = ()
    usage: str = ""
    help_zh: str = ""
    help_en: str = ""
    user_cooldown_s: float | None = None
    room_cooldown_s: float | None = None


@dataclass
class CommandTable:
    prefix: str = "!"
    user_cooldown_s: float = 3.0
    room_cooldown_s: float = 1.0
    commands: dict[str, Command] = field(default_factory=dict)
    _lookup: dict[str, Command] = field(default_factory=dict)
    _cooldowns: dict[tuple[str, str], Cooldowns] = field(default_factory=dict)

    def add(self, command: Command) -> None:
        for key in (command.name, *command.aliases):
            if key in self._lookup:
                raise ValueError(f"command name {key!r} is taken")
            self._lookup[key] = command
        self.commands[command.name] = command

    def parse(self, text: str) -> tuple[Command, list[str]] | None:
        if not text.startswith(self.prefix):
            return None
        words = text[len(self.prefix) :].split()
        if not words:
            return None
        command = self._lookup.get(words[0].lower())
        return (command, words[1:]) if command else None

    def visible_to(self, role: Role) -> list[Command]:
        return [c for c in self.commands.values() if role in c.roles]

    async def dispatch(self, ctx: CommandContext, now: float | None = None) -> list[Outgoing]:
        parsed = self.parse(ctx.event.text.strip())
        if parsed is None:
            return []
        command, args = parsed
        user = ctx.event.user
        if not has_role(user, command.roles):
            log.info("[%s] %s (%s) may not run !%s", ctx.room.name, user.name, user.role, command.name)
            return []
        now = time.monotonic() if now is None else now
        per_user = self._cooldown(command, "user")
        per_room = self._cooldown(command, "room")
        user_key = f"{ctx.room.name}:{user.uid}"
        # Staff are never slowed by the room-wide cooldown: it protects the room from viewers.
        if per_user.remaining_s(user_key, now) > 0 or (
            user.role not in STAFF and per_room.remaining_s(ctx.room.name, now) > 0
        ):
            return []
        per_user.hit(user_key, now)
        per_room.hit(ctx.room.name, now)
        try:
            result = command.handler(ctx, args)
            if inspect.isawaitable(result):
                result = await result
        except UsageError as exc:
            usage = f"{self.prefix}{command.name} {command.usage}".strip()
            return [ctx.say(f"用法：{usage}（{exc}）", f"Usage: {usage} ({exc})")]
        return list(result)

    def _cooldown(self, command: Command, scope: str) -> Cooldowns:
        key = (command.name, scope)
        if key not in self._cooldowns:
            default = self.user_cooldown_s if scope == "user" else self.room_cooldown_s
            own = command.user_cooldown_s if scope == "user" else command.room_cooldown_s
            self._cooldowns[key] = Cooldowns(default if own is None else own)
        return self._cooldowns[key]


def parse_switch(value: str) -> bool:
    lowered = value.lower()
    if lowered in ("on", "开", "开启", "1", "true", "yes"):
        return True
    if lowered in ("off", "关", "关闭", "0", "false", "no"):
        return False
    raise UsageError(f"on 或 off / on or off, not {value!r}")


def resolve_product(catalog: Catalog, arg: str) -> Product | None:
    """SKU, link number, or "3号" / "#3" / "link3"."""
    stripped = arg.strip().lstrip("#").removesuffix("号链接").removesuffix("号").removeprefix("link")
    if stripped.isdigit():
        return catalog.by_link(int(stripped))
    return catalog.by_sku(arg.strip())


# -- the built-in commands ------------------------------------------------------------------------
def cmd_help(table: CommandTable) -> Handler:
    def run(ctx: CommandContext, args: list[str]) -> list[Outgoing]:
        names = " ".join(f"{table.prefix}{c.name}" for c in table.visible_to(ctx.event.user.role))
        return [ctx.say(f"可用命令：{names}", f"Commands: {names}")]

    return run


def cmd_status(ctx: CommandContext, args: list[str]) -> list[Outgoing]:
    room = ctx.room
    on = [f for f in FEATURES if room.features.get(f)]
    product = ctx.catalog.by_sku(room.current_sku) if room.current_sku else None
    current = f"{product.link}号 {product.name}" if product else "-"
    s = room.stats
    p99 = s.answer_ms_p(0.99)
    zh = (
        f"livebot {__version__} {'运行中' if room.enabled else '已暂停'} | 功能：{','.join(on) or '无'} | "
        f"当前商品：{current} | 已处理{s.handled}条，已发送{s.sent}条，排队{room.queued}条"
        + (f" | 回答耗时p99 {p99:.1f}ms" if p99 is not None else "")
    )
    en = (
        f"livebot {__version__} {'on' if room.enabled else 'paused'} | features: {','.join(on) or 'none'} | "
        f"on screen: {current} | handled {s.handled}, sent {s.sent}, queued {room.queued}"
        + (f" | answer time p99 {p99:.1f} ms" if p99 is not None else "")
    )
    return [ctx.say(zh, en)]


def cmd_bot(ctx: CommandContext, args: list[str]) -> list[Outgoing]:
    if len(args) != 1:
        raise UsageError("需要 on 或 off / needs on or off")
    ctx.room.enabled = parse_switch(args[0])
    ctx.store.set_setting(ctx.room.name, "enabled", ctx.room.enabled)
    ctx.audit("bot", {"enabled": ctx.room.enabled})
    if ctx.room.enabled:
        return [ctx.say("机器人已开启", "Bot is on")]
    return [ctx.say("机器人已暂停（管理命令仍可用）", "Bot paused (moderator commands still work)")]


def cmd_feature(ctx: CommandContext, args: list[str]) -> list[Outgoing]:
    if len(args) != 2 or args[0].lower() not in FEATURES:
        raise UsageError(f"功能为 {'|'.join(FEATURES)} / feature is one of {'|'.join(FEATURES)}")
    name, value = args[0].lower(), parse_switch(args[1])
    ctx.room.features[name] = value
    ctx.store.set_setting(ctx.room.name, f"feature.{name}", value)
    ctx.audit("feature", {"feature": name, "on": value})
    state_zh, state_en = ("开", "on") if value else ("关", "off")
    return [ctx.say(f"{name} 已{state_zh}", f"{name} is {state_en}")]


def cmd_product(ctx: CommandContext, args: list[str]) -> list[Outgoing]:
    if len(args) != 1:
        raise UsageError("需要 SKU 或链接号 / needs a SKU or link number")
    product = resolve_product(ctx.catalog, args[0])
    if product is None:
        return [ctx.say(f"没有找到商品 {args[0]}", f"No product {args[0]}")]
    ctx.audit("product", {"sku": product.sku})
    price = format_price(product.price)
    return [
        SwitchProduct(ctx.room.name, product.sku),
        ctx.say(
            f"已切换到 {product.link}号 {product.name} ¥{price}",
            f"Now showing link {product.link} {product.name} ¥{price}",
        ),
    ]


async def cmd_queue(ctx: CommandContext, args: list[str]) -> list[Outgoing]:
    """The questions the bot did not answer, oldest first, for the streamer to pick up."""
    if args and args[0].lower() in ("clear", "清空"):
        removed = await ctx.store.clear_queue(ctx.room.name)
        ctx.audit("queue_clear", {"removed": removed})
        return [ctx.say(f"已清空待答问题（{removed}条）", f"Cleared {removed} queued questions")]
    if args:
        raise UsageError("只能跟 clear / only 'clear' may follow")
    queued = await ctx.store.queued_questions(ctx.room.name, limit=5)
    total = await ctx.store.count("question_queue", ctx.room.name)
    if not queued:
        return [ctx.say("没有待答问题", "No questions waiting")]
    items = " | ".join(f"{q['name']}: {q['text']}" for q in queued)
    return [ctx.say(f"待答{total}条：{items}", f"{total} waiting: {items}")]


async def cmd_recommend(ctx: CommandContext, args: list[str]) -> list[Outgoing]:
    """Up to three in-stock products for the asking viewer, from the recommender."""
    if ctx.recommender is None:
        skus = [p.sku for p in ctx.catalog.in_stock()[:3]]
    else:
        skus = await ctx.recommender.pick_async(ctx.event.user.uid, ctx.room.current_sku, n=3)
    products = [p for p in (ctx.catalog.by_sku(s) for s in skus) if p is not None]
    if not products:
        return [ctx.say("现在没有可推荐的现货", "Nothing in stock to recommend right now")]
    zh = "；".join(f"{p.link}号 {p.name} ¥{format_price(p.price)}" for p in products)
    en = "; ".join(f"link {p.link} {p.name} ¥{format_price(p.price)}" for p in products)
    reply = ctx.say(f"你可能喜欢：{zh}", f"You might like: {en}")
    return [replace(reply, priority=Priority.ANSWER)]


async def cmd_train(ctx: CommandContext, args: list[str]) -> list[Outgoing]:
    """Queue a training job; the recommender refits on the room's signal log, other kinds on their
    configured data. The new version is served as soon as it passes its check."""
    if len(args) != 1:
        raise UsageError(f"需要模型种类 / needs a kind: {'|'.join(TRAINABLE_FROM_CHAT)}")
    kind = args[0].lower()
    if kind not in TRAINABLE_FROM_CHAT:
        raise UsageError(f"未知种类 {kind} / unknown kind; one of {'|'.join(TRAINABLE_FROM_CHAT)}")
    if ctx.hub is None:
        return [ctx.say("训练未启用", "Training is not enabled in this bot")]
    if kind == "recommender":
        job = await ctx.hub.submit_refit(ctx.store, source=f"chat:{ctx.room.name}")
        if job is None:
            return [
                ctx.say(
                    "推荐模型已在训练队列中，或还没有足够的互动数据",
                    "A recommender job is already queued, or there are not enough signals yet",
                )
            ]
    else:
        job = await ctx.hub.submit(kind, {}, source=f"chat:{ctx.room.name}")
    ctx.audit("train", {"kind": kind, "job": job})
    return [ctx.say(f"已排队训练 {kind}（任务 #{job}）", f"Queued {kind} training (job #{job})")]


async def cmd_image(ctx: CommandContext, args: list[str]) -> list[Outgoing]:
    """Post a promo card (a generated image with the product's facts) for a product or the one on screen."""
    if len(args) > 1:
        raise UsageError("最多一个 SKU 或链接号 / at most one SKU or link number")
    sku = args[0] if args else ctx.room.current_sku
    product = resolve_product(ctx.catalog, sku) if sku else None
    if product is None:
        return [
            ctx.say("没有找到要配图的商品", "No product to make a card for (name one, or put one on screen)")
        ]
    pool = ctx.hub.images if ctx.hub is not None else None
    try:
        card = await pool.card(product, ctx.lang) if pool is not None else None
    except FontNotFoundError as exc:
        log.error("!image: %s", exc)
        return [
            ctx.say(
                "服务器缺少中文字体，无法生成配图", "The server has no CJK font for cards (see the bot's log)"
            )
        ]
    if card is None:
        return [
            ctx.say(
                "还没有可用的图片模型（livebot train gan），或这个品类没有图片",
                "No image model yet (livebot train gan), or none for this category",
            )
        ]
    ctx.audit("image", {"sku": product.sku, "gan": card.version, "seed": card.seed})
    return [PostImage(ctx.room.name, "", card.alt, data=card.png, priority=Priority.COMMAND)]


def default_commands(
    prefix: str = "!", user_cooldown_s: float = 3.0, room_cooldown_s: float = 1.0
) -> CommandTable:
    table = CommandTable(prefix=prefix, user_cooldown_s=user_cooldown_s, room_cooldown_s=room_cooldown_s)
    table.add(
        Command("help", cmd_help(table), EVERYONE, ("帮助",), help_zh="命令列表", help_en="list commands")
    )
    table.add(Command("status", cmd_status, STAFF, ("状态",), help_zh="机器人状态", help_en="bot status"))
    table.add(Command("bot", cmd_bot, STAFF, usage="on|off", user_cooldown_s=0.0))
    table.add(
        Command(
            "feature", cmd_feature, STAFF, usage="answers|promo|images|recommend on|off", user_cooldown_s=0.0
        )
    )
    table.add(Command("product", cmd_product, STAFF, ("商品",), usage="SKU|LINK", user_cooldown_s=0.0))
    table.add(
        Command(
            "queue", cmd_queue, STAFF, ("待答",), usage="[clear]", help_zh="待答问题", help_en="unanswered"
        )
    )
    table.add(
        Command(
            "image",
            cmd_image,
            STAFF,
            ("图片", "配图"),
            usage="[SKU|LINK]",
            help_zh="发商品配图",
            help_en="post a promo card",
            user_cooldown_s=5.0,
        )
    )
    table.add(
        Command(
            "train",
            cmd_train,
            BROADCASTER_ONLY,
            ("训练",),
            usage="|".join(TRAINABLE_FROM_CHAT),
            help_zh="排队训练模型",
            help_en="queue model training",
            user_cooldown_s=10.0,
        )
    )
    return table
