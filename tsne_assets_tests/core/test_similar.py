"""Similar images: each image's nearest images by cosine similarity, and their published form."""

from __future__ import annotations

import numpy as np
import pytest

from tsne_assets.core.similar import SIMILAR_DTYPE, nearest_images, similar_bytes, similar_section


def test_neighbours_are_the_most_similar_others_nearest_first():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(40, 16))
    table = nearest_images(vectors, 5)
    assert table.shape == (40, 5) and table.dtype == SIMILAR_DTYPE
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    cosine = unit @ unit.T
    np.fill_diagonal(cosine, -np.inf)
    expected = np.argsort(-cosine, axis=1, kind="stable")[:, :5]
    assert np.array_equal(table, expected)


def test_the_table_is_scikit_learns_brute_force_search_in_blocks_with_a_duplicate_image():
    # 3,000 images in 1-MiB blocks (87 queries each) and groups of 16 columns; image 7 is a copy
    # of image 3, so each is the other's nearest (their order among others' neighbours ties).
    from sklearn.neighbors import NearestNeighbors

    vectors = np.random.default_rng(1).normal(size=(3000, 32))
    vectors[7] = vectors[3]
    table = nearest_images(vectors, 12, block_mib=1)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    found = NearestNeighbors(n_neighbors=13, algorithm="brute").fit(unit).kneighbors(unit, return_distance=False)
    expected = np.array([[j for j in row if j != i][:12] for i, row in enumerate(found)])
    assert table[3, 0] == 7 and table[7, 0] == 3
    same = lambda t: np.where(t == 7, 3, t)  # noqa: E731
    assert np.array_equal(same(table), same(expected))
    assert np.array_equal(table, nearest_images(vectors.astype(np.float32), 12))


def test_candidates_are_ranked_by_their_float64_cosine():
    # Six images at angles to the first that float32 cannot tell apart (cosines 1 - 5e-9 ...):
    # listed by how far they turn, not in index order.
    turn = np.array([6, 2, 5, 1, 4, 3]) * 1e-4
    vectors = np.column_stack([np.ones(7), np.r_[0.0, turn]])
    assert nearest_images(vectors, 6)[0].tolist() == [4, 2, 6, 5, 3, 1]


@pytest.mark.parametrize("option, message", [
    ({"n_jobs": 0}, "n_jobs must be -1"),
    ({"n_jobs": -2}, "n_jobs must be -1"),
    ({"block_mib": 0}, "block_mib must be at least 1"),
])
def test_bad_threads_and_block_sizes_are_refused(option, message):
    with pytest.raises(ValueError, match=message):
        nearest_images(np.eye(3), 1, **option)


def test_similarity_is_by_direction_not_length():
    # Image 1 points where image 0 does but is ten times longer; image 2 is close in Euclidean
    # distance to image 0 but points elsewhere.
    vectors = np.array([[1.0, 0.0], [10.0, 0.1], [0.7, 0.7], [-1.0, 0.2]])
    assert nearest_images(vectors, 1)[0, 0] == 1


def test_an_image_is_never_its_own_neighbour_even_among_duplicates():
    vectors = np.array([[1.0, 0.0]] * 4 + [[0.0, 1.0]])
    table = nearest_images(vectors, 3)
    assert not (table == np.arange(5)[:, None]).any()
    assert all(set(table[i]) == set(range(4)) - {i} for i in range(4))


def test_small_collections_get_fewer_neighbours_and_one_image_none():
    assert nearest_images(np.eye(4), 12).shape == (4, 3)
    single = nearest_images(np.ones((1, 3)), 12)
    assert single.shape == (1, 0) and similar_section(single) is None


@pytest.mark.parametrize("k", [0, -1, 2.5, True])
def test_k_must_be_a_positive_integer(k):
    with pytest.raises(ValueError, match="k must be a positive integer"):
        nearest_images(np.eye(3), k)


def test_the_published_table_is_row_major_little_endian_int32():
    table = np.array([[1, 2], [0, 2], [1, 0]], dtype=np.int64)
    data = similar_bytes(table)
    assert len(data) == 6 * 4 and np.array_equal(np.frombuffer(data, "<i4").reshape(3, 2), table)
    assert similar_section(table) == {"path": "similar.bin", "k": 2}


def test_the_table_is_a_file_of_the_published_site_and_other_names_are_refused(tmp_path):
    from tsne_assets.core.publish import is_site_file
    from tsne_assets.core.site import publish_site

    assert is_site_file("versions/v1/similar.bin", "v1", "tiles.dzi")
    assert not is_site_file("versions/v1/similar.bin.bak", "v1", "tiles.dzi")
    tiles = tmp_path / "tiles"
    (tiles / "tiles_files").mkdir(parents=True)
    (tiles / "tiles.dzi").write_text("<Image/>")
    app = tmp_path / "app"
    app.mkdir()
    (app / "index.html").write_text("<!doctype html>")
    for name in ("../similar.bin", "metadata.json"):
        with pytest.raises(ValueError, match="must be other paths inside the version"):
            publish_site(tmp_path / "site", version="v1", tiles_dir=tiles, files={name: b""}, viewer_dist=app,
                         metadata={"format": "tsne-assets.viewer/1", "grid": {"cols": 1, "rows": 1},
                                   "cells": [-1], "items": {"id": []}})
