"""Several images described in one description.

Two kinds of evidence:

- numbered labels opening sentences ("Figure 1 shows…", "Figure 2 shows…")
  with two or more different numbers, in any post;
- in a post whose other images are left empty (the hurried poster pastes
  every description into the first box), places where the text starts over:
  a sentence (or a capitalised restart after an unpunctuated end) that shares
  almost no content words with the text before it and opens like a new
  description, with a new subject ("A…", "Two…"), the kind of image ("Bar
  chart…", "Screenshot…") or a demonstrative ("This figure…"), rather than
  continuing ("It…", "On the left…", "Each…"). Each place gets a score (log
  likelihood ratios, measured on half of the corpus by
  scripts/eval_merged.py); the text is cut where the score passes the rule's
  `min_evidence`, at most once per empty image. Where two or more images are
  empty, a second cut (with at least `min_evidence_more`) must be found too:
  a paste of several descriptions starts over more than once.

A description of one image whose parts are described in turn ("Panel 1…")
is not cut: topic shifts are only looked for when the post holds empty
images for the other descriptions to have belonged to.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from typing import Iterable, NamedTuple

from ..text import WORD_RE, sentences
from . import Hit

# A restart with no full stop before it: "…in the Himalayas Part of the main…".
# The capitalised word must not run on into another ("the Local Trust"), and a
# web address may stand for a whole description.
_SOFT_START = re.compile(
    r"(?<=[^\s.!?,;:])\s+(?=(?:[A-Z][a-z]*|\([a-z]\))(?:\s+[a-z(0-9\"“]|\s*\d|[-:(])|https?://)"
)
_PAREN_LABEL = re.compile(r"\(?[a-z0-9]\)")
_LAST_WORD = re.compile(r"[A-Za-z]+$")
# Words a description does not end on: a restart cannot follow them.
_DANGLING = frozenset(
    "a an the of with for in on at to by and or from as is are was were that this these its their our your".split()
)

# Evidence for a cut, by feature value (log likelihood ratios on the tune half,
# rounded): how much vocabulary the two sides share, and (below) how the place
# was found and what kind of word opens the new part.
_SHARED = (1.5, 1.2, 0.2, -2.0, -6.0)  # by _shared_bucket
# By how the place was found (a sentence start, or a capitalised restart with
# no full stop before it) and what kind of word opens the new part: a
# capitalised "This" or "The" in mid-sentence is a strong sign of a restart, a
# capitalised name ("other") much less (measured -2.2; -1.2 here, since names are
# what the corpus is full of and real joins without a full stop often open on
# a capitalised noun: "…in the Himalayas Part of…").
_OPENING = {
    "sentence": {
        "image_kind": 2.6, "new_subject": 1.1, "demonstrative": 0.9, "other": 0.0,
        "definite": -0.8, "label": -0.9, "preposition": -1.5, "continuation": -1.9,
    },
    "restart": {
        "image_kind": 1.3, "new_subject": 0.2, "demonstrative": 3.4, "other": -1.2,
        "definite": 0.7, "label": -3.0, "preposition": -0.4, "continuation": 0.5,
    },
}
# A part of three words or fewer is more often a title or a label ("Bar chart.")
# than a whole description; longer parts get no evidence from their length,
# since real descriptions of one image are often short.
_FRAGMENT_WORDS = 3
_FRAGMENT = -2.5
_NO_VOCABULARY = -2.3  # one side has no content words: a fragment, not a description
# A part that opens the way the text before it opened ("Two individuals standing…
# Two individuals presenting…", "Green graphic for… Green graphic for…") starts a
# parallel description of another image, even though the two share their words.
_ECHO = 3.0
_SHARED_FLOOR_WITH_ECHO = -3.0
_OPENING_WORDS = 4  # how many words of each opening are compared
_REOPENINGS = frozenset({"image_kind", "new_subject"})  # the openings that can echo

# Far beyond any description the app allows (2000 characters): a longer text is
# left to L201, and its places are not all weighed against each other.
_MAX_TEXT = 10_000
_MAX_PLACES = 200


class Cut(NamedTuple):
    start: int
    evidence: float


def _label_re(options: dict) -> re.Pattern:
    labels = "|".join(re.escape(w) for w in options["label_words"])
    return re.compile(rf"(?i)^[\W_]*(?:the\s+)?({labels})\.?\s*(\d+)[a-z]?\b")


def _single_image_labels(options: dict) -> frozenset:
    return frozenset(w.lower() for w in options["single_image_labels"])


def _word_classes(options: dict) -> tuple[dict[str, str], frozenset]:
    classes = {}
    for name, members in options["opening_words"].items():
        for word in members:
            classes[word.lower()] = name
    return classes, frozenset(w.lower() for w in options["common_words"])


def _quote(text: str, words: int = 4) -> str:
    head = text[:200].split()
    return " ".join(head[:words]) + ("…" if len(head) > words else "")


def _starts(text: str, offsets: list[int]) -> str:
    """"‘Two individuals presenting…’ (description 2), ‘A green…’ (description 3)"."""
    return ", ".join(f"‘{_quote(text[at:])}’ (description {n})" for n, at in enumerate(offsets, start=2))


def _numbered(ctx, parts) -> Hit | None:
    label_re = ctx.memo("merged-labels", _label_re)
    numbered: dict[str, tuple[int, int]] = {}
    # One image may show its own panels, slides or pages: only some labels count there.
    single = len(ctx.post.images) < 2
    allowed = ctx.memo("merged-single", _single_image_labels)
    for part in parts:
        match = label_re.match(part.text)
        if match and (not single or match.group(1).lower() in allowed):
            numbered.setdefault(match.group(2), (part.start + match.start(1), part.start + match.end()))
    if len(numbered) < 2:
        return None
    starts = list(numbered.values())
    text = ctx.alt
    return Hit(
        span=starts[1],
        fields={
            "count": len(numbered),
            "starts": _starts(text, [a for a, _ in starts[1:]]),
        },
    )


def _opening_class(text: str, start: int, classes: dict[str, str]) -> str:
    """What kind of word opens the part at start; "A green graphic…" and "Street
    view image…" name the kind of image in their opening words too."""
    head = text[start : start + 60].split(None, 3)[:3]
    key = head[0].lower().rstrip(":.,;")
    found = classes.get(key) or ("label" if _PAREN_LABEL.fullmatch(key) else "other")
    if found in ("other", "new_subject") and any(classes.get(w.lower().rstrip(":.,;")) == "image_kind" for w in head[1:]):
        return "image_kind"
    return found


def _shared_bucket(before: set, after: set) -> int:
    if not before & after:
        return 0
    ratio = len(before & after) / math.sqrt(len(before) * len(after))
    return 1 if ratio < 0.05 else 2 if ratio < 0.1 else 3 if ratio < 0.2 else 4


def _opening_stems(text: str, start: int, classes: dict[str, str]) -> set[str]:
    """Stems of the first few words from start, without articles and numbers."""
    head = WORD_RE.findall(text, start, start + 60)[:_OPENING_WORDS]
    return {w.lower()[:5] for w in head if len(w) >= 3 and classes.get(w.lower()) != "new_subject"}


def _length(words: int) -> float:
    return _FRAGMENT if words <= _FRAGMENT_WORDS else 0.0


def _places(text: str) -> list[tuple[int, str]]:
    """Where a new description could start: sentence starts and unpunctuated restarts."""
    starts = [s.start for s in sentences(text)[1:]]
    found = {s: "sentence" for s in starts}
    for match in _SOFT_START.finditer(text):
        before = _LAST_WORD.search(text, max(0, match.start() - 20), match.start())
        if before and before.group().lower() in _DANGLING:
            continue  # "…with the Borders command": no description ends on "the"
        found.setdefault(match.end(), "restart")
    return sorted(found.items())


def cuts(text: str, max_cuts: int, options: dict, classes, common, threshold: float) -> list[Cut]:
    """The places (at most max_cuts, each with at least `threshold` evidence) where
    the text seems to start describing another image, best first chosen, returned
    in text order."""
    min_words = int(options["min_part_words"])
    tokens = [(m.start(), m.group().lower()) for m in WORD_RE.finditer(text)]
    token_starts = [start for start, _ in tokens]
    content = [(start, w[:5]) for start, w in tokens if len(w) >= 3 and w.isalpha() and w not in common]
    content_starts = [start for start, _ in content]
    stems = [stem for _, stem in content]
    # What does not depend on where the other cuts fall, once per place.
    places = []
    for place, found_by in _places(text)[:_MAX_PLACES]:
        opening = _opening_class(text, place, classes)
        places.append((place, _OPENING[found_by][opening], opening in _REOPENINGS))
    chosen: list[Cut] = []
    while len(chosen) < max_cuts:
        bounds = sorted([0, len(text), *(c.start for c in chosen)])
        best: Cut | None = None
        for place, evidence, reopens in places:
            if place in bounds:
                continue
            at = bisect_left(bounds, place)
            low, high = bounds[at - 1], bounds[at]
            words_before = bisect_left(token_starts, place) - bisect_left(token_starts, low)
            words_after = bisect_left(token_starts, high) - bisect_left(token_starts, place)
            if words_before < min_words or words_after < min_words:
                continue
            middle = bisect_left(content_starts, place)
            before = set(stems[bisect_left(content_starts, low) : middle])
            after = set(stems[middle : bisect_left(content_starts, high)])
            evidence += _length(words_before) + _length(words_after)
            shared = _SHARED[_shared_bucket(before, after)] if before and after else _NO_VOCABULARY
            if reopens and _opening_stems(text, place, classes) & _opening_stems(text, low, classes):
                evidence += _ECHO + max(shared, _SHARED_FLOOR_WITH_ECHO)
            else:
                evidence += shared
            if evidence >= threshold and (best is None or evidence > best.evidence):
                best = Cut(place, evidence)
        if best is None:
            break
        chosen.append(best)
    return sorted(chosen)


_DIGIT = re.compile(r"\d")


def check(ctx) -> Iterable[Hit]:
    # Topic shifts count only where other images were left for the other descriptions.
    empty = 0  # (a loop, not sum() over a generator: once an image)
    for image in ctx.post.images:
        if image is not ctx.image and not (image.alt and image.alt.strip()):
            empty += 1
    if not empty and not _DIGIT.search(ctx.alt):
        return  # numbered labels need their numbers: no digit, no sentences to split
    parts = sentences(ctx.alt)
    hit = _numbered(ctx, parts)
    if hit:
        yield hit
        return
    if not empty or len(ctx.alt) > _MAX_TEXT:
        return
    classes, common = ctx.memo("merged-words", _word_classes)
    strong, weak = float(ctx.options["min_evidence"]), float(ctx.options["min_evidence_more"])
    found = cuts(ctx.alt, empty, ctx.options, classes, common, min(strong, weak))
    if not found or max(c.evidence for c in found) < strong:
        return
    if empty >= 2 and len(found) < 2:
        return  # two or more empty images, yet only one place where the text starts over
    text = ctx.alt
    first = found[0].start
    yield Hit(
        span=(first, first + len(_quote(text[first:]).rstrip("…"))),
        fields={"count": len(found) + 1, "starts": _starts(text, [c.start for c in found])},
    )
