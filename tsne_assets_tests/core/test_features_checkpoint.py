"""The restricted PyTorch checkpoint reader: reads state dicts, refuses everything else."""

from __future__ import annotations

import pickle
import struct
import zipfile

import numpy as np
import pytest

from tsne_assets.core.features.efficientnet_lite import default_checkpoint_path
from tsne_assets.core.features.torch_checkpoint import (
    LEGACY_MAGIC_NUMBER,
    LEGACY_PROTOCOL_VERSION,
    UnsafeCheckpointError,
    load_state_dict,
)

CALLED = []


def record_call(*args):
    """A global that a malicious checkpoint names; it must never run."""
    CALLED.append(args)
    return args


# -- hand-written pickles (protocol 2 opcodes), so that no PyTorch is needed to make them ---------


def _global(module: str, name: str) -> bytes:
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def _str(text: str) -> bytes:
    data = text.encode()
    return b"X" + struct.pack("<I", len(data)) + data


def _int(value: int) -> bytes:
    return b"J" + struct.pack("<i", value)


def _tuple(*items: bytes) -> bytes:
    return b"(" + b"".join(items) + b"t"


def _tensor(storage_key: str, storage_type: str, numel: int, offset: int, size, stride,
            legacy: bool) -> bytes:
    pid = [_str("storage"), _global("torch", storage_type), _str(storage_key), _str("cpu"), _int(numel)]
    if legacy:
        pid.append(b"N")  # view metadata
    return (
        _global("torch._utils", "_rebuild_tensor_v2")
        + _tuple(
            _tuple(*pid) + b"Q",  # BINPERSID
            _int(offset),
            _tuple(*map(_int, size)),
            _tuple(*map(_int, stride)),
            b"\x89",  # NEWFALSE: requires_grad
            _global("collections", "OrderedDict") + b")R",  # backward hooks
        )
        + b"R"
    )


def _state_dict_pickle(entries: dict[str, bytes]) -> bytes:
    body = b"".join(_str(key) + value for key, value in entries.items())
    return b"\x80\x02" + _global("collections", "OrderedDict") + b")R" + b"(" + body + b"u."


def _write_legacy(path, entries: dict[str, bytes], storages: dict[str, np.ndarray]) -> None:
    with open(path, "wb") as file:
        for header in (LEGACY_MAGIC_NUMBER, LEGACY_PROTOCOL_VERSION,
                       {"protocol_version": 1001, "little_endian": True}):
            pickle.dump(header, file, protocol=2)
        file.write(_state_dict_pickle(entries))
        pickle.dump(list(storages), file, protocol=2)
        for array in storages.values():
            file.write(struct.pack("<q", array.size))
            file.write(array.tobytes())


def _write_zip(path, entries: dict[str, bytes], storages: dict[str, np.ndarray]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("archive/data.pkl", _state_dict_pickle(entries))
        for key, array in storages.items():
            archive.writestr(f"archive/data/{key}", array.tobytes())


@pytest.fixture(params=["legacy", "zip"])
def writer(request):
    return request.param, (_write_legacy if request.param == "legacy" else _write_zip)


# -- tests ------------------------------------------------------------------------------------------


def test_reads_the_shipped_efficientnet_lite0_checkpoint():
    state = load_state_dict(default_checkpoint_path())
    assert len(state) == 296
    assert state["_conv_stem.weight"].shape == (32, 3, 3, 3)
    assert state["_blocks.15._project_conv.weight"].shape == (320, 1152, 1, 1)
    assert state["_fc.weight"].shape == (1000, 1280) and state["_fc.weight"].dtype == np.float32
    assert state["_bn0.num_batches_tracked"].shape == () and state["_bn0.num_batches_tracked"].dtype == np.int64
    assert all(v.flags.c_contiguous for v in state.values())
    # Running variances of a trained network are positive and not all equal.
    assert (state["_bn1.running_var"] > 0).all() and state["_bn1.running_var"].std() > 0


def test_reads_tensors_with_offsets_strides_and_dtypes(tmp_path, writer):
    kind, write = writer
    shared = np.arange(12, dtype=np.float32)
    entries = {
        "matrix": _tensor("0", "FloatStorage", 12, 0, (3, 4), (4, 1), kind == "legacy"),
        "transposed": _tensor("0", "FloatStorage", 12, 0, (4, 3), (1, 4), kind == "legacy"),
        "tail": _tensor("0", "FloatStorage", 12, 8, (4,), (1,), kind == "legacy"),
        "counts": _tensor("1", "LongStorage", 1, 0, (), (), kind == "legacy"),
    }
    path = tmp_path / f"{kind}.pth"
    write(path, entries, {"0": shared, "1": np.array([7], dtype=np.int64)})

    state = load_state_dict(path)

    assert list(state) == ["matrix", "transposed", "tail", "counts"]
    np.testing.assert_array_equal(state["matrix"], shared.reshape(3, 4))
    np.testing.assert_array_equal(state["transposed"], shared.reshape(3, 4).T)
    np.testing.assert_array_equal(state["tail"], [8, 9, 10, 11])
    assert state["counts"].dtype == np.int64 and state["counts"] == 7


def test_refuses_a_pickle_that_names_another_global_without_calling_it(tmp_path, writer):
    kind, write = writer
    evil = _global(__name__, "record_call") + _tuple(_str("pwned")) + b"R"
    path = tmp_path / f"evil-{kind}.pth"
    write(path, {"weight": evil}, {})

    with pytest.raises(UnsafeCheckpointError, match=f"refusing to load {__name__}.record_call"):
        load_state_dict(path)
    assert CALLED == []


def test_refuses_os_system(tmp_path):
    path = tmp_path / "evil.pth"
    _write_legacy(path, {"x": _global("os", "system") + _tuple(_str("true")) + b"R"}, {})
    with pytest.raises(UnsafeCheckpointError, match="os.system"):
        load_state_dict(path)


def test_refuses_a_checkpoint_that_is_not_a_flat_state_dict(tmp_path):
    path = tmp_path / "nested.pth"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("archive/data.pkl", pickle.dumps({"model": {"w": 1}}, protocol=2))
    with pytest.raises(UnsafeCheckpointError, match="not a flat state dict"):
        load_state_dict(path)


def test_rejects_files_that_are_not_checkpoints(tmp_path):
    wrong_magic = tmp_path / "wrong.pth"
    wrong_magic.write_bytes(pickle.dumps(12345, protocol=2))
    with pytest.raises(pickle.UnpicklingError, match="magic number"):
        load_state_dict(wrong_magic)

    full, truncated = tmp_path / "full.pth", tmp_path / "truncated.pth"
    _write_legacy(full, {"w": _tensor("0", "FloatStorage", 4, 0, (4,), (1,), True)},
                  {"0": np.ones(4, np.float32)})
    truncated.write_bytes(full.read_bytes()[:-3])
    np.testing.assert_array_equal(load_state_dict(full)["w"], np.ones(4))
    with pytest.raises(pickle.UnpicklingError, match="truncated"):
        load_state_dict(truncated)
