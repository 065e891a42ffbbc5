"""How well M501 finds descriptions of several images pasted into one.

    .venv/bin/python scripts/eval_merged.py [--corpus DIR] [--seed N] [--markdown FILE]

The evaluation set is built from real descriptions of different images in
the shared corpus (../shared/corpus, see its SOURCES.md):

- the HCI alt texts (allenai/hci-alt-texts, Apache-2.0) not marked `compound`;
- the 215 custom TidyTuesday alt texts (spcanelon/TidyTuesdayAltText, CC BY 4.0);
- the non-empty Bluesky example alt texts (bobbiec/bluesky-alt-text, MIT).

The descriptions are split in two halves by their source item (an HCI paper,
a tweet, a Bluesky account), so that no paper lends descriptions to both: the
rule was tuned on the "tune" half, the "held-out" half was only measured.
Within each half, for each group size 2, 3 and 4, the descriptions are
shuffled with a fixed seed and cut into groups. Each group gives two posts:

- as posted: one description per image (every image described);
- pasted: all descriptions joined with a space in image 1, the others empty.

Figures: recall = pasted posts with an M501 finding on image 1; false alarms
= as-posted posts with any M501 finding. One-image posts of the HCI
`compound` descriptions (one figure made of several panels, described as one
image) must stay silent. As a harder negative, each single description is
also put on image 1 of a post of 2-4 images with the others empty (a
partly described post, A104's case): M501 should mostly stay silent there too.

--markdown writes the table between the eval-merged markers of FILE.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import zlib
from dataclasses import dataclass
from pathlib import Path

from doc_section import write_section  # scripts/ is first on the path when a script runs

from auditor.config import settings_from_dict
from auditor.engine import Engine
from auditor.model import Image, Post, Source

ROOT = Path(__file__).resolve().parents[1]
START = "<!-- eval-merged: start -->"
END = "<!-- eval-merged: end -->"
SIZES = (2, 3, 4)
NOT_CUSTOM = ("", "Image", "needs inspection")


@dataclass(frozen=True)
class Description:
    text: str
    origin: str  # hci | tidytuesday | bluesky
    item: str  # the paper, tweet or account it comes from: the unit of the split


def corpus_descriptions(corpus: Path) -> tuple[list[Description], list[str]]:
    """(descriptions of single images, HCI compound descriptions)."""
    singles: list[Description] = []
    compound: list[str] = []
    seen: set[str] = set()

    def add(text: str, origin: str, item: str) -> None:
        key = " ".join(text.split())
        if key and key not in seen:
            seen.add(key)
            singles.append(Description(text.strip(), origin, item))

    with open(corpus / "hci_alt_text_dataset.jsonl", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row["compound"]:
                compound.append(row["alt_text"])
            else:
                add(row["alt_text"], "hci", row["pdf_hash"])
    with open(corpus / "tidytuesday_tweets_alt.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["alt_text"] not in NOT_CUSTOM:
                add(row["alt_text"], "tidytuesday", row["tweet_id"])
    with open(corpus / "bluesky_top100_users_altrating.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            add(row["Alt text example"], "bluesky", row["DID"])
    return singles, compound


def half_of(item: str, seed: int) -> str:
    return "tune" if zlib.crc32(f"{seed}:{item}".encode()) % 2 == 0 else "held-out"


def groups(pool: list[Description], seed: int) -> list[list[Description]]:
    rng = random.Random(seed)
    out = []
    for size in SIZES:
        shuffled = list(pool)
        rng.shuffle(shuffled)
        out.extend(shuffled[i : i + size] for i in range(0, len(shuffled) - size + 1, size))
    return out


def _post(alts: list[str], label: str) -> Post:
    source = Source(path=label)
    return Post("", [Image(i, alt, source=source) for i, alt in enumerate(alts, start=1)], ["en"], source)


def as_posted(group: list[Description]) -> Post:
    return _post([d.text for d in group], "as-posted")


def pasted(group: list[Description]) -> Post:
    return _post([" ".join(d.text for d in group)] + [""] * (len(group) - 1), "pasted")


def m501_images(engine: Engine, post: Post) -> set[int]:
    result = engine.audit_post(post)
    return {i.image.index for i in result.images for f in i.findings if f.code == "M501"}


def evaluate(corpus: Path, seed: int) -> dict:
    engine = Engine(settings_from_dict({"select": ["M501"]}))
    singles, compound = corpus_descriptions(corpus)
    figures: dict = {}
    for half in ("tune", "held-out"):
        pool = [d for d in singles if half_of(d.item, seed) == half]
        rows = {}
        for size in SIZES:
            rows[size] = {"groups": 0, "recall": 0, "false": 0}
        for group in groups(pool, seed):
            row = rows[len(group)]
            row["groups"] += 1
            row["recall"] += 1 in m501_images(engine, pasted(group))
            row["false"] += bool(m501_images(engine, as_posted(group)))
        rng = random.Random(seed)
        partly = sum(
            bool(m501_images(engine, _post([d.text] + [""] * rng.choice((1, 2, 3)), "partly")))
            for d in pool
        )
        figures[half] = {"rows": rows, "partly": (partly, len(pool)), "descriptions": len(pool)}
    long_compound = [c for c in compound if len(c) >= 200]
    figures["compound"] = (
        sum(not m501_images(engine, _post([c], "compound")) for c in compound),
        len(compound),
        sum(not m501_images(engine, _post([c], "compound")) for c in long_compound),
        len(long_compound),
    )
    return figures


def pct(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}%" if total else "n/a"


def markdown(figures: dict, seed: int) -> str:
    lines = [
        f"Seed {seed}. Recall: pasted posts with M501 on image 1. False alarms: as-posted posts with any M501.",
        "",
        "| half | images a post | groups | recall (pasted) | false alarms (as posted) |",
        "|---|---:|---:|---:|---:|",
    ]
    for half in ("tune", "held-out"):
        rows = figures[half]["rows"]
        for size, row in rows.items():
            lines.append(
                f"| {half} | {size} | {row['groups']:,} | {row['recall']:,} ({pct(row['recall'], row['groups'])})"
                f" | {row['false']:,} ({pct(row['false'], row['groups'])}) |"
            )
        total = sum(r["groups"] for r in rows.values())
        recall = sum(r["recall"] for r in rows.values())
        false = sum(r["false"] for r in rows.values())
        lines.append(
            f"| **{half}** | all | {total:,} | **{recall:,} ({pct(recall, total)})** | **{false:,} ({pct(false, total)})** |"
        )
    lines += ["", "| negative set | posts | silent |", "|---|---:|---:|"]
    silent, total, long_silent, long_total = figures["compound"]
    lines.append(f"| HCI `compound` descriptions, one-image posts | {total:,} | {silent:,} ({pct(silent, total)}) |")
    lines.append(f"| … of them 200 characters or longer | {long_total:,} | {long_silent:,} ({pct(long_silent, long_total)}) |")
    for half in ("tune", "held-out"):
        flagged, total = figures[half]["partly"]
        lines.append(
            f"| one description on image 1 of 2-4 images, others empty ({half}) | {total:,} |"
            f" {total - flagged:,} ({pct(total - flagged, total)}) |"
        )
    return "\n".join(lines) + "\n"




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--markdown", type=Path, metavar="FILE")
    args = parser.parse_args()
    body = markdown(evaluate(args.corpus, args.seed), args.seed)
    print(body, end="")
    if args.markdown:
        write_section(args.markdown, body, START, END)


if __name__ == "__main__":
    main()
