"""IIIF in, each image's source: the harvest records each canvas's image service, and the viewer
document's ``sources`` section carries it with the source canvas and manifest, built from the
images' records (``collection_metadata`` keeps the harvested source columns)."""

import json

import dagster as dg
import numpy as np
import pandas as pd
import pytest

from tsne_assets.cli import _parser, _spec
from tsne_assets.core.checks import viewer_metadata_problems
from tsne_assets.core.iiif import Fetcher, HttpCache, harvest, table_csv, walk
from tsne_assets.core.iiif.image_api import parse_service
from tsne_assets.core.iiif.harvest import SERVICE_COLUMNS
from tsne_assets.core.iiif.source_images import RECORD_COLUMNS, source_canvases, source_section, source_section_problems
from tsne_assets.core.metadata import join_metadata
from tsne_assets.core.viewer_data import viewer_metadata
from tsne_assets.defs.assets.collection import collection_metadata
from tsne_assets.defs.assets.map import viewer_metadata as viewer_metadata_asset
from tsne_assets.defs.resources import StorageResource

from .server import StaticServer

#: An Image API 1.1 service as a version 2 manifest names it.
SERVICE_1_1 = {
    "@context": "http://library.stanford.edu/iiif/image-api/1.1/context.json",
    "@id": "https://images.example.org/iiif/old",
    "profile": "http://library.stanford.edu/iiif/image-api/1.1/compliance.html#level1",
}


def _records(table: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """The images ``ids``'s records with the source columns of the harvested ``table``, joined
    as ``collection_metadata`` joins them."""
    return join_metadata(ids, table, fields=RECORD_COLUMNS).records


@pytest.fixture(scope="module")
def harvested(module_iiif_server, tmp_path_factory):
    """The museum harvested once: the result and the server's URL."""
    folder = tmp_path_factory.mktemp("harvest")
    fetcher = Fetcher(HttpCache(folder / "cache"))
    return harvest(walk(f"{module_iiif_server.url}/collection.json", fetcher), fetcher, folder / "images"), module_iiif_server.url


def test_each_canvas_records_its_image_service_type_profile_and_size(harvested):
    result, base = harvested
    table = result.table.set_index("canvas")
    columns = ["image_service", "image_service_type", "image_service_profile", "image_width", "image_height"]
    assert table.loc[f"{base}/m3/canvas/1", columns].tolist() == [f"{base}/img/vase1", "ImageService3", "level2", "2000", "1500"]
    assert table.loc[f"{base}/m2/canvas/1", columns].tolist() == [
        f"{base}/img/level0", "ImageService2", "http://iiif.io/api/image/2/level0.json", "3000", "2000",
    ]
    # A profile listed with its features: the level's URI alone.
    assert table.loc[f"{base}/m2/canvas/2", "image_service_profile"] == "http://iiif.io/api/image/2/level1.json"
    assert table.loc[f"{base}/broken/canvas/2", columns].tolist() == ["", "", "", "", ""], "a plain image has no service"


def test_an_image_api_1_1_service_is_class_1_and_asked_for_its_native_quality():
    service = parse_service(SERVICE_1_1, 3000, 2000)
    assert (service.version, service.level, service.width) == (1, 1, 3000)
    assert parse_service({**SERVICE_1_1, "@context": None, "type": "ImageService1"}).version == 1


def _harvest_old_canvas(tmp_path, services, images: dict[str, bytes]):
    """The harvest of a version 2 manifest of one 3000 x 2000 canvas whose image lists the
    ``services`` made by ``services(base)`` (``base``: the server's URL), served with the
    ``images`` (path -> body) on 127.0.0.1: the result and the server's URL."""
    with StaticServer() as server:
        canvas = {"@id": f"{server.url}/old/canvas/1", "@type": "sc:Canvas", "width": 3000, "height": 2000,
                  "images": [{"resource": {"@id": f"{server.url}/old/full/full/0/native.jpg", "service": services(server.url)}}]}
        manifest = {"@context": "http://iiif.io/api/presentation/2/context.json", "@id": f"{server.url}/old.json",
                    "@type": "sc:Manifest", "label": "Old", "sequences": [{"canvases": [canvas]}]}
        server.files["/old.json"] = (json.dumps(manifest).encode(), "application/ld+json")
        server.files.update({path: (body, "image/jpeg") for path, body in images.items()})
        fetcher = Fetcher()
        return harvest(walk(f"{server.url}/old.json", fetcher), fetcher, tmp_path), server.url


def test_an_image_api_1_service_fetches_the_image_but_is_not_recorded_as_its_service(tmp_path):
    result, base = _harvest_old_canvas(
        tmp_path, lambda base: {**SERVICE_1_1, "@id": f"{base}/iiif/old"},
        {"/iiif/old/full/1024,/0/native.jpg": b"\xff\xd8 a jpeg"},  # 1.x serves no default.jpg
    )
    assert result.records["status"].tolist() == ["downloaded"]
    [row] = result.table.to_dict("records")
    assert row["canvas"] == f"{base}/old/canvas/1"
    assert [row[c] for c in ("image_service", "image_service_type", "image_service_profile", "image_width")] == ["", "", "", ""]
    section = source_section(_records(result.table, [row["filename"]]))
    assert (section["service"], section["profile"], section["profiles"]) == ([""], [-1], []), "exported from the site's own files"


def test_a_canvas_listing_an_image_api_1_service_first_is_fetched_through_and_records_its_version_2_service(tmp_path):
    level2 = "http://iiif.io/api/image/2/level2.json"
    result, base = _harvest_old_canvas(
        tmp_path,
        lambda base: [{**SERVICE_1_1, "@id": f"{base}/iiif/old"},
                      {"@context": "http://iiif.io/api/image/2/context.json", "@id": f"{base}/iiif/new", "profile": level2}],
        {"/iiif/old/full/1024,/0/native.jpg": b"\xff\xd8 old", "/iiif/new/full/!1024,1024/0/default.jpg": b"\xff\xd8 new"},
    )
    assert (result.records["status"].tolist(), result.records["url"].tolist()) == (
        ["downloaded"], [f"{base}/iiif/new/full/!1024,1024/0/default.jpg"],
    )
    [row] = result.table.to_dict("records")
    assert [row[c] for c in SERVICE_COLUMNS] == [f"{base}/iiif/new", "ImageService2", level2, "3000", "2000"]


@pytest.mark.parametrize(
    ("listed", "chosen"),
    [
        (["1", "2", "3s"], "3s"),  # the newest, wherever it stands
        (["1", "3s", "2"], "3s"),
        (["1", "2", "3"], "2"),  # a level 0 service without sizes would send the full original
        (["3"], "3"),  # ... where nothing else is listed
        (["2", "1"], "2"),
        (["2", "2b"], "2"),  # the first of equals
        (["1"], "1"),  # 1.x only where nothing else is listed
        (["x", "1"], "1"),  # what is no Image API service is passed over
    ],
)
def test_the_newest_image_api_version_that_serves_a_smaller_image_is_the_service_chosen(listed, chosen):
    services = {
        "1": {**SERVICE_1_1, "@id": "https://i.example/1"},
        "2": {"@context": "http://iiif.io/api/image/2/context.json", "@id": "https://i.example/2", "profile": "level2"},
        "2b": {"id": "https://i.example/2b", "type": "ImageService2", "profile": "level1"},
        "3": {"id": "https://i.example/3", "type": "ImageService3", "profile": "level0"},
        "3s": {"id": "https://i.example/3s", "type": "ImageService3", "profile": "level0",
               "sizes": [{"width": 600, "height": 400}]},
        "x": {"id": "https://i.example/search", "type": "SearchService1"},
    }
    assert parse_service([services[name] for name in listed]).id == f"https://i.example/{chosen}"


def test_the_section_holds_each_image_source_in_items_order(harvested):
    result, base = harvested
    ids = [*result.table["filename"], "local.jpg"]
    section = source_section(_records(result.table, ids))
    assert source_section_problems(section, len(ids)) == []
    by_canvas = {canvas: n for n, canvas in enumerate(section["canvas"])}
    vase, mirror, plate = by_canvas[f"{base}/m3/canvas/2"], by_canvas[f"{base}/m2/canvas/1"], by_canvas[f"{base}/broken/canvas/2"]
    assert section["manifests"][section["manifest"][vase]] == f"{base}/m3.json"
    assert section["manifests"][section["manifest"][plate]] == f"{base}/broken.json"
    assert len(section["manifests"]) == 4, "each manifest once"
    assert section["service"][vase] == f"{base}/img/vase2"
    assert section["profiles"][section["profile"][vase]] == {"type": "ImageService3", "profile": "level2"}
    assert section["profiles"][section["profile"][mirror]] == {
        "type": "ImageService2", "profile": "http://iiif.io/api/image/2/level0.json",
    }
    assert (section["width"][mirror], section["height"][mirror]) == (3000, 2000)
    assert (section["service"][plate], section["profile"][plate], section["width"][plate]) == ("", -1, 0)
    # An image the harvest did not write has no source.
    assert (section["manifest"][-1], section["canvas"][-1], section["service"][-1], section["profile"][-1]) == (-1, "", "", -1)


def test_source_canvases_pair_each_image_with_its_source_canvas_and_manifest(harvested):
    result, base = harvested
    ids = [*result.table["filename"], "local.jpg"]
    pairs = source_canvases(source_section(_records(result.table, ids)))
    assert pairs[:-1] == list(zip(result.table["canvas"], result.table["manifest"]))
    assert (f"{base}/m2/canvas/2", f"{base}/m2.json") in pairs
    assert pairs[-1] is None, "an image the harvest did not write"
    assert source_canvases(None) is None


def test_collection_metadata_keeps_the_sources_and_viewer_metadata_takes_them_without_the_csv(harvested, tmp_path):
    result, base = harvested
    spec = _spec(_parser().parse_args(["build", "--id", "m", "--iiif", f"{base}/collection.json", "--field", "canvas"]), str(tmp_path))
    csv = tmp_path / "iiif" / "m" / "metadata.csv"
    csv.parent.mkdir(parents=True)
    csv.write_bytes(table_csv(result.table))
    ids = result.table["filename"].tolist()
    records = collection_metadata(
        dg.build_asset_context(partition_key="m"), storage=StorageResource(root=str(tmp_path)),
        collection_spec=spec.to_dict(), image_manifest=pd.DataFrame({"id": ids, "readable": True}),
    ).value
    # The displayed field ``canvas`` is kept once; the other source columns follow the fields.
    assert list(records.columns) == ["id", "title", "url", *spec.fields, "manifest", *RECORD_COLUMNS[2:]]
    csv.unlink()  # viewer_metadata reads the harvested CSV no more
    document = viewer_metadata_asset(
        collection_spec=spec.to_dict(), collection_metadata=records,
        grid={"cols": len(ids), "rows": 1, "cells": list(range(len(ids)))}, detail_pyramids={"images": {}},
        similar_images=np.zeros((len(ids), 0), np.int32), clusters={"clusters": []}, facets={"facets": []}, timeline={},
    ).value
    assert document["sources"] == source_section(records)
    assert source_canvases(document["sources"]) == list(zip(result.table["canvas"], result.table["manifest"]))


def test_a_collection_not_built_from_iiif_has_no_sources_even_with_fields_of_their_names(tmp_path):
    spec = _spec(_parser().parse_args(
        ["build", "--id", "p", "--images", str(tmp_path), "--metadata", str(tmp_path / "meta.csv"),
         "--field", "canvas", "--field", "manifest"]), str(tmp_path))
    records = pd.DataFrame({"id": ["a.jpg", "b.jpg"], "title": ["A", "B"], "url": ["", ""],
                            "canvas": ["https://m.example/c1", "oak panel"], "manifest": ["https://m.example/m", ""]})
    assert source_section(records) is not None, "the same records would give sources in a IIIF build"
    document = viewer_metadata_asset(
        collection_spec=spec.to_dict(), collection_metadata=records,
        grid={"cols": 2, "rows": 1, "cells": [0, 1]}, detail_pyramids={"images": {}},
        similar_images=np.zeros((2, 0), np.int32), clusters={"clusters": []}, facets={"facets": []}, timeline={},
    ).value
    assert "sources" not in document or document["sources"] is None


def test_records_from_a_csv_before_the_service_columns_give_the_canvases_without_services():
    records = pd.DataFrame({"id": ["a.jpg"], "title": ["A"], "manifest": ["https://m.example/1"], "canvas": ["https://m.example/1/c1"]})
    section = source_section(records)
    assert (section["manifests"], section["canvas"], section["service"], section["profile"]) == (
        ["https://m.example/1"], ["https://m.example/1/c1"], [""], [-1],
    )


def test_a_collection_without_sources_has_no_section():
    assert source_section(pd.DataFrame({"id": ["a.jpg"], "title": ["A"], "url": [""]})) is None
    assert source_section(pd.DataFrame({"id": ["a.jpg"], "manifest": [""], "canvas": [""]})) is None


def test_a_section_of_the_wrong_length_or_with_places_outside_its_lists_is_a_problem():
    section = {"manifests": ["m"], "manifest": [0, 1], "canvas": ["c", "d"], "profiles": [], "service": ["", ""],
               "profile": [-1, -1], "width": [0, 0], "height": [0]}
    assert source_section_problems(section, 2) == [
        "sources.height has 1 values, expected 2",
        "sources.manifest points outside sources.manifests (1 entries)",
    ]


def test_the_viewer_metadata_check_finds_a_sources_section_that_is_not_one_per_image():
    records = pd.DataFrame({"id": ["a.jpg", "b.jpg"], "title": ["A", "B"], "url": ["", ""]})
    document = viewer_metadata("c", records, np.array([0, 1]), cols=2, rows=1, cell_size=(8, 8))
    document["sources"] = source_section(records.assign(manifest=["https://m.example/1", ""], canvas=["https://m.example/1/c", ""]))
    grid = {"cols": 2, "rows": 1, "cells": [0, 1]}
    assert viewer_metadata_problems(document, grid, (8, 8)) == []
    document["sources"]["canvas"].pop()
    assert viewer_metadata_problems(document, grid, (8, 8)) == ["sources.canvas has 1 values, expected 2"]
