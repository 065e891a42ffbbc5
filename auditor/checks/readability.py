"""Readability, measured with textstat's Automated Readability Index.

ARI works from characters per word and words per sentence, so it needs no
syllable dictionary. The grade is worked out here the way textstat 0.7
works it out (`automated_readability_index`), from the same counts in the
same order, so that the same texts get the same grade:
tests/test_readability_exact.py holds it to textstat on real and arbitrary
text. Importing textstat (which loads the CMU dictionary, about 0.15 s a
process) and its pipeline of cached regular-expression passes cost more
than every other part of this check.
"""

from __future__ import annotations

from typing import Iterable

import re

from ..text import ADDRESS_RE, word_count
from . import Hit

_LINE_END = re.compile(r"(?<![.!?:;])[ \t]*\n+")
_WORD_CHAR = re.compile(r"\w")
# textstat's sentences (count_sentences): runs up to a ., ! or ? after a word boundary.
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")


def _grade_at_most(text: str) -> float:
    """An upper bound of textstat's ARI of `text` (0.7: 4.71 characters per word
    plus 0.5 words per sentence, less 21.43), at a third of its cost: most
    descriptions are far under the limit and need no exact grade.

    Characters per word is exact (characters other than spaces over the words
    split at spaces). textstat's word count drops punctuation, which can only
    remove words, so the split count is at least it; its sentences leave out
    those of two words or fewer, and a sentence with three words holding a
    letter or digit is one of those it keeps, so their count is at most it."""
    split = text.split()
    words = len(split)
    characters = sum(map(len, split))  # str.split's spaces are exactly re's \s
    kept = 0
    for sentence in _SENTENCE.findall(text):
        found = 0
        for word in sentence.split():
            if _WORD_CHAR.search(word):
                found += 1
                if found == 3:
                    kept += 1
                    break
    return 4.71 * (characters / words) + 0.5 * (words / max(1, kept)) - 21.43


def _grade_within(text: str, limit: float) -> bool:
    """Whether _grade_at_most(text) <= limit (a text with a word in it). The
    bound falls as sentences of three words are counted (in floating point
    too: each step is a monotonic operation), so it stops at the first count
    that brings it within the limit: most descriptions need a few sentences."""
    split = text.split()
    words = len(split)
    per_word = 4.71 * (sum(map(len, split)) / words)
    kept = 0
    for sentence in _SENTENCE.findall(text):
        found = 0
        for word in sentence.split():
            # (A word of letters and digits holds a \w, re's \w being
            # isalnum() or "_": only the others need the search.)
            if word.isalnum() or _WORD_CHAR.search(word):
                found += 1
                if found == 3:
                    kept += 1
                    if per_word + 0.5 * (words / kept) - 21.43 <= limit:
                        return True
                    break
    return per_word + 0.5 * (words / max(1, kept)) - 21.43 <= limit


# A whitespace-separated token that holds a letter, digit or "_" (textstat's
# punctuation removal leaves just those tokens, and an apostrophe it keeps
# always comes before one): counted at each token's start.
_WORDY_TOKEN = re.compile(r"(?<!\S)[^\s\w]*+\w")


def _words(text: str) -> int:
    """textstat's count_words(text): the tokens left once punctuation is removed."""
    return len(_WORDY_TOKEN.findall(text))


def automated_readability_index(text: str) -> float:
    """textstat.automated_readability_index(text), worked out the same way:
    4.71 characters per word (characters other than spaces, over the tokens
    split at spaces) plus 0.5 words per sentence (words without punctuation
    tokens, over the sentences of three words or more, at least one), less
    21.43; 0.0 where either part is 0."""
    split = text.split()
    if not split:
        return 0.0
    characters = sum(map(len, split))  # str.split's spaces are exactly re's \s
    per_word = characters / len(split)
    found = _SENTENCE.findall(text)
    short = 0
    for sentence in found:
        if _words(sentence) <= 2:
            short += 1
    per_sentence = _words(text) / max(1, len(found) - short)
    if per_word == 0 or per_sentence == 0:
        return 0.0
    return (4.71 * per_word) + (0.5 * per_sentence) - 21.43


def check(ctx) -> Iterable[Hit]:
    """Options: min_words, max_grade."""
    text = ctx.alt
    if word_count(text) < int(ctx.options["min_words"]):
        return
    # A list written one item a line is short sentences, not one long one; a web
    # address is not a long word the reader must take in.
    measured = text
    # Both patterns are costly on long texts; most texts hold neither an address
    # ("://", "www." or "@" in every one) nor a line break.
    if "://" in text or "@" in text or "www." in text.lower():
        measured = ADDRESS_RE.sub("link", measured)
    if "\n" in measured:
        measured = _LINE_END.sub(". ", measured)
    limit = float(ctx.options["max_grade"])
    # (textstat gives 0.0 for a text of no words: the bound is no use below 0.)
    if limit >= 0 and measured.split() and _grade_within(measured, limit):
        return
    grade = automated_readability_index(measured)
    if grade > limit:
        yield Hit(fields={"grade": f"{grade:.0f}", "limit": f"{limit:g}"})


def gate(options: dict):
    """min_words words need a character each and one between each two."""
    from . import Gate

    return Gate(min_length=max(0, 2 * int(options["min_words"]) - 1))
