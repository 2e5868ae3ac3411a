"""The values a collection spec holds, each checked on its own: the collection id, text shown
to visitors, cell sizes, CSV settings and locations. :class:`~.spec.CollectionSpec` checks a
whole spec with them; the command line parses its arguments with them.
"""

from __future__ import annotations

import codecs
import os
import re
from typing import Literal

#: Partition keys are used in paths, URLs and Dagster's UI: keep them to a safe alphabet.
COLLECTION_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")

ResizeMode = Literal["contain", "fill"]

#: The delimiters a metadata CSV may use, and their names in messages.
CSV_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}

#: Largest cell side accepted; far beyond any useful thumbnail, small enough to catch typos.
MAX_CELL_SIDE = 4096

#: The range of ``detail_max`` when it is not 0 (off): from a small thumbnail to 16k pixels, the
#: size of the largest images a browser canvas draws whole.
DETAIL_MAX_RANGE = (64, 16384)

#: The tiles a site publishes of its map: Deep Zoom and IIIF, IIIF only, or Deep Zoom only.
MAP_TILES = ("both", "iiif", "dzi")

#: The collection's identity shown to visitors, and the most characters each may hold: a name
#: fits a page title, an about text a few paragraphs.
IDENTITY_LIMITS = {"name": 200, "about": 5000, "credit": 500, "license": 200}
#: Control characters other than line breaks and tabs (which only the about text may hold).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def check_plain_text(name: str, value: str | None, max_length: int, *, multiline: bool = False) -> str | None:
    """``value`` stripped of surrounding white space, or ``None`` when empty. Plain text: at
    most ``max_length`` characters, no control characters, line breaks only if ``multiline``.
    Markup is allowed and stays text (every reader shows these values as text, never as HTML)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, not {value!r}")
    text = value.replace("\r\n", "\n").strip()
    if len(text) > max_length:
        raise ValueError(f"{name} must be at most {max_length} characters, not {len(text)}")
    if _CONTROL.search(text) or (not multiline and ("\n" in text or "\r" in text or "\t" in text)):
        raise ValueError(f"{name} must be plain text{'' if multiline else ' on one line'}: no control characters")
    return text or None


def check_cell_size(cell_size: tuple[int, int]) -> tuple[int, int]:
    """``cell_size`` as ``(width, height)`` integers, each in ``1..MAX_CELL_SIDE``."""
    try:
        width, height = (int(v) for v in cell_size)
    except (TypeError, ValueError):
        raise ValueError(f"cell_size must be (width, height), got {cell_size!r}") from None
    if not (1 <= width <= MAX_CELL_SIDE and 1 <= height <= MAX_CELL_SIDE):
        raise ValueError(f"cell sides must be between 1 and {MAX_CELL_SIDE} pixels, got {width}x{height}")
    return width, height


def parse_cell_size(text: str) -> tuple[int, int]:
    """Parse ``"128"`` (square), ``"128x128"`` or ``"160x120"`` into ``(width, height)``."""
    parts = str(text).strip().lower().split("x")
    if len(parts) not in (1, 2) or not all(p.strip().isdigit() for p in parts):
        raise ValueError(
            f"cell size must be 'SIZE' or 'WIDTHxHEIGHT' in pixels, such as '128' or '160x120'; got {text!r}"
        )
    return check_cell_size((int(parts[0]), int(parts[-1])))


def is_url(location: str) -> bool:
    """Whether ``location`` is an http(s) URL (the only remote documents read or linked)."""
    return location.lower().startswith(("http://", "https://"))


def absolute_location(location: str, base: str | os.PathLike[str] | None = None) -> str:
    """``location`` made independent of the working directory: URLs (``s3://...``) as they
    are, local paths (and globs) absolute, relative to ``base`` (default: the current one)."""
    if "://" in location:
        return location
    return os.path.normpath(os.path.join(base or os.getcwd(), os.path.expanduser(location)))


def check_encoding(encoding: str) -> str:
    """The canonical name of the Python text codec ``encoding`` (``"latin-1"`` -> ``"iso8859-1"``)."""
    try:
        name = codecs.lookup(encoding).name
        "".encode(name)  # refuses codecs that are not text encodings, such as base64
    except (LookupError, TypeError, UnicodeError):
        raise ValueError(
            f"unknown text encoding {encoding!r}: name a Python codec such as 'utf-8', 'cp1252' or 'latin-1'"
        ) from None
    return name


def check_absolute(name: str, location: str | None) -> None:
    if location is not None and "://" not in location and not os.path.isabs(location):
        raise ValueError(
            f"{name} must be an absolute path or a URL, not {location!r}: a run may start in any "
            "folder (the command line resolves relative paths before storing a spec)"
        )
