"""From the paths given on the command line to posts: which reader each file needs."""

from __future__ import annotations

import os
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


def read_path(path: Path, explicit: bool) -> list[Post]:
    """Posts from one file. Markdown found by walking a folder is a draft only if it
    opens with front matter (a README beside the drafts is not one)."""
    from .drafts import is_draft, read_draft

    name = str(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError("is a folder", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", path=name) from None
    suffix = path.suffix.lower()
    if suffix in RECORD_SUFFIXES:
        return _records(name, data)
    head = data[:8].decode("utf-8", "ignore")
    if suffix in DRAFT_SUFFIXES:
        if not explicit and not is_draft(head):
            return []
        return [read_draft(name, data)]
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


def load_paths(paths: list[str]) -> list[Post]:
    posts: list[Post] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for file in files_under(path):
                posts.extend(read_path(file, explicit=False))
        elif path.exists():
            posts.extend(read_path(path, explicit=True))
        else:
            raise InputError("no such file or folder", path=given)
    return posts
