"""The typer app of the `altaudit` command: every command's options, help and usage.

`auditor.cli` (the entry point) imports this module for any command line it
does not run itself, and hands out its names (`from auditor.cli import app`).
Kept light on purpose: it runs in pre-commit hooks, so heavy modules
(atproto, textstat, the JSON Schema validator) load only on the paths that
need them. Commands in their own modules register on `app` with one import
line each at the end.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import List, Optional

import typer

from ..errors import InputError
from ..reports.base import format_names
from .check import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, codes, error_line, note, report, run_check, settings_for, with_images

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Audit the image descriptions (alt text) of Bluesky posts and drafts.",
)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"altaudit {__version__}")
        raise typer.Exit(EXIT_CLEAN)


@app.callback()
def _main_options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """Audit the image descriptions (alt text) of Bluesky posts and drafts."""


# One value a format in the registry (auditor/reports/base.py): a new format
# module and its registry line are all it takes to appear here.
Format = Enum("Format", [(name, name) for name in format_names()], type=str)


def _fail(message: str) -> None:
    error_line(message)
    raise typer.Exit(EXIT_ERROR)


# The helpers other commands (commands/bluesky.py, publish.py) import by these names.
_codes, _settings, _report, _note = codes, settings_for, report, note


# Options shared by `check` and `alt`.
FormatOption = typer.Option(Format.terminal, "--format", "-f", help="Report format.")
FailOnOption = typer.Option(None, "--fail-on", help="Lowest level that makes the exit status 1: error (default), warning or info.")
SelectOption = typer.Option(None, "--select", help="Comma-separated rule codes or prefixes to run (default: all).")
IgnoreOption = typer.Option(None, "--ignore", help="Comma-separated rule codes or prefixes to skip.")
ConfigOption = typer.Option(None, "--config", help="Configuration file (default: nearest altaudit.toml or pyproject.toml).")
WordOption = typer.Option(None, "--word", help="Extra dictionary word (repeatable).")
BrandOption = typer.Option(None, "--brand", help="Organisation whose logos appear on your graphics (repeatable).")
VerboseOption = typer.Option(False, "--verbose", "-v", help="Also list posts and images with no findings.")
OutputOption = typer.Option(None, "--output", "-o", help="Write the report to this file (replaced only once complete) instead of standard output.")
AllOption = typer.Option(False, "--all", help="Large terminal reports: list every post with findings after the summary and the worst posts.")
LimitOption = typer.Option(None, "--limit", min=0, help="Large terminal reports: list the first N posts with findings after the summary.")
BaselineOption = typer.Option(None, "--baseline", metavar="FILE", help="Accepted findings: written from this run if FILE is missing (exit 0); afterwards only findings not in it are reported.")
UpdateBaselineOption = typer.Option(False, "--update-baseline", help="Rewrite the --baseline file from this run's findings, so that fixed ones drop out (exit 0).")
ChangedSinceOption = typer.Option(None, "--changed-since", metavar="REF", help="Audit only the drafts and record files changed since this branch left this git ref (its merge-base with HEAD, e.g. origin/main), uncommitted work included.")
FixOption = typer.Option(False, "--fix", help="Apply the safe fixes (T402 openings, T403, W301, T404, W307) to the drafts, then report what is left.")
DiffOption = typer.Option(False, "--diff", help="Print the safe fixes as a unified diff and write nothing; exit 1 when there is something to fix.")
JobsOption = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes for large inputs (over a few hundred posts); 1 audits in this process. Default: one per CPU.")


ImagesOption = typer.Option(
    None,
    "--images/--no-images",
    help="Read the text in the images drafts name and hold descriptions against it (default: when the images extra is installed); --images also fetches the images records name from their PDS (a request an image).",
)


_with_images = with_images


@app.command()
def check(
    paths: List[str] = typer.Argument(..., help="Draft files (.md), post records (.json, .jsonl) and folders of them."),
    output_format: Format = FormatOption,
    fail_on: Optional[str] = FailOnOption,
    select: Optional[str] = SelectOption,
    ignore: Optional[str] = IgnoreOption,
    config: Optional[str] = ConfigOption,
    word: Optional[List[str]] = WordOption,
    brand: Optional[List[str]] = BrandOption,
    verbose: bool = VerboseOption,
    baseline_file: Optional[str] = BaselineOption,
    update_baseline: bool = UpdateBaselineOption,
    changed_since: Optional[str] = ChangedSinceOption,
    fix: bool = FixOption,
    diff: bool = DiffOption,
    output: Optional[str] = OutputOption,
    show_all: bool = AllOption,
    limit: Optional[int] = LimitOption,
    images: Optional[bool] = ImagesOption,
    jobs: Optional[int] = JobsOption,
) -> None:
    """Audit drafts and post records, image by image."""
    raise typer.Exit(
        run_check(
            paths, output_format, fail_on, select, ignore, config, word, brand, verbose, baseline_file,
            update_baseline, changed_since, fix, diff, output, show_all, limit, images, jobs,
        )
    )


@app.command()
def alt(
    text: str = typer.Argument(..., help="The description to audit, or - to read it from standard input."),
    post_text: str = typer.Option("", "--post-text", help="The text of the post the image belongs to."),
    lang: Optional[List[str]] = typer.Option(None, "--lang", help="The post's language (repeatable)."),
    output_format: Format = FormatOption,
    fail_on: Optional[str] = FailOnOption,
    select: Optional[str] = SelectOption,
    ignore: Optional[str] = IgnoreOption,
    config: Optional[str] = ConfigOption,
    word: Optional[List[str]] = WordOption,
    brand: Optional[List[str]] = BrandOption,
    output: Optional[str] = OutputOption,
) -> None:
    """Audit one description given as an argument or on standard input."""
    from ..model import Image, Post, Source

    try:
        if text == "-":
            try:
                text = sys.stdin.buffer.read().decode("utf-8")
            except UnicodeDecodeError:
                raise InputError("standard input is not UTF-8 text", path="<stdin>") from None
            if text.endswith("\n"):
                text = text[:-1].removesuffix("\r")
            where = "<stdin>"
        else:
            where = "<argument>"
        settings = _settings(config, select, ignore, fail_on, word, brand)
        source = Source(path=where)
        post = Post(text=post_text, images=[Image(1, text, source=source)], langs=list(lang or []), source=source)
        code = _report([post], settings, output_format, output, verbose=True)
    except InputError as exc:
        _fail(str(exc))
    raise typer.Exit(code)


@app.command("rules")
def list_rules() -> None:
    """List every rule: code, level, name and what it checks."""
    from ..ruledoc import render_rules_table
    from ..rulebook import all_rules

    render_rules_table(all_rules(), sys.stdout)


@app.command("rule")
def show_rule(code: str = typer.Argument(..., help="A rule code, e.g. T402.")) -> None:
    """Print one rule's documentation."""
    from ..rulebook import rule_by_code

    rule = rule_by_code(code)
    if rule is None:
        _fail(f"no rule '{code}' (see 'altaudit rules')")
    from ..ruledoc import render_rule_doc

    typer.echo(render_rule_doc(rule))


from . import bluesky as _bluesky_commands  # noqa: E402,F401 - registers `profile`, `post`, `cache`
from . import publish as _publish_command  # noqa: E402,F401 - registers `altaudit publish`


def _app_for(args: list[str]) -> typer.Typer:
    """The app with only the command that `args` name registered, so that typer
    builds one command's click objects at start-up instead of every command's
    (about 4 ms of a pre-commit run); the whole app for --help, --version, no
    command or a name that is no command (its message lists them all)."""
    if not args or args[0].startswith("-"):
        return app
    name = args[0]
    commands = [info for info in app.registered_commands if (info.name or info.callback.__name__.lower().replace("_", "-")) == name]
    groups = [info for info in app.registered_groups if info.name == name]
    if not commands and not groups:
        return app
    import copy

    narrowed = copy.copy(app)
    narrowed.registered_commands, narrowed.registered_groups = commands, groups
    return narrowed
