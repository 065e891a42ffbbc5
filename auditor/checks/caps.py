"""Descriptions written in capitals, which many screen readers spell out or shout."""

from __future__ import annotations

import re
from typing import Iterable

from . import Hit

# Letters with case in the Latin scripts; counted in C rather than letter by letter.
_UPPER = re.compile(r"[A-Z\u00C0-\u00D6\u00D8-\u00DE]")
_LOWER = re.compile(r"[a-z\u00DF-\u00F6\u00F8-\u00FF]")


_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_ASCII_LOWER = bytes(range(ord("a"), ord("z") + 1))


def _count(text: str, pattern: re.Pattern, ascii_letters: bytes) -> int:
    """How many letters of `pattern` the text holds; in ASCII text by deleting
    them in C rather than by a list of every one."""
    if text.isascii():
        return len(text) - len(text.encode("ascii").translate(None, ascii_letters))
    return len(pattern.findall(text))


def _capitals(text: str) -> int:
    return _count(text, _UPPER, _ASCII_UPPER)


def check(ctx) -> Iterable[Hit]:
    """Options: min_letters, upper_ratio."""
    text = ctx.alt
    upper = _capitals(text)
    if upper < int(ctx.options["min_letters"]) * float(ctx.options["upper_ratio"]):
        return
    letters = upper + _count(text, _LOWER, _ASCII_LOWER)
    if letters >= int(ctx.options["min_letters"]) and upper / letters >= float(ctx.options["upper_ratio"]):
        stripped = text.strip()
        start = text.find(stripped)
        yield Hit(span=(start, start + len(stripped)))
