"""Feature extraction on an accelerator: the model alone by batch size, and the whole pipeline.

    python bench/bench_features_gpu.py [--backend jax] [--batch-sizes 32 64 128 256] [--images 1024]

The project never needs a GPU: this script only measures what one gives. It sets
``KERAS_BACKEND`` before Keras is imported (``jax`` or ``torch``; on a machine whose JAX or
PyTorch sees a GPU, Keras places the model there) and prints, for each batch size, the model
alone on batches already in host memory, then :func:`extract_features` on the two image sets of
``bench_features.py`` with ``--workers`` decoding threads and the largest batch size.
"""

from __future__ import annotations

import argparse
import datetime
import os
import tempfile
import time

import numpy as np


def device_name(backend: str) -> str:
    """The accelerator Keras computes on, in words ("CPU" when there is none)."""
    if backend == "jax":
        import jax

        device = jax.devices()[0]
        return device.device_kind if device.platform != "cpu" else "CPU"
    import torch

    return torch.cuda.get_device_name() if torch.cuda.is_available() else "CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("jax", "torch"), default="jax")
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[32, 64, 128, 256])
    parser.add_argument("--images", type=int, default=1024, help="per set; a multiple of every batch size")
    parser.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 2) - 2))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ["KERAS_BACKEND"] = args.backend  # before anything imports Keras

    from bench_features import make_crops, make_photos, time_model, time_pipeline  # beside this script
    from machine import cpu_model
    from tsne_assets.core.features import get_extractor
    from tsne_assets.core.manifest import read_bytes

    extractor = get_extractor("efficientnet_lite0")
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, {device_name(args.backend)}, "
          f"{datetime.date.today().isoformat()}; Keras {args.backend} backend")
    with tempfile.TemporaryDirectory() as folder:
        sets = [make(tempfile.mkdtemp(dir=folder), args.images) for make in (make_crops, make_photos)]
        paths = sets[0][0]
        arrays = np.stack([extractor.preprocess(extractor.decode(read_bytes(p))) for p in paths])
        print(f"{'batch':>5} {'first call s':>12} {'model img/s (best of rounds)':>29}")
        for size in args.batch_sizes:
            batches = [arrays[i : i + size] for i in range(0, len(arrays), size)]
            start = time.perf_counter()
            extractor.embed(batches[0])  # compiles for this shape
            first = time.perf_counter() - start
            rates = [time_model(extractor, batches)[0] for _ in range(args.rounds)]
            print(f"{size:>5} {first:>12.2f} {max(rates):>29.1f}")
        size = max(args.batch_sizes)
        print(f"extract_features, batch {size}, {args.workers} decoding threads:")
        for set_paths, hashes, label in sets:
            rates = [time_pipeline(extractor, set_paths, hashes, size, folder, workers=args.workers)[0]
                     for _ in range(args.rounds)]
            print(f"  {label:<44} {max(rates):>8.1f} img/s (best of {args.rounds})")


if __name__ == "__main__":
    main()
