"""The `altaudit` command: check, alt, rules, rule.

Kept light on purpose: it runs in pre-commit hooks, so heavy modules
(atproto, textstat, the JSON Schema validator) load only on the paths that
need them.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import List, Optional

import typer

from .errors import ConfigError, InputError
from .reports.base import format_names

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Audit the image descriptions (alt text) of Bluesky posts and drafts.",
)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _version(value: bool) -> None:
    if value:
        from . import __version__

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
    from .safe_text import visible

    typer.echo(f"altaudit: error: {visible(message, keep_newlines=False)}", err=True)
    raise typer.Exit(EXIT_ERROR)


def _codes(option: str, value: str) -> tuple[str, ...]:
    codes = tuple(code.strip().upper() for code in value.split(","))
    if not all(codes):
        raise ConfigError(f"{option}: empty rule code in '{value}'")
    return codes


def _settings(config, select, ignore, fail_on, words, brands):
    """Settings from the configuration file; --select replaces its selection,
    --ignore, --word and --brand add to its lists."""
    from .config import load_settings, parse_level

    settings = load_settings(config)
    return settings.with_overrides(
        select=_codes("--select", select) if select else None,
        ignore=tuple(settings.ignore) + _codes("--ignore", ignore) if ignore else None,
        fail_on=parse_level(fail_on, "--fail-on") if fail_on else None,
        words=tuple(settings.words) + tuple(words) if words else None,
        brands=tuple(settings.brands) + tuple(brands) if brands else None,
    )


def _report(items, settings, output_format: Format, output: str | None = None, **options) -> int:
    """Audit a stream of posts and problems and report it; the exit status.
    `options` go to reporting.run_report (verbose, show_all, limit, not_posts...)."""
    from .reporting import run_report

    return run_report(items, settings, output_format.value, output, **options)


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


def _with_images(items, images: bool | None, blobs=None):
    """The posts with the text of their local images read (auditor/images), unless --no-images.
    With --images, also the images records name, fetched from the PDS (images/blobs.py;
    `blobs`: a RemoteBlobs that already knows the account's PDS)."""
    if images is False:
        return items
    from .images.attach import with_seen_text

    def note(message: str) -> None:
        typer.echo(f"altaudit: note: {message}", err=True)

    if not images:
        return with_seen_text(items, note)
    from .images.blobs import RemoteBlobs, noting_blobs

    blobs = blobs or RemoteBlobs()
    return noting_blobs(with_seen_text(items, note, blobs=blobs), blobs, note)


def _note(message: str) -> None:
    from .safe_text import visible

    typer.echo(f"altaudit: note: {visible(message, keep_newlines=False)}", err=True)


def _changed(ref: str, paths: list[str]) -> list[str]:
    from .changed import changed_inputs

    changed = changed_inputs(ref, paths)
    if not changed:
        _note(f"no drafts or record files changed since {ref}")
    return changed


def _apply_fixes(paths: list[str], settings, write: bool) -> int:
    """The number of findings fixed; with --diff (nothing written, no audit after
    it) a draft that cannot be read is an error line each and exit 2."""
    from .engine import Engine
    from .fixes import fix_paths
    from .reporting import problem_line

    problems = []

    def problem(item) -> None:
        problems.append(item)
        typer.echo(f"altaudit: error: {problem_line(item)}", err=True)

    fixed = fix_paths(paths, Engine(settings), write, sys.stdout, _note, None if write else problem)
    if problems:
        raise typer.Exit(EXIT_ERROR)
    return fixed


def _load_baseline(path: str | None, update: bool):
    if path is None:
        if update:
            raise InputError("--update-baseline needs --baseline FILE")
        return None
    from .baseline import Baseline

    return Baseline.load(path, rewrite=update)


def _settle_baseline(baseline, code: int) -> int:
    return code if baseline is None else baseline.settle(code, _note)


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
    from .inputs.discover import iter_items

    try:
        settings = _settings(config, select, ignore, fail_on, word, brand)
        from .reporting import refuse_output_over_inputs

        refuse_output_over_inputs(output, paths)
        if changed_since:
            paths = _changed(changed_since, paths)
        if fix or diff:
            fixed = _apply_fixes(paths, settings, write=not diff)
            if diff:
                raise typer.Exit(EXIT_FINDINGS if fixed else EXIT_CLEAN)
        baseline = _load_baseline(baseline_file, update_baseline)
        inputs = iter_items(paths)
        if baseline_file:
            inputs.exclude.add(os.path.realpath(baseline_file))
        code = _report(
            _with_images(inputs, images),
            settings,
            output_format,
            output,
            verbose=verbose,
            show_all=show_all,
            limit=limit,
            not_posts=inputs.not_posts,
            skipped_files=inputs.skipped_files,
            transform=baseline.filter if baseline else None,
            jobs=jobs,
        )
        code = _settle_baseline(baseline, code)
        if inputs.skipped_files and (verbose or not inputs.posts):
            from .safe_text import visible

            for name in inputs.skipped_files:
                typer.echo(f"altaudit: note: {visible(name, keep_newlines=False)}: not a draft (no +++ front matter), skipped", err=True)
        if inputs.skipped_json and verbose:
            from .safe_text import visible

            for name in inputs.skipped_json:
                typer.echo(f"altaudit: note: {visible(name, keep_newlines=False)}: JSON that holds no Bluesky records, skipped", err=True)
    except InputError as exc:
        _fail(str(exc))
    raise typer.Exit(code)


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
    from .model import Image, Post, Source

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
    from .ruledoc import render_rules_table
    from .rulebook import all_rules

    render_rules_table(all_rules(), sys.stdout)


@app.command("rule")
def show_rule(code: str = typer.Argument(..., help="A rule code, e.g. T402.")) -> None:
    """Print one rule's documentation."""
    from .rulebook import rule_by_code

    rule = rule_by_code(code)
    if rule is None:
        _fail(f"no rule '{code}' (see 'altaudit rules')")
    from .ruledoc import render_rule_doc

    typer.echo(render_rule_doc(rule))


from .commands import bluesky as _bluesky_commands  # noqa: E402,F401 - registers `profile`, `post`, `cache`
from .commands import publish as _publish_command  # noqa: E402,F401 - registers `altaudit publish`


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


def main() -> None:
    """Console entry point: a one-line message instead of any traceback."""
    try:
        _app_for(sys.argv[1:])()
    except KeyboardInterrupt:
        typer.echo("altaudit: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if os.environ.get("ALTAUDIT_DEBUG"):
            raise
        from .safe_text import visible

        message = visible(str(exc), keep_newlines=False)[:300]
        typer.echo(f"altaudit: internal error: {type(exc).__name__}: {message} (set ALTAUDIT_DEBUG=1 for details)", err=True)
        sys.exit(EXIT_ERROR)
    finally:
        # The process ends now: the interpreter's last garbage collection need not walk
        # every module, rule and pattern (about 10 ms of a pre-commit run). Exit
        # handlers and files closing still run; only cycles left over are not collected.
        import gc

        gc.freeze()


if __name__ == "__main__":
    main()
