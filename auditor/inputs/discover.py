"""From the paths given on the command line to posts: which reader each file needs.

`iter_items(paths)` reads lazily: it yields each `Post` as its file is read and
an `InputProblem` for each record or file that cannot be used, and goes on
with the rest. What it passed over is counted on the returned `Inputs`:
Markdown files that are not drafts (`skipped_files`) and records that are not
posts (`not_posts`, by ``$type``), both complete once the iteration is done.

`iter_items(paths, record_lines=True)` yields each JSON Lines file as
`record_lines.RecordLines` (batches of raw lines), and each account export's
post records as `car.CarRecords` (batches of raw blocks), instead of posts, for
a consumer that parses them where it audits them (run_report does, over
worker processes or here); their posts and problems are counted as they are parsed.
"""

from __future__ import annotations

import os
import re
import stat
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import InputError
from ..model import InputProblem, Post

DRAFT_SUFFIXES = {".md", ".markdown"}
RECORD_SUFFIXES = {".json", ".jsonl", ".ndjson"}
SKIPPED_FOLDERS = {".git", ".hg", ".venv", "venv", "node_modules", "__pycache__"}
NOT_AN_INPUT = "not a draft (Markdown with +++ front matter) or post records (.json, .jsonl)"


def files_under(folder: Path) -> Iterator[Path]:
    """Drafts and record files in a folder tree, in a stable order, as they are found."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS and not d.startswith("."))
        for name in sorted(files):
            suffix = os.path.splitext(name)[1].lower()
            if suffix in DRAFT_SUFFIXES or suffix in RECORD_SUFFIXES:
                yield Path(root) / name


class Inputs:
    """The posts and problems in some paths, read when iterated (once)."""

    def __init__(self, paths: Iterable[str], record_lines: bool = False):
        self.paths = list(paths)
        self.record_lines = record_lines  # JSON Lines as batches of raw lines (see the module's doc)
        self.skipped_files: list[str] = []  # Markdown without +++ front matter (a README beside drafts)
        self.skipped_json: list[str] = []  # JSON in a walked folder that holds no Bluesky records (package.json)
        self.exclude: set[str] = set()  # real paths a folder walk passes over (the --baseline file)
        self.not_posts: Counter[str] = Counter()  # records of other types, by $type
        self.files = 0  # files read
        self.posts = 0
        self.problems = 0

    @property
    def not_posts_total(self) -> int:
        return sum(self.not_posts.values())

    def __iter__(self) -> Iterator[Post | InputProblem]:
        for given in self.paths:
            path = Path(given)
            if path.is_dir():
                files: Iterable[Path] = files_under(path)
            elif path.exists() or path.is_symlink():
                files = [path]
            else:
                self.problems += 1
                yield InputProblem(given, None, "no such file or folder")
                continue
            walked = path.is_dir()
            for file in files:
                if walked and (os.path.realpath(file) in self.exclude or not _may_hold_records(file)):
                    self.skipped_json.append(str(file))
                    continue
                self.files += 1
                for item in read_path_items(file, self):
                    if isinstance(item, InputProblem):
                        self.problems += 1
                    elif isinstance(item, Post):
                        self.posts += 1
                    # (RecordLines are counted as they are parsed)
                    yield item


# What a file of Bluesky records, a listRecords page or an API view shows near its start.
_RECORDS_HINT = re.compile(rb'app\.bsky\.|"(?:records|feed|posts|thread|post|value|text|uri)"\s*:')


def _may_hold_records(file: Path) -> bool:
    """False for a JSON file found in a folder walk whose start shows no record
    shape (package.json, tsconfig.json): skipped, not a problem. Files given by
    name are always read; Markdown always is."""
    if file.suffix.lower() not in RECORD_SUFFIXES:
        return True
    try:
        with open(file, "rb") as handle:
            head = handle.read(65536)
    except OSError:
        return True  # the reader reports it
    return not head.strip() or _RECORDS_HINT.search(head) is not None


def iter_items(paths: Iterable[str], record_lines: bool = False) -> Inputs:
    """Every post in the given files and folders, and a problem for each thing that
    cannot be read, lazily. Iterate the result once; then read its counts.
    `record_lines`: JSON Lines files as batches of raw lines (see the module's doc)."""
    return Inputs(paths, record_lines)


def read_path_items(path: Path, inputs: Inputs | None = None) -> Iterator[Post | InputProblem]:
    """The posts and problems in one file. A Markdown file that is not a draft
    (no +++ front matter) yields nothing and is listed in `inputs.skipped_files`."""
    name = str(path)
    not_posts = inputs.not_posts if inputs is not None else Counter()
    try:
        # A FIFO or a device would hang or never end: only regular files are read.
        if not stat.S_ISREG(os.stat(path).st_mode):
            yield InputProblem(name, None, "not a regular file")
            return
        suffix = path.suffix.lower()
        if suffix == ".car":  # an account export
            from .car import iter_car

            # With record_lines, the posts' raw blocks go to the workers in
            # batches (car.CarRecords), counted as they are decoded.
            batches = inputs is not None and inputs.record_lines
            yield from iter_car(name, not_posts, batches=batches, counts=inputs if batches else None)
            return
        if suffix in RECORD_SUFFIXES:
            yield from _records(name, None, not_posts, inputs)  # streamed from the file
            return
        from .drafts import is_draft, read_draft  # not for record files: it imports tomllib

        with open(path, "rb") as handle:
            head = handle.read(8).decode("utf-8", "ignore")
            if suffix not in DRAFT_SUFFIXES and head.lstrip("\ufeff \t\r\n")[:1] in ("{", "["):
                handle.seek(0)
                yield from _records(name, None, not_posts, inputs)
                return
            if not is_draft(head):
                if suffix in DRAFT_SUFFIXES:
                    if inputs is not None:
                        inputs.skipped_files.append(name)
                    return
                yield InputProblem(name, None, NOT_AN_INPUT)
                return
        yield read_draft(name)  # drafts are small: read whole
    except InputError as err:
        yield InputProblem(err.path or name, err.line, err.detail)
    except OSError as err:
        yield InputProblem(name, None, f"cannot read the file: {err.strerror or err}")


def _records(name: str, data: bytes | None, not_posts: Counter, inputs: Inputs | None = None) -> Iterator[Post | InputProblem]:
    from .records import iter_records

    lines_file = None
    if inputs is not None and inputs.record_lines:
        from .record_lines import LinesFile

        lines_file = LinesFile(name, not_posts, inputs)
    return iter_records(name, data, not_posts, lines_file)


def read_path(path: Path) -> list[Post] | None:
    """Posts from one file, all or nothing (`InputError` for the first problem);
    None for Markdown that is not a draft, which is skipped."""
    inputs = Inputs([])
    posts = list(_strict(read_path_items(path, inputs)))
    return None if inputs.skipped_files else posts


def load_paths(paths: list[str]) -> tuple[list[Post], list[str]]:
    """The posts in the given files and folders, and the Markdown files skipped
    as not drafts (named ones too: pre-commit names every changed .md file).
    All or nothing: `InputError` for the first problem. `iter_items` streams."""
    inputs = iter_items(paths)
    posts = list(_strict(inputs))
    return posts, inputs.skipped_files


def _strict(items: Iterable[Post | InputProblem]) -> Iterator[Post]:
    for item in items:
        if isinstance(item, InputProblem):
            raise InputError(item.message, path=item.path, line=item.line)
        yield item
