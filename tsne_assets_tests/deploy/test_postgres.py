"""A Dagster instance with deploy/dagster.yaml's storage on a real PostgreSQL server."""

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import dagster as dg
import psycopg2
import pytest

from tsne_assets.defs.build import build_collection
from tsne_assets_tests.conftest import _free_port

from .conftest import IMAGES, sharded

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the ``postgres`` user when we are root."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="module")
def postgres():
    """A throw-away PostgreSQL cluster on 127.0.0.1 (Debian's server, `make test-system-deps`).

    Yields the connection settings as deploy/dagster.yaml reads them from the environment.
    """
    (bin_dir,) = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1:]
    data = Path(tempfile.mkdtemp(prefix="tsne-pg-"))  # not under pytest's root-only tmp folder
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    port = _free_port()
    run = lambda *args: subprocess.run(_as_postgres([f"{bin_dir}/{args[0]}", *args[1:]]), check=True, capture_output=True)
    run("initdb", "-D", str(data / "db"), "-U", "dagster", "-A", "trust")
    options = f"-h 127.0.0.1 -p {port} -k {data}"
    run("pg_ctl", "-D", str(data / "db"), "-o", options, "-l", str(data / "log"), "-w", "start")
    try:
        run("createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "dagster", "dagster")
        yield {
            "DAGSTER_PG_HOST": "127.0.0.1",
            "DAGSTER_PG_PORT": str(port),
            "DAGSTER_PG_USERNAME": "dagster",
            "DAGSTER_PG_PASSWORD": "unused-with-trust-auth",
            "DAGSTER_PG_DB": "dagster",
        }
    finally:
        run("pg_ctl", "-D", str(data / "db"), "-m", "immediate", "stop")
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
def deployed_home(postgres, tmp_path, monkeypatch):
    """A DAGSTER_HOME holding deploy/dagster.yaml verbatim, its variables set to the server."""
    for name, value in postgres.items():
        monkeypatch.setenv(name, value)
    shutil.copy(DEPLOY / "dagster.yaml", tmp_path / "dagster.yaml")
    return tmp_path


def test_a_run_and_its_materializations_are_stored_in_postgres(deployed_home, small_collection, postgres):
    with dg.DagsterInstance.from_config(str(deployed_home)) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        result = build_collection(small_collection, root=str(deployed_home / "storage"), instance=instance, run_config=sharded())
        assert result.success

    with dg.DagsterInstance.from_config(str(deployed_home)) as fresh:
        (record,) = fresh.get_run_records()
        assert record.dagster_run.run_id == result.run_id
        assert record.dagster_run.is_success
        event = fresh.get_latest_materialization_event(dg.AssetKey("features"))
        assert event.run_id == result.run_id
        assert event.asset_materialization.partition == "small"
        assert event.asset_materialization.metadata["images"].value == IMAGES
        assert fresh.get_dynamic_partitions("collections") == ["small"]

    connection = psycopg2.connect(
        host="127.0.0.1", port=postgres["DAGSTER_PG_PORT"], user="dagster", dbname="dagster"
    )
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT run_id, status FROM runs")
        assert cursor.fetchall() == [(result.run_id, "SUCCESS")]
        cursor.execute(
            "SELECT DISTINCT asset_key FROM event_logs WHERE dagster_event_type = 'ASSET_MATERIALIZATION'"
        )
        stored = {key for (key,) in cursor.fetchall()}
    connection.close()
    assert '["features"]' in stored and '["viewer_site"]' in stored
