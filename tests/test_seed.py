"""The Local Trust seed: the real faults of the project's first user, as posted
and as the profile shows descriptions pasted together (tests/fixtures/seed/)."""

from pathlib import Path

import pytest
from helpers import engine

from auditor.inputs.records import read_records

SEED = Path(__file__).parent / "fixtures" / "seed"


@pytest.fixture(scope="module")
def as_posted():
    return engine().audit(read_records(str(SEED / "as_posted.jsonl")))


@pytest.fixture(scope="module")
def pasted():
    return engine().audit(read_records(str(SEED / "pasted.jsonl")))


def findings_of(result, code):
    return [
        (post, image, finding)
        for post in result.posts
        for image in post.images
        for finding in image.findings
        if finding.code == code
    ]


def test_dropped_first_letter_is_caught_with_figure_2_suggested(as_posted):
    hits = findings_of(as_posted, "T402")
    assert len(hits) == 1
    post, image, finding = hits[0]
    assert image.image.index == 2 and len(post.images) == 3
    assert image.image.alt[finding.span.start : finding.span.end] == "igure 2"
    assert finding.suggestion == "Figure 2"


def test_every_pasted_variant_is_merged_text(pasted):
    assert len(pasted.posts) == 4
    for post in pasted.posts:
        first = post.images[0]
        assert "M501" in [f.code for f in first.findings], first.image.alt[:60]


def test_no_as_posted_description_is_merged(as_posted):
    assert findings_of(as_posted, "M501") == []
    assert [f for p in as_posted.posts for f in p.findings if f.code in ("M502", "A104")] == []


def test_the_two_tcpa_graphics_lack_their_logos(as_posted):
    flagged = [image.image.alt for _, image, _ in findings_of(as_posted, "B601")]
    assert len(flagged) == 2
    assert flagged[0].startswith("A graphic for a Launch Webinar")
    assert flagged[1].startswith("Graphic titled 'Practical Hope")


def test_graphics_that_name_their_logos_pass(as_posted):
    graphics = [
        image
        for post in as_posted.posts
        for image in post.images
        if "graphic" in image.image.alt.lower()[:60] and "logo" in image.image.alt.lower()
    ]
    assert len(graphics) >= 5
    for image in graphics:
        assert "B601" not in [f.code for f in image.findings]


def test_panel_event_is_too_short_for_a_photo(as_posted):
    hits = findings_of(as_posted, "L203")
    assert [image.image.alt for _, image, _ in hits] == ["Panel event for labour conference 2025."]
    assert "photo" in hits[0][2].message


SEED_WORDS = ["neighbourhood", "programme", "Burkinshaw", "Y-PERN", "3ni", "IPPR", "#BigLocal", "@futuregovforum.bsky.social"]


def test_no_spelling_alarm_anywhere_in_the_seed(as_posted, pasted):
    assert findings_of(as_posted, "T401") == []
    assert findings_of(pasted, "T401") == []


@pytest.mark.parametrize("word", SEED_WORDS)
def test_seed_spellings_and_names_pass_in_a_description(word):
    from helpers import codes

    alt = f"A banner about {word} and the neighbourhood programme, organised by residents."
    assert "T401" not in codes(alt)


def test_the_words_tested_are_the_seeds_own():
    # The names and spellings above come from the real posts (the fixtures are
    # verbatim), not from our imagination; #BigLocal is in the profile's bio,
    # which is not a post.
    posts = (SEED / "as_posted.jsonl").read_text(encoding="utf-8")
    for word in SEED_WORDS:
        if word != "#BigLocal":
            assert word in posts, word
