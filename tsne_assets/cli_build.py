"""A build started from the command line: its Dagster home, the run, and how its outcome is
reported (progress bars and the steps' warnings while it runs; one error line and where the
full log is when it fails)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from upath import UPath

from .core.spec import CollectionSpec
from .core.storage import storage_path, write_text_atomic
from .errors import EXPECTED_ERRORS, CollectionBusyError
from .settings import Settings

#: The instance configuration of the command line's own Dagster home, and the one versions
#: before run monitoring wrote (replaced; any other existing dagster.yaml is the user's).
INSTANCE_YAML = """\
# The Dagster instance of the tsne-assets command line; edit freely, it is not rewritten.
telemetry:
  enabled: false
# Runs launched from `tsne-assets ui` whose worker is gone are marked failed by the code
# server, runs stuck starting by the daemon; runs of `tsne-assets build` whose process died
# are marked failed by the next build of their collection.
run_monitoring:
  enabled: true
  start_timeout_seconds: 180
  max_resume_run_attempts: 0
"""
EARLIER_INSTANCE_YAML = "telemetry:\n  enabled: false\n"


def dagster_home(root: str) -> str:
    """``$DAGSTER_HOME``, or a persistent instance folder beside a local storage root; given
    :data:`INSTANCE_YAML` where it has no ``dagster.yaml`` or the one of earlier versions."""
    if os.environ.get("DAGSTER_HOME"):
        home = Path(os.environ["DAGSTER_HOME"])
    else:
        home = Path(root) / ".dagster" if "://" not in root else Path.home() / ".tsne-assets" / "dagster"
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() or config.read_text() == EARLIER_INSTANCE_YAML:
        write_text_atomic(config, INSTANCE_YAML)  # another build starting may be reading it
    os.environ["DAGSTER_HOME"] = str(home)
    return str(home)


def storage_root(settings: Settings) -> UPath:
    """The settings' storage root as a path."""
    return storage_path(settings.root, settings.endpoint_url, settings.s3_retry_seconds)


def _run_of_this_build(collection_id: str, since: float) -> str | None:
    """The id of the run this process started for the collection after ``since``, if any."""
    from datetime import datetime, timezone

    import dagster as dg

    from .defs.single_flight import PARTITION_TAG, process_tags

    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs(
            dg.RunsFilter(
                tags={PARTITION_TAG: collection_id, **process_tags()},
                created_after=datetime.fromtimestamp(since, timezone.utc),
            ),
            limit=1,
        )
    return runs[0].run_id if runs else None


def _step_failure(result: Any) -> str:
    """The error of a run's first failed step, in one line, as the step recorded it."""
    failures = result.get_step_failure_events()
    if not failures:
        return "the run failed before any step did"
    error = failures[0].step_failure_data.error
    while error.cause is not None and error.cls_name.startswith("Dagster"):  # Dagster's wrapping
        error = error.cause
    message = error.message.strip().splitlines()[0].removeprefix(f"{error.cls_name}: ")
    expected = error.cls_name in {kind.__name__ for kind in EXPECTED_ERRORS}
    return message if expected else f"{error.cls_name}: {message}"


def _failed(message: str, root: str, run_id: str) -> int:
    """Report a failed run: its error, and where its full log is."""
    print(f"tsne-assets: error: {message}", file=sys.stderr)
    print(f"full log: tsne-assets ui --root {root} (run {run_id})", file=sys.stderr)
    return 1


def build_and_report(
    spec: CollectionSpec, settings: Settings, executor: str, verbose: bool = False, relayout: bool = False
) -> int:
    """Run the build (``relayout``: the map laid out afresh); a failed run is reported in one
    line, with where its full log is."""
    import dagster as dg  # Dagster loads slowly: only when needed

    from .defs.console import VERBOSE_RUN_CONFIG, quiet_dagster_warnings

    if not verbose:
        quiet_dagster_warnings()
    from .defs.assets.layout import RELAYOUT_RUN_CONFIG
    from .defs.build import build_collection, merge_run_config

    home = dagster_home(settings.root)
    print(f"Building collection {spec.id!r} into {settings.root} (Dagster instance: {home})")
    started = time.time()
    try:
        result = build_collection(
            spec,
            root=settings.root,
            endpoint_url=settings.endpoint_url,
            executor=executor,
            command_line=True,
            run_config=merge_run_config(VERBOSE_RUN_CONFIG if verbose else {}, RELAYOUT_RUN_CONFIG if relayout else {}),
        )
    except Exception as error:
        cause = error.user_exception if isinstance(error, dg.DagsterUserCodeExecutionError) else error
        run_id = _run_of_this_build(spec.id, started)
        if isinstance(cause, CollectionBusyError) or run_id is None:  # refused, or failed before any run
            raise (cause or error) from None
        if verbose and not isinstance(cause, EXPECTED_ERRORS):
            raise
        expected = isinstance(cause, EXPECTED_ERRORS)
        return _failed(str(cause) if expected else f"{type(cause).__name__}: {cause}", settings.root, run_id)
    if not result.success:  # executors other than in_process report a failed step here
        return _failed(_step_failure(result), settings.root, result.run_id)
    print(f"Done. Outputs are under {storage_root(settings) / 'site' / spec.id}")
    if "://" not in settings.root:
        print(f"View the map:        tsne-assets serve --root {settings.root}")
        print(f"See runs and lineage: tsne-assets ui --root {settings.root}")
    return 0
