"""Each image's own Deep Zoom pyramid, for zooming past the mosaic down to its original pixels.

The mosaic holds every image at its cell size only. Where an image has more pixels than its
cell shows, it also gets a pyramid of its own, at most ``DetailOptions.max_size`` pixels on its
longer side (never enlarged), which the viewer draws exactly over its cell once the cell is
shown larger than the mosaic's resolution.

Pyramids are cached by content: ``<cache>/<variant>/<sha256[:2]>/<sha256>-<w>x<h>/`` holds
:data:`DETAIL_DZI` and its tiles, where the variant names the tiling (:meth:`DetailOptions.variant`).
A pyramid is complete once its descriptor exists (it is written last), so a rebuild re-uses
every unchanged image's pyramid, and an interrupted one leaves nothing that looks complete.
Images are decoded through :func:`~tsne_assets.core.images.open_rgb` (pixel limit, EXIF
orientation, transparency on white), like the mosaic's cells, so the two show the same picture.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import get_args

from PIL import Image

from .deepzoom import files_folder
from .images import DEFAULT_MAX_PIXELS, open_rgb
from .mosaic.options import TileFormat
from .spec_values import ResizeMode
from .storage import AnyPath, copy_file, copy_tree, is_local, local_path, remove_tree

#: The descriptor's file name in each cached pyramid folder.
DETAIL_DZI = "detail.dzi"


@dataclass(frozen=True)
class DetailOptions:
    """How the detail pyramids are sized and tiled.

    Parameters
    ----------
    max_size : int
        Longest side of a pyramid in pixels; smaller images keep their own size. Positive
        (``CollectionSpec.detail_max`` is ``0`` when detail is off: no pyramids are built).
    tile_size, overlap, tile_format, quality
        The tiling, as in :class:`~tsne_assets.core.mosaic.MosaicOptions`.

    Raises
    ------
    ValueError
        If a field is out of its range, naming the field.
    """

    max_size: int = 2048
    tile_size: int = 256
    overlap: int = 1
    tile_format: TileFormat = "jpg"
    quality: int = 90

    def __post_init__(self) -> None:
        if self.max_size < 1:
            raise ValueError(f"max_size must be positive, got {self.max_size}")
        if self.tile_size < 1 or not 0 <= self.overlap < self.tile_size:
            raise ValueError(f"tile_size must be positive and overlap in 0..tile_size - 1, got {self.tile_size}, {self.overlap}")
        if self.tile_format not in get_args(TileFormat):
            raise ValueError(f"tile_format must be 'jpg', 'png' or 'webp', got {self.tile_format!r}")
        if not 1 <= self.quality <= 100:
            raise ValueError(f"quality must be in 1..100, got {self.quality}")

    def variant(self) -> str:
        """The cache folder of this tiling, e.g. ``t256-o1-jpg90``: pyramids tiled otherwise
        are other files. The size is part of each pyramid's own folder name instead, so that a
        larger ``max_size`` still re-uses the pyramids of images it does not change."""
        quality = "" if self.tile_format == "png" else str(self.quality)
        return f"t{self.tile_size}-o{self.overlap}-{self.tile_format}{quality}"


@dataclass(frozen=True)
class DetailSource:
    """One image to give a pyramid: its ``id``, its ``path`` (passed to ``read``), its content
    ``sha256`` and its upright ``width`` and ``height`` (as the manifest records them)."""

    id: str
    path: str
    sha256: str
    width: int
    height: int


@dataclass(frozen=True)
class DetailPyramid:
    """A cached pyramid: ``folder`` relative to the cache root, holding :data:`DETAIL_DZI`,
    and its full ``width`` and ``height`` in pixels."""

    folder: str
    width: int
    height: int


@dataclass(frozen=True)
class DetailReport:
    """What :func:`build_detail_pyramids` did: ``pyramids`` by image id (rendered or re-used),
    how many were ``rendered`` and ``reused``, the ``bytes`` written, and ``failed``: image id
    to the reason its pyramid could not be made (the image then has none)."""

    pyramids: dict[str, DetailPyramid]
    rendered: int
    reused: int
    bytes: int
    failed: dict[str, str] = field(default_factory=dict)


def detail_size(width: int, height: int, max_size: int) -> tuple[int, int]:
    """An image's pyramid size: its own, scaled down (aspect kept) so that its longer side
    is at most ``max_size``."""
    scale = min(1.0, max_size / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def shows_more(size: tuple[int, int], image: tuple[int, int], cell_size: tuple[int, int], resize: ResizeMode) -> bool:
    """Whether a pyramid of ``size`` shows more pixels of an ``image`` (width, height) than
    its cell of ``cell_size`` does under ``resize`` (the mosaic's own scale, see
    :func:`~tsne_assets.core.mosaic.cells.render_cell`); if not, it is not worth building."""
    (cell_w, cell_h), (width, height) = cell_size, image
    pick = max if resize == "fill" else min
    return size[0] / width > pick(cell_w / width, cell_h / height) + 1e-9


def build_detail_pyramids(
    sources: Sequence[DetailSource],
    cache: AnyPath,
    options: DetailOptions,
    *,
    cell_size: tuple[int, int],
    resize: ResizeMode,
    read: Callable[[str], bytes],
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> DetailReport:
    """Make sure every image that has more pixels than its cell has a cached pyramid.

    Parameters
    ----------
    sources
        The images, with their content hashes and upright sizes.
    cache
        The cache root, local or on object storage (``<root>/cache/detail``).
    options
        Size limit and tiling.
    cell_size, resize
        The mosaic's cells: an image its cell already shows in full gets no pyramid.
    read
        Returns a source's bytes.
    progress
        Called with ``1`` after each image (re-used, rendered, skipped or failed).
    workers
        Images decoded and tiled at once (default: CPU count, at most 4; libvips adds threads).
    max_pixels
        Images whose header declares more pixels are refused before decoding (see
        :func:`~tsne_assets.core.images.open_rgb`).

    Returns
    -------
    DetailReport
        A source that cannot be read, decoded or tiled is reported in ``failed``, never raised.
    """
    variant = options.variant()

    def one(source: DetailSource) -> tuple[DetailPyramid | None, int, str | None]:
        """(pyramid or None, bytes written, failure reason); bytes -1 means re-used."""
        size = detail_size(source.width, source.height, options.max_size)
        if not shows_more(size, (source.width, source.height), cell_size, resize):
            return None, 0, None
        folder = f"{variant}/{source.sha256[:2]}/{source.sha256}-{size[0]}x{size[1]}"
        pyramid = DetailPyramid(folder, *size)
        try:
            if (cache / folder / DETAIL_DZI).exists():
                return pyramid, -1, None
            data = read(source.path)
        except Exception as error:  # any reader or store (local, S3, HTTP): report, never abort
            return None, 0, f"cannot read: {type(error).__name__}: {error}"
        try:
            written = _render(data, size, cache / folder, options, max_pixels)
        except Exception as error:  # open_rgb raises UnreadableImageError; libvips pyvips.Error
            return None, 0, getattr(error, "reason", None) or f"{type(error).__name__}: {error}"
        return pyramid, written, None

    pyramids: dict[str, DetailPyramid] = {}
    failed: dict[str, str] = {}
    rendered = reused = total = 0
    with ThreadPoolExecutor(max_workers=workers or min(4, os.cpu_count() or 1)) as pool:
        for source, (pyramid, written, reason) in zip(sources, pool.map(one, sources)):
            if reason is not None:
                failed[source.id] = reason
            elif pyramid is not None:
                pyramids[source.id] = pyramid
                reused += written < 0
                rendered += written >= 0
                total += max(written, 0)
            if progress is not None:
                progress(1)
    return DetailReport(pyramids, rendered, reused, total, failed)


def _render(data: bytes, size: tuple[int, int], folder: AnyPath, options: DetailOptions, max_pixels: int) -> int:
    """Decode ``data``, resize it to ``size`` and write its pyramid into ``folder``, the
    descriptor last; return the bytes written."""
    import pyvips  # the libvips binding loads a shared library: only when pyramids are built

    # JPEGs decode at a reduced scale, never below the pyramid's size.
    image = open_rgb(data, max_pixels, min_size=min(size))
    if image.size != size:
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    pixels = pyvips.Image.new_from_memory(image.tobytes(), size[0], size[1], 3, "uchar")
    local = is_local(folder)
    # Written beside its final place (one rename on local disk), or staged for the upload.
    parent = local_path(folder).parent if local else None
    if parent is not None:
        parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".detail-{uuid.uuid4().hex[:8]}-", dir=parent))
    try:
        stem = Path(DETAIL_DZI).stem
        suffix = f".{options.tile_format}" + ("" if options.tile_format == "png" else f"[Q={options.quality}]")
        pixels.dzsave(
            str(scratch / stem),
            layout="dz",
            tile_size=options.tile_size,
            overlap=options.overlap,
            suffix=suffix,
            depth="onepixel",  # every level down to 1x1, as the viewer expects of a DZI
            keep=0,
        )
        tiles = files_folder(DETAIL_DZI)
        (scratch / tiles / "vips-properties.xml").unlink(missing_ok=True)
        written = sum(f.stat().st_size for f in scratch.rglob("*") if f.is_file())
        if local:
            remove_tree(folder)  # the tiles of an interrupted render, without their descriptor
            os.replace(scratch, local_path(folder))
        else:
            copy_tree(scratch / tiles, folder / tiles)
            copy_file(scratch / DETAIL_DZI, folder / DETAIL_DZI)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return written

