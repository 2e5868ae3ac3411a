"""Reading a collection's metadata CSV: its encoding, its delimiter and its line numbers.

Spreadsheets save CSV files in several ways: UTF-8 with or without a byte-order mark, the
Windows code page cp1252 that Excel uses in Western Europe, commas, or semicolons where the
comma is the decimal mark, or tabs. Whatever the spec does not name is detected:

- **Encoding**: UTF-16 when the file starts with its byte-order mark (Excel's "Unicode text");
  otherwise UTF-8 when the bytes are valid UTF-8; otherwise cp1252, with a warning naming the
  file, since cp1252 decodes almost any bytes and the guess may be wrong. A leading
  byte-order mark is dropped whatever the encoding, so it never ends up in a column name.
- **Delimiter**: the one of comma, semicolon and tab that splits the header line into the most
  columns (quotes respected); a header none of them splits is a single column. A header is
  what a person looks at to tell, and unlike :class:`csv.Sniffer`, which guesses from
  character frequencies across a sample, it gives the same answer for one-column files and
  short files. A header split into as many columns by two of them is refused as ambiguous;
  rows longer than the header are refused with their line number, which catches the rest.

Rows are parsed with Python's :mod:`csv` module, which tracks line numbers, so that messages
can name the line of each row even where quoted cells span several lines.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

import pandas as pd

from .spec_values import CSV_DELIMITERS

#: Encoding tried when the bytes are not UTF-8: Excel's on Western European Windows.
FALLBACK_ENCODING = "cp1252"


@dataclass(frozen=True)
class MetadataCsv:
    """A parsed metadata CSV and how it was read.

    ``table`` holds every cell as a string (missing cells as ``""``); its index is the line
    number on which each row starts (the header is line 1), for messages about rows.
    ``warnings`` are what the user should be told, such as a guessed encoding.
    """

    table: pd.DataFrame
    encoding: str
    delimiter: str
    warnings: tuple[str, ...] = ()


def read_metadata_csv(
    data: bytes, source: str = "the metadata CSV", *, encoding: str | None = None, delimiter: str | None = None
) -> MetadataCsv:
    """Parse a metadata CSV.

    Parameters
    ----------
    data:
        The file's bytes.
    source:
        The file's path or URL, named in warnings and errors.
    encoding:
        A Python codec name, or ``None`` to detect UTF-16 (by its byte-order mark), UTF-8 or
        cp1252 (see the module's description).
    delimiter:
        One of ``","``, ``";"`` and ``"\\t"``, or ``None`` to detect it from the header.

    Raises :class:`ValueError`, in one line naming ``source``, when the bytes do not decode,
    the delimiter is ambiguous, the first line is empty, the header names a column twice or a
    row has more cells than the header has columns.
    """
    text, encoding, warnings = _decode(data, source, encoding)
    if "\x00" in text:
        raise ValueError(
            f"{source} contains NUL characters, so it is not {encoding} text; give its encoding "
            "(--encoding, e.g. utf-16)"
        )
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or _detect_delimiter(text, source))
    header = next(rows, None)
    if not header or not any(header):
        raise ValueError(f"{source} has no header: a metadata CSV starts with a line naming its columns")
    while header and not header[-1]:
        header.pop()  # trailing delimiters, as spreadsheets often write them
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise ValueError(f"the header of {source} names columns more than once: {repeated}")
    lines, records, start = [], [], rows.line_num + 1
    try:
        for row in rows:
            if len(row) > len(header) and any(row[len(header):]):
                raise ValueError(
                    f"line {start} of {source} has {len(row)} cells but its header has {len(header)} columns "
                    f"(delimiter: {CSV_DELIMITERS[rows.dialect.delimiter]}; is that right?)"
                )
            if any(cell.strip() for cell in row):  # blank lines and rows of empty cells are spacing
                lines.append(start)
                records.append((row + [""] * len(header))[: len(header)])
            start = rows.line_num + 1
    except csv.Error as error:  # such as a cell over csv.field_size_limit()
        raise ValueError(f"line {start} of {source} cannot be read: {error}") from None
    table = pd.DataFrame(records, columns=header, index=pd.Index(lines, name="line"), dtype=str)
    return MetadataCsv(table=table, encoding=encoding, delimiter=rows.dialect.delimiter, warnings=warnings)


def _decode(data: bytes, source: str, encoding: str | None) -> tuple[str, str, tuple[str, ...]]:
    """The text, the encoding it was read with, and warnings about that choice."""
    if encoding is None and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    if encoding is not None:
        return _decode_as(data, encoding, f"{source} is not {encoding} text"), encoding, ()
    try:
        return data.decode("utf-8").removeprefix("\ufeff"), "utf-8", ()
    except UnicodeDecodeError:
        text = _decode_as(data, FALLBACK_ENCODING, f"{source} is neither UTF-8 nor {FALLBACK_ENCODING} text")
    warning = (
        f"{source} is not UTF-8: read it as {FALLBACK_ENCODING} (Windows Western European); "
        "if its accented letters look wrong, give its encoding (--encoding)"
    )
    return text, FALLBACK_ENCODING, (warning,)


def _decode_as(data: bytes, encoding: str, failure: str) -> str:
    """``data`` decoded, without a leading byte-order mark; ``failure`` starts the error."""
    try:
        return data.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ValueError(
            f"{failure}: byte 0x{data[error.start]:02x} on line {line} does not decode; give its encoding (--encoding)"
        ) from None


def _detect_delimiter(text: str, source: str) -> str:
    """The delimiter that splits the header into the most columns; a comma for one column."""
    widths = {
        delimiter: len(next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), []))
        for delimiter in CSV_DELIMITERS
    }
    widest = max(widths.values())
    candidates = [delimiter for delimiter, width in widths.items() if width == widest]
    if widest > 1 and len(candidates) > 1:
        names = " and ".join(CSV_DELIMITERS[delimiter] for delimiter in candidates)
        raise ValueError(
            f"cannot tell the delimiter of {source}: its header has {widest} columns by {names}; "
            "give it (--delimiter)"
        )
    return candidates[0]
