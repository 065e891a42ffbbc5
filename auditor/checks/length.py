"""Length: over the app's cap or a configured length, and too short for the subject."""

from __future__ import annotations

import re
from typing import Iterable

from ..text import grapheme_count, word_count
from . import Hit


def max_length(ctx) -> Iterable[Hit]:
    """Options: max_graphemes."""
    limit = int(ctx.options["max_graphemes"])
    text = ctx.alt
    # Graphemes never outnumber code points, so most texts need no count at all.
    if len(text) <= limit:
        return
    count = grapheme_count(text)
    if count > limit:
        yield Hit(fields={"count": count, "limit": limit, "over": count - limit})


def max_length_gate(options: dict):
    """Longer than the limit in code points, or no longer in graphemes."""
    from . import Gate

    return Gate(min_length=int(options["max_graphemes"]) + 1)


def _subject_patterns(options: dict):
    subjects = []
    for subject in options.get("subjects", ()):
        alternation = "|".join(re.escape(w) for w in subject["words"])
        subjects.append((re.compile(rf"(?i)\b(?:{alternation})\b"), subject))
    return subjects


def _enough(options: dict) -> int:
    """Words enough for any subject."""
    return max([int(options["min_words"]), *(int(s["min_words"]) for s in options.get("subjects", ()))])


def too_short(ctx) -> Iterable[Hit]:
    """Options: min_words, and subjects (name, words, min_words) that need more."""
    text = ctx.alt
    count = word_count(text)
    needed = int(ctx.options["min_words"])
    if count >= ctx.memo("too-short-enough", _enough):
        return  # long enough whatever the subject: no need to look for one
    subject_name = "an image"
    for pattern, subject in ctx.memo("too-short", _subject_patterns):
        if subject["min_words"] > needed and pattern.search(text):
            needed = int(subject["min_words"])
            subject_name = subject["name"]
    if count < needed:
        words = "1 word is" if count == 1 else f"{count} words are"
        yield Hit(fields={"count": count, "words": words, "needed": needed, "subject": subject_name})
