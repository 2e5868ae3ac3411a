"""The storage root's file operations and IO managers, on local disk and on a real S3 server."""

import http.client
import pickle
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import dagster as dg
import numpy as np
import pandas as pd
import pytest

from tsne_assets.core import storage
from tsne_assets.core.s3 import s3_session
from tsne_assets.defs.definitions import make_resources

SLOW_DOWN = b"<?xml version='1.0'?><Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>"


class FlakyProxy(ThreadingHTTPServer):
    """A real HTTP server in front of the S3 server that answers every other request with
    ``503 SlowDown``, as a busy object store does, and forwards the others."""

    def __init__(self, upstream: str) -> None:
        super().__init__(("127.0.0.1", 0), _FlakyHandler)
        self.upstream = urlsplit(upstream).netloc
        self.lock = threading.Lock()
        self.requests = 0
        self.refused = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _FlakyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def _body(self) -> bytes:
        if "chunked" not in self.headers.get("Transfer-Encoding", ""):
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))
        chunks = []
        while size := int(self.rfile.readline().split(b";")[0], 16):
            chunks.append(self.rfile.read(size))
            self.rfile.readline()
        self.rfile.readline()
        del self.headers["Transfer-Encoding"]
        self.headers["Content-Length"] = str(sum(map(len, chunks)))
        return b"".join(chunks)

    def _relay(self) -> None:
        body = self._body()
        with self.server.lock:
            self.server.requests += 1
            refuse = self.server.requests % 2 == 1
            self.server.refused += refuse
        if refuse:
            self.send_response(503)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(SLOW_DOWN)))
            self.end_headers()
            self.wfile.write(SLOW_DOWN)
            return
        upstream = http.client.HTTPConnection(self.server.upstream, timeout=10)
        upstream.request(self.command, self.path, body=body, headers=dict(self.headers))
        response = upstream.getresponse()
        data = response.read()
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length", "server", "date"):
                self.send_header(name, value)
        # A HEAD answer has no body but the object's length.
        length = response.getheader("Content-Length", "0") if self.command == "HEAD" else str(len(data))
        self.send_header("Content-Length", length)
        self.end_headers()
        self.wfile.write(data)
        upstream.close()

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _relay


@pytest.fixture
def flaky_endpoint(s3_server):
    proxy = FlakyProxy(s3_server)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    yield proxy
    proxy.shutdown()
    proxy.server_close()


def test_s3_options_carry_the_endpoint_and_a_retry_policy():
    options = storage.storage_options("s3://bucket/prefix", "http://127.0.0.1:9000", retry_seconds=3)
    assert options["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["config_kwargs"] == {
        "retries": {"total_max_attempts": 10, "mode": "adaptive"}, "connect_timeout": 3, "read_timeout": 3
    }
    assert options["session"] is s3_session(3) is not s3_session(60)  # one per retry time: fsspec reuses file systems
    assert pickle.loads(pickle.dumps(options["session"])) is options["session"]
    assert storage.storage_options("/data/tsne") == {}


def test_transient_s3_errors_are_retried(flaky_endpoint, s3_bucket):
    root = storage.storage_path(f"s3://{s3_bucket}/data", flaky_endpoint.url)
    storage.write_text_atomic(root / "note.txt", "hello")
    assert (root / "note.txt").read_text() == "hello"
    assert flaky_endpoint.refused >= 2  # each request was refused once, then went through
    assert root.fs.s3.meta.config.retries == {"total_max_attempts": 10, "mode": "adaptive"}


def test_atomic_writes_leave_no_temporary_files(tmp_path):
    target = tmp_path / "deep" / "pointer.json"
    storage.write_text_atomic(target, "one")
    storage.write_text_atomic(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["pointer.json"]


@pytest.mark.parametrize("where", ["local", "s3"])
def test_prune_keeps_only_the_named_children(where, tmp_path, request):
    if where == "local":
        root = storage.storage_path(str(tmp_path / "root"))
    else:
        endpoint, bucket = request.getfixturevalue("s3_server"), request.getfixturevalue("s3_bucket")
        root = storage.storage_path(f"s3://{bucket}/root", endpoint)
    for run in ("old", "failed", "current"):
        storage.write_text_atomic(root / "tiles" / run / "tiles_files" / "0" / "0_0.jpg", run)
    assert storage.prune_children(root / "tiles", {"current"}) == ["failed", "old"]
    assert [p.name for p in storage.list_children(root / "tiles")] == ["current"]
    assert (root / "tiles" / "current" / "tiles_files" / "0" / "0_0.jpg").read_text() == "current"
    assert storage.prune_children(root / "nothing", set()) == []


def test_io_managers_round_trip_on_s3(s3_server, s3_bucket, instance):
    table = pd.DataFrame({"id": ["007", "a b.jpg"], "width": [3, 4]})

    @dg.asset(io_manager_key="numpy_io_manager")
    def array() -> np.ndarray:
        return np.arange(6, dtype=np.float32).reshape(2, 3)

    @dg.asset(io_manager_key="parquet_io_manager")
    def frame() -> pd.DataFrame:
        return table

    @dg.asset(io_manager_key="json_io_manager")
    def document(array: np.ndarray, frame: pd.DataFrame) -> dict:
        return {"sum": float(array.sum()), "ids": frame["id"].tolist(), "text": "é"}

    resources = make_resources(f"s3://{s3_bucket}/data", s3_server)
    assert dg.materialize([array, frame, document], instance=instance, resources=resources).success
    root = storage.storage_path(f"s3://{s3_bucket}/data", s3_server)
    assert np.load((root / "assets" / "array.npy").open("rb")).tolist() == [[0, 1, 2], [3, 4, 5]]
    assert (root / "assets" / "document.json").read_text() == '{"sum":15.0,"ids":["007","a b.jpg"],"text":"é"}'
    assert pd.read_parquet((root / "assets" / "frame.parquet").open("rb")).equals(table)


def test_local_arrays_are_memory_mapped_for_the_steps_that_read_them(tmp_path, instance):
    seen = {}

    @dg.asset(io_manager_key="numpy_io_manager")
    def array() -> np.ndarray:
        return np.arange(6, dtype=np.float32).reshape(2, 3)

    @dg.asset
    def reader(array: np.ndarray) -> None:
        seen["type"], seen["values"], seen["writeable"] = type(array), array.tolist(), array.flags.writeable

    assert dg.materialize([array, reader], instance=instance, resources=make_resources(str(tmp_path))).success
    assert seen == {"type": np.memmap, "values": [[0, 1, 2], [3, 4, 5]], "writeable": False}


def test_pyramid_on_s3_is_verified_from_listings(tmp_path, s3_server, s3_bucket):
    import numpy as np

    from tsne_assets.core.deepzoom import verify_deep_zoom
    from tsne_assets.core.mosaic import MosaicOptions, build_deep_zoom
    from tsne_assets_tests.collections import jpeg_bytes, pattern_image

    source = tmp_path / "a.jpg"
    source.write_bytes(jpeg_bytes(pattern_image(1)))
    build_deep_zoom([str(source)], np.array([0]), 9, 5, tmp_path / "dzi", MosaicOptions(cell_size=(64, 64)))
    remote = storage.storage_path(f"s3://{s3_bucket}/tiles/run", s3_server)
    storage.copy_tree(tmp_path / "dzi", remote)
    assert verify_deep_zoom(remote, check_tile_sizes=False) == []
    (remote / "tiles_files" / "10" / "1_0.jpg").unlink()  # the full-resolution level: 3 x 2 tiles
    assert verify_deep_zoom(remote, check_tile_sizes=False) == ["level 10: 1 of 6 tiles missing, e.g. 1_0.jpg"]


def test_a_local_tree_is_linked_over_what_the_destination_holds(tmp_path):
    (tmp_path / "src" / "5").mkdir(parents=True)
    (tmp_path / "src" / "5" / "0_0.jpg").write_bytes(b"new")
    (tmp_path / "src" / "5" / "1_0.jpg").write_bytes(b"also new")
    (tmp_path / "dst" / "5").mkdir(parents=True)
    (tmp_path / "dst" / "5" / "0_0.jpg").write_bytes(b"old")
    (tmp_path / "outside.txt").write_bytes(b"keep")
    (tmp_path / "dst" / "5" / "1_0.jpg").symlink_to(tmp_path / "outside.txt")
    storage.copy_tree(tmp_path / "src", tmp_path / "dst")
    for name in ("0_0.jpg", "1_0.jpg"):
        copied, source = tmp_path / "dst" / "5" / name, tmp_path / "src" / "5" / name
        assert not copied.is_symlink() and copied.stat().st_ino == source.stat().st_ino
    assert (tmp_path / "outside.txt").read_bytes() == b"keep"
