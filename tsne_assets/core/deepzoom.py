"""Deep Zoom (DZI) pyramids: file names, level geometry, the descriptor, and a completeness check.

A pyramid is a descriptor ``<stem>.dzi`` (XML: tile size, overlap, tile format, full image
size) beside a folder ``<stem>_files/<level>/<col>_<row>.<format>`` of tiles. Level 0 is 1x1
pixel and each level doubles the previous one up to the full size, the last level. A tile is
its ``tile_size``-square share of its level plus ``overlap`` pixels on each side that has a
neighbour.

The pipeline writes its pyramid as :data:`DZI_NAME` with the whole mosaic, scaled down, as
:data:`PREVIEW_NAME` beside it (see :mod:`tsne_assets.core.mosaic`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from upath import UPath

#: The descriptor's file name in a pyramid folder; its tiles are in :func:`files_folder` of it.
DZI_NAME = "tiles.dzi"
#: The whole mosaic, longest side at most ``MosaicOptions.preview_size``, beside the descriptor.
PREVIEW_NAME = "preview.jpg"
#: XML namespaces of the Deep Zoom descriptor (Silverlight 2008 and Seadragon 2009).
NAMESPACES = ("http://schemas.microsoft.com/deepzoom/2008", "http://schemas.microsoft.com/deepzoom/2009")


class DescriptorError(ValueError):
    """A ``.dzi`` file that is not a usable Deep Zoom descriptor."""


@dataclass(frozen=True)
class DeepZoomDescriptor:
    """What a ``.dzi`` file says: the full image's ``width`` and ``height`` in pixels, the
    ``tile_size``, the ``overlap`` shared with each neighbouring tile and the tiles' file
    ``format`` (their extension, such as ``jpg``)."""

    width: int
    height: int
    tile_size: int
    overlap: int
    format: str


def files_folder(dzi: str) -> str:
    """The name of the tile folder beside a descriptor: ``tiles.dzi`` -> ``tiles_files``."""
    return Path(dzi).stem + "_files"


def deep_zoom_levels(width: int, height: int) -> int:
    """Number of Deep Zoom levels for an image: ``ceil(log2(max(width, height))) + 1``.

    Level 0 is 1x1 pixel and each level doubles the previous one up to full size.
    """
    if width < 1 or height < 1:
        raise ValueError(f"image size must be positive, got {width}x{height}")
    return (max(width, height) - 1).bit_length() + 1  # exact integer ceil(log2)


def deep_zoom_level_size(width: int, height: int, level: int) -> tuple[int, int]:
    """Size of ``level``: the full size divided by ``2 ** (max_level - level)``, rounded up."""
    max_level = deep_zoom_levels(width, height) - 1
    if not 0 <= level <= max_level:
        raise ValueError(f"level must be in 0..{max_level}, got {level}")
    scale = 1 << (max_level - level)
    return -(-width // scale), -(-height // scale)


def tile_grid(level_width: int, level_height: int, tile_size: int) -> tuple[int, int]:
    """Columns and rows of ``tile_size`` tiles that cover a level of that size."""
    return -(-level_width // tile_size), -(-level_height // tile_size)


def deep_zoom_tile_count(width: int, height: int, tile_size: int) -> int:
    """Tiles in the whole pyramid of a ``width`` x ``height`` image, every level."""
    return sum(
        cols * rows
        for cols, rows in (
            tile_grid(*deep_zoom_level_size(width, height, level), tile_size) for level in range(deep_zoom_levels(width, height))
        )
    )


def single_tile_level(width: int, height: int, tile_size: int) -> int:
    """The deepest level whose whole image is one tile, ``0_0`` (level 0, 1x1, always is)."""
    level = deep_zoom_levels(width, height) - 1
    while max(deep_zoom_level_size(width, height, level)) > tile_size:
        level -= 1
    return level


def parse_dzi(data: bytes | str) -> DeepZoomDescriptor:
    """Parse the text of a ``.dzi`` descriptor.

    Raises
    ------
    DescriptorError
        If it is not XML, not a Deep Zoom ``Image``, lacks TileSize, Overlap, Format or Size,
        or has a non-positive size or tile, or an overlap outside ``0..``.
    """
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise DescriptorError(f"unreadable descriptor ({type(error).__name__}: {error})") from None
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if namespace not in NAMESPACES or root.tag.split("}")[-1] != "Image":
        raise DescriptorError(f"not a Deep Zoom descriptor (root element {root.tag})")
    try:
        size = root.find(f"{{{namespace}}}Size")
        tile = int(root.attrib["TileSize"])
        overlap = int(root.attrib["Overlap"])
        ext = root.attrib["Format"]
        width, height = int(size.attrib["Width"]), int(size.attrib["Height"])  # type: ignore[union-attr]
    except (KeyError, ValueError, AttributeError) as error:
        raise DescriptorError(f"unreadable descriptor ({type(error).__name__}: {error})") from None
    if tile < 1 or overlap < 0 or width < 1 or height < 1:
        raise DescriptorError(f"invalid TileSize={tile}, Overlap={overlap} or Size={width}x{height}")
    return DeepZoomDescriptor(width=width, height=height, tile_size=tile, overlap=overlap, format=ext)


def read_dzi(path: Path | UPath) -> DeepZoomDescriptor:
    """Read and parse the descriptor at ``path`` (local or on object storage).

    Raises
    ------
    FileNotFoundError
        If there is none.
    DescriptorError
        As :func:`parse_dzi`.
    """
    with path.open("rb") as file:
        return parse_dzi(file.read())


def verify_deep_zoom(out_dir: Path | UPath, dzi: str = DZI_NAME, *, check_tile_sizes: bool = True) -> list[str]:
    """Check that a written pyramid is complete; return the problems found (empty if none).

    Checks the descriptor (see :func:`parse_dzi`), that level ``L`` of ``0 .. levels-1``
    exists with exactly the tiles ``ceil(lw / tile) * ceil(lh / tile)`` named
    ``<col>_<row>.<format>``, where ``lw, lh`` is :func:`deep_zoom_level_size`, that no other
    levels or tiles exist, and (``check_tile_sizes``) that each tile has the expected pixel
    size: its ``tile``-sized share of the level plus ``overlap`` pixels on each side that has
    a neighbour. Tile headers are read, not their pixels.

    Parameters
    ----------
    out_dir
        The folder holding the descriptor, local or on object storage (each level is then
        checked from one listing).
    dzi
        The descriptor's file name in ``out_dir``.
    check_tile_sizes
        Open every tile to read its size; ``False`` spares a request per tile on object storage.
    """
    out_dir = out_dir if isinstance(out_dir, UPath) else Path(out_dir)
    try:
        descriptor = read_dzi(out_dir / dzi)
    except FileNotFoundError:
        return [f"{dzi}: missing"]
    except DescriptorError as error:
        return [f"{dzi}: {error}"]
    width, height = descriptor.width, descriptor.height
    tile, overlap, ext = descriptor.tile_size, descriptor.overlap, descriptor.format

    problems: list[str] = []
    files = out_dir / files_folder(dzi)
    levels = deep_zoom_levels(width, height)
    expected_levels = {str(level) for level in range(levels)}
    present = {p.name for p in files.iterdir() if p.is_dir()} if files.is_dir() else set()
    for extra in sorted(present - expected_levels):
        problems.append(f"level {extra}: unexpected (the image has levels 0..{levels - 1})")
    for level in range(levels):
        lw, lh = deep_zoom_level_size(width, height, level)
        nx, ny = tile_grid(lw, lh, tile)
        folder = files / str(level)
        if not folder.is_dir():
            problems.append(f"level {level}: missing ({lw}x{lh}, {nx * ny} tiles expected)")
            continue
        expected = {f"{x}_{y}.{ext}" for x in range(nx) for y in range(ny)}
        actual = {p.name for p in folder.iterdir()}
        if missing := expected - actual:
            problems.append(f"level {level}: {len(missing)} of {nx * ny} tiles missing, e.g. {min(missing)}")
        if extra := actual - expected:
            problems.append(f"level {level}: {len(extra)} unexpected files, e.g. {min(extra)}")
        if not check_tile_sizes:
            continue
        for name in sorted(expected & actual):
            x, y = (int(v) for v in name.split(".")[0].split("_"))
            want = (_tile_extent(x, tile, overlap, lw), _tile_extent(y, tile, overlap, lh))
            try:
                with (folder / name).open("rb") as file, Image.open(file) as image:
                    got = image.size
            except (OSError, SyntaxError, ValueError) as error:
                problems.append(f"level {level}: tile {name} unreadable ({error})")
                continue
            if got != want:
                problems.append(f"level {level}: tile {name} is {got[0]}x{got[1]}, expected {want[0]}x{want[1]}")
    return problems


def _tile_extent(index: int, tile: int, overlap: int, size: int) -> int:
    """Pixel extent of tile ``index`` along one axis of a level ``size`` pixels long."""
    start = max(index * tile - overlap, 0)
    end = min((index + 1) * tile + overlap, size)
    return end - start
