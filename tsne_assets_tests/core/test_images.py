import io
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from tsne_assets.core import images
from tsne_assets.core.images import DEFAULT_MAX_PIXELS, UnreadableImageError, open_rgb, probe
from tsne_assets_tests.collections import exif_rotated_jpeg, jpeg_bytes, odd_mode_images, pattern_image, png_bytes
from tsne_assets_tests.hostile_images import FRAME_COLOURS, declared_png, multi_frame_file


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
    photo = jpeg_bytes(pattern_image(4, (1600, 1200)))
    assert (probe(photo).width, probe(photo).height) == (1600, 1200)
    rotated = probe(exif_rotated_jpeg(pattern_image(1, (400, 200))))
    assert (rotated.width, rotated.height) == (400, 200)
    drafted = open_rgb(photo, min_size=300)
    assert drafted.size == (400, 300)  # 1/4 scale: the smallest that keeps both sides >= 300


def test_truncation_is_caught_at_reduced_scale():
    with pytest.raises(UnreadableImageError):
        probe(jpeg_bytes(pattern_image(4, (1600, 1200)))[:5000])


#: Decodes a file in a fresh interpreter and prints the sizes it got and the peak resident
#: memory the decoding added, in MB (Linux resets the peak when "5" is written to clear_refs).
_MEASURE = """
import sys
from tsne_assets.core.images import open_rgb, probe
import pyvips
data = open(sys.argv[1], "rb").read()
def kb(key):
    return int(next(line for line in open("/proc/self/status") if line.startswith(key)).split()[1])
open("/proc/self/clear_refs", "w").write("5")
before = kb("VmRSS")
info = probe(data)
features, cell = open_rgb(data, min_size=448), open_rgb(data, min_size=128)
print(info.width, info.height, *features.size, *cell.size, (kb("VmHWM") - before) // 1024)
"""


def test_a_small_file_declaring_a_huge_image_decodes_in_bounded_memory(tmp_path):
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(declared_png(13_000, 13_000))  # 164 KB; 169 MB of pixels, 507 MB as RGB
    assert bomb.stat().st_size < 200_000
    result = subprocess.run([sys.executable, "-c", _MEASURE, str(bomb)], capture_output=True, text=True, check=True)
    width, height, features_w, features_h, cell_w, cell_h, added_mb = map(int, result.stdout.split())
    assert (width, height) == (13_000, 13_000)
    assert 448 <= min(features_w, features_h) < 2 * 448 and 128 <= min(cell_w, cell_h) < 2 * 128
    assert added_mb < 200, f"decoding added {added_mb} MB of peak memory"


def test_the_pixel_limit_is_checked_from_the_header_and_named():
    # The file holds no pixel data: only the header is read before refusing it.
    with pytest.raises(UnreadableImageError) as raised:
        probe(declared_png(30_000, 30_000, rows=0))
    assert raised.value.reason == (
        f"too large: 30000x30000 pixels (900,000,000) exceeds the limit of {DEFAULT_MAX_PIXELS:,} pixels"
    )


def test_pillows_own_limit_does_not_preempt_ours():
    # 196 Mpx: over Pillow's 178.9 Mpx refusal, under our 256 Mpx.
    info = probe(declared_png(14_000, 14_000))
    assert (info.width, info.height) == (14_000, 14_000)


def test_a_truncated_large_image_is_caught_while_streaming():
    with pytest.raises(UnreadableImageError, match="cannot decode"):
        probe(declared_png(3_000, 3_000, rows=1_000))


def tiff_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="TIFF")
    return buffer.getvalue()


_MODES = {
    **odd_mode_images(),
    "rotated.jpg": exif_rotated_jpeg(pattern_image(1, (120, 60))),
    "transparent.png": png_bytes(Image.new("RGBA", (10, 10), (255, 0, 0, 0))),
    "pattern.tif": tiff_bytes(pattern_image(2)),
}


@pytest.mark.parametrize("name", sorted(_MODES))
def test_streamed_decoding_gives_what_pillow_gives(name, monkeypatch):
    data = _MODES[name]
    by_pillow, info = np.asarray(open_rgb(data, min_size=500)), probe(data)
    monkeypatch.setattr(images, "STREAM_ABOVE_PIXELS", 0)  # every image through libvips
    assert np.array_equal(np.asarray(open_rgb(data, min_size=500)), by_pillow)
    assert probe(data) == info


@pytest.mark.parametrize("format", ["GIF", "TIFF"])
def test_the_first_frame_is_used_and_the_frames_counted(format):
    data = multi_frame_file(format)
    assert probe(data).frames == 3
    assert tuple(np.asarray(open_rgb(data))[0, 0]) == FRAME_COLOURS[0]


#: Decodes 30 distinct copies of a 17 MB PNG and prints how much resident memory grew (MB)
#: between the first decode and the last.
_REPEAT = """
import io
import numpy as np
from PIL import Image
from tsne_assets.core.images import open_rgb
def mb():
    return int(next(line for line in open("/proc/self/status") if line.startswith("VmRSS")).split()[1]) // 1024
noise = np.random.default_rng(0).integers(0, 256, (2500, 2500, 3), dtype=np.uint8)
buffer = io.BytesIO()
Image.fromarray(noise).save(buffer, format="PNG", compress_level=0)
open_rgb(buffer.getvalue() + bytes(1), min_size=128)
after_first = mb()
for copy in range(2, 31):
    open_rgb(buffer.getvalue() + bytes(copy), min_size=128)  # a new bytes object each time
print(mb() - after_first)
"""


def test_streamed_files_are_not_kept_in_memory_after_decoding():
    # libvips caches operations on buffers, which would keep each file's bytes alive.
    result = subprocess.run([sys.executable, "-c", _REPEAT], capture_output=True, text=True, check=True)
    assert int(result.stdout) < 100, f"memory grew by {result.stdout.strip()} MB over 30 decodes"
