"""--changed-since: the drafts changed since a git ref, in a real temporary repository."""

import subprocess
from pathlib import Path

import pytest

from auditor.changed import changed_inputs
from auditor.errors import InputError

IMAGES = Path(__file__).parent / "fixtures" / "drafts" / "images"


def git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(repo), "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def draft(path: Path, alt: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.parent / "a.png").write_bytes((IMAGES / "event-banner.png").read_bytes())
    path.write_text(f'+++\n[[images]]\nfile = "a.png"\nalt = "{alt}"\n+++\nA post about the market, with a long text body.\n', encoding="utf-8")


@pytest.fixture()
def repo(tmp_path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    for name in ("kept", "edited", "moved", "gone"):
        draft(tmp_path / "drafts" / f"{name}.md", f"The {name} draft: a map of the the high street with the library marked.")
    draft(tmp_path / "other" / "elsewhere.md", "A draft outside the drafts folder, on a map of the the high street.")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "drafts")
    git(tmp_path, "tag", "v1")
    draft(tmp_path / "drafts" / "edited.md", "The edited draft: a map of the the high street.")
    git(tmp_path, "mv", "drafts/moved.md", "drafts/renamed.md")
    git(tmp_path, "rm", "-q", "drafts/gone.md")
    git(tmp_path, "add", "drafts/edited.md")
    git(tmp_path, "commit", "-q", "-m", "changes")
    draft(tmp_path / "drafts" / "new.md", "A new, untracked draft: a map of the the high street and the library.")
    (tmp_path / "drafts" / "notes.txt").write_text("not a draft")
    draft(tmp_path / "other" / "elsewhere.md", "Changed too, but outside the folder asked for.")
    return tmp_path


def test_changed_renamed_and_new_drafts_deleted_and_unchanged_left_out(repo):
    found = changed_inputs("v1", ["drafts"], cwd=str(repo))
    assert sorted(found) == ["drafts/edited.md", "drafts/new.md", "drafts/renamed.md"]
    assert sorted(changed_inputs("v1", ["."], cwd=str(repo))) == [
        "drafts/edited.md", "drafts/new.md", "drafts/renamed.md", "other/elsewhere.md",
    ]
    # Since the last commit only the working-tree changes count.
    assert sorted(changed_inputs("HEAD", ["drafts", "other"], cwd=str(repo))) == ["drafts/new.md", "other/elsewhere.md"]


def test_paths_are_relative_to_the_working_folder(repo):
    assert sorted(changed_inputs("v1", ["."], cwd=str(repo / "drafts"))) == ["edited.md", "new.md", "renamed.md"]


def test_unknown_ref_and_no_repository_are_one_line_errors(repo, tmp_path_factory):
    with pytest.raises(InputError, match="unknown git ref 'nope'"):
        changed_inputs("nope", ["drafts"], cwd=str(repo))
    with pytest.raises(InputError, match="unknown git ref"):
        changed_inputs("--output=x", ["drafts"], cwd=str(repo))
    outside = tmp_path_factory.mktemp("plain")
    with pytest.raises(InputError, match="not inside a git repository") as caught:
        changed_inputs("main", ["."], cwd=str(outside))
    assert "\n" not in str(caught.value)


def test_the_check_command_audits_only_what_changed(repo):
    import subprocess
    import sys

    def altaudit(*args):
        return subprocess.run([sys.executable, "-P", "-m", "auditor.cli", "check", "-f", "concise", "--fail-on", "warning", *args],
                              capture_output=True, text=True, cwd=repo)

    run = altaudit("--changed-since", "v1", "drafts")
    files = {line.split(":")[0] for line in run.stdout.splitlines()}
    assert run.returncode == 1 and "T403" in run.stdout
    # Every draft has a doubled word: kept.md and other/elsewhere.md were not audited.
    assert files == {"drafts/edited.md", "drafts/new.md", "drafts/renamed.md"}
    quiet = altaudit("--changed-since", "HEAD", "drafts/edited.md")
    assert quiet.returncode == 0 and quiet.stdout == "" and "no drafts or record files changed since HEAD" in quiet.stderr
    bad = altaudit("--changed-since", "nope", "drafts")
    assert bad.returncode == 2 and bad.stderr.startswith("altaudit: error: --changed-since: unknown git ref 'nope'")
    assert len(bad.stderr.splitlines()) == 1


def test_git_runs_in_the_repository_of_the_paths_not_the_working_folder(repo, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")  # not a repository
    found = changed_inputs("v1", [str(repo / "drafts")], cwd=str(elsewhere))
    assert sorted(Path(name).name for name in found) == ["edited.md", "new.md", "renamed.md"]
    assert [Path(name).name for name in changed_inputs("v1", [str(repo / "drafts" / "edited.md")], cwd=str(elsewhere))] == ["edited.md"]


def test_changes_made_on_the_ref_after_the_branch_left_it_are_not_audited(repo):
    git(repo, "checkout", "-q", "-b", "feature")
    draft(repo / "drafts" / "feature.md", "Only on the feature branch: a map of the the high street.")
    git(repo, "add", "drafts/feature.md")
    git(repo, "commit", "-q", "-m", "feature")
    git(repo, "checkout", "-q", "main")
    draft(repo / "drafts" / "kept.md", "Changed on main after the branch: a map of the the high street.")
    git(repo, "commit", "-q", "-am", "main moves on")
    git(repo, "checkout", "-q", "feature")
    found = sorted(changed_inputs("main", ["drafts"], cwd=str(repo)))
    assert "drafts/feature.md" in found and "drafts/kept.md" not in found
