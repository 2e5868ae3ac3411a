"""The Deep Zoom pyramid and the preview, made by libvips from the mosaic's strip TIFF."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..deepzoom import DZI_NAME, PREVIEW_NAME, files_folder
from .options import MosaicOptions


def write_pyramid(mosaic_path: Path, out_dir: Path, options: MosaicOptions) -> None:
    """Write ``DZI_NAME`` with its tiles and ``PREVIEW_NAME`` into ``out_dir``.

    ``mosaic_path`` is a strip TIFF (see :mod:`.bigtiff`), read twice, each time once from
    top to bottom: libvips keeps only a few strips in memory. A pyramid already in
    ``out_dir`` is replaced.
    """
    import pyvips  # the libvips binding loads a shared library: only when a mosaic is built

    def mosaic() -> pyvips.Image:
        # Sequential: libvips reads each strip once, top to bottom, and keeps only a few.
        return pyvips.Image.new_from_file(str(mosaic_path), access="sequential")

    tiles = out_dir / files_folder(DZI_NAME)
    shutil.rmtree(tiles, ignore_errors=True)  # stale tiles would survive
    (out_dir / DZI_NAME).unlink(missing_ok=True)
    fmt, quality = options.tile_format, options.quality
    suffix = f".{fmt}" if fmt == "png" else f".{fmt}[Q={quality}]"
    mosaic().dzsave(
        str(out_dir / Path(DZI_NAME).stem),
        layout="dz",
        tile_size=options.tile_size,
        overlap=options.overlap,
        suffix=suffix,
        depth="onepixel",  # the full Deep Zoom pyramid, down to 1x1
        skip_blanks=-1,  # every tile written, even all-background ones: viewers expect them
        keep=0,  # no metadata in the tiles
    )
    # libvips also writes its own metadata dump, which no viewer reads.
    (tiles / "vips-properties.xml").unlink(missing_ok=True)
    # thumbnail_image shrinks in a streaming pass (box shrink, then lanczos) to exact size.
    size = options.preview_size
    preview = mosaic().thumbnail_image(size, height=size, size="down")
    preview.jpegsave(str(out_dir / PREVIEW_NAME), Q=85, strip=True)
