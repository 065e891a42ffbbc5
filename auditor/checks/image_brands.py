"""Logos and wordmarks the image shows that the description does not name.

The configured `brands` are looked for in the text read from the image,
tolerant of the engine's spacing and case ("LOCALTRUST", "Local  Trust"):
letters and digits only, compared case-folded. A brand counts as named when
the description holds it the same way, or all of its words. Where the image
was read this replaces the guesses of B601/B602 (see checks/branding.py).
"""

from __future__ import annotations

from typing import Iterable

from ..images.words import Vocabulary, normalised, readable, squash
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


def brand_in_image(ctx) -> Iterable[Hit]:
    """The configured brands the image shows that the description leaves unnamed."""
    brands = ctx.settings.brands
    if not brands or ctx.image is None or not readable(ctx.image.seen):
        return
    missing = [brand for brand in brands_seen(ctx.image.seen, brands) if not named(ctx.alt, brand)]
    if missing:
        yield Hit(fields={"brands": ", ".join(missing), "count": len(missing)})
