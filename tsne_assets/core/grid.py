"""Snap a 2-D layout (t-SNE) to a rectangular grid, one point per cell.

Cells are numbered in row-major order, ``cell = row * cols + col``, with **row 0 at the top**
and column 0 at the left, as in the mosaic image and the viewer. The layout is read the way a
scatter plot draws it: x grows to the right and **y grows upwards**, so the point with the
largest y lands in the top rows. The map is therefore the t-SNE plot as drawn (turned, by
:func:`snap_to_grid`), not its mirror image.

:func:`snap_to_grid`, the pipeline's grid, first turns the layout (by at most 90 degrees, never
mirrored) so that its long axis is horizontal (:func:`turn_to_principal_axes`), then gives it a
grid of the same proportions (:func:`grid_shape` with the layout's ``aspect``): each axis of the
layout is then stretched by about as much as the other, so the grid keeps its distances. A
near-square grid stretched an elongated layout across its short axis and crowded it along the
long one; on the Met sample (layouts 1.2-1.7 times as wide as high) the turned, layout-shaped
grid keeps 95% of the layout's 10-NN label purity where the near-square one kept 93%, and on
Fashion-MNIST (rounder layouts, 1.05-1.4 times as wide as high) both keep about the same
(``docs/benchmarks.md``, "Layout and grid quality"). Grids stay never taller than wide, which
the growing maps rely on (:func:`~.placement.grown_shape`).

Two assignment methods (:mod:`.grid_solvers`):

``"optimal"``
    The exact linear assignment of points to cells that minimises the total squared distance
    between each point (normalised to the grid's extent) and its cell centre. O(N^3) time and
    O(N^2) memory: for up to a few thousand points.
``"scalable"``
    Recursive bisection down to blocks of at most ``block_cells`` cells, each solved
    optimally. O(N log^2 N + N * block_cells^2) time, O(N + block_cells^2) memory. It keeps the
    layout's order along each split and its neighbourhoods within blocks; see
    ``docs/benchmarks.md`` for its quality relative to the optimum.

Headroom (:func:`grid_shape`) adds empty cells. Both methods leave them where the layout is
sparse: the optimal one by its objective, the scalable one by splitting each block where the
layout's own coordinate crosses the block's middle, as far as the cells on each side allow.
Empty cells between a layout's groups keep the groups apart on the grid, as they are in the
layout, and raise the share of each image's grid neighbours that belong to its group (measured
in ``docs/benchmarks.md``).

A share of the empty cells (``holes_inside``) is kept *inside* the groups instead, spread like
the images: it is assigned to phantom points, copies of a seeded random sample of the images'
positions moved by up to half a cell, and the phantoms' cells are left empty. An image added to
the map later (:mod:`.placement`) then finds a free cell among its own kind rather than on its
group's edge: on Fashion-MNIST this lifts re-added images from 86% to 96% of the label purity a
fresh layout gives them, at no measurable cost to the fresh map (``docs/benchmarks.md``, "Maps
that grow").

The solvers, and the choice of scipy's, are in :mod:`.grid_solvers`.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np

from .grid_solvers import Solver, solve_optimal, solve_scalable

#: Default largest N solved optimally by ``method="auto"``. Measured on 2 cores with scipy:
#: a clustered t-SNE-like layout of 2,000 points takes 2.6-4 s, 3,000 points ~8 s (cubic growth).
DEFAULT_OPTIMAL_LIMIT = 2500

#: Default largest block solved optimally inside the scalable method. Measured on 2 cores:
#: 256-cell blocks are ~10x faster than 1,024-cell blocks (50,000 points: 1.3 s vs 12.7 s)
#: with the same neighbour preservation within +-0.01 (see docs/benchmarks.md).
DEFAULT_BLOCK_CELLS = 256

#: Largest headroom :func:`grid_shape` accepts: twice the cells of the images.
MAX_HEADROOM = 1.0

#: Headroom of collections up to :data:`AUTO_HEADROOM_UNTIL` images by default.
AUTO_HEADROOM = 0.75

#: Above this many images the default headroom shrinks (see :func:`auto_headroom`).
AUTO_HEADROOM_UNTIL = 10_000

#: Default share of the empty cells left inside the layout's groups, for images added later.
#: Measured (bench/bench_incremental.py, bench/bench_layout_quality.py): see docs/benchmarks.md.
HOLES_INSIDE = 0.1

#: The widest grid :func:`snap_to_grid` gives, width over height: one far outlier or a nearly
#: straight layout would otherwise make a strip that a screen shows too small to read.
MAX_ASPECT = 4.0

Method = Literal["auto", "optimal", "scalable"]


def grid_shape(n: int, headroom: float = 0.0, aspect: float = 1.0) -> tuple[int, int]:
    """Return ``(cols, rows)`` of the grid for ``n`` items, near-square or as wide as ``aspect``.

    Parameters
    ----------
    n : int
        Images to place, at least 1.
    headroom : float
        Extra empty cells as a share of ``n``, from 0 to :data:`MAX_HEADROOM`. The assignment
        leaves them where the layout is sparse, between its groups, which keeps groups apart
        on the map (see the module docstring).
    aspect : float
        Width over height the grid should have, at least 1 (``inf``: a single row); 1 makes
        it near-square. :func:`snap_to_grid` passes its turned layout's.

    ``cells = n + floor(n * headroom)`` (so that a single image has a single cell),
    ``cols = ceil(sqrt(cells * aspect))`` (at most ``cells``) and ``rows = ceil(cells / cols)``:
    the grid is never taller than wide.
    """
    n = int(n)
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if not 0 <= headroom <= MAX_HEADROOM:
        raise ValueError(f"headroom must be between 0 and {MAX_HEADROOM}, got {headroom!r}")
    if not aspect >= 1:
        raise ValueError(f"aspect must be at least 1, got {aspect!r}")
    cells = n + math.floor(n * headroom)
    if aspect >= cells:
        cols = cells
    elif aspect == 1:
        cols = math.isqrt(cells - 1) + 1  # exact ceil(sqrt(cells)) for any int, no float rounding
    else:
        cols = min(cells, math.ceil(math.sqrt(cells * aspect)))
    rows = -(-cells // cols)
    return cols, rows


def auto_headroom(n: int) -> float:
    """The default headroom for ``n`` images: :data:`AUTO_HEADROOM` up to
    :data:`AUTO_HEADROOM_UNTIL` images, then shrinking as ``1 / sqrt(n)`` (0.24 at 100,000).

    Measured (docs/benchmarks.md, "Layout and grid quality"): 0.75 lifts a 1,000-image grid's
    10-NN label purity from 91% to 95-97% of the layout's, while grids of 20,000 images keep
    over 95% with none. The share of a group's images on its border shrinks as one over the
    square root of its size, and so does the room that border needs; large maps keep their area.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    return round(AUTO_HEADROOM * min(1.0, math.sqrt(AUTO_HEADROOM_UNTIL / n)), 3)


def turn_to_principal_axes(xy: np.ndarray) -> np.ndarray:
    """``xy`` about its mean, turned so that its first principal axis (the direction of its
    largest spread) is horizontal: by at most 90 degrees either way and never mirrored, so the
    map is the layout as drawn, turned. A layout spread equally in every direction (or a single
    point) is only centred."""
    xy = _check_layout(xy)
    centred = xy - xy.mean(axis=0)
    spreads, axes = np.linalg.eigh(centred.T @ centred)  # ascending
    if spreads[1] <= spreads[0] * (1 + 1e-9):
        return centred
    x_axis = axes[:, 1] if axes[0, 1] > 0 or (axes[0, 1] == 0 and axes[1, 1] > 0) else -axes[:, 1]
    y_axis = np.array([-x_axis[1], x_axis[0]])  # x turned a quarter anticlockwise: no mirror
    return np.column_stack([centred @ x_axis, centred @ y_axis])


def snap_to_grid(xy: np.ndarray, headroom: float, **assign) -> tuple[np.ndarray, int, int]:
    """The pipeline's grid of a layout: ``(cells, cols, rows)``.

    ``xy`` is turned to its principal axes (:func:`turn_to_principal_axes`), given a grid with
    ``headroom`` whose width over height is its bounding box's (:func:`grid_shape`; from 1 to
    :data:`MAX_ASPECT`) and assigned to it by :func:`assign_to_grid`, which takes the keyword
    arguments ``assign``.
    """
    turned = turn_to_principal_axes(xy)
    width, height = np.ptp(turned, axis=0)
    aspect = min(MAX_ASPECT, max(1.0, width / height)) if height > 0 else (MAX_ASPECT if width > 0 else 1.0)
    cols, rows = grid_shape(len(turned), headroom, aspect)
    return assign_to_grid(turned, cols, rows, **assign), cols, rows


def normalise_layout(xy: np.ndarray, cols: int, rows: int) -> np.ndarray:
    """Map a layout onto grid coordinates: ``(N, 2)`` float array of ``(col, row)`` positions.

    Each axis is stretched independently so that the extreme points lie on the centres of the
    outermost cells (``0.5 .. cols - 0.5`` and ``0.5 .. rows - 0.5``); y is flipped so that
    the top of the layout (largest y) is row 0. An axis with no spread maps to the middle.
    """
    xy = _check_layout(xy)
    out = np.empty_like(xy)
    for axis, size, flip in ((0, cols, False), (1, rows, True)):
        values = xy[:, axis]
        low, high = values.min(), values.max()
        if high > low:
            unit = (values - low) / (high - low)
            if flip:
                unit = 1.0 - unit
            out[:, axis] = 0.5 + unit * (size - 1)
        else:
            out[:, axis] = size / 2.0
    return out


def assign_to_grid(
    xy: np.ndarray,
    cols: int,
    rows: int,
    *,
    method: Method = "auto",
    optimal_limit: int = DEFAULT_OPTIMAL_LIMIT,
    block_cells: int = DEFAULT_BLOCK_CELLS,
    solver: Solver = "scipy",
    holes_inside: float = HOLES_INSIDE,
    seed: int = 0,
) -> np.ndarray:
    """Give each of ``N`` layout points its own grid cell, keeping neighbours together.

    Parameters
    ----------
    xy
        ``(N, 2)`` finite layout coordinates (x to the right, y upwards).
    cols, rows
        The grid, with ``cols * rows >= N`` (see :func:`grid_shape`).
    method
        ``"optimal"``, ``"scalable"`` (see the module docstring) or ``"auto"``: optimal for
        ``N <= optimal_limit``, scalable above.
    optimal_limit
        Largest N that ``"auto"`` solves optimally.
    block_cells
        Largest block of cells the scalable method solves optimally (at least 4).
    solver
        Linear assignment backend: ``"scipy"`` (default, faster here) or ``"lap"``.
    holes_inside
        Share of the grid's empty cells (``cols * rows - N``) kept inside the layout's groups,
        spread like the images, from 0 to 1 (see the module docstring); the others settle
        between the groups. 0 makes the plain assignment of the ``N`` points.
    seed
        Seeds the phantom points that keep those cells.

    Returns
    -------
    numpy.ndarray
        ``(N,)`` int64 array of distinct cell indices, ``cells[i] = row * cols + col`` for
        point ``i``, row 0 at the top.
    """
    xy = _check_layout(xy)
    cols, rows = int(cols), int(rows)
    if cols < 1 or rows < 1:
        raise ValueError(f"cols and rows must be positive, got {cols}x{rows}")
    n = len(xy)
    if n > cols * rows:
        raise ValueError(f"{n} points do not fit in a {cols}x{rows} grid")
    if method not in ("auto", "optimal", "scalable"):
        raise ValueError(f"method must be 'auto', 'optimal' or 'scalable', got {method!r}")
    if optimal_limit < 0:
        raise ValueError(f"optimal_limit must be non-negative, got {optimal_limit}")
    if block_cells < 4:
        raise ValueError(f"block_cells must be at least 4, got {block_cells}")
    if solver not in ("scipy", "lap"):
        raise ValueError(f"solver must be 'scipy' or 'lap', got {solver!r}")
    if not 0 <= holes_inside <= 1:
        raise ValueError(f"holes_inside must be between 0 and 1, got {holes_inside!r}")
    if method == "auto":
        method = "optimal" if n <= optimal_limit else "scalable"

    pos = normalise_layout(xy, cols, rows)
    pos = np.vstack([pos, _phantoms(pos, round((cols * rows - n) * holes_inside), cols, rows, seed)])
    if method == "optimal":
        col, row = solve_optimal(pos, 0, cols, 0, rows, solver)
    else:
        col, row = solve_scalable(pos, cols, rows, block_cells, solver)
    return (row * cols + col)[:n]  # the phantoms' cells stay empty


def cell_positions(cells: np.ndarray, cols: int) -> np.ndarray:
    """``(N, 2)`` int64 ``(col, row)`` of row-major cell indices on a grid ``cols`` wide."""
    cells = np.asarray(cells, dtype=np.int64)
    return np.column_stack([cells % cols, cells // cols])


def position_cells(positions: np.ndarray, cols: int) -> np.ndarray:
    """Row-major cell indices of ``(N, 2)`` ``(col, row)`` positions on a grid ``cols`` wide."""
    positions = np.asarray(positions, dtype=np.int64).reshape(-1, 2)
    return positions[:, 1] * cols + positions[:, 0]


# --- internals -----------------------------------------------------------------------------


def _check_layout(xy: np.ndarray) -> np.ndarray:
    xy = np.asarray(xy, dtype=np.float64)
    if xy.ndim != 2 or xy.shape[1] != 2 or len(xy) == 0:
        raise ValueError(f"xy must be a non-empty (N, 2) array, got shape {xy.shape}")
    if not np.isfinite(xy).all():
        raise ValueError("xy contains NaN or infinite values")
    return xy


def _phantoms(pos: np.ndarray, count: int, cols: int, rows: int, seed: int) -> np.ndarray:
    """``count`` grid positions spread like ``pos``: a seeded sample of them (with replacement
    only when there are fewer), each moved by up to half a cell and kept inside the grid."""
    rng = np.random.default_rng(seed)
    picked = pos[rng.choice(len(pos), size=count, replace=count > len(pos))]
    moved = picked + rng.uniform(-0.5, 0.5, size=picked.shape)
    return np.clip(moved, 0.5, [cols - 0.5, rows - 0.5])
