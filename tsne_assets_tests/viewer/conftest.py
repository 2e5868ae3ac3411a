"""Fixtures for the viewer's browser tests: a built viewer, a published collection served by
``tsne_assets.serve``, Debian's headless Chromium driven by Playwright (never downloaded), and
the viewer's page in it (:class:`~.map_page.MapPage`) on a desktop or a phone screen."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tsne_assets.core.site import DEFAULT_VIEWER_DIST

from .collection import BuiltCollection, build_and_publish
from .map_page import DESKTOP, PHONE, MapPage, new_map_page

REPO = Path(__file__).resolve().parents[2]
VIEWER = REPO / "viewer"
ARTIFACTS = REPO / "test-artifacts" / "viewer"
CHROMIUM = os.environ.get("TSNE_CHROMIUM", "/usr/bin/chromium")
#: The closed network refuses Chromium's background connections: switch them off.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _build_is_stale(index: Path) -> bool:
    if not index.is_file():
        return True
    built = index.stat().st_mtime
    sources = [VIEWER / "index.html", VIEWER / "vite.config.js", VIEWER / "package-lock.json"]
    sources += [p for p in (VIEWER / "src").rglob("*") if p.is_file()]
    return any(p.exists() and p.stat().st_mtime > built for p in sources)


@pytest.fixture(scope="session")
def viewer_dist() -> Path:
    """The built viewer; built here (npm ci && npm run build) when missing or older than its sources."""
    index = DEFAULT_VIEWER_DIST / "index.html"
    if _build_is_stale(index):
        npm = shutil.which("npm")
        assert npm, "npm is needed to build the viewer (viewer/README.md)"
        if not (VIEWER / "node_modules" / ".bin" / "vite").exists():
            subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=VIEWER, check=True)
        subprocess.run([npm, "run", "build"], cwd=VIEWER, check=True)
    assert index.is_file()
    return DEFAULT_VIEWER_DIST


@pytest.fixture()
def dist(tmp_path: Path) -> Path:
    """A stand-in viewer build (the real one is exercised by the browser tests)."""
    d = tmp_path / "dist"
    (d / "viewer").mkdir(parents=True)
    (d / "index.html").write_text('<!doctype html><script src="./viewer/app-1.js"></script>')
    (d / "viewer" / "app-1.js").write_text("console.log(1)")
    return d


@pytest.fixture(scope="session")
def collection(viewer_dist: Path, tmp_path_factory: pytest.TempPathFactory) -> BuiltCollection:
    base = tmp_path_factory.mktemp("viewer-collection")
    return build_and_publish(base / "root", base / "source")


@pytest.fixture(scope="session")
def site_url(collection: BuiltCollection) -> Iterator[str]:
    """The collection served by `tsne-assets serve`'s server, on a free port."""
    from tsne_assets.serve import serve

    server, url, thread = serve(collection.root, host="127.0.0.1", port=0)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install -y chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture()
def map_page(browser, site_url: str, collection: BuiltCollection) -> Iterator[MapPage]:
    """The viewer's page on a desktop screen, not yet opened."""
    yield from new_map_page(browser, site_url, collection, **DESKTOP)


@pytest.fixture()
def phone_page(browser, site_url: str, collection: BuiltCollection) -> Iterator[MapPage]:
    """The viewer's page on a phone-sized touch screen, not yet opened."""
    yield from new_map_page(browser, site_url, collection, **PHONE)


@pytest.fixture()
def mp(browser, site_url: str, collection: BuiltCollection) -> Iterator[MapPage]:
    """The viewer's page on a desktop screen, opened, taking downloads (the selection's files)."""
    for page in new_map_page(browser, site_url, collection, **DESKTOP, accept_downloads=True):
        yield page.open()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
