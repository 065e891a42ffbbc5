"""Speed of altaudit, measured the way the README reports it.

    .venv/bin/python scripts/benchmark.py [--corpus ../shared/corpus] [--repeat 3]
        [--runs 20] [--per-rule] [--cpu N] [--skip-throughput] [--skip-cold-start]
        [--records 35643] [--file-runs 2] [--skip-large] [--skip-ten-times]

1. Throughput: every alt text of the shared corpus (3,006 HCI figure
   descriptions, 7,139 tweets with the tweet as post text), one image per
   post, audited by `Engine(Settings())` (every rule) in this one process,
   pinned to one core. The first pass is cold: it includes importing the
   engine and checks, reading the rules, the dictionary and textstat, and
   compiling the rules' patterns. Later passes build a fresh Engine in the
   same, now warm, process; the best of them is reported. `--per-rule` adds
   as many passes again that time each rule's check separately (these
   passes are slower by the timers' own cost and are not counted above).
2. Large file, whole process: the corpus texts written as one-image
   ``app.bsky.feed.post`` records (``{uri, cid, value}`` lines, as listRecords
   gives them) into a JSON Lines file of 35,643 records, and the same ten
   times over (356,430). `altaudit check FILE --format json > /dev/null`
   against a plain Python loop that `json.loads` each line of the same file,
   run alternately; each process's peak resident memory from `os.wait4` in a
   small launcher that starts it.
3. Cold start: `altaudit check` on the bundled example draft as a new process,
   and on a JSON Lines file of one record,
   against `python -c "import typer, rich"`, run alternately and interleaved
   so that all commands see the same machine load; the ratio of their medians
   is the figure. Extra rows: `--format json` (which imports nothing from
   rich), `altaudit alt`, and a typer app that only prints a rich Text and
   Table (the floor that any typer + rich command stands on, with no
   altaudit code). Bytecode is written and used, as after any install.

Only the standard library and auditor. Machines are noisy: compare the
figures of one run with each other, not with another run's.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "drafts" / "community-day.md"
THROUGHPUT_TARGET = 5000  # descriptions a second
RATIO_TARGET = 1.5  # altaudit check / import typer, rich
BASELINE = "python -c 'import typer, rich'"
CHECK = "altaudit check (example draft)"
ONE_RECORD = "altaudit check (JSON Lines file of one record)"
ONE_RECORD_LINE = json.dumps(
    {
        "$type": "app.bsky.feed.post",
        "text": "Frost on the allotment",
        "createdAt": "2025-01-01T00:00:00.000Z",
        "langs": ["en"],
        "embed": {"$type": "app.bsky.embed.images", "images": [{"alt": "Frost-covered cabbage leaves in the morning sun.", "image": {"$type": "blob"}}]},
    }
)
LARGE_RATIO_TARGET = 10  # check --format json / plain json.loads loop
MEMORY_TARGET_MB = 150

FLOOR_APP = '''
import typer
app = typer.Typer(add_completion=False)
@app.command()
def check(paths: list[str], verbose: bool = False):
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text
    console = Console()
    console.print(Text("a line of report " * 4, style="bold"))
    table = Table()
    table.add_column("rule")
    table.add_row("T402")
    console.print(table)
@app.command()
def other(x: str): pass
app()
'''


# -- throughput -----------------------------------------------------------


def corpus_posts(corpus: Path) -> dict[str, list]:
    """The corpus as Posts of one image each, by source file."""
    from auditor.model import Image, Post

    hci, tweets = [], []
    with open(corpus / "hci_alt_text_dataset.jsonl", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                hci.append(Post("", [Image(1, json.loads(line)["alt_text"])], ["en"]))
    with open(corpus / "tidytuesday_tweets_alt.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            tweets.append(Post(row["text"] or "", [Image(1, row["alt_text"])], ["en"]))
    return {"hci": hci, "tweets": tweets}


def _pass(posts: list) -> float:
    """Seconds for one audit of `posts` by a fresh Engine with every rule."""
    from auditor.config import Settings
    from auditor.engine import Engine

    start = time.perf_counter()
    Engine(Settings()).audit(posts)
    return time.perf_counter() - start


class _GcTimer:
    """Time spent in the garbage collector during each `with` block."""

    def __init__(self) -> None:
        self.spent: list[float] = []
        self._start = 0.0

    def _callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.spent[-1] += time.perf_counter() - self._start

    def __enter__(self) -> None:
        self.spent.append(0.0)
        gc.callbacks.append(self._callback)

    def __exit__(self, *exc) -> None:
        gc.callbacks.remove(self._callback)


def throughput(groups: dict[str, list], repeat: int) -> dict:
    posts = [post for group in groups.values() for post in group]
    already = {name for name in ("auditor.engine", "auditor.dictionary", "textstat") if name in sys.modules}
    if already:  # the cold pass would not be cold
        raise SystemExit(f"benchmark: {sorted(already)} imported before the cold pass")
    start = time.perf_counter()
    from auditor.config import Settings  # noqa: F401 - part of the cold pass
    from auditor.engine import Engine  # noqa: F401

    imports = time.perf_counter() - start
    cold = imports + _pass(posts)
    collector = _GcTimer()
    warm = []
    for _ in range(repeat):
        with collector:
            warm.append(_pass(posts))
    by_group = {name: min(_pass(group) for _ in range(max(1, min(repeat, 2)))) for name, group in groups.items()}
    return {
        "count": len(posts),
        "cold_s": cold,
        "import_s": imports,
        "warm_s": warm,
        "gc_s": collector.spent[warm.index(min(warm))],
        "groups": {name: (len(groups[name]), seconds) for name, seconds in by_group.items()},
    }


def per_rule(posts: list, passes: int) -> tuple[float, dict[str, float]]:
    """Seconds per rule over a warm pass, each rule's check timed on its own,
    with the garbage collector off (its time is reported with the warm passes).

    Check functions are generators: they are drained inside the timer so
    that the time is the check's, not the engine's. The rest of the pass
    (contexts, findings, supersession, scores) is the engine's own.
    """
    from auditor import checks
    from auditor.config import Settings
    from auditor.engine import Engine

    spent: dict[str, float] = {}
    original = dict(checks.CHECKS)

    def timed_check(function):
        def run(ctx):
            start = time.perf_counter()
            hits = list(function(ctx))
            code = ctx.rule.code
            spent[code] = spent.get(code, 0.0) + time.perf_counter() - start
            return hits

        return run

    for name, check in original.items():
        # (replace keeps the check's other fields: its gate, the images it needs...)
        checks.CHECKS[name] = dataclasses.replace(check, function=timed_check(check.function))
    # Without the collector: its pauses would land in whichever check runs at the time.
    # Each figure is the least of `passes` passes, which drops most pauses where
    # another process had the core.
    best: dict[str, float] = {}
    totals = []
    gc.collect()
    gc.disable()
    try:
        for _ in range(passes):
            spent.clear()
            start = time.perf_counter()
            Engine(Settings()).audit(posts)
            totals.append(time.perf_counter() - start)
            for code, seconds in spent.items():
                best[code] = min(seconds, best.get(code, seconds))
    finally:
        gc.enable()
        checks.CHECKS.update(original)
    return min(totals), best


# -- large file, whole process -------------------------------------------

LARGE_RECORDS = 35_643
PLAIN_LOOP = """
import json, sys
count = 0
with open(sys.argv[1], "rb") as lines:
    for line in lines:
        if line.strip():
            json.loads(line)
            count += 1
print(count)
"""
CID = "bafyreiaqc3fzdbdp5umhjnc2kq3zfx7v2k6x4n4tqj6r7nbd2gqz5a3xfe"
BLOB = {"$type": "blob", "ref": {"$link": "bafkreibme22gw2h7y2h7tg2fhqotaqjucnbc24deqo72b6mkl2egezxhvy"}, "mimeType": "image/jpeg", "size": 412863}


def corpus_texts(corpus: Path) -> list[tuple[str, str]]:
    """(post text, alt text) of every corpus entry, in file order."""
    texts = []
    with open(corpus / "hci_alt_text_dataset.jsonl", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                texts.append(("", json.loads(line)["alt_text"]))
    with open(corpus / "tidytuesday_tweets_alt.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            texts.append((row["text"] or "", row["alt_text"]))
    return texts


def write_records(path: Path, texts: list[tuple[str, str]], count: int) -> None:
    """`count` one-image post records, the corpus texts in turn, one JSON line each."""
    with open(path, "w", encoding="utf-8") as out:
        for number in range(count):
            text, alt = texts[number % len(texts)]
            value = {
                "$type": "app.bsky.feed.post",
                "text": text,
                "createdAt": "2025-01-01T00:00:00.000Z",
                "langs": ["en"],
                "embed": {"$type": "app.bsky.embed.images", "images": [{"alt": alt, "image": BLOB, "aspectRatio": {"width": 4, "height": 3}}]},
            }
            record = {"uri": f"at://did:plc:benchmark/app.bsky.feed.post/{number:013d}", "cid": CID, "value": value}
            out.write(json.dumps(record) + "\n")


# Runs a command as its own child and writes its wall time, peak memory and exit
# status to a file. Linux keeps a process's peak memory across exec and a child
# starts from its parent's at fork time, so a command forked straight from this
# script (which holds the corpus) would report at least this script's size; a
# child of this small launcher starts from the launcher's.
LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{time.perf_counter() - start} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def _measured(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, peak resident memory (MB) and exit status of one process."""
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as report:
        launcher = [sys.executable, "-c", LAUNCHER, report.name, *command]
        subprocess.run(launcher, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env, check=True)
        seconds, peak_kb, status = report.read().split()
    return float(seconds), int(peak_kb) / 1024, int(status)


CHECK_JSON = "altaudit check FILE --format json"


def large_file(corpus: Path, records: int, runs: int, ten_times: bool) -> list[tuple[str, int, float, float, float]]:
    """Rows (what, records, best seconds, peak MB, ratio to the plain loop)."""
    python = str(Path(sys.executable).parent / Path(sys.executable).name)
    altaudit = str(Path(sys.executable).parent / "altaudit")
    env = _environment()
    texts = corpus_texts(corpus)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        sizes = [records] + ([records * 10] if ten_times else [])
        for size in sizes:
            path = Path(folder) / f"records-{size}.jsonl"
            write_records(path, texts, size)
            commands = {
                "plain loop: json.loads each line": [python, "-c", PLAIN_LOOP, str(path)],
                CHECK_JSON: [altaudit, "check", str(path), "--format", "json"],
                "altaudit check FILE --format jsonl": [altaudit, "check", str(path), "--format", "jsonl"],
                "altaudit check FILE --format json --jobs 1 (one process)": [altaudit, "check", str(path), "--format", "json", "--jobs", "1"],
            }
            if size != records:  # the ten-times file: the figure only
                commands = dict(list(commands.items())[:2])
            best: dict[str, tuple[float, float]] = {}
            for round_ in range(runs if size == records else 1):
                for name, command in commands.items():
                    if round_ and name not in (CHECK_JSON, "plain loop: json.loads each line"):
                        continue  # the other rows once each
                    seconds, peak, status = _measured(command, env)
                    if status not in (0, 1):
                        raise SystemExit(f"benchmark: {name!r} on {size:,} records exited {status}")
                    old = best.get(name, (float("inf"), 0.0))
                    best[name] = (min(old[0], seconds), max(old[1], peak))
            loop_s = best["plain loop: json.loads each line"][0]
            for name, (seconds, peak) in best.items():
                rows.append((name, size, seconds, peak, seconds / loop_s))
            path.unlink()
    return rows


# -- cold start -----------------------------------------------------------


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    # Bytecode must be written and used, as it is after any real install.
    for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME", "PYTHONDEVMODE", "ALTAUDIT_NO_CACHE"):
        env.pop(name, None)
    return env


def _run(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    return time.perf_counter() - start, done.returncode


def _check_bytecode(python: str, env: dict[str, str]) -> None:
    """Warn when altaudit's modules run from source: the figures would include compiling them."""
    probe = (
        "import importlib.util, os, auditor.cli, auditor.engine;"
        "print(all(os.path.exists(importlib.util.cache_from_source(m.__file__)) for m in (auditor.cli, auditor.engine)))"
    )
    done = subprocess.run([python, "-c", probe], capture_output=True, text=True, cwd=ROOT, env=env)
    if done.stdout.strip() != "True":
        print("warning: no bytecode cache for auditor's modules (read-only install?): cold starts include compiling them\n")


def cold_start(runs: int) -> dict[str, list[float]]:
    bindir = Path(sys.executable).parent
    python = str(bindir / Path(sys.executable).name)
    altaudit = str(bindir / "altaudit")
    if not os.path.exists(altaudit):
        raise SystemExit(f"benchmark: no altaudit script beside {sys.executable}; install the package first")
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as floor:
        floor.write(FLOOR_APP)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as one:
        one.write(ONE_RECORD_LINE + "\n")
    one_record = one.name
    # name: (command, exit statuses that mean it worked)
    commands = {
        BASELINE: ([python, "-c", "import typer, rich"], {0}),
        CHECK: ([altaudit, "check", str(EXAMPLE)], {1}),  # the example has findings
        "altaudit check --format json (imports nothing from rich)": ([altaudit, "check", str(EXAMPLE), "--format", "json"], {1}),
        ONE_RECORD: ([altaudit, "check", str(one_record)], {0, 1}),
        "altaudit alt 'A dog on a beach.'": ([altaudit, "alt", "A dog on a beach."], {0, 1}),
        "typer + rich: print a Text and a Table (no altaudit code)": ([python, floor.name, "check", "x"], {0}),
    }
    env = _environment()
    try:
        for name, (command, expected) in commands.items():
            # Warm-up, not counted: fills the file cache, writes bytecode and the rule cache.
            for _ in range(2):
                _, status = _run(command, env)
            if status not in expected:
                shown = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
                raise SystemExit(f"benchmark: {name!r} exited {status}:\n{shown.stderr[-2000:]}")
        _check_bytecode(python, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        names = list(commands)
        for round_ in range(runs):
            # Interleaved, and the order rotated so that no command always follows the same one.
            shift = round_ % len(names)
            for name in names[shift:] + names[:shift]:
                times[name].append(_run(commands[name][0], env)[0])
    finally:
        os.unlink(floor.name)
        os.unlink(one_record)
    return times


# -- report ---------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "not installed"


def _commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, cwd=ROOT)
        if head.returncode:
            return "unknown"
        return head.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")
    except OSError:
        return "unknown"


def machine() -> list[str]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return [
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; commit {_commit()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), {platform.system()} {platform.release()}",
        f"- CPU: {cpu_model()}; nproc {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()}"
        f" (os.cpu_count {os.cpu_count()})" + (f"; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}" if load else ""),
        f"- typer {_version('typer')}, rich {_version('rich')}, click {_version('click')}, textstat {_version('textstat')}",
    ]


def _pin(cpu: int) -> str:
    if cpu < 0 or not hasattr(os, "sched_setaffinity"):
        return "not pinned"
    allowed = sorted(os.sched_getaffinity(0))
    chosen = allowed[cpu % len(allowed)]
    os.sched_setaffinity(0, {chosen})
    return f"pinned to CPU {chosen}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus", help="folder of the corpus files")
    parser.add_argument("--repeat", type=int, default=3, help="warm throughput passes (default 3)")
    parser.add_argument("--runs", type=int, default=20, help="cold-start runs of each command (default 20)")
    parser.add_argument("--per-rule", action="store_true", help="also time each rule's check (as many extra passes as --repeat)")
    parser.add_argument("--cpu", type=int, default=0, help="index of the allowed CPU to pin the throughput to; -1: do not pin")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-cold-start", action="store_true")
    parser.add_argument("--records", type=int, default=LARGE_RECORDS, help=f"records in the large file (default {LARGE_RECORDS:,})")
    parser.add_argument("--file-runs", type=int, default=2, help="runs of each command on the large file (default 2; the ten-times file once)")
    parser.add_argument("--skip-large", action="store_true", help="skip the large-file figures")
    parser.add_argument("--skip-ten-times", action="store_true", help="skip the file ten times the size (a few minutes)")
    args = parser.parse_args()

    print("\n".join(machine()) + "\n")

    if not args.skip_throughput:
        groups = corpus_posts(args.corpus)
        allowed = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
        pinned = _pin(args.cpu)
        try:
            result = throughput(groups, max(1, args.repeat))
            rule_times = per_rule([p for g in groups.values() for p in g], max(1, args.repeat)) if args.per_rule else None
        finally:
            if allowed is not None and pinned != "not pinned":
                os.sched_setaffinity(0, allowed)
        count = result["count"]
        best = min(result["warm_s"])
        print(f"| throughput: {count:,} descriptions, every rule, one process ({pinned}) | seconds | descriptions/s |")
        print("|---|---:|---:|")
        print(
            f"| first pass, cold (imports {result['import_s'] * 1000:.0f} ms, rules, dictionary, textstat, patterns) "
            f"| {result['cold_s']:.2f} | {count / result['cold_s']:,.0f} |"
        )
        print(f"| best of {len(result['warm_s'])} warm passes (fresh Engine each) | {best:.2f} | {count / best:,.0f} |")
        print(f"| of which garbage collection | {result['gc_s']:.2f} | |")
        labels = {"hci": "HCI figure descriptions only (long)", "tweets": "tweets only (short)"}
        for name, (n, seconds) in result["groups"].items():
            print(f"| warm, {labels.get(name, name)}: {n:,} | {seconds:.2f} | {n / seconds:,.0f} |")
        cold_rate, warm_rate = count / result["cold_s"], count / best
        print(
            f"\nTarget {THROUGHPUT_TARGET:,}/s: warm {warm_rate:,.0f}, {'met' if warm_rate >= THROUGHPUT_TARGET else 'NOT met'};"
            f" first pass {cold_rate:,.0f}, {'met' if cold_rate >= THROUGHPUT_TARGET else 'NOT met'}."
            " (Warm passes reuse the process's dictionary memo: known() and suggest() answers.)"
        )

        if rule_times is not None:
            total, spent = rule_times
            in_checks = sum(spent.values())
            print(
                f"\n| per rule (least of {max(1, args.repeat)} timed warm passes, garbage collector off;"
                f" best pass {total:.2f} s) | ms | share |"
            )
            print("|---|---:|---:|")
            for code, seconds in sorted(spent.items(), key=lambda item: -item[1]):
                print(f"| {code} | {seconds * 1000:.0f} | {seconds / total:.1%} |")
            rest = total - in_checks
            print(f"| engine outside the checks (contexts, findings, scores) and the timers' own cost | {rest * 1000:.0f} | {rest / total:.1%} |")

    if not args.skip_large:
        rows = large_file(args.corpus, args.records, max(1, args.file_runs), not args.skip_ten_times)
        print(f"\n| large file, whole process (best of {max(1, args.file_runs)}; ten-times file once) | records | seconds | peak MB | ratio to the loop | records/s |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, size, seconds, peak, ratio in rows:
            print(f"| {name} | {size:,} | {seconds:.2f} | {peak:.0f} | {ratio:.1f} | {size / seconds:,.0f} |")
        checks = [row for row in rows if row[0].startswith("altaudit")]
        ratio = checks[0][4]
        peaks = ", ".join(f"{row[3]:.0f} MB for {row[1]:,}" for row in checks)
        print(
            f"\nTargets: check within {LARGE_RATIO_TARGET} × the loop: {ratio:.1f}, {'met' if ratio <= LARGE_RATIO_TARGET else 'NOT met'};"
            f" peak memory under {MEMORY_TARGET_MB} MB: {peaks},"
            f" {'met' if all(row[3] < MEMORY_TARGET_MB for row in checks) else 'NOT met'}."
            f" Every rule on: {checks[0][1] / checks[0][2]:,.0f} descriptions a second, whole process."
        )

    if not args.skip_cold_start:
        times = cold_start(max(1, args.runs))
        base_median = statistics.median(times[BASELINE])
        base_min = min(times[BASELINE])
        print(f"\n| cold start ({args.runs} runs each, interleaved) | median ms | min ms | ratio of medians | ratio of mins |")
        print("|---|---:|---:|---:|---:|")
        for name, values in times.items():
            median = statistics.median(values)
            print(
                f"| {name} | {median * 1000:.0f} | {min(values) * 1000:.0f} "
                f"| {median / base_median:.2f} | {min(values) / base_min:.2f} |"
            )
        for name in (CHECK, ONE_RECORD):
            ratio = statistics.median(times[name]) / base_median
            verdict = "met" if ratio <= RATIO_TARGET else "NOT met"
            print(f"\nTarget: {name} at most {RATIO_TARGET} × `import typer, rich` (medians): {ratio:.2f}, {verdict}.")

    # Figures, not a test: the exit status stays 0 whatever they are.


if __name__ == "__main__":
    main()
