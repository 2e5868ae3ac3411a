"""The viewer tests' collection: a few distinct images with awkward titles, built and published.

``write_source`` writes the images and their CSV (the same input a user gives the pipeline);
``build_and_publish`` turns them into a published viewer site under a storage root.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from tsne_assets.core.site import PublishedSite, publish_site
from tsne_assets.core.spec import CollectionSpec

COLLECTION_ID = "viewer-test"
CELL_SIZE = (160, 120)  # non-square cells on purpose
FIELDS = ("date", "culture")
XSS_TITLE = "<img src=x onerror=alert(1)>"
ACCENT_TITLE = "Café Déjà vu"
#: The collection's identity (spec name, about, credit, license); markup in it must stay text.
IDENTITY = {
    "name": "Colours & <b>shapes</b>",
    "about": "Eleven colours, one per image.\n\n<img src=x onerror=alert(3)> is text too.",
    "credit": "The test suite",
    "license": "CC0",
}

#: (file name, title, date, culture, url, colour). Eleven images on a 4 x 3 grid: one empty cell.
ITEMS = [
    ("red.png", "Red amphora", "ca. 480 BCE", "Etruscan", "https://example.org/record/red", (220, 40, 40)),
    ("green.png", ACCENT_TITLE, "1890", "Français", "https://example.org/record/cafe", (40, 180, 60)),
    ("blue.png", XSS_TITLE, "2024", "Web", "https://example.org/record/xss", (40, 70, 210)),
    ("yellow.png", "Yellow kylix", "ca. 500 BCE", "Attic", "https://example.org/record/yellow", (240, 200, 30)),
    ("purple.png", "Small amphora", "ca. 450 BCE", "Etruscan", "https://example.org/record/purple", (150, 60, 190)),
    ("cyan.png", "Cyan stele", "n.d.", "Greek", "https://example.org/record/cyan", (30, 200, 200)),
    ("orange.png", "Orange krater", "ca. 430 BCE", "Attic", "https://example.org/record/orange", (250, 130, 20)),
    ("grey.png", "Grey kouros", "ca. 590 BCE", "Greek", "https://example.org/record/grey", (128, 128, 128)),
    ("white.png", "White lekythos", "ca. 440 BCE", "Attic", "https://example.org/record/white", (235, 235, 235)),
    ("pink.png", "Pink pyxis", "ca. 350 BCE", "Apulian", "javascript:alert(2)", (250, 150, 200)),
    ("olive.png", "Olive oinochoe", "ca. 520 BCE", "Corinthian", "https://example.org/record/olive", (120, 130, 30)),
]


def colour_of(filename: str) -> tuple[int, int, int]:
    return next(item[5] for item in ITEMS if item[0] == filename)


def write_source(folder: Path) -> tuple[Path, Path]:
    """Write the images (solid colours with a lighter inner square) and ``images.csv``."""
    images = folder / "images"
    images.mkdir(parents=True, exist_ok=True)
    width, height = CELL_SIZE
    for name, *_rest, colour in ITEMS:
        pixels = np.empty((height, width, 3), np.uint8)
        pixels[:] = colour
        # A small centred square, so that the CNN features differ by more than the colour.
        pixels[height // 2 - 8 : height // 2 + 8, width // 2 - 8 : width // 2 + 8] = [255 - c for c in colour]
        Image.fromarray(pixels).save(images / name)
    table = folder / "images.csv"
    with table.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["filename", "title", "date", "culture", "url"])
        for name, title, date, culture, url, _colour in ITEMS:
            writer.writerow([name, title, date, culture, url])
    return images, table


def spec_for(folder: Path) -> CollectionSpec:
    images, table = write_source(folder)
    return CollectionSpec(
        id=COLLECTION_ID,
        images=str(images),
        metadata=str(table),
        fields=FIELDS,
        facets=("culture",),  # the filters drawer, audited for accessibility
        timeline="date",  # the timeline arrangement (BCE circa years, two modern ones, one undated)
        cell_size=CELL_SIZE,
        resize="fill",
        **IDENTITY,
    )


@dataclass(frozen=True)
class BuiltCollection:
    root: Path
    id: str
    site: PublishedSite
    metadata: dict


#: Where each image goes (row-major cell -> index into ITEMS, -1 empty) when built directly.
DIRECT_CELLS = [4, 0, 7, 2, 9, 1, -1, 5, 3, 10, 8, 6]
DIRECT_GRID = (4, 3)


def build_directly(root: Path, source: Path) -> BuiltCollection:
    """Build the test collection's tiles and metadata without the pipeline, then publish it.

    The layout is fixed (``DIRECT_CELLS``) instead of a t-SNE; tiles are made with pyvips the
    way the mosaic asset makes them, metadata with ``core.viewer_data`` as the pipeline does.
    """
    import pandas as pd
    import pyvips

    from tsne_assets.core.viewer_data import viewer_metadata

    spec = spec_for(source)
    cols, rows = DIRECT_GRID
    width, height = CELL_SIZE
    black = pyvips.Image.black(width, height, bands=3)
    tiles = [
        black if item < 0 else pyvips.Image.new_from_file(str(Path(spec.images) / ITEMS[item][0]))[0:3]
        for item in DIRECT_CELLS
    ]
    mosaic = pyvips.Image.arrayjoin(tiles, across=cols).cast("uchar")
    version = "v1"
    tiles_dir = root / "tiles" / spec.id / version
    tiles_dir.mkdir(parents=True, exist_ok=True)
    mosaic.dzsave(str(tiles_dir / "tiles"), tile_size=256, overlap=1, suffix=".jpg[Q=90]")
    mosaic.thumbnail_image(480).write_to_file(str(tiles_dir / "preview.jpg"))

    placed = [item for item in range(len(ITEMS)) if item in DIRECT_CELLS]
    records = pd.DataFrame(
        {
            "id": [ITEMS[i][0] for i in placed],
            "title": [ITEMS[i][1] for i in placed],
            "date": [ITEMS[i][2] for i in placed],
            "culture": [ITEMS[i][3] for i in placed],
            "url": [ITEMS[i][4] for i in placed],
        }
    )
    cells = [DIRECT_CELLS.index(i) for i in placed]
    metadata = viewer_metadata(
        spec.id, records, cells, cols=cols, rows=rows, cell_size=CELL_SIZE, fields=FIELDS
    )
    published = publish_site(root / "site" / spec.id, version=version, tiles_dir=tiles_dir, metadata=metadata)
    stored = json.loads((root / "site" / spec.id / published.path / "metadata.json").read_text(encoding="utf-8"))
    return BuiltCollection(root=root, id=spec.id, site=published, metadata=stored)


def build_with_pipeline(root: Path, source: Path, spec: CollectionSpec | None = None) -> BuiltCollection:
    """Build the test collection (or ``spec``'s) with the pipeline and publish its viewer under ``root``.

    The Dagster pipeline (``tsne_assets.defs.build.build_collection``) materializes every asset
    into ``root``; the site is then published from the ``tiles`` and ``viewer_metadata`` assets
    with :func:`publish_site`, exactly as the site asset does.
    """
    import dagster as dg

    from tsne_assets.defs.build import build_collection

    spec = spec or spec_for(source)
    with dg.DagsterInstance.ephemeral() as instance:
        result = build_collection(spec, root=str(root), instance=instance)
        assert result.success
        site_dir = root / "site" / spec.id
        pointer = site_dir / "current.json"
        if pointer.is_file():
            # The pipeline published the site itself.
            version = json.loads(pointer.read_text())["path"].split("/")[1]
            published = PublishedSite(site_dir, version, f"versions/{version}/", len(ITEMS), None, ())
        else:
            tiles = result.output_for_node("tiles")
            metadata = result.output_for_node("viewer_metadata")
            published = publish_site(
                site_dir, version=result.run_id, tiles_dir=root / tiles["path"], metadata=metadata
            )
    metadata = json.loads((site_dir / published.path / "metadata.json").read_text(encoding="utf-8"))
    return BuiltCollection(root=root, id=spec.id, site=published, metadata=metadata)


#: How the browser tests build their collection: with the Dagster pipeline (the tests read
#: every expectation from the published metadata.json, so the t-SNE layout may be anything).
build_and_publish = build_with_pipeline
