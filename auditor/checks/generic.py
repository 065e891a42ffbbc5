"""Descriptions that say what kind of thing the image is and nothing else.

- `generic`: the whole description names only a kind of image or object
  ("A chart.", "Bar chart", "Developer tools.", "Screenshot of a website"),
  or is a link label ("Read more", "Click here").
- `keyword-list`: the whole description is a list of short noun phrases with
  no sentence ("Ellen Ochoa, astronaut, NASA, space shuttle"), the habit of
  writing alt text for search engines.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..text import WORD_RE
from . import Hit

_EDGE = " \t\r\n.,;:!?\"'“”‘’()[]{}<>-_*#…"


def _alternation(phrases: Iterable[str]) -> str:
    # Longest first, so that "bar chart" wins over "bar"; spaces match any run of spaces.
    ordered = sorted({p.casefold() for p in phrases}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


def _generic_pattern(options: dict):
    determiners = _alternation(options["determiners"])
    qualifiers = _alternation(options["qualifiers"])
    kinds = _alternation(options["kinds"])
    links = _alternation(options["connectors"])
    # "a simple bar chart", "screenshots", "Figure 2"
    phrase = rf"(?:(?:{determiners})\s+)?(?:(?:{qualifiers})\s+)*(?:{kinds})(?:s|es)?(?:\s+\d+[a-z]?)?"
    # ... and one kind "of" another: "screenshot of a website", "photo of a chart".
    return re.compile(rf"(?i){phrase}(?:\s+(?:{links})\s+{phrase})?")


_GENERIC_MAX_LENGTH = 80
# What no part of the pattern matches when its phrases are ASCII: characters
# outside ASCII other than spaces and digits (\\s, \\d) and the four that
# case-insensitive matching takes for ASCII letters (İ ı ſ K: checked over
# every code point in tests/test_generic_shortcut.py). A description holding
# one ("Photo of Zoë", "Chart 📈") cannot be only a kind of image.
_NO_PHRASE_CHARACTER = re.compile("[^\\x00-\\x7f\\s\\d\u0130\u0131\u017f\u212a]")
_LENGTHS = (1, 2, 3, 4)  # words in a phrase of the lists; longer ones go to the pattern


class _Grammar:
    """The same phrases as _generic_pattern, matched word by word against sets.

    The pattern is one alternation of every kind, qualifier and determiner
    (several milliseconds to compile, a cold start's largest single cost); for
    ASCII text, whose words split at whitespace and compare lower-cased exactly
    as the pattern's case-insensitive matching does, these look-ups give the same
    answer. Other text still goes through the pattern."""

    def __init__(self, options: dict):
        def phrases(key):
            return {tuple(p.casefold().split()) for p in options[key]}

        self.determiners = phrases("determiners")
        self.qualifiers = phrases("qualifiers")
        self.kinds = phrases("kinds")
        self.links = phrases("connectors")
        # The last word of every kind: a description that ends on none of them
        # (plural or number after it allowed) names no kind, whatever comes before.
        self.last_words = {p[-1] for p in self.kinds if p}
        longest = max((len(p) for entries in (self.determiners, self.qualifiers, self.kinds, self.links) for p in entries), default=0)
        self.options = options
        self._pattern = None
        # Configured phrases must be ASCII words with single spaces for the
        # look-ups to agree with the pattern (which wants two spaces for two).
        entries = [p for key in ("determiners", "qualifiers", "kinds", "connectors") for p in options[key]]
        self._words_only = longest <= _LENGTHS[-1] and all(p.isascii() and p == " ".join(p.split()) for p in entries)

    def fullmatch(self, text: str) -> bool:
        if not (text.isascii() and self._words_only):
            if self._words_only and _NO_PHRASE_CHARACTER.search(text):
                return False  # (the pattern's fullmatch, far costlier, would fail)
            if self._pattern is None:
                self._pattern = _generic_pattern(self.options)
            return self._pattern.fullmatch(text) is not None
        words = text.lower().split()
        if not self._may_end(words):
            return False
        ends = self._phrase(words, 0)
        if len(words) in ends:
            return True
        # ... and one kind "of" another: "screenshot of a website", "photo of a chart".
        return any(
            len(words) in self._phrase(words, after)
            for end in ends
            for after in self._after(words, end, self.links)
        )

    def _may_end(self, words: list[str]) -> bool:
        """Whether the words end as every phrase ends: on a kind's last word,
        perhaps plural, perhaps with a figure number after it."""
        last = self.last_words

        def kind_end(word: str) -> bool:
            return word in last or (word.endswith("s") and word[:-1] in last) or (word.endswith("es") and word[:-2] in last)

        if not words:
            return False
        return kind_end(words[-1]) or (len(words) > 1 and _is_figure_number(words[-1]) and kind_end(words[-2]))

    @staticmethod
    def _after(words: list[str], at: int, entries: set) -> list[int]:
        """Where each entry that starts at words[at] ends."""
        return [at + n for n in _LENGTHS if tuple(words[at : at + n]) in entries and at + n <= len(words)]

    def _phrase(self, words: list[str], at: int) -> set[int]:
        """Ends of the phrases (determiner, qualifiers, kind, plural, number) from words[at]."""
        starts = {at, *self._after(words, at, self.determiners)}
        # Any number of qualifiers: every start reachable through them.
        pending = list(starts)
        while pending:
            for end in self._after(words, pending.pop(), self.qualifiers):
                if end not in starts:
                    starts.add(end)
                    pending.append(end)
        ends = set()
        for start in starts:
            for end in range(start + 1, min(start + _LENGTHS[-1], len(words)) + 1):
                # The kind's last word may carry a plural ending: "charts", "boxes".
                last = words[end - 1]
                head = tuple(words[start : end - 1])
                if any(head + (name,) in self.kinds for name in (last, last[:-1] if last.endswith("s") else None,
                                                                  last[:-2] if last.endswith("es") else None) if name):
                    ends.add(end)
                    if end < len(words) and _is_figure_number(words[end]):
                        ends.add(end + 1)  # "Figure 2", "chart 3b"
        return ends


def _is_figure_number(word: str) -> bool:
    """Digits, then at most one letter: "2", "3b" (the word is ASCII, lower-cased)."""
    digits = word[:-1] if word[-1:].isalpha() else word
    return digits.isdigit()


def _generic_grammar(options: dict):
    labels = {" ".join(label.casefold().split()) for label in options["link_labels"]}
    return _Grammar(options), labels


def generic(ctx) -> Iterable[Hit]:
    """Options: kinds, qualifiers, determiners, connectors, link_labels."""
    text = ctx.alt
    if len(text) > _GENERIC_MAX_LENGTH:  # the longest kind with its words is far shorter
        return
    stripped = text.strip(_EDGE)
    if not stripped:
        return
    start = text.find(stripped)
    pattern, labels = ctx.memo("generic", _generic_grammar)
    span = (start, start + len(stripped))
    if " ".join(stripped.casefold().split()) in labels:
        yield Hit(span=span, fields={"what": "is a link label, not a description of the image"})
    elif pattern.fullmatch(stripped):
        yield Hit(span=span, fields={"what": "names only the kind of image, not what it shows"})


def generic_gate(options: dict):
    from . import Gate

    return Gate(max_length=_GENERIC_MAX_LENGTH)


_SEPARATORS = re.compile(r"\s*[,;|]\s*")
_SENTENCE_BREAK = re.compile(r"[.!?]\s")


def _keyword_options(options: dict):
    def phrases(key):  # any case, any run of spaces between the words
        return "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(options.get(key, ()), key=len, reverse=True))

    openers, endings = phrases("generated_openers"), phrases("generated_endings")
    return (
        {w.casefold() for w in options["clause_words"]},
        {w.casefold() for w in options["lead_ins"]},
        re.compile(rf"(?i)(?:{openers})\s+") if openers else None,
        re.compile(rf"(?i)\s+(?:{endings})$") if endings else None,
    )


def keyword_list(ctx) -> Iterable[Hit]:
    """Options: min_items, max_item_words, clause_words, lead_ins, generated_openers, generated_endings."""
    text = ctx.alt
    if text.count(",") + text.count(";") + text.count("|") + 1 < int(ctx.options["min_items"]):
        return
    body = text.strip().rstrip(".!…").strip()
    # A colon introduces a list that describes ("Ingredients: flour, eggs, milk"),
    # and a sentence break means there is a sentence around the list.
    if not body or ":" in body or "\n" in body or _SENTENCE_BREAK.search(body):
        return
    clause_words, lead_ins, openers, endings = ctx.memo("keyword-list", _keyword_options)
    # Office's automatic alt text frames its keywords: "A picture containing
    # floor, indoor, wall  Description automatically generated".
    opened = openers.match(body) if openers else None
    keywords = body[opened.end() :] if opened else body
    ended = endings.search(keywords) if endings else None
    items = _SEPARATORS.split(keywords[: ended.start()] if ended else keywords)
    if len(items) < int(ctx.options["min_items"]):
        return
    longest = int(ctx.options["max_item_words"])
    for number, item in enumerate(items):
        words = [w.casefold() for w in WORD_RE.findall(item)]
        if not words or len(words) > longest or any(c.isdigit() for c in item):
            return  # a long item is prose; numbers are a chart's values, not keywords
        if any(w in clause_words for w in words):
            return  # a verb: the list is part of a sentence
        if number == 0 and words[0] in lead_ins and len(words) > 2:
            return  # "A table with apples, pears, ..." leads into its list
    if re.search(r"(?i)(?:^|\s)(?:and|or|&)\s", " " + items[-1]):
        return  # "..., green and yellow balloons": written as a sentence's list
    start = text.find(body)
    yield Hit(span=(start, start + len(body)), fields={"items": len(items)})


def keyword_list_gate(options: dict):
    """A list of min_items items needs a separator between each two."""
    from . import Gate

    return Gate(requires=(",", ";", "|") if int(options["min_items"]) >= 2 else None)
