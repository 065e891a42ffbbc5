"""Filling `Image.seen` on a stream of posts before the checks run.

Posts pass through in order; they are held back only in small batches, so
that the images of several posts are read in parallel. Images come from the
local files drafts name (relative to the draft) and, given a
blobs.RemoteBlobs (`--images`), from the blobs records name on their PDS.
Without the engine installed, posts pass through untouched and the caller is
told once.
"""

from __future__ import annotations

from itertools import chain
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..model import Image, Post, SeenText
from . import INSTALL_HINT, engine_installed
from .engines import DEFAULT_ENGINE

READABLE_KINDS = ("image", "gif")  # a GIF's first frame is read
POSTS_PER_BATCH = 64


def image_path(post: Post, image: Image) -> Path | None:
    """The local file an image names, relative to its draft; None if it names none."""
    if not image.file or image.kind not in READABLE_KINDS:
        return None
    draft = image.source.path or post.source.path
    base = Path(draft).parent if draft and not draft.startswith("<") else Path(".")
    return base / image.file


def not_installed_note() -> str:
    return f"images were not read: the image engine is not installed ({INSTALL_HINT} to read the text in images)"


def with_seen_text(
    items: Iterable,
    note: Callable[[str], None],
    engine_name: str = DEFAULT_ENGINE,
    use_cache: bool = True,
    workers: int | None = None,
    blobs=None,
) -> Iterator:
    """The same items, each Post's local images with `seen` filled in.

    `blobs` (a blobs.RemoteBlobs) also reads the images records name by their
    blob's CID, fetched from the author's PDS (`--images` on records).
    `note` is called at most once, when there are images to read but no engine.
    """
    if not engine_installed(engine_name):
        yield from _noting_unread(items, note, blobs)
        return
    # Posts before the first one that names a local file (all of them, for
    # records and account exports) pass straight through: no cache, no reader.
    items = iter(items)
    for item in items:
        if isinstance(item, Post) and any(_to_read(item, image, blobs) for image in item.images):
            yield from _reading(chain([item], items), engine_name, use_cache, workers, blobs)
            return
        yield item


def _to_read(post: Post, image: Image, blobs) -> bool:
    return image_path(post, image) is not None or (blobs is not None and blobs.names(image))


def _reading(items: Iterator, engine_name: str, use_cache: bool, workers: int | None, blobs=None) -> Iterator:
    from .cache import SeenCache
    from .read import Reader

    with Reader(engine_name, SeenCache() if use_cache else None, workers) as reader:
        batch: list = []
        pending = 0
        try:
            for item in items:
                batch.append(item)
                if isinstance(item, Post):
                    pending += sum(1 for image in item.images if _to_read(item, image, blobs))
                if pending >= 8 * reader.workers or len(batch) >= POSTS_PER_BATCH:
                    yield from _read_batch(batch, reader, blobs)
                    batch, pending = [], 0
        except Exception:
            # The input failed part-way (a truncated file): what was read before
            # it still goes out, then the error.
            yield from _read_batch(batch, reader, blobs)
            raise
        yield from _read_batch(batch, reader, blobs)


def _read_batch(batch: list, reader, blobs=None) -> list:
    wanted: list[tuple[Image, bytes]] = []
    remote: list[tuple[Post, Image]] = []
    for item in batch:
        if not isinstance(item, Post):
            continue
        for image in item.images:
            path = image_path(item, image)
            if path is None:
                if blobs is not None and blobs.names(image):
                    remote.append((item, image))
                continue
            try:
                wanted.append((image, path.read_bytes()))
            except OSError as exc:
                image.seen = SeenText([], reader.engine_name, 0.0, problem=f"cannot read the file: {exc.strerror or exc}")
    if remote:
        wanted.extend(blobs.resolve(remote, reader))  # the cached and the unfetchable get `seen` there
    if wanted:
        for (image, _), seen in zip(wanted, reader.read_many([data for _, data in wanted])):
            image.seen = seen
    return batch


def _noting_unread(items: Iterable, note: Callable[[str], None], blobs=None) -> Iterator:
    told = False
    for item in items:
        if not told and isinstance(item, Post) and any(_to_read(item, i, blobs) for i in item.images):
            note(not_installed_note())
            told = True
        yield item
