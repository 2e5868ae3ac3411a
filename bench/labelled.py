"""Labelled image sets for layout-quality benchmarks, as PCA-reduced CNN features.

``fashion_mnist(n)`` embeds the first ``n`` training photos of Fashion-MNIST (Debian's
``dataset-fashion-mnist``; labels: 10 clothing classes); ``met_sample()`` embeds the Met's
Greek and Roman photographs in ``../shared/data`` (labels: the object's ``classification``).
Features are EfficientNet-Lite0's, cached under ``~/.cache/tsne-assets-bench`` so that
repeated benchmarks embed once, and reduced per set to 256 principal components as the
pipeline does.
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import numpy as np
from PIL import Image
from tqdm import tqdm

from tsne_assets.core.features import get_extractor
from tsne_assets.core.images import open_rgb
from tsne_assets.core.reduce import pca_reduce

FASHION_MNIST = Path("/usr/share/datasets/fashion-mnist")
MET_SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "met-greek-roman"
CACHE = Path.home() / ".cache" / "tsne-assets-bench"
#: Fashion-MNIST photos embedded (and cached) once; smaller sets are their first rows.
FASHION_CACHED = 20_000


def _embed(images: list[Image.Image], batch_size: int = 64) -> np.ndarray:
    """Raw CNN features of ``images`` (N x 1280)."""
    extractor = get_extractor()
    vectors = []
    for start in tqdm(range(0, len(images), batch_size), desc="embedding", unit="batch"):
        batch = [extractor.preprocess(image) for image in images[start : start + batch_size]]
        vectors.append(extractor.embed(np.stack(batch)))
    return np.concatenate(vectors)


def _cached(name: str, compute) -> tuple[np.ndarray, np.ndarray]:
    path = CACHE / f"{name}.npz"
    if not path.exists():
        features, labels = compute()
        CACHE.mkdir(parents=True, exist_ok=True)
        np.savez(path, features=features, labels=labels)
    data = np.load(path)
    return data["features"], data["labels"]


def fashion_mnist(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``(features, labels)`` of the first ``n`` Fashion-MNIST training photos; the raw
    features of the first :data:`FASHION_CACHED` photos are cached once and sliced."""

    def compute():
        with gzip.open(FASHION_MNIST / "train-images-idx3-ubyte.gz") as file:
            pixels = np.frombuffer(file.read(), np.uint8, offset=16).reshape(-1, 28, 28)[:FASHION_CACHED]
        with gzip.open(FASHION_MNIST / "train-labels-idx1-ubyte.gz") as file:
            labels = np.frombuffer(file.read(), np.uint8, offset=8)[:FASHION_CACHED]
        images = [Image.fromarray(255 - p).convert("RGB") for p in pixels]
        return _embed(images), labels

    if not FASHION_MNIST.exists():
        raise SystemExit("Fashion-MNIST is missing: apt-get install dataset-fashion-mnist")
    if n > FASHION_CACHED:
        raise ValueError(f"at most {FASHION_CACHED:,} Fashion-MNIST photos are embedded, not {n:,}")
    features, labels = _cached(f"fashion-mnist-{FASHION_CACHED}", compute)
    return pca_reduce(features[:n]), labels[:n]


def met_sample() -> tuple[np.ndarray, np.ndarray]:
    """``(features, labels)`` of the Met sample's photographs, labelled by classification."""

    def compute():
        with open(MET_SAMPLE / "images.csv", newline="", encoding="utf-8") as file:
            rows = list(csv.DictReader(file))
        images = [open_rgb((MET_SAMPLE / row["filename"]).read_bytes()) for row in rows]
        classes = sorted({row["classification"] for row in rows})
        labels = np.array([classes.index(row["classification"]) for row in rows])
        return _embed(images), labels

    if not MET_SAMPLE.exists():
        raise SystemExit(f"the Met sample is missing: {MET_SAMPLE}")
    features, labels = _cached("met-greek-roman", compute)
    return pca_reduce(features), labels
