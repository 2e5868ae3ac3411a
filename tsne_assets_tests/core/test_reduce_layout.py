import numpy as np
import pytest

from tsne_assets.core.layout import tsne_layout
from tsne_assets.core.reduce import pca_reduce


@pytest.mark.parametrize(("n", "components"), [(1, 1), (2, 2), (3, 3), (40, 40), (300, 256)])
def test_pca_clamps_components_to_the_data(n, components):
    features = np.random.default_rng(0).normal(size=(n, 300))
    assert pca_reduce(features).shape == (n, components)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_tsne_lays_out_tiny_collections(n):
    layout = tsne_layout(np.random.default_rng(0).normal(size=(n, 5)))
    assert layout.shape == (n, 2)
    assert np.isfinite(layout).all()


def test_tsne_is_reproducible_and_separates_clusters():
    rng = np.random.default_rng(1)
    x = np.vstack([rng.normal(0, 1, (60, 20)), rng.normal(12, 1, (60, 20))])
    first, second = tsne_layout(x, seed=3), tsne_layout(x, seed=3)
    np.testing.assert_array_equal(first, second)
    centre_a, centre_b = first[:60].mean(axis=0), first[60:].mean(axis=0)
    spread = max(first[:60].std(axis=0).max(), first[60:].std(axis=0).max())
    assert np.linalg.norm(centre_a - centre_b) > 3 * spread
