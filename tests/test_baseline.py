"""The baseline: written once, then only findings not in it are reported; matched
on content so that edits elsewhere in the file keep a finding known."""

import json
import os
from pathlib import Path

import pytest

from auditor.baseline import Baseline
from auditor.config import settings_from_dict
from auditor.engine import Engine
from auditor.errors import InputError
from auditor.inputs.drafts import read_draft

IMAGES = Path(__file__).parent / "fixtures" / "drafts" / "images"
DOUBLED = "A map of the the high street, with the library and the market hall marked in red."
TWICE = "A map of the the high street and a plan of the the market hall, both marked in red."


def draft(folder: Path, *alts: str, before: str = "", name: str = "draft.md") -> str:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.png").write_bytes((IMAGES / "event-banner.png").read_bytes())
    tables = "".join(f'\n[[images]]\nfile = "a.png"\nalt = "{alt}"\n' for alt in alts)
    path = folder / name
    path.write_text(f"+++\n{before}{tables}+++\nThe high street.\n", encoding="utf-8")
    return str(path)


def run(baseline_path: str, *drafts: str, update: bool = False) -> tuple[Baseline, list[str]]:
    """One audit through the baseline; the codes it still reports."""
    baseline = Baseline.load(baseline_path, rewrite=update)
    # One rule: what the baseline does does not depend on which rules fire.
    engine = Engine(settings_from_dict({"select": ["T403"]}))
    shown = []
    for path in drafts:
        result = baseline.filter(engine.audit_post(read_draft(path)))
        shown += [f.code for f in result.all_findings()]
    if update or not baseline.exists:
        baseline.write()
    return baseline, shown


def test_first_run_writes_every_finding_then_nothing_is_new(tmp_path):
    path = draft(tmp_path, DOUBLED)
    file = str(tmp_path / "baseline.json")
    first, shown = run(file, path)
    assert not first.exists and shown == ["T403"]
    data = json.loads(Path(file).read_text())
    assert data["format"] == "altaudit-baseline"
    assert [(e["path"], e["code"], e["count"], e["text"]) for e in data["findings"]] == [("draft.md", "T403", 1, "the the")]
    second, shown = run(file, path)
    assert second.exists and shown == [] and second.hidden == 1


def test_a_finding_survives_edits_elsewhere_in_the_file(tmp_path):
    path = draft(tmp_path, DOUBLED)
    file = str(tmp_path / "baseline.json")
    run(file, path)
    # New lines above, another image before it, the description rewritten around the words.
    draft(tmp_path, "Two dogs run across a wet beach at low tide.", "A new plan: the the high street.", before='langs = ["en"]\n\n\n')
    _, shown = run(file, path)
    assert shown == []


def test_new_words_and_a_further_copy_are_new(tmp_path):
    path = draft(tmp_path, DOUBLED)
    file = str(tmp_path / "baseline.json")
    run(file, path)
    draft(tmp_path, DOUBLED, "Residents sit in in the garden of the community centre on a sunny afternoon, reading.")
    baseline, shown = run(file, path)
    assert shown == ["T403"] and baseline.hidden == 1
    # The same words twice where the baseline knew them once: the second copy is new.
    draft(tmp_path, TWICE)
    _, shown = run(file, path)
    assert shown == ["T403"]


def test_same_words_in_another_file_are_new(tmp_path):
    one = draft(tmp_path, DOUBLED, name="one.md")
    other = draft(tmp_path, DOUBLED, name="other.md")
    file = str(tmp_path / "baseline.json")
    run(file, one)
    _, shown = run(file, one, other)
    assert shown == ["T403"]


def test_update_drops_fixed_findings_and_keeps_files_not_audited(tmp_path):
    one = draft(tmp_path, TWICE, name="one.md")
    other = draft(tmp_path, DOUBLED, name="other.md")
    file = str(tmp_path / "baseline.json")
    run(file, one, other)
    draft(tmp_path, DOUBLED, name="one.md")  # one of the two fixed
    baseline, shown = run(file, one)
    assert shown == [] and baseline.fixed == 1
    run(file, one, update=True)
    entries = {(e["path"], e["count"]) for e in json.loads(Path(file).read_text())["findings"]}
    assert entries == {("one.md", 1), ("other.md", 1)}  # other.md was not audited: kept
    # Now the second copy comes back: it is new again.
    draft(tmp_path, TWICE, name="one.md")
    _, shown = run(file, one)
    assert shown == ["T403"]
    # A file that is gone drops out when the baseline is rewritten.
    os.remove(other)
    run(file, one, update=True)
    assert {e["path"] for e in json.loads(Path(file).read_text())["findings"]} == {"one.md"}


def test_paths_are_relative_to_the_baseline_not_the_working_folder(tmp_path, monkeypatch):
    path = draft(tmp_path / "drafts", DOUBLED)
    file = str(tmp_path / "baseline.json")
    run(file, path)
    monkeypatch.chdir(tmp_path / "drafts")
    _, shown = run(file, "draft.md")
    assert shown == []
    assert json.loads(Path(file).read_text())["findings"][0]["path"] == "drafts/draft.md"


@pytest.mark.parametrize("content", ["not json", "[]", '{"format": "other", "version": 1, "findings": []}',
                                     '{"format": "altaudit-baseline", "version": 1, "findings": [{"path": 1}]}'])
def test_a_file_that_is_not_a_baseline_is_a_one_line_error(tmp_path, content):
    file = tmp_path / "baseline.json"
    file.write_text(content)
    with pytest.raises(InputError, match="not an altaudit baseline") as caught:
        Baseline.load(str(file))
    assert "\n" not in str(caught.value)


def test_writing_is_atomic_and_an_interrupted_write_keeps_the_old_file(tmp_path, monkeypatch):
    path = draft(tmp_path, DOUBLED)
    file = tmp_path / "baseline.json"
    run(str(file), path)
    before = file.read_bytes()

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    draft(tmp_path, "Residents sit in in the garden of the community centre on a sunny afternoon, reading.")
    with pytest.raises(KeyboardInterrupt):
        run(str(file), path, update=True)
    assert file.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "baseline.json", "draft.md"]


def altaudit(cwd: Path, *args: str):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-P", "-m", "auditor.cli", "check", "--select", "T403", *args], cwd=cwd, capture_output=True, text=True)


def test_the_check_command_with_a_baseline(tmp_path):
    draft(tmp_path, DOUBLED)
    first = altaudit(tmp_path, "--fail-on", "warning", "--baseline", "base.json", "draft.md")
    assert first.returncode == 0 and "baseline base.json written with 1 finding" in first.stderr
    assert "T403" in first.stdout  # the first run still shows what it accepted
    again = altaudit(tmp_path, "--fail-on", "warning", "--baseline", "base.json", "-f", "concise", "draft.md")
    assert again.returncode == 0 and again.stdout == "" and "1 finding in the baseline not shown" in again.stderr
    draft(tmp_path, DOUBLED, "Residents sit in in the garden of the community centre on a sunny afternoon, reading.")
    new = altaudit(tmp_path, "--fail-on", "warning", "--baseline", "base.json", "-f", "concise", "draft.md")
    assert new.returncode == 1 and new.stdout.count("T403") == 1 and "in in" in new.stdout
    # Fixed in the draft: reported as gone, dropped when rewritten.
    draft(tmp_path, "Residents sit in in the garden of the community centre on a sunny afternoon, reading.")
    gone = altaudit(tmp_path, "--fail-on", "warning", "--baseline", "base.json", "draft.md")
    assert gone.returncode == 1 and "1 finding in the baseline no longer found" in gone.stderr
    rewrite = altaudit(tmp_path, "--baseline", "base.json", "--update-baseline", "--fail-on", "warning", "draft.md")
    assert rewrite.returncode == 0
    assert [e["text"] for e in json.loads((tmp_path / "base.json").read_text())["findings"]] == ["in in"]
    bad = altaudit(tmp_path, "--update-baseline", "draft.md")
    assert bad.returncode == 2 and bad.stderr == "altaudit: error: --update-baseline needs --baseline FILE\n"
