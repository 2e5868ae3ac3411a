"""Groups on the layout (HDBSCAN), named from their distinctive words (TF-IDF), placed on the grid."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tsne_assets.core.clusters import (
    clusters_document,
    describe_clusters,
    distinctive_terms,
    find_groups,
    image_texts,
    listed_codes,
    min_cluster_size,
    shared_values,
)


def blobs(sizes, spread=1.0, seed=0):
    """Points in well separated round groups of ``sizes``, and each point's group."""
    rng = np.random.default_rng(seed)
    centres = [(0, 0), (40, 0), (0, 40), (40, 40), (20, 80)]
    points = np.concatenate([rng.normal(centres[i], spread, (n, 2)) for i, n in enumerate(sizes)])
    return points, np.repeat(np.arange(len(sizes)), sizes)


def test_the_smallest_group_is_two_percent_of_the_collection_and_at_least_three():
    assert [min_cluster_size(n) for n in (10, 100, 1000, 100_000)] == [3, 3, 20, 2000]


def test_separate_dense_groups_are_found_and_sparse_points_are_noise():
    points, truth = blobs([30, 25, 20])
    sparse = np.array([[100.0, -60.0], [-70.0, 90.0]])
    groups = find_groups(np.concatenate([points, sparse]), 5)
    assert (groups[-2:] == -1).all()
    found = groups[:-2]
    # One group per blob, whatever their numbers.
    assert len(set(found)) == 3 and all(len(set(found[truth == t])) == 1 for t in range(3))


def test_a_large_layout_is_clustered_on_a_sample_one_group_per_blob_the_same_each_time():
    # 1,500 points sampled to 300: the smallest group (200) scales to 40, or the sample would be
    # too small for any group; the other 1,200 points take their nearest sampled point's group.
    points, truth = blobs([600, 500, 400])
    groups = find_groups(points, 200, sample=300)
    assert len(set(groups)) == 3 and all(len(set(groups[truth == t])) == 1 for t in range(3))
    assert np.array_equal(groups, find_groups(points, 200, sample=300))


def test_a_collection_smaller_than_two_groups_has_none():
    assert (find_groups(np.random.default_rng(0).normal(size=(9, 2)), 5) == -1).all()


@pytest.mark.parametrize("layout, size, message", [
    (np.zeros((10, 3)), 3, r"layout must be an \(n, 2\) array"),
    (np.zeros((10, 2)), 1, "at least 2 images"),
])
def test_bad_input_is_refused(layout, size, message):
    with pytest.raises(ValueError, match=message):
        find_groups(layout, size)


def test_a_sample_of_fewer_than_two_points_is_refused():
    with pytest.raises(ValueError, match="sample must have at least 2 points"):
        find_groups(np.zeros((10, 2)), 3, sample=1)


def test_names_are_the_groups_distinctive_words_not_the_common_ones():
    texts = ["Red-figure amphora, object"] * 4 + ["Bronze coin object"] * 4 + ["Marble stele 300 BC object"] * 4
    groups = np.repeat([0, 1, 2], 4)
    names = distinctive_terms(texts, groups)
    assert names[1] == ("bronze coin",)  # a phrase of two distinctive words is one name
    assert all("object" not in " ".join(n) for n in names)  # in every image: names nothing
    assert all(not any(ch.isdigit() for ch in " ".join(n)) for n in names)
    assert set(names[0]) <= {"red", "figure", "amphora", "red figure", "figure amphora"} and names[0]


def test_the_words_of_dates_name_no_group():
    # Group 0 is of one era, group 1 of another: what they show names them, not "BCE" or "century".
    texts = ["kylix ca. 480 BCE", "kylix 5th century BCE", "kylix ca. 470 BCE"] * 2 + ["lamp 2nd century CE"] * 6
    names = distinctive_terms(texts, np.array([0] * 6 + [1] * 6))
    assert names == [("kylix",), ("lamp",)]


def test_a_group_without_a_distinctive_word_is_numbered_and_clusters_are_placed_on_the_grid():
    # Two groups on a 10-column grid: group 0 in the top-left block, group 1 in the bottom-right one.
    groups = np.array([0] * 6 + [1] * 6 + [-1])
    cells = np.array([0, 1, 2, 10, 11, 12, 77, 78, 79, 87, 88, 89, 50])
    texts = ["amphora"] * 6 + ["x"] * 7
    clusters = describe_clusters(groups, cells, 10, texts)
    assert [(c.label, c.size) for c in clusters] == [("Amphora", 6), ("Group 2", 6)]
    first, second = clusters
    assert first.extent == (0, 0, 3, 2) and (first.col, first.row) == (1, 0)
    assert second.extent == (7, 7, 10, 9) and (second.col, second.row) == (8, 7)
    document = clusters_document(clusters)
    assert document[0] == {"label": "Amphora", "terms": ["amphora"], "size": 6, "col": 1, "row": 0,
                           "extent": [0, 0, 3, 2]}


def test_each_images_code_is_its_groups_place_in_the_list_largest_first():
    # Group 1 is the largest, so it is listed first; groups 0 and 2 tie and keep their order.
    groups = np.array([0, 1, 1, 2, -1, 1, 0, 2])
    cells = np.arange(len(groups))
    clusters = describe_clusters(groups, cells, 4, [f"w{g}" for g in groups])
    codes = listed_codes(groups)
    assert codes.tolist() == [1, 0, 0, 2, -1, 0, 1, 2]
    for place, cluster in enumerate(clusters):
        assert cluster.size == int((codes == place).sum())
    assert listed_codes(np.array([-1, -1])).tolist() == [-1, -1]


def test_image_texts_join_title_and_fields_and_ignore_missing_columns():
    records = pd.DataFrame({"title": ["Amphora", "Coin"], "culture": ["Attic", None]})
    assert image_texts(records, ("title", "culture", "absent")) == ["Amphora Attic", "Coin "]
    assert image_texts(records, ("absent",)) == ["", ""]


def test_a_group_over_a_quarter_of_the_collection_is_clustered_again_into_its_parts():
    # Two far pairs of touching blobs: excess of mass alone keeps each pair as one group of half
    # the points (a label over half the map); clustered again, each pair falls into its blobs.
    rng = np.random.default_rng(0)
    points = np.concatenate([rng.normal(c, 0.5, (50, 2)) for c in [(0, 0), (2, 0), (100, 0), (102, 0)]])
    groups = find_groups(points, 10)
    sizes = np.bincount(groups[groups >= 0])
    assert len(sizes) >= 3 and sizes.max() < 100
    assert not (set(groups[:100]) & set(groups[100:])) - {-1}  # no group spans both pairs


def test_a_word_in_every_image_names_no_group_and_a_shared_category_value_does():
    records = pd.DataFrame({"title": [f"Digit {d}" for d in [3] * 5 + [7] * 5 + [3, 7] * 3], "ink": ["blue"] * 16})
    groups = np.array([0] * 5 + [1] * 5 + [2] * 6)
    texts = image_texts(records, ("title", "ink"))
    assert distinctive_terms(texts, groups) == [(), (), ()]
    # "ink" has one value (no category); group 2 is half 3s and half 7s (no value most share).
    assert shared_values(records, ("title", "ink"), groups) == ["Digit 3", "Digit 7", ""]
    clusters = describe_clusters(groups, np.arange(16), 4, texts, shared_values(records, ("title", "ink"), groups))
    assert [c.label for c in clusters] == ["Group 3", "Digit 3", "Digit 7"]


def test_english_function_words_name_no_group():
    texts = ["Statue of a youth and a dog"] * 4 + ["Head of a woman and a child"] * 4
    names = distinctive_terms(texts, np.repeat([0, 1], 4))
    assert all(not {"of", "and", "a"} & set(" ".join(n).split()) for n in names) and all(names)
