#!/usr/bin/env python3
"""Build rules/words/frequent.txt: the dictionary's words, most frequent first.

Usage (wordfreq is needed only here, not by altaudit; see rules/words/README.md):

    pip install wordfreq==3.1.1
    python scripts/build_frequency_list.py [-n 40000] [-o OUTPUT]

Takes wordfreq's `top_n_list("en", N)` (its English frequencies, combined
from several corpora), keeps the words that rules/words/en.txt or extra.txt
holds (so that every listed word is a known word), and writes them one a line
in frequency order after a comment header. T402 ranks the words a lost first
letter could restore by this order ("ead" -> "head" before "bead").
"""

from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ROOT / "rules" / "words"


def main() -> None:
    import wordfreq

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=40000)
    parser.add_argument("-o", type=Path, default=WORDS / "frequent.txt")
    args = parser.parse_args()
    known = set((WORDS / "en.txt").read_text(encoding="utf-8").split("\n"))
    known.update(
        line.strip() for line in (WORDS / "extra.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    ranked = [w for w in wordfreq.top_n_list("en", args.n) if w in known]
    header = (
        f"# The words of en.txt and extra.txt among wordfreq {wordfreq.__version__ if hasattr(wordfreq, '__version__') else '3.1.1'}'s"
        f" {args.n:,} most frequent English words,\n# most frequent first (scripts/build_frequency_list.py;"
        " data CC BY-SA 4.0, see README.md).\n"
    )
    args.o.write_text(header + "\n".join(ranked) + "\n", encoding="utf-8")
    print(f"{len(ranked)} words written to {args.o}")


if __name__ == "__main__":
    main()
