"""VGG16 ``fc2`` features (4096-D), the model of the original image-t-SNE tool.

The ImageNet weights (``vgg16_weights_tf_dim_ordering_tf_kernels.h5``, 528 MB) are never
downloaded here: they are taken from Keras' own cache, where ``keras.applications.VGG16``
would have put them, or from an explicit ``weights`` file.
"""

from __future__ import annotations

import functools
import os

import numpy as np
from PIL import Image

from .base import FeatureExtractor, WeightsNotFoundError, checked_weights_file, stretch_resize

__all__ = ["KERAS_WEIGHTS_FILE", "VGG16Extractor", "keras_cache_weights_path", "load_vgg16_fc2"]

#: The file name ``keras.applications.VGG16(weights="imagenet", include_top=True)`` caches.
KERAS_WEIGHTS_FILE = "vgg16_weights_tf_dim_ordering_tf_kernels.h5"
KERAS_WEIGHTS_URL = (
    "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/" + KERAS_WEIGHTS_FILE
)
#: Caffe-style preprocessing of ``keras.applications.vgg16.preprocess_input``: BGR means.
BGR_MEAN = np.array([103.939, 116.779, 123.68], dtype=np.float32)


def keras_cache_weights_path() -> str:
    """Where Keras looks for the cached VGG16 weights: ``$KERAS_HOME/models/<file>``.

    Mirrors ``keras.utils.get_file``: ``KERAS_HOME`` if set, else ``~/.keras``, falling back to
    ``/tmp/.keras`` when that folder is not writable. Read at call time.
    """
    home = os.environ.get("KERAS_HOME")
    if home is None:
        base = os.path.expanduser("~")
        home = os.path.join(base if os.access(base, os.W_OK) else "/tmp", ".keras")
    home = os.path.expanduser(home)
    if not os.access(home, os.W_OK):
        home = os.path.join("/tmp", ".keras")
    return os.path.join(home, "models", KERAS_WEIGHTS_FILE)


def resolve_weights(weights: str | os.PathLike[str] | None) -> str:
    """The weights file to load: ``weights`` if given, else Keras' cached copy.

    Raises
    ------
    WeightsNotFoundError
        With both remedies spelled out, if the file does not exist. Nothing is downloaded.
    """
    if weights is not None:
        return checked_weights_file(weights, "VGG16")
    cached = keras_cache_weights_path()
    if os.path.isfile(cached):
        return cached
    raise WeightsNotFoundError(
        "The VGG16 ImageNet weights are not available offline and are never downloaded at run "
        f"time. Either put {KERAS_WEIGHTS_FILE} (from {KERAS_WEIGHTS_URL}) in Keras' cache at "
        f"{cached} (the folder follows $KERAS_HOME, default ~/.keras), or name the file: "
        "--weights /path/to/vgg16_weights.h5 on the command line, get_extractor('vgg16', weights=...) in Python."
    )


def load_vgg16_fc2(weights: str | os.PathLike[str] | None = None):
    """Build VGG16 with the given (or cached) weights, truncated at ``fc2``; cached per process.

    Parameters
    ----------
    weights : str or os.PathLike, optional
        A weights file for the full VGG16 (with its top), in the Keras 2 ``.h5`` layout of
        the official file or saved by Keras 3's ``model.save_weights(...weights.h5)``.
        By default, Keras' cached ImageNet weights (see :func:`keras_cache_weights_path`).

    Returns
    -------
    keras.Model
        ``(B, 224, 224, 3)`` caffe-preprocessed BGR -> ``(B, 4096)``, the ReLU output of ``fc2``.
    """
    return _load_cached(os.path.realpath(resolve_weights(weights)))


@functools.lru_cache(maxsize=2)
def _load_cached(path: str):
    import keras

    full = keras.applications.VGG16(weights=None, include_top=True)
    try:
        full.load_weights(path)
    except Exception as error:  # h5py/Keras raise many types for a wrong or corrupt file
        raise ValueError(f"cannot load VGG16 weights from {path}: {error}") from error
    return keras.Model(full.inputs, full.get_layer("fc2").output, name="vgg16_fc2")


class VGG16Extractor(FeatureExtractor):
    """ImageNet-pretrained VGG16, features from the second fully connected layer (``fc2``).

    Parameters
    ----------
    weights : str or os.PathLike, optional
        Weights for the full VGG16; default: ``vgg16_weights_tf_dim_ordering_tf_kernels.h5`` in
        Keras' cache. Resolved when the extractor is created, so a missing file fails early.

    Notes
    -----
    Preprocessing follows the original tool: the whole image is resized to 224 x 224 (aspect
    ratio not kept), then ``keras.applications.vgg16.preprocess_input`` (RGB -> BGR, minus the
    ImageNet channel means).
    """

    name = "vgg16"
    dim = 4096
    input_size = (224, 224)

    def __init__(self, weights: str | os.PathLike[str] | None = None):
        self.weights = resolve_weights(weights)

    @property
    def model(self):
        """The shared Keras model (built and loaded on first use, then cached per process)."""
        return load_vgg16_fc2(self.weights)

    def preprocess(self, image: Image.Image) -> np.ndarray:
        pixels = stretch_resize(image, self.input_size)
        return pixels[..., ::-1] - BGR_MEAN

    def embed(self, batch: np.ndarray) -> np.ndarray:
        batch = self._check_batch(batch)
        if len(batch) == 0:
            return np.zeros((0, self.dim), np.float32)
        return np.asarray(self.model.predict_on_batch(batch), np.float32)
