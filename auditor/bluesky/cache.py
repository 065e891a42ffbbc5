"""The record cache: post records already fetched, so that a re-audit fetches only new posts.

One SQLite file, ``$XDG_CACHE_HOME/altaudit/records.sqlite3`` (``~/.cache/...``
without XDG_CACHE_HOME). It holds public records only, exactly as the PDS
served them (URI key, CID, value): never a handle's password, a token or a
session, and nothing from `publish`.

How a re-audit uses it (auditor/bluesky/account.py): listRecords returns an
account's posts newest first by record key. For each account the cache keeps
`top`, the newest record key of a walk that went all the way down; everything
at or below it is known. The next audit pages until it meets a key at or
below `top`, then serves the rest from here. Deletions: listRecords cannot
say what was deleted below `top`, so a post deleted after a full walk is
still audited from the cache until that walk is `REFRESH_AFTER` (a day) old;
then the whole account is listed again and every deleted post forgotten.
Records cached above `top` by a walk cut short (``--max``) are checked at the
next walk, which lists them all. ``--no-cache`` and ``altaudit cache clear``
forget at once.

The cache is a convenience, never a reason to fail: a corrupt file is
reported on standard error and rebuilt, a file locked by another process is
reported and the audit goes on without it, and any later SQLite error turns
the cache off for the rest of the run with one line of warning.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from pathlib import Path
from typing import Callable, Iterable, Iterator

SCHEMA_VERSION = 1
# Records are written in batches of this many, each in one transaction: a
# commit per listRecords page cost a 10,000-post walk as long again as the fetching.
WRITE_BATCH = 2000
REFRESH_AFTER = 24 * 3600  # seconds: then the whole account is listed again
_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    did TEXT NOT NULL,
    rkey TEXT NOT NULL,
    cid TEXT NOT NULL,
    value TEXT NOT NULL,
    walk INTEGER NOT NULL,
    PRIMARY KEY (did, rkey)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS accounts (
    did TEXT PRIMARY KEY,
    top TEXT,
    synced_at REAL NOT NULL
);
"""


def default_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "altaudit" / "records.sqlite3"


def _warn_stderr(message: str) -> None:
    sys.stderr.write(f"altaudit: warning: {message}\n")


class RecordCache:
    """Records by (DID, record key). Every method is safe to call after a failure: the cache is then off."""

    def __init__(self, path: Path | str | None = None, warn: Callable[[str], None] = _warn_stderr):
        self.path = Path(path) if path else default_path()
        self._warn = warn
        self.db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, str, str, str, int]] = []  # rows not yet written
        self._open()

    @property
    def enabled(self) -> bool:
        return self.db is not None

    # -- opening, and what goes wrong ----------------------------------------

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = self._connect()
        except sqlite3.OperationalError as exc:
            if _is_lock(exc):
                self._warn(f"the cache {self.path} is in use by another process ({exc}); auditing without it")
                self.db = None
                return
            self._rebuild(exc)
        except sqlite3.DatabaseError as exc:  # not a database, malformed, wrong schema
            self._rebuild(exc)
        except OSError as exc:
            self._warn(f"cannot use the cache folder {self.path.parent} ({exc.strerror or exc}); auditing without a cache")
            self.db = None

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=1.0, isolation_level=None)
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                raise sqlite3.DatabaseError(f"cache schema {version}, expected {SCHEMA_VERSION}")
            db.executescript(_SCHEMA)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("SELECT count(*) FROM accounts").fetchone()
            return db
        except BaseException:
            db.close()
            raise

    def _rebuild(self, exc: Exception) -> None:
        self._warn(f"the cache {self.path} was unreadable ({exc}); rebuilding it")
        self.db = None
        try:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self.db = self._connect()
        except (sqlite3.Error, OSError) as again:
            self._warn(f"cannot rebuild the cache {self.path} ({again}); auditing without it")
            self.db = None

    def _failed(self, exc: Exception) -> None:
        """A SQLite error during use: off for this run; a damaged file is removed for the next one."""
        db, self.db = self.db, None
        if db is not None:
            try:
                db.close()
            except sqlite3.Error:
                pass
        if isinstance(exc, sqlite3.OperationalError) and _is_lock(exc):
            self._warn(f"the cache {self.path} is locked by another process ({exc}); going on without it")
            return
        self._warn(f"the cache {self.path} failed ({exc}); going on without it, it will be rebuilt")
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            except OSError:
                pass

    # -- reading and writing --------------------------------------------------

    def top(self, did: str, now: float | None = None) -> str | None:
        """The newest record key below which the account is fully known, or None
        (never walked to the end, or longer ago than REFRESH_AFTER)."""
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT top, synced_at FROM accounts WHERE did = ?", (did,)).fetchone()
        except sqlite3.Error as exc:
            self._failed(exc)
            return None
        if row is None or row[0] is None:
            return None
        if (now or time.time()) - row[1] > REFRESH_AFTER:
            return None
        return row[0]

    def put(self, did: str, records: Iterable[tuple[str, str, dict]], walk: int) -> None:
        """Stores (rkey, cid, value) records seen by the walk `walk`: written
        WRITE_BATCH at a time, the rest by the next read, `finish_walk` or `close`."""
        if self.db is None:
            return
        # ASCII JSON: a lone surrogate in an alt text is stored as its escape, never refused.
        self._pending.extend((did, rkey, cid, json.dumps(value, separators=(",", ":")), walk) for rkey, cid, value in records)
        if len(self._pending) >= WRITE_BATCH:
            self.flush()

    def flush(self) -> None:
        """Writes the records `put` holds, in one transaction."""
        if self.db is None or not self._pending:
            self._pending.clear()
            return
        try:
            with _transaction(self.db):
                self._write_pending()
        except sqlite3.Error as exc:
            self._failed(exc)

    def _write_pending(self) -> None:
        rows, self._pending = self._pending, []
        self.db.executemany("INSERT OR REPLACE INTO records (did, rkey, cid, value, walk) VALUES (?, ?, ?, ?, ?)", rows)

    def finish_walk(self, did: str, walk: int, newest: str | None, old_top: str | None) -> None:
        """The walk listed every record newer than `old_top` (all of them when None):
        forget those it did not see (deleted) and remember `newest` as the new top."""
        if self.db is None:
            return
        try:
            with _transaction(self.db):
                self._write_pending()
                if old_top is None:
                    self.db.execute("DELETE FROM records WHERE did = ? AND walk != ?", (did, walk))
                else:
                    self.db.execute("DELETE FROM records WHERE did = ? AND rkey > ? AND walk != ?", (did, old_top, walk))
                top = max(filter(None, (newest, old_top)), default=None)
                self.db.execute(
                    "INSERT OR REPLACE INTO accounts (did, top, synced_at) VALUES (?, ?, ?)", (did, top, time.time())
                )
        except sqlite3.Error as exc:
            self._failed(exc)

    def records_from(self, did: str, top: str) -> Iterator[tuple[str, str, dict]]:
        """Cached (rkey, cid, value) at or below `top`, newest first."""
        self.flush()
        if self.db is None:
            return
        try:
            rows = self.db.execute(
                "SELECT rkey, cid, value FROM records WHERE did = ? AND rkey <= ? ORDER BY rkey DESC", (did, top)
            )
            for rkey, cid, value in rows:
                yield rkey, cid, json.loads(value)
        except sqlite3.Error as exc:
            self._failed(exc)

    def count(self, did: str) -> int:
        self.flush()
        if self.db is None:
            return 0
        try:
            return self.db.execute("SELECT count(*) FROM records WHERE did = ?", (did,)).fetchone()[0]
        except sqlite3.Error as exc:
            self._failed(exc)
            return 0

    def close(self) -> None:
        self.flush()  # a walk cut short (--max, Ctrl-C) keeps what it fetched
        if self.db is not None:
            self.db.close()
            self.db = None


def clear_cache(path: Path | None = None) -> Path | None:
    """Removes the cache file; returns its path when there was one."""
    path = path or default_path()
    existed = path.exists()
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path if existed else None


class _transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, exc, tb):
        if kind is None:
            self.db.execute("COMMIT")
        else:
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        return False


def _is_lock(exc: Exception) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text
