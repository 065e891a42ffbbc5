"""What `altaudit check` does, and the helpers the other commands share, without typer.

The options are declared once, on the typer command in commands/app.py, which
calls `run_check` with every value. `auditor.cli.main` also calls it directly
for the command lines pre-commit hooks run (`check PATH...` with at most a
`--format`), leaving every other option at its default: importing typer and
building its click objects costs about 15 ms of such a run. Nothing here
imports typer, except to print text typer would print differently.
"""

from __future__ import annotations

import os
import sys

from ..errors import ConfigError, InputError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class CommandExit(Exception):
    """Ends a command with an exit status (the typer command turns it into typer.Exit)."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


def echo_err(message: str) -> None:
    """The same as `typer.echo(message, err=True)`. Typer is imported only where
    its echo would change the text: an escape sequence (removed when standard
    error is no terminal) or a standard error that is not UTF-8 (re-encoded)."""
    stream = sys.stderr
    if stream is None:
        return
    if "\x1b" in message or (getattr(stream, "encoding", None) or "").lower().replace("-", "") != "utf8":
        import typer

        typer.echo(message, err=True)
        return
    stream.write(message + "\n")
    stream.flush()


def error_line(message: str) -> None:
    from ..safe_text import visible

    echo_err(f"altaudit: error: {visible(message, keep_newlines=False)}")


def note(message: str) -> None:
    from ..safe_text import visible

    echo_err(f"altaudit: note: {visible(message, keep_newlines=False)}")


def codes(option: str, value: str) -> tuple[str, ...]:
    codes = tuple(code.strip().upper() for code in value.split(","))
    if not all(codes):
        raise ConfigError(f"{option}: empty rule code in '{value}'")
    return codes


def settings_for(config, select, ignore, fail_on, words, brands):
    """Settings from the configuration file; --select replaces its selection,
    --ignore, --word and --brand add to its lists."""
    from ..config import load_settings, parse_level

    settings = load_settings(config)
    return settings.with_overrides(
        select=codes("--select", select) if select else None,
        ignore=tuple(settings.ignore) + codes("--ignore", ignore) if ignore else None,
        fail_on=parse_level(fail_on, "--fail-on") if fail_on else None,
        words=tuple(settings.words) + tuple(words) if words else None,
        brands=tuple(settings.brands) + tuple(brands) if brands else None,
    )


def report(items, settings, output_format, output: str | None = None, **options) -> int:
    """Audit a stream of posts and problems and report it; the exit status.
    `output_format`: a format name or the typer Format member. `options` go to
    reporting.run_report (verbose, show_all, limit, not_posts...)."""
    from ..reporting import run_report

    return run_report(items, settings, getattr(output_format, "value", output_format), output, **options)


def with_images(items, images: bool | None, blobs=None):
    """The posts with the text of their local images read (auditor/images), unless --no-images.
    With --images, also the images records name, fetched from the PDS (images/blobs.py;
    `blobs`: a RemoteBlobs that already knows the account's PDS)."""
    if images is False:
        return items
    from ..images.attach import with_seen_text

    def image_note(message: str) -> None:
        echo_err(f"altaudit: note: {message}")

    if not images:
        return with_seen_text(items, image_note)
    from ..images.blobs import RemoteBlobs, noting_blobs

    blobs = blobs or RemoteBlobs()
    return noting_blobs(with_seen_text(items, image_note, blobs=blobs), blobs, image_note)


def _changed(ref: str, paths: list[str]) -> list[str]:
    from ..changed import changed_inputs

    changed = changed_inputs(ref, paths)
    if not changed:
        note(f"no drafts or record files changed since {ref}")
    return changed


def _apply_fixes(paths: list[str], settings, write: bool) -> int:
    """The number of findings fixed; with --diff (nothing written, no audit after
    it) a draft that cannot be read is an error line each and exit 2."""
    from ..engine import Engine
    from ..fixes import fix_paths
    from ..reporting import problem_line

    problems = []

    def problem(item) -> None:
        problems.append(item)
        echo_err(f"altaudit: error: {problem_line(item)}")

    fixed = fix_paths(paths, Engine(settings), write, sys.stdout, note, None if write else problem)
    if problems:
        raise CommandExit(EXIT_ERROR)
    return fixed


def _load_baseline(path: str | None, update: bool):
    if path is None:
        if update:
            raise InputError("--update-baseline needs --baseline FILE")
        return None
    from ..baseline import Baseline

    return Baseline.load(path, rewrite=update)


def run_check(
    paths: list[str],
    output_format="terminal",
    fail_on: str | None = None,
    select: str | None = None,
    ignore: str | None = None,
    config: str | None = None,
    word: list[str] | None = None,
    brand: list[str] | None = None,
    verbose: bool = False,
    baseline_file: str | None = None,
    update_baseline: bool = False,
    changed_since: str | None = None,
    fix: bool = False,
    diff: bool = False,
    output: str | None = None,
    show_all: bool = False,
    limit: int | None = None,
    images: bool | None = None,
    jobs: int | None = None,
) -> int:
    """`altaudit check`: audit drafts and post records, image by image; the exit status.
    The defaults are those of the typer command's options (a test holds them equal)."""
    from ..inputs.discover import iter_items

    try:
        settings = settings_for(config, select, ignore, fail_on, word, brand)
        from ..reporting import refuse_output_over_inputs

        refuse_output_over_inputs(output, paths)
        if changed_since:
            paths = _changed(changed_since, paths)
        if fix or diff:
            fixed = _apply_fixes(paths, settings, write=not diff)
            if diff:
                return EXIT_FINDINGS if fixed else EXIT_CLEAN
        baseline = _load_baseline(baseline_file, update_baseline)
        # JSON Lines go to the workers as raw lines, parsed there (inputs/record_lines.py),
        # except with --images: fetching records' images happens here, on parsed posts.
        inputs = iter_items(paths, record_lines=images is not True)
        if baseline_file:
            inputs.exclude.add(os.path.realpath(baseline_file))
        code = report(
            with_images(inputs, images),
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
        if baseline is not None:
            code = baseline.settle(code, note)
        if inputs.skipped_files and (verbose or not inputs.posts):
            from ..safe_text import visible

            for name in inputs.skipped_files:
                echo_err(f"altaudit: note: {visible(name, keep_newlines=False)}: not a draft (no +++ front matter), skipped")
        if inputs.skipped_json and verbose:
            from ..safe_text import visible

            for name in inputs.skipped_json:
                echo_err(f"altaudit: note: {visible(name, keep_newlines=False)}: JSON that holds no Bluesky records, skipped")
    except InputError as exc:
        error_line(str(exc))
        return EXIT_ERROR
    except CommandExit as exc:
        return exc.code
    return code
