"""The conditional GAN, the reference DCGAN and the judging classifiers, as tiny real models."""

from __future__ import annotations

import copy
import math
from pathlib import Path

import numpy as np
import pytest
import torch

from generation.images import cgan, classifier, dcgan
from generation.images.batches import to_model_batch


def _toy_data(n: int = 64, size: int = 16, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two trivially separable classes: class 0 bright on top, class 1 bright at the bottom."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    images = rng.integers(0, 60, size=(n, size, size), dtype=np.uint8)
    half = size // 2
    for i, label in enumerate(labels):
        rows = slice(0, half) if label == 0 else slice(half, size)
        images[i, rows] += 180
    return images, labels


def _train_tiny_cgan(seed: int, steps: int = 6) -> tuple[cgan.Generator, list[cgan.StepLosses]]:
    torch.manual_seed(seed)
    args = cgan.CganArgs(nz=8, ngf=8, ndf=8, n_classes=2, image_size=16, embed_dim=4)
    generator, discriminator = cgan.build(args)
    opt_g, opt_d = cgan.make_optimizers(generator, discriminator)
    images, labels = _toy_data()
    rng = torch.Generator().manual_seed(seed)
    losses = []
    for step in range(steps):
        idx = slice((step * 16) % 64, (step * 16) % 64 + 16)
        real = to_model_batch(images[idx], 16)
        losses.append(
            cgan.train_step(generator, discriminator, opt_g, opt_d, real, torch.from_numpy(labels[idx]), rng)
        )
    return generator, losses


def test_tiny_cgan_trains_with_finite_losses_and_is_deterministic() -> None:
    generator, losses = _train_tiny_cgan(seed=1)
    assert all(
        math.isfinite(v) for step in losses for v in (step.d_loss, step.g_loss, step.d_real, step.d_fake)
    )
    again, losses_again = _train_tiny_cgan(seed=1)
    assert losses_again == losses
    for a, b in zip(generator.state_dict().values(), again.state_dict().values(), strict=True):
        assert torch.equal(a, b)
    _, other = _train_tiny_cgan(seed=2)
    assert other != losses


def test_ragged_batch_keeps_real_and_fake_apart() -> None:
    # 6 is not a multiple of the minibatch-std group (4): D sees real and fake in separate calls.
    torch.manual_seed(0)
    args = cgan.CganArgs(nz=8, ngf=4, ndf=4, n_classes=2, image_size=16, embed_dim=4)
    generator, discriminator = cgan.build(args)
    opt_g, opt_d = cgan.make_optimizers(generator, discriminator)
    images, labels = _toy_data(n=6)
    losses = cgan.train_step(
        generator, discriminator, opt_g, opt_d, to_model_batch(images, 16), torch.from_numpy(labels)
    )
    assert math.isfinite(losses.d_loss) and math.isfinite(losses.g_loss)


def test_ema_average_and_standing_stats() -> None:
    torch.manual_seed(0)
    args = cgan.CganArgs(nz=8, ngf=8, ndf=8, n_classes=2, image_size=16, embed_dim=4)
    generator, _ = cgan.build(args)
    ema = copy.deepcopy(generator)
    start = [p.detach().clone() for p in ema.parameters()]
    trained, _ = _train_tiny_cgan(seed=5, steps=3)
    generator.load_state_dict(trained.state_dict())
    cgan.update_ema(ema, generator, step=10**6, decay=0.25)  # past warm-up: rate = decay
    for avg, old, new in zip(ema.parameters(), start, generator.parameters(), strict=True):
        torch.testing.assert_close(avg, 0.25 * old + 0.75 * new)

    cgan.refresh_bn_stats(ema, n_batches=2, batch_size=16, seed=1)
    norm = next(m for m in ema.modules() if isinstance(m, torch.nn.BatchNorm2d))
    first = norm.running_mean.clone()
    assert norm.momentum == 0.1 and ema.training  # settings and mode put back
    cgan.refresh_bn_stats(ema, n_batches=2, batch_size=16, seed=1)
    assert torch.equal(norm.running_mean, first)  # recomputed from scratch, not accumulated


def test_cgan_save_load_round_trip_gives_identical_samples(tmp_path: Path) -> None:
    generator, _ = _train_tiny_cgan(seed=3)
    labels = [0, 1, 1, 0, 1]
    before = cgan.sample(generator, labels, seed=7)
    assert before.shape == (5, 16, 16) and before.dtype == np.uint8
    assert generator.training  # sample() restored the mode

    path = cgan.save_generator(generator, tmp_path / "g.pt")
    loaded = cgan.load_generator(path)
    assert loaded.args == generator.args
    np.testing.assert_array_equal(cgan.sample(loaded, labels, seed=7), before)
    np.testing.assert_array_equal(cgan.sample(loaded, labels, seed=7, batch_size=2), before)
    assert not np.array_equal(cgan.sample(loaded, labels, seed=8), before)


@pytest.mark.parametrize(("size", "channels"), [(32, 1), (32, 3), (64, 3)])
def test_cgan_shapes(size: int, channels: int) -> None:
    args = cgan.CganArgs(nz=8, ngf=4, ndf=4, n_classes=3, image_size=size, channels=channels, embed_dim=4)
    generator, discriminator = cgan.build(args)
    labels = torch.tensor([0, 2])
    fake = generator(torch.randn(2, 8), labels)
    assert fake.shape == (2, channels, size, size) and fake.abs().max() <= 1
    assert discriminator(fake, labels).shape == (2,)
    expected = (2, size, size) if channels == 1 else (2, size, size, channels)
    assert cgan.sample(generator, [0, 1], seed=0).shape == expected


def test_upconv_is_nearest_upsampling_then_conv() -> None:
    torch.manual_seed(0)
    up = cgan.UpConv(6, 3, bias=True)
    literal = torch.nn.Sequential(torch.nn.Upsample(scale_factor=2, mode="nearest"), up.conv)
    x = torch.randn(2, 6, 5, 7)
    torch.testing.assert_close(up(x), literal(x), atol=1e-5, rtol=1e-5)


def test_model_args_validate() -> None:
    with pytest.raises(ValueError, match="image_size"):
        cgan.CganArgs(image_size=48)
    with pytest.raises(ValueError, match="unknown CganArgs keys"):
        cgan.CganArgs.from_dict({"nz": 8, "dropout": 0.1})
    args = cgan.CganArgs(nz=16)
    assert cgan.CganArgs.from_dict(cgan.generator_state(cgan.Generator(args))["model_args"]) == args


def test_tiny_dcgan_trains_and_samples() -> None:
    torch.manual_seed(0)
    args = dcgan.DcganArgs(nz=8, ngf=8, ndf=8, image_size=16)
    generator, discriminator = dcgan.build(args)
    opt_g, opt_d = dcgan.make_optimizers(generator, discriminator)
    images, _ = _toy_data()
    for step in range(4):
        losses = dcgan.train_step(
            generator, discriminator, opt_g, opt_d, to_model_batch(images[step * 16 : step * 16 + 16], 16)
        )
        assert math.isfinite(losses.d_loss) and math.isfinite(losses.g_loss)
        assert 0 <= losses.d_fake <= 1
    first = dcgan.sample(generator, 6, seed=1)
    assert first.shape == (6, 16, 16)
    restored = dcgan.generator_from_state(dcgan.generator_state(generator))
    np.testing.assert_array_equal(dcgan.sample(restored, 6, seed=1), first)


@pytest.mark.parametrize("arch", ["cnn", "lenet"])
def test_classifier_learns_toy_classes_and_round_trips(arch: str, tmp_path: Path) -> None:
    images, labels = _toy_data(n=256, size=32)
    args = classifier.ClassifierArgs(arch=arch, n_classes=2, width=8, feature_dim=16)  # type: ignore[arg-type]
    model = classifier.build_classifier(args, seed=0)
    losses = classifier.train_classifier(
        model, images, labels, classifier.ClassifierTrainArgs(epochs=2, batch_size=32, seed=0)
    )
    assert len(losses) == 2 and losses[1] < losses[0]
    test_images, test_labels = _toy_data(n=64, size=32, seed=1)
    assert classifier.evaluate(model, test_images, test_labels) >= 0.95
    assert classifier.features(model, test_images).shape == (64, 16)

    path = classifier.save_classifier(model, tmp_path / "clf.pt")
    loaded = classifier.load_classifier(path)
    np.testing.assert_array_equal(
        classifier.predict(loaded, test_images), classifier.predict(model, test_images)
    )
    # The same seed builds and trains the same model.
    twin = classifier.build_classifier(args, seed=0)
    classifier.train_classifier(
        twin, images, labels, classifier.ClassifierTrainArgs(epochs=2, batch_size=32, seed=0)
    )
    np.testing.assert_allclose(
        classifier.features(twin, test_images), classifier.features(model, test_images)
    )
