"""How well T402 finds a first word that lost its first letter.

    .venv/bin/python scripts/eval_first_letter.py [--corpus DIR] [--markdown FILE] [--misses N]

The set is built from every real description in the shared corpus
(../shared/corpus, see its SOURCES.md): the HCI alt texts (allenai/hci-alt-texts,
Apache-2.0; a post with no text, as in scripts/corpus_report.py), the 215
custom TidyTuesday alt texts (spcanelon/TidyTuesdayAltText, CC BY 4.0; the
tweet text is the post text) and the non-empty Bluesky example alt texts
(bobbiec/bluesky-alt-text, MIT; no post text). A description takes part when
its first word matches `[A-Z][A-Za-z]{3,}` ("Figure" in "Figure_8_norm",
"FIGURE" in "FIGURE 16.2") and that word occurs once in the text; the edited
copy loses the first character ("igure_8_norm", "IGURE 16.2").

Figures: recall = edited descriptions with a T402 finding on the first word
whose suggestion restores the word; false alarms = unedited originals with any
T402 finding (over the originals of the set, and over every description).
The descriptions are split in two halves by source item, as in
scripts/eval_merged.py: "tune" was looked at while changing the rule,
"held-out" only measured.

--markdown writes the table between the eval-first-letter markers of FILE;
--misses prints that many missed edits and false alarms to read.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from doc_section import write_section  # scripts/ is first on the path when a script runs

from auditor.config import settings_from_dict
from auditor.engine import Engine
from auditor.model import Image, Post, Source

ROOT = Path(__file__).resolve().parents[1]
START = "<!-- eval-first-letter: start -->"
END = "<!-- eval-first-letter: end -->"
FIRST_WORD = re.compile(r"[A-Z][A-Za-z]{3,}")
NOT_CUSTOM = ("", "Image", "needs inspection")


@dataclass(frozen=True)
class Example:
    alt: str
    post_text: str
    origin: str
    item: str


def corpus_examples(corpus: Path) -> list[Example]:
    out: list[Example] = []
    seen: set[str] = set()

    def add(alt: str, post_text: str, origin: str, item: str) -> None:
        alt = alt.strip()
        if alt and alt not in seen:
            seen.add(alt)
            out.append(Example(alt, post_text, origin, item))

    with open(corpus / "hci_alt_text_dataset.jsonl", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            add(row["alt_text"], "", "hci", row["pdf_hash"])
    with open(corpus / "tidytuesday_tweets_alt.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["alt_text"] not in NOT_CUSTOM:
                add(row["alt_text"], row["text"], "tidytuesday", row["tweet_id"])
    with open(corpus / "bluesky_top100_users_altrating.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            add(row["Alt text example"], "", "bluesky", row["DID"])
    return out


def first_word(alt: str) -> str | None:
    """The word the construction removes a letter from, or None if the text takes no part."""
    match = FIRST_WORD.match(alt)
    if not match:
        return None
    word = match.group()
    if len(re.findall(rf"(?i)(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", alt)) != 1:
        return None
    return word


def half_of(item: str) -> str:
    return "tune" if zlib.crc32(item.encode()) % 2 == 0 else "held-out"


def findings(engine: Engine, alt: str, post_text: str):
    source = Source(path="eval")
    post = Post(post_text, [Image(1, alt, source=source)], ["en"], source)
    return [f for f in engine.audit_post(post).images[0].findings if f.code == "T402"]


def restored(found, word: str) -> bool:
    return any(f.span and f.span.start == 0 and (f.suggestion or "").startswith(word) for f in found)


def evaluate(corpus: Path, show: int = 0) -> dict:
    engine = Engine(settings_from_dict({"select": ["T402"]}))
    figures = {h: {"set": 0, "restored": 0, "flagged": 0, "false_set": 0, "all": 0, "false_all": 0} for h in ("tune", "held-out")}
    misses, alarms = [], []
    for example in corpus_examples(corpus):
        row = figures[half_of(example.item)]
        original = findings(engine, example.alt, example.post_text)
        row["all"] += 1
        row["false_all"] += bool(original)
        if original:
            alarms.append((example.alt[:90], original[0].suggestion))
        word = first_word(example.alt)
        if word is None:
            continue
        row["set"] += 1
        row["false_set"] += bool(original)
        edited = example.alt[1:]
        found = findings(engine, edited, example.post_text)
        row["flagged"] += bool(found)
        if restored(found, word):
            row["restored"] += 1
        else:
            misses.append((edited[:90], [f.suggestion for f in found]))
    if show:
        print("missed:")
        for text, got in misses[:show]:
            print(f"  {text!r} -> {got}")
        print("false alarms:")
        for text, got in alarms[:show]:
            print(f"  {text!r} -> {got}")
    return figures


def pct(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}%" if total else "n/a"


def markdown(figures: dict) -> str:
    lines = [
        "| half | edited descriptions | restored (recall) | flagged at all | false alarms on their originals | false alarms on every description |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for half, f in figures.items():
        lines.append(
            f"| {half} | {f['set']:,} | {f['restored']:,} ({pct(f['restored'], f['set'])}) | {f['flagged']:,} ({pct(f['flagged'], f['set'])})"
            f" | {f['false_set']:,} ({pct(f['false_set'], f['set'])}) | {f['false_all']:,} of {f['all']:,} ({pct(f['false_all'], f['all'])}) |"
        )
    return "\n".join(lines) + "\n"




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--markdown", type=Path, metavar="FILE")
    parser.add_argument("--misses", type=int, default=0, metavar="N")
    args = parser.parse_args()
    body = markdown(evaluate(args.corpus, args.misses))
    print(body, end="")
    if args.markdown:
        write_section(args.markdown, body, START, END)


if __name__ == "__main__":
    main()
