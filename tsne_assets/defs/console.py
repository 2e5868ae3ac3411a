"""The command line's console during a build: the steps' warnings, one line each.

Dagster's default console logger prints every event of a run, with stack traces for failures.
On the command line, the progress bars show what a build is doing, a failure is reported in
one line by the command itself, and the full log stays in the instance (``tsne-assets ui``);
what the console still needs is what the steps warn about (skipped files, unmatched rows).
"""

from __future__ import annotations

import logging
import sys

import dagster as dg

#: Run config that instantiates the job's ``console`` logger: without a ``loggers`` section,
#: Dagster uses its default console logger whatever the job defines.
CONSOLE_RUN_CONFIG = {"loggers": {"console": {}}}
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


@dg.logger(description="Warnings of the build's steps, one line each, on standard error.")
def step_warnings(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.Logger("tsne_assets.console", level=logging.WARNING)
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_is_step_message)
    handler.setFormatter(_StepMessageFormatter())
    logger.addHandler(handler)
    return logger
