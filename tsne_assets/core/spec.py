"""A collection's specification: where its images and metadata are and how to present them.

Every way of starting a build (the command line, the Dagster UI, a sensor, a schedule) hands
the run one spec, which the ``collection_spec`` asset validates and snapshots: the run builds
from the spec it started with, whatever is registered later.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from .features.registry import DEFAULT_EXTRACTOR, EXTRACTORS
from .grid import MAX_HEADROOM
from .spec_values import (
    COLLECTION_ID_PATTERN,
    CSV_DELIMITERS,
    DETAIL_MAX_RANGE,
    IDENTITY_LIMITS,
    MAP_TILES,
    ResizeMode,
    check_absolute,
    check_cell_size,
    check_encoding,
    check_plain_text,
    is_url,
)

@dataclass(frozen=True)
class CollectionSpec:
    """Everything needed to build one collection: what to read and how to present it.

    A spec is data: the root of every build's lineage, validated here and nowhere else, and
    stored as JSON (:meth:`to_dict`). Its :meth:`digest` is the data version of a build's input.

    Parameters
    ----------
    id:
        The collection id and Dagster partition key: letters, digits, ``_`` and ``-``.
    images:
        A folder (every image below it, recursively) or a glob such as ``/photos/*.jpg`` or
        ``s3://bucket/scans/**/*.tif``; an absolute path or a URL (see
        :func:`~.spec_values.absolute_location`). Image ids are paths relative to the glob's root.
    metadata:
        Optional CSV with one row per image: an absolute path or a URL.
    encoding:
        The CSV's text encoding, a Python codec name such as ``cp1252``, stored by its canonical
        name. ``None`` detects it: UTF-16 by its byte-order mark, else UTF-8, else cp1252 with a
        warning (:mod:`~tsne_assets.core.metadata_csv`).
    delimiter:
        The CSV's delimiter: ``","``, ``";"`` or ``"\\t"``. ``None`` detects it from the header.
    filename_column:
        CSV column holding the image's file name or its path relative to the image root.
    title, url:
        ``{Column}`` templates. ``None`` means the original tool's defaults: the ``title`` and
        ``url`` columns where the CSV has them, else the file name and no link.
    fields:
        Extra CSV columns shown in the viewer and searched.
    facets:
        CSV columns the viewer filters by (:mod:`~tsne_assets.core.facets`: categorical,
        numeric or date, detected from the values); each is a field too (added to ``fields``).
    timeline:
        A CSV column of dates (years, ``c. 1850``, ``500 BCE``, ranges, ISO-like dates; see
        :func:`~tsne_assets.core.timeline.year_of`) by which a second arrangement of the images
        is published, in columns by date (:mod:`~tsne_assets.core.timeline`); it is a field too.
        ``None``: no timeline.
    cell_size:
        Width and height in pixels of each image's cell in the mosaic, each in
        ``1..MAX_CELL_SIDE`` (:mod:`.spec_values`).
    resize:
        ``contain`` letterboxes each image in its cell; ``fill`` centre-crops it.
    detail_max:
        Longest side in pixels of each image's own Deep Zoom pyramid, which the viewer shows
        beyond the mosaic's resolution (:mod:`~tsne_assets.core.detail`); images are never
        enlarged. ``0`` builds none; otherwise in :data:`~.spec_values.DETAIL_MAX_RANGE`.
    model:
        The feature extractor (:data:`~tsne_assets.core.features.EXTRACTORS`).
    weights:
        The extractor's weights file (absolute), or ``None`` for its default.
    perplexity:
        t-SNE perplexity: roughly how many neighbours each image keeps close; positive.
    seed:
        Seed of the PCA and the layout, so that a rebuild of the same images gives the same map.
    headroom:
        Empty cells added to the grid, as a share of the images, from 0 to
        :data:`~tsne_assets.core.grid.MAX_HEADROOM`. They settle between the layout's groups
        and keep them apart (see :func:`~tsne_assets.core.grid.grid_shape`). ``None`` chooses
        by the number of images (:func:`~tsne_assets.core.grid.auto_headroom`).
    relayout_share:
        A rebuild keeps every image on the map in its cell and places new images next to their
        most similar ones (:mod:`~tsne_assets.core.map_state`); once more than this share of the
        images (0 to 1) were placed rather than laid out since the last full layout, the map is
        laid out afresh. ``None``: :data:`~tsne_assets.core.map_state.DEFAULT_RELAYOUT_SHARE`.
    follow_links_outside:
        Read files and folders linked from inside the image folder whose targets lie outside
        it. By default such links are skipped ("link outside the collection").
    iiif:
        A IIIF source to harvest the images and metadata from (:mod:`~tsne_assets.core.iiif`):
        a manifest or collection URL (http or https), or the absolute path of a local manifest
        or of a text file of manifest URLs. Each build first fetches it into ``images`` (a
        folder) and ``metadata`` (a CSV), which must both be given and are then read as usual.
    iiif_language:
        The language IIIF texts are taken in (``de``, ``fr``...), else English, else any.
    iiif_first_canvas:
        Take only each manifest's first canvas, not every canvas, as an image.
    map_tiles:
        Which tiles of the map a site publishes (:data:`~.spec_values.MAP_TILES`): ``both`` (the
        default) the Deep Zoom pyramid, which the viewer opens, and the map as IIIF: a level-0
        image service made of the same tile files (:mod:`~tsne_assets.core.iiif.image_service`)
        and a Presentation 3 manifest whose annotations link each image's region to its record;
        ``iiif`` the IIIF files only (the viewer opens the service); ``dzi`` Deep Zoom only.
    site_url:
        The public URL the collection's published site is served at, ending in ``/`` (added when
        missing), e.g. ``https://maps.example.org/met/``. Its IIIF image service and manifest
        (:mod:`~tsne_assets.core.iiif.map_manifest`) name themselves by absolute URLs under it.
        ``None``: where ``tsne-assets serve`` serves it by default, ``http://127.0.0.1:8000/<id>/``.
    name, about, credit, license:
        The collection's identity shown to visitors (the viewer's header and About dialog, the
        ``serve`` index): its name (``None`` shows the id), a description (line breaks kept),
        whom to credit and the licence of the images. Plain text within
        :data:`~.spec_values.IDENTITY_LIMITS`; see :func:`~.spec_values.check_plain_text`.
    """

    id: str
    images: str
    metadata: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    filename_column: str = "filename"
    title: str | None = None
    url: str | None = None
    fields: tuple[str, ...] = field(default_factory=tuple)
    facets: tuple[str, ...] = field(default_factory=tuple)
    timeline: str | None = None
    cell_size: tuple[int, int] = (128, 128)
    resize: ResizeMode = "contain"
    detail_max: int = 2048
    model: str = DEFAULT_EXTRACTOR
    weights: str | None = None
    perplexity: float = 30.0
    seed: int = 0
    headroom: float | None = None
    relayout_share: float | None = None
    follow_links_outside: bool = False
    iiif: str | None = None
    iiif_language: str | None = None
    iiif_first_canvas: bool = False
    map_tiles: str = "both"
    site_url: str | None = None
    name: str | None = None
    about: str | None = None
    credit: str | None = None
    license: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not COLLECTION_ID_PATTERN.match(self.id):
            raise ValueError(
                f"collection id {self.id!r} must start with a letter or digit and contain only "
                "letters, digits, '_' and '-' (at most 128 characters)"
            )
        for name in ("images", "metadata", "weights"):
            check_absolute(name, getattr(self, name))
        if (self.title or self.url or self.fields) and not self.metadata:
            raise ValueError("title and url templates and extra fields need a metadata CSV")
        if (self.encoding or self.delimiter) and not self.metadata:
            raise ValueError("an encoding or a delimiter needs a metadata CSV to apply to")
        if self.encoding is not None:
            object.__setattr__(self, "encoding", check_encoding(self.encoding))
        if self.delimiter is not None and self.delimiter not in CSV_DELIMITERS:
            raise ValueError(f"the delimiter must be ',', ';' or a tab ('tab' on the command line), not {self.delimiter!r}")
        if self.resize not in ("contain", "fill"):
            raise ValueError(f"resize must be 'contain' or 'fill', not {self.resize!r}")
        low, high = DETAIL_MAX_RANGE
        if isinstance(self.detail_max, bool) or not isinstance(self.detail_max, int) or not (
            self.detail_max == 0 or low <= self.detail_max <= high
        ):
            raise ValueError(f"detail_max must be 0 (off) or {low}..{high} pixels, not {self.detail_max!r}")
        if self.model not in EXTRACTORS:
            raise ValueError(f"unknown feature extractor {self.model!r}; choose one of {list(EXTRACTORS)}")
        if isinstance(self.perplexity, bool) or not isinstance(self.perplexity, (int, float)) or not self.perplexity > 0:
            raise ValueError(f"perplexity must be a positive number, not {self.perplexity!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ValueError(f"seed must be a non-negative integer, not {self.seed!r}")
        if self.headroom is not None and (
            isinstance(self.headroom, bool)
            or not isinstance(self.headroom, (int, float))
            or not 0 <= self.headroom <= MAX_HEADROOM
        ):
            raise ValueError(f"headroom must be a number from 0 to {MAX_HEADROOM}, not {self.headroom!r}")
        if self.relayout_share is not None and (
            isinstance(self.relayout_share, bool)
            or not isinstance(self.relayout_share, (int, float))
            or not 0 <= self.relayout_share <= 1
        ):
            raise ValueError(f"relayout_share must be a number from 0 to 1, not {self.relayout_share!r}")
        if not isinstance(self.follow_links_outside, bool):
            raise ValueError(f"follow_links_outside must be true or false, not {self.follow_links_outside!r}")
        self._check_iiif()
        if self.map_tiles not in MAP_TILES:
            raise ValueError(f"map_tiles must be one of {', '.join(MAP_TILES)}, not {self.map_tiles!r}")
        if self.site_url is not None:
            if not isinstance(self.site_url, str) or not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", self.site_url):
                raise ValueError(f"site_url must be an http(s) URL without query or fragment, not {self.site_url!r}")
            object.__setattr__(self, "site_url", self.site_url.rstrip("/") + "/")
        for key, limit in IDENTITY_LIMITS.items():
            object.__setattr__(self, key, check_plain_text(key, getattr(self, key), limit, multiline=key == "about"))
        object.__setattr__(self, "facets", tuple(self.facets))
        if self.facets and not self.metadata:
            raise ValueError("facets need a metadata CSV")
        repeated = sorted({name for name in self.facets if self.facets.count(name) > 1})
        if repeated:
            raise ValueError(f"a facet is named twice: {', '.join(map(repr, repeated))}")
        if self.timeline is not None and (not isinstance(self.timeline, str) or not self.timeline.strip()):
            raise ValueError(f"timeline must name a metadata column, not {self.timeline!r}")
        if self.timeline is not None and not self.metadata:
            raise ValueError("a timeline needs a metadata CSV with its date column")
        timeline = (self.timeline,) if self.timeline is not None else ()
        object.__setattr__(self, "fields", tuple(dict.fromkeys((*self.fields, *self.facets, *timeline))))
        object.__setattr__(self, "cell_size", check_cell_size(self.cell_size))
        object.__setattr__(self, "perplexity", float(self.perplexity))
        if self.headroom is not None:
            object.__setattr__(self, "headroom", float(self.headroom))

    def _check_iiif(self) -> None:
        if self.iiif is None:
            if self.iiif_language is not None or self.iiif_first_canvas:
                raise ValueError("iiif_language and iiif_first_canvas need a IIIF source (iiif)")
            return
        if not isinstance(self.iiif, str) or not (
            is_url(self.iiif) or ("://" not in self.iiif and os.path.isabs(self.iiif))
        ):
            raise ValueError(f"iiif must be an http(s) URL or an absolute local path, not {self.iiif!r}")
        if not self.metadata:
            raise ValueError("a IIIF source needs a metadata CSV path to harvest its metadata into")
        if self.iiif_language is not None and not re.fullmatch(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", str(self.iiif_language)):
            raise ValueError(f"iiif_language must be a language tag such as 'en' or 'de-AT', not {self.iiif_language!r}")
        if not isinstance(self.iiif_first_canvas, bool):
            raise ValueError(f"iiif_first_canvas must be true or false, not {self.iiif_first_canvas!r}")

    def public_url(self) -> str:
        """Where the collection's site is served: :attr:`site_url`, else ``tsne-assets serve``'s
        default address for it."""
        return self.site_url or f"http://127.0.0.1:8000/{self.id}/"

    def identity(self) -> dict[str, str]:
        """What visitors are shown about the collection: ``title`` (the name, else the id) and
        ``about``, ``credit`` and ``license`` where set."""
        shown = {"title": self.name or self.id, "about": self.about, "credit": self.credit, "license": self.license}
        return {key: value for key, value in shown.items() if value is not None}

    def to_dict(self) -> dict[str, Any]:
        """The spec as plain JSON values; ``None`` values (the defaults) are left out."""
        data = {key: value for key, value in asdict(self).items() if value is not None}
        return {key: list(value) if isinstance(value, tuple) else value for key, value in data.items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CollectionSpec:
        """The spec :meth:`to_dict` gave; unknown keys are refused (they are typos)."""
        # Specs registered before ``map_tiles`` hold ``iiif_out``: IIIF out is the default now.
        data = {key: value for key, value in data.items() if key != "iiif_out"}
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown collection spec keys: {sorted(unknown)}")
        values = dict(data)
        if "cell_size" in values:
            values["cell_size"] = tuple(values["cell_size"])
        return cls(**values)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> CollectionSpec:
        return cls.from_dict(json.loads(text))

    def digest(self) -> str:
        """SHA-256 (hex) of the spec's canonical JSON: equal specs, equal digests."""
        canonical = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()
