#!/usr/bin/env python3
"""Build rules/words/en.txt from the SCOWL size-70 lists that Debian ships.

Usage (see rules/words/README.md for fetching the two files):

    python scripts/build_wordlist.py BRITISH_FILE AMERICAN_FILE [-o OUTPUT]

The output is the union of both lists, NFC-normalised and lowercased, without
possessive entries ("...'s": auditor.dictionary accepts those from the stem)
and without entries holding anything but letters, apostrophes and hyphens;
deduplicated and sorted in Python's default str order, one word a line,
"\\n"-terminated. auditor.dictionary binary-searches this file as a single
string, so the sort order is a hard invariant.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "rules" / "words" / "en.txt"


def _allowed(word: str) -> bool:
    return bool(word) and all(ch.isalpha() or ch in "'-" for ch in word)


def normalise(entry: str) -> str | None:
    """The word as it goes into en.txt, or None when it is left out."""
    word = unicodedata.normalize("NFC", entry.strip()).lower()
    # Lowercasing can decompose a few letters; normalise again to stay NFC.
    word = unicodedata.normalize("NFC", word)
    if word.endswith("'s") or not _allowed(word):
        return None
    return word


def build(paths: list[Path]) -> list[str]:
    words: set[str] = set()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            word = normalise(line)
            if word is not None:
                words.add(word)
    return sorted(words)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("british", type=Path, help="british-english-large")
    parser.add_argument("american", type=Path, help="american-english-large")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    words = build([args.british, args.american])
    text = "".join(word + "\n" for word in words)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(text.encode("utf-8"))  # bytes: no platform newline translation
    print(
        f"wrote {args.output}: {len(words)} words, {len(text.encode('utf-8'))} bytes",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
