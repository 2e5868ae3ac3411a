"""The timeline arrangement: reading dates, choosing bins, the undated column, the order in a column."""

import json

import numpy as np
import pytest

from tsne_assets.core.centuries import century_span
from tsne_assets.core.timeline import (
    UNDATED,
    Bins,
    arrange_timeline,
    band_width,
    choose_bins,
    similarity_order,
    timeline_file,
    timeline_pointer,
    timeline_section,
    year_of,
)


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("1850", 1850),
        (" 1850 ", 1850),
        ("-500", -500),
        ("1850.0", 1850),
        ("1850-05", 1850),
        ("1850-05-01", 1850),
        ("2024-05-01T12:30:00Z", 2024),
        ("c. 1850", 1850),
        ("ca 1850", 1850),
        ("circa 1850", 1850),
        ("500 BCE", -500),
        ("44 BC", -44),
        ("79 CE", 79),
        ("1850-1860", 1855),
        ("1850–1861", 1855),
        ("1850 to 1860", 1855),
        ("1850-60", 1855),
        ("500-400 BCE", -450),
        ("c. 1850-1860", 1855),
    ],
)
def test_year_of_reads_years_circa_eras_ranges_and_iso_dates(text, year):
    assert year_of(text) == year


@pytest.mark.parametrize(
    ("text", "span", "year"),
    [
        ("4th century BCE", (-400, -301), -351),  # 400-301 BCE
        ("1st century CE", (1, 100), 50),
        ("19th century", (1801, 1900), 1850),  # no era: the common era
        ("late 4th century BCE", (-333, -301), -317),
        ("mid-6th century BCE", (-567, -534), -551),
        ("early 5th century B.C.", (-500, -468), -484),
        ("last quarter of the 6th century BCE", (-525, -501), -513),
        ("3rd quarter of the 6th century BCE", (-550, -526), -538),
        ("end of the 6th century BCE", (-520, -501), -511),
        ("second half of the 1st century", (51, 100), 75),
        ("1st–2nd century CE", (1, 200), 100),
        ("late 4th–early 3rd century BCE", (-333, -268), -301),
        ("late 7th or early 6th century BCE", (-633, -568), -601),
    ],
)
def test_year_of_reads_centuries_their_parts_and_ranges_as_the_middle_of_their_years(text, span, year):
    assert century_span(text) == span
    assert year_of(text) == year


@pytest.mark.parametrize(
    "text", ["", "   ", None, "unknown", "0th century", "early", "4th century BCE or so", "1850s?", "n.d.", "2024-13-45"]
)
def test_year_of_gives_none_for_unusable_values(text):
    assert year_of(text) is None


def test_choose_bins_gives_one_bin_per_year_over_a_short_span():
    bins = choose_bins([1850, 1852, 1909])
    assert (bins.first, bins.width, bins.count) == (1850, 1, 60)
    assert bins.label(0) == "1850" and bins.span(59) == (1909, 1909)


def test_choose_bins_groups_a_long_span_into_nice_aligned_widths():
    bins = choose_bins([1853, 1901, 2020])
    assert bins.width == 5 and bins.first == 1850 and bins.count == 35
    assert bins.of(np.array([1853, 1854, 1855, 2020])).tolist() == [0, 0, 1, 34]
    assert bins.label(0) == "1850–1854"
    wide = choose_bins([-3000, 2000])
    assert wide.width == 100 and wide.first == -3000 and wide.count <= 60
    assert wide.label(0) == "3000–2901 BCE"
    assert Bins(-50, 100, 1).label(0) == "50 BCE–49"


def test_choose_bins_refuses_no_years_and_a_bad_limit():
    with pytest.raises(ValueError):
        choose_bins([])
    with pytest.raises(ValueError):
        choose_bins([1850], max_bins=0)


def test_band_width_is_one_cell_until_columns_get_far_taller_than_the_map_is_wide():
    assert band_width(10, 20) == 1
    assert band_width(40, 20) == 1
    assert band_width(10_000, 50) == 14


def test_similarity_order_keeps_map_neighbours_close():
    cols = rows = 8
    cells = np.arange(cols * rows)
    rank = similarity_order(cells, cols, rows)
    assert sorted(rank.tolist()) == list(range(64))
    position = {int(r): (int(c) % cols, int(c) // cols) for c, r in zip(cells, rank)}
    # Consecutive ranks are always adjacent cells: a Hilbert curve never jumps.
    for r in range(63):
        (x0, y0), (x1, y1) = position[r], position[r + 1]
        assert abs(x0 - x1) + abs(y0 - y1) == 1


def test_arrange_timeline_puts_each_image_in_its_years_column_and_undated_last():
    values = ["1850", "1852", "c. 1851", "unknown", "1850", ""]
    order = np.array([5, 4, 3, 2, 1, 0])
    timeline = arrange_timeline(values, order)
    cols = timeline.cols
    assert (cols, timeline.rows, timeline.band) == (4, 2, 1)
    column = (timeline.cells % cols).tolist()
    assert column == [0, 2, 1, 3, 0, 3]
    assert [entry["label"] for entry in timeline.axis] == ["1850", "1851", "1852", UNDATED]
    assert [entry["count"] for entry in timeline.axis] == [2, 1, 1, 2]
    assert timeline.axis[-1]["start"] is None and timeline.axis[0]["start"] == timeline.axis[0]["end"] == 1850
    assert timeline.undated == 2
    # Within a column, by similarity rank: image 4 (rank 1) above image 0 (rank 5).
    row = (timeline.cells // cols).tolist()
    assert row[4] == 0 and row[0] == 1 and row[5] == 0 and row[3] == 1
    assert len(set(timeline.cells.tolist())) == len(values)


def test_arrange_timeline_without_dates_is_one_undated_column():
    timeline = arrange_timeline(["", "?"], np.array([0, 1]))
    assert timeline.bins is None and timeline.cols == 1 and timeline.rows == 2
    assert [entry["label"] for entry in timeline.axis] == [UNDATED]


def test_arrange_timeline_widens_bands_for_a_large_bin_row_by_row():
    values = ["1900"] * 100 + ["1901"]
    timeline = arrange_timeline(values, np.arange(101))
    band = timeline.band
    assert band == round((100 / 2) ** 0.5)
    assert timeline.cols == 2 * band and timeline.rows == -(-100 // band)
    columns = timeline.cells % timeline.cols
    assert set(columns[:100].tolist()) == set(range(band))
    assert columns[100] == band
    assert timeline.axis[1]["col"] == band
    # Row by row: ranks 0..band-1 fill the first row.
    assert (timeline.cells[:band] // timeline.cols).tolist() == [0] * band


def test_arrange_timeline_checks_its_inputs_agree():
    with pytest.raises(ValueError, match="similarity ranks"):
        arrange_timeline(["1850"], np.array([0, 1]))


def test_undated_ids_names_the_images_without_a_usable_date_in_order():
    timeline = arrange_timeline(["1850", "unknown", "c. 1851", ""], np.arange(4))
    assert timeline.undated_ids(["a", "b", "c", "d"]) == ["b", "d"]
    with pytest.raises(ValueError, match="3 ids but 4 images"):
        timeline.undated_ids(["a", "b", "c"])


def test_the_published_section_and_pointer():
    timeline = arrange_timeline(["1850", "", "1851"], np.array([0, 1, 2]))
    section = timeline_section(timeline, field="Year", dzi="timeline/tiles.dzi", cell_size=(64, 32))
    assert section["grid"] == {"cols": 3, "rows": 1, "cell_width": 64, "cell_height": 32}
    assert section["image"] == {"dzi": "timeline/tiles.dzi", "width": 192, "height": 32}
    assert section["item_cells"] == [0, 2, 1]
    assert section["axis"][2] == {"label": UNDATED, "col": 2, "cols": 1, "count": 1, "start": None, "end": None}
    assert json.loads(timeline_file(section)) == section
    assert timeline_pointer(section) == {"timeline": {"path": "timeline.json", "field": "Year"}}
    assert timeline_pointer({}) == {}


def test_the_spec_makes_the_timeline_field_a_field_and_needs_a_csv():
    from tsne_assets.core.spec import CollectionSpec

    spec = CollectionSpec(id="c", images="/images", metadata="/m.csv", fields=("Title",), timeline="Year")
    assert spec.fields == ("Title", "Year") and CollectionSpec.from_dict(spec.to_dict()) == spec
    assert CollectionSpec(id="c", images="/images").timeline is None
    with pytest.raises(ValueError, match="metadata CSV"):
        CollectionSpec(id="c", images="/images", timeline="Year")
    with pytest.raises(ValueError, match="timeline must name"):
        CollectionSpec(id="c", images="/images", metadata="/m.csv", timeline=" ")


def test_publishing_to_a_bucket_uploads_the_timeline_but_not_its_build_leftovers():
    from tsne_assets.core.publish import is_site_file

    version = "versions/v1/"
    assert is_site_file(version + "timeline.json", "v1", "tiles.dzi")
    assert is_site_file(version + "timeline/tiles.dzi", "v1", "tiles.dzi")
    assert is_site_file(version + "timeline/tiles_files/3/0_1.jpg", "v1", "tiles.dzi")
    assert not is_site_file(version + "timeline/cells.json", "v1", "tiles.dzi")
    assert not is_site_file(version + "timeline/preview.jpg", "v1", "tiles.dzi")
