"""IIIF Presentation documents (versions 2.1 and 3) read tolerantly into plain records.

Real-world manifests often break the letter of the specifications (missing ``type``s, labels
as bare strings in version 3, services without a profile), which a strict model such as
``iiif-prezi3``'s refuses. This reader takes what a map needs and names what is missing: a
canvas without a usable image is kept with its reason, so that it is listed, not lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .image_api import ImageService, parse_service, positive_int
from .values import text_of


@dataclass(frozen=True)
class CanvasImage:
    """One canvas: its id and label, and its image as a service or a plain URL; ``problem``
    says why there is none."""

    id: str
    label: str = ""
    service: ImageService | None = None
    url: str | None = None
    problem: str | None = None


@dataclass(frozen=True)
class Manifest:
    """What a map shows of a manifest: the texts in the chosen language and its canvases.

    ``homepage`` is the record's web page (v3 ``homepage``, v2 ``related``), ``""`` if none;
    ``attribution`` is the v3 ``requiredStatement`` or v2 ``attribution``; ``rights`` the v3
    ``rights`` or v2 ``license`` URL; ``metadata`` the label-value pairs in order."""

    id: str
    version: int
    label: str = ""
    summary: str = ""
    metadata: tuple[tuple[str, str], ...] = ()
    rights: str = ""
    attribution: str = ""
    homepage: str = ""
    canvases: tuple[CanvasImage, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Collection:
    """A IIIF Collection: the ids of the manifests and of the collections it lists, in order."""

    id: str
    manifests: tuple[str, ...] = ()
    collections: tuple[str, ...] = ()


def _id(node: Any) -> str | None:
    if isinstance(node, str):
        return node
    if isinstance(node, dict):
        value = node.get("id") or node.get("@id")
        return value if isinstance(value, str) else None
    return None


def _kind(node: dict) -> str:
    """``Manifest``, ``Collection``... of a v2 (``sc:Manifest``) or v3 node."""
    kind = node.get("type") or node.get("@type") or ""
    return str(kind[0] if isinstance(kind, list) and kind else kind).split(":")[-1]


def _version(document: dict) -> int:
    contexts = document.get("@context")
    text = " ".join(contexts) if isinstance(contexts, list) else str(contexts or "")
    if "presentation/2" in text:
        return 2
    return 3 if "presentation/3" in text or "type" in document else 2


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def parse_document(document: Any, language: str | None = None) -> Manifest | Collection:
    """A manifest or collection document (parsed JSON) as a :class:`Manifest` or
    :class:`Collection`; texts in ``language``, else English, else any. Raises ValueError
    when the document is neither."""
    if not isinstance(document, dict):
        raise ValueError("not a IIIF document: the JSON is not an object")
    kind, identifier = _kind(document), _id(document)
    if not identifier:
        raise ValueError(f"the {kind or 'document'} has no id")
    if kind == "Collection":
        return _collection(document, identifier)
    if kind != "Manifest":
        raise ValueError(f"not a IIIF manifest or collection (type {kind or 'missing'!r})")
    return _manifest(document, identifier, _version(document), language)


def _collection(document: dict, identifier: str) -> Collection:
    manifests, collections = [], []
    members = [*(document.get("items") or []), *(document.get("members") or [])]
    members += [{"@type": "sc:Manifest", **m} if isinstance(m, dict) else m for m in document.get("manifests") or []]
    members += [{"@type": "sc:Collection", **c} if isinstance(c, dict) else c for c in document.get("collections") or []]
    for member in members:
        if isinstance(member, dict) and _id(member):
            (collections if _kind(member) == "Collection" else manifests).append(_id(member))
    return Collection(id=identifier, manifests=tuple(manifests), collections=tuple(collections))


def _manifest(document: dict, identifier: str, version: int, language: str | None) -> Manifest:
    if version == 3:
        canvases = [_canvas_v3(c, language) for c in document.get("items") or [] if isinstance(c, dict)]
        statement = document.get("requiredStatement") or {}
        attribution = text_of(statement.get("value"), language) if isinstance(statement, dict) else ""
        homepage, rights, summary = _id(_first(document.get("homepage"))), document.get("rights"), document.get("summary")
    else:
        sequence = _first(document.get("sequences")) or {}
        canvases = [_canvas_v2(c, language) for c in sequence.get("canvases") or [] if isinstance(c, dict)]
        attribution = text_of(document.get("attribution"), language)
        homepage, rights = _id(_first(document.get("related"))), _first(document.get("license"))
        summary = document.get("description")
    pairs = tuple(
        (text_of(pair.get("label"), language), text_of(pair.get("value"), language))
        for pair in document.get("metadata") or []
        if isinstance(pair, dict)
    )
    return Manifest(
        id=identifier,
        version=version,
        label=text_of(document.get("label"), language),
        summary=text_of(summary, language),
        metadata=tuple((label, value) for label, value in pairs if label and value),
        rights=rights if isinstance(rights, str) else "",
        attribution=attribution,
        homepage=homepage or "",
        canvases=tuple(canvases),
    )


def _image(body: Any, canvas: dict) -> tuple[ImageService | None, str | None]:
    """The service and URL of an image resource (a v3 ``Choice`` gives its first item)."""
    if isinstance(body, dict) and _kind(body) == "Choice":
        body = _first(body.get("items"))
    if not isinstance(body, dict):
        return None, None
    width = positive_int(body.get("width")) or positive_int(canvas.get("width"))
    height = positive_int(body.get("height")) or positive_int(canvas.get("height"))
    return parse_service(body.get("service"), width, height), _id(body)


def _canvas(canvas: dict, body: Any, language: str | None) -> CanvasImage:
    identifier = _id(canvas) or ""
    label = text_of(canvas.get("label"), language)
    service, url = _image(body, canvas)
    if not identifier:
        return CanvasImage(id="", label=label, problem="the canvas has no id")
    if service is None and not url:
        return CanvasImage(id=identifier, label=label, problem="the canvas has no image")
    return CanvasImage(id=identifier, label=label, service=service, url=url)


def _canvas_v3(canvas: dict, language: str | None) -> CanvasImage:
    page = _first(canvas.get("items")) or {}
    annotation = _first(page.get("items")) if isinstance(page, dict) else None
    return _canvas(canvas, annotation.get("body") if isinstance(annotation, dict) else None, language)


def _canvas_v2(canvas: dict, language: str | None) -> CanvasImage:
    annotation = _first(canvas.get("images"))
    return _canvas(canvas, annotation.get("resource") if isinstance(annotation, dict) else None, language)
