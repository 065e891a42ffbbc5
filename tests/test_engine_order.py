"""Which rules run (selection), in what order findings come (ordering), and which
findings a more telling rule replaces (superseding)."""

import pytest
from helpers import engine, post_of

from auditor.config import settings_from_dict
from auditor.engine import Engine
from auditor.errors import ConfigError
from auditor.model import Finding, Level, Span
from auditor.selection import effective_rules


def findings(alt, config=None):
    return engine(config).audit([post_of(alt)]).posts[0].images[0].findings


def codes(alt, config=None):
    return [f.code for f in findings(alt, config)]


# Selection


def test_select_runs_only_the_selected_rules():
    settings = settings_from_dict({"select": ["L2"]})
    assert {r.code for r in effective_rules(settings)} == {"L201", "L202", "L203", "L204"}
    # The emoji rule is not run; the length rules are.
    assert "W305" in codes("📢 A chart")
    assert codes("📢 A chart", config={"select": ["L2"]}) == ["L203"]
    assert codes("A chart.", config={"select": ["W"]}) == []


def test_a_superseded_finding_returns_when_its_superseding_rule_is_ignored():
    assert codes("A chart.") == ["L204"]
    assert codes("A chart.", config={"ignore": ["L204"]}) == ["L203"]


def test_unknown_codes_in_select_are_refused():
    with pytest.raises(ConfigError, match="unknown rule code or prefix 'L299'"):
        effective_rules(settings_from_dict({"select": ["L299"]}))


# Ordering: level first (errors before warnings before info), then where in
# the description, whole-description findings before located ones, then code.


def test_findings_come_by_level_then_position():
    alt = "igure 2 shows 📢 the the plan, see https://example.org/plan for the details"
    found = findings(alt)
    assert [(f.code, alt[f.span.start : f.span.end] if f.span else None) for f in found] == [
        ("T402", "igure 2"),
        ("W305", "📢"),
        ("T403", "the the"),
        ("W304", "https://example.org/plan"),
    ]


def test_whole_description_findings_lead_their_level_and_ties_go_by_code():
    from auditor.engine import _finding_order

    unsorted = [
        Finding("W304", Level.INFO, "", 1, Span(0, 4)),
        Finding("T403", Level.WARNING, "", 1, Span(5, 9)),
        Finding("W301", Level.WARNING, "", 1, Span(5, 9)),
        Finding("L203", Level.WARNING, "", 1, None),
        Finding("L201", Level.ERROR, "", 1, None),
    ]
    assert [f.code for f in sorted(unsorted, key=_finding_order)] == ["L201", "L203", "T403", "W301", "W304"]


# Superseding: a rule's `supersedes` codes are dropped where they overlap its span
# (everywhere, for a finding about the whole description).


def test_superseding_drops_only_overlapping_findings_of_the_listed_codes():
    eng = Engine()
    assert "T401" in eng.supersedes["T402"]
    lost = Finding("T402", Level.ERROR, "", 1, Span(0, 7))
    same_word = Finding("T401", Level.WARNING, "", 1, Span(0, 7))
    elsewhere = Finding("T401", Level.WARNING, "", 1, Span(20, 26))
    other_rule = Finding("T403", Level.WARNING, "", 1, Span(0, 7))
    kept = eng._drop_superseded([lost, same_word, elsewhere, other_rule])
    assert kept == [lost, elsewhere, other_rule]


def test_a_finding_about_the_whole_text_supersedes_everywhere():
    eng = Engine()
    assert "L203" in eng.supersedes["L204"]
    generic = Finding("L204", Level.WARNING, "", 1, None)
    short = Finding("L203", Level.WARNING, "", 1, None)
    opening = Finding("W301", Level.WARNING, "", 1, Span(0, 9))
    assert eng._drop_superseded([short, opening, generic]) == [generic]


def test_placeholder_supersedes_the_generic_and_short_findings_end_to_end():
    assert codes("Screenshot") == ["A102"]
    assert codes("Image of a chart.") == ["L204"]  # not W301's "Image of", not L203
