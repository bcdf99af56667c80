"""`livebot evaluate gan` and `livebot generate image|card`: the image models from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bot.catalog import load_catalog
from bot.cli_training import _print
from bot.config import Config
from bot.images import alt_text, load_gan
from bot.models import open_registry


def add_evaluate_parser(targets: Any, common: argparse.ArgumentParser) -> None:
    gan = targets.add_parser(
        "gan", parents=[common], help="quality of the current GAN, graded by the project's classifiers"
    )
    gan.add_argument(
        "--data", metavar="DIR", help="Fashion-MNIST folder (default: ../shared/data/fashion_mnist)"
    )
    gan.add_argument("--n", type=int, default=1000, help="images to generate (default 1000)")
    gan.add_argument("--version", help="a gan version (default: the current one)")
    gan.add_argument("--seed", type=int, default=12345)
    gan.add_argument("--json", action="store_true")


def add_generate_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    generate = sub.add_parser("generate", help="generate product images or promo cards")
    what = generate.add_subparsers(dest="what", required=True)
    image = what.add_parser("image", parents=[common], help="raw samples of one category as PNG files")
    image.add_argument("--category", required=True)
    image.add_argument("--n", type=int, default=8)
    image.add_argument("--out", required=True, metavar="DIR")
    image.add_argument("--seed", type=int, default=0)
    image.add_argument("--px", type=int, default=0, help="upscale to this size (default: the model's)")
    image.add_argument("--json", action="store_true")
    card = what.add_parser("card", parents=[common], help="a promo card PNG for one catalog product")
    card.add_argument("--catalog", metavar="FILE", help="default: catalog.path (the demo catalog)")
    card.add_argument("--sku", required=True, help="SKU or link number")
    card.add_argument("--out", required=True, metavar="FILE.png")
    card.add_argument("--seed", type=int, default=0)
    card.add_argument("--lang", choices=("zh", "en"), default="zh")
    for parser in (image, card):
        parser.add_argument("--version", help="a gan version (default: the current one)")


def default_fashion_mnist() -> Path:
    return Path(__file__).resolve().parents[2] / "shared" / "data" / "fashion_mnist"


def cmd_evaluate_gan(args: argparse.Namespace, config: Config) -> int:
    from generation.images.fashion_mnist import DatasetError, load_split
    from training.gan_quality import load_graders, quality

    registry = open_registry(config)
    version = registry.get("gan", args.version) if args.version else registry.current("gan")
    if version is None:
        print("livebot evaluate gan: no gan version yet; run `livebot train gan --data DIR`", file=sys.stderr)
        return 2
    judge, check = load_graders(registry)
    if judge is None:
        print(
            "livebot evaluate gan: no classifier to grade with; run `livebot train classifier --data DIR` "
            "(and `--param role=check` for the independent one)",
            file=sys.stderr,
        )
        return 2
    folder = Path(args.data) if args.data else default_fashion_mnist()
    try:
        train, test = load_split(folder, "train"), load_split(folder, "test")
    except (DatasetError, OSError) as exc:
        print(f"livebot evaluate gan: {exc}", file=sys.stderr)
        return 2
    model = load_gan(version)
    numbers = quality(
        model.generator, len(model.classes), judge, check, train.images, test.images, args.n, args.seed
    )
    classifiers = {
        kind: (v.name, v.manifest.metrics.get("test_accuracy"))
        for kind in ("classifier", "classifier-check")
        if (v := registry.current(kind)) is not None
    }
    result = {"gan": version.name, "classifiers": classifiers, **numbers}
    lines = [
        f"gan {version.name} on {args.n} generated images (classifiers: "
        + ", ".join(f"{k} {n} test acc {a}" for k, (n, a) in classifiers.items())
        + ")",
        f"  classifier-feature distance to the test set: {numbers.get('fd')}  (real train vs test: "
        f"{numbers.get('fd_real')}, the floor)",
        f"  conditional accuracy (judge): {numbers.get('cond_acc')}   independent check: {numbers.get('check_acc')}",
    ]
    _print(args.json, result, "\n".join(lines))
    return 0


def cmd_generate(args: argparse.Namespace, config: Config) -> int:
    from PIL import Image

    from generation.images import cgan
    from generation.images.cards import CardFacts, write_card
    from generation.images.fonts import FontNotFoundError, find_cjk_font

    registry = open_registry(config)
    version = registry.get("gan", args.version) if args.version else registry.current("gan")
    if version is None:
        print("livebot generate: no gan version yet; run `livebot train gan --data DIR`", file=sys.stderr)
        return 2
    model = load_gan(version)
    if args.what == "image":
        index = model.class_of(args.category)
        if index is None:
            print(
                f"livebot generate: no image class for {args.category!r}; known: {', '.join(model.classes)}",
                file=sys.stderr,
            )
            return 2
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        images = cgan.sample(model.generator, [index] * args.n, seed=args.seed)
        paths = []
        for i, image in enumerate(images):
            picture = Image.fromarray(image)
            if args.px:
                picture = picture.resize((args.px, args.px), Image.Resampling.LANCZOS)
            path = out / f"{args.category}-{args.seed}-{i:03d}.png"
            picture.save(path)
            paths.append(str(path))
        _print(args.json, paths, "\n".join(paths))
        return 0
    catalog = load_catalog(args.catalog or config.catalog.path or None)
    product = catalog.by_sku(args.sku) or (catalog.by_link(int(args.sku)) if args.sku.isdigit() else None)
    if product is None:
        print(f"livebot generate card: no product {args.sku!r} in the catalog", file=sys.stderr)
        return 2
    index = model.class_of(product.category)
    if index is None:
        print(f"livebot generate card: the GAN has no class for {product.category!r}", file=sys.stderr)
        return 2
    try:
        font = find_cjk_font(config.images.font_path or None)
    except FontNotFoundError as exc:
        print(f"livebot generate card: {exc}", file=sys.stderr)
        return 2
    image = cgan.sample(model.generator, [index], seed=args.seed)[0]
    facts = CardFacts(
        name=product.name,
        price=product.price,
        original_price=product.original_price if product.original_price > product.price else None,
        link=product.link,
        sku=product.sku,
        language=args.lang,
        model_version=f"gan/{version.name}",
        seed=args.seed,
    )
    path = write_card(facts, image, args.out, font=font, width=config.images.card_px)
    print(
        json.dumps(
            {"path": str(path), "alt": alt_text(product, args.lang), "gan": version.name}, ensure_ascii=False
        )
    )
    return 0
