"""`tsne-assets serve` against hostile requests: links out of the served root, malformed
requests sent as raw bytes, and the headers, compression and keep-alive of every response."""

from __future__ import annotations

import gzip
import http.client
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tsne_assets.core.web import SECURITY_HEADERS, content_type
from tsne_assets.serve import serve

from .collection import BuiltCollection, build_directly

SECRET = "not for the web"


@pytest.fixture(scope="module")
def root(viewer_dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A published collection with links inside and outside ``<root>/site``.

    ``site/<id>/secret.txt`` and ``site/<id>/elsewhere/`` point outside the root,
    ``site/foreign/`` at a published collection outside it; ``site/<id>/alias.jpg`` and
    ``site/mirror/`` point inside it.
    """
    base = tmp_path_factory.mktemp("serve")
    built = build_directly(base / "root", base / "source")
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    shutil.copytree(built.root / "site" / built.id, outside / "foreign")
    site = built.root / "site"
    (site / built.id / "secret.txt").symlink_to(outside / "secret.txt")
    (site / built.id / "elsewhere").symlink_to(outside, target_is_directory=True)
    (site / "foreign").symlink_to(outside / "foreign", target_is_directory=True)
    (site / built.id / "alias.jpg").symlink_to(site / built.id / built.site.path / "preview.jpg")
    (site / "mirror").symlink_to(site / built.id, target_is_directory=True)
    return built.root


@pytest.fixture(scope="module")
def url(root: Path) -> Iterator[str]:
    server, url, thread = serve(root, port=0)
    yield url
    server.should_exit = True
    thread.join(timeout=10)
    assert not thread.is_alive()


def _port(url: str) -> int:
    return urlsplit(url).port or 80


def _get(url: str, path: str, **headers: str) -> tuple[http.client.HTTPResponse, bytes]:
    """GET ``path`` (relative to the site) with exactly these headers (no Accept-Encoding unless given)."""
    conn = http.client.HTTPConnection("127.0.0.1", _port(url), timeout=10)
    try:
        conn.request("GET", "/" + path, headers=headers)
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def _status_line(port: int, request: bytes) -> bytes:
    """The first line the server answers ``request`` with, sent as raw bytes (empty if none)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request)
        received = b""
        while b"\r\n" not in received:
            chunk = s.recv(4096)
            if not chunk:
                break
            received += chunk
    return received.split(b"\r\n", 1)[0]


def test_links_pointing_outside_the_root_are_not_served(url: str, root: Path) -> None:
    cid = "viewer-test"
    assert (root / "site" / cid / "secret.txt").read_text() == SECRET  # the link works on disk
    for path in (f"{cid}/secret.txt", f"{cid}/elsewhere/secret.txt", "foreign/", "foreign/current.json"):
        response, body = _get(url, path)
        assert response.status == 404, path
        assert SECRET.encode() not in body
    # Nor does the index list a collection whose folder is outside.
    _, page = _get(url, "")
    assert b'href="foreign/"' not in page and f'href="{cid}/"'.encode() in page


def test_links_inside_the_root_are_served(url: str, root: Path) -> None:
    site = root / "site"
    response, body = _get(url, "viewer-test/alias.jpg")
    assert response.status == 200 and body == (site / "viewer-test" / "alias.jpg").read_bytes()
    response, body = _get(url, "mirror/current.json")
    assert response.status == 200 and body == (site / "viewer-test" / "current.json").read_bytes()


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        pytest.param(b"this is not HTTP\r\n\r\n", b"400", id="malformed-request-line"),
        pytest.param(b"GET / HTTP/1.1 extra\r\nHost: a\r\n\r\n", b"400", id="request-line-with-extra-words"),
        pytest.param(b"GET /viewer-test/\x00 HTTP/1.1\r\nHost: a\r\n\r\n", b"400", id="raw-nul"),
        pytest.param(b"GET /viewer-test/%00index.html HTTP/1.1\r\nHost: a\r\n\r\n", b"404", id="escaped-nul"),
        pytest.param(b"GET /" + b"a" * 10_000 + b" HTTP/1.1\r\nHost: a\r\n\r\n", b"414", id="10000-char-url"),
        pytest.param(b"BREW /viewer-test/ HTTP/1.1\r\nHost: a\r\n\r\n", b"405", id="unknown-method"),
        pytest.param(b"DELETE / HTTP/1.1\r\nHost: a\r\n\r\n", b"405", id="method-not-allowed-on-index"),
        pytest.param(b"G(E)T / HTTP/1.1\r\nHost: a\r\n\r\n", b"400", id="method-not-a-token"),
        pytest.param(b"GET /../../outside/secret.txt HTTP/1.1\r\nHost: a\r\n\r\n", b"404", id="dot-dot"),
    ],
)
def test_bad_requests_get_a_4xx_and_the_server_goes_on(url: str, request_bytes: bytes, status: bytes) -> None:
    line = _status_line(_port(url), request_bytes)
    assert line.startswith(b"HTTP/1.1 " + status + b" "), line
    response, _ = _get(url, "viewer-test/current.json")
    assert response.status == 200


def _one_of_each(root: Path) -> dict[str, int]:
    """A URL path (relative to the site) of every kind of response, with its status."""
    version = root / "site" / "viewer-test" / "versions"
    [v] = [p.name for p in version.iterdir()]
    [script] = (root / "site" / "viewer-test" / "viewer").glob("*.js")
    [style] = (root / "site" / "viewer-test" / "viewer").glob("*.css")
    return {
        "": 200,  # the generated index
        "viewer-test/": 200,
        f"viewer-test/viewer/{script.name}": 200,
        f"viewer-test/viewer/{style.name}": 200,
        "viewer-test/current.json": 200,
        f"viewer-test/versions/{v}/tiles.dzi": 200,
        f"viewer-test/versions/{v}/preview.jpg": 200,
        "viewer-test/nope.txt": 404,
        "a" * 9000: 414,
    }


def test_every_response_has_the_security_headers_and_text_its_charset(url: str, root: Path) -> None:
    for path, status in _one_of_each(root).items():
        response, _ = _get(url, path)
        assert response.status == status, path
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value, (path, name)
        ctype = response.headers["Content-Type"]
        if status == 200:
            assert ctype == content_type(path), path
        if ctype.startswith("text/"):
            assert ctype.endswith("; charset=utf-8"), (path, ctype)
    assert SECURITY_HEADERS["X-Content-Type-Options"] == "nosniff"
    assert SECURITY_HEADERS["Content-Security-Policy"].startswith("default-src 'self'")


def test_text_is_gzipped_when_the_client_accepts_it(url: str, root: Path) -> None:
    [script] = (root / "site" / "viewer-test" / "viewer").glob("*.js")
    path = f"viewer-test/viewer/{script.name}"
    response, body = _get(url, path, **{"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Vary"] == "Accept-Encoding, Origin"  # Origin: CORS answers differ by it
    assert gzip.decompress(body) == script.read_bytes()
    assert len(body) < script.stat().st_size / 2

    response, body = _get(url, path)
    assert "Content-Encoding" not in response.headers
    assert response.headers["Vary"] == "Accept-Encoding, Origin"
    assert body == script.read_bytes()

    # Images are compressed already.
    response, body = _get(url, "viewer-test/alias.jpg", **{"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers
    assert body == (root / "site" / "viewer-test" / "alias.jpg").read_bytes()


def test_two_requests_share_one_keep_alive_connection(url: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", _port(url), timeout=10)
    try:
        conn.request("GET", "/viewer-test/current.json")
        first = conn.getresponse()
        first.read()
        assert first.version == 11 and not first.will_close
        sock = conn.sock
        conn.request("GET", "/viewer-test/")
        second = conn.getresponse()
        assert second.status == 200 and b"<html" in second.read()
        assert conn.sock is sock  # http.client reconnects, with a new socket, after a close
    finally:
        conn.close()


def test_viewer_and_index_break_no_content_security_policy(browser, site_url: str, collection: BuiltCollection) -> None:
    # Chromium logs each violation on the console and fires `securitypolicyviolation`.
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(
        "window.cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    try:
        response = page.goto(site_url)
        assert response.headers["content-security-policy"] == SECURITY_HEADERS["Content-Security-Policy"]
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(17, 18, 20)"
        violations += page.evaluate("window.cspViolations")

        page.goto(f"{site_url}{collection.id}/")
        page.wait_for_function("() => document.documentElement.dataset.state === 'ready'")
        # Zoom in so that deeper tiles load, select an image and search: every part of the viewer.
        page.evaluate("window.tsneViewer.viewer.viewport.zoomBy(4, undefined, true)")
        page.wait_for_function("() => window.tsneViewer.viewer.world.getItemAt(0).getFullyLoaded()")
        page.mouse.click(640, 400)
        page.fill("#search-input", "amphora")
        page.wait_for_function("() => document.getElementById('match-count').textContent.includes('2')")
        violations += page.evaluate("window.cspViolations")
    finally:
        page.context.close()
    assert violations == []
