"""A stretch of an input read here and parsed where it is audited.

An input whose records are cheap to read but costly to turn into `Post`s
(JSON Lines, an account export's blocks) may yield a `Batch` in its stream
instead of posts. Whoever audits the stream parses it: parallel.py's
workers, or `expanded(items)` here. A subclass gives:

- `task()`: `(parse, args)`, a module-level function and picklable
  arguments; `parse(*args)` returns `(entries, not_posts)`: for each record,
  in order, a `Post`, an `InputProblem`, or any other picklable key (not a
  tuple: workers send tuples of rendered posts) for what a worker cannot
  decide alone (JSON Lines: the number of a line of API views, whose posts
  are audited once a file), and a `Counter` of the records that are not
  posts, by type. It runs in a worker process: it must not rely on
  this process's state, only on its arguments.
- `local(key)`: the posts and problems of such a key, read here, in order.
- `settle(posts, problems, not_posts)`: the counts of the batch's entries
  parsed (the posts and problems `local` yields count themselves).
- `weight`: how many records the batch may stand for (when a pool is worth starting).

`expand()` is what a consumer that wants posts calls here; parallel.py calls
`task()` in a worker and `local` and `settle` here, in the batch's order.
record_lines.RecordLines is one.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

if TYPE_CHECKING:
    from ..model import InputProblem, Post


class Batch:
    __slots__ = ()

    weight: int = 1

    def task(self) -> tuple[Callable[..., tuple[list, Counter]], tuple]:
        raise NotImplementedError

    def local(self, key: Any) -> Iterator["Post | InputProblem"]:
        raise NotImplementedError

    def settle(self, posts: int, problems: int, not_posts: Counter | None = None) -> None:
        """Count what the batch's parse gave (nothing by default)."""

    def expand(self) -> Iterator["Post | InputProblem"]:
        """The batch's posts and problems, parsed here, in order."""
        from ..model import InputProblem, Post

        parse, args = self.task()
        entries, not_posts = parse(*args)
        posts = problems = 0
        for entry in entries:
            if isinstance(entry, Post):
                posts += 1
            elif isinstance(entry, InputProblem):
                problems += 1
            else:
                yield from self.local(entry)
                continue
            yield entry
        self.settle(posts, problems, not_posts)


def expanded(items: Iterable) -> Iterator["Post | InputProblem"]:
    """`items` with every `Batch` parsed here into its posts and problems."""
    for item in items:
        if isinstance(item, Batch):
            yield from item.expand()
        else:
            yield item


def weight(item: object) -> int:
    """How many records an item of a stream may stand for."""
    return item.weight if isinstance(item, Batch) else 1
