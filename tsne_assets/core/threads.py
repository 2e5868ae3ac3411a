"""How many threads a step runs on: ``n_jobs`` as scikit-learn and openTSNE take it."""

from __future__ import annotations

import os


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity, which containers narrow)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def thread_count(n_jobs: int) -> int:
    """The threads ``n_jobs`` asks for: -1 for every core (:func:`available_cores`), else that
    positive number; anything else is refused."""
    if isinstance(n_jobs, bool) or n_jobs == 0 or n_jobs < -1:
        raise ValueError(f"n_jobs must be -1 (every core) or a positive number of threads, not {n_jobs}")
    return available_cores() if n_jobs == -1 else int(n_jobs)
