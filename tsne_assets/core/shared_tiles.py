"""New images that share the map's pyramid tiles: fewer tiles to re-render when a map grows.

A map that grows re-renders every Deep Zoom tile covering a changed cell, at every level of its
pyramid (:mod:`.mosaic.update`). A hundred new images placed one here, one there change a tile
of the deepest level each, and nearly as many of each level above. Placed a cell or two closer
to one another, several share each changed tile. :func:`unshared_levels` prices that: how many
levels' tiles a candidate cell would be alone in changing, against a greedy placement of all
the new images; :func:`~.placement.place_new_images` adds it, weighted by :data:`TILE_WEIGHT`,
to the cost of placing an image in that cell. Measured on Fashion-MNIST (docs/benchmarks.md,
"Maps that grow"): adding 1% to a 20,000-image map re-renders 4.8% of the tiles instead of
6.5%, and the re-added images keep 93-94% of a fresh layout's label purity instead of 96%.
"""

from __future__ import annotations

import numpy as np

#: Pyramid levels, from the deepest, at which sharing a tile counts. Five levels up, a tile
#: covers 16 x 16 deepest tiles: a 1% addition changes nearly all of them whatever it does.
TILE_LEVELS = 5

#: Cost of each level at which a cell would change a tile no other new image changes, in the
#: placement cost's units (the feature distance to the images around a cell, over its median).
TILE_WEIGHT = 1.0

#: Free cells offered to each new image: enough to reach a tile a few cells away.
TILE_CANDIDATES = 48

_LEVEL_SHIFT, _ROW_SHIFT = 56, 28  # a key packs level, row and column of a tile (grids < 2**28 a side)


def cells_per_tile(tile_size: int, cell_size: tuple[int, int]) -> tuple[float, float]:
    """Cells per tile of a pyramid's deepest level along x and y, for :func:`tile_keys`."""
    if tile_size < 1 or min(cell_size) < 1:
        raise ValueError(f"tile_size and cell_size must be positive, got {tile_size} and {cell_size}")
    return tile_size / cell_size[0], tile_size / cell_size[1]


def tile_keys(cells: np.ndarray, tile_cells: tuple[float, float], levels: int = TILE_LEVELS) -> np.ndarray:
    """``(..., levels)`` int64 keys of the tiles holding ``cells`` at each level, deepest first.

    Parameters
    ----------
    cells : numpy.ndarray
        ``(..., 2)`` integer ``(col, row)`` grid cells.
    tile_cells : (float, float)
        Cells per tile of the deepest level along x and y: the tile size over the cell's width
        and height (2 for 256-pixel tiles of 128-pixel cells). Each level up doubles it. A cell
        that straddles two tiles counts in the one holding its top-left corner.
    levels : int
        Levels counted, at least 1.

    Returns
    -------
    numpy.ndarray
        Keys equal for two cells exactly when they lie in the same tile of the same level.
    """
    if levels < 1:
        raise ValueError(f"levels must be at least 1, got {levels}")
    if min(tile_cells) <= 0:
        raise ValueError(f"tile_cells must be positive, got {tile_cells}")
    cells = np.asarray(cells, dtype=np.int64)
    span = 2.0 ** np.arange(levels)
    col = np.floor(cells[..., 0, None] / (tile_cells[0] * span)).astype(np.int64)
    row = np.floor(cells[..., 1, None] / (tile_cells[1] * span)).astype(np.int64)
    return (np.arange(levels, dtype=np.int64) << _LEVEL_SHIFT) | (row << _ROW_SHIFT) | col


def unshared_levels(
    cells: np.ndarray,
    weights: np.ndarray,
    tile_cells: tuple[float, float],
    *,
    weight: float = TILE_WEIGHT,
    levels: int = TILE_LEVELS,
) -> np.ndarray:
    """For each new image's candidate cells, the levels at which its tile is changed by no cell
    of a greedy placement of the new images.

    The greedy placement takes the images in order of their cheapest candidate. Each takes the
    free candidate of least ``weights + weight * (levels whose tile no earlier image has
    changed)``, and changes its tiles. An image's greedy cell therefore scores 0 at every
    level it shares and 1 at the levels it opened; a cell in tiles nobody changes scores
    ``levels``.

    Parameters
    ----------
    cells : numpy.ndarray
        ``(K, C, 2)`` ``(col, row)`` of the free cells offered to each of K new images.
    weights : numpy.ndarray
        ``(K, C)`` cost of each image in each of its candidate cells, without tiles.
    tile_cells, levels
        As in :func:`tile_keys`.
    weight : float
        Cost of a level at which a cell opens a tile, in the units of ``weights`` (>= 0).

    Returns
    -------
    numpy.ndarray
        ``(K, C)`` float64 count of unshared levels.
    """
    if weight < 0:
        raise ValueError(f"weight must be non-negative, got {weight}")
    keys = tile_keys(cells, tile_cells, levels)
    cell_keys = (np.asarray(cells, dtype=np.int64)[..., 1] << _ROW_SHIFT) | np.asarray(cells, dtype=np.int64)[..., 0]
    opened: set[int] = set()
    taken: set[int] = set()
    for image in np.argsort(np.asarray(weights).min(axis=1), kind="stable"):
        fresh = np.array([[key not in opened for key in row] for row in keys[image].tolist()], dtype=bool)
        cost = weights[image] + weight * fresh.sum(axis=1)
        cost[[cell in taken for cell in cell_keys[image].tolist()]] = np.inf
        if np.isinf(cost).all():  # every candidate went to an earlier image: the assignment decides
            continue
        best = int(np.argmin(cost))
        taken.add(int(cell_keys[image, best]))
        opened.update(keys[image, best].tolist())
    return (~np.isin(keys, np.fromiter(opened, dtype=np.int64, count=len(opened)))).sum(axis=-1).astype(np.float64)
