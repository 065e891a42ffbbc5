"""Logos and wordmarks the image shows that the description does not name.

The configured `brands` are looked for in the text read from the image,
tolerant of the engine's spacing and case ("LOCALTRUST", "Local  Trust"):
letters and digits only, compared case-folded. A brand counts as named when
the description holds it the same way, or all of its words. Where the image
was read this replaces the guesses of B601/B602 (see checks/branding.py).
Names set apart like wordmarks count too (see `standalone_names`), and the
configured logo pictures (`[tool.altaudit.logos]`) that feature matching
finds in the image's file (auditor/images/logos.py).
"""

from __future__ import annotations

import re
from typing import Iterable

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
    """The description names the brand: as written (spacing and case aside), all
    of its words, or its initials ("CZI" for Chan Zuckerberg Initiative)."""
    if squash(brand) in squash(description):
        return True
    vocabulary = Vocabulary(description)
    if all(word in vocabulary.words for word in normalised(brand)):
        return True
    initials = "".join(w[0] for w in tokens(brand) if w.casefold() not in _SMALL_WORDS).upper()
    return len(initials) >= 2 and any(t.isupper() and t.startswith(initials) for t in tokens(description))


_SMALL_WORDS = {"and", "of", "the", "for", "&", "a", "in", "on"}
_NOT_A_NAME = re.compile(r"(?i)^(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*$")
_NAME_LINE = re.compile(r"[^\W\d_][\w&'’-]*(?: [^\W\d_][\w&'’-]*)*")
# Words that make a line an organisation's name ("Harbour Trust", "Maple Foundation").
ORG_WORDS = frozenset(
    """trust foundation fund alliance network council society institute partnership partners collective
    initiative forum association university college charity group centre center lab labs project housing
    arts club league union federation coalition agency authority board museum gallery theatre hospital
    academy press media studio studios company ltd inc plc cic co-op cooperative commission
    conservancy lottery""".split()
)
_STATUS_BAR = re.compile(r"(?i)^(?:\d{1,2}:\d{2}(?:\s*[ap]m)?|\d{1,3}\s*%|[345]g\+?|lte)$")
MAX_GRAPHIC_LINES = 30  # more lines than this: a page or an app's screen, not a graphic with logos
STRIP_GRAPHIC_LINES = 15  # a logo strip's names are told by position only on a graphic with few lines
MENU_ITEMS = 5  # short labels side by side on one row that make it a menu, not a logo strip


def _same_row(line, other) -> bool:
    middle = (line.box[1] + line.box[3]) / 2
    return abs((other.box[1] + other.box[3]) / 2 - middle) <= max(4, line.height / 2)


def _stacked(line, other) -> bool:
    """`other` is a line of the same size just above or below `line`: a list, not a wordmark."""
    if other is line or not (0.7 <= other.height / max(1, line.height) <= 1.4):
        return False
    gap = max(other.box[1] - line.box[3], line.box[1] - other.box[3])
    overlap = min(line.box[2], other.box[2]) - max(line.box[0], other.box[0])
    return gap < 0.6 * line.height and overlap > 0


def standalone_names(seen, band: float, max_words: int, known=None) -> list[str]:
    """Names set apart like wordmarks. On a graphic (not a page of text or an
    app's screen): a line of one to `max_words` capitalised words that reads as
    an organisation's name (an organisation word such as Trust or Foundation,
    or a coined word no dictionary knows, or one of two to four names side by
    side along the foot: a logo strip), standing on its own (not one of a
    list or a menu row) in the top or bottom band, smaller than the title. An
    image of at most three lines is a logo image: its names count wherever they are."""
    lines = [line for line in salient_lines(seen, without_bars=False) if line.confidence >= 0.8]
    if not lines or not seen.height or len(lines) > MAX_GRAPHIC_LINES:
        return []
    if any(_STATUS_BAR.match(line.text.strip()) for line in seen.lines):
        return []  # a phone's status bar: an app's screen, whose names are accounts and tabs
    everything = [line for line in seen.lines if line.confidence >= 0.6]
    tallest = max(line.height for line in lines)
    logo_image = len(lines) <= 3
    found = []
    for line in lines:
        text = " ".join(line.text.split())
        words = tokens(text)
        if not (1 <= len(words) <= max_words) or not _NAME_LINE.fullmatch(text):
            continue
        # Capitalised words; a logo image's lone coined word may be lower case ("jupyter").
        lone_lower = logo_image and len(words) == 1 and words[0].islower()
        if any((not w[:1].isupper() and not lone_lower) or _NOT_A_NAME.match(w) for w in words):
            continue
        middle = (line.box[1] + line.box[3]) / 2
        if not logo_image and (band * seen.height < middle < (1 - band) * seen.height or line.height >= tallest):
            continue
        # Counted over every line read, buttons and menus too.
        row = sum(_same_row(line, other) for other in everything)
        if row >= MENU_ITEMS or any(_stacked(line, other) for other in lines):
            continue
        # Two to four names side by side at the very foot of a graphic with
        # little text: a logo strip ("Demos", "Local Trust", "3ni"), whatever the words.
        strip = (
            row >= 2
            and len(lines) <= STRIP_GRAPHIC_LINES
            and middle >= (1 - band) * seen.height
            and not any(o.box[1] > line.box[3] and o.height >= 0.6 * line.height for o in everything)
        )
        organisation = any(w.casefold() in ORG_WORDS for w in words)
        # A single coined word (Mozilla, NumFOCUS): two unknown words are more
        # often a person's name than a wordmark.
        coined = known is not None and len(words) == 1 and len(words[0]) >= 4 and not known(words[0].casefold())
        if organisation or coined or strip:
            found.append(text)
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
        from .spelling import dictionary

        known = dictionary(ctx).known
        for name in standalone_names(seen, float(ctx.options.get("band", 0.25)), int(ctx.options.get("max_words", 3)), known):
            if squash(name) not in squashed and not named(ctx.alt, name):
                missing.append(visible(name, keep_newlines=False))
                squashed.add(squash(name))
    if ctx.settings.logos:
        for name in _logo_pictures_seen(ctx):
            if squash(name) not in {squash(m) for m in missing} and not named(ctx.alt, name):
                missing.append(visible(name, keep_newlines=False))
    if missing:
        yield Hit(fields={"brands": ", ".join(missing), "count": len(missing)})


def _logo_pictures_seen(ctx) -> list[str]:
    """The configured logo pictures found in the image's file (feature matching,
    cached); none where the image has no local file or OpenCV is missing."""
    from ..images.attach import image_path

    path = image_path(ctx.post, ctx.image)
    if path is None:
        return []
    try:
        from ..images.logos import logos_in_file

        return logos_in_file(path, dict(ctx.settings.logos))
    except ImportError:
        return []
