"""Whole-description matches: placeholders, app defaults, file names, paths, URLs.

Options:
- words: descriptions that are placeholders when they are the whole text
  (case, surrounding punctuation and spaces ignored);
- patterns: regular expressions that must match the whole (stripped) text;
- max_words: longer descriptions are not tried (a file name is one "word",
  a screenshot's name a handful), unless they look like a path or address.
"""

from __future__ import annotations

import re
from typing import Iterable

from . import Hit
from .pattern import _scoped

_ADDRESS_LIKE = re.compile(r"[/\\]|^\s*(?:https?:|www\.)", re.I)
_EDGE = " \t\r\n.,;:!?\"'“”‘’()[]{}<>-_*#"


def _compiled(options: dict):
    words = {w.casefold() for w in options.get("words", ())}
    # One alternation: it matches the whole text where one of the patterns does,
    # in one call rather than one a pattern.
    parts = options.get("patterns", ())
    patterns = [re.compile("|".join(_scoped(p) for p in parts))] if parts else []
    return words, patterns


def check(ctx) -> Iterable[Hit]:
    text = ctx.alt
    # Paths and addresses may hold many spaces ("…/WhatsApp Image 2017-07-01 at 5.59.38 PM.jpeg").
    if text.count(" ") >= int(ctx.options.get("max_words", 1_000_000)):
        # _ADDRESS_LIKE.search, with its first part as a substring test: a search
        # tried at every character of a long text was most of this check's time.
        if "/" not in text and "\\" not in text and not _ADDRESS_LIKE.match(text):
            return
    stripped = text.strip()
    start = text.find(stripped)
    words, patterns = ctx.memo("placeholder", _compiled)
    core = stripped.strip(_EDGE).casefold()
    if core in words or (not core and stripped):
        yield Hit(span=(start, start + len(stripped)))
        return
    for pattern in patterns:
        if pattern.fullmatch(stripped):
            yield Hit(span=(start, start + len(stripped)))
            return
