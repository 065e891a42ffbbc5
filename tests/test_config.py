"""Configuration: files found upwards, [tool.altaudit] in pyproject, overrides and errors."""

import pytest
from helpers import codes

from auditor.config import load_settings, settings_from_dict
from auditor.engine import Engine
from auditor.selection import effective_rules
from auditor.errors import ConfigError
from auditor.model import Level


def test_defaults_select_every_rule():
    settings = load_settings(start="/")
    assert settings.path is None and settings.fail_on is Level.ERROR
    assert len(effective_rules(settings)) >= 26


def test_pyproject_is_found_from_a_subfolder(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.altaudit]\nselect = ["T4"]\nfail-on = "warning"\n')
    (tmp_path / "drafts").mkdir()
    settings = load_settings(start=str(tmp_path / "drafts"))
    assert settings.path.endswith("pyproject.toml") and settings.fail_on is Level.WARNING
    assert {r.code[:2] for r in effective_rules(settings)} == {"T4"}


def test_altaudit_toml_wins_over_pyproject_in_the_same_folder(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.altaudit]\nselect = ["T4"]\n')
    (tmp_path / "altaudit.toml").write_text('ignore = ["R"]\n')
    settings = load_settings(start=str(tmp_path))
    assert settings.path.endswith("altaudit.toml") and "R701" not in {r.code for r in effective_rules(settings)}


def test_ignore_by_prefix_and_select_by_code():
    settings = settings_from_dict({"select": ["W", "T401"], "ignore": ["W30"]})
    # "W30" is a prefix of codes, not a range: W301-W309 go, W310 stays.
    assert {r.code for r in effective_rules(settings)} == {"T401", "W310"}


def test_rule_options_and_levels_are_overridden():
    config = {"rules": {"L202": {"max-graphemes": 50, "level": "info"}}}
    alt = "A long description of a busy market square with stalls, shoppers and pigeons."
    assert "L202" not in codes(alt)
    assert "L202" in codes(alt, config=config)
    rule = next(r for r in effective_rules(settings_from_dict(config)) if r.code == "L202")
    assert rule.level is Level.INFO and rule.options["max_graphemes"] == 50


def test_patterns_of_ones_own_are_not_held_to_the_rules_quick_tests():
    # T404's own quick tests look for '.', '!' or '?' before a capital; a
    # configured pattern for a missing space after a comma must still be tried.
    alt = "Volunteers at the stall,handing out leaflets."
    config = {"rules": {"T404": {"patterns": [r"(,)(?=[a-z])"], "replace": r"\1 "}}}
    assert "T404" not in codes(alt)
    assert "T404" in codes(alt, config=config)
    # T403's quick test wants a word written twice with a space between.
    doubled = {"rules": {"T403": {"patterns": [r"(?i)\b(\w+)-\1\b"]}}}
    assert "T403" not in codes("A pom-pom banner on the hall.")
    assert "T403" in codes("A pom-pom banner on the hall.", config=doubled)
    # Quick tests set along with the patterns stay in force.
    kept = {"rules": {"T404": {"patterns": [r"(,)(?=[a-z])"], "replace": r"\1 ", "requires": [";"]}}}
    assert "T404" not in codes(alt, config=kept)


def test_extra_words_silence_the_spelling_rule():
    alt = "Volunteers at the crowdfunder stall hand out leaflets to passers-by."
    assert "T401" in codes(alt)
    assert "T401" not in codes(alt, config={"words": ["crowdfunder"]})


def test_brands_enable_the_brand_rule():
    alt = "A green graphic for the launch event, with the Big Local logo at the top."
    assert "B602" not in codes(alt)
    assert "B602" in codes(alt, config={"brands": ["Local Trust"]})
    assert "B602" not in codes(alt, config={"brands": ["Big Local"]})


def test_penalties_are_configurable():
    settings = settings_from_dict({"scores": {"warning": 30}})
    from helpers import post_of

    result = Engine(settings).audit([post_of("Image of a dog running on a beach with a ball.")])
    score = result.posts[0].images[0].score
    assert [(d.code, d.points) for d in score.deductions] == [("W301", 30)]
    # 11 words earn round(16 * log2(12)) = 57; the warning now costs 30.
    assert score.value == 57 - 30


@pytest.mark.parametrize(
    "config,words",
    [
        ({"selekt": ["A"]}, "unknown setting 'selekt'"),
        ({"fail-on": "fatal"}, "not a level"),
        ({"words": "x", "brands": [1]}, "'brands' must be a list of strings"),
        ({"scores": {"error": 500}}, "0 to 100"),
        ({"rules": {"L202": {"max-lenght": 3}}}, "unknown option 'max_lenght'"),
        ({"rules": {"Z999": {}}}, "no such rule"),
        ({"select": ["Q"]}, "unknown rule code or prefix 'Q'"),
        ({"rules": {"L202": {"max-graphemes": "x"}}}, "rules.L202.max-graphemes must be a whole number"),
        ({"rules": {"R701": {"max-grade": "high"}}}, "rules.R701.max-grade must be a number"),
        ({"rules": {"W301": {"at-start": 1}}}, "must be true or false"),
        ({"rules": {"L202": {"penalty": "x"}}}, "penalty must be a whole number"),
        ({"scores": 3}, "'scores' must be a table"),
        ({"rules": {"B601": {"graphic-words": "../../x"}}}, "names no word list"),
        ({"rules": {"L203": {"subjects": [{"name": "x"}]}}}, "must be a list of tables like the rule's own"),
        ({"rules": {"L203": {"subjects": [{"name": "x", "min_words": "5", "words": ["a"]}]}}}, "must be a list of tables"),
        ({"rules": {"W301": {"patterns": ["("]}}}, "invalid regular expression"),
        ({"rules": {"T404": {"replace": "\\9"}}}, "refers to group 9"),
        ({"rules": {"T404": {"patterns": ["[.][A-Z]"]}}}, "T404.patterns: the replacement refers to group 1, but the patterns have 0"),
        ({"rules": {"T404": {"patterns": ["([.])([A-Z])"], "replace": "\\3"}}}, "refers to group 3, but the patterns have 2"),
        ({"rules": {"T403": {"exceptions": [1]}}}, "must be a list of strings"),
        ({"rules": {"W306": {"upper-ratio": 0.0}}}, "must be above 0"),
        ({"rules": {"W306": {"upper-ratio": 1.5}}}, "at most 1"),
        ({"select": ["", "A"]}, "'select' holds an empty string"),
        ({"rules": 3}, "'rules' must be a table"),
    ],
)
def test_bad_settings_are_one_line_errors(config, words):
    with pytest.raises(ConfigError) as caught:
        effective_rules(settings_from_dict(config, "altaudit.toml"))
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_invalid_toml_names_the_file(tmp_path):
    (tmp_path / "altaudit.toml").write_text("select = [\n")
    with pytest.raises(ConfigError, match="altaudit.toml: invalid TOML"):
        load_settings(start=str(tmp_path))
