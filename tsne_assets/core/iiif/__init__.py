"""IIIF in and out. In: harvest images and metadata from IIIF Presentation manifests (2.1 and 3),
their collections, or a list of manifest URLs, through the Image API, into a collection folder.
Out: publish a map as a IIIF level-0 image service with a Presentation 3 manifest.

- :mod:`.values`        language maps and v2 values as plain text
- :mod:`.image_api`     Image API services, and the image URL at the size the pipeline needs
- :mod:`.presentation`  manifests and collections read tolerantly into plain records
- :mod:`.fetch`         polite HTTP: User-Agent, retries with backoff, conditional-GET cache
- :mod:`.sources`       where a harvest starts, and the walk through collections
- :mod:`.harvest`       canvases to image files and a metadata table
- :mod:`.image_service` a Deep Zoom pyramid's tiles as a level-0 Image API 3 service (out)
- :mod:`.map_manifest`  the map's Presentation 3 manifest and its annotations (out)
- :mod:`.publication`   all of these as the files of a site version (out)
"""

from .fetch import Fetcher, HttpCache
from .harvest import harvest, table_csv
from .sources import walk

__all__ = ["Fetcher", "HttpCache", "harvest", "table_csv", "walk"]
