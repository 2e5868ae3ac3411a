"""VGG16 fc2 features: weights from a given file or Keras' cache, never from the network."""

from __future__ import annotations

import socket

import numpy as np
import pytest
from PIL import Image

from tsne_assets.core.features import VGG16Extractor, WeightsNotFoundError, get_extractor
from tsne_assets.core.features import vgg16 as vgg16_module
from tsne_assets.core.features.vgg16 import KERAS_WEIGHTS_FILE, keras_cache_weights_path

# Keras' HDF5 weight loading trips a NumPy 2 deprecation inside Keras itself.
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to download (Keras' urlretrieve or a raw socket) fails the test loudly."""
    from keras.src.utils import file_utils

    def refuse(*args, **kwargs):
        raise AssertionError("the test tried to use the network")

    monkeypatch.setattr(file_utils, "urlretrieve", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture(scope="module")
def reference():
    """A randomly initialised VGG16 (no download: weights=None) and its fc2 sub-model."""
    import keras

    keras.utils.set_random_seed(0)
    full = keras.applications.VGG16(weights=None, include_top=True)
    yield full, keras.Model(full.inputs, full.get_layer("fc2").output)
    vgg16_module._load_cached.cache_clear()


@pytest.fixture(scope="module")
def images() -> list[Image.Image]:
    rng = np.random.default_rng(1)
    gradient = np.linspace(0, 255, 320, dtype=np.float32)
    picture = np.stack([np.tile(gradient, (200, 1)), np.tile(gradient[::-1], (200, 1)),
                        np.full((200, 320), 80.0)], axis=-1).astype(np.uint8)
    return [Image.fromarray(picture),
            Image.fromarray(rng.integers(0, 256, size=(150, 100, 3), dtype=np.uint8))]


def test_preprocess_is_keras_vgg16_preprocess_input(tmp_path, images):
    import keras

    path = tmp_path / "unused.weights.h5"
    path.touch()  # preprocessing never loads the model
    extractor = VGG16Extractor(weights=path)
    array = extractor.preprocess(images[1])
    assert array.shape == (224, 224, 3) and array.dtype == np.float32
    resized = np.asarray(images[1].resize((224, 224), Image.Resampling.BILINEAR), dtype=np.float32)
    np.testing.assert_allclose(array, keras.applications.vgg16.preprocess_input(resized.copy()), atol=1e-4)


def test_loads_a_weights_file_given_as_option(reference, tmp_path, images):
    full, fc2 = reference
    path = tmp_path / "vgg16.weights.h5"
    full.save_weights(path)

    extractor = get_extractor("vgg16", weights=str(path))

    assert (extractor.name, extractor.dim, extractor.input_size) == ("vgg16", 4096, (224, 224))
    batch = np.stack([extractor.preprocess(image) for image in images])
    features = extractor.embed(batch)
    expected = np.asarray(fc2.predict_on_batch(batch))
    assert features.shape == (2, 4096) and features.dtype == np.float32
    assert np.abs(features).sum() > 0
    np.testing.assert_allclose(features, expected, rtol=1e-5, atol=1e-6)
    assert extractor.model is VGG16Extractor(weights=path).model  # built once


def test_loads_the_official_file_layout_from_keras_cache(reference, tmp_path, monkeypatch, images):
    import h5py
    from keras.src.legacy.saving import legacy_h5_format

    full, fc2 = reference
    keras_home = tmp_path / "keras-home"
    (keras_home / "models").mkdir(parents=True)
    monkeypatch.setenv("KERAS_HOME", str(keras_home))
    cached = keras_home / "models" / KERAS_WEIGHTS_FILE
    # The official download is a Keras 2 style HDF5 file; write one the same way.
    with h5py.File(cached, "w") as file:
        legacy_h5_format.save_weights_to_hdf5_group(file, full)

    assert keras_cache_weights_path() == str(cached)
    extractor = get_extractor("vgg16")

    assert extractor.weights == str(cached)
    batch = np.stack([extractor.preprocess(image) for image in images])
    np.testing.assert_allclose(extractor.embed(batch), fc2.predict_on_batch(batch), rtol=1e-5, atol=1e-6)


def test_missing_weights_offline_give_both_remedies(tmp_path, monkeypatch):
    keras_home = tmp_path / "empty-keras-home"
    keras_home.mkdir()
    monkeypatch.setenv("KERAS_HOME", str(keras_home))

    with pytest.raises(WeightsNotFoundError) as raised:
        get_extractor("vgg16")

    message = str(raised.value)
    assert str(keras_home / "models" / KERAS_WEIGHTS_FILE) in message
    assert "--weights" in message and "never downloaded" in message
    assert not (keras_home / "models" / KERAS_WEIGHTS_FILE).exists()

    with pytest.raises(WeightsNotFoundError, match="VGG16 weights file does not exist: .*nope.h5"):
        get_extractor("vgg16", weights=tmp_path / "nope.h5")


def test_a_corrupt_weights_file_is_reported(tmp_path):
    path = tmp_path / "broken.weights.h5"
    path.write_bytes(b"not hdf5")
    with pytest.raises(ValueError, match="cannot load VGG16 weights from .*broken.weights.h5"):
        VGG16Extractor(weights=path).model
