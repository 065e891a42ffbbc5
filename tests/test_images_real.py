"""The image rules on real figures with the descriptions their authors wrote,
held to the verdicts we wrote beside them (tests/fixtures/images/real)."""

import functools
import json
import tempfile
from pathlib import Path

import pytest

from auditor.config import Settings
from auditor.engine import Engine
from auditor.images.cache import SeenCache
from auditor.images.read import Reader
from auditor.model import Image, Post, Source

FOLDER = Path(__file__).parent / "fixtures" / "images" / "real"
CASES = [json.loads(line) for line in (FOLDER / "expected.jsonl").read_text(encoding="utf-8").splitlines()]


@functools.cache
def seen_all() -> dict:
    cache = SeenCache(Path(tempfile.mkdtemp(prefix="altaudit-real-")) / "images.sqlite3")
    with Reader(cache=cache, workers=2) as reader:
        found = reader.read_many([(FOLDER / case["file"]).read_bytes() for case in CASES])
    return {case["file"]: seen for case, seen in zip(CASES, found)}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["file"])
def test_real_images_get_the_verdict_we_judged(case):
    image = Image(1, case["alt"], file=case["file"], source=Source(path="<real>"))
    image.seen = seen_all()[case["file"]]
    assert image.seen.problem is None
    result = Engine(Settings()).audit_post(Post("", [image], source=Source(path="<real>")))
    found = {f.code for f in result.all_findings()}
    assert set(case["flag"]) <= found, (case["judged"], found)
    assert not set(case["pass"]) & found, (case["judged"], found)


def test_every_image_rule_meets_a_real_image_it_must_flag_or_pass():
    flagged = {code for case in CASES for code in case["flag"]}
    passed = {code for case in CASES for code in case["pass"]}
    assert {"I901", "I902"} <= flagged and {"I901", "I902"} <= passed


def _pair(first: str, second: str, swapped: bool) -> set:
    """Findings of a post of two real figures, with their authors' descriptions in order or swapped."""
    cases = {case["file"]: case for case in CASES}
    alts = [cases[first]["alt"], cases[second]["alt"]]
    if swapped:
        alts.reverse()
    images = []
    for index, (name, alt) in enumerate(zip((first, second), alts), start=1):
        image = Image(index, alt, file=name, source=Source(path="<real>"))
        image.seen = seen_all()[name]
        images.append(image)
    result = Engine(Settings(select=("I904",))).audit_post(Post("", images, source=Source(path="<real>")))
    return {(f.code, f.image_index) for f in result.all_findings()}


@pytest.mark.parametrize(
    "first, second",
    [
        # Both descriptions quote their screenshot's text.
        ("carpentries-sandpaper-docs-002.png", "carpentries-sandpaper-docs-006.png"),
        ("swcarpentry-shell-novice-001.png", "carpentries-instructor-training-001.png"),
        # Paraphrase: the bot's comment summarised, the workflow dialog quoted in part.
        ("carpentries-sandpaper-docs-004.png", "carpentries-sandpaper-docs-007.png"),
    ],
)
def test_real_descriptions_swapped_are_found_and_in_order_pass(first, second):
    assert _pair(first, second, swapped=True) == {("I904", 1), ("I904", 2)}
    assert _pair(first, second, swapped=False) == set()
