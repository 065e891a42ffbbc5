"""Speed of altaudit, measured the way the README reports it.

    python scripts/benchmark.py [--corpus ../shared/corpus] [--repeat 3] [--runs 20]

1. Throughput: every alt text of the shared corpus (3,006 HCI figure
   descriptions and 7,139 tweets) audited with every rule on, in this one
   process on one core. The first pass includes loading the dictionary and
   compiling the rules; later passes use a fresh Engine in the same process.
2. Cold start: `altaudit check` on the bundled example draft as a new process,
   against `python -c "import typer, rich"`, run alternately so that both see
   the same machine load; the ratio of their medians is the figure. A third
   row times a typer app that only prints a rich Text and Table: the floor
   that any typer + rich command stands on.

Machines are noisy: compare the figures of one run with each other, not
with another run's.
"""

from __future__ import annotations

import argparse
import csv
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


def corpus_posts(corpus: Path):
    from auditor.model import Image, Post

    posts = []
    with open(corpus / "hci_alt_text_dataset.jsonl", encoding="utf-8") as lines:
        posts += [Post("", [Image(1, json.loads(line)["alt_text"])], ["en"]) for line in lines]
    with open(corpus / "tidytuesday_tweets_alt.csv", encoding="utf-8", newline="") as handle:
        posts += [Post(row["text"], [Image(1, row["alt_text"])], ["en"]) for row in csv.DictReader(handle)]
    return posts


def throughput(corpus: Path, repeat: int) -> list[float]:
    from auditor.config import Settings
    from auditor.engine import Engine

    posts = corpus_posts(corpus)
    rates = []
    for _ in range(repeat):
        start = time.perf_counter()
        Engine(Settings()).audit(posts)
        rates.append(len(posts) / (time.perf_counter() - start))
    return [len(posts)] + rates


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def cold_start(runs: int) -> dict[str, list[float]]:
    bindir = Path(sys.executable).parent
    altaudit = str(bindir / "altaudit")
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as floor:
        floor.write(FLOOR_APP)
    commands = {
        "python -c 'import typer, rich'": [sys.executable, "-c", "import typer, rich"],
        "typer + rich: print a Text and a Table": [sys.executable, floor.name, "check", "x"],
        "altaudit check (example draft)": [altaudit, "check", str(EXAMPLE)],
        "altaudit check --format json": [altaudit, "check", str(EXAMPLE), "--format", "json"],
        "altaudit alt 'A dog on a beach.'": [altaudit, "alt", "A dog on a beach."],
    }
    for command in commands.values():  # warm the file cache and write bytecode
        timed(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(timed(command))
    os.unlink(floor.name)
    return times


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--repeat", type=int, default=3, help="throughput passes")
    parser.add_argument("--runs", type=int, default=20, help="cold-start runs of each command")
    args = parser.parse_args()

    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, {cpu_model()}\n")
    count, *rates = throughput(args.corpus, args.repeat)
    print(f"| throughput ({count:,} descriptions, every rule) | descriptions/s |")
    print("|---|---:|")
    print(f"| first pass (loads the dictionary, compiles rules) | {rates[0]:,.0f} |")
    if len(rates) > 1:
        print(f"| best later pass | {max(rates[1:]):,.0f} |")

    times = cold_start(args.runs)
    base = statistics.median(times["python -c 'import typer, rich'"])
    print(f"\n| cold start ({args.runs} runs each, alternating) | median ms | min ms | ratio to import typer, rich |")
    print("|---|---:|---:|---:|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| {name} | {median * 1000:.0f} | {min(values) * 1000:.0f} | {median / base:.2f} |")


if __name__ == "__main__":
    main()
