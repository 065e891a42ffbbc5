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
back by number and `RecordLines.local` reads it here, in order, against
the file's one `seen` set, as `iter_records` does. (`RecordLines` is a
`batch.Batch`, the protocol any input can use to be parsed in the workers.)

Nothing heavy is imported at module level: parallel.py imports this on
every run.
"""

from __future__ import annotations

from collections import Counter
from itertools import islice
from typing import TYPE_CHECKING, Iterable, Iterator

from .batch import Batch, expanded, weight  # noqa: F401 - expanded and weight: re-exported

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


class RecordLines(Batch):
    """Up to `LINES` raw lines of one JSON Lines file, the first numbered `first`
    (a `batch.Batch`: its keys are the numbers of lines of API views)."""

    __slots__ = ("path", "first", "lines", "file")

    def __init__(self, path: str, first: int, lines: list[bytes], file: LinesFile):
        self.path = path
        self.first = first
        self.lines = lines
        self.file = file

    @property
    def weight(self) -> int:
        return len(self.lines)

    def task(self):
        """What a worker needs: `parse_lines(path, first, lines)`."""
        return parse_lines, (self.path, self.first, self.lines)

    def local(self, number: int) -> Iterator["Post | InputProblem"]:
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

    view_line = local

    def settle(self, posts: int, problems: int, not_posts: Counter | None = None) -> None:
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
    each line that holds API views (to be read by `RecordLines.local`)."""
    from .records import line_entries

    return line_entries(path, first, lines)


def _problem_type():
    from ..model import InputProblem

    return InputProblem
