"""How a mosaic is drawn and tiled: one frozen, validated set of options."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from ..spec_values import ResizeMode, check_cell_size

TileFormat = Literal["jpg", "png", "webp"]


@dataclass(frozen=True)
class MosaicOptions:
    """How :func:`~tsne_assets.core.mosaic.build_deep_zoom` draws the mosaic and tiles it.

    Every field is checked when the options are made, so that a bad value fails before any
    image is read or any file written.

    Parameters
    ----------
    cell_size : (int, int)
        ``(width, height)`` of a grid cell in pixels, each side in
        ``1..tsne_assets.core.spec_values.MAX_CELL_SIDE``.
    resize : {"contain", "fill"}
        ``"contain"``: the whole image, aspect kept, centred on the background;
        ``"fill"``: aspect kept, centre-cropped to cover the cell.
    tile_size : int
        Side of the square Deep Zoom tiles in pixels.
    overlap : int
        Pixels each tile shares with each neighbour, in ``0..tile_size - 1``. Default 0: a
        cell then lies in exactly the deepest-level tiles under it (one where the tile size is
        a multiple of the cell size), so that updating a changed cell re-renders no neighbour,
        and each tile is a plain crop of its level (as IIIF tiles are). OpenSeadragon's canvas
        drawer draws tiles without overlap one screen pixel larger, so no seam shows.
    tile_format : {"jpg", "png", "webp"}
        File format (and extension) of the tiles.
    quality : int
        JPEG or WebP quality in ``1..100``; ignored for PNG.
    background : (int, int, int)
        RGB, each ``0..255``, of empty cells and letterbox bars.
    preview_size : int
        Longest side of the preview in pixels; a smaller mosaic is not enlarged.

    Raises
    ------
    ValueError
        If a field is out of its range, naming the field.
    """

    cell_size: tuple[int, int] = (128, 128)
    resize: ResizeMode = "contain"
    tile_size: int = 256
    overlap: int = 0
    tile_format: TileFormat = "jpg"
    quality: int = 90
    background: tuple[int, int, int] = (255, 255, 255)
    preview_size: int = 1024

    def __post_init__(self) -> None:
        # Normalised to plain int tuples: the fields are compared and used as NumPy fill values.
        object.__setattr__(self, "cell_size", check_cell_size(self.cell_size))
        object.__setattr__(self, "background", _check_background(self.background))
        if self.resize not in get_args(ResizeMode):
            raise ValueError(f"resize must be 'contain' or 'fill', got {self.resize!r}")
        if self.tile_size < 1:
            raise ValueError(f"tile_size must be positive, got {self.tile_size}")
        if not 0 <= self.overlap < self.tile_size:
            raise ValueError(f"overlap must be in 0..{self.tile_size - 1}, got {self.overlap}")
        if self.tile_format not in get_args(TileFormat):
            raise ValueError(f"tile_format must be 'jpg', 'png' or 'webp', got {self.tile_format!r}")
        if not 1 <= self.quality <= 100:
            raise ValueError(f"quality must be in 1..100, got {self.quality}")
        if self.preview_size < 1:
            raise ValueError(f"preview_size must be positive, got {self.preview_size}")


def _check_background(background: tuple[int, int, int]) -> tuple[int, int, int]:
    try:
        rgb = tuple(int(v) for v in background)
    except (TypeError, ValueError):
        rgb = ()
    if len(rgb) != 3 or not all(0 <= v <= 255 for v in rgb):
        raise ValueError(f"background must be an (r, g, b) of 0..255, got {background!r}")
    return rgb  # type: ignore[return-value]
