import pytest

from tsne_assets.core.spec import CollectionSpec
from tsne_assets.core.spec_values import MAX_CELL_SIDE, absolute_location, parse_cell_size


@pytest.mark.parametrize("text, expected", [("128", (128, 128)), ("128x128", (128, 128)), ("160x120", (160, 120)), (" 64X32 ", (64, 32))])
def test_parse_cell_size(text, expected):
    assert parse_cell_size(text) == expected


@pytest.mark.parametrize("text", ["", "x", "128x", "0x128", "128x128x3", "12.5", "-128", "abc", "99999"])
def test_parse_cell_size_rejects_nonsense(text):
    with pytest.raises(ValueError, match="cell"):
        parse_cell_size(text)


def test_templates_without_a_metadata_csv_are_refused():
    with pytest.raises(ValueError, match="need a metadata CSV"):
        CollectionSpec(id="a", images="/tmp/x", title="{Name}")


def test_spec_refuses_a_cell_larger_than_the_mosaic_accepts():
    with pytest.raises(ValueError, match=f"between 1 and {MAX_CELL_SIDE}"):
        CollectionSpec(id="big", images="/tmp/x", cell_size=(5000, 5000))


def test_a_spec_round_trips_through_plain_json_values():
    spec = CollectionSpec(id="met", images="s3://bucket/met/**/*.jpg", metadata="/data/met.csv", title="{Name}",
                          fields=("Year",), cell_size=(160, 120), model="vgg16", weights="/w/vgg16.h5", seed=3)
    data = spec.to_dict()
    assert data["fields"] == ["Year"] and data["cell_size"] == [160, 120] and "url" not in data
    assert CollectionSpec.from_dict(data) == spec
    assert CollectionSpec.from_json(spec.to_json()) == spec


def test_the_digest_follows_every_field_and_nothing_else():
    spec = CollectionSpec(id="met", images="/data/met")
    assert spec.digest() == CollectionSpec.from_json(spec.to_json()).digest()
    assert spec.digest() != CollectionSpec(id="met", images="/data/met", perplexity=20).digest()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"images": "photos/*.jpg"}, "images must be an absolute path or a URL"),
        ({"metadata": "meta.csv"}, "metadata must be an absolute path or a URL"),
        ({"weights": "w.h5"}, "weights must be an absolute path or a URL"),
        ({"model": "resnet"}, "unknown feature extractor 'resnet'"),
        ({"perplexity": 0}, "perplexity must be a positive number"),
        ({"seed": -1}, "seed must be a non-negative integer"),
        ({"headroom": 1.5}, "headroom must be a number from 0 to 1.0"),
        ({"headroom": -0.1}, "headroom must be a number from 0 to 1.0"),
        ({"resize": "stretch"}, "resize must be 'contain' or 'fill'"),
        ({"id": "a b"}, "collection id 'a b'"),
        ({"metadata": "/data/m.csv", "encoding": "klingon"}, "unknown text encoding 'klingon'"),
        ({"metadata": "/data/m.csv", "encoding": "base64"}, "unknown text encoding 'base64'"),
        ({"metadata": "/data/m.csv", "delimiter": "|"}, r"the delimiter must be ',', ';' or a tab \('tab' on the command line\), not '\|'"),
        ({"encoding": "cp1252"}, "an encoding or a delimiter needs a metadata CSV"),
        ({"delimiter": ";"}, "an encoding or a delimiter needs a metadata CSV"),
    ],
)
def test_invalid_specs_are_refused_with_the_reason(changes, message):
    with pytest.raises(ValueError, match=message):
        CollectionSpec(**{"id": "met", "images": "/data/met", **changes})


def test_unknown_keys_are_refused_as_typos():
    with pytest.raises(ValueError, match=r"unknown collection spec keys: \['titel'\]"):
        CollectionSpec.from_dict({"id": "met", "images": "/data/met", "titel": "{Name}"})


def test_relative_locations_are_made_absolute_and_urls_kept(tmp_path):
    assert absolute_location("meta.csv", tmp_path) == str(tmp_path / "meta.csv")
    assert absolute_location("photos/**/*.jpg", tmp_path) == str(tmp_path / "photos" / "**" / "*.jpg")
    assert absolute_location("s3://bucket/x/*.jpg", tmp_path) == "s3://bucket/x/*.jpg"


def test_the_csv_encoding_is_stored_by_its_codec_name_and_the_delimiter_as_given():
    spec = CollectionSpec(id="met", images="/data/met", metadata="/data/m.csv", encoding="Windows-1252", delimiter="\t")
    assert (spec.encoding, spec.delimiter) == ("cp1252", "\t")
    assert CollectionSpec.from_json(spec.to_json()) == spec
    assert spec.digest() == CollectionSpec(id="met", images="/data/met", metadata="/data/m.csv", encoding="cp1252",
                                           delimiter="\t").digest()
