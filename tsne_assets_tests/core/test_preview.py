"""A drawn mosaic's preview as an inline Markdown image (core/preview.py), read locally or from S3."""

import base64
import io
import re

import pytest
from PIL import Image
from upath import UPath

from tsne_assets.core.deepzoom import PREVIEW_NAME
from tsne_assets.core.preview import preview_markdown


def jpeg(size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 10)).save(buffer, format="JPEG")
    return buffer.getvalue()


def inline_image(markdown: str) -> Image.Image:
    match = re.fullmatch(r"!\[mosaic preview\]\(data:image/jpeg;base64,([A-Za-z0-9+/=]+)\)", markdown)
    assert match, markdown[:80]
    return Image.open(io.BytesIO(base64.b64decode(match[1])))


def test_a_large_preview_shrinks_to_the_size_keeping_its_shape(tmp_path):
    (tmp_path / PREVIEW_NAME).write_bytes(jpeg((1024, 512)))
    with inline_image(preview_markdown(tmp_path)) as image:
        assert image.size == (480, 240) and image.format == "JPEG"


def test_a_small_preview_is_not_enlarged(tmp_path):
    (tmp_path / PREVIEW_NAME).write_bytes(jpeg((64, 100)))
    with inline_image(preview_markdown(tmp_path, size=480)) as image:
        assert image.size == (64, 100)


def test_the_preview_is_read_from_a_bucket(s3_server, s3_bucket):
    folder = UPath(f"s3://{s3_bucket}/tiles/c/run", endpoint_url=s3_server)
    (folder / PREVIEW_NAME).write_bytes(jpeg((600, 300)))
    with inline_image(preview_markdown(folder, size=100)) as image:
        assert image.size == (100, 50)


def test_the_size_must_be_positive(tmp_path):
    with pytest.raises(ValueError, match="size must be positive"):
        preview_markdown(tmp_path, size=0)
