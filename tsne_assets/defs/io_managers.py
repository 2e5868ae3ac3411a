"""IO managers that store arrays as ``.npy``, tables as Parquet and documents as JSON.

Never pickles: every stored value can be read by other tools. All three live under
``<storage root>/assets/`` and work on local disk and S3 alike through universal-pathlib, with
the storage root's options (endpoint, retries) carried by the base path.
"""

from __future__ import annotations

import io
import json
from typing import Any, ClassVar

import dagster as dg
import numpy as np
import pandas as pd
from upath import UPath

from ..core import storage
from .resources import StorageResource


class _StorageIOManager(dg.UPathIOManager):
    """Serialises a value to bytes and writes them whole: readers never see a partial file."""

    @property
    def storage_options(self) -> dict[str, Any]:
        """The root's fsspec options (Dagster's own property fails with universal-pathlib 0.3)."""
        return dict(self._base_path.storage_options)

    def dump_to_path(self, context: dg.OutputContext, obj: Any, path: UPath) -> None:
        storage.write_bytes_atomic(path, self.serialize(obj))

    def load_from_path(self, context: dg.InputContext, path: UPath) -> Any:
        return self.deserialize(path.read_bytes())

    def serialize(self, obj: Any) -> bytes:
        raise NotImplementedError

    def deserialize(self, data: bytes) -> Any:
        raise NotImplementedError


class NumpyIOManager(_StorageIOManager):
    extension = ".npy"

    def serialize(self, obj: np.ndarray) -> bytes:
        buffer = io.BytesIO()
        np.save(buffer, np.asarray(obj), allow_pickle=False)
        return buffer.getvalue()

    def load_from_path(self, context: dg.InputContext, path: UPath) -> np.ndarray:
        # Local arrays are memory-mapped, read-only: a step that uses a slice of a large array
        # (PCA fits on a sample of the features) never holds all of it in memory.
        if path.protocol in ("", "file", "local"):
            return np.load(path.path, mmap_mode="r", allow_pickle=False)
        return super().load_from_path(context, path)

    def deserialize(self, data: bytes) -> np.ndarray:
        return np.load(io.BytesIO(data), allow_pickle=False)


class ParquetIOManager(_StorageIOManager):
    extension = ".parquet"

    def serialize(self, obj: pd.DataFrame) -> bytes:
        buffer = io.BytesIO()
        obj.to_parquet(buffer, index=False)
        return buffer.getvalue()

    def deserialize(self, data: bytes) -> pd.DataFrame:
        return pd.read_parquet(io.BytesIO(data))


class JsonIOManager(_StorageIOManager):
    extension = ".json"

    def serialize(self, obj: Any) -> bytes:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()

    def deserialize(self, data: bytes) -> Any:
        return json.loads(data)


class _StorageIOManagerFactory(dg.ConfigurableIOManagerFactory):
    storage: StorageResource
    manager_class: ClassVar[type[_StorageIOManager]]

    def create_io_manager(self, context: dg.InitResourceContext) -> _StorageIOManager:
        return self.manager_class(base_path=self.storage.path("assets"))


class NumpyStorage(_StorageIOManagerFactory):
    """Arrays as ``.npy`` files."""

    manager_class = NumpyIOManager


class ParquetStorage(_StorageIOManagerFactory):
    """DataFrames as Parquet files."""

    manager_class = ParquetIOManager


class JsonStorage(_StorageIOManagerFactory):
    """JSON-serialisable values (dicts and lists of plain values) as ``.json`` files."""

    manager_class = JsonIOManager
