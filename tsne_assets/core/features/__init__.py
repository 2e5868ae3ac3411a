"""CNN feature extraction: a registry of extractors, a per-image feature cache, batched extraction.

>>> from tsne_assets.core.features import get_extractor, extract_features, FeatureCache
>>> extractor = get_extractor("efficientnet_lite0")              # doctest: +SKIP
>>> result = extract_features(paths, hashes, extractor,
...                           cache=FeatureCache("s3://bucket/cache/features"))  # doctest: +SKIP
>>> result.features.shape                                        # doctest: +SKIP
(len(paths), 1280)

Modules: :mod:`.base` (the interface), :mod:`.registry`, :mod:`.efficientnet_lite` and
:mod:`.vgg16` (the models), :mod:`.torch_checkpoint` (a PyTorch-free, pickle-safe ``.pth``
reader), :mod:`.cache` and :mod:`.extract`. Importing this package does not import Keras; the
models are built on first use and cached per process.
"""

from .base import FeatureExtractor, WeightsNotFoundError
from .cache import FeatureCache
from .efficientnet_lite import EfficientNetLite0Extractor
from .extract import FeatureResult, extract_features, read_local_file
from .registry import DEFAULT_EXTRACTOR, EXTRACTORS, get_extractor
from .torch_checkpoint import UnsafeCheckpointError, load_state_dict
from .vgg16 import VGG16Extractor

__all__ = [
    "DEFAULT_EXTRACTOR",
    "EXTRACTORS",
    "EfficientNetLite0Extractor",
    "FeatureCache",
    "FeatureExtractor",
    "FeatureResult",
    "UnsafeCheckpointError",
    "VGG16Extractor",
    "WeightsNotFoundError",
    "extract_features",
    "get_extractor",
    "load_state_dict",
    "read_local_file",
]
