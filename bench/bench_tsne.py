"""t-SNE: quality against iterations, and speed against openTSNE's own defaults.

    python bench/bench_tsne.py [--curve 5000 20000] [--speed 10000 20000] [--seeds 0 1 2]

Data: EfficientNet-Lite0 features of Fashion-MNIST photos, 256 principal components (see
``bench/labelled.py``). The curve runs openTSNE's two phases (250 early-exaggeration
iterations, then up to 1,000 more) and measures every 50 iterations of the second phase:
KL divergence, 10-NN label purity (share of each image's 10 nearest layout neighbours with its
label) and neighbour preservation (share of its 10 nearest feature neighbours kept, on 2,000
sampled images). The speed table times :func:`tsne_layout` as the pipeline calls it against
``openTSNE.TSNE()`` with its defaults, one process, same data.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import openTSNE

from labelled import fashion_mnist  # bench/labelled.py, beside this script
from machine import machine_line
from tsne_assets.core.layout import DEFAULT_ITERATIONS, tsne_layout
from tsne_assets.core.quality import label_purity, layout_preservation

CHECKPOINTS = range(50, 1001, 50)


def curve(n: int, seed: int) -> dict[int, tuple[float, float, float]]:
    """``{iteration: (KL, purity, preservation)}`` over the second phase."""
    features, labels = fashion_mnist(n)
    points: dict[int, tuple[float, float, float]] = {}
    affinities = openTSNE.affinity.PerplexityBasedNN(features, perplexity=30, n_jobs=os.cpu_count(), random_state=seed)
    init = openTSNE.initialization.pca(features, random_state=seed)
    embedding = openTSNE.TSNEEmbedding(init, affinities, n_jobs=os.cpu_count(), random_state=seed)
    embedding = embedding.optimize(250, exaggeration=12, momentum=0.5)
    done = 0
    for target in CHECKPOINTS:
        embedding = embedding.optimize(target - done, momentum=0.8)
        done = target
        xy = np.asarray(embedding)
        points[target] = (
            float(embedding.kl_divergence),
            label_purity(xy, labels),
            layout_preservation(features, xy, sample=2000, seed=seed),
        )
    return points


def timed(function) -> tuple[float, np.ndarray]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, np.asarray(result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--curve", type=int, nargs="*", default=[5000, 20000])
    parser.add_argument("--speed", type=int, nargs="*", default=[10000, 20000])
    parser.add_argument("--seeds", type=int, nargs="*", default=[0, 1, 2])
    args = parser.parse_args()
    print(f"machine: {machine_line()}, load average {os.getloadavg()[0]:.1f} at start")

    for n in args.curve:
        runs = [curve(n, seed) for seed in args.seeds]
        print(f"\nFashion-MNIST N={n:,}, seeds {args.seeds}: mean (min-max) after 250 exaggerated iterations")
        print("| iterations after exaggeration | KL divergence | 10-NN label purity | neighbour preservation |")
        print("|---:|---:|---:|---:|")
        for it in CHECKPOINTS:
            cols = []
            for measure in range(3):
                values = [run[it][measure] for run in runs]
                cols.append(f"{np.mean(values):.3f} ({min(values):.3f}-{max(values):.3f})")
            print(f"| {it} | " + " | ".join(cols) + " |")

    print("\n| N | run | seconds | 10-NN label purity | neighbour preservation |")
    print("|---:|---|---:|---:|---:|")
    for n in args.speed:
        features, labels = fashion_mnist(n)
        runs = {
            "openTSNE defaults (1 thread)": lambda: openTSNE.TSNE(random_state=0).fit(features),
            f"openTSNE defaults, n_jobs={os.cpu_count()}": lambda: openTSNE.TSNE(random_state=0, n_jobs=-1).fit(features),
            "tsne_layout before (BH/auto, 1 thread, 750 iterations)": lambda: tsne_layout(
                features, n_jobs=1, n_iter=750, negative_gradient_method="auto"
            ),
            f"tsne_layout defaults ({DEFAULT_ITERATIONS} iterations, every core)": lambda: tsne_layout(features),
        }
        for name, run in runs.items():
            seconds, xy = timed(run)
            purity = label_purity(xy, labels)
            kept = layout_preservation(features, xy, sample=2000)
            print(f"| {n:,} | {name} | {seconds:.1f} | {purity:.3f} | {kept:.3f} |", flush=True)


if __name__ == "__main__":
    main()
