"""Conversions between stored uint8 images and the float tensors the models see, one batch at a time.

Datasets stay uint8 (N, H, W[, C]) in memory: a float32 copy of Fashion-MNIST at 64x64 would take about
2 GB, so models get their float input per batch from `to_model_batch` and hand back uint8 via `to_uint8`.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

# ITU-R 601 luma, the weights Pillow uses for "L", so RGB samples are judged like the grayscale data.
_LUMA = (0.299, 0.587, 0.114)
# Fashion-MNIST's side; models work at 32 or 64, see `to_model_batch`.
_MNIST_SIDE = 28


def to_model_batch(
    images: np.ndarray,
    size: int,
    channels: int = 1,
    device: torch.device | str | None = None,
) -> torch.Tensor:
    """uint8 (N, H, W) or (N, H, W, C) -> float32 (N, channels, size, size) in [-1, 1].

    28-px Fashion-MNIST images are first framed to 32 px with 2 px of their black background rather than
    stretched, so a garment covers the same share of the canvas at 32 and 64 px as in the usual
    32-px (MNIST-style) GAN setup; any other size is resized (antialiased when shrinking).
    """
    if images.dtype != np.uint8 or images.ndim not in (3, 4):
        raise ValueError(f"expected uint8 images of shape (N, H, W[, C]), got {images.dtype} {images.shape}")
    # A read-only array (np.load mmap, np.frombuffer) would make torch warn; copy only then.
    x = torch.from_numpy(np.require(images, requirements=["C", "W"]))
    if x.ndim == 3:
        x = x.unsqueeze(-1)
    x = x.to(device=device).permute(0, 3, 1, 2).float()
    x = _match_channels(x, channels)
    height, width = x.shape[-2:]
    if height == width == _MNIST_SIDE and size != _MNIST_SIDE:
        x = F.pad(x, (2, 2, 2, 2))
        height = width = _MNIST_SIDE + 4
    if (height, width) != (size, size):
        x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False, antialias=size < height)
    return (x / 127.5 - 1.0).contiguous()


def _match_channels(x: torch.Tensor, channels: int) -> torch.Tensor:
    have = x.shape[1]
    if have == channels:
        return x
    if have == 3 and channels == 1:
        weights = torch.tensor(_LUMA, dtype=x.dtype, device=x.device).view(1, 3, 1, 1)
        return (x * weights).sum(dim=1, keepdim=True)
    if have == 1 and channels == 3:
        return x.expand(-1, 3, -1, -1)
    raise ValueError(f"cannot convert {have}-channel images to {channels} channels")


def to_uint8(x: torch.Tensor) -> np.ndarray:
    """float (N, C, H, W) in [-1, 1] -> uint8 (N, H, W) for one channel, (N, H, W, C) otherwise."""
    if x.ndim != 4:
        raise ValueError(f"expected (N, C, H, W), got shape {tuple(x.shape)}")
    pixels = ((x.detach().float().clamp(-1.0, 1.0) + 1.0) * 127.5).round().to(torch.uint8).cpu()
    if pixels.shape[1] == 1:
        return pixels[:, 0].numpy()
    return pixels.permute(0, 2, 3, 1).contiguous().numpy()
