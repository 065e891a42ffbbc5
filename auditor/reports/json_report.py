"""The JSON report (`--format json`): a stable, documented shape for tools and CI.

The shape is given by auditor/schemas/report.schema.json and described in
docs/report-format.md. `schema_version` changes only when a field is removed
or changes meaning; new fields may appear at any time.

Written as the audit goes: the `posts` array one post a line as each is done,
`findings` and `problems` gathered in a spool (memory, then disk) and copied
after it, and the `summary` last, when its counts are known.
"""

from __future__ import annotations

import json
from typing import TextIO

from .. import __version__
from ..model import Finding, Image, Location, PostResult, Score, Source
from .base import Gathered, ReportOptions, Spool, located
from .base import Reporter as BaseReporter

SCHEMA_VERSION = 1

# ensure_ascii keeps control characters, escapes and lone surrogates from other
# people's descriptions as \u escapes in the output.
_ENCODER = json.JSONEncoder(ensure_ascii=True, check_circular=False)  # our entries hold no cycles


def _one_encoder():
    """`_ENCODER.encode` as one C encoder made once: `encode` makes a new one on
    every call (a few microseconds, for each of a large report's entries).
    The same function, arguments and output; the plain method where there is no C encoder."""
    from json import encoder

    if encoder.c_make_encoder is None:
        return _ENCODER.encode
    e = _ENCODER
    chunks = encoder.c_make_encoder(
        None, e.default, encoder.encode_basestring_ascii, e.indent, e.key_separator, e.item_separator, e.sort_keys, e.skipkeys, e.allow_nan
    )
    encode_string = encoder.encode_basestring_ascii

    def dumps(value) -> str:
        if isinstance(value, str):
            return encode_string(value)
        return "".join(chunks(value, 0))

    return dumps


_dumps = _one_encoder()

# A post's number in a fragment rendered alone (base.Reporter.fragment), filled
# in when it is written. The encoder writes a NaN as a bare `NaN`, which no
# other value of a report is; and `"post": NaN` cannot be inside a string,
# where every quote is escaped, so the replacement finds only the placeholders.
NUMBER = float("nan")
NUMBER_KEY = '"post": NaN'


def numbered(text: str, number: int) -> str:
    """A fragment's text with its post-number placeholders filled in."""
    return text.replace(NUMBER_KEY, f'"post": {number}')


def _source(source: Source) -> dict:
    return {"path": source.path, "line": source.line, "uri": source.uri}


def _location(where: Location) -> dict:
    return {
        "path": where.path,
        "line": where.line,
        "column": where.column,
        "end_line": where.end_line,
        "end_column": where.end_column,
        "uri": where.uri,
    }


def _score(score: Score | None) -> dict | None:
    if score is None:
        return None
    return {
        "value": score.value,
        "credits": [{"code": c.code, "points": c.points, "note": c.note} for c in score.credits],
        "deductions": [{"code": d.code, "points": d.points, "note": d.note} for d in score.deductions],
    }


def finding_entry(finding: Finding, where: Location, post_number: int, result: PostResult, image: Image | None) -> dict:
    """One finding, self-contained (also used by the jsonl format)."""
    span = None
    if finding.span is not None and image is not None:
        alt = image.alt or ""
        span = {"start": finding.span.start, "end": finding.span.end, "text": alt[finding.span.start : finding.span.end]}
    return {
        "code": finding.code,
        "rule": finding.name or None,
        "level": finding.level.value,
        "message": finding.message,
        "post": post_number,
        "source": _source(image.source if image else result.post.source),
        "location": _location(where),
        "image": finding.image_index,
        "images_in_post": len(result.images),
        "span": span,
        "suggestion": finding.suggestion,
        "fix": finding.fix or None,
        "why": finding.why or None,
    }


def image_entry(image) -> dict:
    return {
        "index": image.image.index,
        "kind": image.image.kind,
        "file": image.image.file,
        "source": _source(image.image.source),
        "alt": image.image.alt,
        "alt_by_provider": image.image.alt_by_provider,
        "score": _score(image.score),
        "findings": len(image.findings),
        "seen": _seen(image.image.seen),
    }


def _seen(seen) -> dict | None:
    """The text read from the image (auditor/images); None where it was not read."""
    if seen is None:
        return None
    return {
        "engine": seen.engine,
        "seconds": seen.seconds,
        "cached": seen.cached,
        "width": seen.width,
        "height": seen.height,
        "problem": seen.problem,
        "lines": [{"text": line.text, "confidence": line.confidence, "box": list(line.box)} for line in seen.lines],
    }


def post_entry(result: PostResult, number: int) -> dict:
    return {
        "post": number,
        "source": _source(result.post.source),
        "text": result.post.text,
        "langs": result.post.langs,
        "score": _score(result.score),
        "images": [image_entry(image) for image in result.images],
    }


def findings_of(result: PostResult, number: int) -> list[dict]:
    by_index = {image.image.index: image.image for image in result.images}
    return [
        finding_entry(finding, where, number, result, by_index.get(finding.image_index))
        for finding, where in located(result)
    ]


# -- the same entries written as text directly --------------------------------------
# `post_entry` and `findings_of` then the encoder, without the dicts: what a
# large report spends most of its rendering on. The pieces the encoder would
# write for a rule (code, name, level, fix, why) are made once a rule. Any
# value of an unexpected type goes through the encoder, so the bytes are
# always the encoder's (tests/test_formats.py holds them to it).

_string = json.encoder.encode_basestring_ascii


def _text(value) -> str:
    """A string or null, as the encoder writes it."""
    if type(value) is str:
        return _string(value)
    return "null" if value is None else _dumps(value)


def _number(value) -> str:
    """An integer or null, as the encoder writes it."""
    if type(value) is int:
        return int.__repr__(value)
    return "null" if value is None else _dumps(value)


def _source_text(source: Source) -> str:
    return f'{{"path": {_text(source.path)}, "line": {_number(source.line)}, "uri": {_text(source.uri)}}}'


def _location_text(where: Location) -> str:
    return (
        f'{{"path": {_text(where.path)}, "line": {_number(where.line)}, "column": {_number(where.column)}, '
        f'"end_line": {_number(where.end_line)}, "end_column": {_number(where.end_column)}, "uri": {_text(where.uri)}}}'
    )


def _points_text(points: list) -> str:
    if not points:
        return "[]"
    return "[" + ", ".join([f'{{"code": {_text(d.code)}, "points": {_number(d.points)}, "note": {_text(d.note)}}}' for d in points]) + "]"


def _score_text(score: Score | None) -> str:
    if score is None:
        return "null"
    return f'{{"value": {_number(score.value)}, "credits": {_points_text(score.credits)}, "deductions": {_points_text(score.deductions)}}}'


def _source_once(source: Source, sources: dict) -> str:
    """`_source_text(source)`, encoded once for each place in `sources`."""
    key = (source.path, source.line, source.uri)
    text = sources.get(key)
    if text is None:
        text = sources[key] = _source_text(source)
    return text


def _image_text(image, sources: dict) -> str:
    picture = image.image
    source_text = _source_once(picture.source, sources)
    by_provider = picture.alt_by_provider
    return (
        f'{{"index": {_number(picture.index)}, "kind": {_text(picture.kind)}, "file": {_text(picture.file)}, '
        f'"source": {source_text}, "alt": {_text(picture.alt)}, '
        f'"alt_by_provider": {"true" if by_provider is True else "false" if by_provider is False else _dumps(by_provider)}, '
        f'"score": {_score_text(image.score)}, "findings": {_number(len(image.findings))}, '
        f'"seen": {"null" if picture.seen is None else _dumps(_seen(picture.seen))}}}'
    )


def post_members(result: PostResult, sources: dict) -> str:
    """`post_entry(result, NUMBER)` encoded, without its braces; `sources`
    holds the encoded sources of the post (its images' are mostly the same)."""
    post = result.post
    source_text = _source_once(post.source, sources)
    langs = post.langs
    if type(langs) is list and len(langs) == 1 and type(langs[0]) is str:
        langs_text = "[" + _string(langs[0]) + "]"
    else:
        langs_text = _dumps(langs)
    images = ", ".join([_image_text(image, sources) for image in result.images])
    return (
        f'"post": NaN, "source": {source_text}, "text": {_text(post.text)}, "langs": {langs_text}, '
        f'"score": {_score_text(result.score)}, "images": [{images}]'
    )


_RULE_PIECES: dict[tuple, tuple[str, str]] = {}  # (code, name, level, fix, why) -> (head, tail)


def _rule_pieces(finding: Finding) -> tuple[str, str]:
    key = (finding.code, finding.name, finding.level, finding.fix, finding.why)
    pieces = _RULE_PIECES.get(key)
    if pieces is None:
        head = f'{{"code": {_text(finding.code)}, "rule": {_text(finding.name or None)}, "level": {_text(finding.level.value)}, "message": '
        tail = f'"fix": {_text(finding.fix or None)}, "why": {_text(finding.why or None)}}}'
        if len(_RULE_PIECES) < 4096:  # rules are few; messages are not part of the key
            _RULE_PIECES[key] = (head, tail)
        pieces = (head, tail)
    return pieces


def finding_texts(result: PostResult, sources: dict) -> list[str]:
    """`findings_of(result, NUMBER)`, each entry encoded."""
    out = []
    by_index = None
    count = _number(len(result.images))
    for finding, where in located(result):
        if by_index is None:
            by_index = {image.image.index: image.image for image in result.images}
        image = by_index.get(finding.image_index)
        source = image.source if image else result.post.source
        key = (source.path, source.line, source.uri)
        source_text = sources.get(key)
        if source_text is None:
            source_text = sources[key] = _source_text(source)
        span = finding.span
        if span is not None and image is not None:
            alt = image.alt or ""
            span_text = f'{{"start": {_number(span.start)}, "end": {_number(span.end)}, "text": {_text(alt[span.start : span.end])}}}'
        else:
            span_text = "null"
        head, tail = _rule_pieces(finding)
        out.append(
            f'{head}{_text(finding.message)}, "post": NaN, "source": {source_text}, "location": {_location_text(where)}, '
            f'"image": {_number(finding.image_index)}, "images_in_post": {count}, "span": {span_text}, '
            f'"suggestion": {_text(finding.suggestion)}, {tail}'
        )
    return out


def problem_entry(problem) -> dict:
    return {"path": problem.path, "line": problem.line, "uri": problem.uri, "message": problem.message}


def tool() -> dict:
    return {"name": "altaudit", "version": __version__}


class Reporter(BaseReporter):
    def __init__(self, out: TextIO, options: ReportOptions):
        super().__init__(out, options)
        self.number = 0
        self.posts = Gathered(out)  # the posts array, written in large pieces
        self.findings = Spool()
        self.problems = Spool()

    def start(self) -> None:
        self.out.write(f'{{"schema_version": {SCHEMA_VERSION}, "tool": {_dumps(tool())},\n"posts": [')

    renders_alone = True

    def fragment(self, result: PostResult) -> tuple[str, str]:
        """(the post's entry, its findings' entries joined), numbers left as placeholders."""
        sources: dict = {}
        return "{" + post_members(result, sources) + "}", ",\n".join(finding_texts(result, sources))

    def write_fragment(self, fragment: tuple[str, str], more: bool = False) -> None:
        entry, findings = fragment
        self.number += 1
        number = f'"post": {self.number}'
        self.posts.write(("\n" if self.number == 1 else ",\n") + entry.replace(NUMBER_KEY, number, 1))
        if findings:
            self.findings.write(("\n" if self.findings.empty else ",\n") + findings.replace(NUMBER_KEY, number))

    def write_fragments(self, fragments: list[tuple[str, str]], more: bool = False) -> None:
        """`write_fragment` for each, the posts' entries and findings each written as one text."""
        number = self.number
        entries = []
        findings = []
        for entry, found in fragments:
            number += 1
            key = f'"post": {number}'
            entries.append(entry.replace(NUMBER_KEY, key, 1))
            if found:
                findings.append(found.replace(NUMBER_KEY, key))
        if entries:
            self.posts.write(("\n" if self.number == 0 else ",\n") + ",\n".join(entries))
        if findings:
            self.findings.write(("\n" if self.findings.empty else ",\n") + ",\n".join(findings))
        self.number = number

    def problem(self, problem) -> None:
        self.problems.write(("\n" if self.problems.empty else ",\n") + _dumps(problem_entry(problem)))

    def finish(self, summary) -> None:
        out = self.out
        self.posts.drain()
        out.write("\n],\n" if self.number else "],\n")
        for key, spool in (("findings", self.findings), ("problems", self.problems)):
            had = not spool.empty
            out.write(f'"{key}": [')
            spool.copy_to(out)
            out.write("\n],\n" if had else "],\n")
        out.write(f'"summary": {_dumps(summary.to_dict())}\n}}\n')
