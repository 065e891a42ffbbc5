"""safe_text.visible, which every CLI message and report goes through: its
shortcut for printable text (no pattern compiled) answers as the pattern does."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor import safe_text
from auditor.safe_text import visible

# Everything, surrogates included, weighted towards line breaks and the characters the pattern names.
ALPHABET = st.one_of(
    st.characters(min_codepoint=0, max_codepoint=0x10FFFF),
    st.sampled_from(["\n", "\r", "\t", "\x1b", "\u00a0", "\u00ad", "\u200b", "\u200d", "\u202e", "\u2028", "\u3164", "\ufe0f", "\ud800", "\U000e0041", "é", "🌱"]),
)


def by_the_pattern(text: str, keep_newlines: bool) -> str:
    shown = re.compile(safe_text._CANDIDATE_PATTERN).sub(safe_text._escape, text)
    return shown if keep_newlines else shown.replace("\n", " ⏎ ")


@settings(max_examples=400, deadline=None)
@given(st.text(ALPHABET, max_size=40), st.booleans())
def test_visible_is_the_pattern_applied(text, keep_newlines):
    assert visible(text, keep_newlines) == by_the_pattern(text, keep_newlines)


def test_line_breaks_alone_need_no_pattern():
    assert visible("two\nlines") == "two\nlines"
    assert visible("two\nlines", keep_newlines=False) == "two ⏎ lines"
    assert visible("red \x1b[31m\n") == "red \\x1b[31m\n"
    assert visible("\u3164\n") == "\\u3164\n"
