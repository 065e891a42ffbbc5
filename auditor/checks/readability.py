"""Readability, measured with textstat's Automated Readability Index.

ARI works from characters per word and words per sentence, so it needs no
syllable dictionary (textstat's syllable counts load the CMU dictionary, about
0.6 s). textstat itself is imported only for descriptions long enough to be
measured: the formulas mean little on a few words.
"""

from __future__ import annotations

from typing import Iterable

import re

from ..text import ADDRESS_RE, word_count
from . import Hit

_LINE_END = re.compile(r"(?<![.!?:;])[ \t]*\n+")


def check(ctx) -> Iterable[Hit]:
    """Options: min_words, max_grade."""
    text = ctx.alt
    if word_count(text) < int(ctx.options["min_words"]):
        return
    import textstat

    # A list written one item a line is short sentences, not one long one; a web
    # address is not a long word the reader must take in.
    measured = text
    # Both patterns are costly on long texts; most texts hold neither an address
    # ("://", "www." or "@" in every one) nor a line break.
    if "://" in text or "@" in text or "www." in text.lower():
        measured = ADDRESS_RE.sub("link", measured)
    if "\n" in measured:
        measured = _LINE_END.sub(". ", measured)
    grade = textstat.automated_readability_index(measured)
    limit = float(ctx.options["max_grade"])
    if grade > limit:
        yield Hit(fields={"grade": f"{grade:.0f}", "limit": f"{limit:g}"})
