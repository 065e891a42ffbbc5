"""The readability check's cheap bound never falls below textstat's own grade:
a description it lets through could not have been flagged (rule R701)."""

import textstat
from hypothesis import given, settings, strategies as st

from auditor.checks.readability import _grade_at_most

# Real descriptions from the shared corpus's kinds: long and short sentences,
# lists, numbers, abbreviations, punctuation-only "words".
REAL = [
    "A line chart of monthly rainfall in Leeds from 1990 to 2020. Rainfall peaks in October at 110 mm and is lowest in April at 45 mm.",
    "Screenshot of the booking page, with the ‘Register’ button highlighted — and a banner: “Places are limited!”",
    "The figure shows a scatterplot of participants' self-reported workload (NASA-TLX, 0-100) against task completion time in seconds, with separate regression lines for the visual, auditory and haptic feedback conditions, each of which shows a positive association.",
    "Volunteers . . . planting trees ! ? e.g. oak, ash; i.e. natives",
    "Map. Key. Legend. A B C. One two three four five six.",
]


def _check(text: str) -> None:
    if text.split():
        assert _grade_at_most(text) >= textstat.automated_readability_index(text) or (
            textstat.automated_readability_index(text) == 0.0  # textstat's value for a text of no words
        )


def test_bound_holds_on_real_descriptions():
    for text in REAL:
        _check(text)


def test_bound_is_tight_enough_to_spare_plain_text():
    # The point of it: an ordinary long sentence is known to be under grade 16.
    plain = "A group of five people stand in a park on a sunny day. They hold signs and smile at the camera. " * 3
    assert _grade_at_most(plain) <= 16.0


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["word", "a", "Extraordinarily", "x.", "!", "?", ".", "e.g.", "don't", "—", "12,5", " ", "  ", "\n", "'", "’s", "\u00a0", "ab-cd"]), max_size=60))
def test_bound_holds_on_generated_text(parts):
    _check(" ".join(parts))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_bound_holds_on_any_text(text):
    _check(text)


def _limits(text: str) -> list[float]:
    import math

    bound = _grade_at_most(text)
    return [16.0, 0.0, -5.0, 40.0, bound, math.nextafter(bound, -math.inf), math.nextafter(bound, math.inf)]


def test_early_stop_decides_as_the_whole_bound_on_the_corpus():
    """_grade_within stops counting sentences once the bound is within the
    limit: the same answer as the bound over every sentence."""
    from auditor.checks.readability import _grade_within
    from helpers import corpus_descriptions

    texts = [alt for alt, _ in corpus_descriptions() if alt.split()]
    assert len(texts) > 3000
    for text in texts + REAL:
        for limit in _limits(text):
            assert _grade_within(text, limit) == (_grade_at_most(text) <= limit), (text, limit)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "word", "longerword", "x.", "!", "?", "...", "e.g.", "--", "\n", "1990", "Bob."]), min_size=1, max_size=60))
def test_early_stop_decides_as_the_whole_bound_on_generated_text(parts):
    from auditor.checks.readability import _grade_within

    text = " ".join(parts)
    if not text.split():
        return  # the check asks only about texts with a word (it grades no other)
    for limit in _limits(text):
        assert _grade_within(text, limit) == (_grade_at_most(text) <= limit)


def test_word_characters_are_the_alphanumeric_ones_and_underscore():
    """_grade_within counts a word that isalnum() without searching it for \\w."""
    import re

    word_char = re.compile(r"\w")
    odd = [c for c in map(chr, range(0x110000)) if bool(word_char.fullmatch(c)) != (c.isalnum() or c == "_")]
    assert odd == []
