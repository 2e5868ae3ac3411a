"""The page ``tsne-assets serve`` shows at ``/``: every published collection, with a preview,
its name, size, credit and licence, and a link to its IIIF manifest."""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import quote

from .core.published import PublishedCollection, list_published

__all__ = ["render_index"]


def _inside(site: Path, collection: PublishedCollection) -> bool:
    """Whether the collection's folder really lies in the site (the server serves nothing else)."""
    return (site / collection.id).resolve().is_relative_to(site.resolve())


def render_index(site: Path) -> str:
    """The root page: every collection published in ``site`` with its name, size, credit and
    licence, and a preview."""
    entries = []
    for c in list_published(site):
        if not _inside(site, c):
            continue
        href = quote(c.id) + "/"
        preview = (
            f'<img src="{html.escape(quote(c.preview))}" alt="" loading="lazy">'
            if c.preview
            else '<span class="noimg" aria-hidden="true"></span>'
        )
        n = f"{c.images:,} image{'s' if c.images != 1 else ''}"
        # Names, credits and licences are the curator's plain text: escaped, never markup.
        credit = " · ".join(part for part in (c.credit, c.license) if part)
        entries.append(
            f'<li><a href="{html.escape(href)}">{preview}'
            f"<span class=t>{html.escape(c.title)}</span>"
            f"<span class=n>{html.escape(n)}</span>"
            + (f"<span class=c>{html.escape(credit)}</span>" if credit else "")
            + "</a>"
            + (f'<a class=m href="{html.escape(quote(c.manifest))}">IIIF manifest</a>' if c.manifest else "")
            + "</li>"
        )
    items = "\n".join(entries) or "<li class=empty>No collection is published yet.</li>"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tsne-assets collections</title>
<link rel="icon" href="data:,">
<style>
body{{margin:0;padding:1.5rem;background:#111214;color:#f2f2f2;font:16px/1.4 system-ui,sans-serif}}
h1{{font-size:1.4rem;margin:0 0 1rem}}
ul{{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:1rem}}
a{{display:flex;flex-direction:column;gap:.35rem;padding:.6rem;border-radius:.5rem;background:#1c1e22;color:#f2f2f2;text-decoration:none;border:1px solid #33363c}}
a:hover{{border-color:#7fd1ff}} a:focus-visible{{outline:3px solid #ffd24a;outline-offset:2px}}
img,.noimg{{display:block;width:100%;aspect-ratio:1;object-fit:contain;background:#000;border-radius:.25rem}}
li{{display:flex;flex-direction:column;gap:.35rem}} .m{{padding:.3rem .6rem;font-size:.85rem}}
.t{{font-weight:600;overflow-wrap:anywhere}} .n,.c{{color:#c4c7cc;font-size:.9rem}} .c{{overflow-wrap:anywhere}}
</style></head>
<body><main><h1>Collections</h1>
<ul>
{items}
</ul></main></body></html>
"""
