import io

import numpy as np
import pytest
from PIL import Image

from tsne_assets.core.images import UnreadableImageError, open_rgb
from tsne_assets_tests.collections import exif_rotated_jpeg, jpeg_bytes, odd_mode_images, pattern_image, png_bytes


@pytest.mark.parametrize("name", sorted(odd_mode_images()))
def test_odd_modes_decode_to_rgb(name):
    image = open_rgb(odd_mode_images()[name])
    assert image.mode == "RGB"
    assert image.size == (96, 72)


def test_sixteen_bit_greyscale_keeps_its_range():
    image = np.asarray(open_rgb(odd_mode_images()["grey16.png"]))
    # Pillow's plain conversion clips 16-bit values and would make almost every pixel white.
    assert image.min() == 0 and image.max() == 255
    assert 100 < image.mean() < 155


def test_transparency_is_composited_on_white():
    transparent = Image.new("RGBA", (10, 10), (255, 0, 0, 0))
    assert np.asarray(open_rgb(png_bytes(transparent))).min() == 255


def test_exif_orientation_is_applied():
    image = open_rgb(exif_rotated_jpeg(pattern_image(1, (120, 60))))
    assert image.size == (120, 60)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"plain text", "not an image"),
        (jpeg_bytes(pattern_image(0))[:300], "cannot decode"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not an image"),
    ],
    ids=["empty", "text", "truncated", "corrupt"],
)
def test_bad_files_raise_with_reason(data, reason):
    with pytest.raises(UnreadableImageError) as raised:
        open_rgb(data)
    assert reason in raised.value.reason


def test_decompression_bomb_is_refused_before_decoding():
    buffer = io.BytesIO()
    Image.new("L", (400, 300)).save(buffer, format="PNG")
    with pytest.raises(UnreadableImageError, match="too large: 400x300"):
        open_rgb(buffer.getvalue(), max_pixels=100_000)


def test_reduced_decoding_keeps_the_full_upright_size():
    from tsne_assets.core.images import upright_size

    photo = jpeg_bytes(pattern_image(4, (1600, 1200)))
    assert upright_size(photo) == (1600, 1200)
    assert upright_size(exif_rotated_jpeg(pattern_image(1, (400, 200)))) == (400, 200)
    drafted = open_rgb(photo, min_size=300)
    assert drafted.size == (400, 300)  # 1/4 scale: the smallest that keeps both sides >= 300


def test_truncation_is_caught_at_reduced_scale():
    from tsne_assets.core.images import upright_size

    with pytest.raises(UnreadableImageError):
        upright_size(jpeg_bytes(pattern_image(4, (1600, 1200)))[:5000])
