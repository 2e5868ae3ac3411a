"""The ``features`` asset: CNN embeddings, fanned out over shards of images.

A graph of three ops, so that a distributed executor (multiprocess, Dask, Kubernetes jobs)
spreads the heavy middle one over processes or machines::

    plan_feature_shards --DynamicOutput per shard--> embed_feature_shard (pool "feature_extraction",
                                                      retried alone) --collect--> assemble_features

Shard results travel through the ``io_manager`` resource (``.npy`` and JSON files on the
storage root), never through memory, so that each step may run in its own process.
"""

from typing import Any

import dagster as dg
import numpy as np
import pandas as pd

from ...core.features import FeatureCache, FeatureExtractor, extract_features, get_extractor
from ...core.manifest import read_bytes, readable_images
from ...core.shards import assemble_shards, plan_shards
from ..resources import ProgressReporter, StorageResource
from ._common import PARTITIONED, stopwatch
from .collection import spec_of

#: The Dagster pool of the embedding steps; dagster.yaml limits how many run at once.
FEATURE_POOL = "feature_extraction"

#: A failed shard (a lost worker, a storage hiccup) is retried alone, after 10 s then 20 s.
SHARD_RETRY = dg.RetryPolicy(max_retries=2, delay=10, backoff=dg.Backoff.EXPONENTIAL)


class FeaturesConfig(dg.Config):
    batch_size: int = 32
    """Images per model call."""
    shard_size: int = 1000
    """Distinct images per shard; each shard is one step that an executor may run anywhere."""


class ShardPlanConfig(dg.Config):
    shard_size: int = 1000


class EmbedConfig(dg.Config):
    batch_size: int = 32


def _extractor(collection_spec: dict) -> FeatureExtractor:
    """The spec's extractor: cheap, it names the model and its weights and loads nothing."""
    spec = spec_of(collection_spec)
    return get_extractor(spec.model, spec.weights)


@dg.op(out=dg.DynamicOut(np.ndarray))
def plan_feature_shards(config: ShardPlanConfig, image_manifest: pd.DataFrame):
    """One dynamic output per shard: the shard's row indices into the readable images."""
    shards = plan_shards(readable_images(image_manifest)["sha256"].tolist(), config.shard_size)
    for number, rows in enumerate(shards):
        yield dg.DynamicOutput(rows, mapping_key=f"shard_{number:05d}")


@dg.op(
    pool=FEATURE_POOL,
    retry_policy=SHARD_RETRY,
    out={"vectors": dg.Out(np.ndarray), "report": dg.Out(dict, io_manager_key="json_io_manager")},
)
def embed_feature_shard(
    context: dg.OpExecutionContext,
    config: EmbedConfig,
    storage: StorageResource,
    progress: ProgressReporter,
    collection_spec: dict,
    image_manifest: pd.DataFrame,
    rows: np.ndarray,
):
    """Embed one shard through the shared feature cache: its vectors, and a report of the rows,
    counts and failures."""
    images = readable_images(image_manifest).iloc[rows]
    extractor = _extractor(collection_spec)
    with stopwatch() as timing, progress.track(context.log, len(images), "embedding images") as advance:
        result = extract_features(
            images["path"].tolist(),
            images["sha256"].tolist(),
            extractor,
            batch_size=config.batch_size,
            cache=FeatureCache(storage.path("cache", "features")),
            read=lambda path: read_bytes(path, storage.options_for(path)),
            progress=advance,
        )
    failed = {images["id"].iloc[index]: reason for index, reason in result.failed.items()}
    for image_id, reason in failed.items():
        context.log.warning(f"could not embed {image_id}: {reason}")
    report = {
        "rows": [int(row) for row in rows],
        "computed": result.computed,
        "from_cache": result.cached,
        "failed": failed,
        "seconds": timing["seconds"],
    }
    return result.features, report


@dg.op(out=dg.Out(np.ndarray, io_manager_key="numpy_io_manager"))
def assemble_features(
    context: dg.OpExecutionContext,
    storage: StorageResource,
    collection_spec: dict,
    image_manifest: pd.DataFrame,
    vectors: list[np.ndarray],
    reports: list[dict],
) -> dg.Output[np.ndarray]:
    """The ``N x D`` array in manifest order, with the counts of every shard added up."""
    extractor = _extractor(collection_spec)
    rows = len(readable_images(image_manifest))
    features = assemble_shards(rows, extractor.dim, [(np.asarray(r["rows"]), v) for r, v in zip(reports, vectors)])
    # The shards' outputs (assets/<run id>/, written by the IO managers) have served their
    # purpose once assembled; the vectors themselves stay in the feature cache. Those of the
    # collection's earlier runs that died before this point go too.
    storage.remove_run_folders(context.instance, context.run)
    return dg.Output(
        features,
        metadata={
            "model": extractor.cache_key,
            "dimensions": int(extractor.dim),
            "images": rows,
            "computed": sum(r["computed"] for r in reports),
            "from_cache": sum(r["from_cache"] for r in reports),
            "failed": sum(len(r["failed"]) for r in reports),
            "shards": len(reports),
            "seconds": round(sum(r["seconds"] for r in reports), 3),
        },
    )


def _op_config(config: dict[str, Any]) -> dict[str, Any]:
    """Map the asset's one config (:class:`FeaturesConfig`) onto its ops."""
    return {
        "plan_feature_shards": {"config": {"shard_size": config["shard_size"]}},
        "embed_feature_shard": {"config": {"batch_size": config["batch_size"]}},
    }


@dg.graph_asset(
    **PARTITIONED,
    group_name="layout",
    kinds={"keras"},
    config=dg.ConfigMapping(config_fn=_op_config, config_schema=FeaturesConfig.to_config_schema()),
)
def features(collection_spec: dict, image_manifest: pd.DataFrame):
    """One CNN embedding per readable image (the spec's model), computed in shards of
    ``shard_size`` images.

    Embeddings are cached per content hash, model and weights, so that re-materializing after
    adding images embeds only the new ones; the result does not depend on the shard size.
    """
    shards = plan_feature_shards(image_manifest)
    vectors, reports = shards.map(lambda rows: embed_feature_shard(collection_spec, image_manifest, rows))
    return assemble_features(collection_spec, image_manifest, vectors.collect(), reports.collect())
