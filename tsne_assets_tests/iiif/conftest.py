"""The IIIF tests' museum, served on 127.0.0.1, and the builds of it that the build tests
(``test_build*.py``) share."""

import dagster as dg
import pytest

from tsne_assets.cli import _parser, _spec
from tsne_assets.defs.build import build_collection
from tsne_assets.serve import serve

from .museum import museum
from .server import StaticServer


def _serve():
    with StaticServer() as server:
        server.files.update(museum(server.url))
        yield server


#: A static server holding :func:`~.museum.museum`'s files, for one test (which may change them).
iiif_server = pytest.fixture(_serve)
#: The same, shared by a module's tests, which leave it as it is.
module_iiif_server = pytest.fixture(scope="module")(_serve)
#: The same, shared by the build tests' modules, which build from it once.
package_iiif_server = pytest.fixture(scope="package")(_serve)


@pytest.fixture(scope="package")
def iiif_build(package_iiif_server, tmp_path_factory):
    """One build of the museum (shared by the build tests' modules: builds take seconds), its
    site served by `tsne-assets serve` at the URL the build was told: its instance, spec, root
    and site URL."""
    root = tmp_path_factory.mktemp("iiif") / "storage"
    (root / "site").mkdir(parents=True)
    server, url, thread = serve(root, port=0)
    url = url.rstrip("/")
    arguments = ["build", "--id", "museum", "--iiif", f"{package_iiif_server.url}/collection.json", "--tile", "32x32",
                 "--detail-max", "0", "--field", "Date", "--field", "summary", "--field", "attribution",
                 "--site-url", f"{url}/museum/"]
    spec = _spec(_parser().parse_args(arguments), str(root))
    try:
        with dg.instance_for_test() as instance:
            assert build_collection(spec, root=str(root), instance=instance).success
            yield instance, spec, root, f"{url}/museum/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="package")
def iiif_only_build(iiif_build, package_iiif_server):
    """The museum built again as another collection whose site publishes IIIF tiles only
    (``--map-tiles iiif``): its root and site URL."""
    instance, _, root, site = iiif_build
    site = site.replace("/museum/", "/museum-iiif/")
    arguments = ["build", "--id", "museum-iiif", "--iiif", f"{package_iiif_server.url}/collection.json", "--tile", "32x32",
                 "--detail-max", "0", "--map-tiles", "iiif", "--site-url", site]
    spec = _spec(_parser().parse_args(arguments), str(root))
    assert build_collection(spec, root=str(root), instance=instance).success
    return root, site
