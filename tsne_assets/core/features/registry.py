"""The registry of feature extractors, by name."""

from __future__ import annotations

from typing import Any, Callable

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


def get_extractor(name: str = DEFAULT_EXTRACTOR, **options: Any) -> FeatureExtractor:
    """Create the feature extractor registered as ``name``.

    Parameters
    ----------
    name : str
        One of :data:`EXTRACTORS`: ``"efficientnet_lite0"`` (default, 1280-D) or ``"vgg16"``
        (4096-D).
    **options
        Passed to the extractor: ``checkpoint_path`` for ``efficientnet_lite0``,
        ``weights_path`` for ``vgg16``.

    Returns
    -------
    FeatureExtractor
        Cheap to create; the model itself is built on first use and shared per process.

    Raises
    ------
    ValueError
        For an unknown name.
    TypeError
        For an option the extractor does not take.
    """
    try:
        factory = _FACTORIES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown feature extractor {name!r}; choose one of {list(EXTRACTORS)}") from None
    return factory(**options)
