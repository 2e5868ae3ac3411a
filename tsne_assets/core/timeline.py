"""The timeline arrangement: the same images as the similarity map, in columns by date.

Each image's date field (``--timeline``) is read as a year (:func:`year_of`); the years are
grouped into bins, one column band each, oldest first (:func:`choose_bins`), and images without
a usable date go to a last, labelled ``undated`` band. Within a band images are stacked by
visual similarity: in the order of their similarity-map cells along a Hilbert curve
(:func:`similarity_order`), so images that neighbour on the similarity map neighbour in the
column, and one kind of object sits at about the same height in every column.

A band is one cell wide unless the largest bin would make the map far taller than wide: then
each band is ``w`` cells wide (:func:`band_width`), filled row by row, which keeps the map about
square and readable at 100,000 images. Cells keep the similarity map's cell size.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .centuries import century_span
from .facets import parse_date, parse_number

#: At most this many one-year columns; a longer span is grouped into bins of a nice width.
MAX_BINS = 60
#: Bin widths in years, smallest first: the first that needs at most :data:`MAX_BINS` bins wins.
NICE_WIDTHS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000)
#: The label of the band of images without a usable date.
UNDATED = "undated"
#: Where a published version keeps the timeline: its pyramid's folder, and its grid and axis,
#: which the viewer loads on its first switch to the timeline.
TIMELINE_FOLDER = "timeline"
TIMELINE_NAME = "timeline.json"

_EPOCH = dt.date(1970, 1, 1)
_ERA = r"(?:B\.?C\.?E?\.?|C\.?E\.?|A\.?D\.?)"
_YEARS = re.compile(
    r"(?:(?:c|ca|circa|about|approx)\.?\s*)?(?P<a>\d{1,4})\s*(?P<era_a>" + _ERA + r")?"
    r"(?:\s*(?:-|–|—|to)\s*(?P<b>\d{1,4})\s*(?P<era_b>" + _ERA + r")?)?",
    re.IGNORECASE,
)


def _signed(year: int, era: str | None) -> int:
    return -year if era and era.upper().startswith("B") else year


def year_of(text: str | None) -> int | None:
    """The year a date value stands for, or ``None`` when it has none.

    Accepted: a number (``1850``, ``-500`` for 500 BCE, ``1850.0``: its whole year, rounded
    down), an ISO-like date (``1850-05``, ``1850-05-01``, as :func:`~.facets.parse_date` reads
    them), a year with an era (``500 BCE``, ``44 BC``, ``AD 79`` is not: the era follows), a
    circa (``c. 1850``, ``ca 1850``, ``circa 1850``), and a range (``1850-1860``, ``1850–60``,
    ``500-400 BCE``), whose year is its midpoint rounded down: a span's middle is where it sits
    on an axis; so are centuries, with their parts and ranges (``late 4th century BCE``,
    ``1st–2nd century CE``, ``last quarter of the 6th century BCE``:
    :func:`~.centuries.century_span`). Anything else (``unknown``, ``""``) has no year.
    """
    if text is None:
        return None
    text = str(text).strip()
    if not text:
        return None
    day = parse_date(text)
    if day is not None:
        return (_EPOCH + dt.timedelta(days=day)).year
    number = parse_number(text)
    if number is not None:
        return math.floor(number)
    match = _YEARS.fullmatch(text)
    if not match:
        span = century_span(text)
        return None if span is None else math.floor((span[0] + span[1]) / 2)
    era_b = match["era_b"]
    a = _signed(int(match["a"]), match["era_a"] or era_b)
    if match["b"] is None:
        return a
    b_text = match["b"]
    b = int(b_text)
    if not era_b and len(b_text) < len(match["a"]) and b < abs(a):  # 1850-60: the same century
        b += abs(a) - abs(a) % 10 ** len(b_text)
    b = _signed(b, era_b)
    return math.floor((a + b) / 2)


@dataclass(frozen=True)
class Bins:
    """Bins of ``width`` years from ``first`` on: bin ``k`` holds ``first + k * width`` up to
    ``first + (k + 1) * width - 1``; ``count`` bins cover every year given."""

    first: int
    width: int
    count: int

    def of(self, years: np.ndarray) -> np.ndarray:
        """Each year's bin index."""
        return (np.asarray(years, dtype=np.int64) - self.first) // self.width

    def label(self, k: int) -> str:
        """Bin ``k`` as the axis shows it: ``1850``, ``1850–1859``, ``500–451 BCE``."""
        start, end = self.span(k)
        if start == end:
            return _year_label(start)
        if end < 0:
            return f"{-start}–{-end} BCE"
        return f"{_year_label(start)}–{_year_label(end)}"

    def span(self, k: int) -> tuple[int, int]:
        """First and last year of bin ``k``."""
        start = self.first + k * self.width
        return start, start + self.width - 1


def _year_label(year: int) -> str:
    return f"{-year} BCE" if year < 0 else str(year)


def choose_bins(years: Sequence[int] | np.ndarray, *, max_bins: int = MAX_BINS) -> Bins:
    """One bin per year where the years span at most ``max_bins``; else bins of the first width in
    :data:`NICE_WIDTHS` that needs at most ``max_bins``, starting at a multiple of the width
    (``1850–1874``, never ``1853–1877``). Empty years and bins between the first and the last are
    kept: the axis is time, evenly spaced. ``years`` must not be empty."""
    if max_bins < 1:
        raise ValueError(f"max_bins must be at least 1, not {max_bins!r}")
    years = np.asarray(years, dtype=np.int64)
    if not len(years):
        raise ValueError("choose_bins needs at least one year")
    low, high = int(years.min()), int(years.max())
    for width in NICE_WIDTHS:
        first = low - low % width  # floor to a multiple (Python's % is never negative here)
        count = (high - first) // width + 1
        if count <= max_bins:
            return Bins(first, width, count)
    width = NICE_WIDTHS[-1] * math.ceil((high - low + 1) / (NICE_WIDTHS[-1] * max_bins))
    first = low - low % width
    return Bins(first, width, (high - first) // width + 1)


def band_width(largest: int, bands: int) -> int:
    """Cells across each band so that the map, ``bands`` bands of which the fullest holds
    ``largest`` images, is about as wide as tall: 1 until a column would be more than twice as
    tall as the map is wide."""
    if largest <= 2 * bands:
        return 1
    return max(1, round(math.sqrt(largest / bands)))


def similarity_order(cells: np.ndarray, cols: int, rows: int) -> np.ndarray:
    """Each image's rank along a Hilbert curve over the similarity map's grid (``cells``: each
    image's cell, row-major, in a ``cols`` x ``rows`` grid): images that neighbour on the map get
    close ranks, so a column stacked in this order keeps like with like."""
    cells = np.asarray(cells, dtype=np.int64)
    x, y = cells % cols, cells // cols
    side = 1 << max(0, math.ceil(math.log2(max(cols, rows, 1))))
    distance = np.zeros(len(cells), dtype=np.int64)
    s = side // 2
    while s > 0:  # the classic xy -> d conversion, vectorised over every image
        rx = ((x & s) > 0).astype(np.int64)
        ry = ((y & s) > 0).astype(np.int64)
        distance += s * s * ((3 * rx) ^ ry)
        flip = ry == 0
        swap_x = np.where(flip & (rx == 1), side - 1 - x, x)
        swap_y = np.where(flip & (rx == 1), side - 1 - y, y)
        x, y = np.where(flip, swap_y, swap_x), np.where(flip, swap_x, swap_y)
        s //= 2
    return np.argsort(np.argsort(distance, kind="stable"), kind="stable")


@dataclass(frozen=True)
class Timeline:
    """The timeline arrangement of a collection's images.

    ``cells`` holds each image's cell (row-major in ``cols`` x ``rows``), in the images' order;
    ``band`` is the width of each band in cells; ``axis`` one entry per band, left to right:
    ``label``, ``col`` (its first column), ``count`` (its images) and ``start`` / ``end`` (its
    years; ``None`` for the undated band); ``bins`` the bins chosen (``None`` when no image has a
    date), ``years`` each image's year (``None``: undated).
    """

    cells: np.ndarray
    cols: int
    rows: int
    band: int
    axis: list[dict[str, Any]]
    bins: Bins | None
    years: list[int | None]

    @property
    def undated(self) -> int:
        """How many images have no usable date."""
        return sum(1 for year in self.years if year is None)

    def undated_ids(self, ids: Sequence[str]) -> list[str]:
        """The ids of the images without a usable date, ``ids`` being every image's id in the
        images' order."""
        if len(ids) != len(self.years):
            raise ValueError(f"{len(ids)} ids but {len(self.years)} images")
        return [image_id for image_id, year in zip(ids, self.years) if year is None]


def arrange_timeline(values: Sequence[str | None], order: np.ndarray, *, max_bins: int = MAX_BINS) -> Timeline:
    """Arrange images by date: one band per bin of years, oldest first, then the undated band.

    Parameters
    ----------
    values:
        Each image's date field, as text (:func:`year_of` reads it).
    order:
        Each image's rank by similarity (:func:`similarity_order`): images are stacked in a band
        by it, top to bottom (row by row where a band is wider than one cell).
    max_bins:
        The most bins of years (:func:`choose_bins`).
    """
    order = np.asarray(order, dtype=np.int64)
    if len(order) != len(values):
        raise ValueError(f"{len(values)} date values but {len(order)} similarity ranks")
    years = [year_of(value) for value in values]
    dated = np.array([year is not None for year in years], dtype=bool)
    known = np.array([year for year in years if year is not None], dtype=np.int64)
    bins = choose_bins(known, max_bins=max_bins) if len(known) else None
    band_of = np.full(len(years), bins.count if bins else 0, dtype=np.int64)
    if bins:
        band_of[dated] = bins.of(known)
    bands = (bins.count if bins else 0) + int((~dated).any())
    counts = np.bincount(band_of, minlength=bands)
    band = band_width(int(counts.max()) if len(counts) else 1, max(bands, 1))
    rows = max(1, -(-int(counts.max(initial=0)) // band))
    cols = max(1, bands * band)
    cells = np.empty(len(years), dtype=np.int64)
    # Within a band, by similarity rank: a stable sort by (band, rank) gives each its slot.
    ranked = np.lexsort((order, band_of))
    start = np.concatenate([[0], np.cumsum(counts)[:-1]]) if bands else np.zeros(0, dtype=np.int64)
    slot = np.empty(len(years), dtype=np.int64)
    slot[ranked] = np.arange(len(years)) - start[band_of[ranked]]
    cells[:] = (slot // band) * cols + band_of * band + slot % band
    axis = []
    for k in range(bands):
        undated_band = bins is None or k == bins.count
        first, last = (None, None) if undated_band else bins.span(k)
        axis.append(
            {
                "label": UNDATED if undated_band else bins.label(k),
                "col": k * band,
                "count": int(counts[k]),
                "start": first,
                "end": last,
            }
        )
    return Timeline(cells, cols, rows, band, axis, bins, years)


def timeline_section(timeline: Timeline, *, field: str, dzi: str, cell_size: tuple[int, int]) -> dict[str, Any]:
    """The viewer document's ``arrangements.timeline``: the arrangement's grid and cells (each
    image's cell, in ``items`` order: the viewer inverts it), its Deep Zoom image ``dzi``
    (relative to the version), the date ``field`` and the ``axis``, one entry per band
    (``label``, ``col``, ``cols``, ``count``, ``start``, ``end``)."""
    width, height = cell_size
    return {
        "field": field,
        "grid": {"cols": timeline.cols, "rows": timeline.rows, "cell_width": width, "cell_height": height},
        "image": {"dzi": dzi, "width": timeline.cols * width, "height": timeline.rows * height},
        "item_cells": timeline.cells.tolist(),
        "axis": [{**entry, "cols": timeline.band} for entry in timeline.axis],
    }


def timeline_file(section: dict[str, Any]) -> bytes:
    """:data:`TIMELINE_NAME`'s content: the section (:func:`timeline_section`) as compact JSON."""
    return json.dumps(section, ensure_ascii=False, separators=(",", ":")).encode()


def timeline_pointer(section: dict[str, Any]) -> dict[str, Any]:
    """The viewer document's ``arrangements`` for a timeline ``section`` (``{}``: none): where
    :data:`TIMELINE_NAME` is and which field it is by. Its grid, cells and axis stay out of the
    document, which every visitor waits for: at 100,000 images they are 0.65 MB (0.3 MB gzipped),
    loaded only by those who switch to the timeline."""
    return {"timeline": {"path": TIMELINE_NAME, "field": section["field"]}} if section else {}
