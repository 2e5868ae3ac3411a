"""Fixtures shared by every test package."""

import os
import re
import socket
import tempfile

import dagster as dg
import pytest


#: A RAM-backed folder, where the system has one with room, for every temporary file of the tests
#: (pytest's ``tmp_path``, Dagster's test instances): Dagster's SQLite storages commit each event,
#: and on disk those commits make a small build take a third longer. A ``TMPDIR`` set by the
#: caller wins.
RAM_FOLDER = "/dev/shm"
#: A run writes about 1.1 GB there (two VGG16 weight files; pyproject.toml keeps only failed
#: tests' folders); a container's small /dev/shm (Docker's 64 MB) is left alone.
RAM_FOLDER_FREE = 8 * 2**30


def _ram_folder_has_room() -> bool:
    if not (os.path.isdir(RAM_FOLDER) and os.access(RAM_FOLDER, os.W_OK)):
        return False
    stats = os.statvfs(RAM_FOLDER)
    return stats.f_bavail * stats.f_frsize >= RAM_FOLDER_FREE


def pytest_configure(config):
    if "TMPDIR" not in os.environ and _ram_folder_has_room():
        os.environ["TMPDIR"] = RAM_FOLDER  # for subprocesses too (command lines, step processes)
        tempfile.tempdir = None  # recomputed from TMPDIR


@pytest.fixture
def instance():
    """A real, temporary Dagster instance (SQLite run, event-log and schedule storage)."""
    with dg.instance_for_test() as instance:
        yield instance


@pytest.fixture(scope="module")
def module_instance():
    """A Dagster instance shared by a module's tests: for a build that several tests only read
    (its events, its storage), made once per module instead of once per test."""
    with dg.instance_for_test() as instance:
        yield instance


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible HTTP server on 127.0.0.1 (moto), as s3fs's own tests use.

    Yields the endpoint URL. Credentials are dummies set in the environment, so that boto
    and s3fs find them through the usual AWS credential chain.
    """
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        env.delenv("AWS_PROFILE", raising=False)
        yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_server, request):
    """A fresh, empty bucket on the S3 server; yields its name."""
    import boto3

    name = "test-" + re.sub(r"[^a-z0-9]+", "-", request.node.name.lower())[:40].strip("-")
    client = boto3.client("s3", endpoint_url=s3_server)
    client.create_bucket(Bucket=name)
    yield name
