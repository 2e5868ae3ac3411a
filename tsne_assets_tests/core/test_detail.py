"""Each image's own Deep Zoom pyramid: size, framing decision, content-hash cache, bad images,
local disk and S3 (moto's server)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from upath import UPath

from tsne_assets.core.deepzoom import read_dzi, verify_deep_zoom
from tsne_assets.core.detail import (
    DETAIL_DZI,
    DetailOptions,
    DetailSource,
    build_detail_pyramids,
    detail_size,
    shows_more,
)
from tsne_assets.core.spec import CollectionSpec
from tsne_assets_tests.collections import jpeg_bytes, pattern_image


def write_sources(folder: Path, sizes: dict[str, tuple[int, int]]) -> list[DetailSource]:
    folder.mkdir(parents=True, exist_ok=True)
    sources = []
    for index, (name, size) in enumerate(sizes.items()):
        data = jpeg_bytes(pattern_image(index, size))
        (folder / name).write_bytes(data)
        sources.append(DetailSource(name, str(folder / name), hashlib.sha256(data).hexdigest(), *size))
    return sources


def build(sources, cache, max_size=2048, **options):
    return build_detail_pyramids(
        sources,
        cache,
        DetailOptions(max_size=max_size),
        cell_size=(128, 128),
        resize="contain",
        read=lambda p: Path(p).read_bytes(),
        **options,
    )


def test_detail_size_caps_the_longer_side_and_never_enlarges():
    assert detail_size(4000, 3000, 2048) == (2048, 1536)
    assert detail_size(3000, 4000, 2048) == (1536, 2048)
    assert detail_size(1000, 500, 2048) == (1000, 500)


def test_a_pyramid_is_built_only_where_it_shows_more_than_the_cell():
    # contain: a 256 x 64 image fills a 128-px cell at half size; fill enlarges it twice to crop it.
    assert shows_more((256, 64), (256, 64), (128, 128), "contain")
    assert not shows_more((256, 64), (256, 64), (128, 128), "fill")
    assert shows_more((512, 256), (512, 256), (128, 128), "fill")
    assert not shows_more((128, 96), (128, 96), (128, 128), "contain")
    assert not shows_more((160, 120), (160, 120), (160, 120), "fill")
    # A pyramid capped below what the cell shows adds nothing either.
    assert not shows_more((100, 75), (4000, 3000), (128, 128), "contain")


def test_pyramids_are_complete_capped_and_only_for_images_larger_than_their_cell(tmp_path):
    sources = write_sources(tmp_path / "images", {"big.jpg": (600, 400), "small.jpg": (100, 80)})
    report = build(sources, tmp_path / "cache", max_size=512)
    assert list(report.pyramids) == ["big.jpg"]  # the small one is shown whole by its cell
    pyramid = report.pyramids["big.jpg"]
    assert (pyramid.width, pyramid.height) == (512, 341)
    folder = tmp_path / "cache" / pyramid.folder
    assert verify_deep_zoom(folder, DETAIL_DZI) == []
    assert (read_dzi(folder / DETAIL_DZI).width, read_dzi(folder / DETAIL_DZI).height) == (512, 341)
    assert (report.rendered, report.reused, report.failed) == (1, 0, {})
    assert report.bytes == sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    # Nothing else is left in the cache: no scratch folders, no libvips properties.
    assert {p.name for p in (tmp_path / "cache").rglob("*") if p.name.startswith(".") or p.suffix == ".xml"} == set()


def test_a_rebuild_re_renders_no_unchanged_pyramid(tmp_path):
    sources = write_sources(tmp_path / "images", {"a.jpg": (400, 300), "b.jpg": (300, 400)})
    first = build(sources, tmp_path / "cache")
    files = {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").rglob("*") if p.is_file()}
    again = build(sources, tmp_path / "cache")
    assert (again.rendered, again.reused, again.bytes) == (0, 2, 0)
    assert again.pyramids == first.pyramids
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").rglob("*") if p.is_file()} == files
    # A changed image gets a new pyramid; the other is re-used. A larger limit that does not
    # change an image's size re-uses its pyramid too.
    changed = [DetailSource("a.jpg", sources[0].path, hashlib.sha256(b"new content").hexdigest(), 400, 300)]
    assert build([*changed, sources[1]], tmp_path / "cache", max_size=4096).rendered == 1
    assert build([*changed, sources[1]], tmp_path / "cache", max_size=4096).reused == 2


def test_a_bad_image_gets_no_pyramid_and_is_reported(tmp_path):
    sources = write_sources(tmp_path / "images", {"good.jpg": (400, 300), "bad.jpg": (400, 300)})
    Path(sources[1].path).write_bytes(jpeg_bytes(pattern_image(1, (400, 300)))[:300])  # truncated since the scan
    missing = DetailSource("gone.jpg", str(tmp_path / "images" / "gone.jpg"), "0" * 64, 400, 300)
    report = build([*sources, missing], tmp_path / "cache")
    assert list(report.pyramids) == ["good.jpg"]
    assert set(report.failed) == {"bad.jpg", "gone.jpg"}
    assert "cannot read" in report.failed["gone.jpg"]
    assert report.failed["bad.jpg"]


def test_the_pixel_limit_applies(tmp_path):
    sources = write_sources(tmp_path / "images", {"a.jpg": (400, 300)})
    report = build(sources, tmp_path / "cache", max_pixels=1000)
    assert report.pyramids == {} and "too large" in report.failed["a.jpg"]


def test_pyramids_are_cached_on_s3(tmp_path, s3_server, s3_bucket):
    sources = write_sources(tmp_path / "images", {"a.jpg": (400, 300)})
    cache = UPath(f"s3://{s3_bucket}/cache/detail", endpoint_url=s3_server)
    first = build(sources, cache)
    folder = cache / first.pyramids["a.jpg"].folder
    assert first.rendered == 1 and verify_deep_zoom(folder, DETAIL_DZI, check_tile_sizes=False) == []
    assert build(sources, cache).reused == 1


@pytest.mark.parametrize("value", [0, 64, 2048, 16384])
def test_detail_max_accepts_off_and_a_sensible_range(value):
    assert CollectionSpec(id="c", images="/images", detail_max=value).detail_max == value


@pytest.mark.parametrize("value", [-1, 10, 16385, True, 2048.0, "2048"])
def test_detail_max_refuses_other_values(value):
    with pytest.raises(ValueError, match="detail_max"):
        CollectionSpec(id="c", images="/images", detail_max=value)


def test_options_are_validated():
    for bad in ({"max_size": 0}, {"overlap": 256}, {"tile_format": "gif"}, {"quality": 0}):
        with pytest.raises(ValueError):
            DetailOptions(**bad)
    assert DetailOptions().variant() == "t256-o1-jpg90"
    assert DetailOptions(tile_format="png").variant() == "t256-o1-png"
