"""The library call: audit an iterable of Bluesky post records, yield results.

    from auditor.api import audit_records

    for result in audit_records(records):          # dicts, JSON strings or bytes
        if result["type"] == "post":
            print(result["source"]["uri"], result["score"])

Each record is a bare ``app.bsky.feed.post`` value or the ``{uri, cid, value}``
wrapper that ``com.atproto.repo.listRecords`` returns, as a dict (or one JSON
document as ``str``/``bytes``, as a line of a JSON Lines file). Each result is a
plain dict, the same objects as the ``--format jsonl`` report
(docs/report-format.md):

- ``{"type": "post", "post": N, "source": ..., "score": ..., "images": [...],
  "findings": [...]}`` for each post, in input order;
- ``{"type": "problem", "path": ..., "line": N, "uri": ..., "message": ...}`` for
  a record that cannot be read (its ``line`` is its 1-based position in the
  iterable); the rest go on.

Records of other types (likes, follows) are skipped. Nothing is kept between
calls and nothing global is changed: one call builds its own engine from the
given settings, so the function can be mapped over the partitions of a job
(``concurrent.futures``, Dask ``map_partitions``, Spark ``mapPartitions``, Ray
``map_batches``) with nothing of ours for distribution; see docs/library.md.
Memory stays flat for any length of input: results are yielded as they are made.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping

if TYPE_CHECKING:
    from .config import Settings
    from .model import InputProblem, PostResult

__all__ = ["audit_records", "audit_record_results", "to_dict"]


def audit_records(
    records: Iterable[Any],
    settings: "Settings | Mapping[str, Any] | None" = None,
    *,
    source: str | None = None,
) -> Iterator[dict]:
    """Audit each record of `records` and yield one plain dict per post or problem.

    `settings`: a `Settings`, a dict shaped like the ``[tool.altaudit]`` table
    (``{"ignore": ["L203"], "rules": {"L201": {"max": 800}}}``: picklable, so
    it travels to workers), or None for the defaults. No configuration file is
    read. `source` names the input in the results (``source.path``), e.g. the
    partition's file; the ``line`` is the record's position in `records`.
    Raises `ConfigError` for unusable settings, before the first record.
    """
    for item in audit_record_results(records, settings, source=source):
        yield to_dict(item)


def audit_record_results(
    records: Iterable[Any],
    settings: "Settings | Mapping[str, Any] | None" = None,
    *,
    source: str | None = None,
) -> Iterator["PostResult | InputProblem"]:
    """As `audit_records`, yielding the model objects (`PostResult` and
    `InputProblem`) instead of dicts; `to_dict` turns one into the dict."""
    from .engine import Engine

    engine = Engine(_settings(settings))
    return engine.audit_stream(_posts(records, source))


def to_dict(item: "PostResult | InputProblem", number: int | None = None) -> dict:
    """One result as the jsonl report writes it. `number` is the post's ``post``
    field (default: its position in its source, the record's line)."""
    from .model import InputProblem
    from .reports.json_report import findings_of, post_entry, problem_entry

    if isinstance(item, InputProblem):
        return {"type": "problem", **problem_entry(item)}
    number = number if number is not None else (item.post.source.line or 0)
    return {"type": "post", **post_entry(item, number), "findings": findings_of(item, number)}


def _settings(settings: "Settings | Mapping[str, Any] | None") -> "Settings":
    from .config import Settings, settings_from_dict

    if settings is None:
        return Settings()
    if isinstance(settings, Settings):
        return settings
    return settings_from_dict(dict(settings))


def _posts(records: Iterable[Any], source: str | None) -> Iterator[Any]:
    """Posts and problems, one per record (records of other types skipped)."""
    from collections import Counter

    from .inputs.records import record_items

    not_posts: Counter = Counter()
    for position, record in enumerate(records, start=1):
        if isinstance(record, (str, bytes, bytearray)):
            try:
                record = json.loads(record)
            except ValueError as err:
                from .model import InputProblem

                yield InputProblem(source, position, f"not valid JSON: {err}")
                continue
            except RecursionError:
                from .model import InputProblem

                yield InputProblem(source, position, "not usable JSON: nested too deeply")
                continue
        yield from record_items(record, source, position, not_posts)
