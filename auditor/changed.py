"""`--changed-since REF`: only the drafts and record files that changed since a git ref.

What counts as changed is what changed on this branch since it left REF, with
the work not yet committed: `git diff --name-status -M BASE` against the
working tree, where BASE is `git merge-base REF HEAD` (the `REF...HEAD` of a
pull request; REF itself when the two share no history). So drafts changed on
REF after the branch left it are not audited. Listed are added, modified,
type-changed files and the new name of a renamed or copied file, plus
untracked files git does not ignore (a new draft not yet added). Deleted files
are left out: there is nothing to audit. Only files under the paths given on
the command line are kept.

git runs in the repository the paths are in (the folder given, or the folder
of the file given), not in the working folder: `altaudit check
--changed-since main ../site/drafts` asks the site's repository.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .errors import InputError
from .inputs.discover import DRAFT_SUFFIXES, RECORD_SUFFIXES, SKIPPED_FOLDERS

OPTION = "--changed-since"


def _git(args: list[str], cwd: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise InputError(f"{OPTION}: git is not installed") from None


def changed_files(ref: str, cwd: str | None = None) -> list[Path]:
    """Absolute paths of the files changed since `ref` that still exist, in git's order."""
    cwd = cwd or os.getcwd()
    top = _git(["rev-parse", "--show-toplevel"], cwd)
    if top.returncode != 0:
        raise InputError(f"{OPTION}: not inside a git repository")
    root = Path(os.fsdecode(top.stdout.strip()))
    if ref.startswith("-") or _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd).returncode != 0:
        raise InputError(f"{OPTION}: unknown git ref '{ref}' (a branch, tag or commit, e.g. origin/main)")
    fork = _git(["merge-base", ref, "HEAD"], cwd)
    base = os.fsdecode(fork.stdout.strip()) if fork.returncode == 0 and fork.stdout.strip() else ref
    diff = _git(["diff", "--name-status", "-M", "-z", base, "--"], cwd)
    if diff.returncode != 0:
        message = diff.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"{OPTION}: git diff failed: {message[0] if message else 'unknown error'}")
    fields = diff.stdout.split(b"\0")
    names: list[bytes] = []
    at = 0
    while at < len(fields) and fields[at]:
        status = fields[at][:1]
        if status in (b"R", b"C"):  # old name, then new name
            names.append(fields[at + 2])
            at += 3
            continue
        if status != b"D":
            names.append(fields[at + 1])
        at += 2
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z", "--full-name", "--", str(root)], cwd)
    if untracked.returncode == 0:
        names += [name for name in untracked.stdout.split(b"\0") if name]
    seen: set[Path] = set()
    out = []
    for name in names:
        path = root / os.fsdecode(name)
        if path not in seen and path.is_file():
            seen.add(path)
            out.append(path)
    return out


def changed_inputs(ref: str, paths: list[str], cwd: str | None = None) -> list[str]:
    """The drafts and record files among `paths` (files or folders) changed since `ref`,
    named relative to the working folder."""
    cwd = cwd or os.getcwd()
    wanted = [Path(cwd, p).resolve() for p in paths]
    out = []
    for path in _changed_in_their_repositories(ref, wanted):
        if path.suffix.lower() not in DRAFT_SUFFIXES | RECORD_SUFFIXES:
            continue
        resolved = path.resolve()
        inside = [w for w in wanted if resolved == w or w in resolved.parents]
        if not inside:
            continue
        # Folders a walk would skip (.git, node_modules, hidden ones) stay skipped.
        below = resolved.relative_to(inside[0]).parts[:-1]
        if any(part in SKIPPED_FOLDERS or part.startswith(".") for part in below):
            continue
        out.append(os.path.relpath(path, cwd))
    return out


def _changed_in_their_repositories(ref: str, wanted: list[Path]) -> list[Path]:
    """The changed files of every repository that holds one of `wanted`, each asked once."""
    asked: set[Path] = set()
    out: list[Path] = []
    for path in wanted:
        folder = path if path.is_dir() else path.parent
        while not folder.is_dir() and folder != folder.parent:
            folder = folder.parent  # a path not there (yet): its nearest folder
        top = _git(["rev-parse", "--show-toplevel"], str(folder))
        root = Path(os.fsdecode(top.stdout.strip())) if top.returncode == 0 else None
        if root is not None and root in asked:
            continue
        for changed in changed_files(ref, str(folder)):
            if changed not in out:
                out.append(changed)
        if root is not None:
            asked.add(root)
    return out
