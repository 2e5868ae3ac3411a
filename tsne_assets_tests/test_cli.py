"""The command line, run in-process against a persistent Dagster instance in a temp folder."""

import json

import dagster as dg
import pytest

from tsne_assets.cli import main
from tsne_assets_tests.collections import write_messy_collection


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
