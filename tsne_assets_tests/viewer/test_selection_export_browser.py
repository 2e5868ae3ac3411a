"""The selection's files in a real browser: the CSV and JSON exports hold exactly the selected
rows and fields, and the IIIF manifest validates as Presentation 3 and paints each selected image
from a file the site publishes (in either arrangement).

The selection is drawn as in ``test_selection_browser.py``, whose expectations from the metadata
(``selection_page.py``) this module shares (the page fixture ``mp`` is conftest.py's).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.request import urlopen

import pytest
from iiif_prezi3 import Manifest
from PIL import Image

from .collection import FIELDS, colour_of
from .map_page import MapPage, close
from .selection_page import open_list, select_some


def download(mp: MapPage, name: str) -> bytes:
    open_list(mp)
    with mp.page.expect_download() as info:
        mp.page.get_by_role("button", name=name, exact=True).click()
    return Path(info.value.path()).read_bytes()


def test_csv_and_json_exports_hold_exactly_the_selected_rows_and_fields(mp: MapPage) -> None:
    chosen = select_some(mp)
    columns = ["id", "title", "url", *FIELDS]
    expected = sorted(({c: mp.items[c][i] for c in columns} for i in chosen), key=lambda r: r["id"])

    data = download(mp, "CSV")
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == columns
    assert sorted(rows, key=lambda r: r["id"]) == expected

    doc = json.loads(download(mp, "JSON"))
    assert doc["fields"] == list(FIELDS) and doc["count"] == len(chosen)
    assert sorted(doc["items"], key=lambda r: r["id"]) == expected
    assert doc["link"] == mp.page.url and "sel=" in doc["link"]


@pytest.mark.parametrize("arrangement", ["similarity", "timeline"])
def test_iiif_manifest_validates_as_presentation_3_and_paints_each_selected_image(mp: MapPage, arrangement: str) -> None:
    chosen = select_some(mp)
    if arrangement == "timeline":  # the images are cut from the timeline's tiles at its cells
        mp.page.get_by_role("button", name="Timeline").click()
        mp.page.wait_for_function("() => document.documentElement.dataset.arrangement === 'timeline'")
    doc = json.loads(download(mp, "IIIF manifest"))
    manifest = Manifest(**doc)  # iiif-prezi3's Presentation 3 model: raises on an invalid manifest
    assert manifest.type == "Manifest" and len(manifest.items) == len(chosen)
    by_title = {mp.items["title"][i]: i for i in chosen}
    assert sorted(c["label"]["none"][0] for c in doc["items"]) == sorted(by_title)
    for canvas in doc["items"]:
        item = by_title[canvas["label"]["none"][0]]
        fields = {m["label"]["none"][0].lower(): m["value"]["none"][0] for m in canvas.get("metadata", [])}
        assert fields == {f: mp.items[f][item] for f in FIELDS if mp.items[f][item]}
        url = mp.items["url"][item]
        if url.startswith("https://"):
            assert canvas["homepage"][0]["id"] == url and canvas["homepage"][0]["format"] == "text/html"
        else:
            assert "homepage" not in canvas, "only http(s) record links"
        paint = canvas["items"][0]["items"][0]
        assert paint["motivation"] == "painting" and paint["target"] == canvas["id"]
        # A real published file (absolute, on the site): the cell's part of it shows the image.
        body = paint["body"]
        assert body["type"] == "SpecificResource", "the test collection's images have no pyramids of their own"
        assert body["source"]["id"].startswith(mp.url)
        with urlopen(body["source"]["id"]) as response:
            tile = Image.open(io.BytesIO(response.read())).convert("RGB")
        x, y, w, h = map(int, re.fullmatch(r"xywh=(\d+),(\d+),(\d+),(\d+)", body["selector"]["value"]).groups())
        assert abs(w / h - canvas["width"] / canvas["height"]) < 0.1
        pixel = tile.getpixel((x + w // 4, y + h // 4))
        assert close(pixel, colour_of(mp.items["id"][item])), (canvas["label"], pixel)
