"""Object storage that stops answering: bounded retries, said while they happen, one line when
they give up, cleanup that never hides the error, and a next build that leaves no leftovers.

Each test has its own S3 server (moto on 127.0.0.1), which it stops and starts again."""

from __future__ import annotations

import logging
import re
import socket
import time
from contextlib import contextmanager

import boto3
import dagster as dg
import pytest
from moto.server import ThreadedMotoServer

from tsne_assets.cli import main
from tsne_assets.core.site import publish_site
from tsne_assets.core.spec import CollectionSpec
from tsne_assets.core.storage import storage_path
from tsne_assets.defs.assets.collection import spec_run_config
from tsne_assets.defs.definitions import build_collection_job, make_resources, pipeline_assets
from tsne_assets.defs.resources import ProgressReporter
from tsne_assets.errors import StorageUnavailableError
from tsne_assets_tests.collections import write_images
from tsne_assets_tests.deploy.test_publish import metadata, publish_locally

#: The retry time of these tests, and what a failure may take beyond it (one connection
#: refused, the test's own work on a busy machine).
RETRY_SECONDS = 3
SLACK = 3


class Endpoint:
    """An S3 server of the test's own, which the test stops and starts again."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.running = False
        self.stopped_at: float | None = None

    def stop(self) -> None:
        self.server.stop()
        self.running, self.stopped_at = False, time.monotonic()

    def start(self) -> None:
        self.server.start()  # on the same port; the buckets are kept in this process
        self.running = True


@pytest.fixture
def endpoint(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("TSNE_ASSETS_S3_RETRY_SECONDS", str(RETRY_SECONDS))
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    server = Endpoint()
    server.start()
    boto3.client("s3", endpoint_url=server.url).create_bucket(Bucket="maps")
    yield server
    if server.running:
        server.stop()


def keys(endpoint: Endpoint, prefix: str) -> list[str]:
    pages = boto3.client("s3", endpoint_url=endpoint.url).get_paginator("list_objects_v2").paginate(
        Bucket="maps", Prefix=prefix
    )
    return sorted(item["Key"] for page in pages for item in page.get("Contents", []))


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("tsne-assets: error:")]


def test_a_publish_to_a_stopped_endpoint_fails_in_one_line_within_the_retry_time(tmp_path, endpoint, capsys):
    publish_locally(tmp_path, "v1", "first")
    publish = ["publish", "tiny", "--root", str(tmp_path), "--to", "s3://maps/tiny", "--to-endpoint-url", endpoint.url]
    endpoint.stop()
    started = time.monotonic()
    assert main(publish) == 2
    assert time.monotonic() - started < RETRY_SECONDS + SLACK
    err = capsys.readouterr().err
    [error] = error_lines(err)
    assert re.fullmatch(
        rf"tsne-assets: error: S3 at {re.escape(endpoint.url)} is not answering: ListObjectsV2 failed \(.+\); "
        rf"gave up after {RETRY_SECONDS}\.\d s",
        error,
    )
    assert f"tsne-assets: S3 not answering at {endpoint.url} (ListObjectsV2: " in err  # said while retrying
    assert "Traceback" not in err

    endpoint.start()
    assert main(publish) == 0
    assert "versions/v1/metadata.json" in [key.removeprefix("tiny/") for key in keys(endpoint, "tiny/")]


@contextmanager
def stopped_before_writing(endpoint: Endpoint, path, name: str):
    """Stop ``endpoint`` when the S3 client of ``path`` is about to write an object called
    ``name``: a botocore event hook of that client, removed afterwards."""

    def stop(request, **_):
        if request.url.endswith(f"/{name}") and endpoint.running:
            endpoint.stop()

    events = path.fs.s3.meta.events
    events.register("before-send.s3.PutObject", stop)
    try:
        yield
    finally:
        events.unregister("before-send.s3.PutObject", stop)


def test_cleanup_after_an_outage_never_hides_the_error_and_the_next_publish_removes_what_is_left(
    tmp_path, endpoint, caplog
):
    site = storage_path("s3://maps/site/tiny", endpoint.url, RETRY_SECONDS)
    publish_locally(tmp_path, "v1", "first")  # tiles under tmp_path/tiles/v1
    publish_site(site, version="v1", tiles_dir=tmp_path / "tiles" / "v1", metadata=metadata("first"))

    # The tiles of v2 are written, then its metadata cannot be.
    with stopped_before_writing(endpoint, site, "metadata.json"), pytest.raises(StorageUnavailableError) as raised:
        publish_site(site, version="v2", tiles_dir=tmp_path / "tiles" / "v1", metadata=metadata("second"))
    assert time.monotonic() - endpoint.stopped_at < RETRY_SECONDS + SLACK
    # The error is the upload's; removing the half-written version failed at once, and says so.
    assert (raised.value.endpoint, raised.value.operation) == (endpoint.url, "PutObject")
    assert "\n" not in str(raised.value)
    assert any(
        record.getMessage().startswith("could not remove ") and "site/tiny/versions/v2" in record.getMessage()
        for record in caplog.records
    )

    endpoint.start()
    assert keys(endpoint, "site/tiny/current.json") and b"v1" in boto3.client(
        "s3", endpoint_url=endpoint.url
    ).get_object(Bucket="maps", Key="site/tiny/current.json")["Body"].read()
    publish_site(site, version="v3", tiles_dir=tmp_path / "tiles" / "v1", metadata=metadata("third"))
    assert {key.split("/")[3] for key in keys(endpoint, "site/tiny/versions/")} == {"v1", "v3"}


def test_a_build_whose_storage_stops_mid_build_fails_in_one_line_and_the_next_build_leaves_no_leftovers(
    tmp_path, endpoint, instance
):
    class StoppingProgress(ProgressReporter):
        """Stops the S3 server when the mosaic starts: the tiles cannot be uploaded."""

        def track(self, log, total, description):
            if description == "drawing mosaic" and endpoint.stopped_at is None:
                endpoint.stop()
            return super().track(log, total, description)

    write_images(tmp_path / "birds", range(5))
    spec = CollectionSpec(id="birds", images=str(tmp_path / "birds"), cell_size=(16, 16))
    instance.add_dynamic_partitions("collections", ["birds"])

    def build(progress: ProgressReporter) -> dg.ExecuteInProcessResult:
        resources = {**make_resources("s3://maps/data", endpoint.url, retry_seconds=RETRY_SECONDS), "progress": progress}
        job = dg.Definitions(assets=pipeline_assets, jobs=[build_collection_job], resources=resources)
        return job.resolve_job_def(build_collection_job.name).execute_in_process(
            run_config=spec_run_config(spec), instance=instance, partition_key="birds"
        )

    with pytest.raises(StorageUnavailableError) as raised:
        build(StoppingProgress())
    assert time.monotonic() - endpoint.stopped_at < RETRY_SECONDS + SLACK
    assert re.fullmatch(rf"S3 at {re.escape(endpoint.url)} is not answering: \w+ failed \(.+\); gave up after .+ s", str(raised.value))
    [failed] = instance.get_runs()
    assert failed.status == dg.DagsterRunStatus.FAILURE
    messages = [entry.user_message for entry in instance.all_logs(failed.run_id)]
    assert any(message.startswith(f"S3 not answering at {endpoint.url} (") for message in messages)  # said, in the run's log

    endpoint.start()
    assert build(ProgressReporter()).success
    stored = keys(endpoint, "data/")
    assert not [key for key in stored if failed.run_id in key]  # no tiles, version or shards of the failed run
    assert any(key.startswith("data/site/birds/versions/") for key in stored)


def test_a_command_line_build_with_its_storage_down_prints_the_error_and_where_the_log_is(
    tmp_path, endpoint, capsys, monkeypatch
):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    write_images(tmp_path / "birds", range(2))
    endpoint.stop()
    code = main(["build", "--id", "birds", "--images", str(tmp_path / "birds"), "--tile", "16",
                 "--root", "s3://maps/data", "--endpoint-url", endpoint.url])
    assert code == 1
    with dg.DagsterInstance.get() as home:
        [run] = home.get_runs()
    lines = capsys.readouterr().err.splitlines()
    assert lines[-2].startswith(f"tsne-assets: error: S3 at {endpoint.url} is not answering: ")
    assert lines[-1] == f"full log: tsne-assets ui --root s3://maps/data (run {run.run_id})"
    notices = [line for line in lines[:-2] if line.startswith(f"warning: run: S3 not answering at {endpoint.url}")]
    assert notices and len(notices) == len(set(notices))  # each retry said once


def test_the_progress_bar_says_that_s3_is_being_retried(endpoint, capsys):
    root = storage_path("s3://maps/data", endpoint.url, RETRY_SECONDS)
    endpoint.stop()
    with pytest.raises(StorageUnavailableError):
        with ProgressReporter(bar=True).track(logging.getLogger("test"), 10, "embedding images"):
            (root / "cache" / "vector.npy").read_bytes()
    err = capsys.readouterr().err
    assert "embedding images:   0%|" in err and f"S3 not answering at {endpoint.url}, retrying (attempt 2)" in err
