"""Every rule documents itself in the fixed sections, and its examples hold.

Like proselint's meta-test: a rule whose failing example is not flagged, or
whose passing example is, fails here.
"""

import pytest
from helpers import post_codes, codes

from auditor.rulebook import all_rules

RULES = all_rules()


def test_there_are_rules_in_every_family():
    prefixes = {rule.code[0] for rule in RULES}
    assert prefixes == {"A", "L", "W", "T", "M", "B", "R", "I"}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_every_section(rule):
    assert rule.docs.what and rule.docs.why, rule.code
    assert rule.docs.fails or rule.docs.fails_post, f"{rule.code} has no failing example"
    assert rule.docs.passes or rule.docs.passes_post, f"{rule.code} has no passing example"
    assert rule.title and rule.message and rule.fix
    assert rule.file.startswith(rule.code), "one rule a file, named after its code"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_failing_examples_are_flagged(rule):
    config = rule.docs.config or None
    for example in rule.docs.fails:
        image = rule.docs.fails_image or None
        assert rule.code in codes(example, text=rule.docs.post_text, config=config, image=image), example[:80]
    for alts in rule.docs.fails_post:
        image = rule.docs.fails_image or None
        assert rule.code in post_codes(list(alts), text=rule.docs.post_text, config=config, image=image), alts


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_passing_examples_pass(rule):
    config = rule.docs.config or None
    image = rule.docs.passes_image or None
    for example in rule.docs.passes:
        assert rule.code not in codes(example, text=rule.docs.post_text, config=config, image=image), example[:80]
    for alts in rule.docs.passes_post:
        assert rule.code not in post_codes(list(alts), text=rule.docs.post_text, config=config, image=image), alts
