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
        width, height = self.cell_size
        if width < 1 or height < 1:
            raise ValueError(f"cell size must be positive, not {width}x{height}")
        object.__setattr__(self, "fields", tuple(self.fields))
        object.__setattr__(self, "cell_size", (int(width), int(height)))

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
