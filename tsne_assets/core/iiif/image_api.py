"""Which image URL to fetch for a canvas: through its IIIF Image API service at the size the
pipeline needs, never the full original unless nothing smaller is offered.

- Level 2 services (and those whose level is not stated) scale on request: ``!N,N`` fits the
  image in an N-pixel square without enlarging it (version 3 never enlarges without ``^``).
- Level 1 services scale by width or height only: ``N,`` or ``,N`` by the longer side, when the
  image's size is known.
- Level 0 services serve only the ``sizes`` they list: the smallest one at least N pixels on its
  longer side, else the largest; the full image (``full`` in version 2, ``max`` in 3) only
  when none is listed.
- An image without a service is fetched at its own URL.

Image API 1.x services (a ``library.stanford.edu/iiif/image-api`` context or compliance URI, or
a Presentation 3 ``ImageService1``) are asked the same way with their quality, ``native``. An
image that lists several services is fetched through the newest version listed that can serve
it smaller than the original, 1.x only where nothing newer can (:func:`parse_service`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

#: The longer side, in pixels, of the images the pipeline fetches: more than the features
#: (224 px) and a default cell need, enough for a sharp details panel.
DEFAULT_IMAGE_SIZE = 1024

_LEVEL = re.compile(r"level\s*([0-2])", re.IGNORECASE)
#: How a version 1.x service names itself in its type, context or profile.
_VERSION_1 = re.compile(r"^ImageService1$|library\.stanford\.edu/iiif/image-api|iiif\.io/api/image/1[/.]")


@dataclass(frozen=True)
class ImageService:
    """A IIIF Image API service as a manifest (or its ``info.json``) describes it.

    ``version`` is 1 (any 1.x), 2 or 3; ``level`` 0, 1 or 2 (``None``: not stated); ``sizes`` the
    ``(width, height)`` pairs a level 0 service offers; ``width`` and ``height`` the full image's;
    ``profile`` the profile as the source states it (``level2``, or a version 2 URI such as
    ``http://iiif.io/api/image/2/level2.json``), ``""`` if none."""

    id: str
    version: int = 3
    level: int | None = None
    sizes: tuple[tuple[int, int], ...] = field(default_factory=tuple)
    width: int | None = None
    height: int | None = None
    profile: str = ""

    @property
    def type(self) -> str:
        """The service's Presentation 3 ``type``: ``ImageService1``, ``ImageService2`` or ``ImageService3``."""
        return f"ImageService{self.version}"


def _profile(profile: Any) -> str:
    """The compliance level's name or URI in a v2 or v3 ``profile`` (a string, or a list whose
    first string is it; the objects after it list features), ``""`` if none."""
    items = profile if isinstance(profile, list) else [profile]
    return next((item for item in items if isinstance(item, str)), "")


def _level(profile: str) -> int | None:
    """The compliance level that a profile (:func:`_profile`) names."""
    match = _LEVEL.search(profile)
    return int(match[1]) if match else None


def positive_int(value: Any) -> int | None:
    """``value`` if it is a positive integer (not a boolean), else ``None``."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _service(item: Any, width: int | None, height: int | None) -> ImageService | None:
    """``item`` as an :class:`ImageService`, or ``None`` where it is no Image API service."""
    if not isinstance(item, dict):
        return None
    kind = str(item.get("type") or item.get("@type") or "")
    context = str(item.get("@context") or "")
    profile = _profile(item.get("profile"))
    version_1 = any(_VERSION_1.search(name) for name in (kind, context, profile))
    if not (version_1 or "ImageService" in kind or "iiif.io/api/image" in context or "iiif.io/api/image" in profile):
        return None
    identifier = item.get("id") or item.get("@id")
    if not isinstance(identifier, str):
        return None
    sizes = tuple(
        (s["width"], s["height"])
        for s in item.get("sizes") or []
        if isinstance(s, dict) and positive_int(s.get("width")) and positive_int(s.get("height"))
    )
    version = 1 if version_1 else 3 if kind == "ImageService3" or "image/3" in context else 2
    return ImageService(
        id=identifier.rstrip("/"),
        version=version,
        level=_level(profile),
        sizes=sizes,
        width=positive_int(item.get("width")) or width,
        height=positive_int(item.get("height")) or height,
        profile=profile,
    )


def parse_service(service: Any, width: int | None = None, height: int | None = None) -> ImageService | None:
    """The best Image API service in ``service`` (a v2 object, a v3 list, or an ``info.json``),
    or ``None``: of those that serve a smaller image than the full original (level 1 or 2, or
    level 0 listing ``sizes``), if any, the first of version 3 listed, else of version 2, else
    of 1.x, wherever each stands in the list (an image is fetched through a 1.x service only
    when it has no other that can). ``width`` and ``height`` are the image's size from the
    canvas, where the service does not state it."""
    found = [
        parsed
        for item in (service if isinstance(service, list) else [service])
        if (parsed := _service(item, width, height))
    ]
    # max keeps the first of equals
    return max(found, key=lambda parsed: (parsed.level != 0 or bool(parsed.sizes), parsed.version), default=None)


def image_request(service: ImageService, size: int = DEFAULT_IMAGE_SIZE) -> str:
    """The URL of the image at about ``size`` pixels on its longer side that ``service`` can
    serve (see the module's description)."""
    if size < 1:
        raise ValueError(f"the image size must be a positive number of pixels, not {size}")
    full = "max" if service.version == 3 else "full"
    if service.level == 0:
        if not service.sizes:
            request = full
        else:
            large = [s for s in service.sizes if max(s) >= size]
            width, height = min(large, key=max) if large else max(service.sizes, key=max)
            request = f"{width},{height}"
    elif service.level == 1:
        if service.width and service.height:
            small = max(service.width, service.height) <= size
            request = full if small else f"{size}," if service.width >= service.height else f",{size}"
        else:
            request = f"!{size},{size}"
    else:
        request = f"!{size},{size}"
    quality = "native" if service.version == 1 else "default"  # 1.x has no ``default``
    return f"{service.id}/full/{request}/0/{quality}.jpg"
