"""Facets: categorical, numeric or date, detected from the values and summarised for the viewer."""

from __future__ import annotations

import pytest

from tsne_assets.core.facets import facet_kind, parse_date, parse_number, summarise_facet
from tsne_assets.core.spec import CollectionSpec


@pytest.mark.parametrize("text, number", [("1890", 1890.0), (" -3.5 ", -3.5), (".5", 0.5), ("1e3", 1000.0),
                                          ("nan", None), ("inf", None), ("1_000", None), ("1,5", None), ("", None)])
def test_numbers(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text, day", [("1970-01-02", 1), ("1970-02", 31), ("1971", 365), ("2024-05-01T12:30:00Z", 19844),
                                       ("2024-13-01", None), ("2024-02-30", None), ("ca. 480 BCE", None), ("24-05-01", None)])
def test_iso_like_dates(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize("values, kind", [
    (["1890", "", "1901.5"], "numeric"),
    (["1890", "2024-05-01", ""], "date"),  # a year alone is a date where other values are dates
    (["2024-05-01", "2024-06"], "date"),
    (["1890", "ca. 1900"], "categorical"),
    (["", " "], "categorical"),
])
def test_kind_is_detected_from_every_value(values, kind):
    assert facet_kind(values) == kind


def test_a_categorical_facet_counts_its_values_most_frequent_first_and_codes_each_image():
    summary = summarise_facet("Culture", ["Attic", "Etruscan", "Attic", "", " Greek ", "Etruscan", "Attic"])
    assert summary == {"field": "Culture", "kind": "categorical", "missing": 1, "values": ["Attic", "Etruscan", "Greek"],
                       "counts": [3, 2, 1], "distinct": 3, "codes": [0, 1, 0, -1, 2, 1, 0]}


def test_every_value_of_a_many_valued_facet_is_listed_and_coded():
    values = [f"A{i % 1000:03d}" for i in range(3000)] + ["B"] * 5
    summary = summarise_facet("Accession", values)
    assert summary["distinct"] == len(summary["values"]) == 1001 and summary["values"][0] == "B"
    assert [summary["values"][c] for c in summary["codes"]] == values


def test_a_numeric_facet_is_a_histogram_with_each_images_number():
    summary = summarise_facet("Year", ["1900", "", "1910", "1905.5", "1900"], bins=2)
    assert summary["kind"] == "numeric" and summary["missing"] == 1
    assert (summary["min"], summary["max"]) == (1900.0, 1910.0)
    assert summary["edges"] == [1900.0, 1905.0, 1910.0] and summary["counts"] == [2, 2]
    assert summary["numbers"] == [1900, None, 1910, 1905.5, 1900]


def test_a_date_facet_counts_in_days_and_a_single_value_is_one_bar():
    summary = summarise_facet("Acquired", ["1970-01-02", "1970-01-02"])
    assert summary["kind"] == "date" and summary["numbers"] == [1, 1]
    assert summary["counts"] == [2] and summary["edges"] == [1.0, 2.0]


def test_facets_are_fields_too_and_need_a_csv():
    spec = CollectionSpec(id="met", images="/data/met", metadata="/data/m.csv", fields=("Culture",), facets=("Year", "Culture"))
    assert spec.fields == ("Culture", "Year") and spec.facets == ("Year", "Culture")
    assert CollectionSpec.from_json(spec.to_json()) == spec
    with pytest.raises(ValueError, match="facets need a metadata CSV"):
        CollectionSpec(id="met", images="/data/met", facets=("Year",))
    with pytest.raises(ValueError, match="a facet is named twice: 'Year'"):
        CollectionSpec(id="met", images="/data/met", metadata="/data/m.csv", facets=("Year", "Year"))
