"""The command line, run in-process against a persistent Dagster instance in a temp folder."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys

import dagster as dg
import pytest

from tsne_assets.cli import main
from tsne_assets.core.features.efficientnet_lite import default_checkpoint_path
from tsne_assets.core.spec import CollectionSpec
from tsne_assets_tests.collections import write_images, write_messy_collection


@pytest.fixture
def dagster_home(tmp_path, monkeypatch):
    home = tmp_path / "dagster_home"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return home


def test_build_with_templates_records_the_run_and_publishes(tmp_path, dagster_home, capsys):
    messy = write_messy_collection(tmp_path / "source")
    root = tmp_path / "storage"
    code = main([
        "build", "--id", "cli_test", "--images", f"{messy['images']}/**/*.*", "--metadata", str(messy["metadata"]),
        "--tile", "40x30", "--title", "{Name} ({Year})", "--url", "https://example.org/{Id}/", "--field", "Year",
        "--root", str(root),
    ])
    assert code == 0
    assert str(root / "site" / "cli_test") in capsys.readouterr().out
    pointer = json.loads((root / "site" / "cli_test" / "current.json").read_text())
    document = json.loads((root / "site" / "cli_test" / pointer["path"] / "metadata.json").read_text())
    assert document["grid"]["cell_width"] == 40 and document["grid"]["cell_height"] == 30
    assert "Object 1 (1901)" in document["items"]["title"]
    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs()
        assert len(runs) == 1 and runs[0].is_success
        assert runs[0].tags["dagster/partition"] == "cli_test"
        assert runs[0].job_name == "build_collection"


def test_bare_column_names_are_accepted_as_templates(tmp_path, dagster_home):
    messy = write_messy_collection(tmp_path / "source", good=3)
    root = tmp_path / "storage"
    assert main(["build", "--id", "bare", "--images", str(messy["images"]), "--metadata", str(messy["metadata"]),
                 "--title", "Name", "--root", str(root)]) == 0
    document = json.loads((root / "assets" / "viewer_metadata" / "bare.json").read_text())
    assert "Object 1" in document["items"]["title"]


def test_template_with_a_missing_column_exits_with_a_clear_message(tmp_path, dagster_home, capsys):
    messy = write_messy_collection(tmp_path / "source", good=3)
    code = main(["build", "--id", "typo", "--images", str(messy["images"]), "--metadata", str(messy["metadata"]),
                 "--title", "{Nmae}", "--root", str(tmp_path / "storage")])
    assert code != 0
    assert "names column 'Nmae'" in capsys.readouterr().err


def test_invalid_collection_id_is_refused_before_any_work(tmp_path, dagster_home, capsys):
    assert main(["build", "--id", "a,b", "--images", str(tmp_path), "--root", str(tmp_path / "s")]) == 2
    assert "collection id 'a,b'" in capsys.readouterr().err


def test_demo_builds_the_digits(tmp_path, dagster_home):
    root = tmp_path / "storage"
    assert main(["demo", "--limit", "40", "--root", str(root)]) == 0
    document = json.loads((root / "assets" / "viewer_metadata" / "digits.json").read_text())
    assert len(document["items"]["id"]) == 40
    assert all(title.startswith("Digit ") for title in document["items"]["title"])
    assert document["fields"] == ["label"]


def test_relative_paths_are_stored_absolute(tmp_path, dagster_home, monkeypatch):
    messy = write_messy_collection(tmp_path / "source", good=3)
    monkeypatch.chdir(tmp_path / "source")
    assert main(["build", "--id", "relative", "--images", messy["images"].name, "--metadata", messy["metadata"].name,
                 "--title", "Name", "--root", str(tmp_path / "storage")]) == 0
    spec = CollectionSpec.from_json((tmp_path / "storage" / "collections" / "relative.json").read_text())
    assert (spec.images, spec.metadata) == (str(messy["images"]), str(messy["metadata"]))


def test_weights_for_the_default_model_are_used_and_keyed_by_their_digest(tmp_path, dagster_home):
    write_images(tmp_path / "images", range(3))
    weights = tmp_path / "lite0-copy.pth"
    shutil.copyfile(default_checkpoint_path(), weights)
    assert main(["build", "--id", "weighted", "--images", str(tmp_path / "images"), "--weights", str(weights),
                 "--tile", "16", "--root", str(tmp_path / "storage")]) == 0
    [cache_key] = [path.name for path in (tmp_path / "storage" / "cache" / "features").iterdir()]
    assert cache_key.startswith("efficientnet_lite0-") and len(cache_key) == len("efficientnet_lite0-") + 16


def test_a_missing_weights_file_is_refused_before_any_work(tmp_path, dagster_home, capsys):
    write_images(tmp_path / "images", range(2))
    code = main(["build", "--id", "weighted", "--images", str(tmp_path / "images"), "--weights", "nope.pth",
                 "--root", str(tmp_path / "storage")])
    assert code == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"tsne-assets: error: EfficientNet-Lite0 weights file does not exist: {tmp_path.cwd() / 'nope.pth'}"
    ]
    assert not (tmp_path / "storage").exists()


def test_an_executor_whose_package_is_absent_is_reported_in_one_line_only_when_used(
    tmp_path, dagster_home, monkeypatch, capsys
):
    monkeypatch.setitem(sys.modules, "dagster_k8s", None)  # as if dagster-k8s were not installed
    monkeypatch.setenv("TSNE_ASSETS_EXECUTOR", "k8s")
    write_images(tmp_path / "images", range(2))
    build = ["build", "--id", "k8s", "--images", str(tmp_path / "images"), "--tile", "16", "--root", str(tmp_path / "s")]

    assert main(build) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        "tsne-assets: error: the k8s executor needs the dagster-k8s package: pip install 'tsne-assets[k8s]'"
    ]
    assert main([*build, "--executor", "in_process"]) == 0
    assert "metadata row" not in capsys.readouterr().err  # no CSV given: nothing to warn about


def test_a_cp1252_semicolon_csv_builds_with_its_titles_and_a_warning(tmp_path, dagster_home, capsys):
    write_images(tmp_path / "images", range(3))
    metadata = tmp_path / "meta.csv"
    metadata.write_bytes("filename;title\r\n0.jpg;Musée\r\n1.jpg;Ægina\r\n2.jpg;€ 5\r\n".encode("cp1252"))
    root = tmp_path / "storage"
    assert main(["build", "--id", "latin", "--images", str(tmp_path / "images"), "--metadata", str(metadata),
                 "--tile", "16", "--root", str(root)]) == 0
    document = json.loads((root / "assets" / "viewer_metadata" / "latin.json").read_text())
    titles = dict(zip(document["items"]["id"], document["items"]["title"]))
    assert titles == {"0.jpg": "Musée", "1.jpg": "Ægina", "2.jpg": "€ 5"}
    assert f"warning: collection_metadata: {metadata} is not UTF-8: read it as cp1252" in capsys.readouterr().err


def test_an_impossible_delimiter_exits_2_in_one_line_before_any_work(tmp_path, dagster_home, capsys):
    write_images(tmp_path / "images", range(2))
    (tmp_path / "meta.csv").write_text("filename|title\n0.jpg|Zero\n")
    code = main(["build", "--id", "piped", "--images", str(tmp_path / "images"), "--metadata", str(tmp_path / "meta.csv"),
                 "--delimiter", "|", "--root", str(tmp_path / "storage")])
    assert code == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        "tsne-assets: error: the delimiter must be ',', ';' or a tab ('tab' on the command line), not '|'"
    ]
    assert not (tmp_path / "storage").exists()


def test_the_encoding_and_tab_delimiter_given_are_stored_in_the_spec_and_used(tmp_path, dagster_home):
    write_images(tmp_path / "images", range(2))
    (tmp_path / "meta.tsv").write_bytes("filename\ttitle\n0.jpg\t€uro\n1.jpg\tOne\n".encode("cp1252"))
    root = tmp_path / "storage"
    assert main(["build", "--id", "tabbed", "--images", str(tmp_path / "images"), "--metadata", str(tmp_path / "meta.tsv"),
                 "--encoding", "latin-1", "--delimiter", "tab", "--tile", "16", "--root", str(root)]) == 0
    spec = CollectionSpec.from_json((root / "collections" / "tabbed.json").read_text())
    assert (spec.encoding, spec.delimiter) == ("iso8859-1", "\t")
    document = json.loads((root / "assets" / "viewer_metadata" / "tabbed.json").read_text())
    assert document["items"]["title"][document["items"]["id"].index("0.jpg")] == "\x80uro"  # Latin-1, as asked


def test_images_with_several_csv_rows_are_named_on_the_console_with_the_lines_kept_and_dropped(
    tmp_path, dagster_home, capsys
):
    write_images(tmp_path / "images", range(12))
    rows = [f"{index}.jpg,First {index}" for index in range(12)] + [f"{index}.jpg,Again {index}" for index in range(12)]
    rows.append("0.jpg,Third 0")
    (tmp_path / "meta.csv").write_text("filename,title\n" + "\n".join(rows) + "\n")
    root = tmp_path / "storage"
    assert main(["build", "--id", "repeated", "--images", str(tmp_path / "images"), "--metadata", str(tmp_path / "meta.csv"),
                 "--tile", "16", "--root", str(root)]) == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if "metadata rows" in line]
    prefix = "warning: collection_metadata: "
    assert lines[0] == f"{prefix}'0.jpg' has several metadata rows: kept line 2, dropped lines 14, 26"
    assert f"{prefix}'1.jpg' has several metadata rows: kept line 3, dropped line 15" in lines
    assert len(lines) == 11 and lines[-1] == f"{prefix}... and 2 more images with several metadata rows"
    document = json.loads((root / "assets" / "viewer_metadata" / "repeated.json").read_text())
    assert all(title.startswith("First ") for title in document["items"]["title"])


def console_lines(err: str) -> list[str]:
    """The console's lines without its progress bars (which tqdm redraws after carriage returns)."""
    return [line for line in re.split(r"[\r\n]+", err) if line.strip() and not re.search(r"\d+%\|", line)]


def failing_build(tmp_path, *options: str) -> list[str]:
    """A build whose title template names a column the CSV does not have."""
    write_images(tmp_path / "images", range(3))
    (tmp_path / "meta.csv").write_text("filename,Name\n0.jpg,Zero\n1.jpg,One\n2.jpg,Two\n")
    return [*options, "build", "--id", "typo", "--images", str(tmp_path / "images"), "--metadata",
            str(tmp_path / "meta.csv"), "--title", "{Nmae}", "--tile", "16", "--root", str(tmp_path / "storage")]


def test_a_failed_build_prints_its_error_and_where_its_log_is_and_nothing_internal(tmp_path, dagster_home, capsys):
    assert main(failing_build(tmp_path)) == 1
    with dg.DagsterInstance.get() as instance:
        [run] = instance.get_runs()
    assert run.status == dg.DagsterRunStatus.FAILURE
    out, err = capsys.readouterr()
    error, log = console_lines(err)
    assert error.startswith("tsne-assets: error: the title template '{Nmae}' names column 'Nmae', which the metadata")
    assert log == f"full log: tsne-assets ui --root {tmp_path / 'storage'} (run {run.run_id})"
    for internal in ("Traceback", "Warning", "STEP_FAILURE", "dagster."):
        assert internal not in out + err


def test_a_failed_build_in_a_fresh_process_shows_no_dagster_warning(tmp_path):
    """What a user's console gets: Python shows a warning once per process, and pytest records
    warnings rather than printing them, so only a fresh interpreter shows Dagster's."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TSNE_ASSETS_")}
    env.update(DAGSTER_HOME=str(tmp_path / "home"), PYTHONWARNINGS="")
    command = [sys.executable, "-m", "tsne_assets.cli", *failing_build(tmp_path)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    lines = console_lines(result.stderr)
    assert len(lines) == 2, lines  # nothing else: no PreviewWarning, no traceback
    error, log = lines
    assert error.startswith("tsne-assets: error: the title template '{Nmae}'") and log.startswith("full log: ")


def test_verbose_shows_the_runs_events_as_dagster_logs_them(tmp_path, dagster_home, capsys):
    assert main(failing_build(tmp_path, "--verbose")) == 1
    out, err = capsys.readouterr()
    for event in ("RUN_START", "STEP_START", "STEP_SUCCESS", "STEP_FAILURE", "RUN_FAILURE"):
        assert f" - {event} - " in out + err
    assert console_lines(err)[-2].startswith("tsne-assets: error: the title template '{Nmae}'")


def test_the_command_lines_instance_monitors_runs_and_its_earlier_configuration_is_updated(tmp_path, monkeypatch):
    from tsne_assets.cli_build import EARLIER_INSTANCE_YAML, INSTANCE_YAML, dagster_home

    def home_beside(root) -> str:
        monkeypatch.setenv("DAGSTER_HOME", "")  # the folder beside the root; restored after the test
        return dagster_home(str(root))

    earlier, edited = tmp_path / "earlier", tmp_path / "edited"
    for root, text in ((earlier, EARLIER_INSTANCE_YAML), (edited, "telemetry:\n  enabled: true\n")):
        (root / ".dagster").mkdir(parents=True)
        (root / ".dagster" / "dagster.yaml").write_text(text)

    assert home_beside(tmp_path / "new") == str(tmp_path / "new" / ".dagster")
    with dg.DagsterInstance.get() as instance:
        assert instance.run_monitoring_enabled and instance.run_monitoring_max_resume_run_attempts == 0
    home_beside(earlier)
    assert (earlier / ".dagster" / "dagster.yaml").read_text() == INSTANCE_YAML
    home_beside(edited)
    assert (edited / ".dagster" / "dagster.yaml").read_text() == "telemetry:\n  enabled: true\n"  # the user's


def test_a_step_failing_in_another_process_fails_the_command_the_same_way(tmp_path, dagster_home, capsys):
    """The multiprocess executor reports a failed step in the run's result, not by raising.

    The step that fails is the manifest of an empty folder: the second of the run, so that only
    two step processes start (each imports the code location: seconds)."""
    (tmp_path / "images").mkdir()
    assert main(["build", "--id", "empty", "--images", str(tmp_path / "images"), "--root", str(tmp_path / "storage"),
                 "--executor", "multiprocess"]) == 1
    with dg.DagsterInstance.get() as instance:
        [run] = instance.get_runs()
    error, log = console_lines(capsys.readouterr().err)[-2:]
    assert error == f"tsne-assets: error: no readable images in {tmp_path / 'images'}: it holds no files"
    assert log == f"full log: tsne-assets ui --root {tmp_path / 'storage'} (run {run.run_id})"


def test_serve_on_a_port_in_use_is_one_line(tmp_path, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port), "--root", str(tmp_path)]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"tsne-assets: error: cannot serve on 127.0.0.1:{port}: ")
