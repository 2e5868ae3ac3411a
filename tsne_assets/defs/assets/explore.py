"""What visitors explore the map with beyond the images themselves: the similar images of
each, the named groups labelled on the map, and the facets they filter by."""

import dagster as dg
import numpy as np
import pandas as pd

from ...core.clusters import (
    clusters_document,
    describe_clusters,
    find_groups,
    image_texts,
    listed_codes,
    min_cluster_size,
    shared_values,
)
from ...core.facets import summarise_facet
from ...core.similar import DEFAULT_NEIGHBOURS, most_similar
from ._common import PARTITIONED, markdown_list, stopwatch
from .collection import spec_of

EXPLORE = {**PARTITIONED, "group_name": "explore"}


class SimilarConfig(dg.Config):
    k: int = DEFAULT_NEIGHBOURS
    """Similar images listed for each image (fewer in a smaller collection)."""


@dg.asset(**EXPLORE, io_manager_key="numpy_io_manager", kinds={"numpy"})
def similar_images(config: SimilarConfig, pca: np.ndarray, feature_neighbours: np.ndarray) -> dg.Output[np.ndarray]:
    """Each image's most similar images by the cosine of their PCA-reduced features, among its
    nearest in feature space (``feature_neighbours``), most similar first: ``(n, k)`` int32
    indices in the order of the images (and of the viewer's items)."""
    with stopwatch() as timing:
        table = most_similar(pca, feature_neighbours["index"], config.k)
    return dg.Output(
        table,
        metadata={
            "images": len(table),
            "k": int(table.shape[1]),
            "metric": "cosine",
            "bytes_published": int(table.nbytes),
            "seconds": timing["seconds"],
        },
    )


class ClustersConfig(dg.Config):
    min_cluster_size: int = 0
    """The smallest group in images; 0 chooses 2 % of the collection, at least 3."""


@dg.asset(**EXPLORE, io_manager_key="json_io_manager", kinds={"scikitlearn"})
def clusters(
    config: ClustersConfig, collection_spec: dict, collection_metadata: pd.DataFrame, tsne: np.ndarray, grid: dict
) -> dg.Output[dict]:
    """Groups of the t-SNE layout (HDBSCAN), each named from its most distinctive words in the
    titles and fields (TF-IDF against the whole collection), else by the value of a category
    field most of its images share, and placed on the grid: the label's
    cell and the group's extent, which the viewer labels at low zoom; and each image's group
    (``codes``: its place in the list, -1 for none), which the viewer's "Select" takes."""
    spec = spec_of(collection_spec)
    smallest = config.min_cluster_size or min_cluster_size(len(tsne))
    with stopwatch() as timing:
        groups = find_groups(tsne, smallest)
        columns = ("title", *spec.fields)
        texts = image_texts(collection_metadata, columns)
        shared = shared_values(collection_metadata, columns, groups)
        found = describe_clusters(groups, np.asarray(grid["cells"]), grid["cols"], texts, shared)
    noise = float(np.mean(groups < 0)) if len(groups) else 0.0
    return dg.Output(
        {
            "min_cluster_size": smallest,
            "noise_share": round(noise, 4),
            "clusters": clusters_document(found),
            "codes": listed_codes(groups).tolist(),
        },
        metadata={
            "clusters": len(found),
            "noise_share": dg.MetadataValue.float(round(noise, 4)),
            "min_cluster_size": smallest,
            "labels": dg.MetadataValue.md(markdown_list([f"{c.label} ({c.size})" for c in found])),
            "seconds": timing["seconds"],
        },
    )


@dg.asset(**EXPLORE, io_manager_key="json_io_manager", kinds={"json"})
def facets(collection_spec: dict, collection_metadata: pd.DataFrame) -> dg.Output[dict]:
    """Each facet of the spec (``--facet``) summarised for the viewer's filters: categorical
    values with counts, or a histogram and each image's number for numeric and date fields."""
    spec = spec_of(collection_spec)
    summaries = [summarise_facet(name, collection_metadata[name].tolist()) for name in spec.facets]
    return dg.Output(
        {"facets": summaries},
        metadata={
            "facets": len(summaries),
            "kinds": dg.MetadataValue.md(markdown_list([f"{s['field']}: {s['kind']}" for s in summaries])),
        },
    )
