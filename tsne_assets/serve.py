"""`tsne-assets serve`: a small static HTTP server for the published viewers of a local root.

Serves ``<root>/site/`` with the Content-Type and Cache-Control headers of :mod:`.core.web`,
as the bucket that ``tsne-assets publish`` uploads to does (except that the page, the pointer
and the metadata are never cached), and at ``/`` a generated page listing the published
collections (title, number of images, preview) linking to ``<id>/``.
"""

from __future__ import annotations

import html
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, urlsplit

from .core.site import list_published
from .core.web import cache_control, content_type


def site_root(root: str | Path) -> Path:
    """``<root>/site`` for a local storage root (a folder path or a ``file://`` URL)."""
    text = str(root)
    if "://" in text:
        scheme = text.split("://", 1)[0]
        if scheme not in ("file", "local"):
            raise ValueError(
                f"serve needs a local storage root, not {text!r}; any static host (or the "
                "bucket's website endpoint) can serve <root>/site/ directly"
            )
        text = urlsplit(text).path
    return Path(text).expanduser().resolve() / "site"


class SiteRequestHandler(SimpleHTTPRequestHandler):
    """Static files from the site folder, no directory listings, a generated index at ``/``."""

    server_version = "tsne-assets"
    _status = 0  # of the response being sent

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base signature
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def guess_type(self, path: str) -> str:  # type: ignore[override]
        return content_type(str(path))

    def send_response_only(self, code: int, message: str | None = None) -> None:
        self._status = code
        super().send_response_only(code, message)

    def end_headers(self) -> None:
        # Only files are cached: an error may be gone on the next request.
        if HTTPStatus.OK <= self._status < HTTPStatus.BAD_REQUEST:
            self.send_header("Cache-Control", cache_control(urlsplit(self.path).path, local=True))
        super().end_headers()

    def do_GET(self) -> None:
        if urlsplit(self.path).path in ("/", "/index.html"):
            self._send_index(head=False)
        else:
            super().do_GET()

    def do_HEAD(self) -> None:
        if urlsplit(self.path).path in ("/", "/index.html"):
            self._send_index(head=True)
        else:
            super().do_HEAD()

    def list_directory(self, path):  # type: ignore[override]
        self.send_error(HTTPStatus.NOT_FOUND, "Not found")
        return None

    def _send_index(self, *, head: bool) -> None:
        body = render_index(Path(self.directory)).encode("utf-8")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


def render_index(site: Path) -> str:
    """The root page: every published collection with its size and a preview."""
    entries = []
    for c in list_published(site):
        href = quote(c.id) + "/"
        preview = (
            f'<img src="{html.escape(quote(c.preview))}" alt="" loading="lazy">'
            if c.preview
            else '<span class="noimg" aria-hidden="true"></span>'
        )
        n = f"{c.images:,} image{'s' if c.images != 1 else ''}"
        entries.append(
            f'<li><a href="{html.escape(href)}">{preview}'
            f"<span class=t>{html.escape(c.title)}</span>"
            f"<span class=n>{html.escape(n)}</span></a></li>"
        )
    items = "\n".join(entries) or "<li class=empty>No collection is published yet.</li>"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tsne-assets collections</title>
<style>
body{{margin:0;padding:1.5rem;background:#111214;color:#f2f2f2;font:16px/1.4 system-ui,sans-serif}}
h1{{font-size:1.4rem;margin:0 0 1rem}}
ul{{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:1rem}}
a{{display:flex;flex-direction:column;gap:.35rem;padding:.6rem;border-radius:.5rem;background:#1c1e22;color:#f2f2f2;text-decoration:none;border:1px solid #33363c}}
a:hover{{border-color:#7fd1ff}} a:focus-visible{{outline:3px solid #ffd24a;outline-offset:2px}}
img,.noimg{{display:block;width:100%;aspect-ratio:1;object-fit:contain;background:#000;border-radius:.25rem}}
.t{{font-weight:600;overflow-wrap:anywhere}} .n{{color:#c4c7cc;font-size:.9rem}}
</style></head>
<body><main><h1>Collections</h1>
<ul>
{items}
</ul></main></body></html>
"""


def make_server(root: str | Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """A server for ``<root>/site`` (not yet serving; port 0 picks a free port)."""
    site = site_root(root)
    site.mkdir(parents=True, exist_ok=True)
    handler = partial(SiteRequestHandler, directory=str(site))
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def server_url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    if ":" in str(host):
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def serve(root: str | Path, host: str = "127.0.0.1", port: int = 0) -> tuple[ThreadingHTTPServer, str, threading.Thread]:
    """Serve in a background thread; stop with ``server.shutdown(); server.server_close()``."""
    server = make_server(root, host, port)
    thread = threading.Thread(target=server.serve_forever, name="tsne-assets-serve", daemon=True)
    thread.start()
    return server, server_url(server), thread


def run_server(root: str, host: str, port: int) -> None:
    """Print the URL and serve until interrupted."""
    server = make_server(root, host, port)
    server.verbose = True  # type: ignore[attr-defined]
    print(f"Serving {site_root(root)} at {server_url(server)}  (Ctrl+C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
