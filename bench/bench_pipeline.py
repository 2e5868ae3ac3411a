"""Time every stage of the pipeline, and its peak memory, for a few collection sizes.

Each stage runs in its own process, reading its inputs from the previous stage's files as the
Dagster assets do, so that the peak resident memory printed is that stage's own.

Images: Fashion-MNIST (Debian's ``dataset-fashion-mnist``: 70,000 real 28x28 photos) when
installed, otherwise synthetic patterns. Usage::

    python bench/bench_pipeline.py --sizes 1000 5000 20000 [--workdir /tmp/bench]

``--from-features`` measures everything after the features at scale (100,000 images and more):
the features are a synthetic mixture of 200 Gaussian clusters in 1,280 dimensions (the size of
EfficientNet-Lite0's), and the images are 500 distinct synthetic 640x480 JPEGs, each listed
N / 500 times (every listing is still read, decoded and resized on its own), so that no
minutes go to embedding images whose content does not change the later stages' cost.
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from machine import machine_line  # bench/machine.py, beside this script

if TYPE_CHECKING:
    import pandas as pd

FASHION_MNIST = Path("/usr/share/datasets/fashion-mnist")
STAGES = [
    "manifest", "features", "pca", "feature_neighbours", "tsne", "grid", "similar_images", "clusters", "tiles", "viewer_metadata", "site",
]
AFTER_FEATURES = STAGES[2:]


def load_images(n: int) -> tuple[np.ndarray, np.ndarray, str]:
    """``n`` greyscale images with labels, and the name of where they came from."""
    images_file = FASHION_MNIST / "train-images-idx3-ubyte.gz"
    if images_file.exists():
        with gzip.open(images_file) as file:
            images = np.frombuffer(file.read(), np.uint8, offset=16).reshape(-1, 28, 28)
        with gzip.open(FASHION_MNIST / "train-labels-idx1-ubyte.gz") as file:
            labels = np.frombuffer(file.read(), np.uint8, offset=8)
        if n > len(images):
            raise SystemExit(f"Fashion-MNIST's training set has {len(images)} images, fewer than {n}")
        return images[:n], labels[:n], "Fashion-MNIST"
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, n)
    y, x = np.mgrid[0:28, 0:28]
    images = np.stack([((x * (1 + label % 4) + y * (label // 4)) % 9 < 4) * 200 + rng.integers(0, 50, (28, 28))
                       for label in labels]).astype(np.uint8)
    return images, labels, "synthetic patterns"


def write_collection(folder: Path, n: int) -> str:
    from PIL import Image

    images, labels, origin = load_images(n)
    for index, (pixels, label) in enumerate(zip(images, labels)):
        path = folder / "images" / f"batch {index // 1000:03d}" / f"item_{index:06d}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(255 - pixels).save(path)
    rows = [f"item_{index:06d}.png,Item {index},https://example.org/{index},{label}" for index, label in enumerate(labels)]
    (folder / "metadata.csv").write_text("filename,title,url,label\n" + "\n".join(rows) + "\n")
    np.save(folder / "labels.npy", labels)
    return origin


def run_stage(stage: str, folder: Path) -> None:
    """One stage, from the files of the stages before it."""
    import pandas as pd

    if stage == "manifest":
        from tsne_assets.core.manifest import build_manifest, resolve_source

        build_manifest(resolve_source(str(folder / "images"))).to_parquet(folder / "manifest.parquet")
    elif stage == "features":
        from tsne_assets.core.features import extract_features, get_extractor

        manifest = pd.read_parquet(folder / "manifest.parquet")
        result = extract_features(manifest["path"].tolist(), manifest["sha256"].tolist(), get_extractor("efficientnet_lite0"))
        np.save(folder / "features.npy", result.features)
    elif stage == "pca":
        from tsne_assets.core.reduce import pca_reduce

        np.save(folder / "pca.npy", pca_reduce(np.load(folder / "features.npy")))
    elif stage == "feature_neighbours":
        from tsne_assets.core.layout import DEFAULT_PERPLEXITY
        from tsne_assets.core.neighbours import feature_neighbours

        pca = np.load(folder / "pca.npy", mmap_mode="r")  # as the numpy IO manager hands it to the asset
        np.save(folder / "neighbours.npy", feature_neighbours(pca, perplexity=DEFAULT_PERPLEXITY))
    elif stage == "tsne":
        from tsne_assets.core.layout import tsne_layout

        neighbours = np.load(folder / "neighbours.npy", mmap_mode="r")
        np.save(folder / "tsne.npy", tsne_layout(np.load(folder / "pca.npy"), neighbours=neighbours))
    elif stage == "grid":
        from tsne_assets.core.grid import auto_headroom, snap_to_grid

        layout = np.load(folder / "tsne.npy")
        cells, cols, rows = snap_to_grid(layout, auto_headroom(len(layout)))
        np.save(folder / "cells.npy", cells)
        (folder / "grid.json").write_text(json.dumps([cols, rows]))
    elif stage == "similar_images":
        from tsne_assets.core.similar import most_similar, similar_bytes

        pca = np.load(folder / "pca.npy", mmap_mode="r")
        candidates = np.load(folder / "neighbours.npy", mmap_mode="r")["index"]
        (folder / "similar.bin").write_bytes(similar_bytes(most_similar(pca, candidates)))
    elif stage == "clusters":
        from tsne_assets.core import clusters

        layout, columns, records = np.load(folder / "tsne.npy"), ("title", "label"), joined_records(folder)
        groups = clusters.find_groups(layout, clusters.min_cluster_size(len(layout)))
        shared = clusters.shared_values(records, columns, groups)
        found = clusters.describe_clusters(groups, np.load(folder / "cells.npy"), grid_of(folder)[0],
                                           clusters.image_texts(records, columns), shared)
        document = {"clusters": clusters.clusters_document(found), "codes": clusters.listed_codes(groups).tolist()}
        (folder / "clusters.json").write_text(json.dumps(document))
    elif stage == "tiles":
        from tsne_assets.core.mosaic import build_deep_zoom

        cells = np.load(folder / "cells.npy")
        manifest = pd.read_parquet(folder / "manifest.parquet")
        build_deep_zoom(manifest["path"].tolist(), cells, *grid_of(folder), folder / "dzi")
    elif stage == "site":
        from tsne_assets.core.site import publish_site

        document = json.loads((folder / "metadata.json").read_text())
        publish_site(folder / "site", version="bench", tiles_dir=folder / "dzi", metadata=document)
    elif stage == "viewer_metadata":
        from tsne_assets.core.viewer_data import viewer_metadata

        cells = np.load(folder / "cells.npy")
        cols, rows = grid_of(folder)
        document = viewer_metadata("bench", joined_records(folder), cells, cols=cols, rows=rows, cell_size=(128, 128), fields=["label"])
        (folder / "metadata.json").write_text(json.dumps(document, separators=(",", ":")))


def joined_records(folder: Path) -> pd.DataFrame:
    """The metadata CSV's row of each image of the manifest, as the ``collection_metadata``
    asset joins them."""
    import pandas as pd
    from tsne_assets.core.metadata import join_metadata
    from tsne_assets.core.metadata_csv import read_metadata_csv

    manifest = pd.read_parquet(folder / "manifest.parquet")
    table = read_metadata_csv((folder / "metadata.csv").read_bytes()).table
    return join_metadata(manifest["id"].tolist(), table, fields=["label"]).records


def grid_of(folder: Path) -> tuple[int, int]:
    """``(cols, rows)`` the grid stage chose."""
    cols, rows = json.loads((folder / "grid.json").read_text())
    return cols, rows


def write_after_features(folder: Path, n: int, clusters: int = 200, dim: int = 1280) -> str:
    """Synthetic features, images and metadata of ``n`` images (see ``--from-features``)."""
    import pandas as pd
    from bench_mosaic import synthetic_jpegs  # bench/bench_mosaic.py, beside this script

    rng = np.random.default_rng(0)
    labels = rng.integers(0, clusters, n)
    centres = rng.normal(size=(clusters, dim)).astype(np.float32) * 3
    # Written in chunks straight to the file: the stages are forked from this process, and on
    # Linux a child starts with its parent's peak resident memory, which would mask theirs.
    features = np.lib.format.open_memmap(folder / "features.npy", mode="w+", dtype=np.float32, shape=(n, dim))
    for start in range(0, n, 10_000):
        part = labels[start : start + 10_000]
        features[start : start + len(part)] = centres[part] + rng.normal(size=(len(part), dim)).astype(np.float32)
    features.flush()
    del features
    np.save(folder / "labels.npy", labels)
    sources = synthetic_jpegs(folder / "sources")
    ids = [f"item_{index:07d}.jpg" for index in range(n)]
    pd.DataFrame(
        {"id": ids, "path": [sources[i % len(sources)] for i in range(n)], "sha256": [f"{i:064x}" for i in range(n)]}
    ).to_parquet(folder / "manifest.parquet")
    rows = [f"{name},Item {index},https://example.org/{index},{label}" for index, (name, label) in enumerate(zip(ids, labels))]
    (folder / "metadata.csv").write_text("filename,title,url,label\n" + "\n".join(rows) + "\n")
    return f"{clusters} synthetic clusters, 500 synthetic 640x480 JPEGs"


def measure(stage: str, folder: Path) -> tuple[float, float]:
    """Seconds and peak resident memory (MiB) of one stage run in a fresh process."""
    start = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, __file__, "--stage", stage, "--workdir", str(folder)], capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if completed.returncode != 0:
        raise SystemExit(f"stage {stage} failed:\n{completed.stderr[-3000:]}")
    return seconds, float(completed.stdout.strip().splitlines()[-1])


def label_agreement(folder: Path) -> tuple[float, float]:
    """Share of each image's 10 nearest neighbours with its label, in the t-SNE layout and on the
    grid (tied grid cells sharing places)."""
    from tsne_assets.core.quality import grid_label_purity, label_purity

    labels = np.load(folder / "labels.npy")
    cols, _ = grid_of(folder)
    return label_purity(np.load(folder / "tsne.npy"), labels), grid_label_purity(np.load(folder / "cells.npy"), cols, labels)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--from-features", action="store_true", help="only the stages after the features, at scale")
    parser.add_argument("--stage", choices=STAGES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        run_stage(args.stage, args.workdir)
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        return

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="tsne-bench-"))
    print(f"machine: {machine_line()}, Python {platform.python_version()}")
    print(f"{'N':>7} {'stage':<18} {'seconds':>9} {'peak MiB':>9}")
    for n in args.sizes:
        folder = workdir / f"n{n}"
        folder.mkdir(parents=True, exist_ok=True)
        origin = write_after_features(folder, n) if args.from_features else write_collection(folder, n)
        total = 0.0
        for stage in AFTER_FEATURES if args.from_features else STAGES:
            seconds, peak = measure(stage, folder)
            total += seconds
            print(f"{n:>7} {stage:<18} {seconds:>9.1f} {peak:>9.0f}", flush=True)
        layout_score, grid_score = label_agreement(folder)
        print(f"{n:>7} {'total':<18} {total:>9.1f}    ({origin}; same-label share of 10 nearest: "
              f"t-SNE {layout_score:.3f}, grid {grid_score:.3f})", flush=True)


if __name__ == "__main__":
    main()
