"""Decoding any image file into an upright 8-bit RGB picture, or a clear reason why not.

Every stage that reads pixels (the manifest, feature extraction, the mosaic) goes through
:func:`open_rgb` or :func:`probe`, so that EXIF orientation, odd modes, the pixel limit and
memory are handled the same way everywhere:

- The size is read from the file's header and checked against ``max_pixels`` before any pixel
  is decoded; Pillow's own guard is switched off so that it never refuses with another number.
- Small images, and JPEGs at a reduced scale (``draft``), are decoded by Pillow.
- Larger PNG, TIFF, WebP and JPEG files are streamed through libvips, which reads them row by
  row and box-shrinks the rows as they come, so that a small file declaring a huge image
  costs memory in proportion to the result, not to the declared size.
- Only the first frame (or page) of a GIF, TIFF or WebP is used.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

#: The pixel limit: images with more pixels than this (about 16k x 16k) are refused from their
#: header, before decoding, rather than allowed to exhaust memory.
DEFAULT_MAX_PIXELS = 256_000_000

# Pillow's guard (a warning above 89.5 Mpx, an error above 178.9 Mpx) would refuse images under
# our limit with a number of its own; every decode below checks max_pixels first instead.
Image.MAX_IMAGE_PIXELS = None

#: Decodes that would hold more pixels than this (2048 x 2048) are streamed through libvips
#: when the caller wants a reduced size and the format allows it.
STREAM_ABOVE_PIXELS = 2048 * 2048

#: Formats libvips decodes row by row (GIF it decodes whole, like Pillow).
_STREAMED_FORMATS = frozenset({"PNG", "TIFF", "WEBP", "JPEG", "MPO"})

#: EXIF orientations that turn the stored image by 90 degrees, swapping width and height.
_TRANSPOSING_ORIENTATIONS = {5, 6, 7, 8}

Source = str | os.PathLike | BinaryIO | bytes


class UnreadableImageError(ValueError):
    """An image file that cannot be turned into pixels; ``reason`` says why in a few words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ImageInfo:
    """What the manifest records of a readable image file."""

    width: int
    """Full width once turned upright (EXIF orientation applied)."""
    height: int
    """Full height once turned upright."""
    frames: int
    """Frames or pages in the file (GIF, TIFF, WebP); only the first is ever used."""


def open_rgb(source: Source, max_pixels: int = DEFAULT_MAX_PIXELS, min_size: int | None = None) -> Image.Image:
    """Decode ``source`` (its first frame) upright, EXIF orientation applied, in RGB mode.

    ``source`` is a local path, a binary file object or the file's bytes. ``min_size`` lets
    the image decode at a reduced scale while both sides stay at least that large: several
    times faster, and bounded in memory, for callers that shrink images anyway. Every byte of
    the file is still decoded, so truncation is caught at any scale.

    Raises :class:`UnreadableImageError` for empty, truncated, corrupt, non-image files and
    files over ``max_pixels``; never anything else for bad input.
    """
    return to_rgb(_decode(source, max_pixels, min_size)[0])


def probe(source: Source, max_pixels: int = DEFAULT_MAX_PIXELS) -> ImageInfo:
    """Prove ``source`` decodable, at the smallest scale the format allows, and describe it.

    Raises :class:`UnreadableImageError` as :func:`open_rgb` does.
    """
    return _decode(source, max_pixels, min_size=1)[1]


def _decode(source: Source, max_pixels: int, min_size: int | None) -> tuple[Image.Image, ImageInfo]:
    """The first frame of ``source`` upright, in its own mode, and the file's :class:`ImageInfo`."""
    data = _read(source)
    with _reasons():
        image = Image.open(io.BytesIO(data))  # not closed: that would free the pixels; it owns no file
        width, height = image.size
        if width * height > max_pixels:
            raise UnreadableImageError(
                f"too large: {width}x{height} pixels ({width * height:,}) exceeds the limit of {max_pixels:,} pixels"
            )
        frames = getattr(image, "n_frames", 1)
        if min_size is not None:
            image.draft(None, (min_size, min_size))  # JPEG: decode at 1/2, 1/4 or 1/8 scale
        if (
            min_size is not None
            and image.width * image.height > STREAM_ABOVE_PIXELS
            and image.format in _STREAMED_FORMATS
        ):
            upright, orientation = _stream(data, min_size)
        else:
            image.load()
            orientation = image.getexif().get(ExifTags.Base.Orientation)
            ImageOps.exif_transpose(image, in_place=True)
            upright = image
    if orientation in _TRANSPOSING_ORIENTATIONS:
        width, height = height, width
    return upright, ImageInfo(width, height, frames)


def _read(source: Source) -> bytes:
    try:
        if isinstance(source, bytes):
            data = source
        elif isinstance(source, (str, os.PathLike)):
            data = Path(source).read_bytes()
        else:
            data = source.read()
    except OSError as error:
        raise UnreadableImageError(f"cannot read file: {error}") from None
    if not data:
        raise UnreadableImageError("empty file")
    return data


@contextmanager
def _reasons() -> Iterator[None]:
    """Turn the decoders' exceptions into :class:`UnreadableImageError` with a short reason."""
    try:
        yield
    except UnreadableImageError:
        raise
    except UnidentifiedImageError:
        raise UnreadableImageError("not an image Pillow can identify") from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        # Truncated and corrupt files surface as OSError ("image file is truncated"), broken
        # headers as SyntaxError/ValueError, depending on the format plug-in.
        raise UnreadableImageError(f"cannot decode: {error}") from None


def _stream(data: bytes, min_size: int) -> tuple[Image.Image, int | None]:
    """Decode ``data`` with libvips row by row, box-shrinking by the largest whole factor that
    keeps both sides at least ``min_size``; return the picture upright and its EXIF orientation."""
    import pyvips  # the libvips binding loads a shared library: only when a large image comes

    try:
        # From a source, not a buffer: libvips caches buffer loads, and with them the files' bytes.
        # fail_on="error": truncated TIFF strips are otherwise read as black.
        source = pyvips.Source.new_from_memory(data)
        image = pyvips.Image.new_from_source(source, "", access="sequential", fail_on="error")
        factor = max(1, min(image.width, image.height) // min_size)
        alpha = image.hasalpha()
        # Premultiplied, so that colour hidden under transparent pixels does not bleed in.
        shrunk = (image.premultiply() if alpha else image).shrink(factor, factor)
        if alpha:
            shrunk = shrunk.unpremultiply().cast(image.format)
        if shrunk.bands > 1 and shrunk.format != "uchar":
            shrunk = shrunk.colourspace("srgb") if shrunk.interpretation in ("rgb16", "grey16") else shrunk.cast("uchar")
        shrunk = shrunk.copy_memory()  # every row is decoded here
        orientation = shrunk.get("orientation") if shrunk.get_typeof("orientation") else None
        upright = shrunk.autorot()
        pixels = np.frombuffer(upright.write_to_memory(), dtype=pyvips.vimage.FORMAT_TO_TYPESTR[upright.format])
    except pyvips.Error as error:
        raise UnreadableImageError(f"cannot decode: {' '.join(str(error).split())}") from None
    pixels = pixels.reshape(upright.height, upright.width, upright.bands)
    return _pillow_image(pixels, upright.interpretation), orientation


def _pillow_image(pixels: np.ndarray, interpretation: str) -> Image.Image:
    """The Pillow image of libvips' ``(height, width, bands)`` pixels, in the mode Pillow
    itself would have decoded the file to."""
    if pixels.shape[2] == 1 and pixels.dtype != np.uint8:
        return Image.fromarray(pixels[..., 0].astype(np.float32), mode="F")  # 16-bit, float: see to_rgb
    mode = "CMYK" if interpretation == "cmyk" else {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}[pixels.shape[2]]
    return Image.fromarray(pixels[..., 0] if mode == "L" else pixels, mode=mode)


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
