"""R701's grade, worked out in auditor/checks/readability.py, is textstat's
own Automated Readability Index for any text: real descriptions from the
shared corpus and arbitrary Unicode (every kind of space, punctuation-only
tokens, apostrophes, surrogates)."""

from __future__ import annotations


import textstat
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.checks.readability import automated_readability_index
from helpers import corpus_descriptions



def _same(text: str) -> None:
    assert automated_readability_index(text) == textstat.automated_readability_index(text), repr(text)


def test_grade_of_every_corpus_description_is_textstats() -> None:
    texts = [text for pair in corpus_descriptions() for text in pair]
    assert len(texts) > 10_000
    for text in texts:
        _same(text)


def test_grade_of_edge_cases_is_textstats() -> None:
    for text in ["", " ", "\n\n", ".", ". . .", "x", "a b", "a b c.", "don't", "' 't 's", "it's ’s", "__", "_ _ _ .",
                 "e.g. i.e. etc.", "One. Two. Three four five.", "Wow!!! Really??? Yes...", "\u00a0a\u2003b\u3000c",
                 "a\x1cb\x1dc\x1ed\x1ff", "\u200b zero width", "12,5 3.14 -7", "—", "«»", "\ud800 lone", "ab-cd ef–gh"]:
        _same(text)


_PIECES = ["word", "a", "Extraordinarily", "x.", "!", "?", ".", "e.g.", "don't", "—", "12,5", " ", "  ", "\n", "'",
           "’s", "\u00a0", "ab-cd", "'ve", "''", "_", "\x1f", "\u2028", "Ω", "é", "٣", "\ud800", "...", "?!"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60))
def test_grade_of_generated_text_is_textstats(parts) -> None:
    _same(" ".join(parts))
    _same("".join(parts))


@settings(max_examples=600, deadline=None)
@given(st.text(max_size=150))
def test_grade_of_any_text_is_textstats(text) -> None:
    _same(text)
