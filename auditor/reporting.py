"""The one reporting pipeline every command uses: audit a stream, report it, give the exit status.

    code = run_report(items, settings, "json", output="report.json")

`items` is any iterable of `Post | InputProblem` (drafts, record files, an
account over the network): each post is audited and handed to the format's
reporter as soon as it is read, each problem is reported (and printed on
stderr, one line each), and the summary is accumulated as results go by.
"""

from __future__ import annotations

import os
import sys
from contextlib import closing, contextmanager
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, TextIO

from .errors import InputError
from .model import InputProblem, Post, PostResult
from .reports.base import ReportOptions, reporter_class
from .safe_text import visible
from .summary import Section, Summary

if TYPE_CHECKING:
    from collections import Counter

    from .config import Settings
    from .engine import Engine
    from .parallel import Rendered, RenderedRun
    from .reports.base import Reporter

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def run_report(
    items: Iterable["Post | InputProblem"],
    settings: "Settings",
    format: str = "terminal",
    output: str | None = None,
    *,
    verbose: bool = False,
    show_all: bool = False,
    limit: int | None = None,
    worst: int = 10,
    sections: Iterable[Section] = (),
    not_posts: "Counter[str] | None" = None,
    skipped_files: list[str] | None = None,
    engine: "Engine | None" = None,
    transform: "Callable[[PostResult], PostResult] | None" = None,
    stderr: TextIO | None = None,
    stream: TextIO | None = None,
    width: int | None = None,
    color: bool | None = None,
    jobs: int = 1,
) -> int:
    """Audit `items` and write the report in `format` to `output` (a file,
    written atomically) or standard output. Returns the exit status: 2 when an
    input problem occurred, else 1 when a finding reached `settings.fail_on`,
    else 0. `stream` replaces standard output (when no `output` is given).
    `not_posts` is the counter the inputs fill with the records they
    skipped (read at the end); `sections` add to the summary (see summary.py).
    `jobs` > 1 (None: one per CPU) audits a large stream over that many worker
    processes (parallel.py), with the same report."""
    from .engine import Engine

    engine = engine or Engine(settings)
    options = ReportOptions(
        fail_on=settings.fail_on,
        verbose=verbose,
        show_all=show_all,
        limit=limit,
        rules={rule.code: rule for rule in engine.rules},
        width=width,
        color=color,
    )
    summary = Summary(settings.fail_on, worst=worst, sections=sections)
    err = stderr or sys.stderr
    reporter_type = reporter_class(format)
    with _destination(output, stream) as out:
        reporter = reporter_type(out, options)
        reporter.start()
        # Workers may render the posts too, where nothing here needs their results.
        renders = reporter if transform is None and not summary.sections else None
        from .parallel import RenderedRun

        collector = young_collections_less_often()  # restored when the report ends
        try:
            with closing(_results(engine, items, jobs, renders)) as results:  # a pool ends with the report
                for item in results:
                    if isinstance(item, PostResult):
                        if transform is not None:  # e.g. a baseline leaving out known findings
                            item = transform(item)
                        summary.add(item)
                        reporter.post(item)
                    elif isinstance(item, InputProblem):
                        summary.add_problem(item)
                        reporter.problem(item)
                        err.write(f"altaudit: error: {problem_line(item)}\n")
                    elif type(item) is RenderedRun:  # a batch's posts, audited and rendered by a worker
                        summary.add_tally(item.tally)
                        reporter.write_fragments(item.fragments, item.more)
                    else:  # a parallel.Rendered: one post audited and rendered by a worker
                        summary.add_digest(item.digest)
                        reporter.write_fragment(item.fragment, item.more)
        finally:
            import gc

            gc.set_threshold(*collector)
        if not_posts:
            summary.not_posts.update(not_posts)
        if skipped_files:
            summary.skipped_files.extend(skipped_files)
        reporter.finish(summary)
    if summary.problems:
        return EXIT_ERROR
    return EXIT_FINDINGS if summary.failed else EXIT_CLEAN


YOUNG = 10_000  # allocations between two collections of the youngest generation (Python's default: 700)


def young_collections_less_often() -> tuple[int, ...]:
    """Collect the youngest generation after `YOUNG` allocations instead of 700;
    returns the thresholds before. An audit makes no reference cycles (none a
    batch of 300 posts after the first), yet at 700 the collector ran about
    250 times a worker on the 35,643-record file, and its older generations
    walked the engine's growing memos each time: 0.16 s of CPU a worker, 0.04 s
    at 10,000. The young generation stays small (a batch's results)."""
    import gc

    before = gc.get_threshold()
    if before[0] and before[0] < YOUNG:
        gc.set_threshold(YOUNG, *before[1:])
    return before


def _results(
    engine: "Engine", items: Iterable["Post | InputProblem"], jobs: int | None, reporter: "Reporter | None" = None
) -> Iterator["PostResult | Rendered | RenderedRun | InputProblem"]:
    """The audit of `items`: over worker processes when asked and large enough
    (an `Engine` only: its settings and rules are what the workers rebuild),
    which also render the posts for a `reporter` that renders alone."""
    from .engine import Engine

    if jobs != 1 and type(engine) is Engine:
        from .parallel import audit_items

        return audit_items(engine, items, jobs, reporter)
    from .inputs.batch import expanded  # batches of records (e.g. JSON lines, Inputs(record_lines=True)), parsed here

    return audit_stream(engine, expanded(items))


def audit_stream(engine: "Engine", items: Iterable["Post | InputProblem"]) -> Iterator["PostResult | InputProblem"]:
    """The engine's stream of results and problems (its own `audit_stream` when it has one)."""
    stream = getattr(engine, "audit_stream", None)
    if stream is not None:
        yield from stream(items)
        return
    for item in items:
        yield engine.audit_post(item) if isinstance(item, Post) else item


def problem_line(problem: "InputProblem") -> str:
    """`path:line: message` on one line, everything from the input escaped."""
    return visible(problem.one_line(), keep_newlines=False).replace("\r", " ")


def refuse_output_over_inputs(output: str | None, paths: Iterable[str]) -> None:
    """An InputError when --output names one of the inputs: a draft or record file
    given by name, or a draft the walk of a given folder reads. The report would
    otherwise replace the draft it audits."""
    if output is None or output == "-" or not os.path.exists(output):
        return
    from .inputs.discover import DRAFT_SUFFIXES, SKIPPED_FOLDERS

    real = os.path.realpath(output)
    for given in paths:
        try:
            if os.path.isdir(given):
                inside = os.path.relpath(real, os.path.realpath(given))
                parts = inside.split(os.sep)
                if inside.startswith(os.pardir) or os.path.splitext(real)[1].lower() not in DRAFT_SUFFIXES:
                    continue
                if any(part in SKIPPED_FOLDERS or part.startswith(".") for part in parts[:-1]):
                    continue
                raise InputError("is a draft the audit reads: --output would replace it with the report", path=output)
            if os.path.samefile(output, given):
                raise InputError("is one of the inputs: --output would replace it with the report", path=output)
        except OSError:
            continue  # a missing input is reported by the audit


@contextmanager
def _destination(output: str | None, stream: TextIO | None = None) -> Iterator[TextIO]:
    """Standard output (or `stream`), or a temporary file beside `output` that replaces
    it only once the report is complete (an interrupted run leaves the old file)."""
    if stream is not None and output is None:
        yield stream
        return
    if output is None or output == "-":
        stdout = sys.stdout
        try:
            # A last guard: no character that slipped past escaping ends the report.
            stdout.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):
            pass
        yield stdout
        stdout.flush()
        return
    if os.path.isdir(output):
        raise InputError("is a folder: --output needs a file name", path=output)
    from .baseline import new_file_mode, write_target

    real, direct = write_target(output)
    if direct:  # a device or FIFO: written to as it is, never replaced by a file
        try:
            handle = open(real, "w", encoding="utf-8", errors="backslashreplace", newline="")
        except OSError as exc:
            raise InputError(f"cannot write the report here: {exc.strerror or exc}", path=output) from None
        with handle:
            yield handle
        return
    import tempfile

    try:
        fd, temp = tempfile.mkstemp(prefix=f".{os.path.basename(real)}.", suffix=".tmp", dir=os.path.dirname(real))
    except OSError as exc:
        raise InputError(f"cannot write the report here: {exc.strerror or exc}", path=output) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, new_file_mode(real))  # mkstemp makes it private: an old report's mode, else the umask's
        try:
            os.replace(temp, real)  # a symlink's target is replaced; the link stays
        except OSError as exc:
            raise InputError(f"cannot write the report: {exc.strerror or exc}", path=output) from None
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
