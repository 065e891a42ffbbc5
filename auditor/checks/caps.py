"""Descriptions written in capitals, which many screen readers spell out or shout."""

from __future__ import annotations

import re
from typing import Iterable

from . import Hit

# Letters with case in the Latin scripts; counted in C rather than letter by letter.
_UPPER = re.compile(r"[A-Z\u00C0-\u00D6\u00D8-\u00DE]")
_LOWER = re.compile(r"[a-z\u00DF-\u00F6\u00F8-\u00FF]")


_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))


def _capitals(text: str) -> int:
    if text.isascii():  # the common case: count by deleting them, in C, not by a list
        return len(text) - len(text.encode("ascii").translate(None, _ASCII_UPPER))
    return len(_UPPER.findall(text))


def check(ctx) -> Iterable[Hit]:
    """Options: min_letters, upper_ratio."""
    text = ctx.alt
    upper = _capitals(text)
    if upper < int(ctx.options["min_letters"]) * float(ctx.options["upper_ratio"]):
        return
    letters = upper + len(_LOWER.findall(text))
    if letters >= int(ctx.options["min_letters"]) and upper / letters >= float(ctx.options["upper_ratio"]):
        stripped = text.strip()
        start = text.find(stripped)
        yield Hit(span=(start, start + len(stripped)))
