"""Image files that declare more than they hold, or more than one picture; made in a moment."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def declared_png(width: int, height: int, rows: int | None = None) -> bytes:
    """A greyscale PNG declaring ``width`` x ``height`` pixels, all black: 13,000 x 13,000 takes
    164 KB (zeros deflate about 1,000 to 1). Only the first ``rows`` rows are written when
    given, so the file is truncated (or, with 0, holds no pixel at all). Rows are compressed
    one by one, so that making the file never holds the image."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    compressor = zlib.compressobj(9)
    row = bytes(width + 1)  # filter byte 0, then the row's pixels
    data = b"".join(compressor.compress(row) for _ in range(height if rows is None else rows)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale, not interlaced
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


#: The colours of :func:`multi_frame_file`'s frames, in order.
FRAME_COLOURS = [(200, 30, 30), (30, 200, 30), (30, 30, 200)]


def multi_frame_file(format: str, size: tuple[int, int] = (40, 30)) -> bytes:
    """A GIF or TIFF of three frames of one flat colour each (:data:`FRAME_COLOURS`)."""
    frames = [Image.new("RGB", size, colour) for colour in FRAME_COLOURS]
    buffer = io.BytesIO()
    frames[0].save(buffer, format=format, save_all=True, append_images=frames[1:])
    return buffer.getvalue()
