"""The library call over both cores with concurrent.futures, measured (docs/library.md).

    .venv/bin/python scripts/library_parallel.py [--records 10145] [--partitions 8] [--corpus ../shared/corpus]

The corpus texts become one-image post records (as scripts/benchmark.py writes
them), cut into partitions of JSON lines. Each partition is audited by
`auditor.api.audit_records` and reduced to counts (posts, findings by code,
sum of scores), the way a Dask, Spark or Ray job maps a function over its
partitions. Three ways, one after the other in this run: one process in a
plain loop, a pool of one worker, a pool of two, after one uncounted warm-up
pass in this process (workers are forked from it, as on Linux by default).
The counts of all three must be equal; the times are the figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchmark  # noqa: E402 - the corpus records, written the same way

from auditor.api import audit_records  # noqa: E402


def audit_partition(lines: list[str]) -> tuple[int, int, Counter]:
    """Posts, sum of post scores and findings by code in one partition."""
    posts, score, codes = 0, 0, Counter()
    for result in audit_records(lines):
        if result["type"] == "post":
            posts += 1
            score += (result["score"] or {}).get("value", 0)
            codes.update(finding["code"] for finding in result["findings"])
    return posts, score, codes


def reduce(parts) -> tuple[int, int, Counter]:
    posts, score, codes = 0, 0, Counter()
    for p, s, c in parts:
        posts, score = posts + p, score + s
        codes.update(c)
    return posts, score, codes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_145)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--corpus", type=Path, default=benchmark.ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.jsonl"
        benchmark.write_records(path, benchmark.corpus_texts(args.corpus), args.records)
        lines = path.read_text(encoding="utf-8").splitlines()
    size = -(-len(lines) // args.partitions)
    partitions = [lines[start : start + size] for start in range(0, len(lines), size)]

    print("\n".join(benchmark.machine()) + "\n")
    # Not counted: a first pass imports the checks, loads the dictionary and fills
    # its memo of answers; workers are forked from this process with all of it,
    # so the three ways below start equal.
    reduce(audit_partition(part) for part in partitions)
    rows = []
    start = time.perf_counter()
    expected = reduce(audit_partition(part) for part in partitions)
    rows.append(("one process, a plain loop over the partitions", time.perf_counter() - start))
    for workers in (1, 2):
        start = time.perf_counter()
        with ProcessPoolExecutor(max_workers=workers) as pool:
            got = reduce(pool.map(audit_partition, partitions))
        rows.append((f"ProcessPoolExecutor(max_workers={workers}), pool start included", time.perf_counter() - start))
        if got != expected:
            raise SystemExit(f"benchmark: {workers} workers gave other results")
    print(f"| {len(lines):,} records in {len(partitions)} partitions, every rule | seconds | records/s | speed-up |")
    print("|---|---:|---:|---:|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} | {len(lines) / seconds:,.0f} | {rows[0][1] / seconds:.2f} |")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\n{expected[0]:,} posts, {sum(expected[2].values()):,} findings, same in all three; load average after: {load:.2f}")


if __name__ == "__main__":
    main()
