"""The ``tsne-assets`` command line: the original scripts' interface over the Dagster assets."""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import settings as declared
from .cli_build import build_and_report, dagster_home, storage_root
from .core.spec import CollectionSpec
from .core.spec_values import absolute_location, parse_cell_size
from .core.storage import notices_to, storage_options
from .errors import EXPECTED_ERRORS
from .settings import EXECUTORS, Settings, local_or_url

#: The code location's name in the UI, as in the repository's workspace.yaml.
LOCATION_NAME = "tsne_assets"
#: The harvested columns shown (and searched) when a IIIF build names no --field.
IIIF_FIELDS = ("summary", "attribution", "rights")


def _add_storage_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", help=f"storage root, a folder or s3://bucket/prefix (default: ${declared.ROOT.env} or ./tsne-data)")
    parser.add_argument("--endpoint-url", help=f"S3-compatible endpoint URL (default: ${declared.ENDPOINT_URL.env})")


def _add_build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--executor", choices=EXECUTORS, help=f"where the steps run (default: ${declared.EXECUTOR.env} or in_process)"
    )
    _add_storage_arguments(parser)


def _as_template(value: str | None) -> str | None:
    """A bare column name, as the original tool took, is the template ``{name}``."""
    if value is None or "{" in value or "}" in value:
        return value
    return "{" + value + "}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tsne-assets", description=__doc__)
    parser.add_argument(
        "--verbose", action="store_true", help="show every event of a build, Dagster's warnings and tracebacks"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="build a collection's map from its images and metadata")
    build.add_argument("--id", required=True, help="collection id (letters, digits, _ and -)")
    source = build.add_mutually_exclusive_group(required=True)
    source.add_argument("--images", help='a folder or a glob, e.g. "photos/**/*.jpg" (quote it)')
    source.add_argument(
        "--iiif", metavar="URL_OR_FILE",
        help="a IIIF manifest or collection URL, or a local manifest or text file of manifest URLs, to harvest",
    )
    build.add_argument("--iiif-language", help="the language of IIIF texts, e.g. de (default: English, else any)")
    build.add_argument("--first-canvas", action="store_true", help="one image per IIIF manifest: its first canvas")
    build.add_argument("--metadata", help="CSV with one row per image")
    build.add_argument("--encoding", help="the CSV's text encoding, e.g. cp1252 (default: UTF-8, else cp1252 with a warning)")
    build.add_argument("--delimiter", help="the CSV's delimiter: ',', ';' or tab (default: detected from its header)")
    build.add_argument("--fn", default="filename", help="CSV column with the file name or relative path")
    build.add_argument("--title", help='title column or template, e.g. "{Name} ({Year})"')
    build.add_argument("--url", help='link column or template, e.g. "https://example.org/{Id}/"')
    build.add_argument("--field", action="append", default=[], help="extra CSV column to show and search (repeatable)")
    build.add_argument(
        "--facet", action="append", default=[], help="CSV column to filter by: categorical, numeric or date (repeatable)"
    )
    build.add_argument(
        "--timeline", metavar="FIELD",
        help="CSV column of dates (1850, c. 1850, 500 BCE, 1850-1860, 1850-05-01): also publish the images in columns by date",
    )
    build.add_argument("--tile", default="128x128", help="cell size of each image in the mosaic, WxH")
    build.add_argument("--resize", choices=["contain", "fill"], default="contain", help="letterbox or centre-crop")
    build.add_argument(
        "--detail-max", type=int, default=2048, metavar="PIXELS",
        help="longest side of each image's own zoomable pyramid beyond the mosaic (default 2048; 0: none)",
    )
    build.add_argument("--model", default="efficientnet_lite0", help="feature extractor: efficientnet_lite0 or vgg16")
    build.add_argument("--weights", help="the feature extractor's weights file (default: the model's own)")
    build.add_argument("--perplexity", type=float, default=30.0)
    build.add_argument("--seed", type=int, default=0)
    build.add_argument(
        "--headroom", type=float, metavar="SHARE",
        help="empty grid cells as a share of the images, 0 to 1, which keep groups apart "
        "(default: 0.75 up to 10,000 images, less above)",
    )
    build.add_argument(
        "--relayout-share", type=float, metavar="SHARE",
        help="lay the map out afresh once more than this share of its images (0 to 1) were placed "
        "next to their most similar images since its last full layout (default 0.3)",
    )
    build.add_argument(
        "--relayout", action="store_true",
        help="lay the map out afresh now; by default every image keeps its cell and new ones are placed",
    )
    build.add_argument(
        "--follow-links", action="store_true", help="also read links in the image folder that point outside it"
    )
    build.add_argument("--name", help="the collection's name shown to visitors (default: its id)")
    build.add_argument("--about", help="a description for the viewer's About dialog (plain text)")
    build.add_argument("--credit", help='whom to credit, e.g. "The Metropolitan Museum of Art, Open Access"')
    build.add_argument("--license", help='the licence of the images, e.g. "CC0"')
    build.add_argument(
        "--map-tiles", choices=["both", "iiif", "dzi"], default="both",
        help="the map's tiles published: Deep Zoom for the viewer and IIIF (an image service made of the same "
        "tiles, with a Presentation 3 manifest) (both, the default), IIIF only, or Deep Zoom only",
    )
    build.add_argument(
        "--site-url", help="the public URL the site will be served at, for its IIIF manifest and image service "
        "(default: http://127.0.0.1:8000/<id>/, where `serve` serves it)",
    )
    _add_build_arguments(build)

    demo = commands.add_parser("demo", help="build the built-in sample collection (scikit-learn's digits)")
    demo.add_argument("--limit", type=int, default=None, help="use only the first N digits")
    _add_build_arguments(demo)

    serve = commands.add_parser("serve", help="serve the published viewers over HTTP on localhost")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--root", help=f"local storage root (default: ${declared.ROOT.env} or ./tsne-data)")

    ui = commands.add_parser("ui", help="open the Dagster UI on this storage root and instance")
    ui.add_argument("--port", type=int, default=3000)
    _add_storage_arguments(ui)

    publish = commands.add_parser("publish", help="copy a collection's published viewer to a static-website bucket")
    publish.add_argument("collection", help="collection id")
    publish.add_argument("--to", required=True, help="destination, s3://bucket/prefix")
    publish.add_argument("--to-endpoint-url", help="S3-compatible endpoint of the destination (default: --endpoint-url)")
    _add_storage_arguments(publish)
    return parser


def _iiif_options(args: argparse.Namespace, root: str) -> dict[str, Any]:
    """The spec's IIIF settings: the source, and where it is harvested to under the storage
    ``root`` (``iiif/<id>/images/`` and ``iiif/<id>/metadata.csv``, UTF-8 with commas)."""
    if args.metadata or args.encoding or args.delimiter:
        raise ValueError("--iiif brings its own metadata: leave out --metadata, --encoding and --delimiter")
    folder = f"{root.rstrip('/')}/iiif/{args.id}"
    return {
        "images": f"{folder}/images", "metadata": f"{folder}/metadata.csv", "encoding": "utf-8", "delimiter": ",",
        "iiif": absolute_location(args.iiif),
        "iiif_language": args.iiif_language, "iiif_first_canvas": args.first_canvas,
        "fields": tuple(args.field) or IIIF_FIELDS,
    }


def _spec(args: argparse.Namespace, root: str = Settings.root) -> CollectionSpec:
    """The spec the build options describe, with every local path made absolute; a IIIF source
    is harvested under the storage ``root``."""
    from .core.features import get_extractor

    if not args.iiif and (args.iiif_language or args.first_canvas):
        raise ValueError("--iiif-language and --first-canvas need --iiif")
    source = _iiif_options(args, local_or_url(root)) if args.iiif else {
        "images": absolute_location(args.images),
        "metadata": absolute_location(args.metadata) if args.metadata else None,
        "encoding": args.encoding,
        "delimiter": "\t" if args.delimiter == "tab" else args.delimiter,
        "fields": tuple(args.field),
    }
    spec = CollectionSpec(
        id=args.id,
        **source,
        filename_column=args.fn,
        title=_as_template(args.title),
        url=_as_template(args.url),
        facets=tuple(args.facet),
        timeline=args.timeline,
        cell_size=parse_cell_size(args.tile),
        resize=args.resize,
        detail_max=args.detail_max,
        model=args.model,
        weights=absolute_location(args.weights) if args.weights else None,
        perplexity=args.perplexity,
        seed=args.seed,
        headroom=args.headroom,
        relayout_share=args.relayout_share,
        follow_links_outside=args.follow_links,
        name=args.name,
        about=args.about,
        credit=args.credit,
        license=args.license,
        map_tiles=args.map_tiles,
        site_url=args.site_url,
    )
    get_extractor(spec.model, spec.weights)  # a missing weights file is reported before any work
    return spec


def _ui(settings: Settings, port: int) -> None:
    """Replace this process with ``dagster dev`` on the settings' storage and instance."""
    os.environ.update(settings.environment())
    workspace = Path(dagster_home(settings.root)) / "workspace.yaml"
    workspace.write_text(
        "load_from:\n  - python_module:\n      module_name: tsne_assets.defs.definitions\n"
        f"      attribute: defs\n      location_name: {LOCATION_NAME}\n"
    )
    os.execv(sys.executable, [sys.executable, "-m", "dagster", "dev", "-w", str(workspace), "-p", str(port)])


def _run(args: argparse.Namespace) -> int:
    settings = Settings.from_env().replace(root=args.root, endpoint_url=getattr(args, "endpoint_url", None))
    if args.command in ("build", "demo"):
        executor = args.executor or settings.executor or "in_process"
        if args.command == "build":
            return build_and_report(_spec(args, settings.root), settings, executor, args.verbose, args.relayout)
        from .demo import write_digits_collection

        spec = write_digits_collection(storage_root(settings) / "samples" / "digits", args.limit)
        return build_and_report(spec, settings, executor, args.verbose)
    if args.command == "serve":
        from .serve import run_server

        try:
            run_server(settings.root, args.host, args.port)
        except OSError as error:  # most often: the port is taken
            raise ValueError(f"cannot serve on {args.host}:{args.port}: {error.strerror or error}") from None
    elif args.command == "ui":
        _ui(settings, args.port)
    elif args.command == "publish":
        from .core.publish import publish_viewer

        endpoint = args.to_endpoint_url or settings.endpoint_url
        with notices_to(lambda notice: print(f"tsne-assets: {notice}", file=sys.stderr)):
            report = publish_viewer(
                storage_root(settings) / "site" / args.collection,
                args.to,
                storage_options=storage_options(args.to, endpoint, settings.s3_retry_seconds),
            )
        print(
            f"Published {args.collection!r} version {report.version} to {report.destination}: "
            f"{len(report.uploaded)} uploaded, {report.unchanged} unchanged, {len(report.removed)} removed"
            + (f"; {len(report.skipped)} files the site did not write left out" if report.skipped else "")
        )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's C++ start-up chatter
    args = _parser().parse_args(argv)
    with warnings.catch_warnings():  # the filters of this command, undone when it returns
        if args.verbose:
            warnings.simplefilter("default")
        try:
            return _run(args)
        except EXPECTED_ERRORS as error:
            print(f"tsne-assets: error: {error}", file=sys.stderr)
            return 2


if __name__ == "__main__":
    sys.exit(main())
