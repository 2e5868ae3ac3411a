"""Each image's IIIF source in the viewer document: the canvas and manifest a harvest took it
from and that canvas's Image API service, so that the viewer's IIIF export paints a selected
image from its source at full resolution and links back to it.

The section is column-oriented like ``items``: one value per image, in ``items`` order.
``manifests`` lists each source manifest once and ``manifest`` holds each image's place in it;
``canvas`` and ``service`` the source canvas's and its image service's ids; ``profiles`` lists
each distinct ``{"type": "ImageService2" | "ImageService3", "profile": ...}`` once and
``profile`` holds each image's place in it; ``width`` and ``height`` the full source image's
size. An image without a source has ``-1``, ``""`` or ``0`` there.

The section is built from the images' records, which keep the harvested CSV's
:data:`RECORD_COLUMNS` for a IIIF build (the ``collection_metadata`` asset joins them to the
images with the titles), so the CSV is read once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from .harvest import SERVICE_COLUMNS

#: The section's per-image columns.
SOURCE_COLUMNS = ("manifest", "canvas", "service", "profile", "width", "height")
#: The harvested metadata's columns (:mod:`.harvest`) that the section is built from.
RECORD_COLUMNS = ("manifest", "canvas", *SERVICE_COLUMNS)


def _places(values: Sequence[Any], present: Sequence[bool]) -> tuple[list[Any], list[int]]:
    """The distinct ``values`` where ``present``, in first-seen order, and each one's place (-1: absent)."""
    distinct: dict[Any, int] = {}
    places = [distinct.setdefault(value, len(distinct)) if ok else -1 for value, ok in zip(values, present)]
    return list(distinct), places


def _size(value: str) -> int:
    """A size column's value as pixels, 0 where the harvest wrote none."""
    return int(value) if value.isdigit() else 0


def record_columns(columns: Sequence[str], fields: Sequence[str]) -> tuple[str, ...]:
    """The :data:`RECORD_COLUMNS` among a harvested metadata table's ``columns`` that the
    images' records keep besides their displayed ``fields`` (which hold the same values)."""
    return tuple(name for name in RECORD_COLUMNS if name in columns and name not in fields)


def source_section(records: pd.DataFrame) -> dict[str, Any] | None:
    """The document's ``sources`` from the images' ``records`` (one row per image, in ``items``
    order) with the harvested CSV's :data:`RECORD_COLUMNS` (:func:`.harvest.table_csv`); ``None``
    when no image has a source. A column the records lack is empty for every image: records
    from a CSV before the service columns give the canvases without services."""
    rows = records.reindex(columns=list(RECORD_COLUMNS), fill_value="").fillna("").astype(str)
    if not (rows["canvas"] != "").any():
        return None
    manifests, manifest = _places(rows["manifest"].tolist(), (rows["manifest"] != "").tolist())
    kinds = list(zip(rows["image_service_type"], rows["image_service_profile"]))
    profiles, profile = _places(kinds, (rows["image_service"] != "").tolist())
    return {
        "manifests": manifests,
        "manifest": manifest,
        "canvas": rows["canvas"].tolist(),
        "profiles": [{"type": kind, "profile": name} for kind, name in profiles],
        "service": rows["image_service"].tolist(),
        "profile": profile,
        "width": [_size(value) for value in rows["image_width"]],
        "height": [_size(value) for value in rows["image_height"]],
    }


def source_canvases(section: dict[str, Any] | None) -> list[tuple[str, str] | None] | None:
    """Each image's source ``(canvas, manifest)`` in a ``sources`` section (:func:`source_section`),
    in ``items`` order, ``None`` for an image without both; ``None`` without a section."""
    if not section:
        return None
    manifests = section["manifests"]
    return [
        (canvas, manifests[place]) if canvas and place >= 0 else None
        for canvas, place in zip(section["canvas"], section["manifest"])
    ]


def source_section_problems(section: dict[str, Any], count: int) -> list[str]:
    """Whether a ``sources`` section holds one value per image of the ``count`` in each column
    and its places point into ``manifests`` and ``profiles``."""
    problems = []
    for name in SOURCE_COLUMNS:
        column = section.get(name)
        if not isinstance(column, list) or len(column) != count:
            problems.append(f"sources.{name} has {len(column) if isinstance(column, list) else 'no'} values, expected {count}")
    for name, listing in (("manifest", "manifests"), ("profile", "profiles")):
        places, size = section.get(name), len(section.get(listing) or [])
        if isinstance(places, list) and any(not -1 <= place < size for place in places):
            problems.append(f"sources.{name} points outside sources.{listing} ({size} entries)")
    return problems
