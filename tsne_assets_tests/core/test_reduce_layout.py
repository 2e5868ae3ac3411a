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


def test_pca_of_a_large_collection_fits_a_sample_and_projects_every_image(monkeypatch):
    # Above the fit sample, the components come from a seeded sample: every image is still
    # projected, reproducibly, onto nearly the same subspace as a fit on all of them.
    import tsne_assets.core.reduce as reduce

    rng = np.random.default_rng(0)
    features = rng.normal(size=(3000, 5)) @ rng.normal(size=(5, 40)) + rng.normal(scale=0.01, size=(3000, 40))
    full = pca_reduce(features, 5)
    monkeypatch.setattr(reduce, "FIT_SAMPLE", 500)
    sampled = pca_reduce(features, 5)
    assert sampled.shape == (3000, 5) and sampled.dtype == np.float32
    np.testing.assert_array_equal(sampled, pca_reduce(features, 5))
    assert np.abs(sampled - full).max() > 1e-3  # fitted on the sample, not on every image
    # Same subspace: each projection is a rotation of the other, shifted by the sample's mean.
    affine = np.column_stack([full, np.ones(len(full))])
    transform, *_ = np.linalg.lstsq(affine, sampled, rcond=None)
    np.testing.assert_allclose(affine @ transform, sampled, atol=0.05)
