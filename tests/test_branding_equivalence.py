"""B601/B602's word lists as an alternation grouped by first letter, against
the plain alternation of the words longest first, on the corpus and arbitrary text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.checks.branding import _pattern, _word_re
from auditor.resources import read_rule_file
from helpers import corpus_descriptions

LISTS = ("branded-graphics", "logo-words")


def _words(list_name: str) -> list[str]:
    lines = read_rule_file(f"words/{list_name}.txt").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def reference_pattern(words: list[str]) -> re.Pattern:
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?i)(?<![\w-])(?:{alternation})(?![\w-])")


def _spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def test_grouped_lists_find_what_the_plain_ones_find_in_the_corpus() -> None:
    texts = [alt for alt, _ in corpus_descriptions() if alt.strip()]
    for name in LISTS:
        grouped, plain = _word_re(name), reference_pattern(_words(name))
        assert grouped.pattern != plain.pattern  # (the grouping is in use)
        found = 0
        for text in texts:
            assert _spans(grouped, text) == _spans(plain, text), text
            found += bool(_spans(plain, text))
        assert found > 5  # the corpus names graphics and logos enough to mean something


_WORDS = ["poster", "post", "Poster", "flyer", "fly", "card", "cards", "c", "sign", "signage", "x-ray", "K"]
_PIECES = _WORDS + ["POSTER", "postery", "poster-making", "-poster", "ſign", "\u212a", "İ", " ", ".", "é", "_card"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=6), st.lists(st.sampled_from(_PIECES), max_size=10), st.sampled_from(["", " "]))
def test_grouped_alternation_matches_as_the_plain_one(words, pieces, joint) -> None:
    text = joint.join(pieces)
    assert _spans(re.compile(_pattern(words)), text) == _spans(reference_pattern(words), text)
