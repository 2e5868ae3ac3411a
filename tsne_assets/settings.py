"""Every deployment setting of tsne-assets: its environment variable, default and meaning.

The one place that knows these names. The Dagster definitions declare their resources from
here (as ``dg.EnvVar`` where a variable is set, so the UI shows where a value comes from), and
the command line starts from :meth:`Settings.from_env` and lets its flags override. Nothing
reads the environment at import time.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass

#: Values of a yes/no variable that mean yes.
_TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, default (as text) and what it means."""

    env: str
    default: str | None
    help: str


ROOT = Setting("TSNE_ASSETS_ROOT", "tsne-data", "storage root: a folder or s3://bucket/prefix")
ENDPOINT_URL = Setting("TSNE_ASSETS_S3_ENDPOINT_URL", None, "S3-compatible endpoint (MinIO, Ceph, R2...)")
IMAGES_ROOT = Setting(
    "TSNE_ASSETS_IMAGES_ROOT", None, "folder whose subfolders the collections sensor builds (local or s3://)"
)
REMOVE_MISSING = Setting(
    "TSNE_ASSETS_REMOVE_MISSING", "false", "yes: remove the partition of a collection whose folder is gone"
)
EXECUTOR = Setting(
    "TSNE_ASSETS_EXECUTOR", None, "executor of the code location's runs: in_process, multiprocess, dask or k8s"
)
DASK_ADDRESS = Setting("TSNE_ASSETS_DASK_ADDRESS", None, "Dask scheduler of the dask executor (tcp://host:8786)")
REBUILD_CRON = Setting("TSNE_ASSETS_REBUILD_CRON", "0 3 * * *", "cron expression of the nightly rebuild")
S3_RETRY_SECONDS = Setting(
    "TSNE_ASSETS_S3_RETRY_SECONDS", "60", "seconds an S3 request that gets no answer is retried before the step fails"
)

#: The executors a run may use (see tsne_assets.defs.executors).
EXECUTORS = ("in_process", "multiprocess", "dask", "k8s")


def local_or_url(location: str) -> str:
    """A URL as it is; a local folder made absolute (a run may start in any folder)."""
    return location if "://" in location else os.path.abspath(os.path.expanduser(location))


def _seconds(text: str, setting: Setting) -> int:
    """A whole number of seconds from an environment variable."""
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{setting.env} must be a whole number of seconds, not {text!r}") from None


@dataclass(frozen=True)
class Settings:
    """The settings in effect, as values.

    Parameters
    ----------
    root:
        Storage root of every output: an absolute folder or ``s3://bucket/prefix``.
    endpoint_url:
        Endpoint of an S3-compatible server for the root and S3 image sources; ``None`` for AWS.
    images_root:
        The folder the collections sensor watches; ``None`` leaves the sensor idle.
    remove_missing:
        Whether the sensor removes the partition of a collection whose folder disappeared.
    executor:
        Executor of the code location's runs; ``None`` for Dagster's default (subprocesses).
    dask_address:
        The Dask scheduler, for the ``dask`` executor.
    rebuild_cron:
        When the nightly rebuild runs.
    s3_retry_seconds:
        How long an S3 request that gets no answer is retried; then its operation fails.
    """

    root: str = "tsne-data"
    endpoint_url: str | None = None
    images_root: str | None = None
    remove_missing: bool = False
    executor: str | None = None
    dask_address: str | None = None
    rebuild_cron: str = REBUILD_CRON.default or ""
    s3_retry_seconds: int = 60

    def __post_init__(self) -> None:
        if self.s3_retry_seconds < 1:
            raise ValueError(f"{S3_RETRY_SECONDS.env} must be a whole number of seconds, at least 1")
        object.__setattr__(self, "root", local_or_url(self.root))
        if self.images_root:
            object.__setattr__(self, "images_root", local_or_url(self.images_root))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings that ``environ`` (default: this process's environment) declares."""
        environ = os.environ if environ is None else environ

        def value(setting: Setting) -> str | None:
            return environ.get(setting.env) or setting.default

        return cls(
            root=value(ROOT) or cls.root,
            endpoint_url=value(ENDPOINT_URL),
            images_root=value(IMAGES_ROOT),
            remove_missing=(value(REMOVE_MISSING) or "").strip().lower() in _TRUE,
            executor=value(EXECUTOR),
            dask_address=value(DASK_ADDRESS),
            rebuild_cron=value(REBUILD_CRON) or cls.rebuild_cron,
            s3_retry_seconds=_seconds(value(S3_RETRY_SECONDS) or "", S3_RETRY_SECONDS),
        )

    def replace(self, **changes: object) -> Settings:
        """A copy with ``changes`` (``None`` values are ignored: an option that was not given)."""
        return dataclasses.replace(self, **{key: value for key, value in changes.items() if value is not None})

    def environment(self) -> dict[str, str]:
        """These settings as environment variables, for a process that must share them (the UI)."""
        values = {
            ROOT: self.root,
            ENDPOINT_URL: self.endpoint_url,
            IMAGES_ROOT: self.images_root,
            REMOVE_MISSING: "true" if self.remove_missing else None,
            EXECUTOR: self.executor,
            DASK_ADDRESS: self.dask_address,
            REBUILD_CRON: self.rebuild_cron,
            S3_RETRY_SECONDS: str(self.s3_retry_seconds),
        }
        return {setting.env: value for setting, value in values.items() if value}
