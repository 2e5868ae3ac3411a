"""Publishing a collection's viewer: versions, the pointer switched last, pruning, failures."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from upath import UPath

from tsne_assets.core import site as site_mod
from tsne_assets.core.published import list_published
from tsne_assets.core.site import (
    ViewerBuildMissing,
    find_viewer_dist,
    publish_site,
    read_pointer,
)
from tsne_assets.core.web import cache_control, content_type
from tsne_assets.serve import serve


def _metadata(title: str = "A collection", n: int = 3) -> dict:
    cells = list(range(n)) + [-1]
    return {
        "format": "tsne-assets.viewer/1",
        "collection": "c1",
        "title": title,
        "grid": {"cols": 2, "rows": 2, "cell_width": 16, "cell_height": 12},
        "image": {"dzi": "tiles.dzi", "width": 32, "height": 24},
        "fields": ["date"],
        "cells": cells,
        "items": {
            "id": [f"img{i}.jpg" for i in range(n)],
            "title": [f"Image {i}" for i in range(n)],
            "url": [f"https://example.org/{i}" for i in range(n)],
            "date": ["1900"] * n,
        },
    }


def _tiles(folder: Path, marker: str) -> Path:
    """A tiny DZI-shaped folder whose files say which run made them."""
    (folder / "tiles_files" / "0").mkdir(parents=True, exist_ok=True)
    (folder / "tiles_files" / "5").mkdir(parents=True, exist_ok=True)
    (folder / "tiles.dzi").write_text(
        '<?xml version="1.0"?><Image xmlns="http://schemas.microsoft.com/deepzoom/2008" '
        'TileSize="256" Overlap="1" Format="jpeg"><Size Width="32" Height="24"/></Image>'
    )
    (folder / "tiles_files" / "0" / "0_0.jpeg").write_text(marker)
    (folder / "tiles_files" / "5" / "0_0.jpeg").write_text(marker + "-full")
    return folder


def _publish(tmp_path: Path, site: Path, version: str, dist: Path, **kw) -> site_mod.PublishedSite:
    tiles = _tiles(tmp_path / "tiles" / version, marker=version)
    return publish_site(site, version=version, tiles_dir=tiles, metadata=_metadata(**kw), viewer_dist=dist)


def test_publish_writes_version_app_and_pointer(tmp_path: Path, dist: Path) -> None:
    site = tmp_path / "root" / "site" / "c1"
    result = _publish(tmp_path, site, "v1", dist)

    assert result.version == "v1" and result.path == "versions/v1/" and result.images == 3
    assert json.loads((site / "current.json").read_text()) == {"format": 1, "path": "versions/v1/", "image": "tiles.dzi"}
    assert json.loads((site / "versions/v1/metadata.json").read_text()) == _metadata()
    assert (site / "versions/v1/tiles.dzi").is_file()
    assert (site / "versions/v1/tiles_files/5/0_0.jpeg").read_text() == "v1-full"
    assert (site / "index.html").read_text() == (dist / "index.html").read_text()
    assert (site / "viewer/app-1.js").is_file()
    # Local to local: tiles are hard links, not copies.
    source = tmp_path / "tiles/v1/tiles_files/5/0_0.jpeg"
    assert os.stat(source).st_ino == os.stat(site / "versions/v1/tiles_files/5/0_0.jpeg").st_ino
    # No temporary files are left behind.
    assert not [p for p in site.rglob("*") if p.name.endswith(".tmp")]


def test_publish_through_a_upath_root(tmp_path: Path, dist: Path) -> None:
    site = UPath(tmp_path / "root" / "site" / "c1")
    _publish(tmp_path, site, "v1", dist)
    assert read_pointer(site) == "v1"
    assert (site / "versions/v1/tiles_files/0/0_0.jpeg").read_text() == "v1"


def test_new_version_switches_and_old_versions_are_removed(tmp_path: Path, dist: Path) -> None:
    site = tmp_path / "site" / "c1"
    _publish(tmp_path, site, "v1", dist)
    second = _publish(tmp_path, site, "v2", dist)
    assert read_pointer(site) == "v2"
    assert second.previous == "v1" and second.removed == ()
    assert sorted(p.name for p in (site / "versions").iterdir()) == ["v1", "v2"]

    third = _publish(tmp_path, site, "v3", dist)
    assert read_pointer(site) == "v3"
    assert third.previous == "v2" and third.removed == ("v1",)
    # The current version and the one before it stay: pages loaded just before the switch work.
    assert sorted(p.name for p in (site / "versions").iterdir()) == ["v2", "v3"]
    assert (site / "versions/v3/tiles_files/0/0_0.jpeg").read_text() == "v3"


def test_pointer_is_written_last(tmp_path: Path, dist: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site" / "c1"
    _publish(tmp_path, site, "v1", dist)
    writes: list[str] = []
    # (function, position of its destination argument)
    for name, dest in (("copy_file", 1), ("copy_tree", 1), ("write_text_atomic", 0)):
        original = getattr(site_mod, name)

        def recording(*args, _original=original, _dest=dest, **kwargs):
            writes.append(Path(str(args[_dest])).name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(site_mod, name, recording)
    _publish(tmp_path, site, "v2", dist)
    assert writes[-1] == "current.json"
    assert writes.count("current.json") == 1
    assert {"tiles_files", "tiles.dzi", "metadata.json", "index.html", "app-1.js"} <= set(writes)


def test_failed_publish_leaves_previous_version_serving(
    tmp_path: Path, dist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site" / "c1"
    _publish(tmp_path, site, "v1", dist)
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    original = site_mod.write_text_atomic

    def failing(path, text):
        if Path(str(path)).name == "metadata.json":
            raise OSError("disk full")
        return original(path, text)

    monkeypatch.setattr(site_mod, "write_text_atomic", failing)
    with pytest.raises(OSError, match="disk full"):
        _publish(tmp_path, site, "v2", dist, title="New")

    assert read_pointer(site) == "v1"
    assert not (site / "versions/v2").exists()  # the half-written version is cleaned up
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before

    # And the next publish works.
    monkeypatch.setattr(site_mod, "write_text_atomic", original)
    _publish(tmp_path, site, "v2", dist)
    assert read_pointer(site) == "v2"


def test_publish_refuses_bad_input(tmp_path: Path, dist: Path) -> None:
    site = tmp_path / "site" / "c1"
    tiles = _tiles(tmp_path / "t", "x")
    with pytest.raises(ValueError, match="version"):
        publish_site(site, version="../evil", tiles_dir=tiles, metadata=_metadata(), viewer_dist=dist)
    bad = _metadata()
    bad["cells"] = [0, 1]
    with pytest.raises(ValueError, match="cells"):
        publish_site(site, version="v1", tiles_dir=tiles, metadata=bad, viewer_dist=dist)
    with pytest.raises(FileNotFoundError, match="tiles.dzi"):
        publish_site(site, version="v1", tiles_dir=tmp_path / "nothing", metadata=_metadata(), viewer_dist=dist)
    assert not (site / "current.json").exists()


def test_missing_viewer_build_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(ViewerBuildMissing, match=r"npm --prefix viewer ci && npm --prefix viewer run build"):
        find_viewer_dist(tmp_path / "no-build")


def test_list_published(tmp_path: Path, dist: Path) -> None:
    root = tmp_path / "site"
    _publish(tmp_path, root / "c1", "v1", dist, title="Greek vases", n=3)
    (root / "not-a-collection").mkdir()
    found = list_published(root)
    assert [(c.id, c.title, c.images, c.version) for c in found] == [("c1", "Greek vases", 3, "v1")]
    # No preview.jpg: the smallest single tile holding the whole image stands in.
    assert found[0].preview == "c1/versions/v1/tiles_files/5/0_0.jpeg"
    assert (root / found[0].preview).is_file()


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), b""


def test_server_lists_collections_and_serves_content_types(tmp_path: Path, dist: Path) -> None:
    root = tmp_path / "root"
    _publish(tmp_path, root / "site" / "c1", "v1", dist, title="<b>Vases</b> & co", n=3)
    (root / "site/c1/versions/v1/extra.webp").write_bytes(b"RIFF")
    server, url, thread = serve(root, port=0)
    try:
        status, ctype, body = _get(url)
        page = body.decode()
        assert status == 200 and ctype.startswith("text/html")
        assert 'href="c1/"' in page and "3 images" in page
        assert "&lt;b&gt;Vases&lt;/b&gt; &amp; co" in page and "<b>Vases" not in page
        assert 'src="c1/versions/v1/tiles_files/5/0_0.jpeg"' in page

        expected = {
            "c1/": "text/html",
            "c1/current.json": "application/json",
            "c1/versions/v1/tiles.dzi": "application/xml",
            "c1/versions/v1/metadata.json": "application/json",
            "c1/viewer/app-1.js": "text/javascript",
            "c1/versions/v1/extra.webp": "image/webp",
            "c1/versions/v1/tiles_files/0/0_0.jpeg": "image/jpeg",
        }
        for path, want in expected.items():
            status, ctype, _ = _get(url + path)
            assert status == 200 and ctype.startswith(want), (path, status, ctype)
        assert _get(url + "c1/versions/")[0] == 404  # no directory listings
        assert _get(url + "nope/current.json")[0] == 404
    finally:
        server.should_exit = True
    thread.join(timeout=5)
    assert not thread.is_alive()


def test_server_follows_the_published_header_policy(tmp_path: Path, dist: Path) -> None:
    # The same Content-Type and Cache-Control as `tsne-assets publish` (core.web), except that
    # a local server never lets the page, the pointer or the metadata be cached.
    root = tmp_path / "root"
    site = root / "site" / "c1"
    _publish(tmp_path, site, "v1", dist)
    server, url, thread = serve(root, port=0)
    try:
        paths = ["", "c1/", *(f"c1/{p.relative_to(site).as_posix()}" for p in site.rglob("*") if p.is_file())]
        for path in paths:
            with urllib.request.urlopen(url + path, timeout=10) as response:
                headers = response.headers
            assert headers["Content-Type"] == content_type(path), path
            assert headers["Cache-Control"] == cache_control(path, local=True), path
        assert cache_control("c1/current.json", local=True) == "no-cache"
        assert cache_control("c1/versions/v1/tiles.dzi", local=True) == cache_control("c1/versions/v1/tiles.dzi")
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(url + "c1/versions/v1/nope.jpg", timeout=10)
        assert missing.value.code == 404 and "Cache-Control" not in missing.value.headers
    finally:
        server.should_exit = True
    thread.join(timeout=5)


def test_list_published_without_a_readable_descriptor_has_no_preview(tmp_path: Path, dist: Path) -> None:
    root = tmp_path / "site"
    _publish(tmp_path, root / "c1", "v1", dist)
    (root / "c1/versions/v1/tiles.dzi").write_text("<Image/>")
    assert [(c.id, c.preview) for c in list_published(root)] == [("c1", None)]
