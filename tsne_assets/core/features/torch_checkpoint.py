"""Reading PyTorch state-dict checkpoints into NumPy, without PyTorch and without trusting them.

A ``.pth`` file is a pickle, and unpickling runs whatever callables the file names. This reader
uses a :class:`pickle.Unpickler` whose ``find_class`` resolves only the handful of globals a
plain state dict needs (the tensor-rebuild helpers, the typed storage classes and
``collections.OrderedDict``); anything else is rejected with :class:`UnsafeCheckpointError`
before it can be called. Storages are mapped to NumPy arrays through ``persistent_load``.

Both serialisation formats are handled:

* the legacy format (PyTorch < 1.6): a stream of pickles (magic number, protocol version,
  system info, the object, the storage keys) followed by each storage's raw bytes;
* the zip format (PyTorch >= 1.6): ``<archive>/data.pkl`` plus one ``<archive>/data/<key>``
  entry of raw little-endian bytes per storage.
"""

from __future__ import annotations

import collections
import os
import pickle
import struct
import zipfile
from dataclasses import dataclass
from typing import IO, Any

import numpy as np

__all__ = ["UnsafeCheckpointError", "load_state_dict"]

#: The magic number at the start of a legacy (pre-1.6) PyTorch file.
LEGACY_MAGIC_NUMBER = 0x1950A86A20F9469CFC6C
LEGACY_PROTOCOL_VERSION = 1001

#: Typed storage class name -> NumPy dtype. ``BFloat16Storage`` has no NumPy equivalent.
STORAGE_DTYPES: dict[str, np.dtype] = {
    "DoubleStorage": np.dtype("<f8"),
    "FloatStorage": np.dtype("<f4"),
    "HalfStorage": np.dtype("<f2"),
    "LongStorage": np.dtype("<i8"),
    "IntStorage": np.dtype("<i4"),
    "ShortStorage": np.dtype("<i2"),
    "CharStorage": np.dtype("i1"),
    "ByteStorage": np.dtype("u1"),
    "BoolStorage": np.dtype("?"),
}


class UnsafeCheckpointError(pickle.UnpicklingError):
    """The checkpoint holds something other than tensors, storages and ordered dicts."""


@dataclass(frozen=True)
class _StorageType:
    """Stand-in for a ``torch.<Type>Storage`` class named in the pickle."""

    dtype: np.dtype


@dataclass
class _Storage:
    """A storage referenced by the pickle; ``data`` is filled in once its bytes are read."""

    key: str
    dtype: np.dtype
    numel: int
    data: np.ndarray | None = None


@dataclass(frozen=True)
class _TensorRef:
    """A tensor view of a storage, materialised after all storages are read."""

    storage: _Storage
    offset: int
    size: tuple[int, ...]
    stride: tuple[int, ...]

    def to_numpy(self) -> np.ndarray:
        data = self.storage.data
        if data is None:
            raise pickle.UnpicklingError(f"storage {self.storage.key!r} has no data in the file")
        if not self.size:
            return data[self.offset : self.offset + 1].reshape(()).copy()
        itemsize = data.dtype.itemsize
        needed = self.offset + 1 + sum((n - 1) * s for n, s in zip(self.size, self.stride) if n > 0)
        if min(self.size) > 0 and needed > data.size:
            raise pickle.UnpicklingError(
                f"tensor of size {self.size} overruns its storage {self.storage.key!r}"
            )
        view = np.lib.stride_tricks.as_strided(
            data[self.offset :],
            shape=self.size,
            strides=tuple(s * itemsize for s in self.stride),
            writeable=False,
        )
        return np.ascontiguousarray(view)


def _rebuild_tensor(storage: Any, storage_offset: int, size: Any, stride: Any, *_: Any) -> _TensorRef:
    if not isinstance(storage, _Storage):
        raise UnsafeCheckpointError("a tensor refers to something other than a storage")
    return _TensorRef(storage, int(storage_offset), tuple(map(int, size)), tuple(map(int, stride)))


def _rebuild_parameter(data: Any, requires_grad: bool, backward_hooks: Any, *_: Any) -> _TensorRef:
    if not isinstance(data, _TensorRef):
        raise UnsafeCheckpointError("a parameter wraps something other than a tensor")
    return data


_ALLOWED_GLOBALS: dict[tuple[str, str], Any] = {
    ("collections", "OrderedDict"): collections.OrderedDict,
    ("torch._utils", "_rebuild_tensor"): _rebuild_tensor,
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor,
    ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
    **{("torch", name): _StorageType(dtype) for name, dtype in STORAGE_DTYPES.items()},
}


class _RestrictedUnpickler(pickle.Unpickler):
    """Resolves only the globals of a plain state dict; storages become :class:`_Storage`."""

    def __init__(self, file: IO[bytes], storages: dict[str, _Storage]):
        super().__init__(file)
        self._storages = storages

    def find_class(self, module: str, name: str) -> Any:
        try:
            return _ALLOWED_GLOBALS[(module, name)]
        except KeyError:
            raise UnsafeCheckpointError(
                f"refusing to load {module}.{name}: only tensors, storages and OrderedDicts are "
                "allowed in a checkpoint"
            ) from None

    def persistent_load(self, pid: Any) -> _Storage:
        # Legacy: ('storage', type, key, location, numel, view_metadata)
        # Zip:    ('storage', type, key, location, numel)
        if not (isinstance(pid, tuple) and len(pid) >= 5 and pid[0] == "storage"):
            raise UnsafeCheckpointError(f"unsupported persistent id in checkpoint: {pid!r:.80}")
        storage_type, key, numel = pid[1], str(pid[2]), int(pid[4])
        if len(pid) > 5 and pid[5] is not None:
            raise UnsafeCheckpointError("storage views (pre-1.0 checkpoints) are not supported")
        if not isinstance(storage_type, _StorageType):
            raise UnsafeCheckpointError(f"unsupported storage type in checkpoint: {storage_type!r}")
        storage = self._storages.get(key)
        if storage is None:
            storage = self._storages[key] = _Storage(key, storage_type.dtype, numel)
        return storage


def _materialise(obj: Any) -> Any:
    """Replace every tensor reference in (nested) dicts, lists and tuples with a NumPy array."""
    if isinstance(obj, _TensorRef):
        return obj.to_numpy()
    if isinstance(obj, dict):
        return collections.OrderedDict((k, _materialise(v)) for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        return type(obj)(_materialise(v) for v in obj)
    if isinstance(obj, _Storage):
        raise UnsafeCheckpointError("bare storages in a checkpoint are not supported")
    return obj


def _load_legacy(file: IO[bytes]) -> Any:
    storages: dict[str, _Storage] = {}

    def load() -> Any:
        return _RestrictedUnpickler(file, storages).load()

    if load() != LEGACY_MAGIC_NUMBER:
        raise pickle.UnpicklingError("not a PyTorch checkpoint (wrong magic number)")
    protocol = load()
    if protocol != LEGACY_PROTOCOL_VERSION:
        raise pickle.UnpicklingError(f"unsupported legacy protocol version {protocol!r}")
    sys_info = load()
    if not isinstance(sys_info, dict) or not sys_info.get("little_endian", False):
        raise pickle.UnpicklingError("only little-endian legacy checkpoints are supported")
    result = load()
    keys = load()
    if not isinstance(keys, list):
        raise pickle.UnpicklingError("malformed checkpoint: storage keys are not a list")
    for key in keys:
        storage = storages.get(str(key))
        if storage is None:
            raise pickle.UnpicklingError(f"malformed checkpoint: unknown storage key {key!r}")
        (numel,) = struct.unpack("<q", file.read(8))
        nbytes = numel * storage.dtype.itemsize
        raw = file.read(nbytes)
        if numel != storage.numel or len(raw) != nbytes:
            raise pickle.UnpicklingError(f"truncated or inconsistent storage {key!r}")
        storage.data = np.frombuffer(raw, dtype=storage.dtype)
    return _materialise(result)


def _load_zip(path: str | os.PathLike[str]) -> Any:
    storages: dict[str, _Storage] = {}
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        pickles = [n for n in names if n.endswith("/data.pkl") or n == "data.pkl"]
        if len(pickles) != 1:
            raise pickle.UnpicklingError("not a PyTorch zip checkpoint (no single data.pkl)")
        prefix = pickles[0][: -len("data.pkl")]
        with archive.open(pickles[0]) as handle:
            result = _RestrictedUnpickler(handle, storages).load()  # type: ignore[arg-type]
        for key, storage in storages.items():
            raw = archive.read(f"{prefix}data/{key}")
            if len(raw) != storage.numel * storage.dtype.itemsize:
                raise pickle.UnpicklingError(f"truncated or inconsistent storage {key!r}")
            storage.data = np.frombuffer(raw, dtype=storage.dtype)
    return _materialise(result)


def load_state_dict(path: str | os.PathLike[str]) -> "collections.OrderedDict[str, np.ndarray]":
    """Read a PyTorch state-dict checkpoint into an ordered ``{name: ndarray}`` mapping.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.pth``/``.pt`` file written by ``torch.save(model.state_dict(), path)``, in the
        legacy (pre-1.6) or the zip format.

    Returns
    -------
    OrderedDict of str to numpy.ndarray
        Every tensor as a C-contiguous array with the tensor's shape and dtype.

    Raises
    ------
    UnsafeCheckpointError
        If the pickle names any global other than the tensor-rebuild helpers, the typed
        storage classes and ``collections.OrderedDict``: nothing it names is ever called.
    pickle.UnpicklingError
        If the file is not a PyTorch checkpoint or is truncated.
    """
    if zipfile.is_zipfile(path):
        result = _load_zip(path)
    else:
        with open(path, "rb") as file:
            result = _load_legacy(file)
    if not isinstance(result, dict) or not all(
        isinstance(k, str) and isinstance(v, np.ndarray) for k, v in result.items()
    ):
        raise UnsafeCheckpointError("the checkpoint is not a flat state dict of tensors")
    return result
