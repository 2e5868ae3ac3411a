"""One storage root, local folder or object store, as a universal-pathlib path.

Besides naming things under the root, this module holds the few file operations that must
behave the same on local disk and on S3: copying a folder in, writing a file so that readers
never see it half-written, removing folders, pruning old versions and reading a folder
locally.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import stat
import tempfile
import uuid
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Union

from upath import UPath

from .s3 import DEFAULT_RETRY_SECONDS, s3_options
from .spec import CollectionSpec

AnyPath = Union[UPath, Path]
#: Notices of the storage: S3 retries (:mod:`.s3`), cleanup that failed.
log = logging.getLogger("tsne_assets.storage")

#: A run id (Dagster's are UUIDs): the name of a run's intermediate folder under ``assets/``.
RUN_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class NoticeHandler(logging.Handler):
    """Hands each notice of the storage to ``send``: its message, or with ``short`` the
    one-line ``summary`` that some notices carry (for a progress bar). ``key`` names whose
    handler it is, so that one owner (a run) attaches one handler however often it asks."""

    def __init__(self, send: Callable[[str], None], short: bool = False, key: str | None = None) -> None:
        super().__init__(logging.INFO)
        self.send, self.short, self.key = send, short, key

    def emit(self, record: logging.LogRecord) -> None:
        summary = getattr(record, "summary", None) if self.short else None
        self.send(summary or record.getMessage())


@contextmanager
def notices_to(send: Callable[[str], None], short: bool = False) -> Iterator[None]:
    """Within the block, hand each notice of the storage (S3 retries, failed cleanup) to ``send``."""
    handler = NoticeHandler(send, short)
    log.addHandler(handler)
    try:
        yield
    finally:
        log.removeHandler(handler)


def storage_options(
    root: str, endpoint_url: str | None = None, retry_seconds: float = DEFAULT_RETRY_SECONDS
) -> dict[str, Any]:
    """fsspec options for ``root``: on S3 the endpoint where one is given and retries that end
    after ``retry_seconds`` (:mod:`.s3`), nothing for other locations. Credentials come from
    the usual AWS chain."""
    if not root.startswith("s3://"):
        return {}
    options = s3_options(retry_seconds)
    if endpoint_url:
        options["endpoint_url"] = endpoint_url
    return options


def storage_path(root: str, endpoint_url: str | None = None, retry_seconds: float = DEFAULT_RETRY_SECONDS) -> UPath:
    """``root`` as a path object that works the same on local disk and S3."""
    return UPath(root, **storage_options(root, endpoint_url, retry_seconds))


def is_local(path: AnyPath) -> bool:
    """Whether ``path`` is on the local file system."""
    return not isinstance(path, UPath) or path.protocol in ("", "file", "local")


def local_path(path: AnyPath) -> Path:
    """A local ``path`` as a :class:`pathlib.Path`."""
    return Path(path.path if isinstance(path, UPath) else path)


def walk_files(root: AnyPath) -> Iterator[tuple[str, AnyPath]]:
    """(relative posix path, path) for every regular file below ``root``. Links, to files or
    folders, are neither followed nor listed: what they point to may lie anywhere."""
    if is_local(root):
        base = local_path(root)
        for dirpath, _dirs, files in os.walk(base):  # does not enter linked folders
            for name in files:
                full = Path(dirpath) / name
                if stat.S_ISREG(full.lstat().st_mode):
                    yield full.relative_to(base).as_posix(), full
    else:
        prefix = root.path.rstrip("/") + "/"
        for found in root.fs.find(root.path):
            yield found[len(prefix) :], root / found[len(prefix) :]


def _link_tree(source: Path, destination: Path) -> None:
    """Hard-link every file of ``source`` into ``destination`` (copying across devices)."""
    can_link = True
    # Plain strings, and one system call per file where nothing is in the way: a pyramid has
    # tens of thousands of tiles (pathlib and two checks per file took twice the time).
    for dirpath, _dirs, files in os.walk(source):
        target_dir = os.path.join(destination, os.path.relpath(dirpath, source))
        os.makedirs(target_dir, exist_ok=True)
        for name in files:
            src, dst = os.path.join(dirpath, name), os.path.join(target_dir, name)
            if can_link:
                try:
                    try:
                        os.link(src, dst)
                    except FileExistsError:  # left by an earlier copy: replaced
                        os.unlink(dst)
                        os.link(src, dst)
                    continue
                except OSError:
                    can_link = False  # another device or no hard links: copy from now on
            if os.path.lexists(dst):
                os.unlink(dst)  # never copied through a link into its target
            shutil.copy2(src, dst)


def copy_file(source: AnyPath, destination: AnyPath, *, link: bool = False) -> None:
    """Copy one file between any two locations; ``link`` hard-links where both are local (within
    one object store the copy is server-side)."""
    if is_local(source) and is_local(destination):
        src, dst = local_path(source), local_path(destination)
        dst.parent.mkdir(parents=True, exist_ok=True)
        if link:
            if dst.exists():
                dst.unlink()
            try:
                os.link(src, dst)
                return
            except OSError:
                pass
        shutil.copyfile(src, dst)
    elif is_local(source):
        destination.fs.put_file(str(local_path(source)), destination.path)
    elif not is_local(destination) and source.fs is destination.fs:
        destination.fs.copy(source.path, destination.path)
    else:
        if is_local(destination):
            local_path(destination).parent.mkdir(parents=True, exist_ok=True)
        with source.open("rb") as fin, destination.open("wb") as fout:
            shutil.copyfileobj(fin, fout, 1 << 20)


def copy_tree(source: AnyPath, destination: AnyPath) -> None:
    """Copy a folder between any two locations, creating ``destination``: hard links on one
    local disk, uploads from disk to S3, server-side copies within one object store."""
    if is_local(source) and is_local(destination):
        _link_tree(local_path(source), local_path(destination))
    elif is_local(source):
        destination.fs.put(str(local_path(source)).rstrip("/") + "/", destination.path, recursive=True)
    elif not is_local(destination) and source.fs is destination.fs:
        destination.fs.copy(source.path.rstrip("/") + "/", destination.path, recursive=True)
    else:
        for rel, path in walk_files(source):
            copy_file(path, destination / rel)


@contextmanager
def local_staging(destination: AnyPath) -> Iterator[Path]:
    """A local folder for tools that write only to local disk, whose content ends up at
    ``destination``: ``destination`` itself when it is local, else a temporary folder uploaded
    when the block ends without error."""
    if is_local(destination):
        yield local_path(destination)
        return
    with tempfile.TemporaryDirectory(prefix="tsne-staging-", ignore_cleanup_errors=True) as scratch:
        folder = Path(scratch) / "staged"
        yield folder
        copy_tree(folder, destination)


def write_bytes_atomic(path: AnyPath, data: bytes) -> None:
    """Write ``data`` so that readers see the old or the new content, never a partial one.

    Locally through a temporary file renamed over ``path``; on object stores with one PUT,
    which replaces an object atomically.
    """
    if not is_local(path):
        path.write_bytes(data)
        return
    target = local_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomic(path: AnyPath, text: str) -> None:
    """:func:`write_bytes_atomic` for UTF-8 text."""
    write_bytes_atomic(path, text.encode("utf-8"))


def remove_tree(path: AnyPath) -> None:
    """Remove a folder and everything below it; nothing happens when it does not exist."""
    if is_local(path):
        shutil.rmtree(local_path(path), ignore_errors=True)
    elif path.exists():
        path.fs.rm(path.path, recursive=True)


def remove_after_error(path: AnyPath) -> None:
    """:func:`remove_tree` for cleanup while an error is being handled: a failure to remove
    ``path`` is logged, never raised, so that it cannot take the place of the error (the next
    build removes what is left)."""
    try:
        remove_tree(path)
    except Exception as error:  # whatever it is, the error being handled matters more
        log.warning("could not remove %s after the error: %s", path, error)


def list_children(path: AnyPath) -> list[AnyPath]:
    """The entries directly below ``path``; none when it does not exist."""
    try:
        return list(path.iterdir()) if path.exists() else []
    except (FileNotFoundError, NotADirectoryError):
        return []


def prune_children(parent: AnyPath, keep: Collection[str]) -> list[str]:
    """Remove every folder or file below ``parent`` whose name is not in ``keep``.

    Returns the names removed, sorted. Used to drop old versions once a newer one serves.
    """
    removed = []
    for child in list_children(parent):
        if child.name not in keep:
            if child.is_dir():
                remove_tree(child)
            else:
                child.unlink()
            removed.append(child.name)
    return sorted(removed)


def run_folders(root: AnyPath) -> list[str]:
    """The run ids that have an intermediate folder ``<root>/assets/<run id>/`` (written by
    the IO managers for a run's own steps, such as the feature shards), sorted."""
    return sorted(child.name for child in list_children(root / "assets") if RUN_ID.match(child.name))


def spec_path(root: UPath, collection_id: str) -> UPath:
    return root / "collections" / f"{collection_id}.json"


def save_spec(root: UPath, spec: CollectionSpec) -> None:
    write_text_atomic(spec_path(root, spec.id), spec.to_json())


def load_spec(root: UPath, collection_id: str) -> CollectionSpec:
    path = spec_path(root, collection_id)
    if not path.exists():
        raise FileNotFoundError(
            f"collection {collection_id!r} has no spec at {path}; register it with "
            "`tsne-assets build --id ...` or let the sensor find its folder"
        )
    return CollectionSpec.from_json(path.read_text())
