"""`tsne-assets serve`: a local HTTP server for the published viewers of a local root.

Serves ``<root>/site/`` with the Content-Type and Cache-Control headers of :mod:`.core.web`,
as the bucket that ``tsne-assets publish`` uploads to does (except that the page, the pointer
and the metadata are never cached), and at ``/`` a page listing the published collections
(:mod:`.serve_index`). Starlette serves the files and uvicorn speaks HTTP/1.1 (h11: malformed
requests get a 400, connections are kept alive); this module adds what a static site needs
on top: nothing whose real path (symlinks resolved) is outside the site folder, the security
headers of :data:`.core.web.SECURITY_HEADERS` on every response, gzip for text where the
client accepts it, a 414 for over-long URLs, and CORS: ``Access-Control-Allow-Origin: *`` on
GET and HEAD answers to other origins' requests, so that IIIF viewers served elsewhere (Mirador,
Universal Viewer) open a map's manifest, ``info.json`` and tiles.
"""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path
from urllib.parse import urlsplit

import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .core.web import SECURITY_HEADERS, cache_control, content_type
from .serve_index import render_index

__all__ = [
    "MAX_URL_BYTES",
    "SiteServer",
    "make_app",
    "make_server",
    "render_index",
    "run_server",
    "serve",
    "site_root",
]

#: Longest path and query a request may have (the site's URLs are far shorter); longer is a 414.
MAX_URL_BYTES = 8192
#: zlib level of compressed responses: the fastest, since the big one is made per request.
GZIP_LEVEL = 1


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


class SiteFiles(StaticFiles):
    """The site's files with :mod:`.core.web`'s headers; a folder URL serves its ``index.html``.

    Starlette resolves every path with :func:`os.path.realpath` and refuses (404) one that
    ends outside the folder, so a symlink inside the site that points outside serves nothing.
    """

    def __init__(self, site: Path) -> None:
        super().__init__(directory=site, html=True, follow_symlink=False)

    def file_response(
        self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        path = scope["path"]
        response.headers["Cache-Control"] = cache_control(path, local=True)
        if "content-type" in response.headers:  # not on a 304
            response.headers["Content-Type"] = content_type(path)
        return response


class SiteHeaders:
    """ASGI middleware: a 414 for URLs over :data:`MAX_URL_BYTES`, and the security headers of
    :data:`.core.web.SECURITY_HEADERS` on every response the application sends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(SECURITY_HEADERS)
            await send(message)

        too_long = len(scope["raw_path"]) + len(scope["query_string"]) > MAX_URL_BYTES
        app = PlainTextResponse("URI too long", status_code=414) if too_long else self.app
        await app(scope, receive, send_with_headers)


def make_app(site: Path) -> Starlette:
    """The ASGI application serving the site folder ``site`` (which must exist)."""

    async def index(request: Request) -> Response:
        headers = {"Cache-Control": cache_control("/", local=True)}
        return Response(render_index(site), media_type=content_type("/"), headers=headers)

    return Starlette(
        routes=[
            Route("/", index, methods=["GET"]),  # HEAD too
            Route("/index.html", index, methods=["GET"]),
            Mount("/", SiteFiles(site)),
        ],
        # Outermost first: errors and compressed responses get the security headers too.
        # Starlette's defaults leave JPEG, PNG and WebP tiles uncompressed. Level 1, not
        # Starlette's 9: a 100,000-image metadata.json (21 MB) compresses in about 0.2 s,
        # not 2.5 s, to 2.8 MB, not 2.0 (docs/benchmarks.md, the viewer at 100,000 images).
        middleware=[
            Middleware(SiteHeaders),
            Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD"]),
            Middleware(GZipMiddleware, compresslevel=GZIP_LEVEL),
        ],
    )


class SiteServer(uvicorn.Server):
    """uvicorn on a socket bound before it starts (so that port 0 is known at once).

    :attr:`ready` is set once it serves, or has failed to start; setting :attr:`should_exit`
    stops it (Ctrl+C does in the main thread).
    """

    def __init__(self, config: uvicorn.Config, sock: socket.socket) -> None:
        super().__init__(config)
        self.socket = sock
        self.ready = threading.Event()

    @property
    def url(self) -> str:
        """The site's URL; a server on every address is reached through the loopback one."""
        host, port = self.socket.getsockname()[:2]
        host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
        return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().startup(sockets)
        finally:
            self.ready.set()

    def serve_forever(self) -> None:
        """Serve until :attr:`should_exit` is set."""
        try:
            self.run(sockets=[self.socket])
        finally:
            self.ready.set()
            self.socket.close()


def make_server(root: str | Path, host: str = "127.0.0.1", port: int = 8000, *, verbose: bool = False) -> SiteServer:
    """A server for ``<root>/site``, bound but not yet serving; port 0 picks a free port.

    ``verbose`` logs every request to the console (uvicorn's log format).
    """
    site = site_root(root)
    site.mkdir(parents=True, exist_ok=True)
    config = uvicorn.Config(
        make_app(site),
        http="h11",
        ws="none",
        lifespan="off",
        # No logging set-up of uvicorn's own in a process that is not the command line's.
        log_config=uvicorn.config.LOGGING_CONFIG if verbose else None,
        log_level="info" if verbose else "warning",
        access_log=verbose,
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=5,
    )
    sock = socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET)
    return SiteServer(config, sock)


def serve(root: str | Path, host: str = "127.0.0.1", port: int = 0) -> tuple[SiteServer, str, threading.Thread]:
    """Serve in a background thread, once it accepts requests; stop it with
    ``server.should_exit = True; thread.join()``."""
    server = make_server(root, host, port)
    thread = threading.Thread(target=server.serve_forever, name="tsne-assets-serve", daemon=True)
    thread.start()
    server.ready.wait()
    if not server.started:
        thread.join()
        raise RuntimeError(f"the server for {site_root(root)} did not start")
    return server, server.url, thread


def run_server(root: str, host: str, port: int) -> None:
    """Print the URL and serve until interrupted."""
    server = make_server(root, host, port, verbose=True)
    print(f"Serving {site_root(root)} at {server.url}  (Ctrl+C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:  # uvicorn re-raises Ctrl+C once it has stopped
        pass
