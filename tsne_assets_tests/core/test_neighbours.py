"""The neighbour search the t-SNE and the similar images share."""

from __future__ import annotations

import numpy as np
import pytest

from tsne_assets.core.layout import tsne_layout
from tsne_assets.core.neighbours import MIN_CANDIDATES, feature_neighbours, tsne_neighbour_count


def two_groups(n: int, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).normal(size=(n, 12))
    x[: n // 2] += 4
    return x


@pytest.mark.parametrize("n", [60, 1200])  # openTSNE's exact search below 1,000 points, Annoy above
def test_the_layout_from_the_shared_search_is_the_one_openTSNE_gives_alone(n, monkeypatch):
    import openTSNE.affinity

    x = two_groups(n)
    table = feature_neighbours(x, perplexity=30, seed=3, n_jobs=1)
    alone = tsne_layout(x, seed=3, n_jobs=1, n_iter=50)

    def no_second_search(*args, **kwargs):
        raise AssertionError("the layout searched the neighbours again")

    monkeypatch.setattr(openTSNE.affinity, "get_knn_index", no_second_search)
    assert np.array_equal(tsne_layout(x, seed=3, n_jobs=1, n_iter=50, neighbours=table), alone)


def test_neighbours_are_the_nearest_others_nearest_first():
    x = two_groups(300)
    table = feature_neighbours(x, perplexity=30)
    distance = np.linalg.norm(x[:, None] - x[None], axis=2)
    np.fill_diagonal(distance, np.inf)
    assert np.array_equal(table["index"], np.argsort(distance, axis=1, kind="stable")[:, :MIN_CANDIDATES])
    assert np.allclose(table["distance"], np.sort(distance, axis=1)[:, :MIN_CANDIDATES])


def test_a_small_perplexity_still_leaves_the_similar_images_their_candidates():
    assert feature_neighbours(two_groups(300), perplexity=5)["index"].shape == (300, MIN_CANDIDATES)
    assert feature_neighbours(two_groups(300), perplexity=50)["index"].shape == (300, 150)
    assert tsne_neighbour_count(300, 5) == 15


def test_small_collections_list_every_other_image_and_one_image_none():
    table = feature_neighbours(two_groups(10), perplexity=30)
    assert all(sorted(row) == [j for j in range(10) if j != i] for i, row in enumerate(table["index"]))
    assert feature_neighbours(np.ones((1, 3)), perplexity=30)["index"].shape == (1, 0)


@pytest.mark.parametrize("option, message", [
    ({"perplexity": 0}, "perplexity must be positive"),
    ({"perplexity": 30, "n_jobs": 0}, "n_jobs must be -1"),
    ({"perplexity": 30, "n_jobs": -2}, "n_jobs must be -1"),
])
def test_bad_parameters_are_refused(option, message):
    with pytest.raises(ValueError, match=message):
        feature_neighbours(np.eye(3), **option)


def test_the_layout_needs_a_record_per_point_with_the_neighbours_its_perplexity_needs():
    with pytest.raises(ValueError, match="one record of indices and distances per point"):
        tsne_layout(two_groups(20), neighbours=feature_neighbours(two_groups(10), perplexity=3))
    with pytest.raises(ValueError, match="perplexity 50 needs 150 neighbours per point, not 90"):
        tsne_layout(two_groups(300), perplexity=50, neighbours=feature_neighbours(two_groups(300), perplexity=5))
