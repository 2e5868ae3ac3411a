"""Feature-extraction throughput: decoding, inference, and the overlapped pipeline.

    python bench/bench_features.py [--images 320] [--batch-size 32] [--model efficientnet_lite0]

Images are random crops (JPEG, 300-900 px) of the photos shipped with scikit-image and
scikit-learn, written to a temporary folder; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import tempfile
import time

import numpy as np
from PIL import Image

from tsne_assets.core.features import extract_features, get_extractor
from tsne_assets.core.features.extract import default_workers
from tsne_assets.core.images import open_rgb
from machine import machine_line  # bench/machine.py, beside this script


def make_images(folder: str, count: int, seed: int = 0) -> tuple[list[str], list[str]]:
    from skimage import data
    from sklearn.datasets import load_sample_images

    photos = [data.chelsea(), data.coffee(), data.astronaut(), data.rocket(), *load_sample_images().images]
    rng = np.random.default_rng(seed)
    paths, hashes = [], []
    for i in range(count):
        photo = photos[i % len(photos)]
        h = int(rng.integers(min(300, photo.shape[0]) // 2, photo.shape[0] + 1))
        w = int(rng.integers(min(300, photo.shape[1]) // 2, photo.shape[1] + 1))
        top, left = int(rng.integers(0, photo.shape[0] - h + 1)), int(rng.integers(0, photo.shape[1] - w + 1))
        image = Image.fromarray(photo[top : top + h, left : left + w])
        scale = rng.uniform(300, 900) / max(h, w)
        image = image.resize((max(1, round(w * scale)), max(1, round(h * scale))))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=90)
        path = os.path.join(folder, f"{i:05d}.jpg")
        with open(path, "wb") as handle:
            handle.write(buffer.getvalue())
        paths.append(path)
        hashes.append(hashlib.sha256(buffer.getvalue()).hexdigest())
    return paths, hashes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=320)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--model", default="efficientnet_lite0")
    args = parser.parse_args()

    extractor = get_extractor(args.model)
    with tempfile.TemporaryDirectory() as folder:
        paths, hashes = make_images(folder, args.images)
        n = len(paths)
        rows = []

        start = time.perf_counter()
        extractor.embed(np.zeros((args.batch_size, *extractor.input_size, 3), np.float32))
        load_s = time.perf_counter() - start

        start = time.perf_counter()
        arrays = [extractor.preprocess(open_rgb(p)) for p in paths]
        rows.append(("decode + preprocess, 1 thread", n / (time.perf_counter() - start)))

        batch = np.stack(arrays)
        start = time.perf_counter()
        for i in range(0, n, args.batch_size):
            extractor.embed(batch[i : i + args.batch_size])
        rows.append((f"embed only, batch {args.batch_size}", n / (time.perf_counter() - start)))

        for workers in sorted({1, 2, default_workers()}):
            start = time.perf_counter()
            result = extract_features(paths, hashes, extractor, batch_size=args.batch_size, workers=workers)
            default = " (default)" if workers == default_workers() else ""
            label = f"extract_features, workers={workers}{default}"
            rows.append((label, n / (time.perf_counter() - start)))
            assert result.computed == n and not result.failed

    print(f"machine: {machine_line()}, load average {os.getloadavg()[0]:.1f} at start")
    print(f"{args.model}: {n} JPEGs (300-900 px), model build + first batch {load_s:.1f} s")
    print(f"{'stage':<36} {'images/s':>9}")
    for label, rate in rows:
        print(f"{label:<36} {rate:>9.1f}")


if __name__ == "__main__":
    main()
