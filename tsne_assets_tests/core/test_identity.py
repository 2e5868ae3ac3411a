"""The collection's identity (name, about, credit, licence): validated in the spec, carried into
the viewer metadata, and shown as text on the ``serve`` index page."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from tsne_assets.core.spec import CollectionSpec
from tsne_assets.core.spec_values import IDENTITY_LIMITS
from tsne_assets.core.viewer_data import viewer_metadata
from tsne_assets.serve_index import render_index

BASE = {"id": "met", "images": "/data/met"}


def test_without_identity_the_name_is_the_id_and_the_digest_is_unchanged():
    spec = CollectionSpec(**BASE)
    assert spec.identity() == {"title": "met"}
    # Identity fields left out are not in the stored spec, so existing digests stay as they were.
    assert not set(spec.to_dict()) & set(IDENTITY_LIMITS)


def test_identity_is_trimmed_stored_and_part_of_the_digest():
    spec = CollectionSpec(**BASE, name="  Greek and Roman Art ", about="Line one\r\nline two\n\nMore.",
                          credit="The Met, Open Access", license="CC0")
    assert spec.identity() == {"title": "Greek and Roman Art", "about": "Line one\nline two\n\nMore.",
                               "credit": "The Met, Open Access", "license": "CC0"}
    assert CollectionSpec.from_json(spec.to_json()) == spec
    assert spec.digest() != CollectionSpec(**BASE, name="Greek and Roman Art").digest()
    assert CollectionSpec(**BASE, name="   ", credit="").identity() == {"title": "met"}


def test_markup_is_accepted_as_plain_text():
    name = "<script>alert(1)</script> & co"
    assert CollectionSpec(**BASE, name=name).name == name


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"name": "x" * (IDENTITY_LIMITS["name"] + 1)}, "name must be at most 200 characters, not 201"),
        ({"about": "x" * (IDENTITY_LIMITS["about"] + 1)}, "about must be at most 5000 characters"),
        ({"name": "two\nlines"}, "name must be plain text on one line"),
        ({"credit": "tab\there"}, "credit must be plain text on one line"),
        ({"about": "bell\x07"}, "about must be plain text: no control characters"),
        ({"license": "nul\x00"}, "license must be plain text on one line"),
        ({"name": 7}, "name must be text, not 7"),
    ],
)
def test_identity_that_is_not_plain_text_within_limits_is_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        CollectionSpec(**BASE, **changes)


def test_viewer_metadata_carries_the_identity():
    records = pd.DataFrame({"id": ["a"], "title": ["A"], "url": [""]})
    spec = CollectionSpec(**BASE, name="Vases", credit="The Met")
    document = viewer_metadata("met", records, np.array([0]), cols=1, rows=1, cell_size=(8, 8),
                               identity=spec.identity())
    assert (document["collection"], document["title"], document["credit"]) == ("met", "Vases", "The Met")
    assert "about" not in document and "license" not in document


def _publish_metadata(site, cid: str, document: dict) -> None:
    version = site / cid / "versions" / "v1"
    version.mkdir(parents=True)
    (version / "metadata.json").write_text(json.dumps(document))
    (site / cid / "current.json").write_text(json.dumps({"format": 1, "path": "versions/v1/"}))


def test_the_serve_index_shows_name_credit_and_licence_as_text(tmp_path):
    site = tmp_path / "site"
    _publish_metadata(site, "met", {"collection": "met", "title": "<b>Vases</b> & more",
                                    "credit": "<i>The Met</i>", "license": "CC0", "items": {"id": ["a", "b"]}})
    _publish_metadata(site, "plain", {"collection": "plain", "items": {"id": ["a"]}})
    page = render_index(site)
    assert "&lt;b&gt;Vases&lt;/b&gt; &amp; more" in page and "<b>" not in page
    assert "<span class=c>&lt;i&gt;The Met&lt;/i&gt; · CC0</span>" in page and "<i>" not in page
    assert "<span class=t>plain</span><span class=n>1 image</span></a>" in page  # no credit line
