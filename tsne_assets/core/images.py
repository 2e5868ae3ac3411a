"""Decoding any image file into an upright 8-bit RGB picture, or a clear reason why not.

Every stage that reads pixels (the manifest, feature extraction, the mosaic) goes through
:func:`open_rgb`, so that EXIF orientation, odd modes and the decompression-bomb guard are
handled the same way everywhere.
"""

from __future__ import annotations

import io
import warnings
from typing import BinaryIO

import numpy as np
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

#: Largest image, in pixels, that is decoded (about 16k x 16k). Larger files are skipped
#: rather than allowed to exhaust memory: Pillow's own guard, made explicit and configurable.
DEFAULT_MAX_PIXELS = 256_000_000


class UnreadableImageError(ValueError):
    """An image file that cannot be turned into pixels; ``reason`` says why in a few words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


#: EXIF orientations that turn the stored image by 90 degrees, swapping width and height.
_TRANSPOSING_ORIENTATIONS = {5, 6, 7, 8}


def decode(
    source: str | BinaryIO | bytes, max_pixels: int = DEFAULT_MAX_PIXELS, min_size: int | None = None
) -> tuple[Image.Image, tuple[int, int]]:
    """Open ``source`` and decode all of its pixel data, as stored (not yet turned upright).

    Returns the image and its full stored size (larger than the image's after a reduced
    decode).

    ``min_size`` lets JPEGs decode at 1/2, 1/4 or 1/8 scale while both sides stay at least
    that large: several times faster for callers that shrink images anyway. Every byte of
    the file is still read, so truncation is caught at any scale.

    Raises :class:`UnreadableImageError` for empty, truncated, corrupt, non-image and
    oversized files; never anything else for bad input.
    """
    if isinstance(source, bytes):
        if not source:
            raise UnreadableImageError("empty file")
        source = io.BytesIO(source)
    try:
        with warnings.catch_warnings():
            # Pillow warns between 1x and 2x its own limit; we apply ours explicitly.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(source)
            if image.width * image.height > max_pixels:
                raise UnreadableImageError(
                    f"too large: {image.width}x{image.height} pixels exceeds the limit of {max_pixels}"
                )
            stored_size = image.size
            if min_size is not None:
                image.draft(None, (min_size, min_size))
            image.load()
    except UnreadableImageError:
        raise
    except UnidentifiedImageError:
        raise UnreadableImageError("not an image Pillow can identify") from None
    except Image.DecompressionBombError as error:
        raise UnreadableImageError(f"too large: {error}") from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        # Truncated and corrupt files surface as OSError ("image file is truncated"), broken
        # headers as SyntaxError/ValueError, depending on the format plug-in.
        raise UnreadableImageError(f"cannot decode: {error}") from None
    return image, stored_size


def open_rgb(
    source: str | BinaryIO | bytes, max_pixels: int = DEFAULT_MAX_PIXELS, min_size: int | None = None
) -> Image.Image:
    """Decode ``source`` and return it upright (EXIF orientation applied) in RGB mode.

    ``source`` is a local path, a binary file object or the file's bytes; ``min_size`` is
    as for :func:`decode`. Raises :class:`UnreadableImageError` for bad input.
    """
    return to_rgb(ImageOps.exif_transpose(decode(source, max_pixels, min_size)[0]))


def upright_size(source: str | BinaryIO | bytes, max_pixels: int = DEFAULT_MAX_PIXELS) -> tuple[int, int]:
    """Prove ``source`` decodable and return its full ``(width, height)`` once turned upright.

    Decodes at the smallest scale the format allows: only readability is in question.
    """
    image, (width, height) = decode(source, max_pixels, min_size=1)
    if image.getexif().get(ExifTags.Base.Orientation) in _TRANSPOSING_ORIENTATIONS:
        return height, width
    return width, height


def to_rgb(image: Image.Image) -> Image.Image:
    """Convert any Pillow mode to 8-bit RGB.

    Transparent images are composited on white, as a page shows them, rather than having
    their alpha dropped, which would reveal whatever colour hides under transparent pixels.
    16- and 32-bit greyscale is rescaled from its actual range, because Pillow's own
    conversion clips it to 0-255 and turns most 16-bit scans white.
    """
    if image.mode == "RGB":
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        values = np.asarray(image, dtype=np.float64)
        low, high = float(values.min()), float(values.max())
        scaled = (values - low) * (255.0 / (high - low)) if high > low else np.zeros_like(values)
        return Image.fromarray(scaled.round().astype(np.uint8), mode="L").convert("RGB")
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")
