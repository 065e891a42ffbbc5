"""Audit a large stream over worker processes, results in input order.

    for item in audit_items(engine, items, jobs=2):   # PostResult | InputProblem
        ...

Reading stays in this process (line numbers, counters of skipped records and
the files' order are the readers' business, unchanged); posts go to the
workers in chunks, each worker audits them with its own `Engine` built from
the same settings and rules, and sends back only what the audit added
(findings and scores as plain tuples, not the post again): that is about a
sixth of the pickling cost of whole `PostResult`s. The results are rebuilt
here around this process's own `Post` objects, so every report sees the same
objects as an audit in one process and writes the same bytes.

Given a reporter whose format renders a post alone (`renders_alone`:
json, jsonl, sarif), the workers also render each post's fragment of the
report and its summary digest, and this process gets a `Rendered` instead of
a `PostResult` (a `RenderedRun` for each run of a batch's posts): it only
writes the fragments in order and adds up the digests (what `post(result)`
and `Summary.add` do in one process, in two halves).

An input may also hand over the parsing: an `inputs.batch.Batch` in the
stream (`record_lines.RecordLines`: raw JSON lines) goes to a worker as it
is, which calls its `task()` (a module-level `parse` and its arguments),
audits and renders the posts `parse` returns, and sends back the rendered
posts, the problems and any key that must be read here (`Batch.local`, in
order), then `Batch.settle` counts them. A new input kind (an account
export's blocks) subclasses `Batch`; nothing here changes.

Workers start only once `START_AFTER` posts are pending: a draft in a
pre-commit hook or a small folder is audited here, with no pool to start.
At most `IN_FLIGHT` chunks a worker are out at a time, so memory does not
grow with the input. Workers ignore Ctrl-C (this process handles it, once)
and are ended as soon as the stream stops early (an error, a closed pipe).
They are forked where that is safe (no other thread running, so no lock
held by a thread that would not exist in the child), else started by a fork
server (or spawned where there is none). The pool's worker-handler thread
does not spin while results wait to be read (`_pool_class`).
"""

from __future__ import annotations

import os
import signal
from collections import deque
from itertools import chain
from typing import TYPE_CHECKING, Iterable, Iterator, NamedTuple

from .inputs.batch import Batch
from .model import Deduction, Finding, ImageResult, InputProblem, Level, Location, Post, PostResult, Score, Span

if TYPE_CHECKING:
    from collections import Counter

    from .engine import Engine
    from .reports.base import Reporter

START_AFTER = 400  # posts read before a pool is worth its start-up
CHUNK = 300  # posts sent to a worker at a time (on a 100,000-post CAR, 300 beat 100 and 500)
IN_FLIGHT = 3  # chunks out per worker: enough to keep it busy while this process writes


def default_jobs() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class Rendered(NamedTuple):
    """A post audited and rendered by a worker: `reporter.write_fragment(fragment)`
    and `summary.add_digest(digest)` report it."""

    fragment: object
    digest: tuple
    more: bool = False  # more of the worker's answer follows at once (no wait): see Reporter.write_fragment


class RenderedRun(NamedTuple):
    """Consecutive posts of a batch, audited and rendered by a worker:
    `reporter.write_fragments(fragments, more)` and `summary.add_tally(tally)`
    report them (`summary.tally`: the run's digests added up in the worker).
    One item for a run instead of one a post: this process does for each
    post only what `write_fragments` does."""

    fragments: list
    tally: tuple
    more: bool = False  # more of the worker's answer follows the run's last post at once


def audit_items(
    engine: "Engine", items: Iterable["Post | InputProblem"], jobs: int | None = None, reporter: "Reporter | None" = None
) -> Iterator["PostResult | Rendered | RenderedRun | InputProblem"]:
    """`engine.audit_stream(items)`, over `jobs` worker processes (None: one per
    CPU) when more than `START_AFTER` items come; else, or with jobs 1, here.
    With a `reporter` that renders alone, posts audited by workers come as
    `Rendered`, or `RenderedRun`s of a batch's posts (those audited here stay
    `PostResult`s)."""
    from .inputs.batch import expanded, weight

    jobs = default_jobs() if jobs is None else jobs
    if jobs <= 1:
        yield from engine.audit_stream(expanded(items))
        return
    iterator = iter(items)
    head: list = []
    pending = 0  # records read so far (a batch of JSON lines counts its lines)
    for item in iterator:
        head.append(item)
        pending += weight(item)
        if pending >= START_AFTER:
            break
    if pending < START_AFTER:
        yield from engine.audit_stream(expanded(head))
        return
    if reporter is not None and not reporter.renders_alone:
        reporter = None
    items = chain(head, iterator)
    if reporter is None:  # the results are rebuilt here around this process's posts: read them here
        items = expanded(items)
    yield from _pooled(engine, items, jobs, reporter)


def _pooled(engine: "Engine", items: Iterator, jobs: int, reporter: "Reporter | None" = None) -> Iterator:
    global _ENGINE, _REPORTER
    import gc

    # What is loaded by now (modules, rules, dictionary) lives as long as the
    # process: the collector need not walk it again, here or in forked workers.
    gc.freeze()
    # Ctrl-C is held back while the workers are forked: one that arrived in a
    # child before it ignores SIGINT would kill it holding a chunk, and one
    # that arrived here half way through would leave a pool nobody ends.
    # Children inherit the blocked signal and drop it once they ignore it.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pool = _start_pool(engine, jobs, reporter)
    except BaseException:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        raise
    pending: deque = deque()  # (items of the chunk, the worker's answer), oldest first
    finished = False
    try:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        task = _audit_chunk if reporter is None else _render_chunk
        results = _results if reporter is None else _rendered
        for chunk in _chunks(items):
            if isinstance(chunk, Batch):  # parsed, audited and rendered by a worker
                pending.append((chunk, pool.apply_async(_render_batch, chunk.task())))
            else:
                posts = [item for item in chunk if not isinstance(item, InputProblem)]
                pending.append((chunk, pool.apply_async(task, (posts,)) if posts else None))
            if len(pending) >= jobs * IN_FLIGHT:
                yield from _answers(engine, results, *pending.popleft())
        while pending:
            yield from _answers(engine, results, *pending.popleft())
        pool.close()
        pool.join()
        finished = True
    finally:
        if finished:
            pool.terminate()  # a no-op after close/join
        else:
            _stop_now(pool)
        _ENGINE = _REPORTER = None


def _stop_now(pool) -> None:
    """End the pool after an error, a closed pipe or Ctrl-C, in bounded time.

    `Pool.terminate()` kills the workers, then waits for its task thread,
    which may be stuck writing a chunk into the workers' pipe with no one
    left to read it (the pipe holds 64 KB, a chunk more). So terminate runs
    in the background while this thread empties that pipe once the workers
    are gone; after 10 s the pool is left to the process's exit."""
    import threading
    import time

    stopper = threading.Thread(target=pool.terminate, daemon=True)
    stopper.start()
    workers = list(getattr(pool, "_pool", ()))
    reader = getattr(getattr(pool, "_inqueue", None), "_reader", None)
    deadline = time.monotonic() + 10
    while stopper.is_alive() and time.monotonic() < deadline:
        stopper.join(0.05)
        if reader is not None and all(worker.exitcode is not None for worker in workers):
            try:
                while reader.poll():
                    reader.recv_bytes()
            except (OSError, EOFError):
                reader = None


def _chunks(items: Iterator) -> Iterator["list | Batch"]:
    """Lists of up to CHUNK posts and problems; a `Batch` as it is."""
    chunk: list = []
    for item in items:
        if isinstance(item, Batch):
            if chunk:
                yield chunk
                chunk = []
            yield item
            continue
        chunk.append(item)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _answers(engine: "Engine", results, chunk: "list | Batch", answer) -> Iterator:
    if isinstance(chunk, Batch):
        return _rendered_batch(engine, chunk, answer)
    return results(chunk, answer)


def _results(chunk: list, answer) -> Iterator["PostResult | InputProblem"]:
    packed = iter(answer.get() if answer is not None else ())
    for item in chunk:
        yield item if isinstance(item, InputProblem) else unpack(item, next(packed))


def _rendered(chunk: list, answer) -> Iterator["Rendered | InputProblem"]:
    rendered = iter(answer.get() if answer is not None else ())
    for item in chunk:
        yield item if isinstance(item, InputProblem) else Rendered(*next(rendered))


def _rendered_batch(engine: "Engine", batch: Batch, answer) -> Iterator["RenderedRun | PostResult | InputProblem"]:
    """A batch's posts as its worker rendered them (a `RenderedRun` for each
    run between its other entries), its problems, and the posts of the keys
    it handed back, read and audited here (`Batch.local`)."""
    entries, not_posts = answer.get()
    posts = problems = 0
    last = len(entries) - 1
    for index, entry in enumerate(entries):
        if type(entry) is tuple:  # (fragments, tally) of a run of posts
            posts += len(entry[0])
            yield RenderedRun(entry[0], entry[1], index < last)
        elif isinstance(entry, InputProblem):
            problems += 1
            yield entry
        else:
            yield from engine.audit_stream(batch.local(entry))
    batch.settle(posts, problems, not_posts)


# -- the workers ------------------------------------------------------------------

_ENGINE = None  # the worker's engine
_REPORTER = None  # the worker's reporter, which renders fragments only (no `out`)


def _start_pool(engine: "Engine", jobs: int, reporter: "Reporter | None" = None):
    import multiprocessing
    import threading

    global _ENGINE, _REPORTER
    methods = multiprocessing.get_all_start_methods()
    rendering = None if reporter is None else (type(reporter), reporter.options)
    if "fork" in methods and threading.active_count() == 1:
        # The children inherit the engine as it is: rules, patterns, dictionary loaded.
        _ENGINE = engine
        _REPORTER = None if reporter is None else type(reporter)(None, reporter.options)
        context = multiprocessing.get_context("fork")
        arguments: tuple = (None, None, None)
    else:
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        arguments = (engine.settings, engine.rules, rendering)
    # (_ENGINE stays set while the pool lives: a worker forked again inherits it too.)
    return _pool_class()(jobs, initializer=_init_worker, initargs=arguments, context=context)


_QUIET_POOL = None


def _pool_class():
    """`multiprocessing.pool.Pool` whose worker-handler thread sleeps until a
    worker exits or the pool changes state (close, terminate, all tasks done).

    The stock one also wakes whenever the results pipe holds data, which it
    does not read (the result-handler thread does): until that thread gets the
    interpreter lock, the handler spins through `_maintain_pool`, about 0.3 s
    of this process's CPU on the 35,643-record file, taken from the threads
    that do the work. It watches worker exits and the change notifier still,
    and nothing else of the pool depends on that wake-up."""
    global _QUIET_POOL
    if _QUIET_POOL is None:
        from multiprocessing.pool import Pool

        class QuietPool(Pool):
            def _get_sentinels(self):
                return [self._change_notifier._reader]

        _QUIET_POOL = QuietPool
    return _QUIET_POOL


def _init_worker(settings, rules, rendering) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends the pool
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked while forked (see _pooled)
    global _ENGINE, _REPORTER
    if _ENGINE is None:
        from .engine import Engine

        _ENGINE = Engine(settings, rules)
    if _REPORTER is None and rendering is not None:
        reporter_type, options = rendering
        _REPORTER = reporter_type(None, options)
    import gc

    gc.freeze()
    from .reporting import young_collections_less_often

    young_collections_less_often()  # for the worker's life


def _audit_chunk(posts: list["Post"]) -> list[tuple]:
    audit = _ENGINE.audit_post
    return [pack(audit(post)) for post in posts]


def _render_chunk(posts: list["Post"]) -> list[tuple]:
    from .summary import digest

    audit, render = _ENGINE.audit_post, _REPORTER.fragment
    out = []
    for post in posts:
        result = audit(post)
        out.append((render(result), digest(result)))
    return out


def _render_batch(parse, args: tuple) -> tuple[list, "Counter"]:
    """A `Batch` parsed (`parse(*args)`, its `task()`), each post audited and
    rendered: a (fragments, tally of their digests) tuple for each run of
    posts, problems, and the keys to be read in the parent, in order."""
    from .summary import digest, tally

    entries, not_posts = parse(*args)
    audit, render = _ENGINE.audit_post, _REPORTER.fragment
    out: list = []
    runs: list = []  # (place in out, fragments, digests)
    fragments = digests = None  # the run being made
    for entry in entries:
        if isinstance(entry, Post):
            result = audit(entry)
            if fragments is None:
                fragments, digests = [], []
                runs.append((len(out), fragments, digests))
                out.append(None)
            fragments.append(render(result))
            digests.append(digest(result))
        else:
            fragments = None
            out.append(entry)
    for place, fragments, digests in runs:
        out[place] = (fragments, tally(digests))
    return out, not_posts


# -- results as plain tuples ------------------------------------------------------
# What the audit added to a post, without the post: findings and scores. The
# post and its images are the parent's own objects, put back by `unpack`.


def pack(result: PostResult) -> tuple:
    return (
        [_pack_finding(f) for f in result.findings],
        [([_pack_finding(f) for f in image.findings], _pack_score(image.score)) for image in result.images],
        _pack_score(result.score),
    )


def unpack(post: "Post", packed: tuple) -> PostResult:
    findings, images, score = packed
    if len(images) != len(post.images):
        raise RuntimeError("a worker's result does not match its post")
    return PostResult(
        post,
        [ImageResult(image, [_finding(f) for f in found], _score(image_score)) for image, (found, image_score) in zip(post.images, images)],
        [_finding(f) for f in findings],
        _score(score),
    )


def _pack_finding(f: Finding) -> tuple:
    span = f.span
    where = f.location
    return (
        f.code,
        f.level.value,
        f.message,
        f.image_index,
        None if span is None else (span.start, span.end),
        f.suggestion,
        f.name,
        f.fix,
        f.why,
        None if where is None else (where.path, where.line, where.column, where.end_line, where.end_column, where.uri),
    )


_LEVELS = {level.value: level for level in Level}


def _finding(t: tuple) -> Finding:
    code, level, message, image_index, span, suggestion, name, fix, why, where = t
    return Finding(
        code,
        _LEVELS[level],
        message,
        image_index,
        None if span is None else Span(*span),
        suggestion,
        name,
        fix,
        why,
        None if where is None else Location(*where),
    )


def _pack_score(score: Score | None) -> tuple | None:
    if score is None:
        return None
    return (
        score.value,
        [(d.code, d.points, d.note) for d in score.deductions],
        [(d.code, d.points, d.note) for d in score.credits],
    )


def _score(t: tuple | None) -> Score | None:
    if t is None:
        return None
    value, deductions, credits = t
    return Score(value, [Deduction(*d) for d in deductions], [Deduction(*d) for d in credits])
