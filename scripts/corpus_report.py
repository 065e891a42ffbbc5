"""How often each rule fires over the shared corpus of real alt texts.

    python scripts/corpus_report.py [--corpus ../shared/corpus] [--spelling-alarms FILE]

Corpus (see ../shared/corpus/SOURCES.md): allenai/hci-alt-texts (Apache-2.0),
3,006 author-written alt texts of figures in HCI papers; spcanelon/
TidyTuesdayAltText (CC BY 4.0, Silvia Canelón), 7,139 image tweets.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter
from pathlib import Path

from auditor.config import Settings
from auditor.engine import Engine
from auditor.model import Image, Post, Source
from auditor.rulebook import all_rules

ROOT = Path(__file__).resolve().parents[1]


def hci_posts(corpus: Path) -> list[Post]:
    posts = []
    with open(corpus / "hci_alt_text_dataset.jsonl", encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            source = Source(path="hci_alt_text_dataset.jsonl", line=number)
            posts.append(Post("", [Image(1, json.loads(line)["alt_text"], source=source)], ["en"], source))
    return posts


def tweet_posts(corpus: Path) -> list[Post]:
    posts = []
    with open(corpus / "tidytuesday_tweets_alt.csv", encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            source = Source(path="tidytuesday_tweets_alt.csv", line=number)
            posts.append(Post(row["text"], [Image(1, row["alt_text"], source=source)], ["en"], source))
    return posts


def fire_rates(posts: list[Post]):
    result = Engine(Settings()).audit(posts)
    texts = Counter()
    for post in result.posts:
        for code in {f.code for f in post.all_findings()}:
            texts[code] += 1
    return result, texts


def table(name: str, total: int, texts: Counter) -> str:
    titles = {rule.code: rule.title for rule in all_rules()}
    rows = [f"### {name} ({total:,} texts)", "", "| rule | what | texts flagged | share |", "|---|---|---:|---:|"]
    for code in sorted(texts):
        rows.append(f"| {code} | {titles[code]} | {texts[code]:,} | {100 * texts[code] / total:.1f}% |")
    return "\n".join(rows) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--spelling-alarms", type=Path, help="write every HCI T401 alarm to this TSV")
    args = parser.parse_args()
    hci = hci_posts(args.corpus)
    result, texts = fire_rates(hci)
    print(table("HCI alt texts", len(hci), texts))
    tweets = tweet_posts(args.corpus)
    print(table("TidyTuesday tweets", len(tweets), fire_rates(tweets)[1]))
    if args.spelling_alarms:
        with open(args.spelling_alarms, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, delimiter="\t")
            writer.writerow(["line", "word", "suggestion", "context"])
            for post in result.posts:
                alt = post.images[0].image.alt or ""
                for f in post.images[0].findings:
                    if f.code == "T401":
                        context = alt[max(0, f.span.start - 40) : f.span.end + 40].replace("\n", " ")
                        writer.writerow([post.post.source.line, alt[f.span.start : f.span.end], f.suggestion, context])


if __name__ == "__main__":
    main()
