"""IIIF in, core: values, image requests, the walk through collections, and the harvest."""

import pandas as pd
import pytest

from tsne_assets.core.iiif import Fetcher, HttpCache, harvest, walk
from tsne_assets.core.iiif.image_api import ImageService, image_request
from tsne_assets.core.iiif.presentation import parse_document
from tsne_assets.core.iiif.values import text_of
from tsne_assets.core.iiif.fetch import USER_AGENT, FetchError
from tsne_assets.core.storage import storage_path

from .museum import EXPECTED


def test_texts_come_in_the_configured_language_then_english_then_any():
    value = {"de": ["Vase"], "en-GB": ["Vase (en)"], "fr": ["Le vase"]}
    assert text_of(value, "de") == "Vase"
    assert text_of(value, "it") == "Vase (en)"
    assert text_of({"fr": ["Chaise"], "none": ["x"]}) == "Chaise"
    assert text_of([{"@value": "Titel", "@language": "de"}, {"@value": "Title", "@language": "en"}]) == "Title"
    assert text_of("A <b>bold</b> &amp; <a href='x'>linked</a> value") == "A bold & linked value"


@pytest.mark.parametrize(
    ("service", "expected"),
    [
        (ImageService("s", 3, 2), "s/full/!1024,1024/0/default.jpg"),
        (ImageService("s", 2, None), "s/full/!1024,1024/0/default.jpg"),
        (ImageService("s", 3, 1, width=3000, height=2000), "s/full/1024,/0/default.jpg"),
        (ImageService("s", 3, 1, width=1000, height=3000), "s/full/,1024/0/default.jpg"),
        (ImageService("s", 2, 1, width=800, height=600), "s/full/full/0/default.jpg"),
        (ImageService("s", 3, 0, sizes=((100, 75), (1200, 900), (2400, 1800))), "s/full/1200,900/0/default.jpg"),
        (ImageService("s", 3, 0, sizes=((100, 75), (400, 300))), "s/full/400,300/0/default.jpg"),
        (ImageService("s", 3, 0), "s/full/max/0/default.jpg"),
        (ImageService("s", 2, 0), "s/full/full/0/default.jpg"),
        (ImageService("s", 1, 1, width=3000, height=2000), "s/full/1024,/0/native.jpg"),
    ],
)
def test_images_are_asked_at_the_size_the_pipeline_needs(service, expected):
    assert image_request(service, 1024) == expected


def test_a_document_that_is_no_manifest_is_refused():
    with pytest.raises(ValueError, match="not a IIIF manifest"):
        parse_document({"@context": "x", "id": "a", "type": "Canvas"})


def test_collections_are_followed_and_bad_manifests_listed(iiif_server):
    walked = walk(f"{iiif_server.url}/collection.json", Fetcher(), language="de")
    labels = [m.label for m in walked.manifests]
    assert labels == ["Attische Vase", "Bronze mirror", "Plate with a broken page", "Lost bowl", "Chaise"]
    assert [(p.what, p.reason) for p in walked.problems] == [(f"{iiif_server.url}/gone.json", "HTTP 404 Not Found")]
    assert iiif_server.user_agents == {USER_AGENT}


def test_collections_are_followed_only_to_the_depth_allowed(iiif_server):
    walked = walk(f"{iiif_server.url}/collection.json", Fetcher(), max_depth=0)
    assert [m.label for m in walked.manifests] == ["Attic vase"]
    assert [p.reason for p in walked.problems] == ["left out: collections nested deeper than 0"]


def test_a_text_file_lists_manifest_urls(iiif_server, tmp_path):
    listing = tmp_path / "manifests.txt"
    listing.write_text(f"# our loans\n{iiif_server.url}/m2.json\n\n{iiif_server.url}/nohome.json  # a chair\n")
    assert [m.id for m in walk(str(listing), Fetcher()).manifests] == [
        f"{iiif_server.url}/m2.json", f"{iiif_server.url}/nohome.json",
    ]


def test_unavailable_answers_are_retried(iiif_server):
    iiif_server.failures["/m2.json"] = 2
    assert Fetcher(retries=2, backoff=0).get(f"{iiif_server.url}/m2.json").fresh
    iiif_server.failures["/m2.json"] = 3
    with pytest.raises(FetchError, match="HTTP 503"):
        Fetcher(retries=2, backoff=0).get(f"{iiif_server.url}/m2.json")


def test_only_http_urls_are_fetched():
    with pytest.raises(FetchError, match="not an http"):
        Fetcher().get("file:///etc/passwd")


def _harvest(server, tmp_path, **options):
    fetcher = Fetcher(HttpCache(tmp_path / "cache"))
    return harvest(walk(f"{server.url}/collection.json", fetcher), fetcher, tmp_path / "images", **options), fetcher


def test_every_canvas_becomes_an_image_with_its_record(iiif_server, tmp_path):
    result, _ = _harvest(iiif_server, tmp_path)
    table = result.table.set_index("canvas")
    base = iiif_server.url
    assert sorted(table.index) == sorted(base + canvas for canvas in EXPECTED)
    for canvas, (title, link) in EXPECTED.items():
        row = table.loc[base + canvas]
        assert row["title"] == title
        assert row["url"] == (base + link if link else row["manifest"])
        assert (tmp_path / "images" / row["filename"]).is_file()
    vase = table.loc[f"{base}/m3/canvas/1"]
    assert (vase["summary"], vase["Date"], vase["attribution"]) == ("A red-figure vase & its foot.", "ca. 480 BCE", "Museum of Tests")
    assert vase["rights"] == "http://creativecommons.org/publicdomain/zero/1.0/"
    assert table.loc[f"{base}/broken/canvas/2", "filename"].endswith(".png")
    failed = result.records[result.records["status"] == "failed"].set_index("canvas")["reason"]
    assert failed[f"{base}/broken/canvas/1"] == "the canvas has no image"
    assert failed[f"{base}/missing/canvas/1"].endswith("HTTP 404 Not Found")


def test_the_first_canvas_only_setting_takes_one_image_per_manifest(iiif_server, tmp_path):
    result, _ = _harvest(iiif_server, tmp_path, first_canvas_only=True)
    # The broken plate's first canvas has no image, and the bowl's image is missing.
    assert list(result.table["title"]) == ["Attic vase", "Bronze mirror", "Chaise"]


def test_a_second_harvest_downloads_nothing_unchanged(iiif_server, tmp_path):
    first, _ = _harvest(iiif_server, tmp_path)
    files = {path.name: path.stat().st_mtime_ns for path in (tmp_path / "images").iterdir()}
    iiif_server.log.clear()
    second, fetcher = _harvest(iiif_server, tmp_path)
    assert iiif_server.downloads() == []
    assert fetcher.downloaded == 0 and fetcher.unchanged == len(files) + 7  # and the 7 documents
    assert {path.name: path.stat().st_mtime_ns for path in (tmp_path / "images").iterdir()} == files
    pd.testing.assert_frame_equal(first.table, second.table)
    assert set(second.records["status"]) == {"unchanged", "failed"}


def test_a_damaged_cached_body_is_fetched_again_after_the_304(iiif_server, tmp_path):
    cache = HttpCache(tmp_path / "cache")
    url = f"{iiif_server.url}/m2.json"
    body = Fetcher(cache).get(url).body
    [stored] = (tmp_path / "cache").rglob("*.body")
    stored.write_bytes(b"damaged")
    iiif_server.log.clear()
    fetcher = Fetcher(cache)
    assert fetcher.get(url).body == body
    assert iiif_server.log == [("/m2.json", 304), ("/m2.json", 200)] and fetcher.downloaded == 1
    assert Fetcher(cache).get(url).fresh is False  # healed: the next request is a 304 again


def test_images_of_canvases_gone_from_the_source_are_removed(iiif_server, tmp_path):
    _harvest(iiif_server, tmp_path)
    del iiif_server.files["/m2.json"]
    result, _ = _harvest(iiif_server, tmp_path)
    assert sorted(path.name for path in (tmp_path / "images").iterdir()) == sorted(result.table["filename"])
    assert len(result.table) == len(EXPECTED) - 2


def test_a_harvest_onto_s3_downloads_nothing_unchanged_the_second_time(iiif_server, s3_server, s3_bucket):
    root = storage_path(f"s3://{s3_bucket}/data", s3_server)

    def once():
        fetcher = Fetcher(HttpCache(root / "cache" / "iiif" / "m"))
        return harvest(walk(f"{iiif_server.url}/collection.json", fetcher), fetcher, root / "iiif" / "m" / "images"), fetcher

    first, _ = once()
    assert sorted(path.name for path in (root / "iiif" / "m" / "images").iterdir()) == sorted(first.table["filename"])
    iiif_server.log.clear()
    _, fetcher = once()
    assert iiif_server.downloads() == [] and fetcher.downloaded == 0


def test_an_answer_cut_short_is_a_fetch_error_not_a_crash():
    """A server that promises more bytes than it sends and hangs up (a reset mid-image): urllib3
    raises its own error while the body streams, which must become the one image's reason."""
    import http.server
    import threading

    class CutShort(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"only a little")
            self.close_connection = True

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CutShort)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(FetchError):
            Fetcher(retries=0).get(f"http://127.0.0.1:{server.server_port}/image.jpg")
    finally:
        server.shutdown()
        thread.join()
