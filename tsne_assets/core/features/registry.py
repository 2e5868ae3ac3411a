"""The registry of feature extractors, by name."""

from __future__ import annotations

import os
from typing import Callable

from .base import FeatureExtractor
from .efficientnet_lite import EfficientNetLite0Extractor
from .vgg16 import VGG16Extractor

__all__ = ["DEFAULT_EXTRACTOR", "EXTRACTORS", "get_extractor"]

_FACTORIES: dict[str, Callable[..., FeatureExtractor]] = {
    EfficientNetLite0Extractor.name: EfficientNetLite0Extractor,
    VGG16Extractor.name: VGG16Extractor,
}

#: The names :func:`get_extractor` accepts.
EXTRACTORS: tuple[str, ...] = tuple(_FACTORIES)

#: The extractor used unless a collection asks for another.
DEFAULT_EXTRACTOR = EfficientNetLite0Extractor.name


def get_extractor(name: str = DEFAULT_EXTRACTOR, weights: str | os.PathLike[str] | None = None) -> FeatureExtractor:
    """Create the feature extractor registered as ``name``.

    Parameters
    ----------
    name : str
        One of :data:`EXTRACTORS`: ``"efficientnet_lite0"`` (default, 1280-D) or ``"vgg16"``
        (4096-D).
    weights : str or os.PathLike, optional
        The model's weights file: a PyTorch state dict for ``efficientnet_lite0`` (default: the
        one its package ships), a Keras ``.h5`` file for ``vgg16`` (default: Keras' cache).

    Returns
    -------
    FeatureExtractor
        Cheap to create; the model itself is built on first use and shared per process.

    Raises
    ------
    ValueError
        For an unknown name.
    WeightsNotFoundError
        When the weights file does not exist; checked here, before any work starts.
    """
    try:
        factory = _FACTORIES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown feature extractor {name!r}; choose one of {list(EXTRACTORS)}") from None
    return factory(weights)
