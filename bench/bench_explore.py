"""The explorer's build-time steps at scale: similar images, clusters and their published size.

    python bench/bench_explore.py [--sizes 10000 100000] [--threads -1] [--fashion-mnist 20000]

Data: synthetic, seeded: ``n`` 256-dimensional feature vectors (the PCA output's width) in 20
Gaussian classes, and a 2-D layout of 20 round groups with 2 % uniform background, standing in
for the t-SNE output; each image's text is its class word and a shared word. Times are wall
seconds of one call as the assets make it (``--threads`` for the neighbour search: -1, the
asset's default, for every core), one run each: "neighbours s" is the search the t-SNE and the
similar images share (``feature_neighbours``), "similar s" the ranking among them. "recall" is
the share of each image's exact 12 most similar (cosine, over every image) that the table lists,
over 1,000 sampled images. Sizes: the published ``similar.bin`` raw and gzipped (level 6, as a
web server would).
"""

from __future__ import annotations

import argparse
import gzip
import json
import time

import numpy as np

from machine import machine_line
from tsne_assets.core.clusters import clusters_document, describe_clusters, find_groups
from tsne_assets.core.layout import DEFAULT_PERPLEXITY
from tsne_assets.core.neighbours import feature_neighbours
from tsne_assets.core.similar import most_similar, similar_bytes

CLASSES = 20


def data(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, layout and class of ``n`` images."""
    rng = np.random.default_rng(seed)
    classes = rng.integers(0, CLASSES, n)
    features = rng.normal(0, 3, (CLASSES, 256))[classes] + rng.normal(0, 1, (n, 256))
    centres = rng.uniform(-100, 100, (CLASSES, 2))
    layout = centres[classes] + rng.normal(0, 4, (n, 2))
    background = rng.random(n) < 0.02
    layout[background] = rng.uniform(-110, 110, (int(background.sum()), 2))
    return features, layout, classes


def row(n: int, threads: int) -> list[str]:
    features, layout, classes = data(n)
    start = time.perf_counter()
    neighbours = feature_neighbours(features, perplexity=DEFAULT_PERPLEXITY, n_jobs=threads)
    neighbours_s = time.perf_counter() - start
    start = time.perf_counter()
    table = most_similar(features, neighbours["index"])
    similar_s = time.perf_counter() - start
    purity = float(np.mean(classes[table] == classes[:, None]))
    raw = similar_bytes(table)

    start = time.perf_counter()
    groups = find_groups(layout)
    hdbscan_s = time.perf_counter() - start
    texts = [f"class{chr(97 + c)} object" for c in classes]
    cells = np.random.default_rng(1).permutation(n)
    start = time.perf_counter()
    clusters = describe_clusters(groups, cells, int(np.ceil(np.sqrt(n))), texts)
    naming_s = time.perf_counter() - start
    labels = json.dumps(clusters_document(clusters), separators=(",", ":")).encode()
    return [
        f"{n:,}", f"{neighbours_s:.1f}", f"{similar_s:.1f}", f"{recall(features, table):.3f}", f"{purity:.3f}", f"{len(raw) / 1e6:.2f}", f"{len(gzip.compress(raw, 6)) / 1e6:.2f}",
        f"{hdbscan_s:.1f}", f"{naming_s:.1f}", str(len(clusters)), f"{np.mean(groups < 0):.3f}", f"{len(gzip.compress(labels)) / 1e3:.1f}",
    ]


def exact_most_similar(features: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` most similar images (cosine, every image, brute force) of each image in
    ``queries``, in blocks of 1,000 queries."""
    unit = features / np.linalg.norm(features, axis=1, keepdims=True)
    found = []
    for start in range(0, len(queries), 1_000):
        block = queries[start : start + 1_000]
        cosine = unit[block] @ unit.T
        cosine[np.arange(len(block)), block] = -np.inf
        found.append(np.argsort(-cosine, axis=1)[:, :k])
    return np.concatenate(found)


def shared(exact: np.ndarray, listed: np.ndarray) -> float:
    """The mean share of each row of ``exact`` that the same row of ``listed`` holds."""
    return float(np.mean([len(set(a) & set(b)) / exact.shape[1] for a, b in zip(exact, listed)]))


def recall(features: np.ndarray, table: np.ndarray, sample: int = 1_000) -> float:
    """Share of the exact most similar images of ``sample`` images that ``table`` lists."""
    queries = np.random.default_rng(0).choice(len(features), min(sample, len(features)), replace=False)
    return shared(exact_most_similar(features, queries, table.shape[1]), table[queries])


def candidates_on_fashion_mnist(n: int, threads: int) -> None:
    """Prints how much of the exact 12 most similar (cosine, every image) the ranking keeps among
    each image's first ``k`` neighbours of the build's search, on Fashion-MNIST's CNN features
    (bench/labelled.py: embedded once and cached)."""
    from labelled import fashion_mnist  # bench/labelled.py, beside this script
    from tsne_assets.core.reduce import pca_reduce

    features, labels = fashion_mnist(n)
    vectors = pca_reduce(features, seed=0)
    neighbours = feature_neighbours(vectors, perplexity=DEFAULT_PERPLEXITY, n_jobs=threads)["index"]
    exact = exact_most_similar(vectors, np.arange(len(vectors)), 12)
    print(f"\nFashion-MNIST, {n:,} images, 12 similar images each; exact: same class {np.mean(labels[exact] == labels[:, None]):.4f}")
    print("| candidates | recall | same class |\n|---:|---:|---:|")
    for k in (30, 45, 90):
        table = most_similar(vectors, neighbours[:, :k])
        print(f"| {k} | {shared(exact, table):.4f} | {np.mean(labels[table] == labels[:, None]):.4f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--threads", type=int, default=-1)
    parser.add_argument("--fashion-mnist", type=int, default=0, metavar="N",
                        help="also measure the similar images' recall on the first N Fashion-MNIST photos")
    args = parser.parse_args()
    print(machine_line())
    header = ["images", "neighbours s", "similar s", "recall", "same class", "similar.bin MB", "gzipped MB", "HDBSCAN s", "naming s",
              "clusters", "noise", "labels kB gz"]
    print("| " + " | ".join(header) + " |\n|" + "---:|" * len(header))
    for n in args.sizes:
        print("| " + " | ".join(row(n, args.threads)) + " |", flush=True)
    if args.fashion_mnist:
        candidates_on_fashion_mnist(args.fashion_mnist, args.threads)


if __name__ == "__main__":
    main()
