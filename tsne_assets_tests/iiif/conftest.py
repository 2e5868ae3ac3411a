"""The IIIF tests' museum, served on 127.0.0.1."""

import pytest

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
