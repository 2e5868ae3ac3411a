"""The timeline arrangement (``--timeline``): the images in columns by date, as a second pyramid
published in the same version as the similarity map."""

import dagster as dg
import numpy as np
import pandas as pd

from ...core import storage as storage_paths
from ...core.deepzoom import DZI_NAME
from ...core.manifest import readable_images
from ...core.site import read_pointer
from ...core.timeline import TIMELINE_FOLDER, arrange_timeline, similarity_order, timeline_section
from ..resources import ProgressReporter, StorageResource
from ._common import PARTITIONED, drawn_metadata, markdown_list, stopwatch
from .collection import spec_of
from .map import TilesConfig, draw_arrangement

TIMELINE = {**PARTITIONED, "group_name": "map"}


@dg.asset(**TIMELINE, io_manager_key="json_io_manager", kinds={"numpy"})
def timeline(collection_spec: dict, collection_metadata: pd.DataFrame, grid: dict) -> dg.Output[dict]:
    """The timeline arrangement, where the spec has one (``timeline``; else ``{}``): each image's
    cell in columns by its date's bin of years, oldest first, the undated images in a last
    labelled column, stacked by their order on the similarity map
    (:func:`~tsne_assets.core.timeline.arrange_timeline`). Rebuilt whole on every build: it
    takes milliseconds, and a new image's date may move every image of its column."""
    spec = spec_of(collection_spec)
    if spec.timeline is None:
        return dg.Output({}, metadata={"timeline": "(none: no --timeline)"})
    with stopwatch() as timing:
        order = similarity_order(np.asarray(grid["cells"]), grid["cols"], grid["rows"])
        arranged = arrange_timeline(collection_metadata[spec.timeline].tolist(), order)
    bins = arranged.bins
    return dg.Output(
        timeline_section(arranged, field=spec.timeline, dzi=f"{TIMELINE_FOLDER}/{DZI_NAME}", cell_size=spec.cell_size),
        metadata={
            "field": spec.timeline,
            "columns": arranged.cols,
            "rows": arranged.rows,
            "bands": len(arranged.axis),
            "band_width": arranged.band,
            "bin_years": bins.width if bins else 0,
            "bins": ", ".join(entry["label"] for entry in arranged.axis),
            "undated": arranged.undated,
            "undated_images": dg.MetadataValue.md(markdown_list(arranged.undated_ids(collection_metadata["id"].tolist()))),
            "seconds": timing["seconds"],
        },
    )


@dg.asset(**TIMELINE, io_manager_key="json_io_manager", kinds={"libvips"})
def timeline_tiles(
    context: dg.AssetExecutionContext,
    config: TilesConfig,
    storage: StorageResource,
    progress: ProgressReporter,
    collection_spec: dict,
    image_manifest: pd.DataFrame,
    timeline: dict,
) -> dg.Output[dict]:
    """The timeline's mosaic as a Deep Zoom pyramid, drawn as ``tiles`` draws the similarity map
    (:func:`~tsne_assets.core.mosaic.versioned.draw_mosaic`), in ``timeline/<collection>/<run>/``:
    the published version's timeline is updated where few of its cells changed. ``{}`` without a
    timeline. Folders of older runs are removed, except the published one."""
    spec = spec_of(collection_spec)
    if not timeline:
        return dg.Output({}, metadata={"timeline": "(none: no --timeline)"})
    images = readable_images(image_manifest)
    grid = timeline["grid"]
    with stopwatch() as timing:
        relative, drawn = draw_arrangement(
            context, config, storage, progress, spec, images,
            (np.asarray(timeline["item_cells"]), grid["cols"], grid["rows"]), TIMELINE_FOLDER, "timeline"
        )
    published = read_pointer(storage.path("site", spec.id))
    keep = {context.run.run_id} | ({published} if published else set())
    removed = storage_paths.prune_children(storage.path(TIMELINE_FOLDER, spec.id), keep)
    return dg.Output(
        {"path": relative},
        metadata={
            **drawn_metadata(drawn, storage.path(relative), images["id"].tolist(), timing["seconds"]),
            "removed_folders": len(removed),
        },
    )

