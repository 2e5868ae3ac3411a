"""The whole viewer document (core/viewer_document.py): each section present exactly when given."""

import numpy as np
import pandas as pd

from tsne_assets.core.iiif.publication import SERVICE_INFO
from tsne_assets.core.map_state import ADDED_FIELD
from tsne_assets.core.spec import CollectionSpec
from tsne_assets.core.viewer_data import check_viewer_metadata, detail_section
from tsne_assets.core.viewer_document import viewer_document

SPEC = CollectionSpec(id="met", images="/data/met", metadata="/data/m.csv", fields=("Year",), name="The Met")
RECORDS = pd.DataFrame(
    {"id": ["a.jpg", "b.jpg", "c.jpg"], "title": ["A", "B", "C"], "url": ["", "", ""], "Year": ["1850", "1900", ""]}
)
CELLS = np.array([0, 3, 2])
#: A ``sources`` section (core/iiif/source_images.py) of the three images: a and b harvested.
SOURCES = {
    "manifests": ["https://m.example/1"], "manifest": [0, 0, -1], "canvas": ["https://m.example/1/a", "https://m.example/1/b", ""],
    "profiles": [], "service": ["", "", ""], "profile": [-1, -1, -1], "width": [0, 0, 0], "height": [0, 0, 0],
}


def document(spec: CollectionSpec = SPEC, records: pd.DataFrame = RECORDS, **sections):
    return viewer_document(spec, records, CELLS, cols=2, rows=2, **sections)


def test_without_sections_the_document_is_the_grid_and_items_only():
    doc = document()
    assert check_viewer_metadata(doc) == 3
    assert doc["collection"] == "met" and doc["title"] == "The Met"
    assert doc["cells"] == [0, -1, 2, 1] and doc["fields"] == ["Year"]
    assert doc["image"]["width"] == 2 * SPEC.cell_size[0] and doc["image"]["iiif"] == SERVICE_INFO
    for section in ("detail", "similar", "clusters", "cluster_codes", "facets", "arrangements", "sources"):
        assert section not in doc


def test_each_section_given_is_written_under_its_key_in_the_contracts_order():
    detail = detail_section(["a.jpg", "b.jpg", "c.jpg"], {"b.jpg": (900, 600)}, resize="contain",
                            tile_size=256, overlap=0, tile_format="jpg")
    facet = {"field": "Year", "kind": "numeric"}
    doc = document(
        detail=detail,
        similar={"path": "similar.bin", "k": 2},
        clusters=[{"label": "vases", "members": 2}],
        cluster_codes=[0, 0, -1],
        facets=[facet],
        arrangements={"timeline": {"path": "timeline.json", "field": "Year"}},
        sources=SOURCES,
    )
    assert doc["detail"] is detail and doc["similar"] == {"path": "similar.bin", "k": 2}
    assert doc["clusters"] == [{"label": "vases", "members": 2}] and doc["cluster_codes"] == [0, 0, -1]
    assert doc["facets"] == [facet] and doc["arrangements"]["timeline"]["field"] == "Year"
    assert doc["sources"] is SOURCES
    assert list(doc)[-8:] == ["items", "detail", "similar", "clusters", "cluster_codes", "facets", "arrangements", "sources"]


def test_cluster_codes_are_written_only_with_clusters():
    assert "cluster_codes" not in document(clusters=[], cluster_codes=[0, 0, 0])


def test_the_map_tiles_setting_names_the_map_as_deep_zoom_or_iiif():
    deep_zoom = document(CollectionSpec(id="met", images="/data/met", map_tiles="dzi"))
    iiif = document(CollectionSpec(id="met", images="/data/met", map_tiles="iiif"))
    assert deep_zoom["image"]["dzi"] == "tiles.dzi" and "iiif" not in deep_zoom["image"]
    assert "dzi" not in iiif["image"] and iiif["image"]["manifest"]


def test_added_dates_that_differ_become_a_field_and_the_last_facet():
    facet = {"field": "Year", "kind": "numeric"}
    doc = document(added=["2026-01-01", "2026-01-01", "2026-02-03"], facets=[facet])
    assert doc["fields"] == ["Year", ADDED_FIELD]
    assert doc["items"][ADDED_FIELD] == ["2026-01-01", "2026-01-01", "2026-02-03"]
    assert doc["facets"][0] == facet and doc["facets"][1]["field"] == ADDED_FIELD and doc["facets"][1]["kind"] == "date"
    assert "Added" not in RECORDS.columns  # the caller's records are left as they were


def test_added_dates_of_one_day_add_nothing():
    doc = document(added=["2026-01-01"] * 3)
    assert doc["fields"] == ["Year"] and ADDED_FIELD not in doc["items"] and "facets" not in doc


def test_a_records_column_named_added_is_kept_rather_than_replaced():
    records = RECORDS.assign(**{ADDED_FIELD: ["x", "y", "z"]})
    doc = document(records=records, added=["2026-01-01", "2026-01-01", "2026-02-03"])
    assert doc["fields"] == ["Year"] and "facets" not in doc
