"""Benchmark: reading the text of images, as `altaudit check` does, against plain OCR.

    .venv/bin/python scripts/benchmark_images.py [--real ../shared/images] [--workers 2]

Builds a folder of at least 200 images: the real figures in --real (the
shared CC BY screenshots, diagrams, charts and photos) and variants of the
drawings in tests/image_drawings.py (scaled, inverted, tilted, re-encoded as
JPEG; two long 200 x 10,000 screenshots). Then, each in a fresh process:

- first run: auditor.images.read.Reader over every image, a pool of
  --workers processes, an empty cache;
- cached run: the same, the cache now full (reads none);
- plain OCR: one process, rapidocr with its default settings (its own
  threads), every image at full size, as a script calling it would.

Reports images a second, the speed-up over plain OCR, peak memory (the
largest process, and the pool's processes together), and, on the drawings
whose text is known, the share of their words the reading found.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

TEXT_DRAWINGS = [
    "event-card.png", "report-cover.png", "quote-card.png", "phone-screenshot.png", "logo-strip.png",
    "rotated-notice.png", "small-print.png", "animated.gif", "sideways.jpg", "transparent-logo.png",
    "igure-poster.png",
]  # fmt: skip


def build_folder(real: Path | None, folder: Path, per_drawing: int) -> list[Path]:
    """The benchmark's images, written to `folder`."""
    from PIL import Image, ImageOps

    import image_drawings

    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    if real and real.is_dir():
        for source in sorted(real.rglob("*")):
            if source.suffix.lower() in (".png", ".jpg", ".jpeg", ".gif", ".webp"):
                target = folder / f"real-{len(paths):03d}{source.suffix.lower()}"
                target.write_bytes(source.read_bytes())
                paths.append(target)
    rng = random.Random(7)
    for name in TEXT_DRAWINGS:
        data = image_drawings.DRAWINGS[name]()
        base = Image.open(io.BytesIO(data))
        base = ImageOps.exif_transpose(base).convert("RGB")
        for n in range(per_drawing):
            scale = rng.uniform(0.6, 1.6)
            image = base.resize((max(8, int(base.width * scale)), max(8, int(base.height * scale))))
            if n % 4 == 1:
                image = ImageOps.invert(image)
            if n % 4 == 2:
                image = image.rotate(rng.uniform(-4, 4), expand=True, fillcolor=(128, 128, 128))
            out = io.BytesIO()
            if n % 3 == 0:
                image.save(out, "JPEG", quality=rng.randint(60, 95))
                suffix = ".jpg"
            else:
                image.save(out, "PNG")
                suffix = ".png"
            target = folder / f"drawn-{Path(name).stem}-{n:02d}{suffix}"
            target.write_bytes(out.getvalue())
            paths.append(target)
    for n in range(2):
        target = folder / f"drawn-long-screenshot-{n}.png"
        target.write_bytes(image_drawings.long_screenshot() if n == 0 else _shifted_long())
        paths.append(target)
    return paths


def _shifted_long() -> bytes:
    from PIL import Image

    import image_drawings

    image = Image.open(io.BytesIO(image_drawings.long_screenshot()))
    out = io.BytesIO()
    image.crop((0, 30, 200, 10_000)).save(out, "PNG")
    return out.getvalue()


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def child(mode: str, folder: Path, cache: Path, workers: int) -> dict:
    """One measured run, in this process (and its pool)."""
    paths = sorted(p for p in folder.iterdir() if p.is_file())
    datas = [p.read_bytes() for p in paths]
    started = time.perf_counter()
    if mode in ("first", "cached"):
        from auditor.images.cache import SeenCache
        from auditor.images.read import Reader

        with Reader(cache=SeenCache(cache / "images.sqlite3"), workers=workers) as reader:
            found = reader.read_many(datas)
        read = reader.read_count
        texts = {p.name: s.text for p, s in zip(paths, found)}
    else:
        import logging

        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        from rapidocr import RapidOCR

        engine = RapidOCR(params={"Global.log_level": "error"})
        texts = {}
        for path in paths:
            try:
                result = engine(str(path))
                texts[path.name] = "\n".join(result.txts or ())
            except Exception as exc:  # plain OCR has no guard against odd files
                texts[path.name] = f"<failed: {type(exc).__name__}>"
        read = len(paths)
    seconds = time.perf_counter() - started
    return {
        "mode": mode,
        "images": len(paths),
        "read": read,
        "seconds": round(seconds, 2),
        "images_per_second": round(len(paths) / seconds, 2),
        "peak_main_mb": round(_peak_mb(resource.RUSAGE_SELF)),
        "peak_worker_mb": round(_peak_mb(resource.RUSAGE_CHILDREN)),
        "texts": texts,
    }


def word_recall(texts: dict[str, str]) -> float:
    """Share of the drawings' words found, over the drawn variants (known text)."""
    import image_drawings  # noqa: F401  (the words below are the drawings' own)
    from auditor.images.words import fold, tokens

    known = {
        "event-card": "Launch Webinar Practical Hope Community Guides Tuesday 21 October 7-8 pm Showcasing practical ways for communities to tackle climate change challenges Community guide to retrofit flood risk overheating LOCAL TRUST TCPA",
        "report-cover": "SOCIAL CAPITAL 2025 What is Social Capital? Briefing paper Demos Local Trust 3ni",
        "quote-card": "When residents are given the power to decide how money is spent, the results bring lasting, positive change to places that need it most. Local Trust",
        "phone-screenshot": "9:41 5G 100% Riverside Allotment Society Our seed swap returns on Saturday 14 March at the community hall. Bring spare seeds, cuttings and pots. Tea and cake from ten until two. Reply Repost Like Share",
        "logo-strip": "BIG LOCAL Local Trust",
        "rotated-notice": "Library closed for refurbishment until Monday 2 June",
        "animated": "Frame one sale",
        "sideways": "Open day today",
        "transparent-logo": "GREEN LEAF",
        "igure-poster": "IGURE Spring Show Saturday 3 May",
    }
    found = total = 0
    for name, text in texts.items():
        stem = name.removeprefix("drawn-").rsplit("-", 1)[0]
        if stem not in known:
            continue
        want = [fold(t) for t in tokens(known[stem])]
        have = {fold(t) for t in tokens(text)}
        found += sum(w in have for w in want)
        total += len(want)
    return found / total if total else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "images")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--per-drawing", type=int, default=13)
    parser.add_argument("--skip-plain", action="store_true", help="leave out the plain OCR run (slow)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "FOLDER", "CACHE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, folder, cache = args.child
        print(json.dumps(child(mode, Path(folder), Path(cache), args.workers)))
        return
    work = Path(tempfile.mkdtemp(prefix="altaudit-bench-"))
    paths = build_folder(args.real, work / "images", args.per_drawing)
    real = sum(p.name.startswith("real-") for p in paths)
    print(f"{len(paths)} images ({real} real, {len(paths) - real} drawn), {args.workers} workers, {os.cpu_count()} cores")
    runs = {}
    for mode in ("first", "cached") + (() if args.skip_plain else ("plain",)):
        launched = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, __file__, "--workers", str(args.workers), "--child", mode, str(work / "images"), str(work / "cache")],
            capture_output=True,
            text=True,
            check=True,
        )
        runs[mode] = json.loads(proc.stdout.strip().splitlines()[-1])
        r = runs[mode]
        # The whole process: Python's start, imports, hashing every file, the report.
        r["process_seconds"] = round(time.perf_counter() - launched, 2)
        print(
            f"  {mode:7} {r['seconds']:8.1f} s ({r['process_seconds']:.1f} s the whole process)"
            f"  {r['images_per_second']:7.2f} images/s  read {r['read']:4}"
            f"  peak {r['peak_main_mb']} MB main, {r['peak_worker_mb']} MB largest worker"
        )
    figures = {
        "images": len(paths),
        "real": real,
        "workers": args.workers,
        **{f"{m}_images_per_second": runs[m]["images_per_second"] for m in runs},
        **{f"{m}_seconds": runs[m]["seconds"] for m in runs},
        **{f"{m}_process_seconds": runs[m]["process_seconds"] for m in runs},
        "first_peak_mb": max(runs["first"]["peak_main_mb"], runs["first"]["peak_worker_mb"]),
        "cached_read": runs["cached"]["read"],
        "word_recall_drawn": round(word_recall(runs["first"]["texts"]), 3),
    }
    if "plain" in runs:
        figures["speedup_over_plain"] = round(runs["first"]["images_per_second"] / runs["plain"]["images_per_second"], 2)
        figures["plain_peak_mb"] = runs["plain"]["peak_main_mb"]
        figures["word_recall_drawn_plain"] = round(word_recall(runs["plain"]["texts"]), 3)
    for key, value in figures.items():
        print(f"  {key}: {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
