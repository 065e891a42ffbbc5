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
