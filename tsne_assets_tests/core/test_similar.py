"""Similar images: each image's most similar images by cosine among its nearest, and their published form."""

from __future__ import annotations

import numpy as np
import pytest

from tsne_assets.core.similar import SIMILAR_DTYPE, most_similar, similar_bytes, similar_section


def every_other(n: int) -> np.ndarray:
    """Candidates that are every other image (the neighbour search's table for n <= 91)."""
    return np.array([[j for j in range(n) if j != i] for i in range(n)]).reshape(n, n - 1)


def exact_by_cosine(vectors: np.ndarray, k: int) -> np.ndarray:
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    cosine = unit @ unit.T
    np.fill_diagonal(cosine, -np.inf)
    return np.argsort(-cosine, axis=1, kind="stable")[:, :k]


def test_with_every_other_image_as_candidates_the_ranking_is_exact():
    vectors = np.random.default_rng(0).normal(size=(40, 16))
    table = most_similar(vectors, every_other(40), 5)
    assert table.shape == (40, 5) and table.dtype == SIMILAR_DTYPE
    assert np.array_equal(table, exact_by_cosine(vectors, 5))


def test_the_ranking_is_exact_across_blocks_of_a_memory_mapped_table_with_a_zero_row(tmp_path):
    # 1,100 images (three blocks of 512), read from a memory map as the pipeline hands the PCA
    # output; image 5 is all zeros: cosine 0 with every image, so it is listed after the images
    # of positive cosine and before those of negative cosine.
    vectors = np.random.default_rng(4).normal(size=(1100, 24)).astype(np.float32)
    vectors[5] = 0
    np.save(tmp_path / "pca.npy", vectors)
    mapped = np.load(tmp_path / "pca.npy", mmap_mode="r")
    table = most_similar(mapped, every_other(1100), 12)
    unit = vectors.astype(np.float64) / np.maximum(np.linalg.norm(vectors.astype(np.float64), axis=1, keepdims=True), 1e-300)
    cosine = unit @ unit.T
    np.fill_diagonal(cosine, -np.inf)
    assert np.array_equal(table, np.argsort(-cosine, axis=1, kind="stable")[:, :12])
    assert table[5].tolist() == [0, 1, 2, 3, 4, *range(6, 13)], "a zero row ties with every other image: index order"


def test_the_most_similar_are_picked_among_the_candidates_only():
    # 400 images, each given 30 candidates: its 15 most similar and 15 others at random. The
    # table lists its 12 most similar of the 30, ranked by cosine, never an image outside them.
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(400, 32))
    best = exact_by_cosine(vectors, 15)
    others = [rng.choice(np.setdiff1d(np.arange(400), [i, *best[i]]), 15, replace=False) for i in range(400)]
    candidates = np.column_stack([others, best[:, ::-1]])
    table = most_similar(vectors, candidates, 12)
    assert np.array_equal(table, best[:, :12])
    outside = most_similar(vectors, candidates[:, :15], 12)  # the random half only
    assert all(set(row) <= set(listed) for row, listed in zip(outside, candidates[:, :15]))


def test_among_the_build_s_neighbours_the_similar_images_are_nearly_the_exact_ones():
    # Two thousand images in 20 classes, their lengths varying by about 12% as Fashion-MNIST's
    # CNN features do: the search's 90 Euclidean neighbours hold nearly all of each image's 12
    # most similar by cosine.
    from tsne_assets.core.neighbours import feature_neighbours

    rng = np.random.default_rng(2)
    vectors = rng.normal(size=(20, 48))[rng.integers(0, 20, 2000)] * rng.uniform(0.8, 1.2, (2000, 1))
    vectors += rng.normal(scale=0.5, size=vectors.shape)
    table = most_similar(vectors, feature_neighbours(vectors, perplexity=30, n_jobs=1)["index"], 12)
    exact = exact_by_cosine(vectors, 12)
    recall = np.mean([len(set(a) & set(b)) / 12 for a, b in zip(table, exact)])
    assert recall > 0.95


def test_candidates_are_ranked_by_their_float64_cosine():
    # Six images at angles to the first that float32 cannot tell apart (cosines 1 - 5e-9 ...):
    # listed by how far they turn, not in index order.
    turn = np.array([6, 2, 5, 1, 4, 3]) * 1e-4
    vectors = np.column_stack([np.ones(7), np.r_[0.0, turn]])
    assert most_similar(vectors, every_other(7), 6)[0].tolist() == [4, 2, 6, 5, 3, 1]


def test_similarity_is_by_direction_not_length():
    # Image 1 points where image 0 does but is ten times longer; image 2 is close in Euclidean
    # distance to image 0 but points elsewhere.
    vectors = np.array([[1.0, 0.0], [10.0, 0.1], [0.7, 0.7], [-1.0, 0.2]])
    assert most_similar(vectors, every_other(4), 1)[0, 0] == 1


def test_an_image_is_never_its_own_neighbour_even_where_the_search_listed_it():
    # A duplicate took image 0's own place in the search, so image 0 is among its candidates.
    vectors = np.random.default_rng(3).normal(size=(200, 8))
    vectors[1] = vectors[0]
    candidates = np.tile(np.arange(20), (200, 1))
    table = most_similar(vectors, candidates, 12)
    assert not (table == np.arange(200)[:, None]).any()
    assert table[0, 0] == 1 and table[1, 0] == 0
    duplicates = np.array([[1.0, 0.0]] * 4 + [[0.0, 1.0]])
    table = most_similar(duplicates, np.zeros((5, 4), dtype=int), 3)
    assert all(set(table[i]) == set(range(4)) - {i} for i in range(4))


def test_small_collections_get_fewer_neighbours_and_one_image_none():
    assert most_similar(np.eye(4), every_other(4), 12).shape == (4, 3)
    single = most_similar(np.ones((1, 3)), np.zeros((1, 0), dtype=int), 12)
    assert single.shape == (1, 0) and similar_section(single) is None


@pytest.mark.parametrize("k", [0, -1, 2.5, True])
def test_k_must_be_a_positive_integer(k):
    with pytest.raises(ValueError, match="k must be a positive integer"):
        most_similar(np.eye(3), every_other(3), k)


def test_candidates_need_a_row_per_image():
    with pytest.raises(ValueError, match="one row per image"):
        most_similar(np.eye(3), every_other(2), 1)


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
