"""The per-image feature cache, on a local folder and on an fsspec (memory://) file system."""

from __future__ import annotations

import hashlib
import uuid

import numpy as np
import pytest
from upath import UPath

from tsne_assets.core.features import FeatureCache


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture(params=["local-str", "local-upath", "memory"])
def root(request, tmp_path):
    if request.param == "local-str":
        return str(tmp_path / "features")
    if request.param == "local-upath":
        return UPath(tmp_path) / "features"
    return UPath(f"memory://test-{uuid.uuid4().hex}/cache/features")


def test_round_trip_and_misses(root):
    cache = FeatureCache(root)
    vectors = {sha(f"image {i}"): np.arange(5, dtype=np.float32) + i for i in range(20)}
    assert cache.get_many("efficientnet_lite0", vectors) == {}

    cache.put_many("efficientnet_lite0", vectors)
    missing = sha("never stored")
    found = cache.get_many("efficientnet_lite0", [*vectors, missing, *vectors])

    assert set(found) == set(vectors)
    for key, vector in vectors.items():
        assert found[key].dtype == np.float32
        np.testing.assert_array_equal(found[key], vector)
    # Models do not see each other's features.
    assert cache.get_many("vgg16", vectors) == {}


def test_layout_is_model_then_two_character_fan_out_of_npy_files(root):
    cache = FeatureCache(root)
    key = sha("a")
    cache.put_many("vgg16", {key: np.ones(3, np.float64)})

    path = UPath(root) / "vgg16" / key[:2] / f"{key}.npy"
    assert cache.path("vgg16", key) == path
    assert path.exists()
    data = path.read_bytes()
    assert data.startswith(b"\x93NUMPY")
    with path.open("rb") as handle:
        stored = np.load(handle, allow_pickle=False)  # a plain array, no pickle
    assert stored.dtype == np.float32 and stored.tolist() == [1.0, 1.0, 1.0]


def test_corrupt_or_foreign_entries_read_as_misses_and_are_overwritten(root):
    cache = FeatureCache(root)
    torn, wrong_shape = sha("torn"), sha("2-d")
    cache.put_many("m", {torn: np.ones(1000, np.float32)})
    path = cache.path("m", torn)
    path.write_bytes(path.read_bytes()[:200])  # as after a crash mid-write
    other = cache.path("m", wrong_shape)
    other.parent.mkdir(parents=True, exist_ok=True)
    with other.open("wb") as handle:
        np.save(handle, np.ones((2, 2), np.float32))

    assert cache.get_many("m", [torn, wrong_shape]) == {}
    cache.put_many("m", {torn: np.zeros(4, np.float32)})
    np.testing.assert_array_equal(cache.get_many("m", [torn])[torn], np.zeros(4))


def test_rejects_bad_keys_and_values(tmp_path):
    cache = FeatureCache(tmp_path)
    with pytest.raises(ValueError, match="invalid content hash"):
        cache.get_many("m", ["../../etc/passwd"])
    with pytest.raises(ValueError, match="invalid content hash"):
        cache.put_many("m", {sha("x").upper(): np.ones(2)})
    with pytest.raises(ValueError, match="invalid model name"):
        cache.get_many("../m", [sha("x")])
    with pytest.raises(ValueError, match="must be 1-D"):
        cache.put_many("m", {sha("x"): np.ones((2, 2))})
    with pytest.raises(TypeError):
        FeatureCache(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_workers"):
        FeatureCache(tmp_path, max_workers=0)
    assert list(tmp_path.iterdir()) == []
