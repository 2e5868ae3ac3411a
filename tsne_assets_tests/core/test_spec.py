import pytest

from tsne_assets.core.spec import MAX_CELL_SIDE, CollectionSpec, parse_cell_size


@pytest.mark.parametrize("text, expected", [("128", (128, 128)), ("128x128", (128, 128)), ("160x120", (160, 120)), (" 64X32 ", (64, 32))])
def test_parse_cell_size(text, expected):
    assert parse_cell_size(text) == expected


@pytest.mark.parametrize("text", ["", "x", "128x", "0x128", "128x128x3", "12.5", "-128", "abc", "99999"])
def test_parse_cell_size_rejects_nonsense(text):
    with pytest.raises(ValueError, match="cell"):
        parse_cell_size(text)


def test_spec_refuses_a_cell_larger_than_the_mosaic_accepts():
    with pytest.raises(ValueError, match=f"between 1 and {MAX_CELL_SIDE}"):
        CollectionSpec(id="big", images="/tmp/x", cell_size=(5000, 5000))
