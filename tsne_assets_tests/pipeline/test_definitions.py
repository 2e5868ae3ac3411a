"""The code location that `dagster dev -w workspace.yaml` loads."""

from pathlib import Path

import dagster as dg
import yaml

from tsne_assets.defs.definitions import defs

EXPECTED_LINEAGE = {
    "image_manifest": set(),
    "collection_metadata": {"image_manifest"},
    "features": {"image_manifest"},
    "pca": {"features"},
    "tsne": {"pca"},
    "grid": {"tsne"},
    "tiles": {"image_manifest", "grid"},
    "viewer_metadata": {"collection_metadata", "grid"},
    "viewer_site": {"tiles", "viewer_metadata"},
}


def test_workspace_points_at_the_definitions():
    workspace = yaml.safe_load((Path(__file__).parents[2] / "workspace.yaml").read_text())
    module = workspace["load_from"][0]["python_module"]
    assert (module["module_name"], module["attribute"]) == ("tsne_assets.defs.definitions", "defs")


def test_definitions_load_with_the_pipeline_lineage():
    dg.Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    lineage = {
        key.to_user_string(): {parent.to_user_string() for parent in graph.get(key).parent_keys}
        for key in graph.get_all_asset_keys()
        if key.to_user_string() in EXPECTED_LINEAGE
    }
    assert lineage == EXPECTED_LINEAGE


def test_every_asset_is_partitioned_per_collection():
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        partitions = graph.get(key).partitions_def
        assert isinstance(partitions, dg.DynamicPartitionsDefinition) and partitions.name == "collections", key
