import pandas as pd
import pytest

from tsne_assets.core.metadata import RepeatedRows, join_metadata, render_template
from tsne_assets.core.metadata_csv import read_metadata_csv


def table(**columns):
    return pd.DataFrame(columns)


def test_defaults_use_title_and_url_columns_and_bare_names():
    joined = join_metadata(
        ["a/one.jpg", "b/two.jpg"],
        table(filename=["one.jpg", "two.jpg"], title=["One", "Two"], url=["u1", "u2"]),
    )
    assert joined.records.to_dict("list") == {"id": ["a/one.jpg", "b/two.jpg"], "title": ["One", "Two"], "url": ["u1", "u2"]}


def test_relative_paths_with_windows_separators_match():
    joined = join_metadata(["a/one.jpg", "b/one.jpg"], table(filename=["b\\one.jpg", "a/one.jpg"], title=["B", "A"]))
    assert joined.records["title"].tolist() == ["A", "B"]


def test_templates_and_string_ids():
    csv = b"File,Id,Name,Year\nx.jpg,007,Vase,1901\n"
    joined = join_metadata(
        ["x.jpg"], read_metadata_csv(csv).table, filename_column="File",
        title="{Name} ({Year})", url="https://example.org/{Id}/", fields=["Year"],
    )
    assert joined.records.iloc[0].to_dict() == {
        "id": "x.jpg", "title": "Vase (1901)", "url": "https://example.org/007/", "Year": "1901",
    }


def test_unmatched_images_and_rows_are_listed():
    joined = join_metadata(["has.jpg", "lacks.jpg"], table(filename=["has.jpg", "ghost.jpg"], title=["Has", "Ghost"]))
    assert joined.images_without_row == ["lacks.jpg"]
    assert joined.rows_without_image == ["ghost.jpg"]
    assert joined.records.set_index("id").loc["lacks.jpg", "title"] == "lacks.jpg"


def test_template_naming_a_missing_column_is_a_clear_error():
    with pytest.raises(ValueError, match="names column 'Nmae'.*columns are: filename, Name"):
        join_metadata(["x.jpg"], table(filename=["x.jpg"], Name=["n"]), title="{Nmae}")


def test_missing_filename_column_is_a_clear_error():
    with pytest.raises(ValueError, match="no filename column 'Filename'"):
        join_metadata(["x.jpg"], table(filename=["x.jpg"]), filename_column="Filename")


def test_a_csv_with_another_separator_is_said_to_be_one():
    parsed = read_metadata_csv(b"filename|title\nx.jpg|X\n", "pipes.csv")
    with pytest.raises(ValueError, match=r"columns are: filename\|title \(a single column: only comma-"):
        join_metadata(["x.jpg"], parsed.table)


def test_without_csv_titles_are_file_names():
    joined = join_metadata(["a/x.jpg"], None)
    assert joined.records.iloc[0].to_dict() == {"id": "a/x.jpg", "title": "x.jpg", "url": ""}


def test_literal_braces_and_markup_stay_data():
    assert render_template("{{{Name}}}", {"Name": "<b>x</b>"}) == "{<b>x</b>}"


ACCENTED = ["Musée", "Ægina", "€ 5"]


def accented_csv(delimiter: str = ",") -> str:
    rows = [["filename", "title"], *[[f"{index}.jpg", title] for index, title in enumerate(ACCENTED)]]
    return "".join(delimiter.join(row) + "\r\n" for row in rows)


def test_a_cp1252_csv_is_read_as_cp1252_with_a_warning_naming_the_file():
    read = read_metadata_csv(accented_csv().encode("cp1252"), "/data/meta.csv")
    assert read.table["title"].tolist() == ACCENTED
    assert read.encoding == "cp1252"
    [warning] = read.warnings
    assert warning.startswith("/data/meta.csv is not UTF-8: read it as cp1252")


def test_utf8_with_or_without_a_bom_is_read_without_warnings_and_the_bom_never_reaches_a_column_name():
    for data in (accented_csv().encode("utf-8"), accented_csv().encode("utf-8-sig")):
        read = read_metadata_csv(data)
        assert list(read.table.columns) == ["filename", "title"]
        assert read.table["title"].tolist() == ACCENTED
        assert (read.encoding, read.warnings) == ("utf-8", ())


def test_utf16_with_its_bom_is_read_as_utf16():
    read = read_metadata_csv(accented_csv("\t").encode("utf-16"))
    assert (read.encoding, read.delimiter, list(read.table.columns)) == ("utf-16", "\t", ["filename", "title"])
    assert read.table["title"].tolist() == ACCENTED


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_detected_from_the_header(delimiter):
    data = f'filename{delimiter}title{delimiter}price\na.jpg{delimiter}"Vase, red; tall"{delimiter}"1,5"\n'.encode()
    read = read_metadata_csv(data)
    assert read.delimiter == delimiter
    assert read.table.iloc[0].to_dict() == {"filename": "a.jpg", "title": "Vase, red; tall", "price": "1,5"}


def test_a_one_column_csv_needs_no_delimiter():
    read = read_metadata_csv(b"filename\na.jpg\nb.jpg\n")
    assert read.table["filename"].tolist() == ["a.jpg", "b.jpg"]


def test_the_encoding_and_delimiter_given_are_used_as_they_are():
    data = accented_csv(";").encode("cp1252")
    read = read_metadata_csv(data, encoding="iso8859-1", delimiter=";")
    # Latin-1 has no euro sign: byte 0x80 is a control character there, and nothing is guessed.
    assert read.table["title"].tolist() == ["Musée", "Ægina", "\x80 5"]
    assert (read.encoding, read.delimiter, read.warnings) == ("iso8859-1", ";", ())
    # A semicolon file whose header has no comma, read as comma-separated: one column.
    forced = read_metadata_csv(b"filename;title\na.jpg;A\n", delimiter=",")
    assert list(forced.table.columns) == ["filename;title"]


@pytest.mark.parametrize(
    "data, options, message",
    [
        (b"filename,title\na.jpg,\x81\x8d\n", {}, r"^/d/m.csv is neither UTF-8 nor cp1252 text: byte 0x81 on line 2 does not decode"),
        ("filename,title\na.jpg,Ægina\n".encode("cp1252"), {"encoding": "utf-8"}, r"^/d/m.csv is not utf-8 text: byte 0xc6 on line 2"),
        (b"f\x00i\x00l\x00e\x00", {}, r"^/d/m.csv contains NUL characters.*--encoding, e.g. utf-16"),
        (b"filename;title,name\na.jpg;x,y\n", {}, r"^cannot tell the delimiter of /d/m.csv: its header has 2 columns by comma and semicolon"),
        (b"", {}, r"^/d/m.csv has no header"),
        (b"\nfilename\n", {}, r"^/d/m.csv has no header"),
        (b"filename,title,title\n", {}, r"^the header of /d/m.csv names columns more than once: \['title'\]"),
        (b"filename,title\na.jpg,A\n\nb.jpg,B,extra\n", {}, r"^line 4 of /d/m.csv has 3 cells but its header has 2 columns \(delimiter: comma"),
    ],
)
def test_unreadable_csvs_are_refused_in_one_line_naming_the_file(data, options, message):
    with pytest.raises(ValueError, match=message) as error:
        read_metadata_csv(data, "/d/m.csv", **options)
    assert "\n" not in str(error.value)


def test_rows_are_indexed_by_their_line_and_spacing_is_skipped():
    data = b'filename,title,\r\na.jpg,"two\nlines",\r\n\r\n,,\r\nb.jpg\r\n'
    read = read_metadata_csv(data)
    assert read.table.index.tolist() == [2, 6]
    assert read.table.to_dict("list") == {"filename": ["a.jpg", "b.jpg"], "title": ["two\nlines", ""]}


def test_braces_in_values_are_data_in_titles_urls_and_fields():
    read = read_metadata_csv(b"filename,Name,Id\nx.jpg,{{x}},{a}}\n")
    joined = join_metadata(["x.jpg"], read.table, title="{Name}", url="https://example.org/{Id}/", fields=["Name"])
    assert joined.records.iloc[0].to_dict() == {
        "id": "x.jpg", "title": "{{x}}", "url": "https://example.org/{a}}/", "Name": "{{x}}",
    }


def test_double_braces_in_a_template_are_literal_braces():
    assert render_template("{{{{Name}}}} {Name} }}", {"Name": "{v}"}) == "{{Name}} {v} }"


def test_images_with_several_rows_keep_the_first_and_name_the_lines_dropped():
    read = read_metadata_csv(b"filename,title\na.jpg,A1\nb.jpg,B\nsub/a.jpg,A2\na.jpg,A3\n")
    joined = join_metadata(["sub/a.jpg", "b.jpg"], read.table)
    assert joined.records["title"].tolist() == ["A1", "B"]
    assert joined.repeated_rows == [RepeatedRows("sub/a.jpg", 2, (4, 5))]
