"""Scores: how useful a description is to someone who cannot see the image, 0 to 100.

A description earns points for what it tells the reader and loses points
for its faults; every point is listed with the reason for it:

- **length**: 16 points per doubling of its word count (16·log2(1 + words);
  web addresses are not words a reader can use). Readers' ratings rise with
  how much a description says, with diminishing returns: 3 words earn 32,
  15 words 64, 63 words 96.
- **detail**: 4 points per doubling of its specific words (numbers, names
  written with a capital inside a sentence, colours): "1990", "Leeds", "red"
  tell more than "a year", "a city", "a colour".
- **kind of image**: a description that calls the image a chart (graph,
  plot, map, ...) earns 6 points each for giving its axes or scale, its
  values and its trend, and, for a chart of data (not a diagram or map),
  loses 10 when it gives neither values nor a trend; one that calls it a sign, poster, screenshot, quote or the like
  loses 10 when it never gives the text (no quotation, no "reads ..." or
  colon).
- **faults**: each rule that found something takes its penalty once (the
  rule's own `penalty`, else the configured points for its level: error 40,
  warning 15, info 5), however many times it fired. A missing or placeholder
  description costs all 100.

The value is the credits less the deductions, kept within 0 to 100; errors
are taken off after the cap, so a rich description's surplus may absorb a
warning but never an error. A post
scores the mean of its images' scores, less the penalties of findings about
the post as a whole. The weights were chosen on the rated descriptions in
the shared corpus (docs/scoring.md, scripts/eval_score.py): few, and each
rising or falling with a feature readers value, so that they hold on data
they were not chosen on.
"""

from __future__ import annotations

import math
import re
from itertools import accumulate, compress, count, repeat
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from .config import Settings
from .model import Deduction, Finding, ImageResult, Level, Score
from .rulebook import Rule
from .text import ADDRESS_RE, word_parts


@dataclass(frozen=True)
class Weights:
    """The usefulness part's few parameters (scripts/eval_score.py tunes them)."""

    length: float = 16.0  # points per doubling of the word count
    detail: float = 4.0  # points per doubling of the specific words
    chart_part: int = 6  # a chart's axes, values, trend: points each
    chart_without_values: int = 10  # a chart with neither values nor trend
    text_not_given: int = 10  # a sign, poster or screenshot whose text is not given


WEIGHTS = Weights()

COLOURS = frozenset(
    "red orange yellow green blue purple violet pink brown black white grey gray gold golden "
    "silver beige teal navy turquoise maroon cyan magenta cream lilac scarlet crimson".split()
)
# Words that say how the data moves or compares: what readers most want from a chart.
TRENDS = frozenset(
    "increase increases increased increasing decrease decreases decreased decreasing rise rises "
    "rising rose fall falls fell falling grow grows grew growing growth drop drops dropped decline "
    "declines declined peak peaks peaked higher highest lower lowest more most less least fewer "
    "larger largest smaller smallest bigger biggest majority minority average mean median trend "
    "trends than compared doubled tripled halved steady stable".split()
)
# Words that say what kind of image it is: a chart of data, another chart
# (a diagram or a map may have no values), or an image of text.
_DATA_CHARTS = "chart graph plot histogram scatterplot heatmap visualization visualisation dataviz viz treemap boxplot barplot pie"
_OTHER_CHARTS = "map diagram infographic"
_TEXT_KINDS = "sign poster flyer leaflet banner screenshot quote tweet headline meme notice placard slide text"


def _word_kinds() -> dict[str, str]:
    """One look-up a word: c colour, t trend, d chart of data, k other chart, x image of text."""
    kinds: dict[str, str] = {}
    for letter, names in (("d", _DATA_CHARTS), ("k", _OTHER_CHARTS), ("x", _TEXT_KINDS)):
        for name in names.split():
            kinds[name] = kinds[name + "s"] = letter
    kinds.update({w: "t" for w in TRENDS})
    kinds.update({w: "c" for w in COLOURS})
    return kinds


_KINDS = _word_kinds()
# Patterns as strings: compiled on first use (re caches them), not at start-up.
_AXES = (
    r"(?i)\b(?:[xy][- ]?axis|axis|axes|horizontal|vertical|scale|legend|"
    r"colou?red by|each (?:dot|bar|line|point|circle|square|row|column))\b"
)
# The text is given: quoted, after a colon, or introduced by "reads", "says" and the like.
_TEXT_GIVEN = r"[\"“”«»„]|‘[^’]+’|:\s*\S|(?i:\b(?:reads?|reading|says?|saying|titled|written|writes)\b)"
# What every match of each holds, in the text lower-cased: a search tried at
# every character of a long text costs far more than these substring tests.
_AXES_PARTS = ("axis", "axes", "horizontal", "vertical", "scale", "legend", "red by", "each ")
_TEXT_GIVEN_PARTS = ('"', "“", "”", "«", "»", "„", "‘", ":", "read", "say", "titled", "writ")
# The characters that case-insensitive matching takes for ASCII letters but
# str.lower() does not turn into them (İ ı ſ; tests/test_scoring_equivalence.py
# checks every code point): a text holding one is searched whatever it holds.
_FOLDS_UNLIKE_LOWER = ("\u0130", "\u0131", "\u017f")


def _search(pattern: str, parts: tuple[str, ...], text: str) -> bool:
    """Whether `pattern` matches somewhere in `text`; `parts`: one of them is
    in every match, lower-cased."""
    if text.isascii() or not any(c in text for c in _FOLDS_UNLIKE_LOWER):
        lowered = text.lower()
        for part in parts:  # (a loop, not any(): a generator costs more than most tests)
            if part in lowered:
                break
        else:
            return False
    return re.search(pattern, text) is not None


_CLOSERS = frozenset("\"'”’)]")  # may close a sentence after its full stop
# What may stand before a sentence's first word: it is capitalised by grammar, not as a name.
_OPENERS = frozenset(".!?:;\n\"'“‘([•-–—*#")


def _opens_sentence(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    while i > 0 and text[i] in _CLOSERS:  # “… level.” It illustrates
        i -= 1
    return i < 0 or text[i] in _OPENERS


def _word_class(word: str) -> tuple[str, str | None]:
    """(shape, kind) of a word: "lower" (lower-case letters), "number" (holds a
    digit and not only letters) or "other" (capitals, hyphens), with its kind
    from _KINDS ("Chart" and "bar-chart" are charts too)."""
    if word.islower() and word.isalpha():
        return "lower", _KINDS.get(word)
    if not word.isalpha() and any(c.isdigit() for c in word):
        return "number", None
    lower = word.lower()
    return "other", _KINDS.get(lower) or _KINDS.get(lower.rsplit("-", 1)[-1])


# Each word's class, worked out once per process: words repeat in any text
# (0 for _PLAIN, the class of most words).
_CLASSES: dict[str, tuple[str, str | None] | int] = {}
_PLAIN = ("lower", None)
_CLASSES_MAX = 100_000


def _points(weight: float, count: int) -> int:
    return round(weight * math.log2(1 + count))


def _listing(examples: list[str], count: int) -> str:
    shown = ", ".join(examples[:5])
    return shown + (", …" if count > 5 else "")


@lru_cache(maxsize=16)
def usefulness(text: str, weights: Weights = WEIGHTS) -> tuple[tuple[Deduction, ...], tuple[Deduction, ...]]:
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
                return _usefulness_of(text, [words[i] for i in kept], [offsets[2 * i] for i in kept], weights)
    return _usefulness_of(text, words, None, weights)


def _usefulness_of(text: str, words: list[str], starts: list[int] | None, weights: Weights):
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
    # Most words are lower-case words of no kind, kept as 0 in _CLASSES: the
    # loop visits only the others (and words not seen before), picked in C.
    for i in compress(count(), map(classes.get, words, repeat(1))):
        word = words[i]
        found = classes.get(word)
        if found is None:
            found = _word_class(word)
            if found == _PLAIN:
                classes[word] = 0
                continue
            classes[word] = found
        shape, kind = found
        if shape == "lower":
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
        parts = [name for name, present in (("axes", _search(_AXES, _AXES_PARTS, text)), ("values", numbers), ("trend", trend)) if present]
        if parts:
            credits.append(Deduction("chart", weights.chart_part * len(parts), "a chart that gives its " + ", ".join(parts)))
        if not numbers and not trend and weights.chart_without_values and "d" in seen:
            deductions.append(Deduction("chart-values", weights.chart_without_values, "a chart without its values or trend"))
    elif "x" in seen and not _search(_TEXT_GIVEN, _TEXT_GIVEN_PARTS, text) and weights.text_not_given:
        deductions.append(Deduction("text-not-given", weights.text_not_given, "text in the image, not given"))
    return tuple(credits), tuple(deductions)


def _penalty(finding: Finding, rules_by_code: dict[str, Rule], settings: Settings) -> int:
    rule = rules_by_code.get(finding.code)
    if rule is not None and rule.penalty is not None:
        return rule.penalty
    return settings.penalties[finding.level]


_last_rules: tuple = (None, {})  # the last rules list seen, and its rules by code


def _by_code(rules: list[Rule]) -> dict[str, Rule]:
    """The rules by code; an engine passes the same list for every image."""
    global _last_rules
    last = _last_rules
    if last[0] is not rules:
        last = _last_rules = (rules, {rule.code: rule for rule in rules})
    return last[1]


def _deductions(findings: Iterable[Finding], rules: list[Rule], settings: Settings) -> list[Deduction]:
    if not findings:
        return []
    by_code = _by_code(rules)
    worst: dict[str, int] = {}
    for finding in findings:
        points = _penalty(finding, by_code, settings)
        worst[finding.code] = max(points, worst.get(finding.code, 0))
    return [
        Deduction(code, points, by_code[code].name if code in by_code else "")
        for code, points in sorted(worst.items())
        if points
    ]


def _value(
    credits: Iterable[Deduction], deductions: Iterable[Deduction], start: int = 0, errors: frozenset[str] = frozenset()
) -> int:
    """Credits less deductions, within 0 to 100. Errors are taken off after the
    cap: a rich description's surplus may absorb a warning, never an error."""
    before = after = 0
    for d in deductions:
        if d.code in errors:
            after += d.points
        else:
            before += d.points
    earned = 0
    for c in credits:  # (a loop, not sum() over a generator: once an image)
        earned += c.points
    total = min(100, start + earned - before) - after
    return max(0, total)


def _error_codes(findings: Iterable[Finding]) -> frozenset[str]:
    error = Level.ERROR  # (an enum member looked up once, not once a finding)
    return frozenset([f.code for f in findings if f.level is error])


def score_image(findings: list[Finding], rules: list[Rule], settings: Settings, alt: str | None = None) -> Score:
    """An image's score: what its description earns, less its faults."""
    credits, missing = usefulness(alt or "") if alt and alt.strip() else ((), ())
    if not findings:  # most descriptions: no faults to count
        deductions = list(missing)
        return Score(_value(credits, deductions), deductions, list(credits))
    deductions = list(missing) + _deductions(findings, rules, settings)
    return Score(_value(credits, deductions, errors=_error_codes(findings)), deductions, list(credits))


def score_post(
    images: list[ImageResult], post_findings: list[Finding], rules: list[Rule], settings: Settings
) -> Score:
    if len(images) == 1:
        mean = images[0].score.value / 1
    else:
        mean = sum(result.score.value for result in images) / len(images)
    if not post_findings:
        return Score(max(0, min(100, round(mean))), [])
    deductions = _deductions(post_findings, rules, settings)
    return Score(_value((), deductions, round(mean), _error_codes(post_findings)), deductions)
