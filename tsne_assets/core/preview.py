"""A drawn mosaic's preview, made small enough to show inline (the Dagster UI's asset metadata)."""

from __future__ import annotations

import base64
import io

from PIL import Image

from .deepzoom import PREVIEW_NAME
from .storage import AnyPath


def preview_markdown(folder: AnyPath, *, size: int = 480, alt: str = "mosaic preview") -> str:
    """The preview (:data:`~.deepzoom.PREVIEW_NAME`) of the pyramid in ``folder`` (local or in
    a bucket) as a Markdown image whose source is a JPEG data URI, its longest side at most
    ``size`` pixels (a smaller preview is not enlarged); ``alt`` is the image's text."""
    if size < 1:
        raise ValueError(f"size must be positive, got {size}")
    with (folder / PREVIEW_NAME).open("rb") as file, Image.open(file) as image:
        image.thumbnail((size, size))
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="JPEG", quality=80)
    return f"![{alt}](data:image/jpeg;base64,{base64.b64encode(buffer.getvalue()).decode()})"
