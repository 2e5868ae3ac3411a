"""IIIF out, end to end: the map a `tsne-assets build --iiif URL` publishes as IIIF by default (a
level 0 image service of its tiles, a manifest and the annotations linking each image to its
record and source canvas), served by `tsne-assets serve` (with CORS)."""

import http.client
import json
import os
from urllib.parse import urlsplit
from urllib.request import urlopen

from iiif_prezi3 import AnnotationPage, Manifest

from .builds import latest_metadata, site_version
from .museum import EXPECTED


def test_the_map_is_published_as_a_iiif_level_0_image_service(iiif_build):
    _, _, root, site = iiif_build
    version = site_version(root)
    info = json.loads((version / "iiif" / "info.json").read_text())
    assert {"@context", "id", "type", "protocol", "profile", "width", "height"} <= set(info)
    assert (info["@context"], info["type"], info["protocol"], info["profile"]) == (
        "http://iiif.io/api/image/3/context.json", "ImageService3", "http://iiif.io/api/image", "level0",
    )
    assert info["id"] == f"{site}{version.parent.name}/{version.name}/iiif"
    viewer = json.loads((version / "metadata.json").read_text())
    assert (info["width"], info["height"]) == (viewer["image"]["width"], viewer["image"]["height"])
    [tiling] = info["tiles"]
    size = tiling["width"]
    for scale in tiling["scaleFactors"]:
        region = size * scale
        for y in range(0, info["height"], region):
            for x in range(0, info["width"], region):
                w, h = min(region, info["width"] - x), min(region, info["height"] - y)
                whole = (w, h) == (info["width"], info["height"])
                name = f"full/{-(-w // scale)},{-(-h // scale)}" if whole else f"{x},{y},{w},{h}/{-(-w // scale)},{-(-h // scale)}"
                assert (version / "iiif" / name / "0" / "default.jpg").is_file(), name
    for listed in info["sizes"]:
        assert (version / "iiif" / "full" / f"{listed['width']},{listed['height']}" / "0" / "default.jpg").is_file()
    # Each IIIF tile is a Deep Zoom tile's file, linked, not drawn again: the full level's first
    # tile (the map is one tile: "max"), and the whole map at the level where it fits one tile.
    level = max(int(p.name) for p in (version / "tiles_files").iterdir())
    one_tile = info["width"] <= size and info["height"] <= size
    first = "full/max" if one_tile else f"0,0,{size},{min(size, info['height'])}/{size},{min(size, info['height'])}"
    assert os.path.samefile(version / "iiif" / first / "0" / "default.jpg", version / "tiles_files" / str(level) / "0_0.jpg")
    whole = max(info["sizes"], key=lambda s: s["width"])
    single = next(n for n in range(level, -1, -1) if len(list((version / "tiles_files" / str(n)).iterdir())) == 1)
    assert os.path.samefile(version / "iiif" / "full" / f"{whole['width']},{whole['height']}" / "0" / "default.jpg",
                            version / "tiles_files" / str(single) / "0_0.jpg")


def test_the_map_manifest_links_each_image_region_to_its_record_and_source_canvas(iiif_build, package_iiif_server):
    _, _, root, site = iiif_build
    version = site_version(root)
    manifest = Manifest(**json.loads((version / "manifest.json").read_text()))
    page = AnnotationPage(**json.loads((version / "annotations.json").read_text()))
    [canvas] = manifest.items
    viewer = json.loads((version / "metadata.json").read_text())
    assert (canvas.width, canvas.height) == (viewer["image"]["width"], viewer["image"]["height"])
    assert str(canvas.annotations[0].id) == str(page.id) == f"{site}{version.parent.name}/{version.name}/annotations.json"
    grid, items = viewer["grid"], viewer["items"]
    base = package_iiif_server.url
    links = {}
    for annotation in json.loads((version / "annotations.json").read_text())["items"]:
        title, *targets = annotation["body"]
        cell = viewer["cells"].index(items["title"].index(title["value"]))
        x, y = cell % grid["cols"] * grid["cell_width"], cell // grid["cols"] * grid["cell_height"]
        assert annotation["target"] == f"{canvas.id}#xywh={x},{y},{grid['cell_width']},{grid['cell_height']}"
        links[title["value"]] = {(t["type"], t["id"]) for t in targets}
    for path, (title, link) in EXPECTED.items():
        manifest_id = base + path.split("/canvas")[0] + ".json"
        assert ("Canvas", base + path) in links[title]
        assert ("Text", base + link if link else manifest_id) in links[title]


def test_the_site_lists_its_iiif_manifest(iiif_build):
    instance, _, root, site = iiif_build
    version = site_version(root)
    manifest_url = f"{site}{version.parent.name}/{version.name}/manifest.json"
    assert latest_metadata(instance, "viewer_site")["iiif_manifest"].value == manifest_url
    with urlopen(site.removesuffix("museum/")) as answer:  # serve's index of the collections
        index = answer.read().decode()
    assert f'href="museum/{version.parent.name}/{version.name}/manifest.json">IIIF manifest</a>' in index


def _answer(site: str, method: str, path: str, **headers: str) -> http.client.HTTPResponse:
    parts = urlsplit(site)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request(method, parts.path + path, headers=headers)
    answer = connection.getresponse()
    answer.read()
    connection.close()
    return answer


def test_serve_lets_iiif_viewers_on_other_origins_read_the_manifest_and_the_service(iiif_build):
    _, _, root, site = iiif_build
    version = site_version(root)
    for name in ("manifest.json", "annotations.json", "iiif/info.json"):
        answer = _answer(site, "GET", f"versions/{version.name}/{name}", Origin="https://mirador.example")
        assert (answer.status, answer.getheader("Access-Control-Allow-Origin")) == (200, "*"), name
    preflight = _answer(site, "OPTIONS", f"versions/{version.name}/iiif/info.json", Origin="https://mirador.example",
                        **{"Access-Control-Request-Method": "GET"})
    assert preflight.status == 200 and "GET" in preflight.getheader("Access-Control-Allow-Methods")
    refused = _answer(site, "OPTIONS", f"versions/{version.name}/iiif/info.json", Origin="https://mirador.example",
                      **{"Access-Control-Request-Method": "PUT"})
    assert refused.status == 400
    assert _answer(site, "POST", f"versions/{version.name}/manifest.json", Origin="https://mirador.example").status == 405
