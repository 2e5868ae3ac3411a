"""A IIIF source harvested into an image folder and a metadata CSV, which the rest of the
pipeline reads exactly as a local collection.

Each canvas (or each manifest's first) becomes one image file, named by a digest of its canvas
and manifest ids so that its id stays the same from one harvest to the next, and one CSV row:
``filename``, ``title``, ``url`` (the record's homepage, else the manifest id), ``summary``,
``attribution`` (the required statement), ``rights``, ``manifest``, ``canvas``,
``manifest_label``, ``canvas_label``, the canvas's Image API service where it has one
(:data:`SERVICE_COLUMNS`: ``image_service``, its id; ``image_service_type``, ``ImageService2``
or ``ImageService3``; ``image_service_profile``, as the source states it; ``image_width`` and
``image_height``, the full image's size from the service, else the canvas; all ``""`` without a
service or with an Image API 1.x one, which is used to fetch the image but never recorded: the
viewer's IIIF export asks a recorded service for ``default.jpg``, a quality 1.x does not serve;
of several services, the newest that serves a smaller image: :func:`~.image_api.parse_service`) and a column
for each metadata label. A canvas or image
that fails is listed with its reason and left out; files of canvases no longer in the source
are removed.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..storage import prune_children, write_bytes_atomic
from .fetch import FetchError, Fetcher
from .image_api import DEFAULT_IMAGE_SIZE, ImageService, image_request
from .presentation import CanvasImage, Manifest
from .sources import Walk

#: The columns of a canvas's image service (see the module's description).
SERVICE_COLUMNS = ("image_service", "image_service_type", "image_service_profile", "image_width", "image_height")
#: The CSV's columns before those of the metadata labels.
FIXED_COLUMNS = (
    "filename", "title", "url", "summary", "attribution", "rights", "manifest", "canvas", "manifest_label", "canvas_label",
    *SERVICE_COLUMNS,
)
#: File types by their first bytes; anything else is kept as ``.jpg`` and judged by the manifest step.
_SIGNATURES = ((b"\x89PNG", ".png"), (b"GIF8", ".gif"), (b"II*\x00", ".tif"), (b"MM\x00*", ".tif"), (b"RIFF", ".webp"))


@dataclass(frozen=True)
class Harvested:
    """``records``: the outcome per canvas (``manifest``, ``canvas``, ``file``: the image's name
    in the folder, ``status``: ``downloaded``, ``unchanged`` or ``failed``, ``reason``, ``url``:
    the image asked for); ``table``: the metadata, one row per image file."""

    records: pd.DataFrame
    table: pd.DataFrame


def _suffix(body: bytes) -> str:
    return next((suffix for signature, suffix in _SIGNATURES if body.startswith(signature)), ".jpg")


def _canvases(manifest: Manifest, first_canvas_only: bool) -> tuple[CanvasImage, ...]:
    return manifest.canvases[:1] if first_canvas_only else manifest.canvases


def canvas_count(walked: Walk, first_canvas_only: bool = False) -> int:
    """The canvases :func:`harvest` fetches from ``walked`` (a manifest without any counts as one,
    listed as left out)."""
    return sum(len(_canvases(manifest, first_canvas_only)) or 1 for manifest in walked.manifests)


def left_out(walked: Walk, harvested: Harvested) -> pd.DataFrame:
    """Every document, canvas and image left out of a harvest: ``source`` and ``reason``."""
    failed = harvested.records[harvested.records["status"] == "failed"]
    rows = [(p.what, p.reason) for p in walked.problems]
    rows += [(record.canvas or record.manifest, record.reason) for record in failed.itertuples()]
    return pd.DataFrame(rows, columns=["source", "reason"])


def _row(manifest: Manifest, canvas: CanvasImage, filename: str, several: bool) -> dict[str, str]:
    title = manifest.label or canvas.label or manifest.id
    if several and canvas.label and canvas.label != title:
        title = f"{title}, {canvas.label}"
    row = {
        "filename": filename, "title": title, "url": manifest.homepage or manifest.id, "summary": manifest.summary,
        "attribution": manifest.attribution, "rights": manifest.rights, "manifest": manifest.id, "canvas": canvas.id,
        "manifest_label": manifest.label, "canvas_label": canvas.label, **_service_row(canvas.service),
    }
    for label, value in manifest.metadata:
        if label not in row:
            row[label] = value
        elif label not in FIXED_COLUMNS:
            row[label] += f"; {value}"
    return row


def _service_row(service: ImageService | None) -> dict[str, str]:
    """The :data:`SERVICE_COLUMNS` of a canvas's image service (none for a 1.x service)."""
    if service is None or service.version == 1:
        return dict.fromkeys(SERVICE_COLUMNS, "")
    values = (service.id, service.type, service.profile, service.width or "", service.height or "")
    return dict(zip(SERVICE_COLUMNS, map(str, values)))


def harvest(
    walked: Walk,
    fetcher: Fetcher,
    images: Any,
    *,
    first_canvas_only: bool = False,
    image_size: int = DEFAULT_IMAGE_SIZE,
    workers: int = 4,
    progress: Callable[[int], None] | None = None,
) -> Harvested:
    """Fetch the image of every canvas of ``walked``'s manifests into the folder ``images`` (a
    path or UPath) and return the outcome and the metadata table (:data:`FIXED_COLUMNS`, then
    the metadata labels in the order first seen).

    ``image_size`` is the longer side asked of Image API services (see
    :func:`~.image_api.image_request`); ``workers`` the images fetched at once; ``progress`` is
    called with 1 after each canvas."""
    jobs = []
    for manifest in walked.manifests:
        canvases = _canvases(manifest, first_canvas_only)
        for canvas in canvases:
            key = hashlib.sha256(f"{manifest.id}\n{canvas.id}".encode()).hexdigest()[:20]
            jobs.append((manifest, canvas, key, len(canvases) > 1))
        if not canvases:
            jobs.append((manifest, CanvasImage(id="", problem="the manifest has no canvas"), "", False))

    def fetch(job: tuple[Manifest, CanvasImage, str, bool]) -> dict[str, str]:
        manifest, canvas, key, several = job
        outcome = {"manifest": manifest.id, "canvas": canvas.id, "file": "", "status": "failed", "reason": canvas.problem or ""}
        if not canvas.problem:
            url = image_request(canvas.service, image_size) if canvas.service else canvas.url
            try:
                fetched = fetcher.get(url)
                name = key + _suffix(fetched.body)
                _write_if_changed(images / name, fetched.body, unchanged=not fetched.fresh)
                outcome.update(file=name, status="downloaded" if fetched.fresh else "unchanged", url=url)
            except (FetchError, OSError) as error:
                outcome["reason"] = f"image {url}: {error}"
        if progress:
            progress(1)
        return {**outcome, "row": _row(manifest, canvas, outcome["file"], several)}

    with ThreadPoolExecutor(workers) as pool:
        outcomes = list(pool.map(fetch, jobs))
    prune_children(images, {o["file"] for o in outcomes if o["file"]})  # canvases no longer in the source
    rows = [o.pop("row") for o in outcomes if o["file"]]
    columns = list(dict.fromkeys(column for row in [dict.fromkeys(FIXED_COLUMNS), *rows] for column in row))
    records = pd.DataFrame(outcomes, columns=["manifest", "canvas", "file", "status", "reason", "url"])
    return Harvested(records=records.fillna(""), table=pd.DataFrame(rows, columns=columns).fillna(""))


def _write_if_changed(path: Any, data: bytes, unchanged: bool) -> None:
    """Write ``data`` unless ``path`` holds it already, so that unchanged files keep their time.
    ``unchanged``: the server said the body is the one written last time (``304``), so a file
    of its size is taken to be it, unread."""
    try:
        if path.stat().st_size == len(data) and (unchanged or path.read_bytes() == data):
            return
    except OSError:
        pass
    write_bytes_atomic(path, data)


def table_csv(table: pd.DataFrame) -> bytes:
    """The metadata table as UTF-8 CSV, every value quoted as needed."""
    text = io.StringIO()
    table.to_csv(text, index=False, quoting=csv.QUOTE_MINIMAL)
    return text.getvalue().encode("utf-8")
