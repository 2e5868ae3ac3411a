"""Groups on the map and their names: what the viewer labels at low zoom.

Groups are found on the 2-D t-SNE layout with scikit-learn's HDBSCAN, a density clustering that
needs no number of clusters and leaves sparse images as noise. The layout, not the grid, is
clustered: snapping to the grid spreads every image to an even density, which hides the gaps
between groups. Each group is then placed on the grid (its label's cell and extent, in cells)
and named from its most distinctive words: TF-IDF over each image's title and field values,
the group's mean weight of a word minus the whole collection's (scikit-learn's TfidfVectorizer;
no language model, nothing downloaded).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

#: The smallest group, as a share of the collection, and in images.
MIN_CLUSTER_SHARE = 0.02
MIN_CLUSTER_IMAGES = 3
#: A group over this share of the collection is clustered again on its own: a label over more
#: of the map names too little. HDBSCAN's excess-of-mass selection kept the digits sample as 2
#: groups, one of 90% of the images, and Fashion-MNIST as 4-5, the largest of 41-48%.
MAX_CLUSTER_SHARE = 0.25
#: ... and replaced by its parts where they hold at least this share of its images: a round
#: group falls apart into small parts and noise, and stays whole (at 0.5 a round group of 30
#: points split; at 0.6 the largest Fashion-MNIST group of 20,000, 41%, stays whole).
MIN_PARTS_SHARE = 0.6
#: Layouts of more points are clustered on a seeded sample of this many (HDBSCAN took 91 s for
#: 100,000 points on 2 cores), with this seed.
GROUP_SAMPLE = 20_000
_SAMPLE_SEED = 0
#: Words of at least two letters (no digits: years and inventory numbers name no group).
_WORD = r"(?u)\b[^\W\d_]{2,}\b"
#: Nor do the words of dates ("ca. 480 BCE", "2nd century A.D."): a group of one era is named by
#: what it shows, and its era is what the date facet and the timeline are for.
DATE_WORDS = frozenset({"ad", "bc", "bce", "ca", "ce", "century", "centuries", "circa", "millennium"})
#: How many of a group's most distinctive terms are considered for its name, and how distinctive
#: a further term must be, as a share of the first's lift.
_CANDIDATES = 50
_SECOND_TERM_SHARE = 0.5
#: A lift below this is rounding: a word in every image ("Digit" of "Digit 3") names no group.
_MIN_LIFT = 1e-9
#: A field (the title included) with at most this many distinct values is a category: where no
#: word sets a group apart, the value most of its images share names it ("Digit 3").
_CATEGORY_VALUES = 50
#: The share of a group's cells its extent keeps on each axis (outliers would stretch it).
_EXTENT_PERCENTILES = (5, 95)


@dataclass(frozen=True)
class Cluster:
    """One group of images on the map.

    ``label`` is its name, from ``terms`` (most distinctive first; empty where no word sets it
    apart). ``col``/``row`` is the label's cell: the member closest to the group's centre.
    ``extent`` is ``[col0, row0, col1, row1]`` in cells (``col1``/``row1`` exclusive): the group
    without its outermost 5 % on each side.
    """

    label: str
    terms: tuple[str, ...]
    size: int
    col: int
    row: int
    extent: tuple[int, int, int, int]


def min_cluster_size(n_images: int) -> int:
    """The smallest group for a collection of ``n_images``: :data:`MIN_CLUSTER_SHARE` of it,
    at least :data:`MIN_CLUSTER_IMAGES`."""
    return max(MIN_CLUSTER_IMAGES, round(MIN_CLUSTER_SHARE * n_images))


def find_groups(layout: np.ndarray, min_size: int | None = None, *, sample: int = GROUP_SAMPLE) -> np.ndarray:
    """HDBSCAN group of each point of the 2-D ``layout``: ``0..k-1``, or ``-1`` for noise.

    ``min_size`` is the smallest group (default :func:`min_cluster_size`). Collections smaller
    than twice that have no groups. A group over :data:`MAX_CLUSTER_SHARE` of the collection is
    clustered again on its own and replaced by its parts (of at least ``min_size``) where they
    hold :data:`MIN_PARTS_SHARE` of its points. A layout of more than
    ``sample`` points (at least 2) is clustered on a seeded sample of ``sample`` of them, with
    ``min_size`` scaled by the sample's share; every other point takes the group of its nearest
    sampled point (noise where that is noise).
    """
    from scipy.spatial import cKDTree

    layout = np.asarray(layout, dtype=np.float64)
    if layout.ndim != 2 or layout.shape[1] != 2:
        raise ValueError(f"layout must be an (n, 2) array, not shape {layout.shape}")
    min_size = min_cluster_size(len(layout)) if min_size is None else int(min_size)
    if min_size < 2:
        raise ValueError(f"the smallest group must have at least 2 images, not {min_size}")
    if sample < 2:
        raise ValueError(f"the sample must have at least 2 points, not {sample}")
    if len(layout) < 2 * min_size:
        return np.full(len(layout), -1, dtype=np.int64)
    if len(layout) <= sample:
        return _hdbscan_groups(layout, min_size)
    # HDBSCAN's time grows about with the square of the points: a sample keeps the shapes.
    chosen = np.sort(np.random.default_rng(_SAMPLE_SEED).choice(len(layout), sample, replace=False))
    scaled = max(2, round(min_size * sample / len(layout)))
    sampled = _hdbscan_groups(layout[chosen], scaled)
    groups = sampled[cKDTree(layout[chosen]).query(layout, k=1)[1]]
    groups[chosen] = sampled
    return groups


def _hdbscan_groups(layout: np.ndarray, min_size: int) -> np.ndarray:
    """:func:`find_groups` of every point of a layout of at least ``2 * min_size`` points."""
    from sklearn.cluster import HDBSCAN

    groups = HDBSCAN(min_cluster_size=min_size, copy=True).fit(layout).labels_.astype(np.int64)
    queue = list(range(groups.max() + 1))
    while queue:
        members = np.flatnonzero(groups == queue.pop())
        if len(members) <= MAX_CLUSTER_SHARE * len(layout) or len(members) < 2 * min_size:
            continue
        parts = HDBSCAN(min_cluster_size=min_size, copy=True).fit(layout[members]).labels_
        if parts.max() >= 1 and np.mean(parts >= 0) >= MIN_PARTS_SHARE:
            first = int(groups.max()) + 1  # the parts' numbers follow every group's; their noise is noise
            groups[members] = np.where(parts >= 0, first + parts, -1)
            queue.extend(range(first, first + int(parts.max()) + 1))
    return np.unique(groups, return_inverse=True)[1].astype(np.int64) - int((groups < 0).any())


def image_texts(records: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    """Each image's words to name groups by: the values of ``columns``, joined."""
    present = [c for c in columns if c in records.columns]
    if not present:
        return [""] * len(records)
    parts = records[present].fillna("").astype(str)
    return parts.iloc[:, 0].str.cat(parts.iloc[:, 1:], sep=" ").tolist()  # a row-wise join took 5 s at 100,000


def distinctive_terms(texts: Sequence[str], groups: np.ndarray, n_terms: int = 2) -> list[tuple[str, ...]]:
    """For each group ``0..max(groups)``, its ``n_terms`` most distinctive words or two-word
    phrases: highest mean TF-IDF weight in the group minus that in the whole collection."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    n_groups = int(groups.max()) + 1 if len(groups) else 0
    if n_groups == 0:
        return []
    vectorizer = TfidfVectorizer(
        # English function words name nothing ("Statue of", "And little" on the Met sample).
        token_pattern=_WORD, stop_words=sorted(ENGLISH_STOP_WORDS | DATE_WORDS), ngram_range=(1, 2),
        sublinear_tf=True, min_df=2,
    )
    try:
        weights = vectorizer.fit_transform(texts)
    except ValueError:  # no word occurs twice in the whole collection
        return [()] * n_groups
    vocabulary = vectorizer.get_feature_names_out()
    overall = np.asarray(weights.mean(axis=0)).ravel()
    names = []
    for group in range(n_groups):
        lift = np.asarray(weights[groups == group].mean(axis=0)).ravel() - overall
        order = [i for i in np.argsort(-lift, kind="stable")[:_CANDIDATES] if lift[i] > _MIN_LIFT]
        # A further word must be nearly as distinctive as the best: a weak one adds noise, not meaning.
        strong = {vocabulary[i] for i in order if lift[i] >= _SECOND_TERM_SHARE * lift[order[0]]}
        names.append(_name_terms([vocabulary[i] for i in order], strong, n_terms))
    return names


def shared_values(records: pd.DataFrame, columns: Sequence[str], groups: np.ndarray) -> list[str]:
    """For each group ``0..max(groups)``, the value of a category field (one of ``columns`` with
    2 to :data:`_CATEGORY_VALUES` distinct values) held by most of its images and by at most
    half as large a share of the whole collection, the most so of all such; else "".
    """
    groups = np.asarray(groups)
    n_groups = int(groups.max()) + 1 if len(groups) else 0
    best = [("", 0.0)] * n_groups
    for column in (c for c in columns if c in records.columns):
        values = records[column].fillna("").astype(str).str.strip().to_numpy()
        distinct = set(values) - {""}
        if not 2 <= len(distinct) <= _CATEGORY_VALUES:
            continue
        overall = pd.Series(values).value_counts(normalize=True)
        for group in range(n_groups):
            shares = pd.Series(values[groups == group]).value_counts(normalize=True).drop("", errors="ignore")
            if shares.empty:
                continue
            value, share = shares.index[0], float(shares.iloc[0])
            if share > 0.5 and share >= 2 * overall[value] and share - overall[value] > best[group][1]:
                best[group] = (value, share - overall[value])
    return [value for value, _ in best]


def _name_terms(terms: list[str], strong: set[str], n_terms: int) -> tuple[str, ...]:
    """Up to ``n_terms`` of the ``strong`` ``terms`` (most distinctive first) that share no word;
    a phrase of strong words replaces those of its words already taken ("black", then "black
    figure" where "figure" is strong too)."""
    taken: list[str] = []
    for term in terms:
        words = set(term.split())
        overlapping = [t for t in taken if set(t.split()) & words]
        if not overlapping:
            if len(taken) < n_terms and term in strong:
                taken.append(term)
        elif len(words) > 1 and words <= strong and all(set(t.split()) <= words for t in overlapping):
            first = taken.index(overlapping[0])
            taken = [t for t in taken[:first] if t not in overlapping] + [term] + [
                t for t in taken[first:] if t not in overlapping
            ]
    return tuple(taken)


def _placement(cells: np.ndarray, cols: int) -> tuple[int, int, tuple[int, int, int, int]]:
    """The label's cell and the extent of a group whose members sit in grid ``cells``."""
    col, row = cells % cols, cells // cols
    low, high = _EXTENT_PERCENTILES
    col0, col1 = np.percentile(col, [low, high], method="nearest")
    row0, row1 = np.percentile(row, [low, high], method="nearest")
    centre = np.argmin((col - col.mean()) ** 2 + (row - row.mean()) ** 2)
    extent = (int(min(col0, col[centre])), int(min(row0, row[centre])),
              int(max(col1, col[centre])) + 1, int(max(row1, row[centre])) + 1)
    return int(col[centre]), int(row[centre]), extent


def _listed_order(groups: np.ndarray) -> np.ndarray:
    """The groups ``0..max(groups)`` largest first, ties in group order: the viewer's order."""
    member = groups[groups >= 0]
    return np.argsort(-np.bincount(member), kind="stable") if len(member) else np.zeros(0, dtype=np.int64)


def listed_codes(groups: np.ndarray) -> np.ndarray:
    """Each image's group as its position in :func:`describe_clusters`' list, ``-1`` for noise:
    what the viewer's "Select" on a cluster label takes."""
    groups = np.asarray(groups, dtype=np.int64)
    order = _listed_order(groups)
    rank = np.full(len(order) + 1, -1, dtype=np.int64)  # the last entry answers groups[i] == -1
    rank[order] = np.arange(len(order))
    return rank[groups]


def describe_clusters(
    groups: np.ndarray, cells: np.ndarray, cols: int, texts: Sequence[str], shared: Sequence[str] = ()
) -> list[Cluster]:
    """The groups of :func:`find_groups`, placed on the grid and named, largest first (the order
    of :func:`listed_codes`).

    ``cells`` holds each image's grid cell (row-major, ``cols`` wide) and ``texts`` its words
    (:func:`image_texts`). A group without a distinctive word is named by its ``shared`` value
    (:func:`shared_values`, one per group) where it has one, else "Group <n>".
    """
    groups, cells = np.asarray(groups), np.asarray(cells)
    if not (len(groups) == len(cells) == len(texts)):
        raise ValueError(f"{len(groups)} groups, {len(cells)} cells and {len(texts)} texts: one each per image")
    terms = distinctive_terms(texts, groups)
    clusters = []
    for group in _listed_order(groups):
        members = cells[groups == group]
        col, row, extent = _placement(members, cols)
        words = terms[group]
        value = shared[group] if group < len(shared) else ""
        label = " · ".join(w[:1].upper() + w[1:] for w in words) or value or f"Group {group + 1}"
        clusters.append(Cluster(label, words, int(len(members)), col, row, extent))
    return clusters


def clusters_document(clusters: Sequence[Cluster]) -> list[dict]:
    """The clusters as plain JSON values (the asset's value and the viewer metadata's ``clusters``)."""
    return [{**asdict(c), "terms": list(c.terms), "extent": list(c.extent)} for c in clusters]
