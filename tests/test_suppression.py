"""Silencing findings: a draft's `ignore` entry for one description, per-path
ignores in the configuration, and A199 for entries that silence nothing."""

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import jsonschema
import pytest

from auditor.config import load_settings, settings_from_dict
from auditor.engine import Engine
from auditor.errors import ConfigError, InputError
from auditor.inputs.drafts import read_draft
from auditor.resources import schema_path

IMAGES = Path(__file__).parent / "fixtures" / "drafts" / "images"
DOUBLED = "A map of the the high street, with the library and the market hall marked in red."
CLEAN = "A map of the high street, with the library and the market hall marked in red."


def draft(folder: Path, alt: str, extra: str = "", name: str = "draft.md") -> str:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.png").write_bytes((IMAGES / "event-banner.png").read_bytes())
    path = folder / name
    path.write_text(f'+++\n[[images]]\nfile = "a.png"\nalt = "{alt}"\n{extra}+++\nThe high street.\n', encoding="utf-8")
    return str(path)


def audit(path: str, config: dict | None = None):
    settings = settings_from_dict(config) if config else None
    return Engine(settings).audit_post(read_draft(path))


def codes(result) -> list[str]:
    """The codes these tests are about (rules other helpers add may also fire on the texts)."""
    return [f.code for f in result.all_findings() if f.code.startswith(("T40", "A199", "W301"))]


REASON = 'ignore-reason = "the street sign really says it twice"\n'


def test_ignore_silences_the_named_code_and_the_score_recovers(tmp_path):
    loud = audit(draft(tmp_path / "loud", DOUBLED))
    assert codes(loud) == ["T403"]
    quiet = audit(draft(tmp_path / "quiet", DOUBLED, 'ignore = ["T403"]\n' + REASON))
    assert codes(quiet) == []
    # Scored as if the rule had not run: the silenced finding costs nothing.
    unselected = audit(draft(tmp_path / "unselected", DOUBLED), {"ignore": ["T403"]})
    assert quiet.images[0].score == unselected.images[0].score and quiet.score == unselected.score
    assert quiet.images[0].score.value > loud.images[0].score.value


def test_ignore_takes_prefixes_and_only_the_named_codes(tmp_path):
    assert codes(audit(draft(tmp_path / "a", DOUBLED, 'ignore = ["t4"]\n' + REASON))) == []
    # Silencing another rule leaves T403 and reports the unused entry.
    assert sorted(codes(audit(draft(tmp_path / "b", DOUBLED, 'ignore = ["W301"]\n' + REASON)))) == ["A199", "T403"]


def test_an_entry_that_silences_nothing_is_reported_at_the_description(tmp_path):
    path = draft(tmp_path, CLEAN, 'ignore = ["T403"]\n' + REASON)
    result = audit(path)
    [found] = [f for f in result.all_findings() if f.code == "A199"]
    assert codes(result) == ["A199"] and "T403" in found.message and "remove it" in found.message
    assert found.image_index == 1
    assert found.location.path == path and (found.location.line, found.location.column) == (5, 11)  # the entry
    assert (found.location.end_line, found.location.end_column) == (5, 17)  # exclusive, after the quote


def test_a199_points_at_its_entry_in_a_multi_line_array_and_an_inline_table(tmp_path):
    path = draft(tmp_path / "multi", CLEAN, 'ignore = [\n  "T401",\n  "T403",\n]\n' + REASON)
    found = [(f.message, f.location.line, f.location.column) for f in audit(path).all_findings() if f.code == "A199"]
    assert sorted(x[1:] for x in found) == [(6, 3), (7, 3)]
    inline = tmp_path / "inline"
    inline.mkdir()
    (inline / "a.png").write_bytes((IMAGES / "event-banner.png").read_bytes())
    (inline / "draft.md").write_text(
        f'+++\nimages = [\n  {{ file = "a.png", alt = "{CLEAN}" }},\n  {{ file = "a.png", alt = "{CLEAN}", ignore = ["T403"], ignore-reason = "r" }},\n]\n+++\nThe high street.\n',
        encoding="utf-8",
    )
    [found] = [f for f in audit(str(inline / "draft.md")).all_findings() if f.code == "A199"]
    line = (inline / "draft.md").read_text().splitlines()[found.location.line - 1]
    assert found.location.line == 4 and line[found.location.column - 1 :].startswith('"T403"]')


def test_a_mistyped_code_is_reported_and_an_unselected_one_is_not(tmp_path):
    typo = audit(draft(tmp_path / "a", DOUBLED, 'ignore = ["T4O3"]\n' + REASON))
    assert sorted(codes(typo)) == ["A199", "T403"]
    assert "no selected rule" in next(f.message for f in typo.all_findings() if f.code == "A199")
    # W301 is a real rule that this run does not select: the entry cannot be judged.
    path = draft(tmp_path / "b", CLEAN, 'ignore = ["W301"]\n' + REASON)
    assert codes(audit(path, {"select": ["T", "A"]})) == []
    # A199 itself can be ignored or not selected.
    assert codes(audit(path, {"ignore": ["A199"]})) == []


def test_the_check_command_exits_clean_when_the_finding_is_silenced(tmp_path):
    def run(path):
        return subprocess.run(
            [sys.executable, "-P", "-m", "auditor.cli", "check", "--fail-on", "warning", path],
            capture_output=True, text=True, cwd=tmp_path,
        )

    assert run(draft(tmp_path / "loud", DOUBLED)).returncode == 1
    assert run(draft(tmp_path / "quiet", DOUBLED, 'ignore = ["T403"]\n' + REASON)).returncode == 0


BAD_IGNORES = [
    ('ignore = ["T403"]\n', "needs an 'ignore-reason'"),
    ('ignore = ["T403"]\nignore-reason = " "\n', "needs an 'ignore-reason'"),
    (REASON, "'ignore-reason' without 'ignore'"),
    ('ignore = []\n' + REASON, "'ignore' must be a list of rule codes"),
    ('ignore = "T403"\n' + REASON, "'ignore' must be a list of rule codes"),
    ('ignore = [""]\n' + REASON, "'ignore' must be a list of rule codes"),
]


@pytest.mark.parametrize("extra,words", BAD_IGNORES)
def test_bad_ignore_entries_are_one_line_errors_and_the_schema_agrees(tmp_path, extra, words):
    path = draft(tmp_path, DOUBLED, extra)
    with pytest.raises(InputError) as caught:
        read_draft(path)
    assert words in str(caught.value) and "\n" not in str(caught.value)
    front = Path(path).read_text().split("+++")[1]
    schema = json.loads(schema_path("draft.schema.json").read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(tomllib.loads(front), schema)


def test_good_ignore_entry_is_valid_for_the_schema(tmp_path):
    front = Path(draft(tmp_path, DOUBLED, 'ignore = ["T403", "W3"]\n' + REASON)).read_text().split("+++")[1]
    jsonschema.validate(tomllib.loads(front), json.loads(schema_path("draft.schema.json").read_text()))


def test_per_path_ignores_silence_matching_files_only(tmp_path):
    config = tmp_path / "altaudit.toml"
    config.write_text('[per-path-ignores]\n"drafts/legacy/*" = ["t403"]\n', encoding="utf-8")
    settings = load_settings(str(config))
    assert settings.per_path_ignores == {"drafts/legacy/*": ("T403",)}
    legacy = draft(tmp_path / "drafts" / "legacy", DOUBLED)
    current = draft(tmp_path / "drafts" / "current", DOUBLED)
    engine = Engine(settings)
    assert codes(engine.audit_post(read_draft(legacy))) == []
    assert codes(engine.audit_post(read_draft(current))) == ["T403"]
    # The same file named relative to the configuration's folder matches too.
    relative = subprocess.run(
        [sys.executable, "-P", "-m", "auditor.cli", "check", "--fail-on", "warning", "drafts/legacy/draft.md"],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert relative.returncode == 0, relative.stdout


@pytest.mark.parametrize("table", ['"x/*" = 3', '"x/*" = [1]', '"x/*" = [""]'])
def test_bad_per_path_ignores_are_configuration_errors(table):
    with pytest.raises(ConfigError, match="per-path-ignores"):
        settings_from_dict(tomllib.loads(f"[per-path-ignores]\n{table}\n"), "altaudit.toml")
    with pytest.raises(ConfigError, match="per-path-ignores"):
        settings_from_dict({"per-path-ignores": ["x"]}, "altaudit.toml")


def test_a_mistyped_per_path_code_is_a_configuration_error():
    settings = settings_from_dict({"per-path-ignores": {"drafts/*": ["T4O3"]}}, "altaudit.toml")
    with pytest.raises(ConfigError, match="unknown rule code or prefix 'T4O3'"):
        Engine(settings)
