"""Polite, robust HTTP for harvesting: a User-Agent, bounded retries with backoff (urllib3's
``Retry``, which honours ``Retry-After``), time limits, a size limit, and a conditional-GET
cache so that a rebuild downloads nothing that has not changed.

The cache keeps each response's body and validators (``ETag``, ``Last-Modified``) under a
folder of the storage root (local or S3); a later request sends ``If-None-Match`` and
``If-Modified-Since`` and reuses the stored body on ``304 Not Modified``. Only ``http`` and
``https`` URLs are fetched.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from ..spec_values import is_url
from ..storage import write_bytes_atomic

#: Sent with every request, so that servers' operators know who is asking.
USER_AGENT = "tsne-assets/0.1 (IIIF harvester; +https://github.com/tsne-assets)"
#: The largest response read, in bytes: a manifest or a 1,024-pixel image is far smaller.
MAX_BYTES = 64 * 1024 * 1024


class FetchError(Exception):
    """A URL that could not be fetched; the message says why, in a few words."""


@dataclass(frozen=True)
class Fetched:
    """A response body; ``fresh`` is False when it came from the cache after a ``304``."""

    url: str
    body: bytes
    fresh: bool


class HttpCache:
    """Bodies and validators of earlier responses under ``folder`` (a path or UPath), one pair of
    files per URL, named by the URL's SHA-256."""

    def __init__(self, folder: Any) -> None:
        self.folder = folder

    def _paths(self, url: str) -> tuple[Any, Any]:
        key = hashlib.sha256(url.encode()).hexdigest()
        base = self.folder / key[:2]
        return base / f"{key}.json", base / f"{key}.body"

    def validators(self, url: str) -> dict[str, str] | None:
        """What was stored with ``url``'s body (its validators and digest), or ``None``."""
        try:
            info = json.loads(self._paths(url)[0].read_text())
        except (OSError, ValueError):
            return None
        return info if isinstance(info, dict) and info.get("url") == url else None

    def body(self, url: str, info: dict[str, str]) -> bytes | None:
        """The stored body of ``url`` that ``info`` describes, or ``None`` (missing or damaged)."""
        try:
            body = self._paths(url)[1].read_bytes()
        except OSError:
            return None
        return body if info.get("sha256") == hashlib.sha256(body).hexdigest() else None

    def store(self, url: str, headers: Any, body: bytes) -> None:
        """Keep ``body`` with the response's validators, if it has any (the body first, so that
        validators never describe another body)."""
        validators = {name: headers[name] for name in ("ETag", "Last-Modified") if headers.get(name)}
        if not validators:
            return
        info_path, body_path = self._paths(url)
        write_bytes_atomic(body_path, body)
        info = {"url": url, "sha256": hashlib.sha256(body).hexdigest(), **validators}
        write_bytes_atomic(info_path, json.dumps(info).encode())


class Fetcher:
    """GET with retries, a time limit and the conditional cache; safe to share between threads.

    Parameters
    ----------
    cache:
        Where earlier responses are kept, or ``None`` for none.
    connections:
        The most connections kept open per host: match it to the number of threads that fetch.
    retries:
        Further attempts after a connection error or a 429, 500, 502, 503 or 504 answer.
    backoff:
        Seconds before the first retry; each later one waits twice as long (capped at 30 s).
    timeout:
        Seconds to wait to connect and between bytes of the answer.
    """

    def __init__(
        self,
        cache: HttpCache | None = None,
        *,
        connections: int = 4,
        retries: int = 3,
        backoff: float = 0.5,
        timeout: float = 30.0,
    ) -> None:
        if connections < 1 or retries < 0 or backoff < 0 or timeout <= 0:
            raise ValueError("connections must be at least 1, retries and backoff not negative, the timeout positive")
        self.cache, self.timeout = cache, timeout
        retry = Retry(
            total=retries,
            backoff_factor=backoff,
            backoff_max=30,
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods=("GET",),
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        adapter = HTTPAdapter(max_retries=retry, pool_connections=connections, pool_maxsize=connections)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._lock = threading.Lock()
        self.downloaded = self.unchanged = 0

    def get(self, url: str) -> Fetched:
        """The body at ``url``: from the cache when the server says it has not changed. Raises
        :class:`FetchError` with the reason when there is none."""
        if not is_url(url):
            raise FetchError(f"not an http(s) URL: {url!r}")
        info = self.cache.validators(url) if self.cache else None
        pairs = (("If-None-Match", "ETag"), ("If-Modified-Since", "Last-Modified"))
        answer = self._get(url, {header: info[key] for header, key in pairs if key in info} if info else {})
        if answer is None:  # 304: the stored body, read only now
            stored = self.cache.body(url, info) if self.cache and info else None
            if stored is not None:
                with self._lock:
                    self.unchanged += 1
                return Fetched(url, stored, fresh=False)
            answer = self._get(url, {})  # the stored body is missing or damaged: fetched whole
            if answer is None:
                raise FetchError("HTTP 304 Not Modified without a condition")
        body, response_headers = answer
        if self.cache:
            self.cache.store(url, response_headers, body)
        with self._lock:
            self.downloaded += 1
        return Fetched(url, body, fresh=True)

    def _get(self, url: str, headers: dict[str, str]) -> tuple[bytes, Any] | None:
        """The body and headers of a ``200`` answer to GET ``url``, or ``None`` for a ``304``."""
        try:
            with self.session.get(url, headers=headers, timeout=self.timeout, stream=True) as response:
                if response.status_code == 304:
                    return None
                if response.status_code != 200:
                    raise FetchError(f"HTTP {response.status_code} {response.reason or ''}".strip())
                body = response.raw.read(MAX_BYTES + 1, decode_content=True)
        except (requests.RequestException, urllib3.exceptions.HTTPError) as error:
            # Reading the body streams through urllib3, whose errors (a stalled or reset
            # server) are not requests' own.
            raise FetchError(_short(error)) from None
        if len(body) > MAX_BYTES:
            raise FetchError(f"larger than {MAX_BYTES // 2**20} MiB")
        return body, response.headers


def _short(error: Exception) -> str:
    """A connection error in a few words, not urllib3's nested representation."""
    reason = getattr(error, "args", [None])[0]
    reason = getattr(reason, "reason", reason)
    return f"{type(error).__name__}: {reason}" if reason else type(error).__name__
