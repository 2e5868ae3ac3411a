"""The mosaic of a grid of images as a Deep Zoom (DZI) pyramid, plus a small preview.

Each grid cell holds one image resized to the cell size, either letterboxed on the background
(``"contain"``) or centre-cropped to fill the cell (``"fill"``); empty cells are background.

The mosaic is never held in memory: grid rows of cells are composed one strip at a time
(:mod:`.cells`) and appended to an uncompressed BigTIFF, one TIFF strip per grid row
(:mod:`.bigtiff`), in a temporary folder next to the output, which libvips then reads strip by
strip into ``dzsave`` and into a shrink for the preview (:mod:`.pyramid`). Neither Pillow's
decompression-bomb guard nor JPEG's 65,535-pixel side limit applies, so the mosaic's size is
bounded by disk space (3 bytes per pixel while building; 100,000 cells of 128x128 is about
4.9 GB).

Why TIFF rather than a headerless raw file and ``pyvips.Image.rawload``: rawload memory-maps
the whole file, so the process's resident set grows to the mosaic's size (measured: 4.9 GB
RSS for a 40,576 x 40,448 mosaic, 1.07 GB for 18,176 x 18,048), whereas libtiff reads strips
into small buffers (166 MB RSS for the latter).

Output, in ``out_dir`` (names from :mod:`tsne_assets.core.deepzoom`)::

    tiles.dzi                          the Deep Zoom descriptor
    tiles_files/<level>/<col>_<row>.<ext>  tiles; level 0 is 1x1 pixel, the last full size
    preview.jpg                        the whole mosaic, longest side ``preview_size``
"""

from .build import DeepZoomInfo, build_deep_zoom
from .cells import render_cell
from .options import MosaicOptions, TileFormat

__all__ = ["DeepZoomInfo", "MosaicOptions", "TileFormat", "build_deep_zoom", "render_cell"]
