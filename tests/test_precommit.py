"""The hook in .pre-commit-hooks.yaml, run by the real pre-commit in a temporary
drafts repository: pre-commit clones this checkout at a release tag, installs
it into its own environment (from the package index pip is configured with)
and runs `altaudit check` on the drafts being committed."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from auditor import __version__

ROOT = Path(__file__).resolve().parents[1]
IMAGES = Path(__file__).parent / "fixtures" / "drafts" / "images"
BAD = "igure 2 shows the route of the cycle ride through the park, from the gate to the lake."
GOOD = "Figure 2 shows the route of the cycle ride through the park, from the gate to the lake."


def git(cwd: Path, *args: str, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, env=env or ENV, capture_output=True, text=True, check=check)


ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Drafts", "GIT_AUTHOR_EMAIL": "drafts@example.org",
    "GIT_COMMITTER_NAME": "Drafts", "GIT_COMMITTER_EMAIL": "drafts@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """This checkout's files as they are now, committed and tagged as a release would be."""
    repo = tmp_path_factory.mktemp("altaudit-release")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "release")
    tag = f"v{__version__}"
    git(repo, "tag", tag)
    return repo, tag


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict:
    # pre-commit's own cache (the cloned hook and its environment), shared by this module's tests.
    return {**ENV, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home"))}


def drafts_repo(folder: Path, hook_repo: tuple[Path, str], alt: str) -> Path:
    repo, tag = hook_repo
    folder.mkdir(exist_ok=True)
    git(folder, "init", "-q", "-b", "main")
    (folder / "a.png").write_bytes((IMAGES / "event-banner.png").read_bytes())
    write_draft(folder, alt)
    (folder / "README.md").write_text("# Our drafts\n\nNot a draft: skipped by the hook.\n")
    (folder / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo}\n    rev: {tag}\n    hooks:\n      - id: altaudit\n"
    )
    git(folder, "add", "-A")
    return folder


def write_draft(folder: Path, alt: str) -> None:
    (folder / "ride.md").write_text(f'+++\n[[images]]\nfile = "a.png"\nalt = "{alt}"\n+++\nThe ride is on Sunday.\n')


def pre_commit(folder: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-P", "-m", "pre_commit", *args], cwd=folder, env=env, capture_output=True, text=True, timeout=600
    )


def test_pre_commit_run_flags_the_bad_draft_and_passes_the_good_one(tmp_path, hook_repo, env):
    bad = drafts_repo(tmp_path / "bad", hook_repo, BAD)
    run = pre_commit(bad, env, "run", "--all-files")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "altaudit" in run.stdout and "Failed" in run.stdout
    assert "ride.md" in run.stdout and "T402" in run.stdout and "Figure 2" in run.stdout
    good = drafts_repo(tmp_path / "good", hook_repo, GOOD)
    run = pre_commit(good, env, "run", "--all-files")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Passed" in run.stdout and "T402" not in run.stdout


def test_the_installed_hook_refuses_the_commit_until_the_draft_is_fixed(tmp_path, hook_repo, env):
    folder = drafts_repo(tmp_path, hook_repo, BAD)
    assert pre_commit(folder, env, "install").returncode == 0
    refused = git(folder, "commit", "-q", "-m", "bad draft", check=False, env=env)
    assert refused.returncode != 0 and "T402" in refused.stdout + refused.stderr
    assert git(folder, "rev-parse", "--verify", "HEAD", check=False).returncode != 0  # nothing committed
    write_draft(folder, GOOD)
    git(folder, "add", "ride.md")
    accepted = git(folder, "commit", "-q", "-m", "good draft", check=False, env=env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert git(folder, "log", "--format=%s").stdout.strip() == "good draft"


# -- the GitHub Action: its audit step run here as the runner would run it ------------


def run_action_step(folder: Path, tmp_path: Path, **inputs: str) -> tuple[subprocess.CompletedProcess, dict, str]:
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs.txt"
    env = {
        **ENV,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(outputs),
        **{f"ALTAUDIT_{key.upper()}": value for key, value in inputs.items()},
    }
    run = subprocess.run(["bash", str(ROOT / "scripts" / "github_action.sh")], cwd=folder, env=env, capture_output=True, text=True)
    values = dict(line.split("=", 1) for line in outputs.read_text().splitlines()) if outputs.exists() else {}
    return run, values, summary.read_text() if summary.exists() else ""


def test_action_step_writes_sarif_annotations_summary_and_outputs(tmp_path, hook_repo):
    import json

    folder = drafts_repo(tmp_path / "drafts", hook_repo, BAD)
    run, outputs, summary = run_action_step(folder, tmp_path, paths="ride.md README.md")
    assert run.returncode == 0, run.stderr  # the action's last step fails the job, from exit-code
    assert outputs == {"sarif-file": "altaudit.sarif", "markdown-file": "altaudit.md", "exit-code": "1"}
    # An annotation on the description's words: line 4, column 8 is where "igure" starts.
    assert "::error file=ride.md,line=4,col=8," in run.stdout
    sarif = json.loads((folder / "altaudit.sarif").read_text())
    [result] = sarif["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert result["ruleId"] == "T402" and (region["startLine"], region["startColumn"]) == (4, 8)
    assert "T402" in summary and summary == (folder / "altaudit.md").read_text()
    write_draft(folder, GOOD)
    run, outputs, _ = run_action_step(folder, tmp_path, paths="ride.md")
    assert outputs["exit-code"] == "0"


def test_action_step_refuses_a_missing_baseline(tmp_path, hook_repo):
    folder = drafts_repo(tmp_path / "drafts", hook_repo, BAD)
    run, outputs, _ = run_action_step(folder, tmp_path, baseline="missing.json")
    assert run.returncode == 2 and "baseline 'missing.json' not found" in run.stderr and outputs == {}


def test_action_step_names_only_the_reports_it_wrote(tmp_path, hook_repo):
    folder = drafts_repo(tmp_path / "drafts", hook_repo, BAD)
    run, outputs, _ = run_action_step(folder, tmp_path, paths="ride.md", config="missing.toml")
    assert run.returncode == 0 and outputs == {"exit-code": "2"}, run.stderr
    assert not (folder / "altaudit.sarif").exists()


def test_the_pull_request_comment_cannot_fail_the_job():
    import yaml

    action = yaml.safe_load((ROOT / "action.yml").read_text())
    [comment] = [step for step in action["runs"]["steps"] if "gh pr comment" in step.get("run", "")]
    assert comment["continue-on-error"] is True  # a fork's read-only token
    assert "steps.audit.outputs.markdown-file != ''" in comment["if"]


def test_action_yml_passes_every_input_the_script_reads():
    import re

    import yaml

    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    [audit] = [step for step in action["runs"]["steps"] if step.get("id") == "audit"]
    script = (ROOT / "scripts" / "github_action.sh").read_text()
    read = set(re.findall(r"ALTAUDIT_[A-Z_]+", script))
    assert read == set(audit["env"])
    used = {re.search(r"inputs\.([a-z-]+)", value).group(1) for value in audit["env"].values()}
    assert used | {"python-version", "comment"} == set(action["inputs"])


def test_readme_pins_a_commit_until_the_release_tag_of_this_version():
    # No tag exists before the first release: the examples pin a commit SHA and name
    # the tag the release will have, v<version in pyproject.toml>, for afterwards.
    readme = (ROOT / "README.md").read_text()
    tag = f"v{__version__}"
    assert set(re.findall(r"rev: (\S+)", readme)) == {"<commit-sha>", tag}
    assert set(re.findall(r"uses: \S+/altaudit@(\S+)", readme)) == {"<commit-sha>"}
    assert f"then @{tag}" in readme and f"then rev: {tag}" in readme
    assert "No release\nhas been tagged yet" in readme and f"`{tag}` for the current one" in readme
