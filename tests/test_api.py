"""The library call auditor.api.audit_records: records in, plain dicts out, no global state."""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from auditor.api import audit_record_results, audit_records, to_dict
from auditor.config import Settings
from auditor.engine import Engine
from auditor.errors import ConfigError
from auditor.inputs.records import read_records

FIXTURES = Path(__file__).parent / "fixtures" / "records"
PHOTO = {
    "$type": "app.bsky.feed.post",
    "text": "Our stand at the fair",
    "createdAt": "2025-05-01T10:00:00.000Z",
    "embed": {"$type": "app.bsky.embed.images", "images": [{"alt": "image", "image": {"$type": "blob"}}]},
}


def lines(name: str) -> list[str]:
    return [line for line in (FIXTURES / name).read_text(encoding="utf-8").split("\n") if line.strip()]


def test_results_are_the_engines_findings_and_scores_as_plain_data():
    records = [json.loads(line) for line in lines("posts.jsonl")]
    results = list(audit_records(records))
    expected = Engine(Settings()).audit(read_records(str(FIXTURES / "posts.jsonl"))).posts
    assert [r["type"] for r in results] == ["post"] * len(expected)
    for got, want in zip(results, expected):
        assert got["text"] == want.post.text
        assert got["source"]["uri"] == want.post.source.uri
        assert (got["score"] or {}).get("value") == (want.score.value if want.score else None)
        assert sorted(f["code"] for f in got["findings"]) == sorted(f.code for f in want.all_findings())
        assert [image["alt"] for image in got["images"]] == [image.image.alt for image in want.images]
    json.dumps(results)  # plain data all the way down


def test_placeholder_is_found_and_wrapped_records_keep_their_uri():
    wrapped = {"uri": "at://did:plc:abc/app.bsky.feed.post/3l1", "cid": "bafy", "value": PHOTO}
    [result] = audit_records([wrapped])
    assert result["source"]["uri"] == "at://did:plc:abc/app.bsky.feed.post/3l1"
    assert [(f["code"], f["level"]) for f in result["findings"]] == [("A102", "error")]  # "image" is a placeholder


def test_json_strings_and_bytes_are_records_too_and_bad_ones_are_problems_in_place():
    records = [
        json.dumps(PHOTO),
        b'{"$type": "app.bsky.feed.like", "subject": {}}',
        "{broken",
        {"$type": "app.bsky.feed.post", "text": ["not", "a", "string"]},
        json.dumps(PHOTO).encode("utf-8"),
    ]
    results = list(audit_records(records, source="part-7"))
    assert [r["type"] for r in results] == ["post", "problem", "problem", "post"]
    assert (results[1]["path"], results[1]["line"]) == ("part-7", 3)
    assert "not valid JSON" in results[1]["message"]
    assert results[2]["line"] == 4 and "'text' must be a string" in results[2]["message"]
    assert [r["source"]["line"] for r in (results[0], results[3])] == [1, 5]


def test_settings_as_a_table_and_no_state_shared_between_calls():
    records = [PHOTO] * 3
    default = audit_records(records)
    quiet = audit_records(records, {"ignore": ["A"]})  # no presence rules: "image" is merely short
    # advanced in turn: each generator keeps its own engine and settings
    pairs = [(next(default), next(quiet)) for _ in range(3)]
    assert all("A102" in [f["code"] for f in d["findings"]] for d, _ in pairs)
    assert all(not [f for f in q["findings"] if f["code"].startswith("A")] for _, q in pairs)
    assert list(audit_records(records))[0]["findings"] == pairs[0][0]["findings"]


def test_unusable_settings_are_a_config_error():
    with pytest.raises(ConfigError, match="unknown setting"):
        list(audit_records([PHOTO], {"selekt": ["X"]}))


def test_results_come_as_records_arrive():
    def records():
        yield PHOTO
        raise RuntimeError("read too far")

    stream = audit_records(records())
    assert next(stream)["type"] == "post"
    with pytest.raises(RuntimeError):
        next(stream)


def test_model_objects_and_to_dict():
    [result] = audit_record_results([PHOTO])
    assert result.images[0].image.alt == "image"
    assert to_dict(result)["findings"] == list(audit_records([PHOTO]))[0]["findings"]


def audit_partition(partition: list[str]) -> list[dict]:
    return list(audit_records(partition, source="partition"))


def test_maps_over_partitions_in_worker_processes():
    records = lines("posts.jsonl") + [json.dumps(PHOTO)] * 5
    partitions = [records[:4], records[4:]]
    with ProcessPoolExecutor(max_workers=2) as pool:
        parallel = [result for part in pool.map(audit_partition, partitions) for result in part]
    sequential = [result for part in partitions for result in audit_partition(part)]
    assert parallel == sequential
    assert len(parallel) == len(records)
