"""JSON Lines read here and parsed where they are audited.

A large audit over worker processes (auditor/parallel.py) spends more of
this process's time decoding lines and building `Post`s, then pickling them
to the workers, than anything else. With `Inputs(record_lines=True)` a JSON
Lines file is yielded as `RecordLines`: batches of its raw lines, numbered,
read but not parsed. Whoever audits them parses them (`parse_lines`: the
same posts, problems and counts as `records.iter_records`, line by line);
`expanded(items)` does that here for a consumer that wants posts.

The one thing a line cannot decide alone is an API view (a feed, a thread):
its posts are audited once per file, by URI. A worker hands such a line
back by number and `RecordLines.view_line` reads it here, in order, against
the file's one `seen` set, as `iter_records` does.

Nothing heavy is imported at module level: parallel.py imports this on
every run.
"""

from __future__ import annotations

from collections import Counter
from itertools import islice
from typing import TYPE_CHECKING, Iterable, Iterator

if TYPE_CHECKING:
    from ..model import InputProblem, Post

LINES = 300  # lines a batch (a worker's task; 300 posts a chunk was the best on a large CAR)


class LinesFile:
    """What the batches of one file share in this process: its `seen` URIs
    of API views, the counter of records that are not posts, and the input
    stream whose counts of posts and problems the batches add to."""

    def __init__(self, path: str, not_posts: Counter, counts=None):
        self.path = path
        self.not_posts = not_posts
        self.seen: set[str] = set()
        self.counts = counts  # an object with `posts` and `problems` (discover.Inputs), or None

    def settle(self, posts: int, problems: int, not_posts: Counter | None = None) -> None:
        if not_posts:
            self.not_posts.update(not_posts)
        if self.counts is not None:
            self.counts.posts += posts
            self.counts.problems += problems


class RecordLines:
    """Up to `LINES` raw lines of one JSON Lines file, the first numbered `first`."""

    __slots__ = ("path", "first", "lines", "file")

    def __init__(self, path: str, first: int, lines: list[bytes], file: LinesFile):
        self.path = path
        self.first = first
        self.lines = lines
        self.file = file

    @property
    def task(self) -> tuple[str, int, list[bytes]]:
        """What a worker needs: `parse_lines(*batch.task)`."""
        return self.path, self.first, self.lines

    def view_line(self, number: int) -> Iterator["Post | InputProblem"]:
        """The posts of line `number`, which holds API views, read here (counted)."""
        from .records import line_items

        not_posts: Counter = Counter()
        posts = problems = 0
        for item in line_items(self.lines[number - self.first], number, self.path, not_posts, self.file.seen):
            if isinstance(item, _problem_type()):
                problems += 1
            else:
                posts += 1
            yield item
        self.file.settle(posts, problems, not_posts)

    def expand(self) -> Iterator["Post | InputProblem"]:
        """The posts and problems of these lines, here, as `iter_records` yields them."""
        entries, not_posts = parse_lines(*self.task)
        problem = _problem_type()
        posts = problems = 0
        for entry in entries:
            if type(entry) is int:
                yield from self.view_line(entry)
                continue
            if isinstance(entry, problem):
                problems += 1
            else:
                posts += 1
            yield entry
        self.file.settle(posts, problems, not_posts)


def batches(lines: Iterable[bytes], first: int, file: LinesFile) -> Iterator[RecordLines]:
    """The lines of a file (an iterator of raw lines from line `first` on) in batches."""
    lines = iter(lines)
    while True:
        batch: list[bytes] = []
        try:
            batch.extend(islice(lines, LINES))
        except OSError:
            if batch:  # the lines read before a failed read are audited, then the reader reports it
                yield RecordLines(file.path, first, batch, file)
            raise
        if not batch:
            return
        yield RecordLines(file.path, first, batch, file)
        first += len(batch)


def parse_lines(path: str, first: int, lines: list[bytes]) -> tuple[list, Counter]:
    """(entries, records that are not posts by $type) of a batch's lines: a
    `Post` or an `InputProblem` for each record, in order, and the number of
    each line that holds API views (to be read by `RecordLines.view_line`)."""
    from .records import line_entries

    return line_entries(path, first, lines)


def expanded(items: Iterable) -> Iterator["Post | InputProblem"]:
    """`items` with every `RecordLines` parsed here into its posts and problems."""
    for item in items:
        if type(item) is RecordLines:
            yield from item.expand()
        else:
            yield item


def weight(item: object) -> int:
    """How many records an item of a stream may stand for."""
    return len(item.lines) if type(item) is RecordLines else 1


def _problem_type():
    from ..model import InputProblem

    return InputProblem
