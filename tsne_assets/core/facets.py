"""Facets: the metadata fields a visitor filters by, summarised for the viewer.

A facet is categorical (its values with their counts) unless every non-empty value is a number
(``1890``, ``-3.5``) or an ISO-like date (``2024``, ``2024-05``, ``2024-05-01``,
``2024-05-01T12:30:00Z``); then it is numeric or a date, summarised as a histogram, with each
image's value as a number so that the viewer filters by range without parsing text. Dates count
in days since 1970-01-01 (a partial date is its first day). Values are never guessed: ``ca. 480
BCE`` makes a field categorical.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

FacetKind = Literal["categorical", "numeric", "date"]

#: Most bars of a numeric or date facet's histogram.
HISTOGRAM_BINS = 20

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DATE = re.compile(
    r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?"
)
_EPOCH = dt.date(1970, 1, 1)


def parse_number(text: str) -> float | None:
    """``text`` as a finite number, or ``None`` (``nan``, ``inf`` and ``1_000`` are not numbers)."""
    text = text.strip()
    return float(text) if _NUMBER.fullmatch(text) and math.isfinite(float(text)) else None


def parse_date(text: str) -> int | None:
    """An ISO-like date's day (days since 1970-01-01; a partial date is its first day), or
    ``None``. A time of day, where given, is ignored."""
    match = _DATE.fullmatch(text.strip())
    if not match:
        return None
    try:
        day = dt.date(int(match["y"]), int(match["m"] or 1), int(match["d"] or 1))
    except ValueError:  # 2024-13-45
        return None
    return (day - _EPOCH).days


def facet_kind(values: Sequence[str]) -> FacetKind:
    """``numeric`` where every non-empty value is a number, else ``date`` where every one is an
    ISO-like date, else ``categorical`` (also for a field without values)."""
    present = [v for v in values if v.strip()]
    if present and all(parse_number(v) is not None for v in present):
        return "numeric"
    if present and all(parse_date(v) is not None for v in present):
        return "date"
    return "categorical"


def _histogram(numbers: np.ndarray, bins: int) -> dict[str, list[float] | list[int]]:
    low, high = (float(numbers.min()), float(numbers.max())) if len(numbers) else (0.0, 0.0)
    counts, edges = np.histogram(numbers, bins=bins if high > low else 1, range=(low, high if high > low else low + 1))
    return {"edges": [float(e) for e in edges], "counts": counts.astype(int).tolist()}


def summarise_facet(name: str, values: Sequence[str], *, bins: int = HISTOGRAM_BINS) -> dict[str, Any]:
    """The viewer's summary of facet ``name`` over one value per image (``""``: none).

    Categorical: every distinct value (``values``, stripped, most frequent first, ties by value)
    with its ``counts``, ``distinct`` and ``codes``, each image's value as its index in
    ``values`` (-1 where empty), so the viewer filters and counts without comparing text and a
    published image costs a few bytes. Numeric and date: ``min``, ``max``, a histogram of at most
    ``bins`` bars (``edges``, ``counts``) and ``numbers``, each image's value (``None`` where
    empty). All kinds say how many images have no value (``missing``).
    """
    values = ["" if v is None else str(v) for v in values]
    kind = facet_kind(values)
    missing = sum(1 for v in values if not v.strip())
    summary: dict[str, Any] = {"field": name, "kind": kind, "missing": missing}
    if kind == "categorical":
        stripped = [v.strip() for v in values]
        ranked = sorted(Counter(v for v in stripped if v).items(), key=lambda kv: (-kv[1], kv[0]))
        code = {v: i for i, (v, _) in enumerate(ranked)}
        summary.update(values=[v for v, _ in ranked], counts=[c for _, c in ranked], distinct=len(ranked))
        summary["codes"] = [code[v] if v else -1 for v in stripped]
        return summary
    parse = parse_number if kind == "numeric" else parse_date
    numbers = [parse(v) if v.strip() else None for v in values]
    present = np.array([n for n in numbers if n is not None], dtype=np.float64)
    summary.update(min=float(present.min()), max=float(present.max()), **_histogram(present, bins))
    summary["numbers"] = [_compact(n) for n in numbers]
    return summary


def _compact(number: float | int | None) -> float | int | None:
    """Whole numbers as integers: ``1890``, not ``1890.0``, in the JSON."""
    return int(number) if isinstance(number, float) and number.is_integer() else number
