"""IIIF out: a Deep Zoom pyramid republished as a IIIF Image API 3 level-0 service, static
files any host serves: ``info.json`` and the tiles at the regions and sizes it declares.

The full-resolution level of the pyramid is put back together (each tile cropped of its
overlap, joined by libvips, decoded as it streams out) and tiled again by libvips ``dzsave``
with ``layout="iiif3"``, which writes the tiles, one whole-image size (``full/<w>,<h>/``) and
``info.json``; the ``sizes`` entry naming that whole image is added, so that IIIF clients find
a thumbnail without tiles. Where the whole map fits in one tile, it is also ``full/max/``,
which clients ask for then (a larger map has none: one image of all its pixels could be
gigabytes, and libvips writes none).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from ..deepzoom import deep_zoom_levels, files_folder, read_dzi
from ..storage import is_local, local_path

#: The service's folder name in a site version, and the name of its descriptor in it.
IIIF_FOLDER = "iiif"
INFO_NAME = "info.json"
#: Tile side of the service: what IIIF viewers (Mirador, Universal Viewer) ask by default.
TILE_SIZE = 512


def _full_level(tiles_dir: Any, dzi: str) -> Any:
    """The pyramid's largest level as one lazy libvips image (tiles cropped of their overlap)."""
    import pyvips  # the libvips binding loads a shared library: only when a service is written

    descriptor = read_dzi(tiles_dir / dzi)
    size, overlap = descriptor.tile_size, descriptor.overlap
    level = tiles_dir / files_folder(dzi) / str(deep_zoom_levels(descriptor.width, descriptor.height) - 1)
    cols, rows = -(-descriptor.width // size), -(-descriptor.height // size)
    tiles = []
    for row in range(rows):
        for col in range(cols):
            path = level / f"{col}_{row}.{descriptor.format}"
            # Local tiles are opened as files, decoded as the join streams past them; tiles on
            # object storage are fetched first (their compressed bytes stay in memory).
            tile = (
                pyvips.Image.new_from_file(str(local_path(path)), access="sequential")
                if is_local(path)
                else pyvips.Image.new_from_buffer(path.read_bytes(), "", access="sequential")
            )
            left, top = (overlap if col else 0), (overlap if row else 0)
            width = min(size, descriptor.width - col * size)
            height = min(size, descriptor.height - row * size)
            tiles.append(tile.crop(left, top, width, height))
    # arrayjoin gives every cell the largest tile's size: the smaller last column and row
    # sit in their cells' top left corner, and the padding beyond them is cut off.
    return pyvips.Image.arrayjoin(tiles, across=cols).crop(0, 0, descriptor.width, descriptor.height)


def write_image_service(tiles_dir: Any, dzi: str, out_dir: Path, service_id: str, *, quality: int = 85) -> dict:
    """Write the IIIF level-0 service of the Deep Zoom pyramid ``tiles_dir / dzi`` (a path or
    UPath) into the local folder ``out_dir / IIIF_FOLDER`` and return its ``info.json``.

    ``service_id`` is the service's absolute URL, where ``out_dir / IIIF_FOLDER`` will be
    served (IIIF clients build every tile's URL from it); ``quality`` the tiles' JPEG quality.
    """
    if not service_id.lower().startswith(("http://", "https://")) or service_id.endswith("/"):
        raise ValueError(f"the service id must be an absolute http(s) URL without a final '/', not {service_id!r}")
    base, name = service_id.rsplit("/", 1)
    if name != IIIF_FOLDER:
        raise ValueError(f"the service id must end in /{IIIF_FOLDER}, not {service_id!r}")
    image = _full_level(tiles_dir, dzi)
    out_dir.mkdir(parents=True, exist_ok=True)
    image.dzsave(str(out_dir / IIIF_FOLDER), layout="iiif3", id=base, tile_size=TILE_SIZE, suffix=f".jpg[Q={quality}]", keep=0)
    info_path = out_dir / IIIF_FOLDER / INFO_NAME
    info = json.loads(info_path.read_text())
    (out_dir / IIIF_FOLDER / "vips-properties.xml").unlink(missing_ok=True)
    full = out_dir / IIIF_FOLDER / "full"
    whole = [path.name.split(",") for path in full.iterdir()]
    info["sizes"] = [{"width": int(w), "height": int(h)} for w, h in sorted(whole, key=lambda s: int(s[0]))]
    if (full / f"{image.width},{image.height}").is_dir():  # one tile: clients ask for it as "max"
        shutil.copytree(full / f"{image.width},{image.height}", full / "max")
    info_path.write_text(json.dumps(info, indent=1))
    return info
