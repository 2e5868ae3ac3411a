"""IIIF in and out in Chromium: OpenSeadragon opens the image service a `tsne-assets build --iiif
URL` publishes, the viewer opens a site of IIIF tiles only, and the viewer's IIIF export of the
museum paints harvested images from their source services."""

import asyncio
import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from iiif_prezi3 import Manifest
from playwright.async_api import async_playwright, expect

from ..viewer.conftest import CHROMIUM, CHROMIUM_ARGS
from .builds import site_version
from .museum import EXPECTED

OPENSEADRAGON = Path(__file__).resolve().parents[2] / "viewer/node_modules/openseadragon/build/openseadragon/openseadragon.min.js"


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
    version = site_version(root)
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
    version = site_version(root, "museum-iiif")
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


def test_the_selection_manifest_paints_harvested_images_from_their_source_service(iiif_build, package_iiif_server):
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
    base = package_iiif_server.url
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
