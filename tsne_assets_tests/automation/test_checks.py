"""The output checks (core.checks) find what they name, and the build runs them."""

import json

import numpy as np
import pandas as pd

from tsne_assets.core.checks import grid_problems, published_site_problems, viewer_metadata_problems
from tsne_assets.core.spec import CollectionSpec
from tsne_assets.core.viewer_data import viewer_metadata
from tsne_assets.defs.build import build_collection
from tsne_assets_tests.collections import write_images

GRID = {"cols": 2, "rows": 2, "cells": [3, 0, 1]}


def document():
    records = pd.DataFrame({"id": ["a", "b", "c"], "title": ["A", "B", "C"], "url": ["", "", ""]})
    return viewer_metadata("c", records, np.array(GRID["cells"]), cols=2, rows=2, cell_size=(8, 8))


def test_grid_problems():
    assert grid_problems(GRID, 3) == []
    assert grid_problems({**GRID, "cells": [3, 3, 7]}, 4) == [
        "3 images placed, but the manifest has 4 readable images",
        "cells outside the 2x2 grid: 7",
        "cells holding more than one image: 3",
    ]


def test_viewer_metadata_problems():
    assert viewer_metadata_problems(document(), GRID, (8, 8)) == []
    broken = document()
    broken["cells"][0], broken["cells"][3] = broken["cells"][3], broken["cells"][0]
    broken["items"]["title"].pop()
    assert viewer_metadata_problems(broken, GRID, (8, 16)) == [
        "grid is {'cols': 2, 'rows': 2, 'cell_width': 8, 'cell_height': 8}, "
        "expected {'cols': 2, 'rows': 2, 'cell_width': 8, 'cell_height': 16}",
        "image is 16x16, expected 16x32",
        "cells that differ from the grid: 0, 3",
        "items.title has 2 values, expected one per placed image (3)",
    ]


def test_the_build_runs_every_check_and_the_site_check_finds_damage(tmp_path, instance):
    write_images(tmp_path / "images", range(3))
    spec = CollectionSpec(id="birds", images=str(tmp_path / "images"))
    root = tmp_path / "storage"
    result = build_collection(spec, root=str(root), instance=instance)
    checks = {e.asset_check_key.name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks == {
        "every_image_placed_once": True,
        "deep_zoom_pyramid_complete": True,
        "viewer_metadata_matches_grid": True,
        "published_version_serves": True,
    }
    site, metadata = root / "site" / "birds", json.loads((root / "assets" / "viewer_metadata" / "birds.json").read_text())
    assert published_site_problems(site, result.run_id, metadata) == []
    assert published_site_problems(site, "other", metadata) == [f"the pointer names version {result.run_id!r}, not 'other'"]
    (site / "versions" / result.run_id / "metadata.json").unlink()
    assert published_site_problems(site, result.run_id, metadata) == ["metadata.json is missing"]
