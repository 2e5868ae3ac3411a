"""The command line's console during a build: the steps' warnings, one line each.

Dagster's default console logger prints every event of a run, with stack traces for failures.
On the command line, the progress bars show what a build is doing, a failure is reported in
one line by the command itself, and the full log stays in the instance (``tsne-assets ui``);
what the console still needs is what the steps warn about (skipped files, unmatched rows,
S3 retrying). ``tsne-assets --verbose`` shows everything instead: Dagster's own console logger
at DEBUG, and Dagster's warnings about its preview and superseded APIs.
"""

from __future__ import annotations

import logging
import sys
import warnings

import dagster as dg

#: Run config that instantiates the job's ``console`` logger: without a ``loggers`` section,
#: Dagster uses its default console logger whatever the job defines.
CONSOLE_RUN_CONFIG = {"loggers": {"console": {}}}
#: The same logger showing every event of the run (``tsne-assets --verbose``).
VERBOSE_RUN_CONFIG = {"loggers": {"console": {"config": {"verbose": True}}}}
#: Dagster's notices about its own APIs: for developers, not for the users of a build.
DAGSTER_WARNINGS = (dg.PreviewWarning, dg.BetaWarning, dg.SupersessionWarning)
#: Where Dagster keeps a record's metadata (``dagster._core.log_manager.LOG_RECORD_METADATA_ATTR``).
_METADATA = "dagster_meta"


def _is_step_message(record: logging.LogRecord) -> bool:
    """Whether the record is a message of a step's own (``context.log``), not a Dagster event."""
    metadata = getattr(record, _METADATA, None)
    return isinstance(metadata, dict) and metadata.get("dagster_event") is None


class _StepMessageFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        metadata = getattr(record, _METADATA)
        return f"{record.levelname.lower()}: {metadata.get('step_key') or 'run'}: {metadata['orig_message']}"


def quiet_dagster_warnings() -> None:
    """Ignore :data:`DAGSTER_WARNINGS` (within the caller's ``warnings.catch_warnings()``)."""
    for category in DAGSTER_WARNINGS:
        warnings.filterwarnings("ignore", category=category)


@dg.logger(
    config_schema={"verbose": dg.Field(bool, default_value=False, description="Every event, at DEBUG.")},
    description="Warnings of the build's steps, one line each, on standard error.",
)
def step_warnings(init_context: dg.InitLoggerContext) -> logging.Logger:
    if init_context.logger_config["verbose"]:
        return dg.colored_console_logger.logger_fn(
            dg.build_init_logger_context(logger_config={"log_level": "DEBUG", "name": "dagster"})
        )
    logger = logging.Logger("tsne_assets.console", level=logging.WARNING)
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_is_step_message)
    handler.setFormatter(_StepMessageFormatter())
    logger.addHandler(handler)
    return logger
