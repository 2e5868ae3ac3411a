"""A build's layout, grid and map state, from its layout plan: the steps the ``tsne`` and ``grid``
assets take around t-SNE and the grid assignment.

``plan`` is the layout plan as :func:`~.map_state.plan_document` writes it (plain JSON values).
When it keeps the map, the kept images keep their layout coordinates and cells, and the new
images are placed next to their most similar kept images (:mod:`.placement`); when it asks for a
fresh layout, every image is laid out and snapped to the grid afresh by the assets' callers.
"""

from __future__ import annotations

import numpy as np

from .map_state import MapState
from .placement import neighbour_targets, place_new_images


def _indices(plan: dict, key: str) -> np.ndarray:
    return np.asarray(plan[key], dtype=np.int64)


def kept_layout(plan: dict, reduced: np.ndarray) -> np.ndarray:
    """The ``(N, 2)`` float32 layout of a build that keeps the map: each kept image at its
    previous layout coordinates, each new one at the median of its nearest kept images'
    (:func:`~.placement.neighbour_targets`).

    ``reduced`` is the build's ``(N, D)`` PCA output, in the order of ``plan["ids"]``.
    """
    kept, new = _indices(plan, "kept"), _indices(plan, "new")
    layout = np.empty((len(reduced), 2), dtype=np.float32)
    layout[kept] = np.asarray(plan["xy"], dtype=np.float32).reshape(-1, 2)
    if len(new):
        layout[new] = neighbour_targets(reduced[kept], layout[kept], reduced[new])
    return layout


def kept_grid(plan: dict, reduced: np.ndarray) -> tuple[np.ndarray, int, int]:
    """``(positions, cols, rows)`` of a build that keeps the map: each kept image's ``(col, row)``
    as before, each new image in a free cell next to its most similar kept images, on the
    previous grid grown on the right and at the bottom where it lacks free cells
    (:func:`~.placement.place_new_images`). ``positions`` is ``(N, 2)`` int64."""
    kept, new = _indices(plan, "kept"), _indices(plan, "new")
    positions = np.empty((len(reduced), 2), dtype=np.int64)
    positions[kept] = np.asarray(plan["positions"], dtype=np.int64).reshape(-1, 2)
    positions[new], cols, rows = place_new_images(reduced[kept], positions[kept], reduced[new], plan["cols"], plan["rows"])
    return positions, cols, rows


def next_state(
    plan: dict,
    layout: np.ndarray,
    positions: np.ndarray,
    cols: int,
    rows: int,
    *,
    settings: str,
    full_preservation: float,
    today: str,
) -> MapState:
    """The map state a build leaves for the next one.

    Parameters
    ----------
    plan
        The build's layout plan.
    layout, positions, cols, rows
        Its ``(N, 2)`` layout coordinates and grid ``(col, row)`` positions, on a
        ``cols x rows`` grid.
    settings
        The build's :func:`~.map_state.layout_settings`.
    full_preservation
        The grid's neighbour preservation at the last full layout (this build's, when it is one).
    today
        The ISO date new images joined the map; kept images keep theirs, also across a fresh
        layout.
    """
    kept = _indices(plan, "kept")
    placed = np.zeros(len(layout), dtype=bool)
    if not plan["full"]:
        placed[_indices(plan, "new")] = True
        placed[kept] = np.asarray(plan["placed"], dtype=bool)
    added = np.full(len(layout), today, dtype=object)
    added[kept] = plan.get("added", [])
    return MapState(
        ids=tuple(plan["ids"]),
        positions=positions,
        xy=layout,
        cols=cols,
        rows=rows,
        placed=placed,
        added=tuple(added),
        settings=settings,
        full_preservation=float(full_preservation),
    )
