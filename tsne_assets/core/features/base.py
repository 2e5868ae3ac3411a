"""The interface every feature extractor implements, and the image resizing they share."""

from __future__ import annotations

import functools
import hashlib
import os
from abc import ABC, abstractmethod

import numpy as np
from PIL import Image

from ..images import open_rgb

__all__ = [
    "FeatureExtractor",
    "WeightsNotFoundError",
    "center_crop_resize",
    "checked_weights_file",
    "file_digest",
    "stretch_resize",
]

#: Hex digits of the weights' SHA-256 in :attr:`FeatureExtractor.cache_key`.
WEIGHTS_DIGEST_LENGTH = 16


class WeightsNotFoundError(FileNotFoundError):
    """An extractor's weights file does not exist (nothing is ever downloaded)."""


def checked_weights_file(path: str | os.PathLike[str], model: str) -> str:
    """``path`` as a string, after checking that it is a file (:class:`WeightsNotFoundError`)."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{model} weights must be a path, got {type(path).__name__}")
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise WeightsNotFoundError(f"{model} weights file does not exist: {path}")
    return path


def file_digest(path: str | os.PathLike[str]) -> str:
    """The SHA-256 (hex) of a file, computed once per process while its size and time stay."""
    real = os.path.realpath(os.fspath(path))
    stat = os.stat(real)
    return _digest(real, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _digest(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class FeatureExtractor(ABC):
    """Turns images into fixed-length feature vectors with a pretrained CNN.

    Extraction is split in two so that decoding can run in worker threads while the model
    embeds the previous batch: :meth:`preprocess` (CPU, per image, thread-safe) and
    :meth:`embed` (the model, per batch).

    Attributes
    ----------
    name : str
        The registry key.
    weights : str
        The weights file the model loads, resolved when the extractor is created (so a missing
        file fails before any work starts).
    dim : int
        Length of each feature vector.
    input_size : (int, int)
        Height and width of the arrays :meth:`preprocess` returns.
    input_dtype : numpy.dtype
        The dtype of the arrays :meth:`preprocess` returns and :meth:`embed` takes.
    """

    name: str
    dim: int
    input_size: tuple[int, int]
    weights: str
    input_dtype: type = np.float32

    @property
    def decode_size(self) -> int:
        """The smallest side :meth:`decode` keeps when it decodes at a reduced scale: by default
        twice the model's input, ample for any resize."""
        return 2 * max(self.input_size)

    def decode(self, data: bytes) -> Image.Image:
        """Decode one image file for :meth:`preprocess` (thread-safe): upright RGB, at the
        smallest scale that keeps both sides at least :attr:`decode_size` (see
        :func:`~tsne_assets.core.images.open_rgb`).

        Raises
        ------
        UnreadableImageError
            If the file cannot be decoded.
        """
        return open_rgb(data, min_size=self.decode_size)

    @property
    def cache_key(self) -> str:
        """The feature cache's key for this model: its name and a digest of its weights, so that
        other weights never reuse stale vectors."""
        return f"{self.name}-{file_digest(self.weights)[:WEIGHTS_DIGEST_LENGTH]}"

    @abstractmethod
    def preprocess(self, image: Image.Image) -> np.ndarray:
        """Resize and normalise one RGB image as the model expects.

        Parameters
        ----------
        image : PIL.Image.Image
            An RGB image of any size (see :func:`tsne_assets.core.images.open_rgb`).

        Returns
        -------
        numpy.ndarray
            ``(H, W, 3)`` float32 with ``(H, W) == input_size``, ready for :meth:`embed`.
        """

    @abstractmethod
    def embed(self, batch: np.ndarray) -> np.ndarray:
        """Compute the features of a batch of preprocessed images.

        Parameters
        ----------
        batch : numpy.ndarray
            ``(B, H, W, 3)`` float32, a stack of :meth:`preprocess` outputs; ``B`` may be 0.

        Returns
        -------
        numpy.ndarray
            ``(B, dim)`` float32.
        """

    def _check_batch(self, batch: np.ndarray) -> np.ndarray:
        batch = np.asarray(batch, dtype=np.float32)
        expected = (*self.input_size, 3)
        if batch.ndim != 4 or batch.shape[1:] != expected:
            raise ValueError(
                f"{self.name}: expected a batch of shape (B, {', '.join(map(str, expected))}), "
                f"got {batch.shape}"
            )
        return batch

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, dim={self.dim}, weights={self.weights!r})"


def _check_rgb(image: Image.Image) -> None:
    if not isinstance(image, Image.Image):
        raise TypeError(f"expected a PIL image, got {type(image).__name__}")
    if image.mode != "RGB":
        raise ValueError(f"expected an RGB image, got mode {image.mode!r} (decode with open_rgb)")


def center_crop_resize(image: Image.Image, size: tuple[int, int], crop_fraction: float) -> np.ndarray:
    """Crop the centre of ``image`` and resize it (bicubic) to ``size``, as ImageNet evaluation does.

    The crop is ``crop_fraction`` of the shorter side, with the aspect ratio of ``size``;
    ``crop_fraction = 224 / 256`` is the classic "resize to 256, crop 224".

    Returns
    -------
    numpy.ndarray
        ``(size[0], size[1], 3)`` float32 in 0..255.
    """
    _check_rgb(image)
    if not 0.0 < crop_fraction <= 1.0:
        raise ValueError(f"crop_fraction must be in (0, 1], got {crop_fraction}")
    height, width = size
    scale = crop_fraction * min(image.width / width, image.height / height)
    crop_w, crop_h = width * scale, height * scale
    left, top = (image.width - crop_w) / 2, (image.height - crop_h) / 2
    resized = image.resize((width, height), Image.Resampling.BICUBIC,
                           box=(left, top, left + crop_w, top + crop_h))
    return np.asarray(resized, dtype=np.float32)


def stretch_resize(image: Image.Image, size: tuple[int, int]) -> np.ndarray:
    """Resize the whole of ``image`` (bilinear, ignoring its aspect ratio) to ``size`` (H, W).

    Returns
    -------
    numpy.ndarray
        ``(size[0], size[1], 3)`` float32 in 0..255.
    """
    _check_rgb(image)
    height, width = size
    return np.asarray(image.resize((width, height), Image.Resampling.BILINEAR), dtype=np.float32)
