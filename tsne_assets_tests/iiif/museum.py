"""A small IIIF museum for the tests: a v3 Collection holding a v3 manifest and a v2.1
collection of v2.1 and v3 manifests, with Image API services of levels 0, 1 and 2, a static
image, a broken canvas, a missing image and a missing manifest. Images are generated here."""

from __future__ import annotations

import json

from tsne_assets_tests.collections import jpeg_bytes, pattern_image, png_bytes

V2 = "http://iiif.io/api/presentation/2/context.json"
V3 = "http://iiif.io/api/presentation/3/context.json"
#: The images the harvest must produce, by canvas path: (title, link path or None for the manifest id).
EXPECTED = {
    "/m3/canvas/1": ("Attic vase, front", "/records/vase"),
    "/m3/canvas/2": ("Attic vase, back", "/records/vase"),
    "/m3/canvas/3": ("Attic vase, foot", "/records/vase"),
    "/m2/canvas/1": ("Bronze mirror, recto", "/records/mirror"),
    "/m2/canvas/2": ("Bronze mirror, verso", "/records/mirror"),
    "/broken/canvas/2": ("Plate with a broken page, good page", None),
    "/nohome/canvas/1": ("Chaise", None),
}


def _service3(base: str, name: str, level: str = "level2") -> list[dict]:
    return [{"id": f"{base}/img/{name}", "type": "ImageService3", "profile": level}]


def _canvas3(base: str, path: str, label: str, body: dict | None) -> dict:
    page = {"id": f"{base}{path}/page", "type": "AnnotationPage", "items": []}
    if body:
        page["items"].append({"id": f"{base}{path}/image", "type": "Annotation", "motivation": "painting",
                              "body": body, "target": f"{base}{path}"})
    return {"id": f"{base}{path}", "type": "Canvas", "label": {"en": [label]}, "width": 2000, "height": 1500, "items": [page]}


def _manifest3(base: str, name: str, label: dict, canvases: list[dict], **extra) -> dict:
    return {"@context": V3, "id": f"{base}/{name}.json", "type": "Manifest", "label": label, "items": canvases, **extra}


def _image3(base: str, name: str) -> dict:
    return {"id": f"{base}/img/{name}/full/max/0/default.jpg", "type": "Image", "format": "image/jpeg",
            "service": _service3(base, name)}


def museum(base: str) -> dict[str, tuple[bytes, str]]:
    """The files of the museum served at ``base``: path -> (body, content type)."""
    vase = _manifest3(
        base, "m3", {"de": ["Attische Vase"], "en": ["Attic vase"]},
        [_canvas3(base, f"/m3/canvas/{i}", side, _image3(base, f"vase{i}")) for i, side in enumerate(["front", "back", "foot"], 1)],
        summary={"en": ["A <b>red-figure</b> vase &amp; its foot."], "de": ["Eine Vase."]},
        metadata=[{"label": {"en": ["Date"]}, "value": {"none": ["ca. 480 BCE"]}}],
        rights="http://creativecommons.org/publicdomain/zero/1.0/",
        requiredStatement={"label": {"en": ["Attribution"]}, "value": {"en": ["Museum of Tests"]}},
        homepage=[{"id": f"{base}/records/vase", "type": "Text", "label": {"en": ["Record"]}}],
    )
    mirror_canvases = [
        {"@id": f"{base}/m2/canvas/1", "@type": "sc:Canvas", "label": "recto", "width": 3000, "height": 2000,
         "images": [{"@type": "oa:Annotation", "motivation": "sc:painting", "resource": {
             "@id": f"{base}/img/level0/full/full/0/default.jpg", "@type": "dctypes:Image",
             "service": {"@context": "http://iiif.io/api/image/2/context.json", "@id": f"{base}/img/level0",
                         "profile": "http://iiif.io/api/image/2/level0.json",
                         "sizes": [{"width": 150, "height": 100}, {"width": 1500, "height": 1000}, {"width": 3000, "height": 2000}]}}}]},
        {"@id": f"{base}/m2/canvas/2", "@type": "sc:Canvas", "label": "verso", "width": 2000, "height": 1000,
         "images": [{"@type": "oa:Annotation", "resource": {
             "@id": f"{base}/img/level1/full/full/0/default.jpg",
             "service": {"@context": "http://iiif.io/api/image/2/context.json", "@id": f"{base}/img/level1",
                         "profile": ["http://iiif.io/api/image/2/level1.json", {"formats": ["jpg"]}]}}}]},
    ]
    mirror = {
        "@context": V2, "@id": f"{base}/m2.json", "@type": "sc:Manifest", "label": [{"@value": "Bronze mirror", "@language": "en"}],
        "description": "A mirror.", "metadata": [{"label": "Date", "value": "1st century"}],
        "license": "https://rightsstatements.org/vocab/NoC-US/1.0/", "attribution": "Mirror Trust",
        "related": {"@id": f"{base}/records/mirror", "format": "text/html"},
        "sequences": [{"@type": "sc:Sequence", "canvases": mirror_canvases}],
    }
    broken = _manifest3(base, "broken", {"en": ["Plate with a broken page"]}, [
        _canvas3(base, "/broken/canvas/1", "torn page", None),
        _canvas3(base, "/broken/canvas/2", "good page", {"id": f"{base}/static/plate.png", "type": "Image", "format": "image/png"}),
    ])
    missing = _manifest3(base, "missing", {"en": ["Lost bowl"]}, [_canvas3(base, "/missing/canvas/1", "bowl", _image3(base, "gone"))])
    nohome = _manifest3(base, "nohome", {"fr": ["Chaise"]}, [_canvas3(base, "/nohome/canvas/1", "chaise", _image3(base, "chair"))])
    inner = {"@context": V2, "@id": f"{base}/inner.json", "@type": "sc:Collection", "label": "Inner",
             "manifests": [{"@id": f"{base}/{name}.json", "@type": "sc:Manifest"} for name in ("m2", "broken", "missing", "nohome", "gone")]}
    outer = {"@context": V3, "id": f"{base}/collection.json", "type": "Collection", "label": {"en": ["Museum"]},
             "items": [{"id": f"{base}/m3.json", "type": "Manifest"}, {"id": f"{base}/inner.json", "type": "Collection"}]}
    files = {f"/{d.get('id', d.get('@id')).rsplit('/', 1)[1]}": (json.dumps(d).encode(), "application/ld+json")
             for d in (vase, mirror, broken, missing, nohome, inner, outer)}
    images = {
        **{f"/img/vase{i}/full/!1024,1024/0/default.jpg": i for i in (1, 2, 3)},
        "/img/level0/full/1500,1000/0/default.jpg": 4,
        "/img/level1/full/1024,/0/default.jpg": 5,
        "/img/chair/full/!1024,1024/0/default.jpg": 6,
    }
    files.update({path: (jpeg_bytes(pattern_image(index, (90, 60))), "image/jpeg") for path, index in images.items()})
    files["/static/plate.png"] = (png_bytes(pattern_image(7, (80, 80))), "image/png")
    return files
