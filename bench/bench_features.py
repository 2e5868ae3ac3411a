"""Feature-extraction throughput: the model alone against the pipeline the ``features`` asset runs.

    python bench/bench_features.py [--images 320] [--batch-size 32] [--repeats 3] [--model efficientnet_lite0]
    python bench/bench_features.py --opencv [--images 320 ...]
    python bench/bench_features.py --fidelity

Two sets of JPEGs, written to a temporary folder (nothing is downloaded):

- "crops": random crops (300-900 px) of the photos that scikit-image and scikit-learn ship;
- "1,000-px photos": the Met photos in ``../shared/data/met-greek-roman`` when that folder
  exists, else the scikit-image and scikit-learn photos, cropped and upscaled, saved at 1,000 px
  on their longer side (quality 90).

For each set the script times, in turns (``--repeats`` rounds, so that a change in the
machine's load hits both alike): the model alone on batches already in memory ("model"), and
:func:`extract_features` as the asset calls it, reading files through fsspec and writing every
vector to a fresh :class:`FeatureCache` ("pipeline"). The ratio pipeline/model is printed per
round, in wall-clock speed and in CPU time per image (which other jobs on the machine disturb
far less); decoding + preprocessing on one thread is timed once, for the record.

``--opencv`` runs every set twice, with the extractor's resize (Pillow's antialiased bicubic)
and with OpenCV's pixel-area resize (``cv2.resize``, ``INTER_AREA``, SIMD) of the same centre
crop in its place (EfficientNet-Lite0 only; needs ``opencv-python-headless``, in the ``bench``
extra). ``--fidelity`` compares the two on the distinct Met photos: the cosine of each photo's
features, and how often the ImageNet top-1 class agrees; the cosine between different photos
is printed for scale.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import io
import os
import statistics
import tempfile
import time

import numpy as np
from PIL import Image

from tsne_assets.core.features import FeatureCache, efficientnet_lite, extract_features, get_extractor
from tsne_assets.core.manifest import read_bytes
from machine import machine_line  # bench/machine.py, beside this script

#: The Met photos (about 1,024 px, JPEG) of the shared data folder, when it is there.
MET_FOLDER = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "met-greek-roman")


def _bundled_photos() -> list[np.ndarray]:
    from skimage import data
    from sklearn.datasets import load_sample_images

    return [data.chelsea(), data.coffee(), data.astronaut(), data.rocket(), *load_sample_images().images]


def _save(folder: str, index: int, image: Image.Image) -> tuple[str, str]:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    path = os.path.join(folder, f"{index:05d}.jpg")
    with open(path, "wb") as handle:
        handle.write(buffer.getvalue())
    return path, hashlib.sha256(buffer.getvalue()).hexdigest()


def _random_crop(photo: np.ndarray, rng: np.random.Generator, smallest: int, share: float = 1.0) -> Image.Image:
    """A random crop of ``photo``: each side from half of ``smallest`` (or of the photo's side)
    up to ``share`` of the photo's side."""
    h = int(rng.integers(min(smallest, photo.shape[0]) // 2, share * photo.shape[0] + 1))
    w = int(rng.integers(min(smallest, photo.shape[1]) // 2, share * photo.shape[1] + 1))
    top, left = int(rng.integers(0, photo.shape[0] - h + 1)), int(rng.integers(0, photo.shape[1] - w + 1))
    return Image.fromarray(photo[top : top + h, left : left + w])


def make_crops(folder: str, count: int, seed: int = 0) -> tuple[list[str], list[str], str]:
    """``count`` JPEG crops of 300-900 px (longer side): paths, content hashes and a description."""
    photos, rng = _bundled_photos(), np.random.default_rng(seed)
    files = []
    for i in range(count):
        image = _random_crop(photos[i % len(photos)], rng, 300)
        scale = rng.uniform(300, 900) / max(image.size)
        files.append(_save(folder, i, image.resize((max(1, round(image.width * scale)),
                                                     max(1, round(image.height * scale))))))
    return [p for p, _ in files], [h for _, h in files], "crops of 300-900 px"


def make_photos(folder: str, count: int, seed: int = 0) -> tuple[list[str], list[str], str]:
    """``count`` distinct JPEG photos of 1,000 px (longer side): the Met photos if present (see
    :data:`MET_FOLDER`; each reused photo is a different crop), else the bundled ones upscaled."""
    unique = distinct_met_photos()
    if unique:
        photos, origin = [np.asarray(Image.open(p).convert("RGB")) for p in unique], f"{len(unique)} Met photos"
    else:
        photos, origin = _bundled_photos(), "scikit-image/scikit-learn photos"
    rng = np.random.default_rng(seed)
    files = []
    for i in range(count):
        photo = photos[i % len(photos)]
        # The first use of a photo is whole; later ones are crops of half to 90% of it.
        image = Image.fromarray(photo) if i < len(photos) else _random_crop(photo, rng, max(photo.shape), 0.9)
        scale = 1000 / max(image.size)
        files.append(_save(folder, i, image.resize((round(image.width * scale), round(image.height * scale)),
                                                   Image.Resampling.BICUBIC)))
    return [p for p, _ in files], [h for _, h in files], f"1,000-px photos ({origin})"


def time_model(extractor, batches: list[np.ndarray]) -> tuple[float, float]:
    """``extractor.embed`` over batches already in memory: images per second, and CPU
    milliseconds per image (all threads of this process)."""
    start, cpu = time.perf_counter(), time.process_time()
    for batch in batches:
        extractor.embed(batch)
    count = sum(map(len, batches))
    return count / (time.perf_counter() - start), 1000 * (time.process_time() - cpu) / count


def time_pipeline(extractor, paths: list[str], hashes: list[str], batch_size: int, folder: str,
                  workers: int | None = None) -> tuple[float, float]:
    """:func:`extract_features` as the ``features`` asset calls it, with a fresh cache in
    ``folder``: images per second, and CPU milliseconds per image."""
    start, cpu = time.perf_counter(), time.process_time()
    result = extract_features(paths, hashes, extractor, batch_size=batch_size, read=read_bytes,
                              cache=FeatureCache(tempfile.mkdtemp(dir=folder)), workers=workers)
    rate, cpu_ms = len(paths) / (time.perf_counter() - start), 1000 * (time.process_time() - cpu) / len(paths)
    assert result.computed == len(paths) and not result.failed
    return rate, cpu_ms


def bench_set(extractor, paths, hashes, batch_size: int, repeats: int, folder: str) -> dict[str, object]:
    """Decoding once, then ``repeats`` rounds of (model, pipeline), each a pair of
    :func:`time_model` and :func:`time_pipeline` results."""
    start = time.perf_counter()
    arrays = [extractor.preprocess(extractor.decode(read_bytes(p))) for p in paths]
    decode_ms = 1000 * (time.perf_counter() - start) / len(paths)
    batches = [np.stack(arrays[i : i + batch_size]) for i in range(0, len(arrays), batch_size)]
    rounds = [(time_model(extractor, batches), time_pipeline(extractor, paths, hashes, batch_size, folder))
              for _ in range(repeats)]
    return {"decode_ms": decode_ms, "rounds": rounds}


def distinct_met_photos() -> list[str]:
    """The Met photos of :data:`MET_FOLDER`, one path per distinct file (some are copies)."""
    met = sorted(glob.glob(os.path.join(MET_FOLDER, "**", "*.jpg"), recursive=True))
    return list({hashlib.sha256(open(p, "rb").read()).digest(): p for p in met}.values())


def opencv_crop_resize(image: Image.Image, size: tuple[int, int], crop_fraction: float) -> np.ndarray:
    """:func:`~tsne_assets.core.features.base.center_crop_resize` with OpenCV's area resize (the
    crop rounded to whole pixels), one OpenCV thread: the decoding threads run beside the model."""
    import cv2

    cv2.setNumThreads(1)
    height, width = size
    scale = crop_fraction * min(image.width / width, image.height / height)
    crop_w, crop_h = max(1, round(width * scale)), max(1, round(height * scale))
    left, top = (image.width - crop_w) // 2, (image.height - crop_h) // 2
    crop = np.asarray(image)[top : top + crop_h, left : left + crop_w]
    shrinking = crop_w >= width and crop_h >= height
    return cv2.resize(crop, (width, height), interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_CUBIC).astype(np.float32)


def fidelity() -> None:
    """Features after the OpenCV resize against the extractor's own (see above)."""
    extractor = get_extractor("efficientnet_lite0")
    images = [extractor.decode(read_bytes(path)) for path in distinct_met_photos()]
    theirs, theirs_logits = extractor.forward(np.stack([extractor.preprocess(image) for image in images]))
    efficientnet_lite.center_crop_resize = opencv_crop_resize
    ours, ours_logits = extractor.forward(np.stack([extractor.preprocess(image) for image in images]))
    ours, theirs = (v / np.linalg.norm(v, axis=1, keepdims=True) for v in (ours, theirs))
    cosine = (ours * theirs).sum(1)
    between = (theirs @ theirs.T)[np.triu_indices(len(theirs), 1)]
    print(f"{len(images)} distinct Met photos: cosine of the OpenCV resize's features to Pillow's: min {cosine.min():.3f}, "
          f"median {np.median(cosine):.4f}; top-1 class agrees on {(ours_logits.argmax(1) == theirs_logits.argmax(1)).mean():.0%}; "
          f"cosine between different photos: median {np.median(between):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=320)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--model", default="efficientnet_lite0")
    parser.add_argument("--opencv", action="store_true", help="each set also with OpenCV's area resize")
    parser.add_argument("--fidelity", action="store_true", help="compare OpenCV's resize with Pillow's, then stop")
    args = parser.parse_args()
    if args.fidelity:
        fidelity()
        return

    load = os.getloadavg()[0]
    extractor = get_extractor(args.model)
    start = time.perf_counter()
    extractor.embed(np.zeros((args.batch_size, *extractor.input_size, 3), extractor.input_dtype))
    build_s = time.perf_counter() - start
    resizes = {"": efficientnet_lite.center_crop_resize}
    if args.opencv:
        resizes[", OpenCV resize"] = opencv_crop_resize
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for make in (make_crops, make_photos):
            images = tempfile.mkdtemp(dir=folder)
            paths, hashes, label = make(images, args.images)
            for suffix, resize in resizes.items():
                efficientnet_lite.center_crop_resize = resize
                results[label + suffix] = bench_set(extractor, paths, hashes, args.batch_size, args.repeats, folder)

    print(f"machine: {machine_line()}, load average {load:.1f} at start, {os.getloadavg()[0]:.1f} at end")
    print(f"{args.model}, batch {args.batch_size}, {args.images} JPEGs per set, {args.repeats} rounds; "
          f"model build + first batch {build_s:.1f} s")
    print("wall: images/s and their ratio; CPU: milliseconds per image (all threads), the cores the model")
    print("alone kept busy, and the ratio model/pipeline, an estimate of the wall ratio where nothing else runs")
    print(f"{'images':<48} {'decode ms':>9} {'model':>7} {'pipeline':>8} {'ratio':>6} "
          f"{'model CPU':>9} {'cores':>5} {'pipe CPU':>8} {'CPU ratio':>9}")
    for label, row in results.items():
        for (model, model_cpu), (pipeline, pipeline_cpu) in row["rounds"]:
            print(f"{label[:48]:<48} {row['decode_ms']:>9.2f} {model:>7.1f} {pipeline:>8.1f} {pipeline / model:>6.2f} "
                  f"{model_cpu:>9.2f} {model * model_cpu / 1000:>5.2f} {pipeline_cpu:>8.2f} {model_cpu / pipeline_cpu:>9.2f}")
        wall = statistics.median(p / m for (m, _), (p, _) in row["rounds"])
        cpu = statistics.median(m / p for (_, m), (_, p) in row["rounds"])
        print(f"{'  median':<48} {'':>9} {'':>7} {'':>8} {wall:>6.2f} {'':>9} {'':>5} {'':>8} {cpu:>9.2f}")


if __name__ == "__main__":
    main()
