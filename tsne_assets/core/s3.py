"""S3 requests whose retries end after a set time, and say that they are retrying.

botocore retries a request a number of times with growing waits, and s3fs retries some
errors again around it, so with the endpoint gone one operation used to wait minutes without a
word. The clients of :func:`s3_session` retry a request that gets no answer (connection
refused, dropped or timed out; 502 or 504; 503 other than S3's "slow down") for
``retry_seconds`` after the request began, log each new attempt on the
``tsne_assets.storage`` logger (with a one-line ``summary`` for progress bars), then raise :class:`~tsne_assets.errors.StorageUnavailableError`,
which names the endpoint and the operation. A request's last attempt may still take one connect
and one read timeout (5 s and 15 s, capped at ``retry_seconds``). Once an endpoint has failed
so, later requests to it fail at their first unanswered attempt until one of them is answered:
cleanup after an outage does not wait all over again. Throttling and other server errors keep
botocore's policy (it slows down when asked to), within the same time.

The hooks are botocore event handlers on the session, which every client made from it runs
before its own retry handler (``needs-retry`` handlers run in order, the first answer wins).
"""

from __future__ import annotations

import functools
import logging
import os
import random
import time
from typing import Any

from aiobotocore.session import AioSession
from botocore.exceptions import ConnectionError as BotoConnectionError
from botocore.exceptions import HTTPClientError

from ..errors import StorageUnavailableError

log = logging.getLogger("tsne_assets.storage")

#: How long a request that gets no answer is retried, by default.
DEFAULT_RETRY_SECONDS = 60
#: s3fs's own defaults; each is capped at the retry time.
CONNECT_TIMEOUT, READ_TIMEOUT = 5.0, 15.0
#: Longest wait between two attempts.
MAX_BACKOFF = 8.0
_STARTED = "tsne_assets_started"


def _status(response: Any) -> tuple[int, str]:
    """The HTTP status and S3 error code of an answer."""
    return response[0].status_code, str((response[1].get("Error") or {}).get("Code", ""))


def _no_answer(response: Any, caught_exception: BaseException | None) -> str | None:
    """Why an attempt got no answer from S3, or None when it got one (of any kind)."""
    if isinstance(caught_exception, (BotoConnectionError, HTTPClientError)):
        return str(caught_exception)
    if caught_exception is None and response is not None:
        status, code = _status(response)
        # 502 and 504 come from a proxy with no server behind it; a 503 "SlowDown" is S3
        # asking the client to slow down, which botocore's adaptive mode does.
        if status in (502, 504) or (status == 503 and not code.startswith("SlowDown")):
            return f"HTTP {status} {code}".rstrip()
    return None


class RetryDeadline:
    """botocore handlers that retry unanswered requests for ``seconds``, then give up."""

    def __init__(self, seconds: float) -> None:
        if seconds <= 0:
            raise ValueError(f"the S3 retry time must be positive, not {seconds!r}")
        self.seconds = seconds
        self._down: set[str] = set()  # endpoints that have failed a request, until one answers
        self._logged: dict[str, int] = {}  # per endpoint, the last attempt number logged

    def start(self, context: dict[str, Any], **_: Any) -> None:
        """``before-call``: note when the request began."""
        context[_STARTED] = time.monotonic()

    def needs_retry(
        self,
        response: Any,
        endpoint: Any,
        operation: Any,
        attempts: int,
        caught_exception: BaseException | None,
        request_dict: dict[str, Any],
        **_: Any,
    ) -> float | None:
        """``needs-retry``: the wait before the next attempt of an unanswered request, or None
        to leave the decision to botocore; raises once the time is up."""
        host = endpoint.host
        elapsed = time.monotonic() - request_dict["context"].get(_STARTED, time.monotonic())
        reason = _no_answer(response, caught_exception)
        if reason is None:
            self._down.discard(host)
            self._logged.pop(host, None)
            if elapsed >= self.seconds and caught_exception is None and response[0].status_code >= 500:
                # a server error that botocore would try again: not past the time
                status, code = _status(response)
                raise StorageUnavailableError(host, operation.name, elapsed, f"HTTP {status} {code}".rstrip())
            return None
        if host in self._down or elapsed >= self.seconds:
            self._down.add(host)
            raise StorageUnavailableError(host, operation.name, elapsed, reason)
        if attempts > self._logged.get(host, 0):  # once per attempt number, however many requests
            self._logged[host] = attempts
            log.warning(
                "S3 not answering at %s (%s: %s), retrying (attempt %d, for up to %g s)",
                host, operation.name, reason, attempts + 1, self.seconds,
                extra={"summary": f"S3 not answering at {host}, retrying (attempt {attempts + 1})"},
            )
        backoff = random.uniform(0.5, 1.0) * min(2.0 ** (attempts - 1), MAX_BACKOFF)
        return min(backoff, self.seconds - elapsed)


class _Session(AioSession):
    """An :class:`AioSession` with a :class:`RetryDeadline`; pickled as its retry time, so that
    a process that unpickles a file system gets its own."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.retry_seconds = seconds
        deadline = RetryDeadline(seconds)
        self.register("before-call.s3", deadline.start)
        self.register("needs-retry.s3", deadline.needs_retry)

    def __reduce__(self) -> tuple[Any, tuple[float]]:
        return s3_session, (self.retry_seconds,)


def s3_session(retry_seconds: float = DEFAULT_RETRY_SECONDS) -> AioSession:
    """The session (one per retry time and process) for s3fs's ``session`` option."""
    return _cached_session(float(retry_seconds), os.getpid())


@functools.lru_cache(maxsize=None)
def _cached_session(seconds: float, pid: int) -> AioSession:
    # One object per retry time, so that fsspec's cache of file systems, which compares their
    # options, hands out the same file system (and connections) every time.
    return _Session(seconds)


def s3_options(retry_seconds: float = DEFAULT_RETRY_SECONDS) -> dict[str, Any]:
    """s3fs options for requests retried for at most ``retry_seconds`` when unanswered;
    other errors are retried by botocore ("adaptive": it also slows down when throttled)."""
    return {
        "session": s3_session(retry_seconds),
        "config_kwargs": {
            "retries": {"total_max_attempts": 10, "mode": "adaptive"},
            "connect_timeout": min(CONNECT_TIMEOUT, retry_seconds),
            "read_timeout": min(READ_TIMEOUT, retry_seconds),
        },
    }
