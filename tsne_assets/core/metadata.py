"""Joining a collection's metadata CSV to its images.

The CSV's filename column may hold a bare file name, as the original tool expected, or a path
relative to the image root (Windows separators accepted). Titles and links are ``{Column}``
templates, e.g. ``"{Name} ({Year})"``; values are inserted as they are, braces included.
Every value is read as a string (:mod:`.metadata_csv`), so ids such as ``007`` keep their
leading zeros. Nothing is dropped silently: images without a row, rows without an image and
images with several rows are listed in the result.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import pandas as pd

#: A template's tokens, left to right: ``{{`` or ``}}`` (a literal brace), or ``{Column}``.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]+)\}")


@dataclass(frozen=True)
class RepeatedRows:
    """An image that more than one row matches: the first row is ``kept``, the others are
    ``dropped``. Rows are named by the table's index labels: the CSV line numbers where the
    table comes from :func:`~.metadata_csv.read_metadata_csv`."""

    image: str
    kept: Hashable
    dropped: tuple[Hashable, ...]


@dataclass(frozen=True)
class MetadataJoin:
    """The joined records and what did not match.

    ``records`` has one row per image, in the order given, with columns ``id``, ``title``,
    ``url`` and each extra field. ``rows_without_image`` holds the filename cells of rows
    that match no image.
    """

    records: pd.DataFrame
    images_without_row: list[str] = field(default_factory=list)
    rows_without_image: list[str] = field(default_factory=list)
    repeated_rows: list[RepeatedRows] = field(default_factory=list)


def template_columns(template: str) -> list[str]:
    """The column names that ``template`` refers to; ``{{`` and ``}}`` are literal braces."""
    return [match[1] for match in _TOKEN.finditer(template) if match[1] is not None]


def render_template(template: str, row: dict[str, str]) -> str:
    """Fill ``{Column}`` placeholders from ``row``; ``{{``/``}}`` give literal braces.

    Values are inserted verbatim: a value ``{{x}}`` stays ``{{x}}``, since braces are escaped
    in templates, never in data.
    """
    return _TOKEN.sub(lambda match: match[0][0] if match[1] is None else str(row[match[1]]), template)


def normalise_filename(name: str) -> str:
    """A CSV filename cell as a relative POSIX path: ``.\\a\\b.jpg`` -> ``a/b.jpg``."""
    name = name.strip().replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return posixpath.normpath(name).lstrip("/") if name else ""


def join_metadata(
    image_ids: Sequence[str],
    table: pd.DataFrame | None,
    *,
    filename_column: str = "filename",
    title: str | None = None,
    url: str | None = None,
    fields: Sequence[str] = (),
) -> MetadataJoin:
    """Join ``table`` to images identified by their relative paths ``image_ids``.

    A row matches an image when its filename cell equals the image's relative path, or, failing
    that, the image's file name (a bare name matches every image of that name). ``title`` and
    ``url`` default to the ``title`` and ``url`` columns where ``table`` has them; images
    without a row are titled by their file name and have no link. An image that several rows
    match takes the first; the others are listed in ``repeated_rows`` by ``table``'s index labels.

    Raises :class:`ValueError` when ``filename_column``, a template's column or a field is not
    a column of ``table``.
    """
    if table is None:
        table = pd.DataFrame(columns=[filename_column])
        if title or url or fields:
            raise ValueError("title and url templates and extra fields need a metadata CSV")
    columns = list(table.columns)
    title = title if title is not None else ("{title}" if "title" in columns else None)
    url = url if url is not None else ("{url}" if "url" in columns else None)
    _check_columns(columns, filename_column, title, url, fields)

    by_path: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    for index, image_id in enumerate(image_ids):
        by_path[image_id] = index
        by_name.setdefault(posixpath.basename(image_id), []).append(index)

    row_of_image: dict[int, dict[str, str]] = {}
    labels_of_image: dict[int, list[Hashable]] = {}
    rows_without_image = []
    for label, row in zip(table.index, table.to_dict(orient="records")):
        name = normalise_filename(str(row[filename_column]))
        # An exact relative path wins; otherwise the file name alone, as the original matched.
        targets = [by_path[name]] if name in by_path else by_name.get(posixpath.basename(name), [])
        if not targets:
            rows_without_image.append(str(row[filename_column]))
        for target in targets:
            row_of_image.setdefault(target, row)
            labels_of_image.setdefault(target, []).append(label)

    records = []
    for index, image_id in enumerate(image_ids):
        row = row_of_image.get(index)
        record = {"id": image_id}
        if row is None:
            record["title"] = posixpath.basename(image_id)
            record["url"] = ""
            record.update({name: "" for name in fields})
        else:
            record["title"] = render_template(title, row) if title else posixpath.basename(image_id)
            record["url"] = render_template(url, row) if url else ""
            record.update({name: str(row[name]) for name in fields})
        records.append(record)
    return MetadataJoin(
        records=pd.DataFrame(records, columns=["id", "title", "url", *fields]),
        images_without_row=[image_id for index, image_id in enumerate(image_ids) if index not in row_of_image],
        rows_without_image=rows_without_image,
        repeated_rows=[
            RepeatedRows(image_ids[index], labels[0], tuple(labels[1:]))
            for index, labels in sorted(labels_of_image.items())
            if len(labels) > 1
        ],
    )


def _check_columns(
    columns: list[str], filename_column: str, title: str | None, url: str | None, fields: Sequence[str]
) -> None:
    available = ", ".join(columns) or "(none)"
    if filename_column not in columns:
        hint = (
            " (a single column: only comma-, semicolon- and tab-separated files are read)" if len(columns) == 1 else ""
        )
        raise ValueError(
            f"the metadata CSV has no filename column {filename_column!r}; its columns are: {available}{hint}"
        )
    for label, template in (("title", title), ("url", url)):
        for name in template_columns(template or ""):
            if name not in columns:
                raise ValueError(
                    f"the {label} template {template!r} names column {name!r}, which the metadata CSV "
                    f"does not have; its columns are: {available}"
                )
    for name in fields:
        if name not in columns:
            raise ValueError(f"the extra field {name!r} is not a column of the metadata CSV; its columns are: {available}")
