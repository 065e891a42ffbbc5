"""How often I904 finds two descriptions swapped, and how often it fires on the right order.

    .venv/bin/python scripts/eval_swapped_images.py [--real ../shared/images] [--cache FILE]

Every pair of real figures in --real (their authors' descriptions, from its
manifest.jsonl) whose images both hold text is audited as a two-image post,
once in the right order and once with the descriptions swapped. The labels
need no judging: a swapped pair must be flagged, the right order must not.
Images are read through the cache (a second run reads none).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from auditor.config import Settings
    from auditor.engine import Engine
    from auditor.images.cache import SeenCache
    from auditor.images.read import Reader
    from auditor.images.words import image_words
    from auditor.model import Image, Post, Source

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "images")
    parser.add_argument("--cache", type=Path, default=None, help="SQLite cache file (default: the user's)")
    args = parser.parse_args()
    entries = [json.loads(line) for line in (args.real / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    with Reader(cache=SeenCache(args.cache)) as reader:
        seen = reader.read_many([(args.real / e["file"]).read_bytes() for e in entries])
    with_text = [(e, s) for e, s in zip(entries, seen) if s.problem is None and image_words(s).count >= 5 and e["alt"].strip()]
    engine = Engine(Settings(select=("I904",)))

    def flagged(first, second, alts) -> bool:
        images = []
        for index, ((entry, read), alt) in enumerate(zip((first, second), alts), start=1):
            image = Image(index, alt, file=entry["file"], source=Source(path=entry["file"]))
            image.seen = read
            images.append(image)
        result = engine.audit_post(Post("", images, source=Source(path="<pair>")))
        return any(f.code == "I904" for f in result.all_findings())

    from auditor.images.words import coverage

    def carries_text(item) -> bool:
        entry, read = item
        return coverage(image_words(read), entry["alt"]).share >= 0.3

    all_pairs = list(itertools.combinations(with_text, 2))
    print(f"{len(with_text)} real images with text and a description")
    for label, pairs in (
        ("every pair", all_pairs),
        ("pairs whose descriptions both carry some of their image's text (30%+)", [p for p in all_pairs if all(map(carries_text, p))]),
    ):
        right = sum(flagged(a, b, (a[0]["alt"], b[0]["alt"])) for a, b in pairs)
        swapped = sum(flagged(a, b, (b[0]["alt"], a[0]["alt"])) for a, b in pairs)
        print(f"{label}: {len(pairs)} pairs")
        print(f"  swapped descriptions found:        {swapped}/{len(pairs)} = {swapped / max(1, len(pairs)):.1%}")
        print(f"  right order flagged (false alarm): {right}/{len(pairs)} = {right / max(1, len(pairs)):.1%}")


if __name__ == "__main__":
    main()
