import pandas as pd
import pytest

from tsne_assets.core.metadata import join_metadata, read_metadata_csv, render_template


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
        ["x.jpg"], read_metadata_csv(csv), filename_column="File",
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


def test_without_csv_titles_are_file_names():
    joined = join_metadata(["a/x.jpg"], None)
    assert joined.records.iloc[0].to_dict() == {"id": "a/x.jpg", "title": "x.jpg", "url": ""}


def test_literal_braces_and_markup_stay_data():
    assert render_template("{{{Name}}}", {"Name": "<b>x</b>"}) == "{<b>x</b>}"
