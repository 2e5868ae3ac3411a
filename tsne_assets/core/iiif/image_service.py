"""IIIF out: a Deep Zoom pyramid without tile overlap published as a IIIF Image API 3 level-0
service, static files any host serves: ``info.json`` and one file per tile, each the very file
of a Deep Zoom tile (no pixel is decoded).

With overlap 0, Deep Zoom level ``L`` of a ``W`` x ``H`` image is the image scaled by
``1 / s``, ``s = 2 ** (max_level - L)``, to ``ceil(W / s)`` x ``ceil(H / s)`` pixels, cut into
``t``-pixel tiles. The IIIF tile ``(col, row)`` at scale factor ``s`` is the region
``x = col * t * s``, ``y = row * t * s``, ``w = min(t * s, W - x)``, ``h = min(t * s, H - y)``
at the size ``ceil(w / s)`` x ``ceil(h / s)``: exactly the Deep Zoom tile's pixels and size. A
tile that covers the whole image is named by its canonical region ``full``, and at scale 1 by
the size ``max`` too; the whole-image sizes are the service's ``sizes`` (thumbnails without
tiles). Every level is declared, down to 1 x 1 like the pyramid, so that a IIIF client's levels
(OpenSeadragon: ``log2`` of the largest scale factor) are the Deep Zoom levels.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..deepzoom import DeepZoomDescriptor, deep_zoom_level_size, deep_zoom_levels, files_folder
from ..spec_values import is_url

#: The service's folder name in a site version, and the name of its descriptor in it.
IIIF_FOLDER = "iiif"
INFO_NAME = "info.json"
IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"
#: Tile formats a service may name (Image API 3 ``format``); JPEG is level 0's own.
FORMATS = ("jpg", "png", "webp")


def check_tiling(descriptor: DeepZoomDescriptor) -> None:
    """Raise ValueError unless ``descriptor``'s tiles can be published as IIIF tiles."""
    if descriptor.overlap:
        raise ValueError(
            f"IIIF out needs Deep Zoom tiles without overlap, and these overlap by {descriptor.overlap} px: "
            "build with the tiles config's overlap at 0 (the default), or publish Deep Zoom only (--map-tiles dzi)"
        )
    if descriptor.format not in FORMATS:
        raise ValueError(f"IIIF out publishes {', '.join(FORMATS)} tiles, not {descriptor.format!r}")


def service_tiles(descriptor: DeepZoomDescriptor, dzi: str) -> Iterator[tuple[str, str]]:
    """``(Deep Zoom tile, IIIF file)`` of every tile: paths relative to the descriptor's folder
    and to the service's folder (``tiles_files/3/1_0.jpg``, ``512,0,256,128/128,64/0/default.jpg``)."""
    check_tiling(descriptor)
    width, height, tile, ext = descriptor.width, descriptor.height, descriptor.tile_size, descriptor.format
    levels = deep_zoom_levels(width, height)
    for level in range(levels):
        scale = 1 << (levels - 1 - level)
        level_width, level_height = deep_zoom_level_size(width, height, level)
        for row in range(-(-level_height // tile)):
            for col in range(-(-level_width // tile)):
                x, y = col * tile * scale, row * tile * scale
                w, h = min(tile * scale, width - x), min(tile * scale, height - y)
                size = f"{-(-w // scale)},{-(-h // scale)}"
                source = f"{files_folder(dzi)}/{level}/{col}_{row}.{ext}"
                if (w, h) != (width, height):
                    yield source, f"{x},{y},{w},{h}/{size}/0/default.{ext}"
                    continue
                yield source, f"full/{size}/0/default.{ext}"
                if scale == 1:
                    yield source, f"full/max/0/default.{ext}"


def service_info(descriptor: DeepZoomDescriptor, service_id: str) -> dict[str, Any]:
    """The ``info.json`` of the service of ``descriptor``'s pyramid, served at ``service_id``
    (an absolute http(s) URL ending in ``/iiif``: clients build every tile's URL from it)."""
    check_tiling(descriptor)
    if not is_url(service_id) or not service_id.endswith(f"/{IIIF_FOLDER}"):
        raise ValueError(f"the service id must be an absolute http(s) URL ending in /{IIIF_FOLDER}, not {service_id!r}")
    width, height, tile = descriptor.width, descriptor.height, descriptor.tile_size
    levels = deep_zoom_levels(width, height)
    sizes = [deep_zoom_level_size(width, height, level) for level in range(levels)]
    info: dict[str, Any] = {
        "@context": IMAGE_CONTEXT,
        "id": service_id,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level0",
        "width": width,
        "height": height,
        "sizes": [{"width": w, "height": h} for w, h in sizes if w <= tile and h <= tile],
        "tiles": [{"width": tile, "height": tile, "scaleFactors": [1 << k for k in range(levels)]}],
    }
    if descriptor.format != "jpg":
        info["preferredFormats"] = info["extraFormats"] = [descriptor.format]
    return info
