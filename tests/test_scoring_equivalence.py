"""Scoring's usefulness part against the plain loop it replaces (every word
looked up in turn); the current code visits only the words that are not plain
lower-case words of no kind. Both must give the same credits and deductions
for real descriptions and for arbitrary text."""

from __future__ import annotations

import re
from itertools import accumulate

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor import scoring
from auditor.scoring import (
    ADDRESS_RE,
    WEIGHTS,
    Deduction,
    Weights,
    _AXES,
    _TEXT_GIVEN,
    _listing,
    _opens_sentence,
    _points,
    _word_class,
    word_parts,
)
from helpers import corpus_descriptions

_CLASSES: dict = {}
_CLASSES_MAX = 100_000

def reference_usefulness(text: str, weights: Weights = WEIGHTS) -> tuple[tuple[Deduction, ...], tuple[Deduction, ...]]:
    """What a description earns and what its kind of image misses: (credits, deductions)."""
    # The words as the checks split them (word_parts is cached: the checks of
    # this description made it already); offsets are worked out only when a
    # capitalised word or a number needs one.
    parts = word_parts(text)
    words = parts[1::2]
    offsets: list[int] | None = None
    if "://" in text or "@" in text or "www." in text.lower():
        # Words inside web and e-mail addresses are not words a reader can use.
        spans = [(m.start(), m.end()) for m in ADDRESS_RE.finditer(text)]
        if spans:
            offsets = list(accumulate(map(len, parts)))
            kept = [i for i in range(len(words)) if not any(s <= offsets[2 * i] < e for s, e in spans)]
            if len(kept) < len(words):
                return reference_usefulness_of(text, [words[i] for i in kept], [offsets[2 * i] for i in kept], weights)
    return reference_usefulness_of(text, words, None, weights)


def reference_usefulness_of(text: str, words: list[str], starts: list[int] | None, weights: Weights):
    """usefulness() of these words of `text`; `starts`: their offsets, None to
    work them out from word_parts(text) if a word needs one."""
    if not words:
        return (), ()
    n = len(words)
    credits = [Deduction("length", _points(weights.length, n), f"{n} word{'s' if n != 1 else ''}")]
    specific: list[str] = []
    numbers = trend = 0
    seen: set[str] = set()  # kinds of image named
    classes = _CLASSES
    if len(classes) > _CLASSES_MAX:
        classes.clear()
    for i, word in enumerate(words):
        found = classes.get(word)
        if found is None:
            found = classes[word] = _word_class(word)
        shape, kind = found
        if shape == "lower":  # most words: nothing more to look at
            if kind is None:
                continue
            if kind == "c":
                specific.append(word)
            elif kind == "t":
                trend += 1
            else:
                seen.add(kind)
            continue
        if starts is None:
            starts = list(accumulate(map(len, word_parts(text))))[::2]  # [k]: where word k starts
        start = starts[i]
        if shape == "number":
            if start > 1 and text[start - 1] in ",." and text[start - 2].isdigit() and specific:
                specific[-1] += text[start - 1] + word  # the rest of "1,200" or "3.5": one number
                continue
            numbers += 1
            specific.append(word)
            continue
        if kind == "c":
            specific.append(word)
        elif word[0].isupper() and not _opens_sentence(text, start):
            specific.append(word)
        elif kind == "t":
            trend += 1
        elif kind:
            seen.add(kind)
    if specific:
        k = len(specific)
        note = f"{k} specific word{'s' if k != 1 else ''}: {_listing(specific, k)}"
        credits.append(Deduction("detail", _points(weights.detail, k), note))
    deductions = []
    if "d" in seen or "k" in seen:
        parts = [name for name, present in (("axes", re.search(_AXES, text)), ("values", numbers), ("trend", trend)) if present]
        if parts:
            credits.append(Deduction("chart", weights.chart_part * len(parts), "a chart that gives its " + ", ".join(parts)))
        if not numbers and not trend and weights.chart_without_values and "d" in seen:
            deductions.append(Deduction("chart-values", weights.chart_without_values, "a chart without its values or trend"))
    elif "x" in seen and not re.search(_TEXT_GIVEN, text) and weights.text_not_given:
        deductions.append(Deduction("text-not-given", weights.text_not_given, "text in the image, not given"))
    return tuple(credits), tuple(deductions)



def _texts() -> list[str]:
    return [alt for alt, _ in corpus_descriptions() if alt not in ("", "Image")]


def test_usefulness_of_the_corpus_as_before() -> None:
    texts = _texts()
    assert len(texts) > 3000
    for text in texts + texts[:200]:  # the second time, from the classes kept
        assert scoring.usefulness(text) == reference_usefulness(text), text


_PIECES = [
    "A", "bar", "chart", "of", "sales", "rising", "from", "1,200", "to", "3.5", "in", "Leeds", "red", "Blue",
    "x-axis", "map", "poster", "reads", "“Open”", "sign", "Screenshot", "https://ex.com/Chart", "a@b.org",
    "www.x.org", ".", ":", "\n", "Bar-chart", "Graphs", "1990", "peak", "Higher", "ΣΑΣ", "é", "12a",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=6)), max_size=30))
def test_usefulness_of_arbitrary_text_as_before(pieces) -> None:
    text = " ".join(pieces)
    assert scoring.usefulness(text) == reference_usefulness(text)
    # And once more, now that its words' classes are kept.
    scoring.usefulness.cache_clear()
    assert scoring.usefulness(text) == reference_usefulness(text)


# The substring tests before the chart and text-kind searches.
_SEARCHES = [(_AXES, scoring._AXES_PARTS), (_TEXT_GIVEN, scoring._TEXT_GIVEN_PARTS)]
_FOLD_PIECES = [
    "AXIS", "X-Axis", "axıs", "AXİS", "ſcale", "LEGEND", "Coloured By", "colored  by", "EACH BAR", "each\tdot",
    "ſays", "TİTLED", "tıtled", "Written", "READS", "‘quoted’", "‘", "“", "»", ":", ": x", "\u212aelvin", "ß", "İ",
]


def test_searches_of_the_corpus_as_before() -> None:
    for text in _texts():
        for pattern, parts in _SEARCHES:
            assert scoring._search(pattern, parts, text) == (re.search(pattern, text) is not None), text


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_FOLD_PIECES + _PIECES), st.text(max_size=6)), max_size=12), st.sampled_from(["", " ", "\n"]))
def test_searches_of_arbitrary_text_as_before(pieces, joint) -> None:
    text = joint.join(pieces)
    for pattern, parts in _SEARCHES:
        assert scoring._search(pattern, parts, text) == (re.search(pattern, text) is not None)


def test_folds_unlike_lower_are_every_such_character() -> None:
    """Every character that case-insensitive matching takes for an ASCII letter
    is lower-cased to that letter by str.lower(), but for the listed few."""
    letter = re.compile("(?i)[a-z]")
    odd = []
    for code in range(0x80, 0x110000):
        c = chr(code)
        if letter.fullmatch(c) and not (c.lower().isascii() and len(c.lower()) == 1 and letter.fullmatch(c.lower())):
            odd.append(c)
    assert tuple(odd) == scoring._FOLDS_UNLIKE_LOWER
