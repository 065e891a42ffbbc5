"""Checks that hold a description against the text read from its image.

They yield nothing where the image was not read (`Image.seen` is None) or
could not be (`seen.problem`): without the image they have nothing to judge.
Which words matter and when a description carries them: auditor/images/words.py.
"""

from __future__ import annotations

from typing import Iterable

from ..images.words import Vocabulary, coverage, fold, image_words, readable, tokens
from ..safe_text import visible
from ..text import word_count, words
from . import Hit


def _words_of(ctx):
    """The image's salient words, worked out once per image."""
    seen = ctx.image.seen
    cached = ctx.shared.get("image-words")
    if cached is not None and cached[0] is seen:
        return cached[1]
    found = image_words(seen)
    ctx.shared["image-words"] = (seen, found)
    return found


def quote(lines: list[str], limit: int) -> str:
    """Lines as one escaped quotation, cut at `limit` characters."""
    text = " / ".join(visible(line, keep_newlines=False) for line in lines)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def left_out(cover, found, alt: str, options) -> bool:
    """Whether a description leaves the image's text out: it carries almost none
    of it (`low_share`), or little of it (`max_share`) and is no summary in its
    own words: too short for one (fewer words than `summary_share` of the
    image's, and fewer than `summary_words`), or touching fewer than
    `summary_lines` of the image's lines (a title and the logos). A long
    description that touches most lines of a page is a paraphrase; a label never is."""
    if not cover.missing_lines:
        return False
    if cover.share <= float(options.get("low_share", 0.15)):
        return True
    described = word_count(alt)
    short = described < max(float(options.get("summary_words", 10)), float(options.get("summary_share", 0.5)) * found.count)
    narrow = cover.lines_touched < float(options.get("summary_lines", 0.4))
    return cover.share <= float(options["max_share"]) and (short or narrow)


def left_out_text(ctx) -> Iterable[Hit]:
    """Options: min_words (salient words an image must hold), max_share, low_share,
    summary_share, summary_words (see `left_out`), quote_chars."""
    if ctx.image is None or not readable(ctx.image.seen):
        return
    found = _words_of(ctx)
    if found.count < int(ctx.options["min_words"]):
        return
    cover = coverage(found, ctx.alt)
    if left_out(cover, found, ctx.alt, ctx.options):
        yield Hit(
            fields={
                "percent": round(cover.share * 100),
                "missing": quote(cover.missing_lines, int(ctx.options["quote_chars"])),
                "words": cover.total,
            }
        )


def text_heavy_short(ctx) -> Iterable[Hit]:
    """Options: min_words (salient words that make an image text-heavy),
    max_alt_words, share (the description's words against the image's)."""
    if ctx.image is None or not readable(ctx.image.seen):
        return
    found = _words_of(ctx)
    if found.count < int(ctx.options["min_words"]):
        return
    described = word_count(ctx.alt)
    if (
        described <= int(ctx.options["max_alt_words"])
        and described < float(ctx.options["share"]) * found.count
        and coverage(found, ctx.alt).share < 0.5  # a short quote of a short text is no fault
    ):
        yield Hit(
            fields={
                "words": found.count,
                "lines": len(found.lines),
                "alt_words": described,
                "start": quote([line.text for line in found.lines[:3]], 80),
            }
        )


def misspelt_printed_word(ctx) -> Iterable[Hit]:
    """A description word one letter away from a word the image prints, and not
    itself a dictionary word: "Communty Day" for the image's "Community Day".
    Options: min_letters."""
    if ctx.image is None or not readable(ctx.image.seen):
        return
    from ..images.words import one_edit_apart, salient_lines
    from .spelling import dictionary

    min_letters = int(ctx.options["min_letters"])
    printed: dict[str, str] = {}
    for line in salient_lines(ctx.image.seen):
        for token in tokens(line.text):
            if len(token) >= min_letters and token.isalpha():
                printed.setdefault(fold(token), token)
    if not printed:
        return
    known = dictionary(ctx)
    for token in words(ctx.alt):
        word = token.text
        folded = fold(word)
        if len(word) < min_letters or not word.isalpha() or folded in printed:
            continue
        close = [p for p in printed if abs(len(p) - len(folded)) <= 1 and one_edit_apart(p, folded)]
        if not close or known.known(word):
            continue
        right = printed[close[0]]
        # Keep the description's own capitalisation where the image shouts.
        fixed = right if not right.isupper() or word.isupper() else (right.capitalize() if word[:1].isupper() else right.lower())
        yield Hit(span=(token.start, token.end), suggestion=fixed, fields={"printed": visible(right, keep_newlines=False)})

