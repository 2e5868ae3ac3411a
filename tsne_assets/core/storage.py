"""One storage root, local folder or object store, as a universal-pathlib path."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from upath import UPath

from .spec import CollectionSpec

#: Environment variable naming the storage root; the default is ``./tsne-data``.
ROOT_ENV = "TSNE_ASSETS_ROOT"
#: Optional endpoint for S3-compatible servers (MinIO, Ceph, R2...).
ENDPOINT_ENV = "TSNE_ASSETS_S3_ENDPOINT_URL"


def default_root() -> str:
    """The storage root from ``$TSNE_ASSETS_ROOT``, else ``./tsne-data`` made absolute."""
    root = os.environ.get(ROOT_ENV, "tsne-data")
    return root if "://" in root else str(Path(root).resolve())


def storage_options(root: str, endpoint_url: str | None = None) -> dict[str, Any]:
    """fsspec options for ``root``: an S3 endpoint where one is given, nothing otherwise."""
    if root.startswith("s3://") and endpoint_url:
        return {"endpoint_url": endpoint_url}
    return {}


def storage_path(root: str, endpoint_url: str | None = None) -> UPath:
    """``root`` as a path object that works the same on local disk and S3."""
    return UPath(root, **storage_options(root, endpoint_url))


def is_local(path: UPath | Path) -> bool:
    return not isinstance(path, UPath) or path.protocol in ("", "file", "local")


def local_path(path: UPath | Path) -> Path:
    return Path(path.path if isinstance(path, UPath) else path)


def copy_tree(source: Path, destination: UPath) -> None:
    """Copy a local folder into storage, creating ``destination``."""
    if is_local(destination):
        shutil.copytree(source, local_path(destination), dirs_exist_ok=True)
    else:
        destination.fs.put(str(source) + "/", destination.path, recursive=True)


def spec_path(root: UPath, collection_id: str) -> UPath:
    return root / "collections" / f"{collection_id}.json"


def save_spec(root: UPath, spec: CollectionSpec) -> None:
    path = spec_path(root, spec.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(spec.to_json())


def load_spec(root: UPath, collection_id: str) -> CollectionSpec:
    path = spec_path(root, collection_id)
    if not path.exists():
        raise FileNotFoundError(
            f"collection {collection_id!r} has no spec at {path}; register it with "
            "`tsne-assets build --id ...` or let the sensor find its folder"
        )
    return CollectionSpec.from_json(path.read_text())
