"""How often each rule fires on real alt texts written by people outside this project.

    .venv/bin/python scripts/corpus_report.py [--corpus DIR] [--markdown FILE]
                                              [--spelling-alarms FILE.tsv]

Runs every rule with the default settings over the shared corpus
(../shared/corpus; see its SOURCES.md) and prints one Markdown table per
corpus: for each rule, the number and share of texts where it fires.

- hci_alt_text_dataset.jsonl, from allenai/hci-alt-texts
  (data/hci-alt-text-dataset-20220915.jsonl, Apache-2.0): 3,006 author-written
  alt texts of figures in HCI papers. Each becomes a post with no text (the
  figure caption is not a post) and one image.
- tidytuesday_tweets_alt.csv, from spcanelon/TidyTuesdayAltText
  (data-raw/ttTweetsAll.csv, CC BY 4.0, Silvia Canelón): 7,139 image tweets.
  Each becomes a post with the tweet text and one image; "Image" is Twitter's
  default description and an empty one means none. The 250 tweets whose alt
  text reads "needs inspection" are left out: that is the scraper's marker
  for a failure (the dataset's own data-raw/ttTweets_load.R turns it into
  "ScrapingError"), so their real description is unknown. The table gives the
  rates over all the other tweets and over the 215 with a custom description.

--markdown writes the tables between the lines START and END (below) of FILE,
replacing what was there, or appends them when FILE has no such section.
--spelling-alarms writes every T401 (spelling) finding on the HCI texts to a
TSV file, one alarm a line, to be sorted by hand into misspellings and correct
words (docs/false-alarms.md).
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter
from pathlib import Path

from doc_section import write_section  # scripts/ is first on the path when a script runs

from auditor.config import Settings
from auditor.engine import Engine
from auditor.model import AuditResult, Image, Post, Source
from auditor.rulebook import all_rules

ROOT = Path(__file__).resolve().parents[1]
HCI = "hci_alt_text_dataset.jsonl"
TWEETS = "tidytuesday_tweets_alt.csv"
SCRAPING_ERROR = "needs inspection"
START = "<!-- corpus-report: start -->"
END = "<!-- corpus-report: end -->"


def hci_posts(corpus: Path) -> list[Post]:
    """One post per HCI alt text; its text id is the line number in the file."""
    posts = []
    with open(corpus / HCI, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            source = Source(path=HCI, line=number)
            alt = json.loads(line)["alt_text"]
            posts.append(Post("", [Image(1, alt, source=source)], ["en"], source))
    return posts


def tweet_posts(corpus: Path) -> list[Post]:
    """One post per tweet with a known description; its text id is the tweet id."""
    posts = []
    with open(corpus / TWEETS, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["alt_text"] == SCRAPING_ERROR:
                continue
            source = Source(path=TWEETS, uri=row["tweet_id"])
            image = Image(1, row["alt_text"] or "", source=source)
            posts.append(Post(row["text"], [image], ["en"], source))
    return posts


def texts_flagged(result: AuditResult) -> Counter:
    """Rule code -> number of posts (here: texts) with at least one finding of it."""
    return Counter(code for post in result.posts for code in {f.code for f in post.all_findings()})


def table(heading: str, columns: list[tuple[str, AuditResult]]) -> str:
    """One row per rule; for each column (a set of texts) the texts flagged and their share."""
    counts = [(label, len(result.posts), texts_flagged(result)) for label, result in columns]
    head = "".join(f" {label}: texts flagged | % of {total:,} |" for label, total, _ in counts)
    lines = [f"### {heading}", "", "| rule | title |" + head, "|---|---|" + "---:|---:|" * len(counts)]
    for rule in sorted(all_rules(), key=lambda r: r.code):
        cells = "".join(f" {n[rule.code]:,} | {100 * n[rule.code] / total:.1f}% |" for _, total, n in counts)
        lines.append(f"| {rule.code} | {rule.title} |{cells}")
    return "\n".join(lines) + "\n"




def write_spelling_alarms(path: Path, result: AuditResult) -> int:
    """Every T401 finding: text id (line of the HCI file), word, suggestion, snippet."""
    alarms = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(["line", "word", "suggestion", "snippet"])
        for post in result.posts:
            for image in post.images:
                alt = image.image.alt or ""
                for f in image.findings:
                    if f.code == "T401":
                        snippet = " ".join(alt[max(0, f.span.start - 50) : f.span.end + 50].split())
                        writer.writerow([post.post.source.line, alt[f.span.start : f.span.end], f.suggestion, snippet])
                        alarms += 1
    return alarms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--markdown", type=Path, metavar="FILE", help="write the tables into this file's section")
    parser.add_argument("--spelling-alarms", type=Path, metavar="TSV", help="write every HCI T401 finding here")
    args = parser.parse_args()

    engine = Engine(Settings())  # default settings: every rule
    hci_result = engine.audit(hci_posts(args.corpus))
    tweets = engine.audit(tweet_posts(args.corpus))
    custom = AuditResult([p for p in tweets.posts if p.post.images[0].alt not in ("", "Image")])
    tables = "\n".join([
        table("HCI alt texts (allenai/hci-alt-texts)", [("HCI", hci_result)]),
        table("TidyTuesday tweets (spcanelon/TidyTuesdayAltText)", [("all", tweets), ("custom alt", custom)]),
    ])
    print(tables, end="")
    if args.markdown:
        write_section(args.markdown, tables, START, END)
    if args.spelling_alarms:
        alarms = write_spelling_alarms(args.spelling_alarms, hci_result)
        print(f"\n{alarms} T401 alarms on HCI texts written to {args.spelling_alarms}")


if __name__ == "__main__":
    main()
