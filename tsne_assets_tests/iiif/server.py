"""A static HTTP server on 127.0.0.1 for IIIF tests: fixed bodies by path, with ``ETag`` and
``Last-Modified`` validators it honours (``304 Not Modified``), and a log of every answer."""

from __future__ import annotations

import hashlib
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

#: Every body's Last-Modified: a fixed time, so that If-Modified-Since can match it.
LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)


class StaticServer:
    """Serves ``files`` (path -> ``(body, content type)``), editable while it runs; ``log``
    holds ``(path, status)`` of every request, in order."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[bytes, str]] = {}
        self.log: list[tuple[str, int]] = []
        self.user_agents: set[str] = set()
        self.failures: dict[str, int] = {}  # path -> how many more requests get 503
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                path = unquote(urlsplit(self.path).path)
                server.user_agents.add(self.headers.get("User-Agent", ""))
                if server.failures.get(path, 0) > 0:
                    server.failures[path] -= 1
                    return self._answer(path, 503, b"busy", "text/plain")
                found = server.files.get(path)
                if found is None:
                    return self._answer(path, 404, b"not found", "text/plain")
                body, kind = found
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag or (
                    "If-None-Match" not in self.headers and self.headers.get("If-Modified-Since") == LAST_MODIFIED
                ):
                    return self._answer(path, 304, b"", kind, etag)
                self._answer(path, 200, body, kind, etag)

            def _answer(self, path: str, status: int, body: bytes, kind: str, etag: str | None = None) -> None:
                server.log.append((path, status))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                if etag:
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", LAST_MODIFIED)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass  # the log above says what the tests need

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> StaticServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()

    def downloads(self) -> list[str]:
        """Paths answered with a body (200)."""
        return [path for path, status in self.log if status == 200]
