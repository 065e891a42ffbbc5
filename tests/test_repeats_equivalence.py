"""M503's repeated-sentence check against the plain loop it replaced (every
sentence split into words and joined again), on the corpus and arbitrary text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.checks.repeats import repeated_sentence
from auditor.text import sentences
from helpers import corpus_descriptions


class _Context:
    def __init__(self, alt: str, minimum: int):
        self.alt = alt
        self.options = {"min_words": minimum}


def reference_repeated_sentence(alt: str, minimum: int) -> list[tuple[int, int]]:
    seen: set[str] = set()
    found = []
    for sentence in sentences(alt):
        words = sentence.text.split()
        if len(words) < minimum:
            continue
        key = " ".join(words).casefold()
        if key in seen:
            found.append((sentence.start, sentence.end))
        seen.add(key)
    return found


def _spans(alt: str, minimum: int) -> list[tuple[int, int]]:
    return [hit.span for hit in repeated_sentence(_Context(alt, minimum))]


def test_every_space_but_the_ascii_one_is_unprintable() -> None:
    """What the fast path relies on: a printable text holds no whitespace but ' '."""
    odd = [chr(c) for c in range(0x110000) if chr(c).isspace() and chr(c) != " " and chr(c).isprintable()]
    assert odd == []


def test_repeated_sentences_of_the_corpus_as_before() -> None:
    texts = [alt for alt, _ in corpus_descriptions() if alt.strip()]
    assert len(texts) > 3000
    flagged = 0
    for text in texts:
        for minimum in (1, 4):
            expected = reference_repeated_sentence(text, minimum)
            assert _spans(text, minimum) == expected, text
            flagged += bool(expected)
    assert flagged > 10  # the corpus repeats sentences enough to mean something


_PIECES = ["The chart.", "the  chart.", "THE CHART.", "The\tchart.", "The\u00a0chart.", "The\nchart.", "Straße.",
           "STRASSE.", "a b c d.", "a b c d!", "a  b c d?", "x", "\n\n", " ", "é", "İ", "ﬁ"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=5)), max_size=12), st.integers(0, 5))
def test_repeated_sentences_of_arbitrary_text_as_before(pieces, minimum) -> None:
    text = " ".join(pieces)
    assert _spans(text, minimum) == reference_repeated_sentence(text, minimum)
