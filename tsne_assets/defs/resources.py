"""Resources: where everything is stored, which folder the sensor watches, and how progress is shown."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import dagster as dg
from pydantic import PrivateAttr
from tqdm import tqdm
from upath import UPath

from ..core import storage
from ..core.s3 import DEFAULT_RETRY_SECONDS
from ..core.spec import CollectionSpec
from ..settings import local_or_url
from .single_flight import PARTITION_TAG, claim_collection

#: Statuses of runs that are over: their intermediate folders are no longer read.
FINISHED = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED]


class StorageResource(dg.ConfigurableResource):
    """The storage root (a local folder or ``s3://bucket/prefix``) that holds every output.

    In a run of a collection's partition, it is set up only once no earlier run of the same
    collection is unfinished (:mod:`.single_flight`): a step never writes over another run's.
    While it is set up, S3 retries are reported in the run's log.
    """

    root: str
    """A folder or ``s3://bucket/prefix``."""
    endpoint_url: str | None = None
    """S3-compatible endpoint (MinIO, Ceph, R2...) of the root and of S3 image sources."""
    retry_seconds: int = DEFAULT_RETRY_SECONDS
    """How long an S3 request that gets no answer is retried; then the step fails."""

    _notices: storage.NoticeHandler | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        if context.run is not None and context.instance is not None:
            claim_collection(context.instance, context.run)
        # Dagster sets up each nested copy of this resource (one per IO manager): the run's
        # notices need one handler, or each would be reported once per copy.
        run_id = context.run.run_id if context.run is not None else None
        attached = run_id is not None and any(getattr(h, "key", None) == run_id for h in storage.log.handlers)
        if context.log is not None and not attached:
            self._notices = storage.NoticeHandler(context.log.warning, key=run_id)
            storage.log.addHandler(self._notices)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._notices is not None:
            storage.log.removeHandler(self._notices)

    @property
    def base(self) -> UPath:
        return storage.storage_path(local_or_url(self.root), self.endpoint_url, self.retry_seconds)

    @property
    def storage_options(self) -> dict[str, Any]:
        return self.options_for(self.root)

    def options_for(self, url: str) -> dict[str, Any]:
        """fsspec options for another location, such as an S3 image source on the same server."""
        return storage.storage_options(url, self.endpoint_url, self.retry_seconds)

    def path(self, *parts: str) -> UPath:
        return self.base.joinpath(*parts)

    def load_spec(self, collection_id: str) -> CollectionSpec:
        """The spec registered for the collection: that of its latest build."""
        return storage.load_spec(self.base, collection_id)

    def save_spec(self, spec: CollectionSpec) -> None:
        storage.save_spec(self.base, spec)

    def remove_run_folders(self, instance: dg.DagsterInstance, run: dg.DagsterRun) -> list[str]:
        """Remove the intermediate folders (``assets/<run id>/``) of ``run`` and of its
        collection's runs that are over: those that failed or were killed before removing
        their own. Folders of runs in progress, of other collections or unknown to
        ``instance`` stay. Returns the run ids removed."""
        folders = storage.run_folders(self.base)
        others = [run_id for run_id in folders if run_id != run.run_id]
        collection = run.tags.get(PARTITION_TAG)
        over = set()
        if others and collection:
            records = instance.get_run_records(
                dg.RunsFilter(run_ids=others, tags={PARTITION_TAG: collection}, statuses=FINISHED)
            )
            over = {record.dagster_run.run_id for record in records}
        removed = [run_id for run_id in folders if run_id == run.run_id or run_id in over]
        for run_id in removed:
            storage.remove_tree(self.path("assets", run_id))
        return removed


class ImagesFolder(dg.ConfigurableResource):
    """The folder the collections sensor watches: each subfolder is a collection.

    ``root`` is a local folder or an ``s3://`` URL (on the storage's endpoint); ``None``
    leaves the sensor idle. With ``remove_missing``, the partition of a collection whose folder
    was removed is removed too (its published outputs stay); otherwise it is only reported.
    """

    root: str | None = None
    """A folder or ``s3://bucket/prefix`` whose subfolders are collections."""
    remove_missing: bool = False
    """Remove the partition of a collection whose folder is gone."""

    @property
    def location(self) -> str | None:
        """The watched folder (absolute) or URL, if any."""
        return local_or_url(self.root) if self.root else None


class ProgressReporter(dg.ConfigurableResource):
    """Reports the progress of long steps to the Dagster log, and as a bar on a terminal."""

    bar: bool = False
    """Draw a progress bar on the terminal (the command line's in-process runs)."""
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
                if progress_bar.postfix:  # the storage answers again
                    progress_bar.set_postfix_str("", refresh=False)
                progress_bar.update(count)
            percent = 100 * done // max(total, 1)
            if percent >= next_log:
                log.info(f"{description}: {done}/{total} ({percent}%)")
                next_log = (percent // self.log_every_percent + 1) * self.log_every_percent

        def notice(summary: str) -> None:  # S3 is retrying: said on the bar, which stands still
            if progress_bar is not None:
                progress_bar.set_postfix_str(summary, refresh=True)

        try:
            with storage.notices_to(notice, short=True):
                yield advance
        finally:
            if progress_bar is not None:
                progress_bar.close()
