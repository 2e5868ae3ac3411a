"""Batched extraction: order, de-duplication, the cache, failures, progress and overlap."""

from __future__ import annotations

import hashlib
import io
import threading
import uuid

import numpy as np
import pytest
from PIL import Image
from upath import UPath

from tsne_assets.core.features import FeatureCache, FeatureExtractor, extract_features, get_extractor
from tsne_assets.core.features.base import stretch_resize


class MeanColour(FeatureExtractor):
    """A tiny deterministic extractor: the mean RGB of an 8x8 thumbnail; records its batches."""

    name = "mean_colour"
    dim = 3
    input_size = (8, 8)
    cache_key = "mean_colour"  # no weights file to digest

    def __init__(self):
        self.batches: list[int] = []

    def preprocess(self, image):
        return stretch_resize(image, self.input_size)

    def embed(self, batch):
        batch = self._check_batch(batch)
        self.batches.append(len(batch))
        return batch.mean(axis=(1, 2))


def png(colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), colour).save(buffer, "PNG")
    return buffer.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def files(tmp_path):
    """Five distinct images written to disk, plus their hashes."""
    colours = [(10 * i, 20 * i, 30 * i) for i in range(1, 6)]
    paths, hashes = [], []
    for i, colour in enumerate(colours):
        data = png(colour)
        path = tmp_path / f"img{i}.png"
        path.write_bytes(data)
        paths.append(str(path))
        hashes.append(sha(data))
    return paths, hashes, np.array(colours, np.float32)


def test_features_in_input_order_with_duplicates_embedded_once(files):
    paths, hashes, colours = files
    order = [3, 0, 3, 1, 4, 2, 0]
    extractor = MeanColour()

    result = extract_features([paths[i] for i in order], [hashes[i] for i in order], extractor,
                              batch_size=2)

    np.testing.assert_allclose(result.features, colours[order], atol=1e-4)
    assert result.features.dtype == np.float32
    assert (result.computed, result.cached, dict(result.failed)) == (5, 0, {})
    assert extractor.batches == [2, 2, 1]


def test_cache_is_used_and_filled(files, tmp_path):
    paths, hashes, colours = files
    cache = FeatureCache(UPath(f"memory://extract-{uuid.uuid4().hex}/features"))
    cache.put_many("mean_colour", {hashes[0]: np.array([1, 2, 3], np.float32)})
    extractor = MeanColour()

    first = extract_features(paths, hashes, extractor, cache=cache, batch_size=32)

    assert (first.computed, first.cached) == (4, 1)
    np.testing.assert_array_equal(first.features[0], [1, 2, 3])  # served from the cache
    np.testing.assert_allclose(first.features[1:], colours[1:], atol=1e-4)
    assert extractor.batches == [4]
    assert set(cache.get_many("mean_colour", hashes)) == set(hashes)

    def must_not_read(source):
        raise AssertionError(f"read {source} although it is cached")

    second = extract_features(paths, hashes, extractor, cache=cache, read=must_not_read)
    assert (second.computed, second.cached) == (0, 5)
    np.testing.assert_array_equal(second.features, first.features)
    assert extractor.batches == [4]  # the model was not called again


class WeightedMeanColour(MeanColour):
    """:class:`MeanColour` with a weights file, so that its cache key is the real one."""

    def __init__(self, weights):
        super().__init__()
        self.weights = str(weights)

    cache_key = FeatureExtractor.cache_key


def test_other_weights_never_reuse_cached_vectors(files, tmp_path):
    paths, hashes, _ = files
    cache = FeatureCache(UPath(f"memory://extract-{uuid.uuid4().hex}/features"))
    (tmp_path / "a.pth").write_bytes(b"weights a")
    (tmp_path / "b.pth").write_bytes(b"weights b")
    first, second = WeightedMeanColour(tmp_path / "a.pth"), WeightedMeanColour(tmp_path / "b.pth")

    assert first.cache_key.startswith("mean_colour-") and first.cache_key != second.cache_key
    extract_features(paths, hashes, first, cache=cache)
    again = extract_features(paths, hashes, WeightedMeanColour(tmp_path / "a.pth"), cache=cache)
    other = extract_features(paths, hashes, second, cache=cache)

    assert (again.computed, again.cached) == (0, 5)
    assert (other.computed, other.cached) == (5, 0)


def test_cached_vectors_of_another_size_are_recomputed(files):
    paths, hashes, colours = files
    cache = FeatureCache(UPath(f"memory://extract-{uuid.uuid4().hex}/features"))
    cache.put_many("mean_colour", {hashes[0]: np.ones(7, np.float32)})
    result = extract_features(paths[:1], hashes[:1], MeanColour(), cache=cache)
    assert (result.computed, result.cached) == (1, 0)
    np.testing.assert_allclose(result.features[0], colours[0], atol=1e-4)


def test_unreadable_files_are_reported_not_fatal(files, tmp_path):
    paths, hashes, colours = files
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"plain text, not an image")
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    sources = [paths[0], str(broken), str(tmp_path / "missing.png"), paths[1], str(empty), str(broken)]
    digests = [hashes[0], sha(b"broken"), sha(b"missing"), hashes[1], sha(b""), sha(b"broken")]

    result = extract_features(sources, digests, MeanColour(), batch_size=2)

    assert set(result.failed) == {1, 2, 4, 5}
    assert result.failed[1] == result.failed[5] == "not an image Pillow can identify"
    assert result.failed[2].startswith("cannot read: ")
    assert result.failed[4] == "empty file"
    assert not result.features[[1, 2, 4, 5]].any()
    np.testing.assert_allclose(result.features[[0, 3]], colours[:2], atol=1e-4)
    assert result.computed == 2
    with pytest.raises(TypeError):
        result.failed[0] = "mutable"  # type: ignore[index]


def test_progress_reports_every_input_once(files):
    paths, hashes, _ = files
    cache = FeatureCache(UPath(f"memory://extract-{uuid.uuid4().hex}/features"))
    cache.put_many("mean_colour", {hashes[4]: np.zeros(3, np.float32)})
    sources, digests = paths + [paths[0], "/nonexistent"], hashes + [hashes[0], sha(b"x")]
    calls: list[int] = []

    extract_features(sources, digests, MeanColour(), batch_size=2, cache=cache, progress=calls.append)

    # First the cached input, then each batch of distinct images (with their duplicates).
    assert calls == [1, 3, 2, 1]
    assert sum(calls) == len(sources)


def test_decoding_overlaps_embedding(files):
    """While the model embeds batch 1, batch 2's files are being read (no sleeps: events)."""
    paths, hashes, _ = files
    second_batch_read = threading.Event()

    class WaitsForPrefetch(MeanColour):
        def embed(self, batch):
            if not self.batches:
                assert second_batch_read.wait(timeout=30), "batch 2 was not read during batch 1"
            return super().embed(batch)

    def read(source):
        if source in paths[2:4]:
            second_batch_read.set()
        with open(source, "rb") as handle:
            return handle.read()

    extractor = WaitsForPrefetch()
    result = extract_features(paths, hashes, extractor, batch_size=2, read=read, workers=2)
    assert result.computed == 5 and extractor.batches == [2, 2, 1]


def test_custom_reader_receives_the_sources(files):
    _, hashes, colours = files
    store = {f"s3://bucket/{i}.png": png(tuple(int(c) for c in colours[i])) for i in range(2)}
    result = extract_features(list(store), [sha(d) for d in store.values()], MeanColour(),
                              read=store.__getitem__)
    np.testing.assert_allclose(result.features, colours[:2], atol=1e-4)


def test_parameters_are_validated(files):
    paths, hashes, _ = files
    with pytest.raises(ValueError, match="5 sources but 4 hashes"):
        extract_features(paths, hashes[:4], MeanColour())
    with pytest.raises(ValueError, match="batch_size"):
        extract_features(paths, hashes, MeanColour(), batch_size=0)
    with pytest.raises(ValueError, match="workers"):
        extract_features(paths, hashes, MeanColour(), workers=0)
    with pytest.raises(ValueError, match="hash at index 0"):
        extract_features(paths[:1], [""], MeanColour())
    with pytest.raises(TypeError, match="FeatureExtractor"):
        extract_features(paths, hashes, object())  # type: ignore[arg-type]
    empty = extract_features([], [], MeanColour())
    assert empty.features.shape == (0, 3) and empty.computed == empty.cached == 0


def test_end_to_end_with_efficientnet_lite0(tmp_path):
    from skimage import data

    extractor = get_extractor("efficientnet_lite0")
    sources, digests, images = [], [], []
    for name, pixels in [("cat", data.chelsea()), ("coffee", data.coffee())]:
        buffer = io.BytesIO()
        Image.fromarray(pixels).save(buffer, "JPEG", quality=90)
        path = tmp_path / f"{name}.jpg"
        path.write_bytes(buffer.getvalue())
        sources.append(str(path))
        digests.append(sha(buffer.getvalue()))
        images.append(Image.open(path).convert("RGB"))
    cache = FeatureCache(tmp_path / "cache")

    result = extract_features(sources, digests, extractor, cache=cache)

    direct = extractor.embed(np.stack([extractor.preprocess(image) for image in images]))
    assert result.features.shape == (2, 1280)
    np.testing.assert_allclose(result.features, direct, atol=1e-5)
    again = extract_features(sources, digests, extractor, cache=cache)
    assert again.cached == 2 and again.computed == 0
    np.testing.assert_array_equal(again.features, result.features)


class BlockingCache(FeatureCache):
    """A cache whose first write waits until the model has embedded the next batch."""

    def __init__(self, root, next_batch_embedded: threading.Event):
        super().__init__(root)
        self.next_batch_embedded = next_batch_embedded
        self.writes = 0

    def put_many(self, model, mapping):
        self.writes += 1
        if self.writes == 1:
            assert self.next_batch_embedded.wait(timeout=30), "the model waited for the cache write"
        super().put_many(model, mapping)


def test_cache_writes_do_not_hold_up_the_model(files):
    paths, hashes, colours = files
    second_batch = threading.Event()

    class SignalsSecondBatch(MeanColour):
        def embed(self, batch):
            if self.batches:
                second_batch.set()
            return super().embed(batch)

    cache = BlockingCache(UPath(f"memory://extract-{uuid.uuid4().hex}/features"), second_batch)
    result = extract_features(paths, hashes, SignalsSecondBatch(), batch_size=2, cache=cache)

    assert cache.writes == 3 and result.computed == 5
    np.testing.assert_allclose(result.features, colours, atol=1e-4)
    assert set(cache.get_many("mean_colour", hashes)) == set(hashes)  # every write done on return


def test_a_failed_cache_write_fails_the_call(files):
    paths, hashes, _ = files

    class FullDisk(FeatureCache):
        def put_many(self, model, mapping):
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        extract_features(paths, hashes, MeanColour(), batch_size=2, cache=FullDisk("memory://full"))
