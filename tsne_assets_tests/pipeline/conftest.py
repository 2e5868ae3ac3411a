import dagster as dg
import pytest


@pytest.fixture
def instance():
    """A real, temporary Dagster instance (SQLite run, event-log and schedule storage)."""
    with dg.instance_for_test() as instance:
        yield instance
