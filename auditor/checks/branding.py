"""Branded graphics: posters, flyers, cards and slides whose logos go unmentioned.

A description is about a graphic when one of the graphic words (rules/words/
branded-graphics.txt) stands among its first words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from ..resources import read_rule_file
from . import Hit


@lru_cache(maxsize=8)
def _word_re(list_name: str) -> re.Pattern:
    words = [
        line.strip()
        for line in read_rule_file(f"words/{list_name}.txt").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return re.compile(_pattern(words))


def _pattern(words: list[str]) -> str:
    """The words, longest first, as one case-insensitive alternation, its
    alternatives grouped by first letter ("p(?:oster|amphlet)|f(?:lyer)"): re
    tries the alternatives in turn at every character, and a letter of the
    text can match only one group's first letter (the words are ASCII), where
    the alternatives keep their order, so the same words match."""
    ordered = sorted(words, key=len, reverse=True)
    groups: dict[str, list[str]] = {}
    if all(w.isascii() and w[:1].isalpha() for w in ordered):
        for w in ordered:
            groups.setdefault(w[0].lower(), []).append(w)
        alternation = "|".join(
            re.escape(group[0][0]) + "(?:" + "|".join(re.escape(w[1:]) for w in group) + ")" for group in groups.values()
        )
    else:
        alternation = "|".join(re.escape(w) for w in ordered)
    # "poster-making" is not a poster: no hyphen on either side.
    return rf"(?i)(?<![\w-])(?:{alternation})(?![\w-])"


def graphic_word(ctx) -> re.Match | None:
    """The graphic word in the description's opening words, if any."""
    head_words = int(ctx.options["head_words"])
    text = ctx.alt.lstrip()
    offset = len(ctx.alt) - len(text)
    head = " ".join(text.split(None, head_words)[:head_words])  # (not every word of a long text)
    match = _word_re(ctx.options["graphic_words"]).search(head)
    if match is None:
        return None
    # "card games", "poster session", "graphic design", "a book cover", "a recipe
    # card": not a branded graphic.
    following = head[match.end() :].split(maxsplit=1)
    if following and following[0].strip(".,;:").lower() in ctx.options.get("not_followed_by", ()):
        return None
    preceding = head[: match.start()].split()
    if preceding and preceding[-1].strip(".,;:").lower() in ctx.options.get("not_preceded_by", ()):
        return None
    # "A photo of a poster" is a photo: its subject came first.
    photo = re.search(r"(?i)\b(?:%s)\b" % "|".join(ctx.options["photo_words"]), head)
    if photo and photo.start() < match.start():
        return None
    # Re-find it in the original text so that the span is right despite whitespace.
    return _word_re(ctx.options["graphic_words"]).search(ctx.alt, offset)


def _image_was_read(ctx) -> bool:
    """Where text was read from the image, rule I903 judges its logos and names
    instead of a guess. (An image with no text read may still hold a pictorial
    logo, so the guess stays there.)"""
    seen = ctx.image.seen if ctx.image is not None else None
    return seen is not None and seen.problem is None and any(line.confidence >= 0.6 for line in seen.lines)


def branded_graphic(ctx) -> Iterable[Hit]:
    """Options: graphic_words, logo_words (list names), head_words."""
    if _image_was_read(ctx):
        return
    match = graphic_word(ctx)
    if match and not _word_re(ctx.options["logo_words"]).search(ctx.alt):
        yield Hit(span=match.span(), fields={"graphic": match.group().lower()})


def brand_not_named(ctx) -> Iterable[Hit]:
    """The configured brands: a graphic that names none of them."""
    brands = ctx.settings.brands
    if not brands or _image_was_read(ctx):
        return
    match = graphic_word(ctx)
    if match is None:
        return
    text = ctx.alt.casefold()
    if not any(brand.casefold() in text for brand in brands):
        yield Hit(
            span=match.span(),
            fields={"graphic": match.group().lower(), "brands": ", ".join(brands)},
        )
