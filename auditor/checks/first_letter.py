"""A sentence whose first letter was lost or changed: "igure 2 shows…", "raditional…".

Copying text out of a PDF or a form often drops the first character. At each
sentence start, the first word's letters (before any "_", "-" or digit, so
that "igure_8_norm" and "creen-reader" count) are looked at:

- lower case and unknown, but a known word with one letter put in front
  ("ootball" -> "football"), or a word the post itself writes capitalised
  ("ipedrive" -> "Pipedrive" beside "Pipedrive" in the post text);
- all capitals and unknown, but known with a letter in front ("IGURE 16.2");
- capitalised, unknown, and one letter away from a usual opening ("Pigure").

A lost letter can leave a real word ("his" for "This", "eat" for "Heat"):
that is flagged only at the very start of the description and only with
evidence: the post writes the restored word capitalised; the restored word is
a label followed by a number ("able 3") or a kind of chart before a chart noun
("eat map"); or the description begins in lower
case although its author writes capitals (a later sentence opens with one,
or a later word is capitalised). Where several letters restore a word, the
suggestion is the most likely: a kind of chart before "chart" or "map", a
number word before a plural ("ive screenshots" -> "Five"), then a usual
opening, then the most frequent word (rules/words/frequent.txt).
"""

from __future__ import annotations

import re
from string import ascii_lowercase
from typing import Iterable

from ..text import sentences
from . import Hit
from .spelling import dictionary, post_vocabulary

_NUMBER_AFTER = re.compile(r"\s+\d+(?:\.\d+)*[a-z]?\b")
_LEADING = re.compile(r"[A-Za-z]+")
# Whole runs of letters, over three long, that open with a capital.
_CAPITALISED = re.compile(r"(?<![A-Za-z])[A-Z][A-Za-z]{3,}")
# The next few words, to see whether a plural follows ("ive manual wheelchair wheels").
_NEXT_WORDS = re.compile(r"[\s\-_]*([A-Za-z]+)(?:\s+([A-Za-z]+))?(?:\s+([A-Za-z]+))?")
_PHRASE_ENDS = frozenset("of the a an and or in on at to for with by is are was were from".split())
# A later sentence or word in capitals: the author writes capitals.
_CAPITAL_LATER = re.compile(r"[.!?:]\s+[A-Z]|\b[A-Z][a-z]")


def _options(options: dict) -> tuple[frozenset, frozenset, frozenset, frozenset]:
    return (
        frozenset(w.lower() for w in options["openers"]),
        frozenset(w.lower() for w in options["number_words"]),
        frozenset(w.lower() for w in options["chart_types"]),
        frozenset(w.lower() for w in options["chart_nouns"]),
    )


def post_proper_words(ctx) -> dict[str, str]:
    """Capitalised words the post writes (its text and its other descriptions),
    keyed by their lower-case form without the first letter: "ipedrive" -> "Pipedrive"."""
    cached = ctx.shared.get("post-proper-words")
    if cached is not None and cached[0] is ctx.post:
        return cached[1]
    texts = [ctx.post.text] + [i.alt for i in ctx.post.images if i is not ctx.image and i.alt]
    found = {}
    for text in texts:
        for word in _CAPITALISED.findall(text or ""):
            found.setdefault(word[1:].lower(), word)
    ctx.shared["post-proper-words"] = (ctx.post, found)
    return found


def _following(text: str, after: int) -> tuple[bool, str]:
    """(whether a plural follows within the phrase, the next word lower-cased)."""
    match = _NEXT_WORDS.match(text, after)
    words = [w for w in match.groups() if w] if match else []
    plural = False
    for word in words:
        if word.lower() in _PHRASE_ENDS:
            break
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            plural = True
            break
    return plural, words[0].lower() if words else ""


def _ranked(candidates: list[str], text: str, after: int, opts, known) -> list[str]:
    """Most likely first: a kind of chart before "chart" or "map" ("ine charts" ->
    "Line"), a number word before a plural ("ive screenshots" -> "Five"), a usual
    opening, then the most frequent word."""
    openers, numbers, chart_types, chart_nouns = opts
    plural_next, next_word = _following(text, after)
    before_chart = next_word in chart_nouns

    def key(word: str):
        return (
            not (before_chart and word in chart_types),
            not (plural_next and word in numbers),
            word not in openers,
            known.frequency_rank(word),
            word,
        )

    return sorted(candidates, key=key)


# A description cannot open on a pronoun that refers to nothing before it.
_NO_ANTECEDENT = frozenset({"his", "her", "its", "their"})
_ANTECEDENT_IN_POST = re.compile(r"(?i)\b(?:he|him|his|she|her|hers|it|its|they|them|their)\b")
# The restored word is this many times higher in the frequency list than the word left.
_FREQUENCY_CONTRAST = 8


def _with_evidence(word, added, number_follows, text, after, ctx, opts, known) -> list[str]:
    """The restorations of a real word ("his", "mage", "able") that some evidence
    supports; none where restoring would be a guess."""
    openers = opts[0]
    labels = [w for w in added if w in openers]
    if number_follows and labels:
        return labels  # "able 3" -> "Table 3"
    _, chart_types, chart_nouns = opts[1:]
    charts = [w for w in added if w in chart_types]
    if charts and _following(text, after)[1] in chart_nouns:
        return charts  # "eat map of…" -> "Heat map of…"
    if word in _NO_ANTECEDENT and labels and not _ANTECEDENT_IN_POST.search(ctx.post.text or ""):
        return labels  # "his chart shows…" -> "This chart shows…"
    rank = known.frequency_rank(word)
    if _CAPITAL_LATER.search(text, after):
        # This author writes capitals, yet the description begins in lower case;
        # a restoration much rarer than the word left ("user" -> "muser") is no likelier.
        return [w for w in added if w in openers or known.frequency_rank(w) <= _FREQUENCY_CONTRAST * (rank + 1)]
    # The dictionary's evidence: "mage" and "umber" are rare, "image" and "number" are not.
    return [w for w in added if (known.frequency_rank(w) + 1) * _FREQUENCY_CONTRAST < rank]


def _restore(word: str, at_start: bool, number_follows: bool, text: str, after: int, ctx, opts) -> str | None:
    """The restored word for a sentence's first word, or None."""
    openers = opts[0]
    known = dictionary(ctx)
    lower = word.lower()
    if word[0].isupper() and not word.isupper():  # "The", "Pigure": the common case first
        if not word[1:].islower() or known.known(word):
            return None
        changed = [c + lower[1:] for c in ascii_lowercase if c + lower[1:] in openers]
        return changed[0].capitalize() if changed else None
    named = post_proper_words(ctx).get(lower)
    if named and named[1:] == word:
        return named  # the post itself writes it: "Pipedrive", "RSPCA"
    real = known.known(word)
    if real and (word.isupper() or not at_start):
        return None  # a real word left behind counts only at the very start, in lower case
    added = [c + lower for c in ascii_lowercase if known.known(c + lower)]
    if real and added:
        added = _with_evidence(word, added, number_follows, text, after, ctx, opts, known)
    if not added:
        return None
    best = _ranked(added, text, after, opts, known)[0]
    return best.upper() if word.isupper() else best.capitalize()


def check(ctx) -> Iterable[Hit]:
    """Options: openers, number_words, chart_types, chart_nouns, min_letters."""
    text = ctx.alt
    opts = ctx.memo("first-letter", _options)
    minimum = int(ctx.options["min_letters"])
    vocabulary = None
    for number, sentence in enumerate(sentences(text)):
        match = _LEADING.match(sentence.text)
        if not match or len(match.group()) < minimum:
            continue
        word = match.group()
        start = sentence.start
        end = start + len(word)
        following = text[end : end + 1]
        if following.isdigit() or following in "'’" and text[end + 1 : end + 2].isalpha():
            continue  # "mp3", "don't": not a word cut at its start
        if word[0].isupper() and not word.isupper() and (not word[1:].islower() or dictionary(ctx).known(word)):
            continue  # "The", "Image": _restore's first test, before the post's words are split
        if vocabulary is None:
            vocabulary = post_vocabulary(ctx)
        if word.casefold() in vocabulary:
            continue  # the post's own word
        joined = following in ("-", "_")  # "creen-reader", "igure_8_norm"
        number_after = _NUMBER_AFTER.match(text, end)
        restored = _restore(word, number == 0 and start == 0 and not joined, bool(number_after), text, end, ctx, opts)
        if not restored:
            continue
        if number_after:
            end = number_after.end()
        fixed = restored + text[start + len(word) : end]
        yield Hit(span=(start, end), suggestion=fixed, fields={"fixed": fixed})
