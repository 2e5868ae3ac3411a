"""EfficientNet-Lite0 in Keras: real photos are classified correctly, and it matches PyTorch."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from PIL import Image

from tsne_assets.core.features import EXTRACTORS, EfficientNetLite0Extractor, WeightsNotFoundError, get_extractor
from tsne_assets.core.features.efficientnet_lite import (
    build_efficientnet_lite0,
    default_checkpoint_path,
    load_efficientnet_lite0,
    set_torch_weights,
)
from tsne_assets.core.features.torch_checkpoint import load_state_dict
from tsne_assets.core.images import open_rgb

#: The ImageNet classes (standard 0-999 indices) that count as a right answer for each photo.
IMAGENET = {
    281: "tabby cat", 282: "tiger cat", 283: "Persian cat", 284: "Siamese cat", 285: "Egyptian cat",
    967: "espresso", 968: "cup", 504: "coffee mug",
    657: "missile", 744: "projectile, missile", 812: "space shuttle",
    698: "palace", 442: "bell cote", 483: "castle", 663: "monastery", 832: "stupa",
    985: "daisy",
}
EXPECTED = {
    "chelsea": {281, 282, 283, 284, 285},  # skimage: Chelsea the cat
    "coffee": {967, 968, 504},  # skimage: a cup of coffee
    "rocket": {657, 744, 812},  # skimage: a rocket on its launch pad
    "china.jpg": {698, 442, 483, 663, 832},  # sklearn: a Chinese temple
    "flower.jpg": {985},  # sklearn: a daisy-like flower
}


@pytest.fixture(scope="module")
def photos() -> dict[str, Image.Image]:
    from skimage import data
    from sklearn.datasets import load_sample_images

    images = {"chelsea": data.chelsea(), "coffee": data.coffee(), "rocket": data.rocket()}
    samples = load_sample_images()
    for filename, image in zip(samples.filenames, samples.images):
        images[filename.replace("\\", "/").rsplit("/", 1)[-1]] = image
    return {name: Image.fromarray(images[name]) for name in EXPECTED}


@pytest.fixture(scope="module")
def extractor() -> EfficientNetLite0Extractor:
    return get_extractor("efficientnet_lite0")


@pytest.fixture(scope="module")
def batch(photos, extractor) -> np.ndarray:
    return np.stack([extractor.preprocess(image) for image in photos.values()])


def test_registry_default_and_attributes(extractor):
    assert EXTRACTORS[0] == "efficientnet_lite0" and "vgg16" in EXTRACTORS
    assert isinstance(get_extractor(), EfficientNetLite0Extractor)
    assert (extractor.name, extractor.dim, extractor.input_size) == ("efficientnet_lite0", 1280, (224, 224))
    with pytest.raises(ValueError, match="unknown feature extractor 'resnet'.*efficientnet_lite0"):
        get_extractor("resnet")
    with pytest.raises(TypeError):
        get_extractor("efficientnet_lite0", weights_path="x")
    with pytest.raises(WeightsNotFoundError, match="EfficientNet-Lite0 weights file does not exist: /nonexistent"):
        get_extractor("efficientnet_lite0", weights="/nonexistent/lite0.pth")


def test_preprocess_crops_the_centre_and_normalises(extractor):
    # A wide image: left and right thirds red, centre third blue. The 224/256 centre crop of
    # the shorter side sees only blue, which becomes (x - 127) / 128.
    pixels = np.zeros((100, 300, 3), np.uint8)
    pixels[:, :100] = pixels[:, 200:] = (255, 0, 0)
    pixels[:, 100:200] = (0, 0, 255)
    array = extractor.preprocess(Image.fromarray(pixels))
    assert array.shape == (224, 224, 3) and array.dtype == np.float32
    np.testing.assert_allclose(array[..., 0], -127 / 128, atol=1e-6)
    np.testing.assert_allclose(array[..., 2], 128 / 128, atol=1e-6)
    with pytest.raises(ValueError, match="RGB"):
        extractor.preprocess(Image.new("L", (10, 10)))


def test_classifies_real_photos(extractor, photos, batch):
    features, logits = extractor.forward(batch)
    assert features.shape == (len(photos), 1280) and logits.shape == (len(photos), 1000)
    assert features.dtype == logits.dtype == np.float32
    for name, row in zip(photos, logits):
        top5 = [int(i) for i in np.argsort(-row)[:5]]
        described = [IMAGENET.get(i, str(i)) for i in top5]
        assert top5[0] in EXPECTED[name], f"{name}: top-5 {described}"
        assert len(EXPECTED[name] & set(top5)) >= 1


def test_embed_is_the_pooled_features_before_the_classifier(extractor, batch):
    features = extractor.embed(batch)
    state = load_state_dict(default_checkpoint_path())
    logits = features @ state["_fc.weight"].T + state["_fc.bias"]
    np.testing.assert_allclose(logits, extractor.predict_logits(batch), rtol=1e-4, atol=1e-3)
    assert (features >= 0).all() and (features <= 6).all()  # ReLU6 before average pooling


def test_embed_is_independent_of_batch_composition(extractor, batch):
    together = extractor.embed(batch)
    alone = np.concatenate([extractor.embed(batch[i : i + 1]) for i in range(len(batch))])
    np.testing.assert_allclose(together, alone, atol=1e-4)
    assert extractor.embed(batch[:0]).shape == (0, 1280)
    with pytest.raises(ValueError, match=r"\(B, 224, 224, 3\)"):
        extractor.embed(batch[:, :100])


def test_folded_batch_norms_give_the_same_outputs(extractor, batch):
    """The extractor's model folds batch norms into convolutions; the plain port agrees."""
    import keras

    plain = build_efficientnet_lite0(fold_batch_norm=False)
    set_torch_weights(plain, load_state_dict(default_checkpoint_path()))
    assert any(isinstance(layer, keras.layers.BatchNormalization) for layer in plain.layers)
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in extractor.model.layers)
    features, logits = (np.asarray(a) for a in plain.predict_on_batch(batch))
    np.testing.assert_allclose(extractor.embed(batch), features, atol=1e-4, rtol=1e-4)
    np.testing.assert_allclose(extractor.predict_logits(batch), logits, atol=1e-4, rtol=1e-4)


def test_model_is_built_once_per_process(extractor):
    assert extractor.model is EfficientNetLite0Extractor().model
    assert load_efficientnet_lite0() is load_efficientnet_lite0(default_checkpoint_path())


def test_wrong_checkpoints_are_rejected():
    state = load_state_dict(default_checkpoint_path())
    model = build_efficientnet_lite0()
    with pytest.raises(ValueError, match="lacks '_fc.bias'"):
        set_torch_weights(model, {k: v for k, v in state.items() if k != "_fc.bias"})
    with pytest.raises(ValueError, match="_conv_head have shapes"):
        set_torch_weights(model, {**state, "_conv_head.weight": np.zeros((1280, 321, 1, 1), np.float32)})
    with pytest.raises(ValueError, match="does not use: \\['_extra.weight'\\]"):
        set_torch_weights(model, {**state, "_extra.weight": np.zeros(1, np.float32)})
    folded = build_efficientnet_lite0(fold_batch_norm=True)
    with pytest.raises(ValueError, match="lacks '_blocks.4._bn1.running_var'"):
        set_torch_weights(folded, {k: v for k, v in state.items() if k != "_blocks.4._bn1.running_var"})
    with pytest.raises(FileNotFoundError, match="checkpoint not found"):
        load_efficientnet_lite0("/nonexistent/lite0.pth")


# -- the same network in PyTorch, written from efficientnet_lite_pytorch (lukemelas' model.py) ---


def _torch_reference(state: dict):
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F
    from torch import nn

    class SameConv(nn.Conv2d):
        """Conv2dStaticSamePadding: TensorFlow 'SAME' padding, the extra pixel bottom/right."""

        def forward(self, x):
            ih, iw = x.shape[-2:]
            (kh, kw), (sh, sw) = self.kernel_size, self.stride
            pad_h = max((math.ceil(ih / sh) - 1) * sh + kh - ih, 0)
            pad_w = max((math.ceil(iw / sw) - 1) * sw + kw - iw, 0)
            x = F.pad(x, [pad_w // 2, pad_w - pad_w // 2, pad_h // 2, pad_h - pad_h // 2])
            return super().forward(x)

    def bn(channels):
        return nn.BatchNorm2d(channels, momentum=0.01, eps=1e-3)

    class MBConv(nn.Module):
        def __init__(self, kernel, stride, expand, cin, cout):
            super().__init__()
            mid = cin * expand
            self.expand, self.skip = expand, stride == 1 and cin == cout
            if expand != 1:
                self._expand_conv = SameConv(cin, mid, 1, bias=False)
                self._bn0 = bn(mid)
            self._depthwise_conv = SameConv(mid, mid, kernel, stride=stride, groups=mid, bias=False)
            self._bn1 = bn(mid)
            self._project_conv = SameConv(mid, cout, 1, bias=False)
            self._bn2 = bn(cout)

        def forward(self, inputs):
            x = inputs
            if self.expand != 1:
                x = F.relu6(self._bn0(self._expand_conv(x)))
            x = F.relu6(self._bn1(self._depthwise_conv(x)))
            x = self._bn2(self._project_conv(x))
            return x + inputs if self.skip else x

    stages = [(1, 3, 1, 1, 32, 16), (2, 3, 2, 6, 16, 24), (2, 5, 2, 6, 24, 40), (3, 3, 2, 6, 40, 80),
              (3, 5, 1, 6, 80, 112), (4, 5, 2, 6, 112, 192), (1, 3, 1, 6, 192, 320)]

    class EfficientNetLite0(nn.Module):
        def __init__(self):
            super().__init__()
            self._conv_stem = SameConv(3, 32, 3, stride=2, bias=False)
            self._bn0 = bn(32)
            blocks = []
            for repeats, kernel, stride, expand, cin, cout in stages:
                blocks.append(MBConv(kernel, stride, expand, cin, cout))
                blocks += [MBConv(kernel, 1, expand, cout, cout) for _ in range(repeats - 1)]
            self._blocks = nn.ModuleList(blocks)
            self._conv_head = SameConv(320, 1280, 1, bias=False)
            self._bn1 = bn(1280)
            self._fc = nn.Linear(1280, 1000)

        def forward(self, x):
            x = F.relu6(self._bn0(self._conv_stem(x)))
            for block in self._blocks:
                x = block(x)
            features = F.relu6(self._bn1(self._conv_head(x))).mean(dim=(2, 3))
            return features, self._fc(features)

    model = EfficientNetLite0()
    model.load_state_dict(state, strict=True)
    return torch, model.eval()


def test_matches_the_pytorch_reference(extractor, batch):
    torch = pytest.importorskip("torch")
    # torch.load with weights_only=True is PyTorch's own restricted unpickler; comparing both
    # readers also checks ours tensor for tensor.
    state = torch.load(default_checkpoint_path(), map_location="cpu", weights_only=True)
    ours = load_state_dict(default_checkpoint_path())
    assert list(state) == list(ours)
    for key, tensor in state.items():
        np.testing.assert_array_equal(tensor.numpy(), ours[key], err_msg=key)

    torch, model = _torch_reference(state)
    noise = np.random.default_rng(0).normal(size=(2, 224, 224, 3)).astype(np.float32)
    inputs = np.concatenate([batch, noise])
    with torch.no_grad():
        ref_features, ref_logits = model(torch.from_numpy(inputs).permute(0, 3, 1, 2).contiguous())
    features, logits = extractor.forward(inputs)
    np.testing.assert_allclose(features, ref_features.numpy(), atol=1e-3, rtol=1e-3)
    np.testing.assert_allclose(logits, ref_logits.numpy(), atol=1e-3, rtol=1e-3)
    assert (logits.argmax(1) == ref_logits.numpy().argmax(1)).all()


def test_reads_checkpoints_saved_by_current_pytorch(tmp_path):
    torch = pytest.importorskip("torch")
    state = torch.load(default_checkpoint_path(), map_location="cpu", weights_only=True)
    torch.save(state, tmp_path / "zip.pth")
    torch.save(state, tmp_path / "legacy.pth", _use_new_zipfile_serialization=False)
    for name in ("zip.pth", "legacy.pth"):
        ours = load_state_dict(tmp_path / name)
        assert list(ours) == list(state)
        for key, tensor in state.items():
            np.testing.assert_array_equal(ours[key], tensor.numpy(), err_msg=f"{name}: {key}")


def test_runs_unchanged_on_the_keras_pytorch_backend(extractor, batch, tmp_path):
    """Built from Keras layers only: the same features on Keras' PyTorch backend."""
    pytest.importorskip("torch")
    import os
    import subprocess
    import sys

    np.save(tmp_path / "batch.npy", batch[:2])
    script = (
        "import sys, numpy as np, keras\n"
        "from tsne_assets.core.features import get_extractor\n"
        "assert keras.backend.backend() == 'torch'\n"
        "np.save(sys.argv[2], get_extractor().embed(np.load(sys.argv[1])))\n"
    )
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    path = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "KERAS_BACKEND": "torch", "PYTHONPATH": path}
    subprocess.run([sys.executable, "-c", script, str(tmp_path / "batch.npy"), str(tmp_path / "out.npy")],
                   env=env, check=True, capture_output=True, timeout=300)
    np.testing.assert_allclose(np.load(tmp_path / "out.npy"), extractor.embed(batch[:2]), atol=1e-4)


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def test_photos_decode_at_the_smallest_scale_that_keeps_the_crop(extractor, photos):
    """A JPEG decodes at reduced scale only while the 224/256 centre crop keeps 224 px, and its
    features stay those of the full-scale decode to within a cosine of 0.99."""
    large = _jpeg(photos["china.jpg"].resize((1024, 768), Image.Resampling.BICUBIC))
    small = _jpeg(photos["china.jpg"].resize((600, 400), Image.Resampling.BICUBIC))

    assert extractor.decode_size == 256
    assert extractor.decode(large).size == (512, 384)  # half scale; a quarter would leave 192 px
    assert extractor.decode(small).size == (600, 400)  # half scale would leave 200 px

    reduced, full = extractor.embed(np.stack([extractor.preprocess(image) for image in
                                              (extractor.decode(large), open_rgb(large))]))
    assert reduced @ full / (np.linalg.norm(reduced) * np.linalg.norm(full)) > 0.99
