"""A sentence whose first letter was lost or changed: "igure 2 shows…", "mage of…".

Copying text out of a PDF or a form often drops the first character. At each
sentence start, a lower-case word that is unknown but becomes a known word
with one letter put in front is flagged; so is a known word that becomes one
of the usual openings of a description (rules data: `openers`). A capitalised
unknown word one letter away from an opener ("Pigure") is a changed letter.
"""

from __future__ import annotations

import re
from string import ascii_lowercase
from typing import Iterable

from ..text import WORD_RE, sentences
from . import Hit
from .spelling import dictionary, post_vocabulary

_NUMBER_AFTER = re.compile(r"\s+\d+[a-z]?\b")


def _candidates(word: str, openers: set[str], known, first_sentence: bool) -> list[str]:
    lower = word.lower()
    added = [c + lower for c in ascii_lowercase]
    if known.known(word):
        # A real word ("here", "his") becomes an opener ("there", "this") only at the
        # very start: later, a lower-case sentence start is more likely a split we missed.
        return [w for w in added if w in openers] if first_sentence else []
    preferred = [w for w in added if w in openers]
    return preferred or [w for w in added if known.known(w)]


def check(ctx) -> Iterable[Hit]:
    """Options: openers, min_letters."""
    text = ctx.alt
    openers = ctx.memo("openers", lambda options: frozenset(w.lower() for w in options["openers"]))
    minimum = int(ctx.options["min_letters"])
    known = dictionary(ctx)
    vocabulary = post_vocabulary(ctx)
    for number, sentence in enumerate(sentences(text)):
        match = WORD_RE.match(sentence.text)
        if not match or not match.group().isalpha() or len(match.group()) < minimum:
            continue
        word = match.group()
        if word.casefold() in vocabulary:
            continue
        if word[0].islower():
            candidates = _candidates(word, openers, known, first_sentence=number == 0)
        elif word[1:].islower() and not known.known(word):
            candidates = [c + word[1:] for c in ascii_lowercase if c + word[1:] in openers]
        else:
            continue
        if not candidates:
            continue
        start = sentence.start + match.start()
        end = sentence.start + match.end()
        number = _NUMBER_AFTER.match(text, end)
        if number:
            end = number.end()
        fixed = candidates[0].capitalize() + text[start + len(word) : end]
        yield Hit(span=(start, end), suggestion=fixed, fields={"fixed": fixed})
