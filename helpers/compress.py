"""An image stored as a network's weights, and its size in bits (09_samples_and_storage).

COIN (Dupont et al. 2021) compresses an image by overfitting a small SIREN to all its
pixels and storing the weights: the size is ``n_params × bits``, so the rate is
``bits per pixel = n_params · bits / (H · W)``. Weights are quantised after training:
16 bits is a cast to float16 (what COIN did); 8 bits is uniform quantisation of each
tensor between its min and max (256 levels, plus two float32 per tensor for the
range). :func:`jpeg` is the baseline a practitioner would reach for (Pillow's JPEG).

Counting both files the same way: a JPEG file is its headers (marker segments: JFIF,
quantisation tables, Huffman tables, frame and scan headers; about 300 bytes, most of a
tiny image's file at low quality) plus the entropy-coded scan. :func:`jpeg_header_bytes`
finds the headers, so a rate can be given with them (``header=True``) or for the scan
alone. A network's file needs a header too: :data:`NETWORK_HEADER_BYTES` = 4 (width as
uint16, number of layers and bits per weight as uint8; the decoder knows it is a SIREN
with ω0 = 30, 2 inputs and 3 outputs, as a JPEG decoder knows JPEG).
"""
from __future__ import annotations

import copy
import io

import numpy as np
import torch
from torch import nn

NETWORK_HEADER_BYTES = 4   # width (uint16), layers (uint8), bits per weight (uint8)


def quantize_tensor(tensor: torch.Tensor, bits: int) -> torch.Tensor:
    """The values ``tensor`` takes after storing it in ``bits`` bits (32, 16 or 8), as float32.

    8 bits: ``lo + round((t − lo) / step) · step`` with ``step = (hi − lo) / 255``, so the
    error is at most step / 2. 16 bits: float16, relative error at most 2^-11.
    """
    if bits == 32:
        return tensor.clone()
    if bits == 16:
        return tensor.half().float()
    if bits == 8:
        lo, hi = tensor.min(), tensor.max()
        step = (hi - lo) / 255 if hi > lo else torch.ones((), dtype=tensor.dtype)
        return lo + torch.round((tensor - lo) / step) * step
    raise ValueError(f"bits must be 32, 16 or 8, got {bits!r}.")


def quantize_model(model: nn.Module, bits: int) -> nn.Module:
    """A copy of ``model`` whose parameters are quantised to ``bits`` (buffers untouched)."""
    quantized = copy.deepcopy(model)
    with torch.no_grad():
        for parameter in quantized.parameters():
            parameter.copy_(quantize_tensor(parameter, bits))
    return quantized


def model_bits(model: nn.Module, bits: int, header_bytes: int = 0) -> int:
    """Bits to store ``model``'s trainable parameters at ``bits`` each (8 bits: + 64 per tensor
    for its range), plus ``8 · header_bytes`` (e.g. :data:`NETWORK_HEADER_BYTES`). Fixed
    buffers (e.g. a seeded B matrix) are not stored: the seed is."""
    params = [p for p in model.parameters() if p.requires_grad]
    total = sum(p.numel() for p in params) * bits
    return total + (64 * len(params) if bits == 8 else 0) + 8 * int(header_bytes)


def bits_per_pixel(n_bits: int, height: int, width: int) -> float:
    """Rate of a code of ``n_bits`` for an ``height × width`` image (colour included)."""
    return n_bits / (height * width)


def jpeg_header_bytes(data: bytes) -> int:
    """Bytes of a baseline JPEG file that are not its entropy-coded scan: SOI, every marker
    segment up to the end of the scan header (SOS), and EOI. ``len(data) - this`` is the scan.

    Walks the segments: each is ``FF xx`` and a 2-byte big-endian length that counts itself.
    """
    if data[:2] != b"\xff\xd8" or data[-2:] != b"\xff\xd9":
        raise ValueError("not a JPEG file (it must start with FF D8 and end with FF D9).")
    position = 2
    while position + 4 <= len(data):
        marker = data[position + 1]
        length = int.from_bytes(data[position + 2:position + 4], "big")
        position += 2 + length
        if marker == 0xDA:           # start of scan: the entropy-coded data follows
            return position + 2      # + EOI at the end
    raise ValueError("no start-of-scan marker (FF DA) found; is this a baseline JPEG?")


def jpeg(image: torch.Tensor, quality: int, header: bool = True) -> tuple[torch.Tensor, float]:
    """``(H, W, 3)`` in [0, 1] -> (JPEG-decoded image ``(H, W, 3)``, bits per pixel of the file,
    or of its entropy-coded scan alone with ``header=False``; see :func:`jpeg_header_bytes`).

    Pillow's encoder, 4:2:0 chroma subsampling (its default), optimised Huffman tables.
    """
    from PIL import Image

    if not 1 <= int(quality) <= 95:
        raise ValueError(f"quality must be between 1 and 95, got {quality!r}.")
    array = (image.detach().clamp(0, 1).cpu().numpy() * 255 + 0.5).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="JPEG", quality=int(quality), optimize=True)
    data = buffer.getvalue()
    n_bytes = len(data) if header else len(data) - jpeg_header_bytes(data)
    decoded = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=np.float32) / 255.0
    return torch.from_numpy(decoded.copy()), bits_per_pixel(8 * n_bytes, *array.shape[:2])
