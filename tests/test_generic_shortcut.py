"""L204's phrase matching: a description holding a character that no part of
the generic pattern can match is refused without running the pattern, and
that shortcut agrees with the pattern itself."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.checks.generic import _EDGE, _NO_PHRASE_CHARACTER, _Grammar, _generic_pattern
from auditor.config import Settings
from auditor.engine import Engine


def _options() -> dict:
    return next(r for r in Engine(Settings()).rules if r.code == "L204").options


def test_every_character_the_pattern_could_match_passes_the_test() -> None:
    """Outside ASCII, case-insensitive matching takes only four characters for
    ASCII ones, and \\s and \\d match the rest the pattern can: none of them is
    refused, and every other character is."""
    ascii_like = re.compile(r"(?i)[\x00-\x7f]")
    spaces_or_digits = re.compile(r"[\s\d]")
    for code in range(0x80, 0x110000):
        ch = chr(code)
        matchable = bool(ascii_like.fullmatch(ch) or spaces_or_digits.fullmatch(ch))
        assert bool(_NO_PHRASE_CHARACTER.fullmatch(ch)) is not matchable, hex(code)


def test_the_rules_phrases_are_ascii_words() -> None:
    assert _Grammar(_options())._words_only  # else the shortcut is not taken


_PIECES = ["a", "A", "bar", "chart", "Chart", "screenshot", "of", "the", "photo", "website", "Figure", "2", "٣",
           "charts", "boxes", "simple", "ſcreenshot", "\u212aitchen", "İmage", "ımage", "Zoë", "📈", "\u00a0", " ", "  ",
           "\u2003", "’s", "close-up", "logo", "map", "graph"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=7), st.sampled_from([" ", "\u00a0", "  ", "\u3000"]))
def test_grammar_agrees_with_the_pattern_on_non_ascii_text(pieces, space) -> None:
    options = _options()
    grammar, pattern = _Grammar(options), _generic_pattern(options)
    text = space.join(pieces).strip(_EDGE)  # as the check hands it over
    assert grammar.fullmatch(text) is (pattern.fullmatch(text) is not None), text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_grammar_agrees_with_the_pattern_on_any_text(text) -> None:
    options = _options()
    text = text.strip(_EDGE)
    assert _Grammar(options).fullmatch(text) is (_generic_pattern(options).fullmatch(text) is not None)
