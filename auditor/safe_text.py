"""Untrusted text made visible: descriptions come from other people's accounts.

Reports build rich `Text` objects (never markup strings), so `[bold]` stays
literal; this module also turns control characters, escape sequences and
invisible characters into visible escapes such as `\\x1b` or `\\u200b`, so that
nothing in a description can move the cursor, recolour the terminal or hide.
"""

from __future__ import annotations

import re
import unicodedata

# Categories Cc (controls), Cf (format: zero-width, bidi overrides), Zl/Zp
# (line/paragraph separators), Co/Cn (private use and unassigned) and Cs (lone
# surrogates: JSON allows "\ud800", but no UTF-8 stream can carry one).
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Cs"}
_KEEP = {"\n", "\u200d", "\ufe0f"}  # newline, emoji joiner and emoji variation selector
# Letters that render as nothing (Hangul fillers): shown as escapes too.
_BLANK_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0"}
# The characters _escape may change; compiled on first use (about 1 ms), since
# most texts are printable, or printable but for line breaks, and skip it.
_CANDIDATE_PATTERN = r"[\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u115f\u1160\u180e\u3164\uffa0\u200b-\u200f\ud800-\udfff\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff\U000e0000-\U000e007f\ue000-\uf8ff\U000f0000-\U0010ffff]"
_candidate = None


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _KEEP or (char not in _BLANK_LETTERS and unicodedata.category(char) not in _HIDDEN_CATEGORIES):
        return char
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible(text: str, keep_newlines: bool = True) -> str:
    """The text with every hidden or control character written as an escape."""
    global _candidate
    if (text.isprintable() or text.replace("\n", "").isprintable()) and not _BLANK_LETTERS.intersection(text):
        # Nothing to escape (isprintable is false for every hidden category; _escape keeps "\n").
        return text if keep_newlines else text.replace("\n", " ⏎ ")
    if _candidate is None:
        _candidate = re.compile(_CANDIDATE_PATTERN)
    shown = _candidate.sub(_escape, text)
    if not keep_newlines:
        shown = shown.replace("\n", " ⏎ ")
    return shown
