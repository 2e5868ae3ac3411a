"""Facet filters in a real browser, on a collection the pipeline built with three facets: a
categorical one (culture), a numeric one (year, some images without) and one with more values
than the drawer lists (accession). Every expected count and every expected set of undimmed
images is computed here from the CSV the test wrote; the screen is read from its pixels."""

from __future__ import annotations

import colorsys
import csv
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from tsne_assets.core.spec import CollectionSpec

from .collection import BuiltCollection, build_with_pipeline
from .map_page import MapPage, close

N = 24
SHAPES = ("Amphora", "Kylix", "Krater")
CULTURES = ("Attic", "Attic", "Etruscan", "Greek", "Attic", "Etruscan", "Roman", "Greek")


def record(i: int) -> dict[str, str]:
    """Image ``i``'s row of the CSV: one image has no culture, every tenth no year."""
    return {
        "filename": f"object-{i:02d}.png",
        "title": f"{SHAPES[i % 3]} {i}",
        "culture": "" if i == N - 1 else CULTURES[i % len(CULTURES)],
        "year": "" if i % 10 == 9 else str(-600 + 37 * i),
        "accession": f"GR.{i:03d}",
    }


RECORDS = [record(i) for i in range(N)]


def colour(i: int) -> tuple[int, int, int]:
    r, g, b = colorsys.hsv_to_rgb(i / N, 0.85, 0.95)
    return round(r * 255), round(g * 255), round(b * 255)


@pytest.fixture(scope="module")
def faceted(viewer_dist: Path, tmp_path_factory: pytest.TempPathFactory) -> BuiltCollection:
    source = tmp_path_factory.mktemp("faceted-source")
    (source / "images").mkdir()
    for i, row in enumerate(RECORDS):
        image = Image.new("RGB", (96, 72), colour(i))
        ImageDraw.Draw(image).rectangle((40, 28, 56, 44), fill=tuple(255 - c for c in colour(i)))
        image.save(source / "images" / row["filename"])
    with (source / "images.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(RECORDS[0]))
        writer.writeheader()
        writer.writerows(RECORDS)
    spec = CollectionSpec(
        id="faceted", images=str(source / "images"), metadata=str(source / "images.csv"),
        facets=("culture", "year", "accession"), cell_size=(96, 72), resize="fill",
    )
    return build_with_pipeline(tmp_path_factory.mktemp("faceted-root"), source, spec)


@pytest.fixture(scope="module")
def faceted_url(faceted: BuiltCollection) -> Iterator[str]:
    from tsne_assets.serve import serve

    server, url, thread = serve(faceted.root, host="127.0.0.1", port=0)
    yield f"{url}{faceted.id}/"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture()
def facet_page(browser, faceted: BuiltCollection, faceted_url: str) -> Iterator[MapPage]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(15_000)
    mp = MapPage(page, faceted_url, faceted)
    yield mp
    assert mp.errors == [], f"uncaught errors in the page: {mp.errors}"
    context.close()


# -- expectations from the CSV ---------------------------------------------------------------

Row = dict[str, str]


def passes(cultures: set[str] = frozenset(), years: tuple[float, float] | None = None, word: str = "") -> Callable[[Row], bool]:
    def test(row: Row) -> bool:
        return (
            (not cultures or row["culture"] in cultures)
            and (years is None or (row["year"] != "" and years[0] <= float(row["year"]) <= years[1]))
            and word.lower() in row["title"].lower()
        )

    return test


def culture_counts(keep: Callable[[Row], bool]) -> list[tuple[str, int]]:
    """The culture facet as listed: every value of the collection, most frequent first, each
    counted among the rows that ``keep`` keeps."""
    ranked = sorted(Counter(r["culture"] for r in RECORDS if r["culture"]).items(), key=lambda kv: (-kv[1], kv[0]))
    return [(value, sum(1 for r in RECORDS if r["culture"] == value and keep(r))) for value, _ in ranked]


# -- the page --------------------------------------------------------------------------------


def open_filters(mp: MapPage) -> Page:
    page = mp.page
    page.get_by_role("button", name="Filters").click()
    expect(page.get_by_role("complementary", name="Filters")).to_be_visible()
    mp.settle()  # the map has made room for the drawer
    page.get_by_role("button", name="Show the whole map").click()  # every cell in view
    return page


def listed(page: Page, field: str) -> list[tuple[str, int]]:
    rows = page.locator(f'fieldset[data-field="{field}"] .facet-value label')
    return [(r.locator(".facet-label").inner_text(), int(r.locator(".facet-count").inner_text())) for r in rows.all()]


def expect_shown(mp: MapPage, keep: Callable[[Row], bool]) -> None:
    """The badge says how many pass, and exactly those images are undimmed on screen."""
    wanted = sum(1 for r in RECORDS if keep(r))
    expect(mp.page.locator("#filters-badge")).to_have_text(f"{wanted} of {N} shown")
    mp.settle()
    shot = mp.screenshot()
    box = mp.map_box()
    seen = 0
    for cell, item in enumerate(mp.meta["cells"]):
        if item < 0:
            continue
        x, y = (int(v) for v in mp.cell_point(cell, 0.2, 0.2))
        if not (box["x"] < x < box["x"] + box["width"] and box["y"] < y < box["y"] + box["height"]):
            continue  # framing the search may leave cells out of view
        i = int(mp.items["id"][item].split("-")[1][:2])
        pixel = shot.getpixel((x, y))
        if keep(RECORDS[i]):
            seen += 1
            assert close(pixel, colour(i)), (RECORDS[i], pixel, colour(i))
        else:
            assert sum(pixel) < 0.45 * sum(colour(i)), (RECORDS[i], pixel, colour(i))
    assert seen == wanted


# -- tests -----------------------------------------------------------------------------------


def test_counts_match_the_csv_and_values_combine_with_or_within_a_field(facet_page: MapPage, artifacts: Path) -> None:
    mp = facet_page.open()
    page = open_filters(mp)
    everything = passes()
    assert listed(page, "culture") == culture_counts(everything)
    expect(page.locator("#filters-badge")).to_be_hidden()  # nothing filtered, nothing searched

    page.get_by_role("checkbox", name=re.compile(r"^Attic")).check()
    attic = passes({"Attic"})
    expect_shown(mp, attic)
    assert listed(page, "culture") == culture_counts(everything)  # its own choice leaves its counts
    page.get_by_role("checkbox", name=re.compile(r"^Greek")).check()
    expect_shown(mp, passes({"Attic", "Greek"}))
    mp.screenshot(artifacts / "facets-culture.png")

    page.get_by_role("button", name="Clear culture").click()
    expect(page.locator("#filters-badge")).to_be_hidden()
    expect(page.get_by_role("checkbox", name=re.compile(r"^Attic"))).not_to_be_checked()
    assert "f." not in page.evaluate("() => location.hash")


def test_a_year_range_and_the_search_narrow_the_values_and_each_others_counts(facet_page: MapPage, artifacts: Path) -> None:
    mp = facet_page.open()
    page = open_filters(mp)
    page.get_by_role("checkbox", name=re.compile(r"^Etruscan")).check()
    page.get_by_label("year from").fill("-400")
    page.get_by_label("year to").fill("100")
    page.get_by_label("year to").press("Enter")  # a number input reports on Enter or on leaving it
    years = passes(years=(-400, 100))
    expect_shown(mp, passes({"Etruscan"}, (-400, 100)))
    assert listed(page, "culture") == culture_counts(years)  # the culture counts follow the years

    page.get_by_label("Search titles and fields").fill("amphora")
    both = passes({"Etruscan"}, (-400, 100), "amphora")
    expect_shown(mp, both)
    assert listed(page, "culture") == culture_counts(passes(years=(-400, 100), word="amphora"))
    expect(page).to_have_url(re.compile(r"#q=amphora&f\.culture=Etruscan&f\.year=-400\.\.100$"))
    mp.screenshot(artifacts / "facets-range-search.png")

    page.get_by_role("button", name="Clear all").click()
    page.get_by_role("button", name="Show the whole map").click()  # the search framed its one result
    expect_shown(mp, passes(word="amphora"))  # the search alone still counts as "shown"


def test_the_deep_link_restores_the_filters_on_opening_and_on_back_and_forward(facet_page: MapPage) -> None:
    # Unknown fields and values are ignored; an open end of a range is the facet's own end.
    mp = facet_page.open("f.culture=Greek&f.culture=Minoan&f.nope=1&f.year=..-100")
    page = mp.page
    expect_shown(mp, passes({"Greek"}, (-600, -100)))
    page.get_by_role("button", name="Filters").click()
    expect(page.get_by_role("checkbox", name=re.compile(r"^Greek"))).to_be_checked()
    expect(page.get_by_label("year to")).to_have_value("-100")

    page.evaluate("() => { location.hash = 'f.culture=Roman'; }")
    expect_shown(mp, passes({"Roman"}))
    expect(page.get_by_role("checkbox", name=re.compile(r"^Greek"))).not_to_be_checked()
    page.go_back()
    expect_shown(mp, passes({"Greek"}, (-600, -100)))
    page.go_forward()
    expect_shown(mp, passes({"Roman"}))


def test_a_many_valued_facet_lists_its_top_values_and_finds_the_others_by_keyboard(facet_page: MapPage) -> None:
    mp = facet_page.open()
    page = mp.page
    page.get_by_role("button", name="Filters").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#filters-title")).to_be_focused()
    accession = page.locator('fieldset[data-field="accession"]')
    expect(accession.locator(".facet-value")).to_have_count(12)
    expect(accession.locator(".facet-more")).to_have_text(f"12 of {N} values listed")
    assert page.locator('fieldset[data-field="culture"] .facet-find').count() == 0  # few values: no search box

    find = page.get_by_label("Find a value of accession")
    find.fill("gr.021")
    expect(accession.locator(".facet-value")).to_have_count(1)
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect_shown(mp, lambda row: row["accession"] == "GR.021")
    find.fill("")
    expect(accession.get_by_role("checkbox", name=re.compile(r"^GR\.021"))).to_be_checked()  # a chosen value stays listed

    page.keyboard.press("Escape")
    expect(page.get_by_role("complementary", name="Filters")).to_be_hidden()
    expect(page.get_by_role("button", name="Filters")).to_be_focused()
