"""A collection's specification: where its images and metadata are and how to present them.

The spec is stored as JSON beside the collection's outputs, so that every way of starting a
run (the command line, the Dagster UI, a sensor, a schedule) builds the same collection.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

#: Partition keys are used in paths, URLs and Dagster's UI: keep them to a safe alphabet.
COLLECTION_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")

ResizeMode = Literal["contain", "fill"]

#: Largest cell side accepted; far beyond any useful thumbnail, small enough to catch typos.
MAX_CELL_SIDE = 4096


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


@dataclass(frozen=True)
class CollectionSpec:
    """Everything needed to build one collection.

    Parameters
    ----------
    id:
        The collection id and Dagster partition key: letters, digits, ``_`` and ``-``.
    images:
        A folder (every image below it, recursively) or a glob such as ``photos/*.jpg`` or
        ``scans/**/*.tif``; local or ``s3://``. Image ids are paths relative to the glob's root.
    metadata:
        Optional CSV with one row per image.
    filename_column:
        CSV column holding the image's file name or its path relative to the image root.
    title, url:
        ``{Column}`` templates. ``None`` means the original tool's defaults: the ``title`` and
        ``url`` columns where the CSV has them, else the file name and no link.
    fields:
        Extra CSV columns shown in the viewer and searched.
    cell_size:
        Width and height in pixels of each image's cell in the mosaic.
    resize:
        ``contain`` letterboxes each image in its cell; ``fill`` centre-crops it.
    """

    id: str
    images: str
    metadata: str | None = None
    filename_column: str = "filename"
    title: str | None = None
    url: str | None = None
    fields: tuple[str, ...] = field(default_factory=tuple)
    cell_size: tuple[int, int] = (128, 128)
    resize: ResizeMode = "contain"

    def __post_init__(self) -> None:
        if not COLLECTION_ID_PATTERN.match(self.id):
            raise ValueError(
                f"collection id {self.id!r} must start with a letter or digit and contain only "
                "letters, digits, '_' and '-' (at most 128 characters)"
            )
        if self.resize not in ("contain", "fill"):
            raise ValueError(f"resize must be 'contain' or 'fill', not {self.resize!r}")
        object.__setattr__(self, "fields", tuple(self.fields))
        object.__setattr__(self, "cell_size", check_cell_size(self.cell_size))

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> CollectionSpec:
        data: dict[str, Any] = json.loads(text)
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown collection spec keys: {sorted(unknown)}")
        if "cell_size" in data:
            data["cell_size"] = tuple(data["cell_size"])
        return cls(**data)
