"""Small, real image collections written by the tests: good images and every kind of bad one."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
from PIL import Image

#: Distinct colours, so that features and mosaic cells tell images apart.
PALETTE = [
    (220, 40, 40), (40, 180, 60), (40, 70, 210), (240, 200, 30), (150, 60, 190),
    (30, 200, 200), (250, 130, 20), (120, 120, 120), (20, 20, 20), (230, 230, 230),
]


def pattern_image(index: int, size: tuple[int, int] = (96, 72)) -> Image.Image:
    """A colour field with stripes whose count and angle depend on ``index``."""
    width, height = size
    y, x = np.mgrid[0:height, 0:width]
    stripes = ((x * (1 + index % 3) + y * (index % 4)) // (8 + index % 5)) % 2
    colour = np.array(PALETTE[index % len(PALETTE)], dtype=np.float64)
    pixels = colour[None, None, :] * (0.6 + 0.4 * stripes[..., None])
    return Image.fromarray(pixels.astype(np.uint8), mode="RGB")


def jpeg_bytes(image: Image.Image, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90, **options)
    return buffer.getvalue()


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def exif_rotated_jpeg(image: Image.Image) -> bytes:
    """``image`` stored sideways with EXIF orientation 6: viewers must rotate it upright."""
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    return jpeg_bytes(image.transpose(Image.Transpose.ROTATE_90), exif=exif.tobytes())


def odd_mode_images() -> dict[str, bytes]:
    """One file per awkward mode: CMYK, LA, P (with transparency) and 16-bit greyscale."""
    base = pattern_image(3)
    cmyk = io.BytesIO()
    base.convert("CMYK").save(cmyk, format="JPEG")
    la = base.convert("LA")
    palette = base.convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    palette.info["transparency"] = 0
    grey16 = Image.fromarray((np.linspace(0, 65535, 96 * 72).reshape(72, 96)).astype(np.uint16))
    return {
        "cmyk.jpg": cmyk.getvalue(),
        "la.png": png_bytes(la),
        "palette.png": png_bytes(palette),
        "grey16.png": png_bytes(grey16),
    }


def write_messy_collection(folder: Path, good: int = 8) -> dict[str, object]:
    """A collection in nested folders with spaces, odd modes, EXIF rotation, a duplicate and
    every kind of unreadable file, plus a metadata CSV with gaps. Returns what was written."""
    images = folder / "images"
    (images / "room one" / "case 2").mkdir(parents=True)
    (images / "room two").mkdir()
    good_ids = []
    for index in range(good):
        sub = ["room one", "room one/case 2", "room two"][index % 3]
        image_id = f"{sub}/object {index:03d}.jpg"
        (images / image_id).write_bytes(jpeg_bytes(pattern_image(index)))
        good_ids.append(image_id)
    extra = {"room two/rotated.jpg": exif_rotated_jpeg(pattern_image(11, (120, 60)))}
    extra.update({f"room two/{name}": data for name, data in odd_mode_images().items()})
    extra["room one/copy of object 000.jpg"] = (images / good_ids[0]).read_bytes()
    # Names are data: markup, quotes and accents must survive every stage untouched.
    extra["room two/<img src=x onerror=alert(1)> Café & 'déjà'.png"] = png_bytes(pattern_image(12))
    for image_id, data in extra.items():
        (images / image_id).write_bytes(data)
    bad = {
        "room two/empty.jpg": b"",
        "room two/truncated.jpg": jpeg_bytes(pattern_image(5))[:400],
        "room two/notes.txt": b"not an image",
        "room one/corrupt.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    }
    for image_id, data in bad.items():
        (images / image_id).write_bytes(data)
    (images / ".DS_Store").write_bytes(b"hidden")

    readable = sorted(good_ids + list(extra))
    # Rows use bare names for some files and relative paths for others; one image has no row
    # and one row has no image. Ids such as "007" must stay strings.
    rows = []
    for number, image_id in enumerate(readable):
        if image_id == "room two/rotated.jpg":
            continue
        name = image_id.rsplit("/", 1)[-1] if number % 2 else image_id
        rows.append({"filename": name, "Id": f"{number:03d}", "Name": f"Object {number}", "Year": str(1900 + number),
                     "title": f"Object {number}", "url": f"https://example.org/{number:03d}/"})
    rows.append({"filename": "missing.jpg", "Id": "999", "Name": "Ghost", "Year": "2000", "title": "Ghost",
                 "url": "https://example.org/999/"})
    metadata = folder / "metadata.csv"
    with metadata.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return {
        "images": images,
        "metadata": metadata,
        "readable": readable,
        "unreadable": sorted([*bad, ".DS_Store"]),
        "duplicate": ("room one/copy of object 000.jpg", good_ids[0]),
        "without_row": ["room two/rotated.jpg"],
        "row_without_image": "missing.jpg",
    }


def write_images(folder: Path, indices, prefix: str = "") -> None:
    """Write ``<prefix><index>.jpg`` pattern images into ``folder``, creating it."""
    folder.mkdir(parents=True, exist_ok=True)
    for index in indices:
        (folder / f"{prefix}{index}.jpg").write_bytes(jpeg_bytes(pattern_image(index)))
