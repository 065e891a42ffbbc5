"""`check --jobs`: a large input audited over worker processes gives the same
report, byte for byte, as one process; small inputs never start a pool."""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from dataclasses import fields
from pathlib import Path

import pytest

from auditor import parallel
from auditor.config import Settings
from auditor.engine import Engine
from auditor.inputs.discover import iter_items
from auditor.model import Finding, InputProblem, Location, PostResult
from auditor.reports.base import Reporter, format_names, reporter_class

ROOT = Path(__file__).parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "tidytuesday_tweets_alt.csv"
EXAMPLE = ROOT / "examples" / "drafts" / "community-day.md"
ALTAUDIT = Path(sys.executable).parent / "altaudit"
RECORDS = 700  # over parallel.START_AFTER, several chunks


def tweets() -> list[tuple[str, str]]:
    """(tweet, alt text) of the real TidyTuesday tweets, in file order."""
    with open(CORPUS, encoding="utf-8", newline="") as handle:
        return [(row["text"] or "", row["alt_text"]) for row in csv.DictReader(handle)]


def record(number: int, text: str, alt: str) -> dict:
    value = {
        "$type": "app.bsky.feed.post",
        "text": text,
        "createdAt": "2025-01-01T00:00:00.000Z",
        "langs": ["en"],
        "embed": {"$type": "app.bsky.embed.images", "images": [{"alt": alt, "image": {"$type": "blob"}}]},
    }
    return {"uri": f"at://did:plc:parallel/app.bsky.feed.post/{number:013d}", "cid": "bafy", "value": value}


def lines(count: int, offset: int = 0) -> list[str]:
    """JSON lines of real tweets' records, with bad and other records among them."""
    texts = tweets()[offset:]
    out = []
    for number in range(count):
        text, alt = texts[number % len(texts)]
        if number == 5:
            out.append('{"$type": "app.bsky.feed.post", "text": "cut off" ')  # broken JSON
        elif number == 150:
            out.append(json.dumps({"$type": "app.bsky.feed.like", "subject": {"uri": "at://x", "cid": "y"}}))
        elif number == 333:
            out.append(json.dumps({"$type": "app.bsky.feed.post", "text": 5}))  # a wrong type
        elif number == 420:
            out.append(json.dumps(record(number, "[bold]markup[/bold]", "A chart \ud800 with a lone surrogate")))
        else:
            out.append(json.dumps(record(number, text, alt)))
    return out


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parallel")
    jsonl = folder / "posts.jsonl"
    jsonl.write_text("\n".join(lines(RECORDS)) + "\n", encoding="utf-8")
    walked = folder / "walked"
    walked.mkdir()
    (walked / "a.jsonl").write_text("\n".join(lines(300, 1000)) + "\n", encoding="utf-8")
    listed = [record(n, text, alt) for n, (text, alt) in enumerate(tweets()[2000:2300])]
    (walked / "b.json").write_text(json.dumps(listed, indent=1), encoding="utf-8")  # one JSON list, pretty-printed
    (walked / "c.md").write_bytes(EXAMPLE.read_bytes())
    shutil.copytree(EXAMPLE.parent / "images", walked / "images")
    return {"jsonl": jsonl, "folder": walked}


def run(*args):
    env = {**os.environ, "COLUMNS": "120"}
    env.pop("ALTAUDIT_DEBUG", None)
    return subprocess.run([str(ALTAUDIT), *map(str, args)], capture_output=True, env=env, cwd=ROOT)


@pytest.mark.parametrize("output_format", ["json", "jsonl", "sarif", "terminal"])
def test_two_workers_write_the_same_report_as_one_process(inputs, output_format):
    every = ["--all"] if output_format == "terminal" else []  # a large terminal report lists posts when asked
    one = run("check", inputs["jsonl"], "--format", output_format, *every, "--jobs", "1", "--no-images")
    two = run("check", inputs["jsonl"], "--format", output_format, *every, "--jobs", "2", "--no-images")
    assert one.returncode == 2  # the broken line and the wrong type
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)
    assert len(one.stdout) > 100_000  # hundreds of posts, not an empty report
    err = one.stderr.decode()
    path = str(inputs["jsonl"])
    assert f"{path}:6: line is not valid JSON" in err and f"{path}:334: " in err


def test_a_folder_of_record_files_and_a_draft_the_same_over_two_workers(inputs):
    one = run("check", inputs["folder"], "--format", "json", "--jobs", "1", "--no-images")
    two = run("check", inputs["folder"], "--format", "json", "--jobs", "2", "--no-images")
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)
    report = json.loads(one.stdout)
    assert report["summary"]["posts"] == 300 - 2 + 300 + 1  # less the broken line and the like
    assert report["posts"][-1]["source"]["path"].endswith("c.md")


def test_results_rebuilt_from_workers_equal_the_engine_s(inputs):
    engine = Engine(Settings())
    items = list(iter_items([str(inputs["jsonl"])]))
    here = list(engine.audit_stream(items))
    pooled = list(parallel.audit_items(Engine(Settings()), items, jobs=2))
    assert pooled == here
    assert any(isinstance(item, InputProblem) for item in pooled)
    assert any(item.all_findings() for item in pooled if isinstance(item, PostResult))
    # and the posts are this process's own objects, not copies
    assert all(a.post is b.post for a, b in zip(pooled, here) if isinstance(a, PostResult))


def test_packing_knows_every_field_of_a_finding_and_a_location():
    # A field added to the model must be added to parallel.pack/unpack too.
    assert [f.name for f in fields(Finding)] == ["code", "level", "message", "image_index", "span", "suggestion", "name", "fix", "why", "location"]
    assert [f.name for f in fields(Location)] == ["path", "line", "column", "end_line", "end_column", "uri"]


def test_a_small_input_is_audited_here_without_a_pool(inputs, monkeypatch):
    def no_pool(*args):
        raise AssertionError("a pool was started for a small input")

    monkeypatch.setattr(parallel, "_start_pool", no_pool)
    items = list(iter_items([str(EXAMPLE)])) * (parallel.START_AFTER - 1)
    results = list(parallel.audit_items(Engine(Settings()), items, jobs=2))
    assert len(results) == parallel.START_AFTER - 1


def test_workers_end_when_the_report_stops_early(inputs):
    results = parallel.audit_items(Engine(Settings()), iter_items([str(inputs["jsonl"])]), jobs=2)
    first = next(results)
    assert multiprocessing.active_children()  # the pool is running
    results.close()  # what a closed pipe or an error in a reporter does
    assert isinstance(first, PostResult)
    assert multiprocessing.active_children() == []


def test_jobs_must_be_a_positive_number(inputs):
    proc = run("check", EXAMPLE, "--jobs", "0")
    assert proc.returncode == 2 and b"--jobs" in proc.stderr


def _left_behind(marker: str) -> list[str]:
    """Processes still running whose command line names `marker` (workers share their parent's)."""
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as handle:
                    if marker.encode() in handle.read():
                        found.append(pid)
            except OSError:
                continue
    return found


def _children(parent: int) -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
                    if int(handle.read().rsplit(")", 1)[1].split()[1]) == parent:
                        found.append(pid)
            except (OSError, IndexError, ValueError):
                continue
    return found


def _big_file(tmp_path, times: int = 6) -> Path:
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(lines(RECORDS * times)) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_closed_pipe_ends_the_audit_and_its_workers(tmp_path, jobs):
    path = _big_file(tmp_path)
    proc = subprocess.Popen(
        [str(ALTAUDIT), "check", str(path), "--format", "jsonl", "--jobs", jobs, "--no-images"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
    )
    assert json.loads(proc.stdout.readline())["type"] == "post"
    proc.stdout.close()  # as `| head -1` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) != 0
    assert "Traceback" not in err and "internal error" not in err, err
    assert _left_behind(str(path)) == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_the_audit_and_its_workers_and_leaves_no_report(tmp_path, jobs):
    import signal

    # Long enough (some seconds of audit) that the signal lands before the end.
    path = _big_file(tmp_path, times=40)
    report = tmp_path / "report.json"
    proc = subprocess.Popen(
        [str(ALTAUDIT), "check", str(path), "--format", "jsonl", "--jobs", jobs, "--no-images", "--output", str(report)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, start_new_session=True,
    )
    def started() -> bool:  # the report has begun; with --jobs 2, the workers too
        return bool(list(tmp_path.glob(".report.json.*.tmp"))) and (jobs == "1" or bool(_children(proc.pid)))

    for _ in range(1200):
        if started():
            break
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.05)
    assert started()
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends: the whole foreground group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err, err
    assert not report.exists() and not list(tmp_path.glob(".report.json.*"))
    assert _left_behind(str(path)) == []


# -- JSON Lines parsed where they are audited (Inputs(record_lines=True)) ----------

FEED_PAGES = ROOT / "tests" / "fixtures" / "api" / "author_feed_pages.jsonl"


@pytest.fixture(scope="module")
def lines_file(tmp_path_factory):
    """Real tweets' records with broken lines, a like, a wrong type, a lone
    surrogate, a non-UTF-8 line, blank lines, and pages of a real author feed
    twice over (its posts are audited once a file, by URI), across batches."""
    feed = FEED_PAGES.read_text(encoding="utf-8").splitlines()
    out = lines(RECORDS)
    out[100:100] = feed  # in the first batch
    out[650:650] = ["", "   "] + feed[::-1]  # the same posts again, later
    path = tmp_path_factory.mktemp("record-lines") / "mixed.jsonl"
    data = ("\n".join(out) + "\n").encode("utf-8", "surrogatepass")
    path.write_bytes(data + b'{"text": "\xff not UTF-8"}\n' + "\n".join(lines(120, 500)).encode() + b"\n")
    return path


def _report(paths, output_format, jobs, record_lines, **options):
    import io

    from auditor.reporting import run_report

    inputs = iter_items([str(p) for p in paths], record_lines=record_lines)
    out, err = io.StringIO(), io.StringIO()
    code = run_report(inputs, Settings(), output_format, stream=out, stderr=err, not_posts=inputs.not_posts, jobs=jobs, width=120, color=False, **options)
    return code, out.getvalue(), err.getvalue(), (inputs.posts, inputs.problems, dict(inputs.not_posts))


_READ_HERE: dict = {}  # format -> the report of the posts read here


@pytest.mark.parametrize("output_format", ["json", "jsonl", "sarif", "terminal", "concise"])
@pytest.mark.parametrize("jobs", [1, 2])
def test_lines_parsed_by_workers_give_the_same_report_as_posts_read_here(lines_file, output_format, jobs):
    every = {"show_all": True} if output_format == "terminal" else {}
    if output_format not in _READ_HERE:  # the same for both jobs values: made once
        _READ_HERE[output_format] = _report([lines_file], output_format, 1, False, **every)
    read_here = _READ_HERE[output_format]
    deferred = _report([lines_file], output_format, jobs, True, **every)
    assert deferred == read_here
    code, out, err, (posts, problems, not_posts) = read_here
    assert code == 2 and problems == 4 and not_posts == {"app.bsky.feed.like": 1}
    assert f"{lines_file}:6: line is not valid JSON" in err and "not UTF-8" in err
    assert posts > RECORDS  # the feed's posts once, with the records
    if output_format == "json":
        report = json.loads(out)
        uris = [p["source"]["uri"] for p in report["posts"] if "feed.post/3m" in (p["source"]["uri"] or "")]
        assert uris and len(uris) == len(set(uris))  # each feed post once


def test_a_folder_with_lines_parsed_by_workers_the_same(inputs):
    assert _report([inputs["folder"]], "json", 2, True) == _report([inputs["folder"]], "json", 1, False)


def test_a_baseline_or_sections_keep_the_results_here_and_the_same_report(lines_file):
    from auditor.summary import DescribedByMonth

    seen = []

    def transform(result):
        seen.append(result.post.source.line)
        return result

    here = _report([lines_file], "json", 1, False, transform=transform)
    count = len(seen)
    assert _report([lines_file], "json", 2, True, transform=transform) == here
    assert len(seen) == 2 * count  # every post through the transform, in this process
    assert _report([lines_file], "json", 2, True, sections=[DescribedByMonth()]) == _report(
        [lines_file], "json", 1, False, sections=[DescribedByMonth()]
    )


def test_batches_of_lines_parse_to_what_the_reader_yields(lines_file):
    from auditor.inputs.record_lines import RecordLines

    batches = list(iter_items([str(lines_file)], record_lines=True))
    assert batches and all(type(b) is RecordLines for b in batches)
    assert sum(len(b.lines) for b in batches) == lines_file.read_bytes().count(b"\n")
    parsed = [item for batch in batches for item in batch.expand()]
    assert parsed == list(iter_items([str(lines_file)]))


def test_a_small_file_of_lines_is_audited_here_without_a_pool(tmp_path, monkeypatch):
    def no_pool(*args):
        raise AssertionError("a pool was started for a small input")

    monkeypatch.setattr(parallel, "_start_pool", no_pool)
    path = tmp_path / "small.jsonl"
    path.write_text("\n".join(lines(parallel.START_AFTER - 1)) + "\n", encoding="utf-8")
    code, out, _, (posts, problems, _) = _report([path], "jsonl", 2, True)
    assert code == 2 and problems == 2 and out.count('"type": "post"') == posts == parallel.START_AFTER - 4


def test_workers_parsing_lines_end_when_the_report_stops_early(lines_file):
    from auditor.reports.base import ReportOptions, reporter_class

    reporter = reporter_class("jsonl")(None, ReportOptions())
    results = parallel.audit_items(Engine(Settings()), iter_items([str(lines_file)], record_lines=True), jobs=2, reporter=reporter)
    first = next(results)
    assert isinstance(first, parallel.RenderedRun) and '"type": "post"' in first.fragments[0]
    assert multiprocessing.active_children()
    results.close()
    assert multiprocessing.active_children() == []


def test_lines_read_before_a_failed_read_are_kept():
    from collections import Counter

    from auditor.inputs.record_lines import LinesFile, batches

    def failing():
        yield from (line.encode() + b"\n" for line in lines(10))
        raise OSError(5, "Input/output error")

    got = []
    with pytest.raises(OSError):
        for batch in batches(failing(), 1, LinesFile("x.jsonl", Counter())):
            got.append(batch)
    assert [len(batch.lines) for batch in got] == [10]
    assert len([item for item in got[0].expand() if not isinstance(item, InputProblem)]) == 9  # less the broken line


@pytest.mark.parametrize("name", format_names())
def test_every_format_writes_posts_one_way_or_the_other(name):
    # Reporter.fragment and write_fragment are the interface's open slots: a format
    # either renders alone (both filled in, post() is theirs) or writes post() itself.
    cls = reporter_class(name)
    if cls.renders_alone:
        assert cls.fragment is not Reporter.fragment and cls.write_fragment is not Reporter.write_fragment
        assert cls.post is Reporter.post  # so that --jobs 1 writes what the workers render
    else:
        assert cls.post is not Reporter.post


# -- any input's batches (inputs.batch.Batch) ---------------------------------------


def _parse_numbered(path: str, first: int, texts: list) -> tuple[list, "Counter"]:
    """A batch kind of this test's own: each text a post, `None` a key for the parent,
    "like" a record that is not a post, "bad" a problem (runs in a worker)."""
    from collections import Counter

    from auditor.model import Image, Post, Source

    entries: list = []
    not_posts: Counter = Counter()
    for number, text in enumerate(texts, start=first):
        if text is None:
            entries.append(f"key-{number}")
        elif text == "like":
            not_posts["app.bsky.feed.like"] += 1
        elif text == "bad":
            entries.append(InputProblem(path, number, "bad record"))
        else:
            entries.append(Post(text="", images=[Image(1, text)], source=Source(path, number)))
    return entries, not_posts


def _numbered_batch_type():
    from collections import Counter

    from auditor.inputs.batch import Batch
    from auditor.model import Image, Post, Source

    class Numbered(Batch):
        __slots__ = ("first", "texts", "counts")

        def __init__(self, first, texts, counts):
            self.first, self.texts, self.counts = first, texts, counts

        @property
        def weight(self):
            return len(self.texts)

        def task(self):
            return _parse_numbered, ("n.txt", self.first, self.texts)

        def local(self, key):
            number = int(key.split("-")[1])
            self.counts["local"] += 1
            yield Post(text="", images=[Image(1, f"A local post from line {number}.")], source=Source("n.txt", number))

        def settle(self, posts, problems, not_posts=None):
            self.counts["posts"] += posts
            self.counts["problems"] += problems
            self.counts.update(not_posts or Counter())

    return Numbered


def test_a_batch_of_any_kind_is_parsed_by_the_workers_with_its_keys_read_here():
    import io
    from collections import Counter

    from auditor.reporting import run_report

    Numbered = _numbered_batch_type()
    alts = [alt for _, alt in tweets()[:700]]
    alts[3], alts[250], alts[400], alts[401] = None, "like", "bad", None

    def stream(counts):
        return [Numbered(first, alts[first - 1 : first + 299], counts) for first in range(1, 701, 300)]

    reports = []
    for jobs in (1, 2):
        counts: Counter = Counter()
        out, err = io.StringIO(), io.StringIO()
        code = run_report(stream(counts), Settings(), "json", stream=out, stderr=err, jobs=jobs)
        reports.append((code, out.getvalue(), err.getvalue(), counts))
    assert reports[0] == reports[1]
    code, out, err, counts = reports[0]
    assert code == 2 and "n.txt:401: bad record" in err
    assert counts == Counter(posts=696, problems=1, local=2, **{"app.bsky.feed.like": 1})
    report = json.loads(out)
    assert [p["source"]["line"] for p in report["posts"]][:6] == [1, 2, 3, 4, 5, 6]
    assert report["posts"][3]["images"][0]["alt"] == "A local post from line 4."
    assert len(report["posts"]) == 698


def test_the_collector_is_tuned_for_the_audit_and_restored_after(inputs):
    import gc

    before = gc.get_threshold()
    seen = []

    def transform(result):
        seen.append(gc.get_threshold()[0])
        return result

    _report([inputs["folder"]], "json", 1, False, transform=transform)
    assert seen and set(seen) == {max(before[0], 10_000)}
    assert gc.get_threshold() == before


class _Flushes:
    """A text stream that records what had been written at each flush."""

    def __init__(self):
        import io

        self.text = io.StringIO()
        self.flushed: list[int] = []

    def write(self, text):
        return self.text.write(text)

    def flush(self):
        self.flushed.append(len(self.text.getvalue()))


@pytest.mark.parametrize("jobs", [1, 2])
def test_jsonl_flushes_each_post_or_each_batch_of_a_worker_whole(lines_file, jobs):
    from auditor.reporting import run_report

    stream = _Flushes()
    inputs = iter_items([str(lines_file)], record_lines=True)
    run_report(inputs, Settings(), "jsonl", stream=stream, stderr=_Flushes(), jobs=jobs)
    text = stream.text.getvalue()
    posts = text.count('{"type": "post"')
    assert stream.flushed and all(text[at - 1] == "\n" for at in stream.flushed)  # whole lines only
    after_posts = [at for at in stream.flushed if text[:at].count('{"type": "post"') > 0]
    if jobs == 1:
        assert len(stream.flushed) >= posts  # each post as it is done
    else:
        # a worker's batch of 300 lines at once: a flush after its last post, not after each
        assert len(after_posts) < posts / 50
        last_post = text.rfind('{"type": "post"')
        assert any(at > last_post for at in stream.flushed)


def test_the_pool_s_worker_handler_waits_for_workers_and_changes_not_for_results():
    """The stock Pool's worker handler also wakes on the results pipe, which
    another thread reads: it spun while results waited (0.3 s of CPU on a
    large file). It must still wait on the change notifier and the workers."""
    pool = parallel._start_pool(Engine(Settings()), 2)
    try:
        handler_args = pool._worker_handler._args
        waited = next(arg for arg in handler_args if isinstance(arg, list) and pool._change_notifier._reader in arg)
        assert pool._outqueue._reader not in waited
        workers = {worker.pid for worker in pool._pool}
        assert {pool.apply_async(os.getpid).get(timeout=60) for _ in range(8)} <= workers
        pool.close()
        pool.join()  # the handler woke for the close and ended the workers
        assert all(worker.exitcode is not None for worker in pool._pool) and not pool._worker_handler.is_alive()
    finally:
        pool.terminate()
        parallel._ENGINE = parallel._REPORTER = None


# -- runs of a batch's posts (parallel.RenderedRun) --------------------------------


def _results_and_problems(path) -> list:
    engine = Engine(Settings())
    return list(engine.audit_stream(iter_items([str(path)])))


def _runs(items: list, sizes=(1, 7, 300, 2, 50)) -> list:
    """`items` cut into runs of posts of the given sizes in turn, problems between."""
    out, run, turn = [], [], 0
    for item in items:
        if isinstance(item, InputProblem):
            if run:
                out.append(run)
                run = []
            out.append(item)
            continue
        run.append(item)
        if len(run) == sizes[turn % len(sizes)]:
            out.append(run)
            run, turn = [], turn + 1
    if run:
        out.append(run)
    return out


@pytest.mark.parametrize("worst", [0, 3, 10])
def test_a_summary_adds_runs_of_digests_as_it_adds_each(lines_file, worst):
    from auditor.summary import DescribedByMonth, Summary, digest

    items = _results_and_problems(lines_file)
    each, runs = Summary(worst=worst), Summary(worst=worst)
    for item in items:
        if isinstance(item, PostResult):
            each.add_digest(digest(item))
    for part in _runs(items):
        if isinstance(part, list):
            runs.add_digests([digest(result) for result in part])
    assert runs.to_dict() == each.to_dict() and runs.to_dict()["posts"] > RECORDS
    assert runs._worst == each._worst and len(each._worst) == worst
    assert (runs.rule_levels, list(runs.by_code.items())) == (each.rule_levels, list(each.by_code.items()))
    with pytest.raises(ValueError):
        Summary(sections=[DescribedByMonth()]).add_digests([digest(items[0])])


@pytest.mark.parametrize("name", [name for name in format_names() if reporter_class(name).renders_alone])
def test_a_format_writes_runs_of_fragments_as_it_writes_each(lines_file, name):
    import io

    from auditor.reports.base import ReportOptions
    from auditor.summary import Summary

    items = _results_and_problems(lines_file)
    options = ReportOptions(rules={rule.code: rule for rule in Engine(Settings()).rules})
    texts = []
    for by_runs in (False, True):
        out = io.StringIO()
        reporter = reporter_class(name)(out, options)
        reporter.start()
        for part in _runs(items):
            if isinstance(part, InputProblem):
                reporter.problem(part)
            elif by_runs:
                reporter.write_fragments([reporter.fragment(result) for result in part], more=False)
            else:
                for result in part:
                    reporter.write_fragment(reporter.fragment(result))
        reporter.finish(Summary())
        texts.append(out.getvalue())
    assert texts[0] == texts[1] and len(texts[0]) > 100_000
