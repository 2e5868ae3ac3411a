"""A collection's map between builds, and whether the next build lays it out afresh.

The map state is what a build leaves for the next one: each image's cell and layout position by
image id, the grid, the settings of the last full layout, which images were placed since, and
the day each image joined the map. Ids are the images' paths relative to the collection's root:
the identity that metadata rows, deep links (``#item=<id>``) and the viewer's search use, and
stable across rebuilds (content hashes are not: an image re-photographed or re-encoded under the
same name is the same object, and keeps its cell).

:func:`plan_layout` compares the images of a build with the state: images still there keep their
cells, new ones are placed next to their most similar images (:mod:`.placement`), removed ones
leave their cells empty. A fresh layout is made instead when there is no state, when asked
(``relayout``), when the layout's settings changed, or when more than ``relayout_share`` of the
map's images would have been placed rather than laid out since the last full layout.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .facets import summarise_facet
from .grid import position_cells

#: The stored state's format number.
STATE_FORMAT = 1

#: Where a collection's map state is stored, under the storage root: ``maps/<id>.json``.
STATE_FOLDER = "maps"

#: The viewer's field and facet of the day each image joined the map.
ADDED_FIELD = "Added"

#: Default share of a map's images placed since its last full layout beyond which a build lays
#: the map out afresh. Measured (docs/benchmarks.md, "Maps that grow").
DEFAULT_RELAYOUT_SHARE = 0.3


def layout_settings(model: str, weights: str | None, perplexity: float, seed: int, headroom: float | None) -> str:
    """A short digest of the settings a full layout depends on: when they change, the map is
    laid out afresh (a new model puts images in another feature space, a new seed or
    perplexity asks for another layout)."""
    text = json.dumps([model, weights, perplexity, seed, headroom])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class MapState:
    """A collection's map as a build left it.

    ``ids`` are the images on the map; ``positions`` their ``(col, row)`` (``(N, 2)`` int) on a
    ``cols x rows`` grid; ``xy`` their ``(N, 2)`` layout coordinates (t-SNE, or placed);
    ``placed`` whether each was placed rather than laid out since the last full layout;
    ``added`` the day (ISO date) each joined the map; ``settings`` the :func:`layout_settings`
    of the last full layout and ``full_preservation`` its grid's neighbour preservation
    (:func:`~.quality.grid_preservation`), which later placements are compared with.
    """

    ids: tuple[str, ...]
    positions: np.ndarray
    xy: np.ndarray
    cols: int
    rows: int
    placed: np.ndarray
    added: tuple[str, ...]
    settings: str
    full_preservation: float

    def __post_init__(self) -> None:
        n = len(self.ids)
        positions = np.asarray(self.positions, dtype=np.int64).reshape(n, 2)
        if len(set(self.ids)) != n:
            raise ValueError("map state ids must be distinct")
        if n and (positions.min() < 0 or (positions[:, 0] >= self.cols).any() or (positions[:, 1] >= self.rows).any()):
            raise ValueError(f"map state positions must lie inside its {self.cols}x{self.rows} grid")
        if len(np.unique(position_cells(positions, self.cols))) != n:
            raise ValueError("map state positions must be distinct")
        if len(self.added) != n:
            raise ValueError("map state needs one added date per image")
        object.__setattr__(self, "positions", positions)
        object.__setattr__(self, "xy", np.asarray(self.xy, dtype=np.float64).reshape(n, 2))
        object.__setattr__(self, "placed", np.asarray(self.placed, dtype=bool).reshape(n))

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": STATE_FORMAT,
                "cols": self.cols,
                "rows": self.rows,
                "settings": self.settings,
                "full_preservation": self.full_preservation,
                "ids": list(self.ids),
                "positions": self.positions.tolist(),
                "xy": self.xy.tolist(),
                "placed": self.placed.astype(int).tolist(),
                "added": list(self.added),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> MapState:
        data = json.loads(text)
        if data.get("format") != STATE_FORMAT:
            raise ValueError(f"unsupported map state format {data.get('format')!r}")
        return cls(
            ids=tuple(data["ids"]),
            positions=np.asarray(data["positions"], dtype=np.int64),
            xy=np.asarray(data["xy"], dtype=np.float64),
            cols=int(data["cols"]),
            rows=int(data["rows"]),
            placed=np.asarray(data["placed"], dtype=bool),
            added=tuple(data["added"]),
            settings=str(data["settings"]),
            full_preservation=float(data["full_preservation"]),
        )


@dataclass(frozen=True)
class LayoutPlan:
    """How a build lays out its images (:func:`plan_layout`).

    ``kept`` (indices into the build's images) were on the previous map at ``previous`` (indices
    into the state), ``new`` were not, and ``removed`` images of that map are gone. ``full``: lay
    every image out afresh, for ``reason``; otherwise the kept images keep their cells and the
    new ones are placed.
    """

    full: bool
    reason: str
    kept: np.ndarray
    previous: np.ndarray
    new: np.ndarray
    removed: int


def load_state(path: Any, *, ignore_errors: bool = False) -> MapState | None:
    """The map state stored at ``path`` (a local or remote path), or None where there is none.

    A state that cannot be read raises ValueError naming the file and the way out
    (``--relayout``); with ``ignore_errors`` (a relayout, which needs no state) it counts as none.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        return MapState.from_json(text)
    except (ValueError, KeyError, TypeError) as error:  # JSON errors are ValueErrors
        if ignore_errors:
            return None
        raise ValueError(
            f"the map state {path} cannot be read ({error!r}): build with --relayout to lay the map out afresh"
        ) from None


def plan_layout(
    state: MapState | None,
    ids: Sequence[str],
    settings: str,
    *,
    relayout: bool = False,
    relayout_share: float = DEFAULT_RELAYOUT_SHARE,
) -> LayoutPlan:
    """Decide between a fresh layout and placing the new images on the map of ``state``.

    Parameters
    ----------
    state : MapState or None
        The map the last build left, or None for a collection's first build.
    ids : sequence of str
        The images of this build, in its order.
    settings : str
        This build's :func:`layout_settings`.
    relayout : bool
        Lay the map out afresh whatever the state.
    relayout_share : float
        Lay it out afresh when more than this share of its images (0 to 1) would have been
        placed rather than laid out since the last full layout.
    """
    if not 0 <= relayout_share <= 1:
        raise ValueError(f"relayout_share must be between 0 and 1, got {relayout_share!r}")
    if state is None:
        everything = np.arange(len(ids))
        return LayoutPlan(True, "first build", np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), everything, 0)
    index = {image: i for i, image in enumerate(state.ids)}
    previous = np.array([index.get(image, -1) for image in ids], dtype=np.int64)
    kept, new = np.flatnonzero(previous >= 0), np.flatnonzero(previous < 0)
    removed = len(state.ids) - len(kept)
    share = (int(state.placed[previous[kept]].sum()) + len(new)) / max(len(ids), 1)
    reason = None
    if relayout:
        reason = "asked for (relayout)"
    elif settings != state.settings:
        reason = "layout settings changed (model, weights, perplexity, seed or headroom)"
    elif len(kept) == 0:
        reason = "no image of the previous map is left"
    elif share > relayout_share:
        reason = f"{share:.0%} of the images placed since the last full layout (policy: at most {relayout_share:.0%})"
    if reason is not None:
        return LayoutPlan(True, reason, kept, previous[kept], new, removed)
    reason = f"{len(new)} new, {removed} removed" if len(new) or removed else "no change"
    return LayoutPlan(False, reason, kept, previous[kept], new, removed)


def added_facet(added: Sequence[str]) -> dict[str, Any] | None:
    """The viewer's date facet of the day each image joined the map (ISO dates, in the items'
    order), or None while every image joined on the same day: a map that has not grown has
    nothing new to show."""
    if len(set(added)) < 2:
        return None
    return summarise_facet(ADDED_FIELD, list(added))


def plan_document(plan: LayoutPlan, state: MapState | None, ids: Sequence[str]) -> dict[str, Any]:
    """The plan for the build of images ``ids`` as plain JSON values for the steps that follow
    it: the kept images' added dates and, for a placement, their positions, layout coordinates
    and placed flags, and the grid."""
    document: dict[str, Any] = {
        "ids": list(ids),
        "full": plan.full,
        "reason": plan.reason,
        "kept": plan.kept.tolist(),
        "new": plan.new.tolist(),
        "removed": plan.removed,
    }
    if state is not None:
        document["full_preservation"] = state.full_preservation
        previous = plan.previous
        # Added dates survive a fresh layout; positions only a placement.
        document["added"] = [state.added[i] for i in previous]
        if not plan.full:
            document.update(
                cols=state.cols,
                rows=state.rows,
                positions=state.positions[previous].tolist(),
                xy=state.xy[previous].tolist(),
                placed=state.placed[previous].astype(int).tolist(),
            )
    return document
