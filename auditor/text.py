"""Small text helpers shared by the checks: words, sentences and graphemes with offsets.

Offsets are code-point indexes into the description, so findings can point
at the exact words they are about.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

# Letters, digits and the joiners that keep "community-led" or "don't" one token.
# Written as runs of letters and digits joined by runs of joiners, with possessive
# quantifiers (Python 3.11), it matches what r"[^\W_](?:[\w'’\-]*[^\W_])?" matches
# a fifth faster: every description is scanned by it several times.
WORD_RE = re.compile(r"[^\W_]++(?:[_'’\-]++[^\W_]++)*+")
# A sentence ends at ., ! or ? (possibly followed by closing quotes/brackets) before
# whitespace, or at a blank line.
SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+|\n\s*\n")
# The same ends with the ., ! or ? taken into the match rather than looked
# behind for (re tries a look-behind at every character: three times slower).
# Each match of one is a match of the other that starts a character earlier
# or, for a blank line, at the same place (tests/test_text_equivalence.py).
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+|\n\s*\n")
# Web and e-mail addresses: their parts are not words to spell-check or measure.
ADDRESS_RE = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.-]*://|www\.)\S+|\S+@\S+\.\w+")


class Token(NamedTuple):  # a tuple: made by the hundred thousand, so it must be cheap
    text: str
    start: int
    end: int


# Several rules split the same description: cache the last few answers.
@lru_cache(maxsize=16)
def words(text: str) -> tuple[Token, ...]:
    return tuple(Token(m.group(), m.start(), m.end()) for m in WORD_RE.finditer(text))


_WORD_SPLIT = re.compile(f"({WORD_RE.pattern})")
# The same for ASCII text, where [^\W_] is [A-Za-z0-9] and ’ cannot occur: a
# range test per character instead of a Unicode category look-up (a fifth
# fewer instructions over the corpus; tests/test_text_equivalence.py).
_ASCII_WORD_SPLIT = re.compile(r"([A-Za-z0-9]++(?:[_'\-]++[A-Za-z0-9]++)*+)")


@lru_cache(maxsize=16)
def word_parts(text: str) -> list[str]:
    """The text cut at its words: [between, word, between, word, ..., between],
    in one pass in C. The words are the odd items; a word's offset is the length
    of everything before it (scoring needs a few offsets, most checks none)."""
    return (_ASCII_WORD_SPLIT if text.isascii() else _WORD_SPLIT).split(text)


@lru_cache(maxsize=16)
def word_list(text: str) -> tuple[str, ...]:
    """The words without their positions (the spelling check, word counts)."""
    return tuple(word_parts(text)[1::2])


def word_count(text: str) -> int:
    return len(word_list(text))


# The post text's words are wanted by two rules for every image of the post.
@lru_cache(maxsize=16)
def word_set(text: str) -> frozenset[str]:
    """The text's words, case-folded, without their positions (from word_list,
    which the checks of a description have mostly made already)."""
    return frozenset(map(str.casefold, word_list(text)))


# A full stop after these ends an abbreviation, not a sentence ("9 a.m. here").
ABBREVIATIONS = frozenset(
    "a.m p.m e.g i.e etc approx c ca cf vs dr mr mrs ms st no nos fig figs incl esp "
    "approx est dept govt jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_CLOSERS = "\"'”’)]"


def _ends_with_abbreviation(piece: str) -> bool:
    # The run of letters, digits, "_" and "." before the piece's last full stop
    # (and any closing quotes or brackets after it), read backwards from the end:
    # a regular expression anchored at the end would scan the whole sentence.
    end = len(piece.rstrip(_CLOSERS))
    if end < 2 or piece[end - 1] != ".":
        return False
    start = end - 1
    while start and (piece[start - 1].isalnum() or piece[start - 1] in "_."):
        start -= 1
    word = piece[start : end - 1]
    # Abbreviations, and initials: "J. Smith", "c. 1900".
    return bool(word) and (word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isalpha()))


@lru_cache(maxsize=16)
def sentences(text: str) -> tuple[Token, ...]:
    """Sentences with their offsets, stripped of surrounding whitespace."""
    out: list[Token] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.start()
        if text[end] != "\n":
            end += 1  # the sentence keeps its full stop
            # (_ends_with_abbreviation of a piece that ends on its ., ! or ?,
            # read in the text: only a full stop ends an abbreviation.)
            if text[end - 1] == "." and end - start >= 2 and "\n\n" not in m.group() and _abbreviation_before(text, start, end):
                continue  # the sentence goes on after "e.g." or "J."
        elif "\n\n" not in m.group() and _ends_with_abbreviation(text[start:end]):
            continue
        # _append_stripped, inline: a piece after a sentence end starts on its
        # first word (the end took the spaces), so it is stripped once.
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            offset = start if not piece[0].isspace() else start + (len(piece) - len(piece.lstrip()))
            out.append(Token(stripped, offset, offset + len(stripped)))
        start = m.end()
    _append_stripped(out, text, start, len(text))
    return tuple(out)


def _abbreviation_before(text: str, start: int, end: int) -> bool:
    """_ends_with_abbreviation(text[start:end]) for a piece at least two long
    whose last character is its full stop, without the slice."""
    at = end - 1
    while at > start and (text[at - 1].isalnum() or text[at - 1] in "_."):
        at -= 1
    if at == end - 1:
        return False
    word = text[at : end - 1]
    return word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _append_stripped(out: list[Token], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        offset = start + (len(piece) - len(piece.lstrip()))
        out.append(Token(stripped, offset, offset + len(stripped)))


def normalise(text: str) -> str:
    """Lower-cased, whitespace-collapsed form used to compare descriptions."""
    return " ".join(text.split()).casefold()


@lru_cache(maxsize=1)
def _grapheme_re():
    # The third-party `regex` module counts extended grapheme clusters right; it is
    # imported only for descriptions long enough for the count to matter.
    import regex

    return regex.compile(r"\X")


def grapheme_count(text: str) -> int:
    """Number of user-perceived characters, as the Bluesky app counts them.

    Callers compare len(text) with their limit first: a text never has more
    graphemes than code points, so short texts need no count at all.
    """
    if text.isascii():
        # Every ASCII character is a grapheme of its own but a CR before a LF
        # (UAX #29, GB3-GB5: no ASCII character extends another), and `regex`,
        # whose import costs tens of milliseconds, is not needed.
        return len(text) - text.count("\r\n")
    return len(_grapheme_re().findall(text))  # a list in C: no Python step per grapheme
