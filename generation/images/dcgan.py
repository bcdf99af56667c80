"""The reference unconditional DCGAN (Radford, Metz & Chintala 2016), kept as the baseline the
conditional GAN is measured against, so it follows the paper rather than our tuning:
BN in G and D (not on D's first layer), ReLU in G, LeakyReLU 0.2 in D, N(0, 0.02) init, BCE loss,
Adam lr 2e-4 with beta1 0.5. Same step/sample interface as `cgan`, minus the labels.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from generation.images.batches import to_uint8

SUPPORTED_SIZES = (16, 32, 64)


@dataclass(frozen=True)
class DcganArgs:
    nz: int = 64
    ngf: int = 32
    ndf: int = 32
    image_size: int = 32
    channels: int = 1

    def __post_init__(self) -> None:
        if self.image_size not in SUPPORTED_SIZES:
            raise ValueError(f"image_size must be one of {SUPPORTED_SIZES}, got {self.image_size}")
        if self.channels not in (1, 3):
            raise ValueError(f"channels must be 1 or 3, got {self.channels}")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DcganArgs:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown DcganArgs keys {unknown}; expected a subset of {sorted(known)}")
        return cls(**data)


@dataclass(frozen=True)
class DcganTrainArgs:
    batch_size: int = 64
    lr: float = 2e-4
    beta1: float = 0.5
    beta2: float = 0.999
    epochs: int = 2


@dataclass(frozen=True)
class StepLosses:
    d_loss: float
    g_loss: float
    d_real: float  # mean D probability on real images
    d_fake: float  # mean D probability on generated images


def _init_weights(module: nn.Module) -> None:
    if isinstance(module, nn.Conv2d | nn.ConvTranspose2d):
        nn.init.normal_(module.weight, 0.0, 0.02)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


class Generator(nn.Module):
    def __init__(self, args: DcganArgs) -> None:
        super().__init__()
        self.args = args
        stages = int(math.log2(args.image_size)) - 2
        width = args.ngf * 2 ** (stages - 1)
        layers: list[nn.Module] = [
            nn.ConvTranspose2d(args.nz, width, 4, 1, 0, bias=False),  # 1x1 -> 4x4
            nn.BatchNorm2d(width),
            nn.ReLU(inplace=True),
        ]
        for _ in range(stages - 1):
            layers += [
                nn.ConvTranspose2d(width, width // 2, 4, 2, 1, bias=False),
                nn.BatchNorm2d(width // 2),
                nn.ReLU(inplace=True),
            ]
            width //= 2
        layers += [nn.ConvTranspose2d(width, args.channels, 4, 2, 1, bias=False), nn.Tanh()]
        self.net = nn.Sequential(*layers)
        self.apply(_init_weights)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z[:, :, None, None])


class Discriminator(nn.Module):
    def __init__(self, args: DcganArgs) -> None:
        super().__init__()
        self.args = args
        stages = int(math.log2(args.image_size)) - 2
        layers: list[nn.Module] = []
        width_in, width = args.channels, args.ndf
        for i in range(stages):
            layers.append(nn.Conv2d(width_in, width, 4, 2, 1, bias=False))
            if i > 0:  # the paper leaves BN off D's input layer
                layers.append(nn.BatchNorm2d(width))
            layers.append(nn.LeakyReLU(0.2, inplace=True))
            width_in, width = width, width * 2
        layers.append(nn.Conv2d(width_in, 1, 4, 1, 0, bias=False))  # 4x4 -> 1 logit
        self.net = nn.Sequential(*layers)
        self.apply(_init_weights)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).flatten()


def build(args: DcganArgs) -> tuple[Generator, Discriminator]:
    return Generator(args), Discriminator(args)


def make_optimizers(
    generator: Generator, discriminator: Discriminator, train_args: DcganTrainArgs | None = None
) -> tuple[torch.optim.Adam, torch.optim.Adam]:
    t = train_args or DcganTrainArgs()
    betas = (t.beta1, t.beta2)
    return (
        torch.optim.Adam(generator.parameters(), lr=t.lr, betas=betas),
        torch.optim.Adam(discriminator.parameters(), lr=t.lr, betas=betas),
    )


def noise(n: int, nz: int, device: torch.device, rng: torch.Generator | None = None) -> torch.Tensor:
    if rng is None:
        return torch.randn(n, nz, device=device)
    return torch.randn(n, nz, generator=rng, device=rng.device).to(device)


def train_step(
    generator: Generator,
    discriminator: Discriminator,
    opt_g: torch.optim.Optimizer,
    opt_d: torch.optim.Optimizer,
    real: torch.Tensor,
    rng: torch.Generator | None = None,
) -> StepLosses:
    """One D update (real and fake batches kept separate, as the paper's BN in D expects) then one G
    update with the non-saturating loss, reusing the fake batch like the PyTorch DCGAN example."""
    n = len(real)
    fake = generator(noise(n, generator.args.nz, real.device, rng))
    ones = torch.ones(n, device=real.device)
    zeros = torch.zeros(n, device=real.device)
    d_real = discriminator(real)
    d_fake = discriminator(fake.detach())
    d_loss = F.binary_cross_entropy_with_logits(d_real, ones) + F.binary_cross_entropy_with_logits(
        d_fake, zeros
    )
    opt_d.zero_grad(set_to_none=True)
    d_loss.backward()
    opt_d.step()

    discriminator.requires_grad_(False)
    try:
        g_loss = F.binary_cross_entropy_with_logits(discriminator(fake), ones)
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
    finally:
        discriminator.requires_grad_(True)
    return StepLosses(
        d_loss=d_loss.item(),
        g_loss=g_loss.item(),
        d_real=torch.sigmoid(d_real).mean().item(),
        d_fake=torch.sigmoid(d_fake).mean().item(),
    )


def sample(
    generator: Generator, n: int, seed: int | torch.Generator = 0, batch_size: int = 500
) -> np.ndarray:
    """n uint8 images; noise drawn on the CPU at once, so the result depends only on the seed."""
    device = next(generator.parameters()).device
    rng = seed if isinstance(seed, torch.Generator) else torch.Generator().manual_seed(seed)
    z = torch.randn(n, generator.args.nz, generator=rng, device=rng.device)
    was_training = generator.training
    generator.eval()
    try:
        with torch.no_grad():
            chunks = [to_uint8(generator(z[i : i + batch_size].to(device))) for i in range(0, n, batch_size)]
    finally:
        generator.train(was_training)
    return np.concatenate(chunks)


def generator_state(generator: Generator) -> dict[str, Any]:
    return {"model_args": asdict(generator.args), "state_dict": generator.state_dict()}


def generator_from_state(state: dict[str, Any], map_location: str | torch.device = "cpu") -> Generator:
    generator = Generator(DcganArgs.from_dict(state["model_args"]))
    generator.load_state_dict(state["state_dict"])
    return generator.to(map_location).eval()
