"""The explorer's build-time parts, through the command line on a real Dagster instance: the
collection's identity, the similar images and the clusters, as stored and as published."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from tsne_assets.cli import main
from tsne_assets.core.spec import CollectionSpec
from tsne_assets_tests.collections import PALETTE, write_images

COLOURS = ["red", "green", "blue", "yellow", "purple", "cyan", "orange", "grey", "black", "white"]
N_IMAGES = 30
IDENTITY = {"--name": "Stripes & <i>colours</i>", "--about": "Thirty patterns.\n\nTen colours.",
            "--credit": "The test suite", "--license": "CC0"}


@dataclass(frozen=True)
class Built:
    root: Path
    home: Path
    source: Path

    def asset(self, name: str) -> dict:
        return json.loads((self.root / "assets" / name / "explore.json").read_text())

    def published(self) -> dict:
        site = self.root / "site" / "explore"
        pointer = json.loads((site / "current.json").read_text())
        return json.loads((site / pointer["path"] / "metadata.json").read_text())

    def materialization(self, asset: str) -> dict:
        with dg.DagsterInstance.from_config(str(self.home)) as instance:
            event = instance.get_latest_materialization_event(dg.AssetKey(asset))
            return dict(event.asset_materialization.metadata)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """One command-line build of thirty pattern images (ten colours, three patterns each)."""
    base = tmp_path_factory.mktemp("explore")
    images = base / "source" / "images"
    write_images(images, range(N_IMAGES))
    table = base / "source" / "images.csv"
    with table.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["filename", "title", "colour"])
        for index in range(N_IMAGES):
            colour = COLOURS[index % len(PALETTE)]
            writer.writerow([f"{index}.jpg", f"{colour.title()} stripes {index}", colour])
    home = base / "dagster_home"
    home.mkdir()
    root = base / "storage"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAGSTER_HOME", str(home))
        arguments = [part for option in IDENTITY.items() for part in option]
        code = main(["build", "--id", "explore", "--images", str(images), "--metadata", str(table),
                     "--field", "colour", "--tile", "32x24", "--root", str(root), *arguments])
    assert code == 0
    yield Built(root, home, base / "source")


def test_build_options_name_the_collection_in_its_spec_and_published_metadata(built: Built) -> None:
    spec = CollectionSpec.from_dict(built.asset("collection_spec"))
    assert (spec.name, spec.about, spec.credit, spec.license) == tuple(IDENTITY.values())
    document = built.published()
    assert {key: document[key] for key in ("title", "about", "credit", "license")} == dict(
        zip(("title", "about", "credit", "license"), IDENTITY.values())
    )
    assert built.materialization("viewer_metadata")["name"].value == IDENTITY["--name"]
