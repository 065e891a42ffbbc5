"""Errors that reach the user as one line and exit status 2."""

from __future__ import annotations


class InputError(Exception):
    """Input that cannot be used: unreadable, malformed or of an unknown kind.

    The message is shown to the user as it is, on one line, prefixed by the
    location when one is given, e.g. ``drafts/a.md:3: images[0]: 'alt' is missing``.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        self.detail = message
        super().__init__(self.one_line())

    def one_line(self) -> str:
        from .safe_text import visible  # messages quote file names and keys from the input

        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        return visible(where + self.detail, keep_newlines=False).replace("\r", " ")


class ConfigError(InputError):
    """A configuration file or option that cannot be used."""
