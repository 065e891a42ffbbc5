"""The whole verdict on every fixture: each finding and each score, compared as a whole.

Beside each input under tests/fixtures/{drafts,records,seed} lies, in the same
place under tests/expectations/ (a mirror folder, so that folder walks over the
fixtures never read an expectation as a record), a JSON file with what the
audit SHOULD say about it: for each post its line, score and post findings,
for each image its score and every finding as (code, offending text or null
for the whole description); and the input problems. A finding that another
rule adds as noise, or one that goes missing, fails the test here even where
the tests of that rule pass. The expectations were reviewed case by case
against the descriptions (tests/expectations/README.md).
"""

import json
from pathlib import Path

import pytest
from helpers import engine

from auditor.inputs.discover import read_path_items
from auditor.model import InputProblem

FIXTURES_DIR = Path(__file__).parent / "fixtures"
EXPECTED_DIR = Path(__file__).parent / "expectations"
ROOT = FIXTURES_DIR
KINDS = ("drafts", "records", "seed")
FIXTURES = sorted(
    p for kind in KINDS for p in (FIXTURES_DIR / kind).rglob("*") if p.suffix in (".md", ".json", ".jsonl") and p.name != "README.md"
)


def _finding(finding, alt):
    text = alt[finding.span.start : finding.span.end] if finding.span is not None else None
    return [finding.code, text]


def verdict(path: Path) -> dict:
    posts, problems = [], []
    audit = engine()
    for item in read_path_items(path):
        if isinstance(item, InputProblem):
            problems.append({"line": item.line, "message": item.message})
            continue
        result = audit.audit_post(item)
        posts.append(
            {
                "line": item.source.line,
                "score": result.score.value if result.score else None,
                "findings": [_finding(f, "") for f in result.findings],
                "images": [
                    {
                        "image": image.image.index,
                        "score": image.score.value,
                        "findings": [_finding(f, image.image.alt or "") for f in image.findings],
                    }
                    for image in result.images
                ],
            }
        )
    return {"posts": posts, "problems": problems}


def expected_file(path: Path) -> Path:
    return EXPECTED_DIR / (str(path.relative_to(FIXTURES_DIR)) + ".json")


def test_there_are_fixtures_of_every_kind():
    assert {p.relative_to(FIXTURES_DIR).parts[0] for p in FIXTURES} == set(KINDS)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(FIXTURES_DIR)))
def test_whole_verdict_matches_the_expectation(path):
    expected = expected_file(path)
    assert expected.is_file(), f"no expectation for {path.relative_to(FIXTURES_DIR)}: write {expected.relative_to(EXPECTED_DIR.parent)}"
    want = json.loads(expected.read_text(encoding="utf-8"))
    want.pop("notes", None)  # the reviewer's reasons, for people
    assert verdict(path) == want


def test_every_expectation_has_its_fixture():
    for expected in EXPECTED_DIR.rglob("*.json"):
        fixture = FIXTURES_DIR / str(expected.relative_to(EXPECTED_DIR))[: -len(".json")]
        assert fixture in FIXTURES, f"{expected} names no fixture"


# The flagged cases of tests/test_rule_cases.py, each with every finding it
# should raise: that test asks only that its rule is among them. Most short
# cases are also too short for their subject (L203), which is right: "Photo of
# volunteers." names a photo of people in three words.
WHOLE_RULE_CASES = [
    ("Photo of volunteers.", ["L203", "W301"]),
    ("Volunteers planting trees #BigLocal", ["L203", "W302"]),
    ("With @futuregovforum.bsky.social at the launch.", ["L203", "W303"]),
    # B601 asks a one-word poster for its logos: arguable, but a poster's logo
    # is part of what it shows (B601 is not this file's rule).
    ("A\u200bposter", ["B601", "L203", "W307", "text-not-given"]),
    ("Bell\x07", ["L203", "W307"]),
    ("The chart shows errros in the model.", ["L203", "T401", "chart-values"]),
    ("igure 2 shows a circular diagram titled “A vicious cycle”.", ["L203", "T402"]),  # a diagram has no values to ask for
    ("A map of the the high street.", ["L203", "T403"]),
    ("The logos are visible at the top.The cycle has three stages.", ["B603", "T404"]),
    ("Green graphic for an event titled “Building social capital for neighbourhoods.”", ["B601", "L203"]),
    ("Image of a dog on a beach.", ["W301"]),
    ("A chart.", ["L204", "chart-values"]),
    ("Ellen Ochoa, astronaut, NASA, space shuttle, women in science", ["W310"]),
    ("IMG_0392.jpeg", ["A103"]),
]


@pytest.mark.parametrize("alt,expected", WHOLE_RULE_CASES, ids=lambda v: v if isinstance(v, str) else None)
def test_rule_case_raises_exactly_what_it_should(alt, expected):
    from helpers import post_of

    image = engine().audit([post_of(alt)]).posts[0].images[0]
    # Every finding, and every deduction of the score that is not a rule's
    # (chart-values, text-not-given), so that nothing else creeps in.
    found = [f.code for f in image.findings] + [d.code for d in image.score.deductions if not d.code[0].isupper()]
    assert sorted(found) == sorted(expected)
