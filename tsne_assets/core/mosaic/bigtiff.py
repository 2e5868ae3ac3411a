"""An uncompressed 8-bit RGB BigTIFF written strip by strip, top to bottom.

Strips are appended with plain writes rather than through a memory map, so the image lives in
the page cache, not in this process's resident memory, and libtiff later reads it back one
strip at a time. BigTIFF's 64-bit offsets allow files over 4 GB.
"""

from __future__ import annotations

import struct
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import numpy as np


class BigTiffStripWriter:
    """Write an RGB BigTIFF of ``width`` x ``height`` pixels to ``path``, ``rows_per_strip``
    rows at a time (the last strip may be shorter).

    Use as a context manager; :meth:`write` each strip, top to bottom.
    """

    def __init__(self, path: Path, width: int, height: int, rows_per_strip: int) -> None:
        self.path = Path(path)
        self.width, self.height, self.rows_per_strip = width, height, rows_per_strip
        self._rows_written = 0
        self._file: BinaryIO | None = None

    def __enter__(self) -> BigTiffStripWriter:
        self._file = open(self.path, "wb")
        self._file.write(bigtiff_header(self.width, self.height, self.rows_per_strip))
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._file.close()  # type: ignore[union-attr]
        if kind is None and self._rows_written != self.height:
            raise ValueError(f"{self.path}: {self._rows_written} of {self.height} rows written")

    def write(self, strip: np.ndarray) -> None:
        """Append the next strip: a C-contiguous ``(rows, width, 3)`` uint8 array."""
        rows = min(self.rows_per_strip, self.height - self._rows_written)
        if strip.shape != (rows, self.width, 3) or strip.dtype != np.uint8:
            raise ValueError(f"strip must be ({rows}, {self.width}, 3) uint8, got {strip.shape} {strip.dtype}")
        self._file.write(strip.data)  # type: ignore[union-attr]
        self._rows_written += rows


def bigtiff_header(width: int, height: int, rows_per_strip: int) -> bytes:
    """Header, directory and strip tables of an uncompressed 8-bit RGB BigTIFF.

    The pixel strips, ``rows_per_strip`` rows each (the last one may be shorter), follow
    directly after the returned bytes.
    """
    strips = -(-height // rows_per_strip)
    strip_bytes = [min(rows_per_strip, height - i * rows_per_strip) * width * 3 for i in range(strips)]
    entry_count = 10
    directory = 16  # right after the 16-byte header
    tables = directory + 8 + entry_count * 20 + 8
    # With one strip its offset and size fit in the entries themselves; otherwise they are
    # two tables of 8-byte integers before the pixels.
    pixels = tables + (16 * strips if strips > 1 else 0)
    offsets = np.concatenate([[pixels], pixels + np.cumsum(strip_bytes[:-1], dtype=np.int64)]).astype("<u8")
    counts = np.asarray(strip_bytes, dtype="<u8")

    def entry(tag: int, kind: int, count: int, value: bytes) -> bytes:
        return struct.pack("<HHQ", tag, kind, count) + value.ljust(8, b"\0")

    short, long, long8 = 3, 4, 16
    if strips > 1:
        offsets_value, counts_value = struct.pack("<Q", tables), struct.pack("<Q", tables + 8 * strips)
    else:
        offsets_value, counts_value = offsets.tobytes(), counts.tobytes()
    entries = [  # sorted by tag, as TIFF requires
        entry(256, long, 1, struct.pack("<I", width)),  # ImageWidth
        entry(257, long, 1, struct.pack("<I", height)),  # ImageLength
        entry(258, short, 3, struct.pack("<HHH", 8, 8, 8)),  # BitsPerSample
        entry(259, short, 1, struct.pack("<H", 1)),  # Compression: none
        entry(262, short, 1, struct.pack("<H", 2)),  # PhotometricInterpretation: RGB
        entry(273, long8, strips, offsets_value),  # StripOffsets
        entry(277, short, 1, struct.pack("<H", 3)),  # SamplesPerPixel
        entry(278, long, 1, struct.pack("<I", rows_per_strip)),  # RowsPerStrip
        entry(279, long8, strips, counts_value),  # StripByteCounts
        entry(284, short, 1, struct.pack("<H", 1)),  # PlanarConfiguration: interleaved
    ]
    assert len(entries) == entry_count
    header = b"II" + struct.pack("<HHHQ", 43, 8, 0, directory)  # little-endian BigTIFF
    out = header + struct.pack("<Q", entry_count) + b"".join(entries) + struct.pack("<Q", 0)
    if strips > 1:
        out += offsets.tobytes() + counts.tobytes()
    return out
