"""Benchmark of the Bluesky inputs, as whole processes (the way users run them).

    .venv/bin/python scripts/benchmark_bluesky.py car [--posts 100000] [--rounds N] [--compare OLD_TREE]
    .venv/bin/python scripts/benchmark_bluesky.py account [--posts 10000]

car:     generates an account export of N posts with images (CAR v1: a commit,
         a search tree in key order, DAG-CBOR records, some descriptions good,
         some empty, some file names), then times `altaudit check export.car`
         end to end (json report on standard output, discarded) and reports posts/s and peak
         memory (the child's maximum resident set size), CPU time of all its
         processes and the load average; --compare runs another source tree
         (a git worktree) alternately with this one, best of --rounds.
account: starts the test PDS (tests/pds, needs `npm ci` there), writes an
         account of N posts, then times in one run, interleaved, (a) a bare
         listRecords loop over the account in its own Python process (httpx,
         nothing else) and (b) `altaudit profile HANDLE --no-cache`; reports
         posts/s of each and the ratio.

Figures go to docs/benchmark-bluesky.md. Nothing here reaches beyond loopback.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALTAUDIT = str(Path(sys.executable).with_name("altaudit"))

ALTS = [
    "Volunteers hand out bags of vegetables from a stall outside the community centre.",
    "",
    "IMG_0392.jpeg",
    "A bar chart of monthly visitors: 120 in January rising to 340 in June.",
    "Image of the choir singing in the church hall.",
]


# -- a generated export --------------------------------------------------------------


def _cid(data: bytes) -> bytes:
    """A CIDv1, dag-cbor, sha2-256 of the block, as CAR files hold them."""
    return b"\x01\x71\x12\x20" + hashlib.sha256(data).digest()


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _tid(n: int) -> str:
    alphabet = "234567abcdefghijklmnopqrstuvwxyz"
    value = ((1_700_000_000_000_000 + n * 1_000_000) << 10) | 7
    return "".join(alphabet[(value >> (5 * i)) & 31] for i in reversed(range(13)))


def write_car(path: Path, posts: int, did: str = "did:plc:benchmarkbenchmarkbench") -> None:
    import libipld

    blob = {"$type": "blob", "ref": _cid(b"image"), "mimeType": "image/jpeg", "size": 123456}
    blocks: list[tuple[bytes, bytes]] = []
    leaves: list[tuple[str, bytes]] = []
    for n in range(posts):
        images = [{"image": blob, "alt": ALTS[(n + i) % len(ALTS)], "aspectRatio": {"width": 1200, "height": 675}} for i in range(1 + n % 2)]
        record = {
            "$type": "app.bsky.feed.post",
            "text": f"Post number {n} about our community garden and the people who keep it going.",
            "createdAt": f"2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}T10:00:00.000Z",
            "langs": ["en"],
            "embed": {"$type": "app.bsky.embed.images", "images": images},
        }
        data = libipld.encode_dag_cbor(record)
        cid = _cid(data)
        blocks.append((cid, data))
        leaves.append((f"app.bsky.feed.post/{_tid(n)}", cid))
    # A two-level search tree in key order: the root's left subtree holds the
    # first group of keys; each root entry is a record followed by its subtree.
    # (Shaped like an MST; the layers do not come from the keys' hashes.)
    group = 33
    root_entries, previous = [], b""
    left = None
    for start in range(0, len(leaves), group):
        chunk = leaves[start : start + group]
        if start:
            key, cid = chunk[0]
            root_entries.append(_entry(key, cid, previous))
            previous = key.encode()
            chunk = chunk[1:]
        node_cid = None
        if chunk:
            entries, before = [], b""
            for key, cid in chunk:
                entries.append(_entry(key, cid, before))
                before = key.encode()
            data = libipld.encode_dag_cbor({"l": None, "e": entries})
            node_cid = _cid(data)
            blocks.append((node_cid, data))
        if start:
            root_entries[-1]["t"] = node_cid
        else:
            left = node_cid
    root = libipld.encode_dag_cbor({"l": left, "e": root_entries})
    root_cid = _cid(root)
    blocks.append((root_cid, root))
    commit = libipld.encode_dag_cbor({"did": did, "version": 3, "data": root_cid, "rev": "3benchmark222", "prev": None, "sig": b"\x00" * 64})
    commit_cid = _cid(commit)
    with open(path, "wb") as out:
        header = libipld.encode_dag_cbor({"version": 1, "roots": [commit_cid]})
        out.write(_varint(len(header)) + header)
        for cid, data in [(commit_cid, commit)] + blocks[::-1]:
            out.write(_varint(len(cid) + len(data)) + cid + data)


def _entry(key: str, cid: bytes, previous: bytes) -> dict:
    raw = key.encode()
    shared = 0
    while shared < min(len(raw), len(previous)) and raw[shared] == previous[shared]:
        shared += 1
    return {"k": raw[shared:], "p": shared, "v": cid, "t": None}


def bench_car(posts: int, rounds: int = 1, compare: list[str] | None = None) -> None:
    """`check export.car` `rounds` times; with `compare` (source trees, e.g. a git
    worktree of an older commit), each round also runs each tree (PYTHONPATH,
    from /tmp so that this checkout is not imported), alternately, best of the rounds."""
    trees = [("this tree", None)] + [(tree, str(Path(tree).resolve())) for tree in compare or []]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.car"
        started = time.perf_counter()
        write_car(path, posts)
        print(f"generated {posts:,} posts, {path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s")
        times: dict[str, list[float]] = {name: [] for name, _ in trees}
        for _ in range(rounds):
            for name, tree in trees:
                env = dict(os.environ, PYTHONPATH=tree) if tree else None
                load = os.getloadavg()[0]
                elapsed, peak, code, cpu = _timed([ALTAUDIT, "check", str(path), "--format", "json"], env, cwd="/tmp" if tree else None)
                times[name].append(elapsed)
                print(
                    f"{name}: altaudit check export.car: {elapsed:.2f} s, {posts / elapsed:,.0f} posts/s, "
                    f"CPU {cpu:.2f} s (all processes), peak RSS {peak:.0f} MB (exit {code}), load average {load:.1f}"
                )
        if rounds > 1 or compare:
            for name, _ in trees:
                best = min(times[name])
                print(f"best of {rounds}, {name}: {best:.2f} s, {posts / best:,.0f} posts/s")


def _timed(command: list[str], env: dict | None = None, cwd: str | None = None) -> tuple[float, float, int, float]:
    """Wall time, peak resident memory (MB), exit status and CPU time (user and
    system, with every process it waited for: workers, a fetching child) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd)
    err = proc.stderr.read()
    proc.stderr.close()
    _pid, status, usage = os.wait4(proc.pid, 0)  # this child's own figures, not every child's so far
    elapsed = time.perf_counter() - started
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.stderr.write(err.decode(errors="replace")[-2000:])
    return elapsed, usage.ru_maxrss / 1024, code, usage.ru_utime + usage.ru_stime


# -- an account on the local PDS -----------------------------------------------------

BARE_LOOP = """
import sys, httpx
url, did = sys.argv[1], sys.argv[2]
count, cursor = 0, None
with httpx.Client(timeout=30) as client:
    while True:
        params = {"repo": did, "collection": "app.bsky.feed.post", "limit": 100}
        if cursor:
            params["cursor"] = cursor
        page = client.get(url + "/xrpc/com.atproto.repo.listRecords", params=params).json()
        count += len(page["records"])
        cursor = page.get("cursor")
        if not page["records"] or not cursor:
            break
print(count)
"""


def bench_account(posts: int, rounds: int) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from pds_fixture import start_pds

    pds = start_pds()
    try:
        account = pds.create_account("bench")
        started = time.perf_counter()
        image = (ROOT / "tests" / "fixtures" / "drafts" / "images" / "event-banner.png").read_bytes()
        blob = pds.upload_blob(account, image, "image/png")
        records = [
            {
                "$type": "app.bsky.feed.post",
                "text": f"Post number {n} about our community garden.",
                "createdAt": f"2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}T10:00:00.000Z",
                "embed": {"$type": "app.bsky.embed.images", "images": [{"image": blob, "alt": ALTS[n % len(ALTS)]}]},
            }
            for n in range(posts)
        ]
        pds.create_records(account, records)
        print(f"wrote {posts:,} posts to the local PDS in {time.perf_counter() - started:.1f} s")
        env = dict(os.environ, ALTAUDIT_PDS_URL=pds.url, ALTAUDIT_PLC_URL=pds.plc_url)
        bare_times, audit_times, bare_cpu, audit_cpu = [], [], [], []
        load_before = os.getloadavg()[0]
        for _ in range(rounds):
            elapsed, _peak, _code, cpu = _timed([sys.executable, "-c", BARE_LOOP, pds.url, account.did])
            bare_times.append(elapsed)
            bare_cpu.append(cpu)
            elapsed, _peak, code, cpu = _timed(
                [ALTAUDIT, "profile", account.handle, "--no-cache", "--format", "json"], env
            )
            assert code in (0, 1), code
            audit_times.append(elapsed)
            audit_cpu.append(cpu)
        bare, audit = min(bare_times), min(audit_times)
        print(f"bare listRecords loop: {bare:.2f} s, {posts / bare:,.0f} posts/s (best of {rounds}: {_seconds(bare_times)}; CPU {_seconds(bare_cpu)})")
        print(f"altaudit profile:      {audit:.2f} s, {posts / audit:,.0f} posts/s (best of {rounds}: {_seconds(audit_times)}; CPU {_seconds(audit_cpu)})")
        print(f"ratio: {bare / audit:.0%} of the bare loop's speed")
        # The PDS shares the CPUs with the audit: figures taken on a busy machine say little.
        print(f"load average before the rounds {load_before:.1f}, after {os.getloadavg()[0]:.1f}")
    finally:
        pds.stop()


def _seconds(times: list[float]) -> str:
    return ", ".join(f"{t:.2f}" for t in times) + " s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["car", "account"])
    parser.add_argument("--posts", type=int)
    parser.add_argument("--rounds", type=int, help="runs of each command (account: 3, car: 1)")
    parser.add_argument("--compare", action="append", metavar="TREE", help="car: also run this source tree (a git worktree), alternately")
    args = parser.parse_args()
    if args.what == "car":
        bench_car(args.posts or 100_000, args.rounds or 1, args.compare)
    else:
        bench_account(args.posts or 10_000, args.rounds or 3)


if __name__ == "__main__":
    main()
