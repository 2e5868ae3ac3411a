import pytest

from tsne_assets.core.spec import CollectionSpec
from tsne_assets_tests.collections import jpeg_bytes, pattern_image

#: Small enough to be quick, large enough for two shards of two images (one step process each,
#: at the same time: more shards would only queue behind them).
IMAGES = 4
SHARD_SIZE = 2


@pytest.fixture(scope="module")
def small_collection(tmp_path_factory) -> CollectionSpec:
    """Four distinct small JPEGs, as a collection spec."""
    folder = tmp_path_factory.mktemp("images")
    for index in range(IMAGES):
        (folder / f"{index}.jpg").write_bytes(jpeg_bytes(pattern_image(index)))
    return CollectionSpec(id="small", images=str(folder))


def sharded(shard_size: int = SHARD_SIZE, **run_config) -> dict:
    """Run config that embeds in shards of ``shard_size`` images."""
    return {"ops": {"features": {"config": {"shard_size": shard_size}}}, **run_config}
