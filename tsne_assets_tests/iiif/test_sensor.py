"""The IIIF sensor and the nightly schedule: a changed manifest requests a rebuild; an unchanged
one costs only 304s."""

import json

import dagster as dg

from tsne_assets.cli import _parser, _spec
from tsne_assets.core.spec import CollectionSpec
from tsne_assets.core.storage import save_spec, storage_path
from tsne_assets.defs.build import build_collection
from tsne_assets.defs.iiif_sensor import iiif_sources
from tsne_assets.defs.resources import StorageResource
from tsne_assets.defs.schedules import rebuild_schedule

from ..automation.daemon import resources, run_requests


def _tick(instance, root, cursor=None):
    with dg.build_sensor_context(instance=instance, cursor=cursor, resources={"storage": StorageResource(root=str(root))}) as context:
        return iiif_sources(context)


def test_a_changed_manifest_requests_a_rebuild(iiif_server, instance, tmp_path):
    root = tmp_path / "storage"
    folder = root / "iiif" / "museum"
    museum = CollectionSpec(id="museum", images=str(folder / "images"), metadata=str(folder / "metadata.csv"),
                            iiif=f"{iiif_server.url}/collection.json")
    local = CollectionSpec(id="local", images=str(tmp_path / "photos"))
    for spec in (museum, local):
        save_spec(storage_path(str(root)), spec)
    instance.add_dynamic_partitions("collections", ["museum", "local"])

    first = _tick(instance, root)  # never harvested: build it
    assert [(r.partition_key, r.run_key.split(":")[:3]) for r in first.run_requests] == [("museum", ["museum", "iiif", "0"])]
    assert first.run_requests[0].run_config["ops"]["collection_spec"]["config"]["spec"] == museum.to_dict()

    iiif_server.log.clear()
    assert _tick(instance, root, first.cursor).run_requests == []
    assert {status for _, status in iiif_server.log} == {304, 404}  # the missing manifest stays missing

    mirror = json.loads(iiif_server.files["/m2.json"][0])
    mirror["label"] = "Bronze mirror, restored"
    iiif_server.files["/m2.json"] = (json.dumps(mirror).encode(), "application/ld+json")
    changed = _tick(instance, root, first.cursor)
    assert [r.run_key.split(":")[:3] for r in changed.run_requests] == [["museum", "iiif", "1"]]


def test_the_nightly_schedule_rebuilds_a_iiif_collection_only_once_its_manifests_change(iiif_server, instance, tmp_path):
    root = str(tmp_path / "storage")
    arguments = ["build", "--id", "museum", "--iiif", f"{iiif_server.url}/collection.json", "--tile", "32x32", "--detail-max", "0"]
    spec = _spec(_parser().parse_args(arguments), root)
    assert build_collection(spec, root=root, instance=instance).success
    res = resources(root, None)
    schedule = rebuild_schedule("0 3 * * *")

    def evaluate():
        with dg.build_schedule_context(instance=instance, resources=res) as context:
            result = schedule(context)
        return [] if isinstance(result, dg.SkipReason) else list(result)

    iiif_server.log.clear()
    assert evaluate() == []  # the harvested files changed in the build; the source did not
    assert iiif_server.downloads() == [] and {status for _, status in iiif_server.log} == {304, 404}

    mirror = json.loads(iiif_server.files["/m2.json"][0])
    mirror["label"] = "Bronze mirror, restored"
    iiif_server.files["/m2.json"] = (json.dumps(mirror).encode(), "application/ld+json")
    [request] = evaluate()
    assert (request.partition_key, request.run_key.split(":")[:2]) == ("museum", ["museum", "iiif"])
    [run] = run_requests(instance, [request], res)
    assert run.success
    assert evaluate() == []
