"""Logos and wordmarks the image shows that the description does not name.

The configured `brands` are looked for in the text read from the image,
tolerant of the engine's spacing and case ("LOCALTRUST", "Local  Trust"):
letters and digits only, compared case-folded. A brand counts as named when
the description holds it the same way, or all of its words. Where the image
was read this replaces the guesses of B601/B602 (see checks/branding.py).
Without configured brands, short names set apart along a graphic's top or
bottom edge (a logo strip's wordmarks) count too.
"""

from __future__ import annotations

from typing import Iterable

import re

from ..images.words import Vocabulary, normalised, readable, salient_lines, squash, tokens
from ..safe_text import visible
from . import Hit


def _image_text(seen) -> str:
    # Reading order, lines joined with nothing between them: a wordmark read as
    # two boxes ("Local", "Trust") still spells the brand.
    lines = sorted(seen.lines, key=lambda l: (round(l.box[1] / max(1, l.height or 1)), l.box[0]))
    return "".join(squash(line.text) for line in lines if line.confidence >= 0.6)


def brands_seen(seen, brands) -> list[str]:
    text = _image_text(seen)
    return [brand for brand in brands if squash(brand) and squash(brand) in text]


def named(description: str, brand: str) -> bool:
    if squash(brand) in squash(description):
        return True
    vocabulary = Vocabulary(description)
    return all(word in vocabulary.words for word in normalised(brand))


_NOT_A_NAME = re.compile(r"(?i)^(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*$")


def standalone_names(seen, band: float, max_words: int) -> list[str]:
    """Names set apart like wordmarks: a short line of capitalised words (or
    capitals) in the top or bottom band of a graphic, smaller than its title,
    on an image with body text of its own. Logo strips print their names so."""
    lines = [line for line in salient_lines(seen, without_bars=False) if line.confidence >= 0.8]
    if len(lines) < 4 or not seen.height:
        return []
    tallest = max(line.height for line in lines)
    found = []
    for line in lines:
        words = tokens(line.text)
        middle = (line.box[1] + line.box[3]) / 2
        if not (1 <= len(words) <= max_words) or band * seen.height < middle < (1 - band) * seen.height:
            continue
        if line.height >= tallest or any(not w[:1].isupper() or not w.isalpha() or _NOT_A_NAME.match(w) for w in words):
            continue
        if re.search(r"[./@:]", line.text):
            continue  # an address or a handle, not a wordmark
        found.append(line.text.strip())
    return found


def brand_in_image(ctx) -> Iterable[Hit]:
    """The configured brands, and names set apart like wordmarks, that the image
    shows and the description leaves unnamed. Options: standalone_names, band, max_words."""
    if ctx.image is None or not readable(ctx.image.seen):
        return
    seen = ctx.image.seen
    brands = ctx.settings.brands
    missing = [brand for brand in brands_seen(seen, brands) if not named(ctx.alt, brand)] if brands else []
    if ctx.options.get("standalone_names", True):
        squashed = {squash(b) for b in missing} | {squash(b) for b in brands}
        for name in standalone_names(seen, float(ctx.options.get("band", 0.25)), int(ctx.options.get("max_words", 3))):
            if squash(name) not in squashed and not named(ctx.alt, name):
                missing.append(visible(name, keep_newlines=False))
                squashed.add(squash(name))
    if missing:
        yield Hit(fields={"brands": ", ".join(missing), "count": len(missing)})
