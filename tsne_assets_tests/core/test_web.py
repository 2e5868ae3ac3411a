"""The one Content-Type and Cache-Control policy of a published site (serve and publish)."""

import pytest

from tsne_assets.core.web import IMMUTABLE, NO_CACHE, REVALIDATE, cache_control, content_type


@pytest.mark.parametrize(
    "path, expected",
    [
        ("index.html", "text/html; charset=utf-8"),
        ("c1/", "text/html; charset=utf-8"),  # a folder serves its index page
        ("", "text/html; charset=utf-8"),
        ("current.json", "application/json"),
        ("versions/v1/metadata.json", "application/json"),
        ("versions/v1/tiles.dzi", "application/xml"),
        ("versions/v1/tiles_files/3/0_0.jpg", "image/jpeg"),
        ("versions/v1/tiles_files/3/0_0.JPEG", "image/jpeg"),
        ("versions/v1/tiles_files/3/0_0.png", "image/png"),
        ("versions/v1/tiles_files/3/0_0.webp", "image/webp"),
        ("versions/v1/preview.jpg", "image/jpeg"),
        ("viewer/app-1a2b.js", "text/javascript; charset=utf-8"),
        ("viewer/app-1a2b.js.map", "application/json"),
        ("viewer/app-1a2b.css", "text/css; charset=utf-8"),
        ("viewer/icon.svg", "image/svg+xml"),
        ("viewer/photo.gif", "image/gif"),  # from the platform's table
        ("viewer/blob", "application/octet-stream"),
        ("viewer.d/blob", "application/octet-stream"),  # a dot in a folder is no suffix
    ],
)
def test_content_type(path, expected):
    assert content_type(path) == expected


@pytest.mark.parametrize(
    "path, published, local",
    [
        ("index.html", REVALIDATE, NO_CACHE),
        ("c1/", REVALIDATE, NO_CACHE),
        ("c1/current.json", REVALIDATE, NO_CACHE),
        ("versions/v1/metadata.json", REVALIDATE, NO_CACHE),
        ("versions/v1/tiles.dzi", IMMUTABLE, IMMUTABLE),
        ("versions/v1/tiles_files/0/0_0.jpg", IMMUTABLE, IMMUTABLE),
        ("versions/v1/preview.jpg", IMMUTABLE, IMMUTABLE),
        ("viewer/app-1a2b.js", IMMUTABLE, IMMUTABLE),
    ],
)
def test_cache_control(path, published, local):
    assert cache_control(path) == published
    assert cache_control(path, local=True) == local
