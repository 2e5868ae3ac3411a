"""The code location that `dagster dev -w workspace.yaml` loads, and its declared settings."""

from pathlib import Path

import dagster as dg
import pytest
import yaml

from tsne_assets import settings
from tsne_assets.defs.definitions import defs

EXPECTED_LINEAGE = {
    "collection_spec": set(),
    "image_manifest": {"collection_spec"},
    "collection_metadata": {"collection_spec", "image_manifest"},
    "features": {"collection_spec", "image_manifest"},
    "pca": {"collection_spec", "features"},
    "layout_plan": {"collection_spec", "image_manifest"},
    "feature_neighbours": {"collection_spec", "pca"},
    "tsne": {"collection_spec", "pca", "feature_neighbours", "layout_plan"},
    "grid": {"collection_spec", "pca", "tsne", "layout_plan"},
    "tiles": {"collection_spec", "image_manifest", "grid"},
    "detail_pyramids": {"collection_spec", "image_manifest"},
    "similar_images": {"pca", "feature_neighbours"},
    "clusters": {"collection_spec", "collection_metadata", "tsne", "grid"},
    "facets": {"collection_spec", "collection_metadata"},
    "viewer_metadata": {
        "collection_spec", "collection_metadata", "grid", "detail_pyramids", "similar_images", "clusters", "facets",
        "timeline",
    },
    "viewer_site": {
        "collection_spec", "tiles", "viewer_metadata", "detail_pyramids", "similar_images", "timeline", "timeline_tiles",
    },
    "timeline": {"collection_spec", "collection_metadata", "grid"},
    "timeline_tiles": {"collection_spec", "image_manifest", "timeline"},
}


def schedule(definitions: dg.Definitions) -> dg.ScheduleDefinition:
    [rebuild] = definitions.schedules
    assert rebuild.name == "rebuild_changed_collections"
    return rebuild


@pytest.fixture
def no_settings(monkeypatch):
    """An environment without any tsne-assets variable."""
    for name in vars(settings).values():
        if isinstance(name, settings.Setting):
            monkeypatch.delenv(name.env, raising=False)
    return monkeypatch


def test_workspace_points_at_the_definitions():
    workspace = yaml.safe_load((Path(__file__).parents[2] / "workspace.yaml").read_text())
    module = workspace["load_from"][0]["python_module"]
    assert (module["module_name"], module["attribute"], module["location_name"]) == (
        "tsne_assets.defs.definitions", "defs", "tsne_assets"
    )


def test_definitions_load_with_the_pipeline_lineage(no_settings):
    definitions = defs()
    dg.Definitions.validate_loadable(definitions)
    graph = definitions.resolve_asset_graph()
    lineage = {
        key.to_user_string(): {parent.to_user_string() for parent in graph.get(key).parent_keys}
        for key in graph.get_all_asset_keys()
    }
    assert lineage == EXPECTED_LINEAGE


def test_every_asset_is_partitioned_per_collection(no_settings):
    graph = defs().resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        partitions = graph.get(key).partitions_def
        assert isinstance(partitions, dg.DynamicPartitionsDefinition) and partitions.name == "collections", key


def test_without_environment_the_defaults_are_declared(no_settings, tmp_path):
    no_settings.chdir(tmp_path)
    definitions = defs()
    assert definitions.resources["storage"].root == str(tmp_path / "tsne-data")
    assert definitions.resources["storage"].endpoint_url is None
    assert definitions.resources["images_folder"].root is None
    assert schedule(definitions).cron_schedule == "0 3 * * *"
    assert definitions.executor is None  # Dagster's default: a subprocess per step


def test_settings_given_by_the_environment_are_declared_as_env_vars(no_settings, tmp_path):
    no_settings.setenv("TSNE_ASSETS_ROOT", str(tmp_path / "root"))
    no_settings.setenv("TSNE_ASSETS_IMAGES_ROOT", str(tmp_path / "images"))
    no_settings.setenv("TSNE_ASSETS_REBUILD_CRON", "30 1 * * *")
    no_settings.setenv("TSNE_ASSETS_EXECUTOR", "in_process")
    definitions = defs()
    root = definitions.resources["storage"].root
    assert isinstance(root, dg.EnvVar) and root.env_var_name == "TSNE_ASSETS_ROOT"
    assert definitions.resources["images_folder"].root.env_var_name == "TSNE_ASSETS_IMAGES_ROOT"
    assert schedule(definitions).cron_schedule == "30 1 * * *"
    assert definitions.executor.name == "in_process"
