"""From the paths given on the command line to posts: which reader each file needs."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import InputError
from ..model import Post

DRAFT_SUFFIXES = {".md", ".markdown"}
RECORD_SUFFIXES = {".json", ".jsonl", ".ndjson"}
SKIPPED_FOLDERS = {".git", ".hg", ".venv", "venv", "node_modules", "__pycache__"}


def files_under(folder: Path) -> list[Path]:
    """Drafts and record files in a folder tree, in a stable order."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS and not d.startswith("."))
        for name in sorted(files):
            suffix = os.path.splitext(name)[1].lower()
            if suffix in DRAFT_SUFFIXES or suffix in RECORD_SUFFIXES:
                found.append(Path(root) / name)
    return found


def read_path(path: Path) -> list[Post] | None:
    """Posts from one file; None for Markdown that is not a draft (no +++ front
    matter: a README beside the drafts), which is skipped."""
    from .drafts import is_draft, read_draft

    name = str(path)
    try:
        # A FIFO or a device would hang or never end: only regular files are read.
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise InputError("not a regular file", path=name)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", path=name) from None
    suffix = path.suffix.lower()
    if suffix in RECORD_SUFFIXES:
        return _records(name, data)
    head = data[:8].decode("utf-8", "ignore")
    if suffix in DRAFT_SUFFIXES:
        return [read_draft(name, data)] if is_draft(head) else None
    if is_draft(head):
        return [read_draft(name, data)]
    if head.lstrip("\ufeff \t\r\n")[:1] in ("{", "["):
        return _records(name, data)
    raise InputError(
        "not a draft (Markdown with +++ front matter) or post records (.json, .jsonl)", path=name
    )


def _records(name: str, data: bytes) -> list[Post]:
    from .records import read_records  # loads atproto's models only when records are read

    return read_records(name, data)


def load_paths(paths: list[str]) -> tuple[list[Post], list[str]]:
    """The posts in the given files and folders, and the Markdown files skipped
    as not drafts (named ones too: pre-commit names every changed .md file)."""
    posts: list[Post] = []
    skipped: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = files_under(path)
        elif path.exists():
            files = [path]
        else:
            raise InputError("no such file or folder", path=given)
        for file in files:
            found = read_path(file)
            if found is None:
                skipped.append(str(file))
            else:
                posts.extend(found)
    return posts, skipped
