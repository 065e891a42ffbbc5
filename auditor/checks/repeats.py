"""Repetition: a description that repeats the post, the same description on several
images, and a sentence said twice in one description."""

from __future__ import annotations

from typing import Iterable

from ..text import normalise, sentences, word_set
from . import Hit


def repeats_post_text(ctx) -> Iterable[Hit]:
    """Options: min_words, overlap (share of the description's words found in the post)."""
    alt, post = ctx.alt, ctx.post.text
    if not post.strip():
        return
    alt_norm, post_norm = normalise(alt), normalise(post)
    alt_words = word_set(alt)
    if len(alt_words) < int(ctx.options["min_words"]):
        # Short descriptions repeat the post only when they are the post.
        if alt_norm != post_norm:
            return
    elif alt_norm not in post_norm:
        overlap = float(ctx.options["overlap"])
        # A word of the post is in its normalised text (case-folding maps each
        # character alone), so the description's words found there bound the
        # share: the post is split into words only when that bound is enough.
        if sum(map(post_norm.__contains__, alt_words)) / len(alt_words) < overlap:
            return
        shared = len(alt_words & word_set(post)) / len(alt_words)
        if shared < overlap:
            return
    stripped = alt.strip()
    start = alt.find(stripped)
    yield Hit(span=(start, start + len(stripped)))


def same_on_every_image(ctx) -> Iterable[Hit]:
    """Post scope: two or more images carrying one and the same description."""
    groups: dict[str, list[int]] = {}
    for image in ctx.described:
        groups.setdefault(normalise(image.alt), []).append(image.index)
    for indexes in groups.values():
        if len(indexes) >= 2:
            every = len(indexes) == len(ctx.post.images)
            yield Hit(
                fields={
                    "images": ", ".join(str(i) for i in indexes),
                    "which": "every image" if every else f"{len(indexes)} of {len(ctx.post.images)} images",
                }
            )


def repeated_sentence(ctx) -> Iterable[Hit]:
    """Options: min_words (shorter sentences, like 'Text reads:', may repeat)."""
    seen: set[str] = set()
    minimum = int(ctx.options["min_words"])
    for sentence in sentences(ctx.alt):
        text = sentence.text  # (stripped)
        if "  " not in text and text.isprintable():
            # Its words are one space apart already (every other whitespace
            # character is unprintable): normalise() would change no space.
            if text.count(" ") + 1 < minimum:
                continue
            key = text.casefold()
        else:
            words = text.split()
            if len(words) < minimum:
                continue
            key = " ".join(words).casefold()  # normalise(), with the words counted on the way
        if key in seen:
            yield Hit(span=(sentence.start, sentence.end))
        seen.add(key)


def repeated_sentence_gate(options: dict):
    """Two sentences need a sentence end between them (text.SENTENCE_END_RE)."""
    from . import Gate

    return Gate(requires=(".", "!", "?", "\n"))
