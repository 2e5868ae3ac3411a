"""The collections sensor keeps a folder's identity (name, about, credit, licence) and facets."""

from tsne_assets.core.spec import CollectionSpec
from tsne_assets_tests.collections import write_images

from .daemon import register, requested_spec, resources, sensor_tick


def test_a_rebuilt_folder_keeps_its_registered_identity_and_facets(tmp_path, instance):
    images = tmp_path / "images"
    write_images(images / "vases", [0, 1])
    (images / "vases" / "metadata.csv").write_text("filename,Year\n0.jpg,1900\n1.jpg,1910\n")
    res = resources(str(tmp_path / "storage"), str(images))
    spec = CollectionSpec(
        id="vases", images=str(images / "vases"), metadata=str(images / "vases" / "metadata.csv"),
        facets=("Year",), name="Greek and Roman Art", about="Vases.", credit="The Met", license="CC0",
    )
    register(instance, res, spec)
    [request] = sensor_tick(instance, res, execute=False).requests
    requested = requested_spec(request)
    assert (requested.name, requested.about, requested.credit, requested.license, requested.facets) == (
        "Greek and Roman Art", "Vases.", "The Met", "CC0", ("Year",)
    )
