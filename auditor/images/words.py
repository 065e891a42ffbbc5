"""What text in an image matters, and how much of it a description carries.

Pure text work on `SeenText` (no engine needed): the image rules' checks and
the spelling checks use it.

- Salient lines leave out phone status-bar chrome (times, battery, signal),
  an app's own buttons (Reply, Like, Share), rows of short labels along the
  very top or bottom (menu, tool and tab bars), and tiny or doubtful fragments.
- Words are compared normalised: case-folded, accents and apostrophes
  dropped, a light stemming (guides = guide, flooding = flood), number words
  as digits (ten = 10), month and day abbreviations spelled out, ordinals as
  numbers (21st = 21). A word also counts as carried when the description
  has one a letter away (OCR slips) or sharing its first six letters
  (refurbishment, refurbished).
- Coverage weighs each word by the height of its line against the image's
  usual line: a title counts for more than small print.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..model import SeenText, TextLine

MIN_CONFIDENCE = 0.6  # below this a line is more likely noise than text
MIN_HEIGHT_SHARE = 0.008  # lines shorter than this share of the image are small print

STOP_WORDS = frozenset(
    """a an the and or but of to in on at by for from with without into onto over under
    is are was were be been being am it its this that these those there here as if so
    than then not no yes do does did our your their his her my we you they he she i me us
    them who whom which what when where why how all any each can will would should could
    may might must shall has have had just about up down out off also more most very""".split()
)

NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17",
    "eighteen": "18", "nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40",
    "fifty": "50", "hundred": "100", "first": "1", "second": "2", "third": "3",
}
ABBREVIATIONS = {
    "jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june",
    "jul": "july", "aug": "august", "sep": "september", "sept": "september", "oct": "october",
    "nov": "november", "dec": "december", "mon": "monday", "tue": "tuesday", "tues": "tuesday",
    "wed": "wednesday", "thu": "thursday", "thur": "thursday", "thurs": "thursday",
    "fri": "friday", "sat": "saturday", "sun": "sunday", "st": "street", "rd": "road",
    "&": "and",
}
# Whole lines that are an app's own buttons and labels, not the image's content.
APP_WORDS = frozenset(
    """reply replies repost reposts retweet retweets like likes liked share shares quote quotes
    comment comments follow following followers unfollow send post cancel ok done save edit
    delete menu search home notifications messages profile settings back next skip close
    more view translate report block mute bookmark bookmarks copy link sent delivered read
    seen online typing retry help apply yes submit continue accept decline dismiss allow deny
    install update""".split()
)
# Whole lines of a phone's status bar: times, battery, signal and network.
_CHROME = re.compile(
    r"(?ix)^(?:\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?|\d{1,3}\s*%|[345]g\+?|5g\s*uw|lte\+?|e|h\+?|wi-?fi|"
    r"(?:\d{1,2}[:.]\d{2}\s*)?\d{1,3}\s*%|[.\s•·|]+)$"
)
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|&")
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")


def fold(text: str) -> str:
    """Case-folded, accents dropped, apostrophes removed."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("'", "").replace("’", "")


def stem(word: str) -> str:
    """A light stemming: enough to see 'guides' in 'guide', not a linguist's stem."""
    if word.isdigit() or len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
    elif word.endswith("es") and len(word) > 4 and word[-3] in "sxzh":
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        word = word[:-1]
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


@lru_cache(maxsize=4096)
def norm(token: str) -> str:
    word = fold(token)
    word = ABBREVIATIONS.get(word, word)
    word = NUMBER_WORDS.get(word, word)
    ordinal = _ORDINAL.match(word)
    if ordinal:
        return ordinal.group(1)
    return stem(word)


def tokens(text: str) -> list[str]:
    """The text's words as written (numbers split at their punctuation: 7-8 pm = 7, 8, pm)."""
    return _TOKEN.findall(text)


def normalised(text: str) -> list[str]:
    return [norm(token) for token in tokens(text)]


def is_chrome(line: TextLine) -> bool:
    text = line.text.strip()
    if _CHROME.match(text):
        return True
    words = [fold(t) for t in tokens(text)]
    return 0 < len(words) <= 3 and all(w in APP_WORDS for w in words)


TOOLBAR_BAND = 0.2  # share of the image's height at its top and bottom where bars sit
TOOLBAR_ITEMS = 3  # short labels side by side on one row that make it a bar


def _toolbar_rows(lines: list[TextLine], height: int) -> set[int]:
    """Indexes of lines in a menu, tool or status bar: a row of several short
    labels side by side at the very top or bottom (an editor's "Get Help
    WriteOut Read File", a tab bar). An app's own words, not the image's content."""
    if not height:
        return set()
    short = [
        (i, line)
        for i, line in enumerate(lines)
        if sum(not t.isdigit() for t in tokens(line.text)) <= 3
        and not TOOLBAR_BAND * height < (line.box[1] + line.box[3]) / 2 < (1 - TOOLBAR_BAND) * height
    ]
    found: set[int] = set()
    for i, line in short:
        middle = (line.box[1] + line.box[3]) / 2
        row = [j for j, other in short if abs((other.box[1] + other.box[3]) / 2 - middle) <= max(4, line.height / 2)]
        if len(row) >= TOOLBAR_ITEMS:
            found.update(row)
    return found


def salient_lines(seen: SeenText, without_bars: bool = True) -> list[TextLine]:
    """The lines that carry the image's content (with `without_bars` False, also
    rows of short labels along the edges: a logo strip is such a row)."""
    out = []
    bars = _toolbar_rows(seen.lines, seen.height) if without_bars else set()
    for index, line in enumerate(seen.lines):
        if index in bars:
            continue
        letters = sum(c.isalpha() for c in line.text)
        if line.confidence < MIN_CONFIDENCE or letters < 2:
            continue
        if seen.height and line.height < MIN_HEIGHT_SHARE * seen.height and line.height < 12:
            continue
        if is_chrome(line):
            continue
        if _cut_by_edge(line, seen.width):
            continue
        out.append(line)
    return out


def _cut_by_edge(line: TextLine, width: int) -> bool:
    """A lone word that the image's left or right edge cuts through (a
    cropped screenshot's "pply" for Apply): not text anyone could read."""
    if not width:
        return False
    touches = line.box[0] <= 1 or line.box[2] >= width - 1
    return touches and len(tokens(line.text)) == 1


@dataclass
class ImageWords:
    """The image's salient words, each with its weight and the line it came from."""

    weights: dict[str, float]  # normalised word -> weight
    lines: list[TextLine]  # the salient lines, in reading order
    line_words: list[list[str]]  # each line's salient normalised words

    @property
    def count(self) -> int:
        return len(self.weights)


def image_words(seen: SeenText) -> ImageWords:
    lines = salient_lines(seen)
    heights = sorted(max(1, line.height) for line in lines)
    usual = heights[len(heights) // 2] if heights else 1
    weights: dict[str, float] = {}
    line_words = []
    for line in lines:
        weight = min(3.0, max(0.5, line.height / usual))
        found = [w for w in normalised(line.text) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]
        line_words.append(found)
        for word in found:
            weights[word] = max(weights.get(word, 0.0), weight)
    return ImageWords(weights, lines, line_words)


class Vocabulary:
    """A description's normalised words, answering 'does it carry this word?'"""

    def __init__(self, text: str):
        self.words = set(normalised(text))
        # Compounds the OCR splits or joins: "LOCALTRUST", "Local Trust".
        self.squashed = re.sub(r"[^\w]", "", fold(text))
        self._by_prefix: dict[str, list[str]] = {}
        for word in self.words:
            if len(word) >= 6:
                self._by_prefix.setdefault(word[:6], []).append(word)

    def carries(self, word: str) -> bool:
        if word in self.words:
            return True
        if word.isdigit():
            return False
        if len(word) >= 6 and word[:6] in self._by_prefix:
            return True
        if len(word) >= 5:
            return any(abs(len(w) - len(word)) <= 1 and one_edit_apart(w, word) for w in self.words if len(w) >= 4)
        return len(word) >= 4 and word in self.squashed


def one_edit_apart(a: str, b: str) -> bool:
    """True when a and b differ by at most one insertion, deletion or substitution."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = j = 0
    edits = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            i += 1
            j += 1
            continue
        edits += 1
        if edits > 1:
            return False
        if len(a) == len(b):
            i += 1
        j += 1
    return edits + (len(b) - j) + (len(a) - i) <= 1


@dataclass
class Coverage:
    share: float  # weighted share of the image's salient words the description carries
    missing_lines: list[str]  # salient lines mostly left out, in reading order
    carried: int  # distinct salient words carried
    total: int
    lines_touched: float = 0.0  # share of the salient lines with a word carried (a summary touches most)


def coverage(words: ImageWords, description: str) -> Coverage:
    vocabulary = Vocabulary(description)
    total = sum(words.weights.values())
    carried_weight = 0.0
    carried = 0
    for word, weight in words.weights.items():
        if vocabulary.carries(word):
            carried_weight += weight
            carried += 1
    missing = []
    seen_lines = set()
    touched = with_words = 0
    for line, found in zip(words.lines, words.line_words):
        if not found:
            continue
        hits = sum(vocabulary.carries(w) for w in found)
        with_words += 1
        touched += hits > 0
        if hits < len(found) / 2 and line.text not in seen_lines:
            missing.append(line.text)
            seen_lines.add(line.text)
    share = carried_weight / total if total else 1.0
    return Coverage(share, missing, carried, len(words.weights), touched / with_words if with_words else 1.0)


def printed_words(seen: SeenText | None) -> set[str]:
    """Every word the image prints, case-folded as written (for the spelling checks)."""
    if seen is None or seen.problem:
        return set()
    return {fold(t) for line in seen.lines if line.confidence >= MIN_CONFIDENCE for t in tokens(line.text)}


def readable(seen: SeenText | None) -> bool:
    return seen is not None and seen.problem is None


def squash(text: str) -> str:
    """Letters and digits only, case-folded: 'LOCAL TRUST' and 'Local-Trust' agree."""
    return re.sub(r"[\W_]", "", fold(text))
