"""The engine's shortcuts change nothing but the time: rules a whole-description
placeholder would supersede are not run, and a pattern rule's `requires_pattern`
spares its patterns. Each is checked against the same audit without it."""

from helpers import engine, post_of

from auditor.engine import Engine
from auditor.checks import pattern


def _findings(eng: Engine, *alts, text=""):
    result = eng.audit([post_of(*alts, text=text)]).posts[0]
    return [[(f.code, f.message, f.span and (f.span.start, f.span.end), f.suggestion) for f in r.findings] + [r.score.value]
            for r in result.images] + [result.score.value]


def test_the_placeholder_skips_exactly_what_it_supersedes():
    eng = engine()
    skipped = {rule.code: skip for rule, _, skip, _ in eng._image_checks if skip}
    assert skipped["A102"] >= {"L203", "L204", "T401", "T402"}
    # L204 supersedes L203 and W301, both of which A102 supersedes too: it may be skipped.
    assert "L204" in skipped["A102"]
    for code, skip in skipped.items():
        for other in skip:
            assert set(eng.supersedes.get(other, ())) <= set(eng.supersedes[code])


def _in_full() -> Engine:
    """An engine that calls every check on every described image: no skips, no gates."""
    full = engine()
    full._image_checks = [(rule, check, None, None) for rule, check, _, _ in full._image_checks]
    full._unread_checks = [(rule, check, None, None) for rule, check, _, _ in full._unread_checks]
    return full


def test_skipping_gives_the_audit_the_rules_would_give_run_in_full():
    full = _in_full()
    # Placeholders whole, padded with spaces (the finding then does not cover
    # the description and nothing is skipped), a file name, and real descriptions.
    for alts in (["Image"], ["  image "], ["IMG_0392.jpeg"], ["Screenshot"], ["Image", ""],
                 ["A photo of the the team at the launch.The hall was full."],
                 ["Image of a chart.", "Image"], ["alt text", "A cat asleep on a red sofa."]):
        assert _findings(engine(), *alts, text="Our day") == _findings(full, *alts, text="Our day")


def test_requires_pattern_spares_the_patterns_and_finds_what_they_find():
    options = {"patterns": [r"((?:[a-z]{2,}|[0-9])[.!?])([A-Z][a-z])"], "requires_pattern": "[.!?][A-Z]"}
    rule = pattern.prepared(options)
    assert rule.required.pattern == "[.!?][A-Z]"
    assert pattern.prepared({"patterns": ["x"]}).required is None
    # T404 end to end: flagged where the full stop meets the capital, and a text
    # with no such place is passed without trying the pattern.
    assert "T404" in [f[0] for f in _findings(engine(), "The logos are at the top.The cycle has three stages.")[0][:-1]]
    assert "T404" not in [f[0] for f in _findings(engine(), "See localtrust.org.uk for details. Then sign up.")[0][:-1]]


def test_a_requires_pattern_that_cannot_match_silences_the_rule():
    # Proof that the test is made: a configured requires_pattern that never matches
    # means the patterns are not tried at all.
    eng = engine({"rules": {"T404": {"requires_pattern": "(?!)"}}})
    assert "T404" not in [f[0] for f in _findings(eng, "The logos are at the top.The cycle has three stages.")[0][:-1]]


# Descriptions at the edges of the gates: lengths around the limits, the
# separators, marks and characters the gates look for, and none of them.
EDGES = [
    "A chart.", "Bar chart", "Screenshot of a website", "Read more", "x" * 80, "A " + "b" * 78, "A " + "b" * 79,
    "Ellen Ochoa, astronaut, NASA, space shuttle", "Ellen Ochoa; astronaut; NASA", "apples | pears | plums",
    "The cat sat. The cat sat. The cat sat on the mat.", "The cat sat on the mat\nThe cat sat on the mat",
    "Our team at the awards 🎉🏆", "Volunteers planting trees #BigLocal", "Speakers from @futuregov.bsky.social",
    "Register at https://bit.ly/4h6WBeR", "<script>alert(1)</script>", "A poster with a logo in the corner.",
    " ".join(["word"] * 39), " ".join(["word"] * 40), " ".join(["extraordinarily"] * 45) + ".",
    "a" * 1999, "a" * 2000, "a" * 2001, ("Long description. " * 120).strip(),
]


def test_gates_give_the_audit_every_check_called_would_give():
    full = _in_full()
    for alt in EDGES:
        assert _findings(engine(), alt, text="Our day") == _findings(full, alt, text="Our day"), alt


def test_doubled_words_test_finds_every_doubled_word_in_real_text():
    from auditor.checks.pattern import _neighbours_repeat

    for text in ("A map of the the high street.", "Residents in in the garden.", "don't t stop", "(the the)",
                 "She had had enough.", "Bye bye banner.", "The THE logo"):
        assert _neighbours_repeat(text), text
    assert not _neighbours_repeat("A map of the high street.")


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["the", "The", "THE", "a", "A", "x1", "1", "_", "'", "-", " ", "  ", ".", ",", "(", ")", "don", "t", "\n", "\t"]), max_size=30))
def test_doubled_words_test_never_misses_what_the_pattern_finds(parts):
    import re

    from auditor.checks.pattern import _neighbours_repeat
    from auditor.rulebook import rule_by_code

    text = "".join(parts)
    found = any(re.search(p, text) for p in rule_by_code("T403").options["patterns"])
    assert not found or _neighbours_repeat(text)
