"""Resources: where everything is stored, which folder the sensor watches, and how progress is shown."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
from tqdm import tqdm
from upath import UPath

from ..core import storage
from ..core.spec import CollectionSpec


class StorageResource(dg.ConfigurableResource):
    """The storage root (a local folder or ``s3://bucket/prefix``) that holds every output."""

    root: str
    endpoint_url: str | None = None

    @property
    def base(self) -> UPath:
        return storage.storage_path(self.root, self.endpoint_url)

    @property
    def storage_options(self) -> dict[str, Any]:
        return storage.storage_options(self.root, self.endpoint_url)

    def options_for(self, url: str) -> dict[str, Any]:
        """fsspec options for another location, such as an S3 image source on the same server."""
        return storage.storage_options(url, self.endpoint_url)

    def path(self, *parts: str) -> UPath:
        return self.base.joinpath(*parts)

    def load_spec(self, collection_id: str) -> CollectionSpec:
        return storage.load_spec(self.base, collection_id)

    def save_spec(self, spec: CollectionSpec) -> None:
        storage.save_spec(self.base, spec)


#: The folder the collections sensor watches (local or ``s3://``); unset, the sensor idles.
IMAGES_ROOT_ENV = "TSNE_ASSETS_IMAGES_ROOT"
#: ``1`` removes the partition of a collection whose folder disappeared.
REMOVE_MISSING_ENV = "TSNE_ASSETS_REMOVE_MISSING"


class ImagesFolder(dg.ConfigurableResource):
    """The folder the collections sensor watches: each subfolder is a collection.

    ``root`` is a local folder or an ``s3://`` URL (on the storage's endpoint); ``None``
    leaves the sensor idle. With ``remove_missing``, the partition of a collection whose folder
    was removed is removed too (its published outputs stay); otherwise it is only reported.
    """

    root: str | None = None
    remove_missing: bool = False

    @classmethod
    def from_env(cls) -> ImagesFolder:
        """Settings from ``$TSNE_ASSETS_IMAGES_ROOT`` and ``$TSNE_ASSETS_REMOVE_MISSING``."""
        root = os.environ.get(IMAGES_ROOT_ENV) or None
        if root and "://" not in root:
            root = str(Path(root).resolve())
        return cls(root=root, remove_missing=os.environ.get(REMOVE_MISSING_ENV, "") in ("1", "true", "yes"))


class ProgressReporter(dg.ConfigurableResource):
    """Reports the progress of long steps to the Dagster log, and as a bar on a terminal."""

    bar: bool = False
    log_every_percent: int = 10

    @contextmanager
    def track(self, log: Any, total: int, description: str) -> Iterator[Callable[[int], None]]:
        """Yield a callback taking the number of items just finished."""
        done = 0
        next_log = self.log_every_percent
        progress_bar = tqdm(total=total, desc=description, unit="img") if self.bar else None

        def advance(count: int) -> None:
            nonlocal done, next_log
            done += count
            if progress_bar is not None:
                progress_bar.update(count)
            percent = 100 * done // max(total, 1)
            if percent >= next_log:
                log.info(f"{description}: {done}/{total} ({percent}%)")
                next_log = (percent // self.log_every_percent + 1) * self.log_every_percent

        try:
            yield advance
        finally:
            if progress_bar is not None:
                progress_bar.close()
