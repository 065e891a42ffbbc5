"""Shared helpers for the tests: build posts and run the engine on them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from auditor.config import Settings, settings_from_dict
from auditor.engine import Engine
from auditor.model import Image, Post, SeenText, Source, TextLine


def post_of(*alts: str | None, text: str = "", langs: list[str] | None = None, image: dict | None = None) -> Post:
    source = Source(path="<test>")
    fields = dict(image or {})
    seen = fields.pop("seen", None)
    images = [Image(i, alt, source=source, **fields) for i, alt in enumerate(alts, start=1)]
    if seen is not None:
        # Lines read from the image: one list for every image, or a list per image.
        per_image = seen if seen and isinstance(seen[0], list) else [seen] * len(images)
        for img, lines in zip(images, per_image):
            img.seen = seen_text(lines)
    return Post(text=text, images=images, langs=langs or [], source=source)


def seen_text(lines: list[str], height: int = 40) -> SeenText:
    """Text as an engine would have read it: one line under another, sure of every line."""
    read = [TextLine(t, 0.99, (10, 10 + n * 60, 10 + 20 * len(t), 10 + n * 60 + height)) for n, t in enumerate(lines)]
    return SeenText(read, "test", 0.0, 1000, 60 * len(lines) + 20)


def engine(config: dict | None = None) -> Engine:
    return Engine(settings_from_dict(config) if config else Settings())


def codes(alt: str | None, text: str = "", config: dict | None = None, image: dict | None = None) -> list[str]:
    """Codes of every finding on a one-image post."""
    result = engine(config).audit([post_of(alt, text=text, image=image)])
    return [f.code for f in result.all_findings()]


def post_codes(alts: list[str], text: str = "", config: dict | None = None, image: dict | None = None) -> list[str]:
    result = engine(config).audit([post_of(*alts, text=text, image=image)])
    return [f.code for f in result.all_findings()]


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def corpus_descriptions() -> list[tuple[str, str]]:
    """Every (alt text, post text) of the shared corpus: the HCI figure
    descriptions with no post text, then each tweet's alt text and its text."""
    pairs = []
    with open(CORPUS / "hci_alt_text_dataset.jsonl", encoding="utf-8") as lines:
        pairs += [(json.loads(line)["alt_text"], "") for line in lines]
    with open(CORPUS / "tidytuesday_tweets_alt.csv", encoding="utf-8", newline="") as handle:
        pairs += [(row["alt_text"], row["text"] or "") for row in csv.DictReader(handle)]
    return pairs
