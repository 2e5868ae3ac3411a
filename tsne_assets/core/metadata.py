"""Joining a collection's metadata CSV to its images.

The CSV's filename column may hold a bare file name, as the original tool expected, or a path
relative to the image root (Windows separators accepted). Titles and links are ``{Column}``
templates, e.g. ``"{Name} ({Year})"``. Every value is read as a string, so ids such as ``007``
keep their leading zeros. Nothing is dropped silently: images without a row and rows without
an image are listed in the result.
"""

from __future__ import annotations

import io
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class MetadataJoin:
    """The joined records and what did not match.

    ``records`` has one row per image, in the order given, with columns ``id``, ``title``,
    ``url`` and each extra field.
    """

    records: pd.DataFrame
    images_without_row: list[str] = field(default_factory=list)
    rows_without_image: list[str] = field(default_factory=list)
    repeated_rows: list[str] = field(default_factory=list)


def read_metadata_csv(data: bytes) -> pd.DataFrame:
    """Parse CSV bytes with every cell as a string (missing cells as ``""``)."""
    return pd.read_csv(
        io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )


def template_columns(template: str) -> list[str]:
    """The column names that ``template`` refers to; ``{{`` and ``}}`` are literal braces."""
    return _PLACEHOLDER.findall(template.replace("{{", "").replace("}}", ""))


def render_template(template: str, row: dict[str, str]) -> str:
    """Fill ``{Column}`` placeholders from ``row``; ``{{``/``}}`` give literal braces."""
    parts = template.split("{{")
    rendered = [
        _PLACEHOLDER.sub(lambda match: str(row[match.group(1)]), part).replace("}}", "}")
        for part in parts
    ]
    return "{".join(rendered)


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
    without a row are titled by their file name and have no link.

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
    rows_without_image, repeated_rows = [], []
    for row in table.to_dict(orient="records"):
        name = normalise_filename(str(row[filename_column]))
        # An exact relative path wins; otherwise the file name alone, as the original matched.
        targets = [by_path[name]] if name in by_path else by_name.get(posixpath.basename(name), [])
        if not targets:
            rows_without_image.append(str(row[filename_column]))
        for target in targets:
            if target in row_of_image:
                repeated_rows.append(str(row[filename_column]))
            else:
                row_of_image[target] = row

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
        repeated_rows=repeated_rows,
    )


def _check_columns(
    columns: list[str], filename_column: str, title: str | None, url: str | None, fields: Sequence[str]
) -> None:
    available = ", ".join(columns) or "(none)"
    if filename_column not in columns:
        raise ValueError(f"the metadata CSV has no filename column {filename_column!r}; its columns are: {available}")
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
