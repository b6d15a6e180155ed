"""Weight quantisation, bit counts and JPEG rates."""
import io

import numpy as np
import pytest
import torch

import helpers
from helpers.compress import (NETWORK_HEADER_BYTES, bits_per_pixel, jpeg, jpeg_header_bytes,
                              model_bits, quantize_model, quantize_tensor)


def test_8_bit_error_is_at_most_half_a_step_and_16_bit_is_float16():
    t = torch.randn(1000, generator=torch.Generator().manual_seed(0))
    q8 = quantize_tensor(t, 8)
    step = (t.max() - t.min()) / 255
    assert (q8 - t).abs().max() <= step / 2 + 1e-6
    assert len(torch.unique(q8)) <= 256
    q16 = quantize_tensor(t, 16)
    assert ((q16 - t).abs() <= t.abs() * 2 ** -11 + 1e-7).all()
    assert torch.equal(quantize_tensor(t, 32), t)
    with pytest.raises(ValueError, match="32, 16 or 8"):
        quantize_tensor(t, 4)


def test_quantized_model_and_its_size():
    model = helpers.make_model("siren", hidden=8)
    n = helpers.count_params(model)
    assert model_bits(model, 16) == 16 * n
    assert model_bits(model, 8) == 8 * n + 64 * len(list(model.parameters()))
    assert bits_per_pixel(64 * 64, 64, 64) == 1.0
    small = quantize_model(model, 8)
    x = torch.rand(50, 2) * 2 - 1
    assert not torch.equal(small(x), model(x))
    assert (small(x) - model(x)).abs().max() < 0.2


def test_jpeg_rate_and_quality_grow_together():
    image = helpers.load_image("photo", size=64)
    low, low_bpp = jpeg(image, 5)
    high, high_bpp = jpeg(image, 90)
    assert low.shape == image.shape
    assert low_bpp < high_bpp
    assert helpers.psnr(low, image) < helpers.psnr(high, image)
    with pytest.raises(ValueError, match="between 1 and 95"):
        jpeg(image, 0)


def test_jpeg_header_is_the_marker_segments_and_the_scan_is_the_rest():
    from PIL import Image

    image = helpers.load_image("photo", size=64)
    array = (image.numpy() * 255 + 0.5).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="JPEG", quality=1, optimize=True)
    data = buffer.getvalue()
    header = jpeg_header_bytes(data)
    # JFIF 18 + two quantisation tables 2 x 69 + frame 19 + Huffman tables + scan header 14
    # + SOI 2 + EOI 2: well over 200 bytes, most of a 64 px file at quality 1
    assert 200 < header < len(data)
    assert data[header - 2 - 14:header - 2 - 12] == b"\xff\xda"   # the scan header ends there
    _, with_header = jpeg(image, 1)
    _, scan_only = jpeg(image, 1, header=False)
    assert abs((with_header - scan_only) * 64 * 64 - 8 * header) < 1e-9
    assert scan_only < 0.5 * with_header
    model = helpers.make_model("siren", hidden=8)
    assert model_bits(model, 16, NETWORK_HEADER_BYTES) == model_bits(model, 16) + 32
    with pytest.raises(ValueError, match="not a JPEG"):
        jpeg_header_bytes(b"\x89PNG....")
