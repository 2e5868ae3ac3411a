"""IIIF in and out, end to end: `tsne-assets build --iiif URL` on a real Dagster instance, from
a museum served on 127.0.0.1; the map it publishes as IIIF by default, served by `tsne-assets
serve` (with CORS) and opened by OpenSeadragon in Chromium, and a site of IIIF tiles only opened
by the viewer; the sensor after it, and a rebuild that downloads nothing."""

import asyncio
import http.client
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

import dagster as dg
import pytest
from iiif_prezi3 import AnnotationPage, Manifest
from playwright.async_api import async_playwright, expect

from tsne_assets.cli import _parser, _spec
from tsne_assets.defs.build import build_collection
from tsne_assets.defs.iiif_sensor import iiif_sources
from tsne_assets.defs.resources import StorageResource
from tsne_assets.serve import serve

from ..viewer.conftest import CHROMIUM, CHROMIUM_ARGS
from .museum import EXPECTED

OPENSEADRAGON = Path(__file__).resolve().parents[2] / "viewer/node_modules/openseadragon/build/openseadragon/openseadragon.min.js"


@pytest.fixture(scope="module")
def iiif_build(module_iiif_server, tmp_path_factory):
    """One build of the museum (module-wide: builds take seconds), its site served by
    `tsne-assets serve` at the URL the build was told: its instance, spec, root and site URL."""
    root = tmp_path_factory.mktemp("iiif") / "storage"
    (root / "site").mkdir(parents=True)
    server, url, thread = serve(root, port=0)
    url = url.rstrip("/")
    arguments = ["build", "--id", "museum", "--iiif", f"{module_iiif_server.url}/collection.json", "--tile", "32x32",
                 "--detail-max", "0", "--field", "Date", "--field", "summary", "--field", "attribution",
                 "--site-url", f"{url}/museum/"]
    spec = _spec(_parser().parse_args(arguments), str(root))
    try:
        with dg.instance_for_test() as instance:
            assert build_collection(spec, root=str(root), instance=instance).success
            yield instance, spec, root, f"{url}/museum/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def iiif_only_build(iiif_build, module_iiif_server):
    """The museum built again as another collection whose site publishes IIIF tiles only
    (``--map-tiles iiif``): its root and site URL."""
    instance, _, root, site = iiif_build
    site = site.replace("/museum/", "/museum-iiif/")
    arguments = ["build", "--id", "museum-iiif", "--iiif", f"{module_iiif_server.url}/collection.json", "--tile", "32x32",
                 "--detail-max", "0", "--map-tiles", "iiif", "--site-url", site]
    spec = _spec(_parser().parse_args(arguments), str(root))
    assert build_collection(spec, root=str(root), instance=instance).success
    return root, site


def _version(root, collection="museum"):
    current = json.loads((root / "site" / collection / "current.json").read_text())
    return root / "site" / collection / current["path"]


def _metadata(instance, asset):
    return instance.get_latest_materialization_event(dg.AssetKey(asset)).asset_materialization.metadata


def test_a_iiif_build_has_the_images_titles_fields_and_links(iiif_build, module_iiif_server):
    instance, spec, root, _ = iiif_build
    assert spec.images == f"{root}/iiif/museum/images"
    viewer = json.loads((_version(root) / "metadata.json").read_text())
    items = viewer["items"]
    base = module_iiif_server.url
    shown = set(zip(items["title"], items["url"]))
    assert shown == {(title, base + (link or canvas.split("/canvas")[0] + ".json")) for canvas, (title, link) in EXPECTED.items()}
    assert viewer["fields"] == ["Date", "summary", "attribution"]
    vase = items["title"].index("Attic vase, front")
    assert (items["Date"][vase], items["summary"][vase], items["attribution"][vase]) == (
        "ca. 480 BCE", "A red-figure vase & its foot.", "Museum of Tests",
    )
    manifest = _metadata(instance, "image_manifest")
    assert (manifest["iiif_images"].value, manifest["iiif_left_out"].value, manifest["readable"].value) == (7, 3, 7)
    left_out = manifest["iiif_left_out_list"].value
    for reason in ("gone.json | HTTP 404 Not Found", "broken/canvas/1 | the canvas has no image",
                   "/img/gone/full/!1024,1024/0/default.jpg: HTTP 404"):
        assert reason in left_out


def test_viewer_metadata_counts_the_images_that_link_their_source_canvas(iiif_build):
    instance, _, root, _ = iiif_build
    viewer = json.loads((_version(root) / "metadata.json").read_text())
    assert sum(map(bool, viewer["sources"]["canvas"])) == len(EXPECTED)
    assert _metadata(instance, "viewer_metadata")["iiif_source_canvases"].value == len(EXPECTED)


def test_the_sensor_requests_nothing_for_an_unchanged_source_after_a_build(iiif_build):
    instance, _, root, _ = iiif_build
    with dg.build_sensor_context(instance=instance, resources={"storage": StorageResource(root=str(root))}) as context:
        result = iiif_sources(context)
    assert result.run_requests == []
    assert json.loads(result.cursor)["sources"]["museum"]["generation"] == -1


def test_a_rebuild_downloads_nothing_unchanged(iiif_build, module_iiif_server):
    instance, spec, root, _ = iiif_build
    module_iiif_server.log.clear()
    assert build_collection(spec, root=str(root), instance=instance).success
    assert module_iiif_server.downloads() == []
    manifest = _metadata(instance, "image_manifest")
    assert (manifest["iiif_unchanged"].value, manifest["iiif_downloaded"].value, manifest["iiif_requests_downloaded"].value) == (
        7, 0, 0,
    )


def test_the_map_is_published_as_a_iiif_level_0_image_service(iiif_build):
    _, _, root, site = iiif_build
    version = _version(root)
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


def test_the_map_manifest_links_each_image_region_to_its_record_and_source_canvas(iiif_build, module_iiif_server):
    _, _, root, site = iiif_build
    version = _version(root)
    manifest = Manifest(**json.loads((version / "manifest.json").read_text()))
    page = AnnotationPage(**json.loads((version / "annotations.json").read_text()))
    [canvas] = manifest.items
    viewer = json.loads((version / "metadata.json").read_text())
    assert (canvas.width, canvas.height) == (viewer["image"]["width"], viewer["image"]["height"])
    assert str(canvas.annotations[0].id) == str(page.id) == f"{site}{version.parent.name}/{version.name}/annotations.json"
    grid, items = viewer["grid"], viewer["items"]
    base = module_iiif_server.url
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
    version = _version(root)
    manifest_url = f"{site}{version.parent.name}/{version.name}/manifest.json"
    assert _metadata(instance, "viewer_site")["iiif_manifest"].value == manifest_url
    with urlopen(site.removesuffix("museum/")) as answer:  # serve's index of the collections
        index = answer.read().decode()
    assert f'href="museum/{version.parent.name}/{version.name}/manifest.json">IIIF manifest</a>' in index


def _in_chromium(url: str, visit):
    """``visit(tab, requested)`` on ``url`` opened in Debian's headless Chromium, where
    ``requested`` lists the URLs the page asks for. Playwright's async API in a thread of its
    own: the viewer tests' session browser (sync API) may be open in this one."""

    async def run():
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                tab, requested = await browser.new_page(), []
                tab.on("request", lambda request: requested.append(request.url))
                await tab.goto(url)
                return await visit(tab, requested)
            finally:
                await browser.close()

    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, run()).result()


def _page_state(url: str) -> dict[str, str | None]:
    """The body's ``data-size`` and ``data-failed`` once its ``data-state`` is ``loaded``."""

    async def visit(tab, _requested):
        await tab.wait_for_selector("body[data-state=loaded]", state="attached", timeout=20_000)
        return {name: await tab.get_attribute("body", f"data-{name}") for name in ("size", "failed")}

    return _in_chromium(url, visit)


def test_openseadragon_opens_the_published_image_service(iiif_build):
    _, _, root, site = iiif_build
    version = _version(root)
    page_dir = root / "site" / "osd-test"  # served beside the collection: same origin, same CSP
    page_dir.mkdir(exist_ok=True)
    shutil.copy(OPENSEADRAGON, page_dir / "openseadragon.min.js")
    info_url = f"{site}{version.parent.name}/{version.name}/iiif/info.json"
    page_dir.joinpath("open.js").write_text(
        f'const viewer = OpenSeadragon({{id: "map", prefixUrl: "", tileSources: "{info_url}"}});'
        'viewer.addHandler("tile-load-failed", (e) => { document.body.dataset.failed = `${e.message} ${e.tile.getUrl()}`; });'
        'viewer.world.addHandler("add-item", (e) => e.item.addOnceHandler("fully-loaded-change", () => {'
        "  const source = e.item.source; document.body.dataset.size = `${source.width}x${source.height}`;"
        '  document.body.dataset.state = "loaded"; }));'
    )
    page_dir.joinpath("index.html").write_text(
        '<!doctype html><body><div id="map" style="width:640px;height:480px"></div>'
        '<script src="openseadragon.min.js"></script><script src="open.js"></script></body>'
    )
    info = json.loads((version / "iiif" / "info.json").read_text())
    assert _page_state(site.replace("/museum/", "/osd-test/")) == {"size": f"{info['width']}x{info['height']}", "failed": None}


def test_a_site_of_iiif_tiles_only_opens_in_the_viewer_with_thumbnails_cut_from_them(iiif_only_build):
    root, site = iiif_only_build
    version = _version(root, "museum-iiif")
    assert json.loads((root / "site" / "museum-iiif" / "current.json").read_text())["image"] == "iiif/info.json"
    assert (version / "iiif" / "info.json").is_file() and (version / "manifest.json").is_file()
    assert not (version / "tiles.dzi").exists() and not (version / "tiles_files").exists()

    async def visit(tab, requested):
        await tab.wait_for_function("() => document.documentElement.dataset.state === 'ready'", timeout=20_000)
        await tab.get_by_label("Search titles and fields").fill("vase")
        await tab.get_by_role("button", name="List the results").click()
        await tab.wait_for_selector("#results-list button[data-drawn=true]", timeout=20_000)
        return await tab.locator("#results-list button").count(), list(requested)

    rows, requested = _in_chromium(site, visit)
    assert rows >= 1
    tiles = [url for url in requested if "/iiif/" in url and url.endswith("/default.jpg")]
    assert tiles and all(url.startswith(f"{site}versions/") for url in tiles)
    assert not [url for url in requested if ".dzi" in url or "_files/" in url]


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
    version = _version(root)
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


def test_the_selection_manifest_paints_harvested_images_from_their_source_service(iiif_build, module_iiif_server):
    """The viewer's IIIF export of a map built from IIIF: each canvas with a source service is
    painted by that service's full image (its size unstated: a service may cap it), the canvas
    at the source's size, and links its source canvas and manifest; the plate, a plain image, is cut from the site's tiles and still names its source."""
    _, _, _, site = iiif_build

    async def visit(tab, _requested):
        await tab.wait_for_function("() => document.documentElement.dataset.state === 'ready'", timeout=20_000)
        for n, (query, matches, selected) in enumerate((("vase", "3 matches", 3), ("mirror", "2 matches", 5), ("plate", "1 match", 6))):
            await tab.get_by_label("Search titles and fields").fill(query)
            await expect(tab.locator("#match-count")).to_have_text(matches)
            if n == 0:  # the list stays open for the next searches
                await tab.get_by_role("button", name="List the results").click()
            await tab.get_by_role("button", name="Select all results").click()
            await expect(tab.locator("#selection-count")).to_have_text(str(selected))
        await tab.locator("#selection-toggle").click()
        async with tab.expect_download() as download:
            await tab.get_by_role("button", name="IIIF manifest", exact=True).click()
        return Path(await (await download.value).path()).read_text()

    doc = json.loads(_in_chromium(site, visit))
    assert Manifest(**doc).type == "Manifest"  # iiif-prezi3's Presentation 3 model: raises on an invalid manifest
    base = module_iiif_server.url
    canvases = {canvas["label"]["none"][0]: canvas for canvas in doc["items"]}
    assert sorted(canvases) == sorted(title for title, _ in EXPECTED.values() if not title.startswith("Chaise"))
    sources = {title: path for path, (title, _) in EXPECTED.items()}
    services = {"Attic vase, front": ("vase1", "ImageService3", "level2", 2000, 1500),
                "Bronze mirror, recto": ("level0", "ImageService2", "http://iiif.io/api/image/2/level0.json", 3000, 2000)}
    for title, canvas in canvases.items():
        manifest = base + sources[title].split("/canvas")[0] + ".json"
        assert canvas["partOf"] == [{"id": manifest, "type": "Manifest"}]
        [link] = canvas["annotations"][0]["items"]
        assert (link["motivation"], link["target"]) == ("linking", canvas["id"])
        assert link["body"] == {"id": base + sources[title], "type": "Canvas", "partOf": [{"id": manifest, "type": "Manifest"}]}
        body = canvas["items"][0]["items"][0]["body"]
        if title.startswith("Plate"):  # no image service: the site's own tile
            assert body["type"] == "SpecificResource" and body["source"]["id"].startswith(site)
        elif title in services:
            name, kind, profile, width, height = services[title]
            full = "max" if kind == "ImageService3" else "full"
            assert body["id"] == f"{base}/img/{name}/full/{full}/0/default.jpg"
            key = "id" if kind == "ImageService3" else "@id"
            assert body["service"] == [{key: f"{base}/img/{name}", ("type" if key == "id" else "@type"): kind, "profile": profile}]
            assert (canvas["width"], canvas["height"]) == (width, height) and "width" not in body and "height" not in body
        else:
            assert body["type"] == "Image" and body["service"], title
