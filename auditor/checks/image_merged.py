"""Descriptions in a post of several images that carry another image's text:
swapped (each describes the other) or run together (one describes both).

Only words that image alone shows count: a logo or title printed on every
image of the post says nothing about which description belongs where.
"""

from __future__ import annotations

from typing import Iterable

from ..images.words import Vocabulary, image_words, normalised, readable
from ..safe_text import visible
from . import Hit


def carries_other_image(ctx) -> Iterable[Hit]:
    """Options: min_words (own words an image needs to be told apart), min_share
    (share of another image's own words a description must carry), or
    min_relative with margin (carried that much, and by margin more than its
    own image's words)."""
    read = [image for image in ctx.post.images if readable(image.seen)]
    if len(read) < 2:
        return
    min_words = int(ctx.options["min_words"])
    min_share = float(ctx.options["min_share"])
    min_relative = float(ctx.options.get("min_relative", 0.1))
    margin = float(ctx.options.get("margin", 0.1))
    words = {image.index: set(image_words(image.seen).weights) for image in read}
    # Everything each image prints, its bars and logo strips too: a word another
    # image shows anywhere is no sign of which image a description belongs to.
    printed = {image.index: {w for line in image.seen.lines for w in normalised(line.text)} for image in read}
    own = {
        index: found - set().union(*(other for i, other in printed.items() if i != index))
        for index, found in words.items()
    }
    for image in ctx.post.images:
        if not (image.alt and image.alt.strip()):
            continue
        vocabulary = Vocabulary(image.alt)

        def share(index: int) -> float:
            found = own.get(index, set())
            return sum(vocabulary.carries(w) for w in found) / len(found) if found else 0.0

        for other in read:
            if other.index == image.index or len(own[other.index]) < min_words:
                continue
            carried = share(other.index)
            mine = share(image.index) if image.index in own and len(own[image.index]) >= min_words else None
            # Carrying much of the other image's own text, or clearly more of it
            # than of this image's own (a swap of descriptions that carry only
            # part of their text).
            better = (
                mine is not None
                and carried >= min_relative
                and carried >= mine + margin
                and sum(vocabulary.carries(w) for w in own[other.index]) >= 2
            )
            if carried < min_share and not better:
                continue
            how = "as well as its own" if mine is not None and mine >= min_share else "instead of its own"
            theirs = image_words(other.seen)
            sample = [
                line.text
                for line, found in zip(theirs.lines, theirs.line_words)
                if any(w in own[other.index] and vocabulary.carries(w) for w in found)
            ][:2]
            yield Hit(
                image_index=image.index,
                fields={"other": other.index, "how": how, "percent": round(carried * 100), "quote": " / ".join(visible(t, keep_newlines=False) for t in sample)},
            )
