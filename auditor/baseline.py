"""A baseline: the findings a team has accepted for now, so that a build fails only on new ones.

    altaudit check --baseline .altaudit-baseline.json drafts/

The first run (no such file yet) writes every current finding to the file
and exits 0. Later runs leave out of the report every finding the file
holds and fail only on the rest. `--update-baseline` writes the file again
from the current findings, so that fixed ones drop out.

A finding is recognised by its content, not its line: the file's path
(relative to the baseline's folder), the rule code and a fingerprint of the
offending words (the whole description for findings about all of it, the
post text for findings about the post). The same words flagged twice by a
rule in a file count twice: the baseline keeps how many times each was
seen, and a third copy is new. So a finding survives edits elsewhere in the
file, moving lines or images, and reformatting of its TOML string.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

from .errors import InputError
from .model import Finding, PostResult

FORMAT = "altaudit-baseline"
VERSION = 1
EXCERPT = 80  # characters of the words kept in the file for people reading it


class Baseline:
    """The accepted findings of one baseline file, and what this run found."""

    def __init__(self, path: str, accepted: dict[tuple[str, str, str], int] | None, excerpts=None):
        self.path = path
        self.folder = Path(path).resolve().parent
        self.accepted = accepted  # None: the file does not exist yet
        self.excerpts: dict[tuple[str, str, str], str] = dict(excerpts or {})
        self.seen: Counter = Counter()  # every finding of this run, by key
        self.audited_paths: set[str] = set()
        self.hidden = 0  # findings left out because the baseline holds them
        self.hide = True  # False when rewriting it: every finding is reported

    @property
    def exists(self) -> bool:
        return self.accepted is not None

    @classmethod
    def load(cls, path: str, rewrite: bool = False) -> "Baseline":
        """The baseline in `path`; with `rewrite`, nothing is hidden and `settle` writes it anew."""
        baseline = cls._read(path)
        baseline.hide = not rewrite
        return baseline

    @classmethod
    def _read(cls, path: str) -> "Baseline":
        try:
            raw = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path, None)
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the baseline: {getattr(exc, 'strerror', None) or exc}", path=path) from None
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT or data.get("version") != VERSION:
                raise ValueError
            accepted, excerpts = {}, {}
            for entry in data["findings"]:
                key = (entry["path"], entry["code"], entry["fingerprint"])
                if not all(isinstance(part, str) for part in key) or not isinstance(entry["count"], int):
                    raise ValueError
                accepted[key] = accepted.get(key, 0) + entry["count"]
                excerpts[key] = str(entry.get("text", ""))
        except (ValueError, TypeError, KeyError, AttributeError):
            raise InputError(
                f"not an altaudit baseline (expected JSON with \"format\": \"{FORMAT}\", version {VERSION});"
                " delete it to write a new one",
                path=path,
            ) from None
        return cls(path, accepted, excerpts)

    # -- matching --------------------------------------------------------------

    def _relative(self, path: str | None) -> str:
        if not path or path.startswith("<"):
            return path or "<input>"
        try:
            return Path(path).resolve().relative_to(self.folder).as_posix()
        except ValueError:
            return Path(path).resolve().as_posix()

    def _key(self, where: str, finding: Finding, words: str) -> tuple[str, str, str]:
        digest = hashlib.sha256(f"{finding.code}\0{words}".encode("utf-8", "surrogatepass")).hexdigest()[:24]
        return where, finding.code, digest

    def filter(self, result: PostResult) -> PostResult:
        """`result` without the findings the baseline accepts; every finding is counted
        for writing the file. Call once per post, in input order."""
        where = self._relative(result.post.source.path)
        self.audited_paths.add(where)
        hide = self.exists and self.hide

        def keep(finding: Finding, words: str) -> bool:
            key = self._key(where, finding, words)
            self.seen[key] += 1
            self.excerpts.setdefault(key, _excerpt(words))
            if hide and self.seen[key] <= self.accepted.get(key, 0):
                self.hidden += 1
                return False
            return True

        post_words = " ".join(result.post.text.split())
        findings = [f for f in result.findings if keep(f, post_words)]
        images = []
        for image_result in result.images:
            alt = image_result.image.alt or ""
            whole = " ".join(alt.split())
            kept = [f for f in image_result.findings if keep(f, alt[f.span.start : f.span.end] if f.span else whole)]
            images.append(replace(image_result, findings=kept) if len(kept) != len(image_result.findings) else image_result)
        if not hide:
            return result
        return replace(result, findings=findings, images=images)

    @property
    def fixed(self) -> int:
        """Accepted findings of the audited files that this run did not find."""
        if not self.accepted:
            return 0
        return sum(
            max(0, count - self.seen.get(key, 0)) for key, count in self.accepted.items() if key[0] in self.audited_paths
        )

    # -- writing ---------------------------------------------------------------

    def settle(self, code: int, note) -> int:
        """After the run: write the file when it is new or rewritten (exit 0 then,
        unless an input could not be read), else say what it left out. `note` prints a line."""
        if not self.hide or not self.exists:
            count = self.write()
            note(f"baseline {self.path} written with {_count(count)}")
            return code if code == 2 else 0
        if self.hidden:
            note(f"{_count(self.hidden)} in the baseline not shown")
        if self.fixed:
            note(f"{_count(self.fixed)} in the baseline no longer found; --update-baseline drops them")
        return code

    def write(self) -> int:
        """Write this run's findings atomically; entries of files this run did not
        audit are kept while the file exists. Returns the number of findings written."""
        counts = Counter(self.seen)
        for key, count in (self.accepted or {}).items():
            if key[0] not in self.audited_paths and (self.folder / key[0]).exists():
                counts[key] += count
        entries = [
            {"path": path, "code": code, "fingerprint": digest, "count": count, "text": self.excerpts.get((path, code, digest), "")}
            for (path, code, digest), count in sorted(counts.items())
            if count > 0
        ]
        text = json.dumps({"format": FORMAT, "version": VERSION, "findings": entries}, indent=2, ensure_ascii=True) + "\n"
        write_atomically(self.path, text.encode("utf-8"))
        return sum(entry["count"] for entry in entries)


def _count(number: int) -> str:
    return f"{number} finding" + ("" if number == 1 else "s")


def _excerpt(words: str) -> str:
    return words if len(words) <= EXCERPT else words[: EXCERPT - 1] + "…"


def write_target(path: str) -> tuple[str, bool]:
    """Where a write to `path` really goes, and whether it must go there directly.

    A symlink is followed (the link stays, the file it names is written); a
    target that exists and is not a regular file (a device such as /dev/null,
    a FIFO) is written to as it is, never swapped for a new file."""
    import stat

    real = os.path.realpath(path)
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return real, False
    except OSError as exc:
        raise InputError(f"cannot write here: {exc.strerror or exc}", path=path) from None
    if stat.S_ISDIR(mode):
        raise InputError("is a folder, not a file", path=path)
    return real, not stat.S_ISREG(mode)


def new_file_mode(real: str) -> int:
    """The permissions a replacement of `real` gets: the old file's, else the umask's default."""
    try:
        return os.stat(real).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomically(path: str, data: bytes) -> None:
    """Write `data` to a temporary file beside `path` and move it into place:
    readers see the old file or the new one, never half of either. A symlink's
    target is the file replaced; a device or FIFO is written to directly."""
    real, direct = write_target(path)
    if direct:
        try:
            with open(real, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise InputError(f"cannot write here: {exc.strerror or exc}", path=path) from None
        return
    folder = os.path.dirname(real)
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{os.path.basename(real)}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write here: {exc.strerror or exc}", path=path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, new_file_mode(real))  # keep the old file's permissions
        os.replace(temp, real)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
