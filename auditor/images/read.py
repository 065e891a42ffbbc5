"""Reading many images: from the cache where it knows them, the rest in a process pool.

Each worker process builds the engine once and reads images one at a time
with one thread, so N cores read N images at once. A single image left to
read is read in this process: starting a pool costs more than it saves.
"""

from __future__ import annotations

import os
import time
from typing import Sequence

from ..model import SeenText, TextLine
from .engines import DEFAULT_ENGINE, ENGINES, make_engine

# Changes to load.py that change what is read bump this, so old cache entries go unused.
LOADER_VERSION = 1

_engine = None  # the engine of this process, built on first use


def _get_engine(name: str):
    global _engine
    if _engine is None or _engine.name != name:
        _engine = make_engine(name)
    return _engine


def read_image(data: bytes, engine_name: str = DEFAULT_ENGINE) -> SeenText:
    """The text in one image file's bytes; a damaged file gives a SeenText with a problem."""
    from .load import ImageProblem, decode, prepare  # not for images the cache knows

    started = time.perf_counter()
    engine = _get_engine(engine_name)
    label = f"{engine.name} {engine.version}"
    try:
        image = decode(data)
    except ImageProblem as exc:
        return SeenText([], label, round(time.perf_counter() - started, 3), problem=str(exc))
    width, height = image.size
    if min(width, height) < 8:
        return SeenText([], label, round(time.perf_counter() - started, 3), width, height)
    prepared = prepare(image)
    try:
        found = engine.read_text(prepared.sheet)
    except Exception as exc:  # an engine's own failure on one image must not end the audit
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        return SeenText([], label, round(time.perf_counter() - started, 3), width, height, problem=f"the engine could not read it ({reason})")
    lines = []
    for line in found:
        box = prepared.to_image(line.box)
        text = line.text.strip()
        if box is not None and text:
            lines.append(TextLine(text, line.confidence, box))
    return SeenText(_without_repeats(lines), label, round(time.perf_counter() - started, 3), width, height)


def _without_repeats(lines: list[TextLine]) -> list[TextLine]:
    """Lines read twice where folded strips overlap: keep the first copy; top to bottom."""
    kept: list[TextLine] = []
    for line in sorted(lines, key=lambda l: (l.box[1], l.box[0])):
        if not any(other.text == line.text and _overlap(other.box, line.box) > 0.5 for other in kept):
            kept.append(line)
    return kept


def _overlap(a, b) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return width * height / max(1, smaller)


def content_key(data: bytes, engine_name: str = DEFAULT_ENGINE) -> str:
    try:
        from _sha256 import sha256  # CPython's own: importing hashlib (OpenSSL) costs a draft's start-up about 2 ms
    except ImportError:
        from hashlib import sha256
    digest = sha256(data).hexdigest()
    return f"{digest}:{engine_name}:{ENGINES[engine_name].version()}:{LOADER_VERSION}"


# A worker peaks near 1 GB on large images: more than this many buys little
# on a big machine and costs its memory.
MAX_WORKERS = 8


def worker_count() -> int:
    """The cores this process may use, at most MAX_WORKERS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, cores))


def _init_worker(engine_name: str) -> None:
    _get_engine(engine_name)


def _read_in_worker(args: tuple[bytes, str]) -> SeenText:
    return read_image(*args)


class Reader:
    """Reads images by content, through the cache, in a pool of `workers` processes."""

    def __init__(self, engine_name: str = DEFAULT_ENGINE, cache=None, workers: int | None = None):
        self.engine_name = engine_name
        self.cache = cache
        self.workers = workers or worker_count()
        self._pool = None  # a ProcessPoolExecutor, started on the first batch worth it
        self.read_count = 0  # images actually read (not from the cache)

    def read_many(self, images: Sequence[bytes]) -> list[SeenText]:
        keys = [content_key(data, self.engine_name) for data in images]
        known = self.cache.get_many(list(set(keys))) if self.cache is not None else {}
        todo: dict[str, bytes] = {}
        for key, data in zip(keys, images):
            if key not in known:
                todo.setdefault(key, data)
        if todo:
            fresh = dict(zip(todo, self._read(list(todo.values()))))
            self.read_count += len(fresh)
            if self.cache is not None:
                self.cache.put_many(fresh)
            known.update(fresh)
        return [known[key] for key in keys]

    def _read(self, datas: list[bytes]) -> list[SeenText]:
        if len(datas) == 1 or self.workers == 1:
            return [read_image(data, self.engine_name) for data in datas]
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(
                max_workers=min(self.workers, max(2, len(datas))),
                initializer=_init_worker,
                initargs=(self.engine_name,),
            )
        return list(self._pool.map(_read_in_worker, [(data, self.engine_name) for data in datas]))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if self.cache is not None:
            self.cache.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
