"""IIIF out: a IIIF Presentation 3 manifest of a published map, and the annotations that link
each image's region of the map to its record (and to its source canvas, for images harvested
from IIIF).

The manifest has one canvas, the map, painted by the map's level-0 image service
(:mod:`.image_service`). Its annotations, one per image, sit in a separate annotation page
(``annotations.json``) that IIIF viewers fetch when they show annotations: at 100,000 images
they are tens of megabytes, which opening the map should not wait for. Each targets the image's
cell (``#xywh=``) with the ``linking`` motivation and carries the image's title as a text body,
its record page and its source canvas (``partOf`` its manifest); one without any link is
``describing``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..spec_values import is_url
from .image_service import IIIF_FOLDER

PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
#: File names of the manifest and of the annotation page in a site version.
MANIFEST_NAME = "manifest.json"
ANNOTATIONS_NAME = "annotations.json"


def _text(value: str) -> dict[str, list[str]]:
    return {"none": [value]}


def map_manifest(
    base: str, metadata: Mapping[str, Any], info: Mapping[str, Any], *, homepage: str | None = None
) -> dict[str, Any]:
    """The manifest of the map whose viewer metadata is ``metadata`` (``title``, ``about``,
    ``credit``, ``license``) and whose image service is described by ``info``; ``base`` is the
    URL of the site version (ending in ``/``), where :data:`MANIFEST_NAME` and
    :data:`ANNOTATIONS_NAME` are served; ``homepage`` the viewer's page, if known."""
    if not base.endswith("/"):
        raise ValueError(f"the base URL must end in '/', not {base!r}")
    canvas = f"{base}canvas/map"
    width, height = info["width"], info["height"]
    # The largest whole image the service lists (one tile): the painting body and the thumbnail.
    thumbnail = max(info.get("sizes") or [{"width": width, "height": height}], key=lambda s: s["width"])
    service = [{"id": info["id"], "type": "ImageService3", "profile": "level0"}]
    ext = (info.get("preferredFormats") or ["jpg"])[0]
    image = {
        "id": f"{info['id']}/full/{thumbnail['width']},{thumbnail['height']}/0/default.{ext}",
        "type": "Image", "format": f"image/{'jpeg' if ext == 'jpg' else ext}",
        "width": thumbnail["width"], "height": thumbnail["height"], "service": service,
    }
    manifest: dict[str, Any] = {
        "@context": PRESENTATION_CONTEXT,
        "id": base + MANIFEST_NAME,
        "type": "Manifest",
        "label": _text(str(metadata.get("title") or metadata.get("collection") or "map")),
        "items": [{
            "id": canvas, "type": "Canvas", "label": _text("map"), "width": width, "height": height,
            "items": [{"id": f"{canvas}/page", "type": "AnnotationPage", "items": [{
                "id": f"{canvas}/image", "type": "Annotation", "motivation": "painting", "body": image, "target": canvas,
            }]}],
            "annotations": [{"id": base + ANNOTATIONS_NAME, "type": "AnnotationPage"}],
        }],
        "thumbnail": [image],
    }
    if metadata.get("about"):
        manifest["summary"] = _text(metadata["about"])
    credit = "; ".join(str(metadata[key]) for key in ("credit", "license") if metadata.get(key))
    if credit:
        manifest["requiredStatement"] = {"label": _text("Credit"), "value": _text(credit)}
    if homepage:
        manifest["homepage"] = [{"id": homepage, "type": "Text", "label": manifest["label"], "format": "text/html"}]
    return manifest


def map_annotations(
    base: str, metadata: Mapping[str, Any], sources: Sequence[tuple[str, str] | None] | None = None
) -> dict[str, Any]:
    """The annotation page of the map's images: for each image of ``metadata["items"]`` that
    has a cell in ``metadata["cells"]``, its region, title and record link; ``sources`` gives,
    in the same order, each image's source ``(canvas id, manifest id)`` or ``None``."""
    grid, items = metadata["grid"], metadata["items"]
    cols, cell_width, cell_height = grid["cols"], grid["cell_width"], grid["cell_height"]
    canvas = f"{base}canvas/map"
    annotations = []
    for cell, item in enumerate(metadata["cells"]):
        if item < 0:
            continue
        x, y = (cell % cols) * cell_width, (cell // cols) * cell_height
        title = str(items["title"][item])
        body: list[dict[str, Any]] = [{"type": "TextualBody", "value": title, "format": "text/plain"}]
        url = str(items["url"][item] or "") if "url" in items else ""
        if is_url(url):
            body.append({"id": url, "type": "Text", "format": "text/html", "label": _text(title)})
        source = sources[item] if sources else None
        if source:
            body.append({"id": source[0], "type": "Canvas", "partOf": [{"id": source[1], "type": "Manifest"}]})
        annotations.append({
            "id": f"{base}{ANNOTATIONS_NAME}#{item}", "type": "Annotation",
            "motivation": "linking" if len(body) > 1 else "describing",
            "body": body, "target": f"{canvas}#xywh={x},{y},{cell_width},{cell_height}",
        })
    return {"@context": PRESENTATION_CONTEXT, "id": base + ANNOTATIONS_NAME, "type": "AnnotationPage", "items": annotations}


def service_id(base: str) -> str:
    """The image service's id in the site version at ``base``."""
    return base + IIIF_FOLDER
