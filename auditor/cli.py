"""The `altaudit` command's entry point: check, alt, rules, rule, profile, post, cache, publish.

The commands, their options, help and usage are the typer app in
auditor/commands/app.py; `from auditor.cli import app` (and the helpers other
command modules import from here) still works, through `__getattr__` below.

This module stays light because it runs in pre-commit hooks: for the command
lines those run, `check PATH...` with at most a `--format`, `main` calls the
command's code (commands/check.py) itself, without importing typer or building
its click objects (about 15 ms of a 100 ms run). Any other command line, and
any with an option, a help flag, a path that starts with '-' or a format
typer would refuse, goes to typer; tests/test_cli_plain.py runs many command
lines both ways and compares what they print and their exit statuses.
"""

from __future__ import annotations

import os
import sys

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def plain_check(args: list[str], environ=os.environ) -> tuple[list[str], str] | None:
    """(paths, format name) when `args` is `check` with paths and at most one
    `--format NAME`, `--format=NAME` or `-f NAME` naming a known format: what
    `main` runs without typer. None for anything else (typer parses it)."""
    if len(args) < 2 or args[0] != "check" or os.name == "nt":  # on Windows typer expands wildcards
        return None
    # Typer answers shell completion requests named by a _PROG_COMPLETE variable.
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in environ):
        return None
    paths: list[str] = []
    output_format = None
    rest = iter(args[1:])
    for arg in rest:
        if arg in ("--format", "-f") or arg.startswith("--format="):
            if output_format is not None:
                return None
            output_format = arg[len("--format=") :] if arg.startswith("--format=") else next(rest, None)
            if output_format is None:
                return None
        elif arg.startswith("-"):
            return None
        else:
            paths.append(arg)
    if not paths:
        return None
    if output_format is None:
        output_format = "terminal"
    else:
        from .reports.base import format_names

        if output_format not in format_names():
            return None
    return paths, output_format


def _run_plain_check(paths: list[str], output_format: str) -> None:
    """`check` as typer would run it (typer/core.py `_main`): the same exit
    statuses, and the same handling of Ctrl-C, end of input and a closed pipe."""
    from .commands.check import run_check

    try:
        code = run_check(paths, output_format)
    except KeyboardInterrupt:
        code = 130
    except EOFError:
        from typer._click import echo  # only on this rare path: typer's own words

        echo(file=sys.stderr)
        echo("Aborted!", file=sys.stderr)
        code = 1
    except OSError as exc:
        import errno

        if exc.errno != errno.EPIPE:
            raise
        from typer._click.utils import PacifyFlushWrapper

        sys.stdout = PacifyFlushWrapper(sys.stdout)
        sys.stderr = PacifyFlushWrapper(sys.stderr)
        code = 1
    sys.exit(code)


def main() -> None:
    """Console entry point: a one-line message instead of any traceback."""
    try:
        args = sys.argv[1:]
        plain = plain_check(args)
        if plain is not None:
            _run_plain_check(*plain)
        from .commands.app import _app_for

        _app_for(args)()
    except KeyboardInterrupt:
        from .commands.check import echo_err

        echo_err("altaudit: interrupted")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if os.environ.get("ALTAUDIT_DEBUG"):
            raise
        from .commands.check import echo_err
        from .safe_text import visible

        message = visible(str(exc), keep_newlines=False)[:300]
        echo_err(f"altaudit: internal error: {type(exc).__name__}: {message} (set ALTAUDIT_DEBUG=1 for details)")
        sys.exit(EXIT_ERROR)
    finally:
        # The process ends now: the interpreter's last garbage collection need not walk
        # every module, rule and pattern (about 10 ms of a pre-commit run). Exit
        # handlers and files closing still run; only cycles left over are not collected.
        import gc

        gc.freeze()


def __getattr__(name: str):
    """`app` and the helpers other command modules import from auditor.cli live
    in commands/app.py, imported only when asked for (it imports typer)."""
    if name.startswith("__"):
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module("auditor.commands.app"), name)


if __name__ == "__main__":
    main()
