"""Consistency checks on a collection's outputs; each returns the problems found (none: passed).

Deep Zoom pyramids are checked by :func:`.deepzoom.verify_deep_zoom`; these functions cover the
grid, the viewer metadata and the published site.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from .iiif.source_images import source_section_problems
from .site import VERSIONS, map_image, read_pointer
from .storage import AnyPath
from .viewer_data import METADATA_NAME, item_columns

_LIMIT = 5


def _examples(values: list[Any]) -> str:
    shown = ", ".join(str(v) for v in values[:_LIMIT])
    return shown + (f" and {len(values) - _LIMIT} more" if len(values) > _LIMIT else "")


def grid_problems(grid: dict[str, Any], images: int) -> list[str]:
    """Whether each of the ``images`` readable images has exactly one cell of the grid."""
    cols, rows, cells = int(grid["cols"]), int(grid["rows"]), list(grid["cells"])
    problems = []
    if len(cells) != images:
        problems.append(f"{len(cells)} images placed, but the manifest has {images} readable images")
    if cols * rows < images:
        problems.append(f"a {cols}x{rows} grid cannot hold {images} images")
    outside = [cell for cell in cells if not 0 <= cell < cols * rows]
    if outside:
        problems.append(f"cells outside the {cols}x{rows} grid: {_examples(outside)}")
    shared = sorted(cell for cell, count in Counter(cells).items() if count > 1)
    if shared:
        problems.append(f"cells holding more than one image: {_examples(shared)}")
    return problems


def viewer_metadata_problems(document: dict[str, Any], grid: dict[str, Any], cell_size: tuple[int, int]) -> list[str]:
    """Whether the viewer document describes exactly the grid: its shape, the image in each
    cell, one item per placed image (in ``items`` and in the IIIF ``sources``, where present),
    and the mosaic's pixel size."""
    cols, rows, placed = int(grid["cols"]), int(grid["rows"]), list(grid["cells"])
    width, height = cell_size
    problems = []
    expected_grid = {"cols": cols, "rows": rows, "cell_width": width, "cell_height": height}
    if document.get("grid") != expected_grid:
        problems.append(f"grid is {document.get('grid')}, expected {expected_grid}")
    image = document.get("image") or {}
    if (image.get("width"), image.get("height")) != (cols * width, rows * height):
        problems.append(f"image is {image.get('width')}x{image.get('height')}, expected {cols * width}x{rows * height}")
    cells = document.get("cells") or []
    if len(cells) != cols * rows:
        return [*problems, f"cells has {len(cells)} entries, expected {cols * rows}"]
    expected_cells = [-1] * (cols * rows)
    for index, cell in enumerate(placed):
        expected_cells[cell] = index
    wrong = [cell for cell, (got, want) in enumerate(zip(cells, expected_cells)) if got != want]
    if wrong:
        problems.append(f"cells that differ from the grid: {_examples(wrong)}")
    items = document.get("items") or {}
    for name in item_columns(document):
        column = items.get(name)
        if not isinstance(column, list) or len(column) != len(placed):
            count = len(column) if isinstance(column, list) else "no"
            problems.append(f"items.{name} has {count} values, expected one per placed image ({len(placed)})")
    if "sources" in document:
        problems += source_section_problems(document["sources"], len(placed))
    return problems


def published_site_problems(site_dir: AnyPath, version: str, metadata: dict[str, Any]) -> list[str]:
    """Whether ``site_dir`` serves ``version`` with ``metadata``: the pointer names it, the
    version's ``metadata.json`` is that document, the map's image (its DZI descriptor or IIIF
    ``info.json``, :func:`~.site.map_image`) and the app's page exist."""
    try:
        current = read_pointer(site_dir)
    except ValueError as error:
        return [str(error)]
    if current != version:
        return [f"the pointer names version {current!r}, not {version!r}"]
    folder = site_dir / VERSIONS / version
    problems = []
    try:
        if json.loads((folder / METADATA_NAME).read_text(encoding="utf-8")) != metadata:
            problems.append(f"{METADATA_NAME} differs from the viewer metadata")
    except FileNotFoundError:
        problems.append(f"{METADATA_NAME} is missing")
    for required in (folder / map_image(metadata), site_dir / "index.html"):
        if not required.is_file():
            problems.append(f"{required} is missing")
    return problems
