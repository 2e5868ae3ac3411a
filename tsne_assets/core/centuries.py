"""Dates written as centuries, as museums catalogue them: the years they span.

``4th century BCE``, ``late 1st century BCE``, ``mid-6th century BCE``, ``last quarter of the
6th century BCE``, ``end of the 6th century BCE``, ``1st–2nd century CE``, ``late 4th–early 3rd
century BCE``, ``late 7th or early 6th century BCE``: :func:`century_span` gives the first and
last year of what such a text describes (years before the common era negative, no year 0), a
range or an "or" covering both of its ends. The era is written once, at the end, and counts for
both ends; without one, the common era is meant.
"""

from __future__ import annotations

import re

#: Each qualifier's share of its century, as (from, to) in chronological order.
_PARTS = {
    "early": (0, 1 / 3), "beginning": (0, 1 / 5), "start": (0, 1 / 5),
    "mid": (1 / 3, 2 / 3), "middle": (1 / 3, 2 / 3),
    "late": (2 / 3, 1), "end": (4 / 5, 1),
    "first half": (0, 1 / 2), "second half": (1 / 2, 1),
    "first quarter": (0, 1 / 4), "second quarter": (1 / 4, 1 / 2), "third quarter": (1 / 2, 3 / 4),
    "fourth quarter": (3 / 4, 1), "last quarter": (3 / 4, 1),
}
_ORDINALS = {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth"}
_QUALIFIER = r"(?:early|beginning|start|mid|middle|late|end|(?:first|1st|second|2nd)\s+half|(?:first|1st|second|2nd|third|3rd|fourth|4th|last)\s+quarter)"


def _part(name: str) -> str:
    return rf"(?:(?P<q{name}>{_QUALIFIER})(?:\s*-\s*|\s+of\s+the\s+|\s+of\s+|\s+))?(?P<n{name}>\d{{1,2}})(?:st|nd|rd|th)"


_CENTURIES = re.compile(
    r"(?:(?:c|ca|circa|about)\.?\s*)?" + _part("a") + r"(?:\s*(?:-|–|—|to|or)\s*" + _part("b") + r")?"
    r"\s+centur(?:y|ies)(?:\s+(?P<era>B\.?C\.?(?:E\.?)?|C\.?E\.?|A\.?D\.?))?",
    re.IGNORECASE,
)


def century_span(text: str) -> tuple[int, int] | None:
    """``(first, last)`` year of a date written as centuries, or ``None`` for any other text."""
    match = _CENTURIES.fullmatch(text.strip())
    if not match:
        return None
    bce = (match["era"] or "").upper().startswith("B")
    spans = [_span(int(match[f"n{name}"]), match[f"q{name}"], bce) for name in "ab" if match[f"n{name}"]]
    if any(span is None for span in spans):
        return None
    return min(s[0] for s in spans), max(s[1] for s in spans)  # type: ignore[index]


def _span(number: int, qualifier: str | None, bce: bool) -> tuple[int, int] | None:
    """The years of (part of) the ``number``-th century, chronologically."""
    if number < 1:
        return None
    first = -100 * number if bce else 100 * (number - 1) + 1  # 4th century BCE: 400-301 BCE
    words = " ".join(_ORDINALS.get(word, word) for word in (qualifier or "").lower().split())
    start, end = _PARTS.get(words, (0, 1))
    return first + round(start * 100), first + round(end * 100) - 1
