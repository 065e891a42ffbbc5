"""The JSON and JSON Lines reports write each post's entries as text directly
(json_report.post_members, finding_texts), not through dicts and the encoder:
the text must be the encoder's, byte for byte, for every value a result can hold."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from auditor.config import Settings
from auditor.engine import Engine
from auditor.model import Deduction, Finding, Image, ImageResult, Level, Location, Post, PostResult, Score, SeenText, Source, Span, TextLine
from auditor.reports import json_report
from auditor.reports.base import ReportOptions
from auditor.reports.jsonl import Reporter as JsonlReporter

ROOT = Path(__file__).parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "tidytuesday_tweets_alt.csv"
HOSTILE = "[bold]x[/bold] \x1b[31mred\x1b[0m \ud800 <script>alert(1)</script> \u202e \x00 é 😀"


def encoded(result: PostResult) -> tuple[str, str, str]:
    """The json fragment and jsonl line through dicts and the encoder (the reference)."""
    number = json_report.NUMBER
    post, findings = json_report.post_entry(result, number), json_report.findings_of(result, number)
    dumps = json_report._dumps
    return dumps(post), ",\n".join(map(dumps, findings)), dumps({"type": "post", **post, "findings": findings})


def written(result: PostResult) -> tuple[str, str, str]:
    entry, findings = json_report.Reporter(None, ReportOptions()).fragment(result)
    return entry, findings, JsonlReporter(None, ReportOptions()).fragment(result)


def real_results(count: int) -> list[PostResult]:
    with open(CORPUS, encoding="utf-8", newline="") as handle:
        rows = [row for _, row in zip(range(count), csv.DictReader(handle))]
    engine = Engine(Settings())
    out = []
    for number, row in enumerate(rows, start=1):
        source = Source("tweets.jsonl", number, f"at://did:plc:x/app.bsky.feed.post/{number}")
        images = [Image(1, row["alt_text"], source=Source(source.path, source.line, source.uri))]
        if number % 7 == 0:  # a second image, blank or missing
            images.append(Image(2, "" if number % 2 else None, kind="gif", source=Source(source.path, source.line, source.uri)))
        out.append(engine.audit_post(Post(row["text"] or "", images, ["en"] if number % 5 else [], source)))
    return out


def test_real_posts_are_written_as_the_encoder_writes_them():
    results = real_results(600)
    assert sum(len(r.all_findings()) for r in results) > 200  # spans, suggestions, post findings among them
    assert any(f.span is not None for r in results for f in r.all_findings())
    for result in results:
        assert written(result) == encoded(result)


def _odd_result() -> PostResult:
    """Every field with an unusual value: None where allowed, hostile text, floats, seen text, a draft's location."""
    source = Source(HOSTILE, None, None)
    seen = SeenText([TextLine("SALE 50%", 0.875, (1, 2, 30, 40)), TextLine(HOSTILE, 1.0, (0, 0, 1, 1))], "rapidocr 3", 0.25, 640, 480, None, True)
    image = Image(1, HOSTILE, kind="gif", file="images/a \ud800.png", source=source, alt_by_provider=True, seen=seen)
    bare = Image(2, None, source=Source())
    score = Score(37, [Deduction("A102", 10, HOSTILE)], [Deduction("length", 47, ""), Deduction("detail", 0)])
    finding = Finding("W307", Level.WARNING, HOSTILE, 1, Span(2, 9), "", "invisible-characters", "fix \u2028 it", "", Location(HOSTILE, 3, 5, 3, 9, None))
    post_finding = Finding("M502", Level.ERROR, "same twice", None, None, None, "", "", "why\nnot")
    bare_finding = Finding("A101", Level.INFO, "", 2, Span(0, 0), "write ‘x’")
    return PostResult(
        Post(HOSTILE, [image, bare], ["en", "pt-BR", "\ud800"], source),
        [ImageResult(image, [finding], score), ImageResult(bare, [bare_finding], Score(0))],
        [post_finding],
        Score(18, [], []),
    )


def test_odd_values_are_written_as_the_encoder_writes_them():
    result = _odd_result()
    assert written(result) == encoded(result)
    json.loads(written(result)[2].replace("NaN", "0"))  # and it is JSON


@pytest.mark.parametrize("langs", [[], ["en", "fr"], [None], [7], ["en"]])
def test_languages_of_any_shape(langs):
    result = _odd_result()
    result.post.langs = langs
    result.score = None
    assert written(result) == encoded(result)
