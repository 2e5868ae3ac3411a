"""How a published site is served over HTTP: the Content-Type and Cache-Control of each file.

One policy for every server of ``<root>/site/<id>/`` (see :mod:`.site`): the static-website
bucket that :mod:`.publish` uploads to and the local ``tsne-assets serve``.

Caching: the page, the pointer and the viewer metadata change under the same name when a new
version is published; everything else is immutable once written (a version's tiles, DZI and
preview live under its own ``versions/<v>/`` folder, and the app's assets have content-hashed
names), so browsers and CDNs may keep it for a year.
"""

from __future__ import annotations

import mimetypes

from .site import POINTER_NAME
from .viewer_data import METADATA_NAME

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "IMMUTABLE",
    "NO_CACHE",
    "REVALIDATE",
    "SECURITY_HEADERS",
    "cache_control",
    "content_encoding",
    "content_type",
]

#: Cache-Control of files that never change under their name.
IMMUTABLE = "public, max-age=31536000, immutable"
#: Cache-Control of the mutable files on a public host: a minute in caches, then revalidated.
REVALIDATE = "public, max-age=60, must-revalidate"
#: Cache-Control of the mutable files on a local server, whose one user may have just rebuilt.
NO_CACHE = "no-cache"

#: What the viewer may load: its own origin only. Two exceptions, checked in Chromium: images
#: also from ``data:`` (the page's empty ``data:,`` icon), and inline styles (OpenSeadragon
#: injects a ``<style>``; so does ``serve``'s index page). Scripts stay ``'self'`` only: no
#: inline script, no ``eval``.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self' 'unsafe-inline'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    )
)
#: Headers of every response from a server that can set them (``tsne-assets serve``; a CDN in
#: front of the bucket may add the same).
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}

#: The page a folder URL (``<id>/``) serves.
_INDEX_NAME = "index.html"
_MUTABLE_NAMES = frozenset({_INDEX_NAME, POINTER_NAME, METADATA_NAME})
#: Explicit types where the platform's MIME table is missing or differs between systems;
#: text is always UTF-8.
_TYPES = {
    ".avif": "image/avif",
    ".css": "text/css; charset=utf-8",
    ".dzi": "application/xml",
    ".html": "text/html; charset=utf-8",
    ".jpeg": "image/jpeg",
    ".jpg": "image/jpeg",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".mjs": "text/javascript; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".webp": "image/webp",
    ".xml": "application/xml",
}


def _file_name(path: str) -> str:
    """The last segment of a key or URL path; a folder (``.../``) serves its index page."""
    return path.rsplit("/", 1)[-1] or _INDEX_NAME


def content_type(path: str) -> str:
    """The Content-Type of the file at ``path``, an object key or URL path.

    The table above first, then the platform's MIME types, then ``application/octet-stream``.
    """
    name = _file_name(path)
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return _TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def content_encoding(path: str) -> str | None:
    """How a static bucket stores the file at ``path``: ``"gzip"`` for text, since buckets send
    objects as stored and never compress (a 100,000-image ``metadata.json``: 21 MB, 2 MB
    gzipped); ``None`` for images (compressed already), for the pointer (a few bytes, which
    publishing reads back) and for binary tables the viewer reads by byte range
    (``similar.bin``: a range of a gzipped object is not a range of the table).
    """
    name = _file_name(path)
    text = content_type(name).startswith(("text/", "application/json", "application/xml", "image/svg+xml"))
    return "gzip" if text and name != POINTER_NAME else None


def cache_control(path: str, *, local: bool = False) -> str:
    """The Cache-Control of the file at ``path``, an object key or URL path.

    :data:`IMMUTABLE` unless its content changes under the same name (the page, the pointer,
    the metadata); those get :data:`REVALIDATE`, or with ``local`` (a server on this machine)
    :data:`NO_CACHE`, so that a rebuilt collection shows on the next reload.
    """
    if _file_name(path) in _MUTABLE_NAMES:
        return NO_CACHE if local else REVALIDATE
    return IMMUTABLE
