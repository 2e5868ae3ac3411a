"""``--timeline`` on the command line."""

from tsne_assets.cli import main
from tsne_assets_tests.collections import write_messy_collection


def test_a_timeline_field_the_csv_lacks_is_a_one_line_error(tmp_path, monkeypatch, capsys):
    home = tmp_path / "dagster_home"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    messy = write_messy_collection(tmp_path / "source", good=3)
    code = main(["build", "--id", "typo", "--images", str(messy["images"]), "--metadata", str(messy["metadata"]),
                 "--timeline", "Yaer", "--root", str(tmp_path / "storage")])
    assert code != 0
    err = capsys.readouterr().err
    assert "tsne-assets: error: the extra field 'Yaer' is not a column of the metadata CSV" in err
