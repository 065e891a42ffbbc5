"""What was read from each image, kept by content hash so that no image is read twice.

One SQLite file, images.sqlite3, in the user's cache folder
($XDG_CACHE_HOME/altaudit, else ~/.cache/altaudit). A key names the image's
SHA-256, the engine and its version and the loader's version, so a new
engine or a changed loader reads again. The cache is only ever a shortcut:
a file that cannot be opened, is corrupt or is locked is set aside (or
ignored) and the audit reads the images instead.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from ..model import SeenText, TextLine

FILE_NAME = "images.sqlite3"
SCHEMA = "CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "altaudit"


class SeenCache:
    def __init__(self, path: Path | None = None):
        self.path = path or cache_dir() / FILE_NAME
        self._db: sqlite3.Connection | None = None
        self._opened = False

    def _connect(self) -> sqlite3.Connection | None:
        if self._opened:
            return self._db
        self._opened = True
        for attempt in (1, 2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=5)
                db.execute(SCHEMA)
                db.execute("SELECT key, value FROM seen LIMIT 1").fetchall()
                self._db = db
                return db
            except sqlite3.DatabaseError:
                # Not a database (or damaged): set it aside once and start afresh.
                if attempt == 1:
                    try:
                        os.replace(self.path, self.path.with_name(FILE_NAME + ".corrupt"))
                        continue
                    except OSError:
                        pass
                return None
            except OSError:
                return None
        return None

    def get_many(self, keys: list[str]) -> dict[str, SeenText]:
        db = self._connect()
        found: dict[str, SeenText] = {}
        if db is None or not keys:
            return found
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, value in db.execute(f"SELECT key, value FROM seen WHERE key IN ({marks})", chunk):
                    seen = _decode(value)
                    if seen is not None:
                        found[key] = seen
        except sqlite3.Error:
            return found
        return found

    def put_many(self, items: dict[str, SeenText]) -> None:
        db = self._connect()
        if db is None or not items:
            return
        try:
            with db:
                db.executemany(
                    "INSERT OR REPLACE INTO seen (key, value) VALUES (?, ?)",
                    [(key, _encode(seen)) for key, seen in items.items()],
                )
        except sqlite3.Error:
            pass  # read-only or locked: next run reads again

    def get_value(self, key: str) -> str | None:
        """A plain value kept beside the text read (the logos found in an image)."""
        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute("SELECT value FROM seen WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def put_value(self, key: str, value: str) -> None:
        db = self._connect()
        if db is None:
            return
        try:
            with db:
                db.execute("INSERT OR REPLACE INTO seen (key, value) VALUES (?, ?)", (key, value))
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _encode(seen: SeenText) -> str:
    return json.dumps(
        {
            "lines": [[line.text, line.confidence, list(line.box)] for line in seen.lines],
            "engine": seen.engine,
            "seconds": seen.seconds,
            "width": seen.width,
            "height": seen.height,
            "problem": seen.problem,
        },
        ensure_ascii=False,
    )


def _decode(value: str) -> SeenText | None:
    """A cached entry, or None for one that is not what this version wrote."""
    try:
        data = json.loads(value)
        lines = [TextLine(str(text), float(conf), tuple(int(v) for v in box)) for text, conf, box in data["lines"]]
        return SeenText(
            lines=lines,
            engine=str(data["engine"]),
            seconds=float(data["seconds"]),
            width=int(data["width"]),
            height=int(data["height"]),
            problem=data.get("problem"),
            cached=True,
        )
    except (ValueError, TypeError, KeyError):
        return None
