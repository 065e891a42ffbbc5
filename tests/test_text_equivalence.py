"""text.sentences against the plain version it replaces (a look-behind for the
full stop at every character): the same sentences, at the same places, for
real descriptions and arbitrary text."""

from __future__ import annotations


from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.text import SENTENCE_END_RE, Token, _append_stripped, _ends_with_abbreviation, sentences
from helpers import corpus_descriptions



def reference_sentences(text: str) -> tuple[Token, ...]:
    out: list[Token] = []
    start = 0
    for m in SENTENCE_END_RE.finditer(text):
        if "\n\n" not in m.group() and _ends_with_abbreviation(text[start : m.start()]):
            continue
        _append_stripped(out, text, start, m.start())
        start = m.end()
    _append_stripped(out, text, start, len(text))
    return tuple(out)


def test_sentences_of_the_corpus_as_before() -> None:
    texts = [text for pair in corpus_descriptions() for text in pair]
    for text in texts:
        assert sentences(text) == reference_sentences(text), text


_PIECES = ["A", "chart.", "e.g.", "J.", "Smith", "9 a.m.", "here!", "Why?", "“Open.”", "(see Fig. 2.)", "'quoted.'",
           ".", "!", "?", "...", "?!", " ", "  ", "\n", "\n\n", "\n \n", "\t", "\u00a0", "\u2029", "’", "”", ")", "]",
           "Dr.", "etc.", "x", "1.5", "end.\n\nNext"]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30), st.sampled_from(["", " "]))
def test_sentences_of_generated_text_as_before(pieces, joiner) -> None:
    text = joiner.join(pieces)
    assert sentences(text) == reference_sentences(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(".!?\"'”’)] \n\t\u00a0\u2028ab")), max_size=40))
def test_sentences_of_punctuation_and_spaces_as_before(text) -> None:
    assert sentences(text) == reference_sentences(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_sentences_of_any_text_as_before(text) -> None:
    assert sentences(text) == reference_sentences(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(list("._aeJ1 .!?\n\u00a0”)") + ["e.g.", "etc.", "Dr", "c.", "é"]), max_size=15))
def test_abbreviation_before_reads_as_the_slice(pieces) -> None:
    """The in-text test sentences() uses, against _ends_with_abbreviation of the slice."""
    from auditor.text import _abbreviation_before

    text = "".join(pieces)

    for end in range(2, len(text) + 1):
        if text[end - 1] == ".":
            for start in range(0, end - 1):
                assert _abbreviation_before(text, start, end) == _ends_with_abbreviation(text[start:end])


def test_ascii_word_pattern_classes_as_the_general_one() -> None:
    """[A-Za-z0-9] and [_'-] of the ASCII split are [^\\W_] and [_'’-] on every ASCII character."""
    import re

    for code in range(128):
        c = chr(code)
        assert bool(re.fullmatch(r"[A-Za-z0-9]", c)) == bool(re.fullmatch(r"[^\W_]", c)), c
        assert bool(re.fullmatch(r"[_'\-]", c)) == bool(re.fullmatch(r"[_'’\-]", c)), c


def test_word_parts_of_the_corpus_as_the_general_split() -> None:
    from auditor.text import _WORD_SPLIT, word_parts

    texts = [text for pair in corpus_descriptions() for text in pair]
    assert sum(text.isascii() for text in texts) > 3000
    for text in texts:
        assert word_parts(text) == _WORD_SPLIT.split(text), text


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ09_'-’ .\n\té") + ["\x00", "\x7f"]), max_size=40))
def test_word_parts_of_arbitrary_text_as_the_general_split(text) -> None:
    from auditor.text import _WORD_SPLIT, word_parts

    assert word_parts(text) == _WORD_SPLIT.split(text)


def _graphemes_by_regex(text: str) -> int:
    import regex

    return len(regex.findall(r"\X", text))


def test_grapheme_count_of_every_pair_of_ascii_characters() -> None:
    """Breaks between ASCII characters depend on the pair alone (UAX #29), so
    every pair, and CR LF runs, hold the ASCII count to the regex module's."""
    from auditor.text import grapheme_count

    for a in map(chr, range(128)):
        for b in map(chr, range(128)):
            assert grapheme_count(a + b) == _graphemes_by_regex(a + b), (a, b)
    for text in ["\r\n\r\n", "\r\r\n\n", "\n\r", "a\r\nb", ""]:
        assert grapheme_count(text) == _graphemes_by_regex(text), text


def test_grapheme_count_of_the_corpus_as_the_regex_module() -> None:
    from auditor.text import grapheme_count

    texts = [text for pair in corpus_descriptions() for text in pair]
    for text in texts:
        assert grapheme_count(text) == _graphemes_by_regex(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("a \r\n\t\x00\x7f.") + ["\u00e9", "e\u0301", "\U0001f44d\U0001f3fd", "\u200d"]), max_size=30))
def test_grapheme_count_of_arbitrary_text_as_the_regex_module(pieces) -> None:
    from auditor.text import grapheme_count

    text = "".join(pieces)

    assert grapheme_count(text) == _graphemes_by_regex(text)
