"""Planning shards and assembling their results (tsne_assets.core.shards)."""

import numpy as np
import pytest

from tsne_assets.core.shards import assemble_shards, plan_shards


def test_rows_sharing_a_hash_share_a_shard_and_every_row_is_covered_once():
    hashes = ["a", "b", "a", "c", "d", "b", "e"]
    shards = plan_shards(hashes, 2)
    assert [rows.tolist() for rows in shards] == [[0, 1, 2, 5], [3, 4], [6]]


def test_assembling_shards_restores_manifest_order():
    features = np.arange(14, dtype=np.float32).reshape(7, 2)
    shards = plan_shards(["a", "b", "a", "c", "d", "b", "e"], 2)
    assert np.array_equal(assemble_shards(7, 2, [(rows, features[rows]) for rows in reversed(shards)]), features)


def test_a_missing_or_repeated_shard_is_an_error():
    shards = plan_shards(["a", "b", "c"], 1)
    with pytest.raises(ValueError, match="in no shard"):
        assemble_shards(3, 1, [(rows, np.zeros((len(rows), 1))) for rows in shards[:2]])
    with pytest.raises(ValueError, match="overlap"):
        assemble_shards(3, 1, [(rows, np.zeros((len(rows), 1))) for rows in [*shards, shards[0]]])


def test_shard_size_must_be_positive():
    with pytest.raises(ValueError):
        plan_shards(["a"], 0)
