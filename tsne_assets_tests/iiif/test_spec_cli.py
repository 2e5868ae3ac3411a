"""The IIIF settings of a spec and of `tsne-assets build`: validated where they are read."""

import pytest

from tsne_assets.cli import _parser, _spec
from tsne_assets.core.spec import CollectionSpec


def test_a_iiif_build_harvests_under_the_storage_root():
    arguments = ["build", "--id", "m", "--iiif", "https://museum.example/c.json", "--iiif-language", "de"]
    spec = _spec(_parser().parse_args(arguments), "/data")
    assert (spec.images, spec.metadata, spec.iiif, spec.iiif_language) == (
        "/data/iiif/m/images", "/data/iiif/m/metadata.csv", "https://museum.example/c.json", "de",
    )
    assert spec.fields == ("summary", "attribution", "rights") and (spec.encoding, spec.delimiter) == ("utf-8", ",")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--iiif", "https://m.example/c.json", "--metadata", "x.csv"], "brings its own metadata"),
        (["--images", "/photos", "--first-canvas"], "need --iiif"),
    ],
)
def test_the_command_line_refuses_iiif_options_that_do_not_fit(arguments, message):
    with pytest.raises(ValueError, match=message):
        _spec(_parser().parse_args(["build", "--id", "m", *arguments]), "/data")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"iiif": "manifests.txt"}, "http.s. URL or an absolute local path"),
        ({"iiif": "file:///etc/passwd"}, "http.s. URL or an absolute local path"),
        ({"iiif": "https://m.example/c.json", "metadata": None}, "needs a metadata CSV"),
        ({"iiif_language": "de"} | {"iiif": None}, "need a IIIF source"),
        ({"iiif": "https://m.example/c.json", "iiif_language": "german!"}, "language tag"),
        ({"site_url": "ftp://maps.example.org/"}, "site_url must be an http"),
        ({"map_tiles": "iiif3"}, "map_tiles must be one of both, iiif, dzi"),
    ],
)
def test_the_spec_refuses_bad_iiif_settings(values, message):
    with pytest.raises(ValueError, match=message):
        CollectionSpec(**{"id": "m", "images": "/data/iiif/m/images", "metadata": "/data/iiif/m/metadata.csv", **values})


def test_iiif_out_is_the_default_and_map_tiles_chooses_what_a_site_publishes():
    build = ["build", "--id", "m", "--images", "/photos"]
    assert _spec(_parser().parse_args(build), "/data").map_tiles == "both"
    assert _spec(_parser().parse_args([*build, "--map-tiles", "iiif"]), "/data").map_tiles == "iiif"
    with pytest.raises(SystemExit):
        _parser().parse_args([*build, "--map-tiles", "tiff"])
    # A spec registered before map_tiles (with iiif_out) still loads, and publishes IIIF now.
    registered = {**CollectionSpec(id="m", images="/photos").to_dict(), "iiif_out": False}
    del registered["map_tiles"]
    assert CollectionSpec.from_dict(registered).map_tiles == "both"
