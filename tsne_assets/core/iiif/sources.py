"""Where a IIIF harvest starts, and the walk from there to every manifest.

A source is a manifest or collection URL, a local JSON file holding one, or a local text file
of such URLs (one a line; blank lines and ``#`` comments are ignored). Only the file the user
named is read from disk; everything it refers to is fetched over http(s). Collections are
followed breadth first, each document once, down to a depth and up to a number of manifests.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..spec_values import is_url
from .fetch import FetchError, Fetcher
from .presentation import Collection, Manifest, parse_document

#: Collections inside collections followed at most this deep.
DEFAULT_MAX_DEPTH = 8
#: Manifests read at most from one source.
DEFAULT_MAX_MANIFESTS = 10_000


@dataclass(frozen=True)
class Problem:
    """A document, canvas or image left out, and why."""

    what: str
    reason: str


@dataclass
class Walk:
    """Every manifest reached, in order, what was left out, and a digest of every document read
    (its URL and bytes in order): it changes when any manifest or collection does."""

    manifests: list[Manifest] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    fingerprint: str = ""


def _start(location: str) -> tuple[list[str], list[tuple[str, bytes]]]:
    """The URLs to fetch and the documents already read for ``location``."""
    if is_url(location):
        return [location], []
    if "://" in location or not os.path.isabs(location):
        raise ValueError(f"a IIIF source must be an http(s) URL or an absolute local path, not {location!r}")
    with open(location, "rb") as file:  # FileNotFoundError names the file
        data = file.read()
    if data.lstrip()[:1] == b"{":
        return [], [(location, data)]
    lines = (line.split("#", 1)[0].strip() for line in data.decode("utf-8-sig").splitlines())
    urls = [line for line in lines if line]
    if not urls:
        raise ValueError(f"{location} lists no manifest URL")
    return urls, []


def walk(
    location: str,
    fetcher: Fetcher,
    *,
    language: str | None = None,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_manifests: int = DEFAULT_MAX_MANIFESTS,
    workers: int = 4,
) -> Walk:
    """Read the source at ``location`` and every collection and manifest it leads to.

    Parameters
    ----------
    location:
        See the module's description. A missing local file raises FileNotFoundError; a source
        that leads to no manifest at all raises ValueError naming the problems.
    fetcher:
        Fetches (and caches) the documents.
    language:
        Texts are taken in this language, else in English, else in any.
    max_depth, max_manifests:
        The limits of the walk; what lies beyond is listed as a problem.
    workers:
        Documents fetched at once.
    """
    if max_depth < 0 or max_manifests < 1 or workers < 1:
        raise ValueError("max_depth must not be negative, max_manifests and workers at least 1")
    result, digest = Walk(), hashlib.sha256()
    urls, documents = _start(location)
    seen: set[str] = set(urls)
    level = [(url, None) for url in urls] + [(name, data) for name, data in documents]
    depth = 0
    with ThreadPoolExecutor(workers) as pool:
        while level:
            found = pool.map(lambda item: _read(item, fetcher), level)
            children: list[tuple[str, bytes | None]] = []
            for name, data, error in found:
                if error:
                    result.problems.append(Problem(name, error))
                    continue
                digest.update(f"{name}\n{len(data)}\n".encode() + data)
                try:
                    document = parse_document(json.loads(data), language)
                except ValueError as problem:  # json.JSONDecodeError is one
                    result.problems.append(Problem(name, f"unreadable: {problem}"))
                    continue
                if isinstance(document, Manifest):
                    if len(result.manifests) < max_manifests:
                        result.manifests.append(document)
                    else:
                        result.problems.append(Problem(name, f"left out: more than {max_manifests} manifests"))
                    continue
                children += _members(document, depth, max_depth, seen, result.problems)
            level, depth = children, depth + 1
    result.fingerprint = digest.hexdigest()
    if not result.manifests:
        reasons = "; ".join(f"{p.what}: {p.reason}" for p in result.problems[:3])
        raise ValueError(f"no IIIF manifest could be read from {location}" + (f" ({reasons})" if reasons else ""))
    return result


def _read(item: tuple[str, bytes | None], fetcher: Fetcher) -> tuple[str, bytes, str | None]:
    name, data = item
    if data is not None:
        return name, data, None
    try:
        return name, fetcher.get(name).body, None
    except FetchError as error:
        return name, b"", str(error)


def _members(
    collection: Collection, depth: int, max_depth: int, seen: set[str], problems: list[Problem]
) -> Iterable[tuple[str, None]]:
    """The collection's members not yet read; sub-collections only above ``max_depth``."""
    for url in (*collection.manifests, *collection.collections):
        if url in seen:
            continue
        seen.add(url)
        if url in collection.collections and depth >= max_depth:
            problems.append(Problem(url, f"left out: collections nested deeper than {max_depth}"))
        elif not is_url(url):
            problems.append(Problem(url, "not an http(s) URL"))
        else:
            yield url, None

