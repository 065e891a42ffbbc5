"""Invisible and control characters: one finding per description, naming each.

A pasted description often carries several of the same invisible character
(a zero-width space after every word): one finding lists every kind found,
with how often, and its suggestion is the text between the first and the
last of them with all of them removed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

from . import Hit


def _pattern(options: dict) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in options["patterns"]))


def describe(ch: str) -> str:
    """"U+200B ZERO WIDTH SPACE"; control characters have no Unicode name."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}" if name else f"U+{ord(ch):04X} (control character)"


def check(ctx) -> Iterable[Hit]:
    """Options: patterns (character classes of the characters to find)."""
    text = ctx.alt
    if text.isascii() and text.replace("\n", " ").replace("\t", " ").isprintable():
        return  # the common case: plain printable ASCII (U+3164 is "printable": not a test)
    pattern = ctx.memo("invisible", _pattern)
    found = [m for m in pattern.finditer(text) if m.end() > m.start()]
    if not found:
        return
    counts: dict[str, int] = {}
    for match in found:
        for ch in match.group():
            counts[ch] = counts.get(ch, 0) + 1
    start, end = found[0].start(), found[-1].end()
    names = ", ".join(describe(ch) + (f" ×{n}" if n > 1 else "") for ch, n in counts.items())
    yield Hit(
        span=(start, end),
        suggestion=pattern.sub("", text[start:end]),
        fields={"characters": names, "count": len(found), "kinds": len(counts)},
    )
