"""The explorer's build-time parts, through the command line on a real Dagster instance: the
collection's identity, the similar images and the clusters, as stored and as published."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import numpy as np
import pytest
from PIL import Image

from tsne_assets.cli import main
from tsne_assets.core.spec import CollectionSpec
from tsne_assets_tests.collections import jpeg_bytes

#: Three groups of ten images each: (title word, colour, pattern); images of a group differ by noise.
GROUPS = [("amphora", (200, 40, 40), "solid"), ("kylix", (40, 70, 210), "stripes"), ("krater", (40, 180, 60), "checks")]
PER_GROUP = 10
N_IMAGES = PER_GROUP * len(GROUPS)
IDENTITY = {"--name": "Stripes & <i>colours</i>", "--about": "Thirty patterns.\n\nThree kinds.",
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


def group_image(group: int, index: int) -> Image.Image:
    """An image of ``group``: its colour and pattern, with noise of its own."""
    _word, colour, pattern = GROUPS[group]
    y, x = np.mgrid[0:72, 0:96]
    shade = {"solid": np.ones_like(x), "stripes": (x // 8) % 2, "checks": (x // 12 + y // 12) % 2}[pattern]
    noise = np.random.default_rng(group * 100 + index).normal(0, 12, (72, 96, 1))
    pixels = np.asarray(colour)[None, None, :] * (0.55 + 0.45 * shade[..., None]) + noise
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8), mode="RGB")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """One command-line build of thirty images in three groups, titled by group."""
    base = tmp_path_factory.mktemp("explore")
    images = base / "source" / "images"
    images.mkdir(parents=True)
    table = base / "source" / "images.csv"
    with table.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["filename", "title", "pattern", "year"])
        for group, (word, _colour, pattern) in enumerate(GROUPS):
            for index in range(PER_GROUP):
                name = f"{word}-{index}.jpg"
                (images / name).write_bytes(jpeg_bytes(group_image(group, index)))
                writer.writerow([name, f"{pattern.title()} {word} {index}", pattern, "" if index == 0 else 1900 + index])
    home = base / "dagster_home"
    home.mkdir()
    root = base / "storage"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAGSTER_HOME", str(home))
        arguments = [part for option in IDENTITY.items() for part in option]
        code = main(["build", "--id", "explore", "--images", str(images), "--metadata", str(table),
                     "--facet", "pattern", "--facet", "year", "--tile", "32x24", "--root", str(root), *arguments])
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


def test_similar_images_are_computed_and_published_beside_the_metadata(built: Built) -> None:
    table = np.load(built.root / "assets" / "similar_images" / "explore.npy", allow_pickle=False)
    assert table.shape == (N_IMAGES, 12) and table.dtype == np.int32
    assert not (table == np.arange(N_IMAGES)[:, None]).any()
    document = built.published()
    assert document["similar"] == {"path": "similar.bin", "k": 12}
    site = built.root / "site" / "explore"
    version = json.loads((site / "current.json").read_text())["path"]
    assert (site / version / "similar.bin").read_bytes() == table.astype("<i4").tobytes()
    # Images of one group look most alike: each one's nine nearest are the rest of its group.
    groups = [name.split("-")[0] for name in document["items"]["id"]]
    assert all({groups[j] for j in table[i, : PER_GROUP - 1]} == {groups[i]} for i in range(N_IMAGES))
    metadata = built.materialization("similar_images")
    assert (metadata["k"].value, metadata["metric"].value) == (12, "cosine")


def test_clusters_are_the_groups_named_by_their_words_and_placed_on_the_grid(built: Built) -> None:
    stored = built.asset("clusters")
    clusters = stored["clusters"]
    document = built.published()
    assert document["clusters"] == clusters
    ids, cells, cols = document["items"]["id"], document["cells"], document["grid"]["cols"]
    # Every group is found (a tight group may split in two), and each cluster is named by the
    # word of its group and labelled on one of its group's images.
    words = {word for word, *_ in GROUPS}
    named = [set(" ".join(c["terms"]).split()) & words for c in clusters]
    assert all(len(n) == 1 for n in named) and set().union(*named) == words, [c["label"] for c in clusters]
    for cluster, (word,) in zip(clusters, named):
        group_cells = [cells.index(ids.index(f"{word}-{i}.jpg")) for i in range(PER_GROUP)]
        assert cluster["row"] * cols + cluster["col"] in group_cells
        col0, row0, col1, row1 = cluster["extent"]
        assert col0 <= cluster["col"] < col1 and row0 <= cluster["row"] < row1
    assert sum(c["size"] for c in clusters) + round(stored["noise_share"] * N_IMAGES) == N_IMAGES
    metadata = built.materialization("clusters")
    assert metadata["clusters"].value == len(clusters) and metadata["noise_share"].value == stored["noise_share"]


def test_facets_are_summarised_from_the_csv_and_published(built: Built) -> None:
    document = built.published()
    assert document["fields"] == ["pattern", "year"]  # a facet is a field too
    pattern, year = document["facets"]
    assert pattern == {"field": "pattern", "kind": "categorical", "missing": 0, "distinct": 3,
                       "values": ["checks", "solid", "stripes"], "counts": [PER_GROUP] * 3,
                       "codes": pattern["codes"]}
    assert [pattern["values"][c] for c in pattern["codes"]] == document["items"]["pattern"]
    assert year["kind"] == "numeric" and year["missing"] == len(GROUPS)
    assert (year["min"], year["max"]) == (1901, 1900 + PER_GROUP - 1)
    expected = [None if name.endswith("-0.jpg") else 1900 + int(name[:-4].split("-")[1]) for name in document["items"]["id"]]
    assert year["numbers"] == expected and sum(year["counts"]) == N_IMAGES - len(GROUPS)
    assert built.asset("facets")["facets"] == document["facets"]
