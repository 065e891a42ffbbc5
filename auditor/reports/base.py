"""One interface for every report format, and the registry that finds them.

A format is one module in auditor/reports/ defining `Reporter`, a subclass of
`base.Reporter`, and one line in `FORMATS`. The pipeline
(auditor/reporting.py) calls, in order:

    start()                       once, before the first result
    post(result: PostResult)      for each post, as soon as it is audited
    problem(p: InputProblem)      for each record or file that could not be read
    finish(summary: Summary)      once, with the whole audit's summary

and each call writes what it can to the text stream `out` straight away, so
that a report of any size holds at most a few posts in memory. Modules are
imported only when their format is asked for: start-up stays fast.

A format whose text for one post needs nothing of the report around it but
a few numbers (the post's number, a rule's index) sets `renders_alone` and
splits `post` in two: `fragment(result)` renders the post alone, with
placeholders for those numbers, into something small and picklable; then
`write_fragment(fragment)` fills them in and writes it (`write_fragments`
for consecutive posts at once). The worker processes of a large audit
(parallel.py) call `fragment` where they audit, so that this process only
writes; `post` is the two in a row, so the bytes are the same.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator, Mapping, TextIO

from ..model import Finding, Level, Location, PostResult, Source

if TYPE_CHECKING:
    from ..model import InputProblem
    from ..rulebook import Rule
    from ..summary import Summary

# Format name -> module defining `Reporter`. A new format is one more line.
FORMATS: dict[str, str] = {
    "terminal": "auditor.reports.terminal",
    "concise": "auditor.reports.concise",
    "json": "auditor.reports.json_report",
    "jsonl": "auditor.reports.jsonl",
    "sarif": "auditor.reports.sarif",
    "github": "auditor.reports.github",
    "junit": "auditor.reports.junit",
    "markdown": "auditor.reports.markdown",
    "html": "auditor.reports.html",
}


@dataclass
class ReportOptions:
    """What the command line asks of a report, beyond the results themselves."""

    fail_on: Level = Level.ERROR
    verbose: bool = False  # also list posts and images with no findings
    show_all: bool = False  # large terminal reports: list every post with findings
    limit: int | None = None  # large terminal reports: list this many
    rules: Mapping[str, "Rule"] = field(default_factory=dict)  # every selected rule, by code
    # Terminal only, for tests and --output: None lets rich decide.
    width: int | None = None
    color: bool | None = None


class Reporter:
    """A report format. Subclasses override what they need; each writes to `out`."""

    def __init__(self, out: TextIO, options: ReportOptions):
        self.out = out
        self.options = options

    def start(self) -> None:
        """Called once before any result."""

    # True where fragment() needs no state of the report (see the module's doc).
    renders_alone = False

    def post(self, result: PostResult) -> None:
        """One audited post, in input order."""
        self.write_fragment(self.fragment(result))

    def fragment(self, result: PostResult) -> object:
        """The post's report text, rendered alone (no `out`, no report state), picklable."""
        raise NotImplementedError

    def write_fragment(self, fragment: object, more: bool = False) -> None:
        """Write what `fragment` rendered, in input order, its placeholders filled in.
        `more`: the next posts are ready at once (a worker's batch): a format that
        flushes each post as it is done may flush after the last of them instead."""
        raise NotImplementedError

    def write_fragments(self, fragments: list, more: bool = False) -> None:
        """`write_fragment` for each of consecutive posts' fragments (a worker's
        run); `more` as for the last of them. A format may write them at once."""
        last = len(fragments) - 1
        for index, fragment in enumerate(fragments):
            self.write_fragment(fragment, more or index < last)

    def problem(self, problem: "InputProblem") -> None:
        """A record or file that could not be read (the audit goes on)."""

    def finish(self, summary: "Summary") -> None:
        """Called once after the last result."""


def format_names() -> list[str]:
    return list(FORMATS)


def reporter_class(name: str) -> type[Reporter]:
    """The Reporter of a format, its module imported now."""
    try:
        module = FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown report format '{name}' (one of: {', '.join(FORMATS)})") from None
    return importlib.import_module(module).Reporter


# -- what several formats share ---------------------------------------------------


def located(result: PostResult) -> Iterator[tuple[Finding, Location]]:
    """Every finding of a post with where it points: its own location (image
    findings), else, for findings about the whole post, where its images start."""
    post_location = None
    for finding in result.findings:
        if post_location is None:
            post_location = post_anchor(result)
        yield finding, finding.location or post_location
    for image in result.images:
        for finding in image.findings:
            if finding.location is None:
                image_source = image.image.source
                yield finding, Location(path=image_source.path, line=image_source.line, uri=image_source.uri)
            else:
                yield finding, finding.location


def post_anchor(result: PostResult) -> Location:
    """Where a finding about the whole post (A104 some images described, M502 the
    same description twice) points: the first image's description, line and
    column, in a draft; else the line of the draft's first image entry (column
    1); else the post's own line (a record: its line in the file, or its URI).
    Not the draft's `+++` line 1, which an editor's jump would make meaningless."""
    source = result.post.source
    images = [image.image for image in result.images] or list(result.post.images)
    if images:
        image = images[0]
        start = image.position(0) if image.positions is not None else None
        if start:
            return Location(path=source.path, line=start[0], column=start[1], uri=source.uri)
        if image.source.line and image.source.line != source.line and image.source.path == source.path:
            return Location(path=source.path, line=image.source.line, column=1, uri=source.uri)
    return Location(path=source.path, line=source.line, uri=source.uri)


def place(where: Location) -> str:
    """`path:line:col` as far as known, else the URI, else a word for the input."""
    if where.path:
        out = where.path
        if where.line:
            out += f":{where.line}"
            if where.column:
                out += f":{where.column}"
        return out
    return where.uri or "<input>"


def source_place(source: Source) -> str:
    """`path:line` of a post, else its URI, else a word for where the text came from."""
    return place(Location(path=source.path, line=source.line, uri=source.uri))


def problem_place(problem: "InputProblem") -> str:
    where = problem.path or problem.uri or "<input>"
    return where + (f":{problem.line}" if problem.line else "")


def image_label(result: PostResult, finding: Finding) -> str:
    """"image 2 of 3: " for image findings, "" for post findings."""
    return f"image {finding.image_index} of {len(result.images)}: " if finding.image_index else ""


def suggestion_text(finding: Finding) -> str:
    """' (write ‘…’)' for a replacement, ' (delete it)' for an empty one, '' for none."""
    if finding.suggestion is None:
        return ""
    return f" (write ‘{finding.suggestion}’)" if finding.suggestion else " (delete it)"


GATHER = 1 << 16  # characters gathered before a write


class Gathered:
    """Text written to `out` in pieces of about `GATHER` characters: one call
    of the stream's `write` (and, on an unbuffered standard output, one
    system call) for many posts instead of one or two each. `drain()` writes
    what is held; whoever writes to `out` directly drains first."""

    __slots__ = ("out", "parts", "size")

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)
        if self.size >= GATHER:
            self.drain()

    def drain(self) -> None:
        if self.parts:
            self.out.write("".join(self.parts))
            self.parts = []
            self.size = 0


class Spool:
    """Text written now and read back at the end, in memory up to a few MB and
    on disk beyond: for formats whose header needs counts known only at the end.
    The file is made on first use: a small report never imports tempfile (1 ms).
    Writes are gathered (`Gathered`) into large ones."""

    def __init__(self) -> None:
        self._file = None
        self._gathered: Gathered | None = None
        self.empty = True

    @property
    def file(self):
        if self._file is None:
            import tempfile

            self._file = tempfile.SpooledTemporaryFile(max_size=4 << 20, mode="w+", encoding="utf-8", newline="")
        return self._file

    def write(self, text: str) -> None:
        self.empty = False
        if self._gathered is None:
            self._gathered = Gathered(self.file)
        self._gathered.write(text)

    def copy_to(self, out: TextIO) -> None:
        if self._file is None:
            return  # nothing was written
        self._gathered.drain()
        self._file.seek(0)
        while chunk := self._file.read(1 << 16):
            out.write(chunk)
        self._file.close()
