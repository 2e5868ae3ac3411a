"""The whole viewer document of a build: the grid and items (:mod:`.viewer_data`) and each
section the steps after the grid contribute (the images' own pyramids, the similar images, the
map's IIIF service, clusters, facets, the day each image joined the map, other arrangements,
each image's IIIF source).

One keyword argument per section, so that a new section is one argument and one key; the
sections are built by their own modules and passed in as plain values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .iiif.publication import image_section
from .map_state import ADDED_FIELD, added_facet
from .viewer_data import viewer_metadata

if TYPE_CHECKING:
    import pandas as pd

    from .spec import CollectionSpec


def viewer_document(
    spec: CollectionSpec,
    records: pd.DataFrame,
    cells: np.ndarray | Sequence[int],
    *,
    cols: int,
    rows: int,
    added: Sequence[str] = (),
    detail: dict[str, Any] | None = None,
    similar: dict[str, Any] | None = None,
    clusters: Sequence[dict[str, Any]] = (),
    cluster_codes: Sequence[int] = (),
    facets: Sequence[dict[str, Any]] = (),
    arrangements: dict[str, Any] | None = None,
    sources: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The document the viewer reads for ``spec``'s collection, its images placed in ``cells``.

    Parameters
    ----------
    spec
        The collection's spec: its id, cell size, ``fields``, identity (name, About text,
        credit, licence) and ``map_tiles`` (how the map's tiles are published).
    records, cells, cols, rows
        One row per placed image and its grid cell, as for
        :func:`~.viewer_data.viewer_metadata`.
    added
        The day each image joined the map (ISO dates, in the records' order; empty: unknown).
        Once they differ (:func:`~.map_state.added_facet`) they are the field and the date facet
        :data:`~.map_state.ADDED_FIELD`, unless the records have a column of that name.
    detail
        The images' own pyramids (:func:`~.viewer_data.detail_section`), or None.
    similar
        Where the similar images' table is (:func:`~.similar.similar_section`), or None.
    clusters, cluster_codes
        The named clusters (:mod:`.clusters`) and each image's cluster as its index in them
        (-1: none); the codes are written only with clusters.
    facets
        The facets' summaries (:mod:`.facets`), before ``Added``'s.
    arrangements
        The other arrangements' pointers (:func:`~.timeline.timeline_pointer`); ``{}`` or None:
        the similarity map only.
    sources
        Each image's IIIF source canvas, manifest and image service
        (:func:`~.iiif.source_images.source_section`), or None: not built from IIIF.
    """
    fields, facets = tuple(spec.fields), list(facets)
    added_summary = added_facet(list(added))
    if added_summary and ADDED_FIELD not in records.columns:
        records = records.assign(**{ADDED_FIELD: list(added)})
        fields, facets = (*fields, ADDED_FIELD), [*facets, added_summary]
    document = viewer_metadata(
        spec.id,
        records,
        np.asarray(cells),
        cols=cols,
        rows=rows,
        cell_size=spec.cell_size,
        fields=fields,
        identity=spec.identity(),
        detail=detail,
    )
    if similar:
        document["similar"] = similar  # the table itself is published beside the document
    document["image"] = image_section(document["image"], spec.map_tiles)  # where the viewer finds the tiles
    if clusters:
        document["clusters"] = list(clusters)
        document["cluster_codes"] = list(cluster_codes)
    if facets:
        document["facets"] = facets
    if arrangements:
        document["arrangements"] = arrangements
    if sources:
        document["sources"] = sources
    return document
