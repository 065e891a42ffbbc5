"""Start-up: the command line builds only the command it names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command

from auditor.cli import _app_for, app

ROOT = Path(__file__).parents[1]
ALTAUDIT = Path(sys.executable).parent / "altaudit"


def run(*args):
    env = {**os.environ, "COLUMNS": "100"}
    return subprocess.run([str(ALTAUDIT), *args], capture_output=True, text=True, env=env, cwd=ROOT)


@pytest.mark.parametrize("name", ["check", "alt", "rules", "rule", "profile", "post", "cache", "publish"])
def test_a_named_command_is_the_only_one_built(name):
    group = get_command(_app_for([name, "--help"]))
    assert list(group.commands) == [name]
    assert name in get_command(app).commands  # the whole app is untouched


@pytest.mark.parametrize("args", [[], ["--help"], ["--version"], ["chek"]])
def test_no_command_or_an_unknown_one_gets_the_whole_app(args):
    assert _app_for(args) is app


def test_help_and_mistakes_read_as_before():
    assert "Audit drafts and post records" in run("check", "--help").stdout
    unknown = run("chek", "x")
    assert unknown.returncode == 2 and "No such command 'chek'" in unknown.stderr and "check" in unknown.stderr
    listing = run("--help").stdout
    assert all(name in listing for name in ("check", "profile", "publish", "cache"))


def modules_after(*args, cwd=ROOT) -> set[str]:
    """The modules an altaudit process had imported by the time it exited."""
    program = (
        "import atexit, sys, auditor.cli as cli\n"
        "atexit.register(lambda: sys.__stderr__.write('MODULES ' + ' '.join(sorted(sys.modules)) + '\\n'))\n"
        "sys.argv[0] = 'altaudit'\n"
        "cli.main()\n"
    )
    done = subprocess.run([sys.executable, "-P", "-c", program, *map(str, args)], capture_output=True, text=True, cwd=cwd, env={**os.environ, "COLUMNS": "100"})
    assert done.returncode in (0, 1), done.stderr
    line = [line for line in done.stderr.splitlines() if line.startswith("MODULES ")][-1]
    return set(line.split()[1:])


def test_checking_a_record_file_imports_no_typer_click_or_sdk(tmp_path):
    record = tmp_path / "one.jsonl"
    record.write_text(
        '{"$type": "app.bsky.feed.post", "text": "Frost", "createdAt": "2025-01-01T00:00:00.000Z",'
        ' "embed": {"$type": "app.bsky.embed.images", "images": [{"alt": "Frost-covered cabbage leaves in the morning sun.", "image": {"$type": "blob"}}]}}\n'
    )
    loaded = modules_after("check", record)
    assert "auditor.engine" in loaded and "auditor.reports.terminal" in loaded  # it did audit and report
    heavy = {"typer", "click", "atproto", "httpx", "PIL", "multiprocessing", "jsonschema", "textstat"}
    assert not {name.split(".")[0] for name in loaded} & heavy
    assert "auditor.commands.app" not in loaded


def test_checking_with_a_format_imports_no_typer_and_json_no_rich(tmp_path):
    record = tmp_path / "one.json"
    record.write_text('{"$type": "app.bsky.feed.post", "text": "A photo", "createdAt": "2025-01-01T00:00:00.000Z"}')
    loaded = modules_after("check", "--format", "json", record)
    assert "auditor.reports.json_report" in loaded
    assert not {name.split(".")[0] for name in loaded} & {"typer", "click", "rich"}


def test_any_option_beyond_format_goes_through_typer(tmp_path):
    record = tmp_path / "one.json"
    record.write_text('{"$type": "app.bsky.feed.post", "text": "A photo", "createdAt": "2025-01-01T00:00:00.000Z"}')
    assert {"typer", "auditor.commands.app"} <= modules_after("check", "--verbose", record)


def test_a_terminal_report_into_a_pipe_is_written_without_rich_console():
    # No style can show in a pipe: the report is wrapped as rich would wrap it
    # (tests/test_terminal_report.py compares the bytes), without rich's console.
    loaded = modules_after("check", ROOT / "examples" / "drafts" / "community-day.md")
    assert "auditor.reports.terminal" in loaded and "auditor.styled_text" in loaded
    assert not {"rich.console", "rich.text", "rich.style", "rich.color"} & loaded
    # Every character of this report is one cell wide: measured without rich at all.
    assert not {name for name in loaded if name.split(".")[0] == "rich"}
