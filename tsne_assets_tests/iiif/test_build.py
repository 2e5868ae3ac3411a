"""IIIF in, end to end: `tsne-assets build --iiif URL` on a real Dagster instance, from a museum
served on 127.0.0.1 (the build shared with ``test_build_published.py`` and
``test_build_browser.py``): its images, titles, fields and sources, the sensor after it, and a
rebuild that downloads nothing."""

import json

import dagster as dg

from tsne_assets.defs.build import build_collection
from tsne_assets.defs.iiif_sensor import iiif_sources
from tsne_assets.defs.resources import StorageResource

from .builds import latest_metadata, site_version
from .museum import EXPECTED


def test_a_iiif_build_has_the_images_titles_fields_and_links(iiif_build, package_iiif_server):
    instance, spec, root, _ = iiif_build
    assert spec.images == f"{root}/iiif/museum/images"
    viewer = json.loads((site_version(root) / "metadata.json").read_text())
    items = viewer["items"]
    base = package_iiif_server.url
    shown = set(zip(items["title"], items["url"]))
    assert shown == {(title, base + (link or canvas.split("/canvas")[0] + ".json")) for canvas, (title, link) in EXPECTED.items()}
    assert viewer["fields"] == ["Date", "summary", "attribution"]
    vase = items["title"].index("Attic vase, front")
    assert (items["Date"][vase], items["summary"][vase], items["attribution"][vase]) == (
        "ca. 480 BCE", "A red-figure vase & its foot.", "Museum of Tests",
    )
    manifest = latest_metadata(instance, "image_manifest")
    assert (manifest["iiif_images"].value, manifest["iiif_left_out"].value, manifest["readable"].value) == (7, 3, 7)
    left_out = manifest["iiif_left_out_list"].value
    for reason in ("gone.json | HTTP 404 Not Found", "broken/canvas/1 | the canvas has no image",
                   "/img/gone/full/!1024,1024/0/default.jpg: HTTP 404"):
        assert reason in left_out


def test_viewer_metadata_counts_the_images_that_link_their_source_canvas(iiif_build):
    instance, _, root, _ = iiif_build
    viewer = json.loads((site_version(root) / "metadata.json").read_text())
    assert sum(map(bool, viewer["sources"]["canvas"])) == len(EXPECTED)
    assert latest_metadata(instance, "viewer_metadata")["iiif_source_canvases"].value == len(EXPECTED)


def test_the_sensor_requests_nothing_for_an_unchanged_source_after_a_build(iiif_build):
    instance, _, root, _ = iiif_build
    with dg.build_sensor_context(instance=instance, resources={"storage": StorageResource(root=str(root))}) as context:
        result = iiif_sources(context)
    assert result.run_requests == []
    assert json.loads(result.cursor)["sources"]["museum"]["generation"] == -1


def test_a_rebuild_downloads_nothing_unchanged(iiif_build, package_iiif_server):
    instance, spec, root, _ = iiif_build
    package_iiif_server.log.clear()
    assert build_collection(spec, root=str(root), instance=instance).success
    assert package_iiif_server.downloads() == []
    manifest = latest_metadata(instance, "image_manifest")
    assert (manifest["iiif_unchanged"].value, manifest["iiif_downloaded"].value, manifest["iiif_requests_downloaded"].value) == (
        7, 0, 0,
    )
