"""What `publish` posted, so that no draft is posted twice: one JSON file in the
user's data folder (never the cache: emptying the cache must not forget what
was posted), written atomically, held by one run at a time.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

LEDGER_NAME = "published.json"


class LedgerError(Exception):
    """The ledger cannot be read or written (one line)."""


def data_folder() -> Path:
    """Where altaudit keeps what it must not forget (not the cache)."""
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Application Support")
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "altaudit"


@dataclass
class Ledger:
    """What was published, by draft digest: ``{digest: {state, rkey, did, handle,
    path, uri, cid, ...}}`` in one JSON file, written atomically. `state` is
    ``pending`` (the record key is chosen, the post may or may not exist yet) or
    ``published``. Only one run holds it at a time (`locked`)."""

    path: Path
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    @contextmanager
    def locked(cls, folder: Path | None = None, waiting: Callable[[], None] = lambda: None) -> Iterator["Ledger"]:
        folder = folder or data_folder()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            lock = open(folder / (LEDGER_NAME + ".lock"), "a+b")
        except OSError as exc:
            raise LedgerError(f"cannot open the publishing ledger in {folder}: {exc.strerror or exc}") from None
        with lock:
            _lock(lock, waiting)
            yield cls.load(folder / LEDGER_NAME)

    @classmethod
    def load(cls, path: Path) -> "Ledger":
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except OSError as exc:
            raise LedgerError(f"cannot read the publishing ledger {path}: {exc.strerror or exc}") from None
        try:
            entries = json.loads(text)
        except ValueError:
            entries = None
        if not isinstance(entries, dict) or not all(isinstance(v, dict) for v in entries.values()):
            # Never guess over it: a lost ledger could mean posting twice.
            raise LedgerError(f"the publishing ledger {path} is damaged; move it away to publish again")
        return cls(path, entries)

    def get(self, digest: str) -> dict[str, Any] | None:
        return self.entries.get(digest)

    def for_path(self, path: Path, digest: str) -> dict[str, Any] | None:
        """A published entry from the same draft file with other content."""
        where = str(path.resolve())
        for key, entry in self.entries.items():
            if key != digest and entry.get("path") == where and entry.get("state") == "published":
                return entry
        return None

    def put(self, digest: str, entry: dict[str, Any]) -> None:
        self.entries[digest] = entry
        self.save()

    def save(self) -> None:
        text = json.dumps(self.entries, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        try:
            fd, temp = tempfile.mkstemp(prefix=".published-", suffix=".tmp", dir=self.path.parent)
        except OSError as exc:
            raise LedgerError(f"cannot write the publishing ledger {self.path}: {exc.strerror or exc}") from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except BaseException as exc:
            try:
                os.unlink(temp)
            except OSError:
                pass
            if isinstance(exc, OSError):
                raise LedgerError(f"cannot write the publishing ledger {self.path}: {exc.strerror or exc}") from None
            raise


def _lock(handle, waiting: Callable[[], None]) -> None:
    """Hold the lock file; `waiting()` is called once if another run holds it."""
    try:
        import fcntl
    except ImportError:  # Windows: msvcrt locks a byte range instead
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
        return
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        waiting()
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
