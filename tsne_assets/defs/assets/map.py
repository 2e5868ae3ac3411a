"""From positions to a map: the Deep Zoom mosaic and the viewer's metadata."""

import dagster as dg
import numpy as np
import pandas as pd
from PIL import ImageColor

from ...core import storage as storage_paths
from ...core.iiif.source_images import source_canvases, source_section
from ...core.manifest import read_bytes, readable_images
from ...core.mosaic import MosaicOptions
from ...core.mosaic.versioned import MosaicVersion, draw_mosaic
from ...core.similar import SIMILAR_NAME, similar_bytes, similar_section
from ...core.site import publish_site, read_pointer
from ...core.viewer_data import detail_section
from ...core.viewer_document import viewer_document
from ..resources import ProgressReporter, StorageResource
from ._common import PARTITIONED, drawn_metadata, stopwatch
from .iiif import iiif_files
from .collection import spec_of
from ...core.spec import CollectionSpec
from ...core.timeline import TIMELINE_FOLDER, TIMELINE_NAME, timeline_file, timeline_pointer

MAP = {**PARTITIONED, "group_name": "map"}


class TilesConfig(dg.Config):
    tile_size: int = 256
    """Side of the Deep Zoom tiles in pixels (the cell size of each image is the collection's)."""
    overlap: int = 0
    """Pixels each tile shares with each neighbour. 0: a changed cell changes only the tiles
    under it (see ``MosaicOptions.overlap``)."""
    tile_format: str = "jpg"
    quality: int = 90
    background: str = "#1c1e22"
    """Colour of empty cells and letterbox bars: the viewer's own surface, so that empty cells
    read as empty rather than as white objects."""

    def mosaic_options(self, spec: CollectionSpec) -> MosaicOptions:
        """How a map of ``spec``'s cells is drawn (the similarity map's and the timeline's)."""
        return MosaicOptions(
            cell_size=spec.cell_size,
            resize=spec.resize,
            tile_size=self.tile_size,
            overlap=self.overlap,
            tile_format=self.tile_format,
            quality=self.quality,
            background=ImageColor.getrgb(self.background)[:3],
        )


@dg.asset(**MAP, io_manager_key="json_io_manager", kinds={"libvips"})
def tiles(
    context: dg.AssetExecutionContext,
    config: TilesConfig,
    storage: StorageResource,
    progress: ProgressReporter,
    collection_spec: dict,
    image_manifest: pd.DataFrame,
    grid: dict,
) -> dg.Output[dict]:
    """The mosaic of every image in its grid cell, as a Deep Zoom (DZI) pyramid, plus a preview.

    Each materialization writes a fresh folder ``tiles/<collection>/<run id>/`` so that a run
    never overwrites the tiles another version of the collection still serves. Where the
    published version's pyramid has the same grid and drawing options, only the tiles over cells
    whose image changed are re-rendered, at every level, and every other tile is reused (hard
    links, or server-side copies on S3): see :mod:`tsne_assets.core.mosaic.versioned`.
    """
    spec = spec_of(collection_spec)
    images = readable_images(image_manifest)
    # Timed with the upload, where the storage is remote.
    with stopwatch() as timing:
        arrangement = (np.asarray(grid["cells"]), grid["cols"], grid["rows"])
        relative, drawn = draw_arrangement(context, config, storage, progress, spec, images, arrangement, "tiles", "mosaic")
    info = drawn.info
    return dg.Output(
        {
            "path": relative,
            "dzi": info.dzi,
            "width": info.width,
            "height": info.height,
            "tile_size": info.tile_size,
            "overlap": info.overlap,
            "format": info.format,
            "levels": info.levels,
        },
        metadata=drawn_metadata(drawn, storage.path(relative), images["id"].tolist(), timing["seconds"]),
    )


def draw_arrangement(
    context: dg.AssetExecutionContext,
    config: TilesConfig,
    storage: StorageResource,
    progress: ProgressReporter,
    spec: CollectionSpec,
    images: pd.DataFrame,
    grid: tuple[np.ndarray, int, int],
    folder: str,
    name: str,
) -> tuple[str, MosaicVersion]:
    """Draw one arrangement of the readable ``images``, ``grid`` being each image's cell and the
    grid's columns and rows, into ``<folder>/<collection>/<run id>/`` (relative to the storage
    root, returned with what :func:`~tsne_assets.core.mosaic.versioned.draw_mosaic` wrote),
    updating the published version's pyramid of the same folder where few cells changed;
    ``name`` is what the progress reports say is being drawn."""
    relative = f"{folder}/{spec.id}/{context.run.run_id}"
    published = read_pointer(storage.path("site", spec.id))
    cells, cols, rows = grid
    with progress.track(context.log, len(images), f"drawing {name}") as advance:
        drawn = draw_mosaic(
            images["path"].tolist(),
            images["sha256"].tolist(),
            cells,
            cols,
            rows,
            storage.path(relative),
            config.mosaic_options(spec),
            previous=storage.path(folder, spec.id, published) if published else None,
            read=lambda path: read_bytes(path, storage.options_for(path)),
            progress=advance,
        )
    return relative, drawn


@dg.asset(**MAP, io_manager_key="json_io_manager", kinds={"json"})
def viewer_metadata(
    collection_spec: dict,
    collection_metadata: pd.DataFrame,
    grid: dict,
    detail_pyramids: dict,
    similar_images: np.ndarray,
    clusters: dict,
    facets: dict,
    timeline: dict,
) -> dg.Output[dict]:
    """What the viewer needs: grid and cell size, for each cell its image's id, title, link
    and extra fields, the size of each image's own pyramid, where the similar images' table is,
    the cluster labels and the facets, and for a map built from IIIF each image's source.
    Strings are data, never markup. Once the map has grown, the day each image joined it is a
    field and a date facet too (``Added``)."""
    spec = spec_of(collection_spec)
    pyramids = detail_pyramids["images"]
    detail = None
    if pyramids:
        detail = detail_section(
            collection_metadata["id"].tolist(),
            {image_id: (p["width"], p["height"]) for image_id, p in pyramids.items()},
            resize=spec.resize,
            tile_size=detail_pyramids["tile_size"],
            overlap=detail_pyramids["overlap"],
            tile_format=detail_pyramids["format"],
        )
    document = viewer_document(
        spec,
        collection_metadata,
        grid["cells"],
        cols=grid["cols"],
        rows=grid["rows"],
        added=grid.get("added") or [],
        detail=detail,
        similar=similar_section(similar_images),
        clusters=clusters["clusters"],
        cluster_codes=clusters.get("codes", []),  # a value stored before codes existed has none
        facets=facets["facets"],
        arrangements=timeline_pointer(timeline),  # its grid: timeline.json, published by viewer_site
        # the source columns a IIIF build's records keep (a plain collection's fields may share their names)
        sources=source_section(collection_metadata) if spec.iiif else None,
    )
    return dg.Output(
        document,
        metadata={
            "images": len(collection_metadata),
            "fields": ", ".join(spec.fields) or "(none)",
            "name": document["title"],
            "detail_pyramids": len(pyramids),
            # images that link the IIIF canvas they were harvested from (0: not built from IIIF)
            "iiif_source_canvases": sum(source is not None for source in source_canvases(document.get("sources")) or []),
        },
    )


@dg.asset(**MAP, io_manager_key="json_io_manager", kinds={"html"})
def viewer_site(
    context: dg.AssetExecutionContext,
    storage: StorageResource,
    tiles: dict,
    viewer_metadata: dict,
    detail_pyramids: dict,
    similar_images: np.ndarray,
    collection_spec: dict,
    timeline: dict,
    timeline_tiles: dict,
) -> dg.Output[dict]:
    """The collection's published viewer: the web app, the tiles, the images' own pyramids and
    the metadata in one folder of storage (``site/<collection>/``), with the map as IIIF (an
    image service made of the map's tiles, a manifest and its annotations) unless the spec
    publishes Deep Zoom only (``map_tiles``), switched to the new version in one step.
    Then the tile folders of other runs (older builds, failed runs) are removed: the site holds
    its own copy."""
    site_dir = storage.path("site", context.partition_key)
    widths = (viewer_metadata.get("detail") or {}).get("width") or []
    ids = viewer_metadata["items"]["id"]
    pyramids = detail_pyramids["images"]
    detail_dirs = {
        item: storage.path(detail_pyramids["cache"], pyramids[ids[item]]["folder"])
        for item, width in enumerate(widths)
        if width
    }
    spec = spec_of(collection_spec)
    with stopwatch() as timing:
        iiif = iiif_files(spec, storage, tiles["path"], viewer_metadata, context.run.run_id) if spec.map_tiles != "dzi" else None
        files, folders = dict(iiif.files if iiif else {}), {}
        if "similar" in viewer_metadata:
            files[SIMILAR_NAME] = similar_bytes(similar_images)
        if timeline:  # the second arrangement and its pyramid, in the same version
            files[TIMELINE_NAME] = timeline_file(timeline)
            folders[TIMELINE_FOLDER] = storage.path(timeline_tiles["path"])
        published = publish_site(
            site_dir,
            version=context.run.run_id,
            tiles_dir=storage.path(tiles["path"]),
            metadata=viewer_metadata,
            detail_dirs=detail_dirs,
            files=files,
            folders=folders,
            copies=iiif.copies if iiif else None,
        )
        this_run = tiles["path"].rsplit("/", 1)[-1]
        removed_tiles = storage_paths.prune_children(storage.path("tiles", context.partition_key), {this_run})
    return dg.Output(
        {"path": f"site/{context.partition_key}/", "version": published.version},
        metadata={
            "location": dg.MetadataValue.path(str(site_dir)),
            "version": published.version,
            "previous_version": published.previous or "(none)",
            "removed_versions": len(published.removed),
            "removed_tile_folders": len(removed_tiles),
            "images": published.images,
            "detail_pyramids": len(detail_dirs),
            "iiif_manifest": dg.MetadataValue.url(iiif.manifest_url) if iiif else "(not published: --map-tiles dzi)",
            "seconds": timing["seconds"],
        },
    )
