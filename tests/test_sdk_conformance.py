"""The plain-data record reader against the atproto SDK's own models.

At run time records are read without the SDK (it costs half a second to
import). Here the SDK is the referee: every fixture and every generated valid
record is accepted by its models, and the descriptions the SDK's model holds
are the ones our reader finds, in the same order and of the same kind.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import record_strategies as rs
from auditor.inputs import post_record, records
from auditor.inputs.post_record import is_post_record, record_to_post
from auditor.model import Source

FIXTURES = Path(__file__).parent / "fixtures" / "records"


def values_in(name: str) -> list[dict]:
    """The record values in a fixture, decoded with the json module only."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    decoder, documents, pos = json.JSONDecoder(), [], 0
    while text[pos:].strip():  # one document, JSON Lines or values one after another
        document, pos = decoder.raw_decode(text, len(text) - len(text[pos:].lstrip()))
        documents.append(document)
    values = []
    for document in documents:
        if isinstance(document, dict) and "records" in document:
            items = document["records"]
        else:
            items = document if isinstance(document, list) else [document]
        values += [item.get("value", item) for item in items]
    return values


def sdk_media(record) -> list[tuple[str | None, str]]:
    """(alt, kind) of every described medium, read from the SDK's model of the post."""
    from atproto import models

    ids = models.ids
    found: list[tuple[str | None, str]] = []

    def walk(embed, nested: bool) -> None:
        kind = getattr(embed, "py_type", None)
        if kind == ids.AppBskyEmbedImages:
            found.extend((image.alt, "image") for image in embed.images)
        elif kind == ids.AppBskyEmbedVideo:
            found.append((embed.alt, "gif" if embed.presentation == "gif" else "video"))
        elif kind == ids.AppBskyEmbedGallery:
            found.extend((item.alt, "gallery") for item in embed.items)
        elif kind == ids.AppBskyEmbedExternal:
            description = embed.external.description
            for prefix in ("Alt: ", "ALT: "):
                if description.startswith(prefix):
                    found.append((description[len(prefix) :], "gif"))
                    break
        elif kind == ids.AppBskyEmbedRecordWithMedia and not nested:
            walk(embed.media, True)

    if record.embed is not None:
        walk(record.embed, False)
    return found


def ours(value: dict) -> list[tuple[str | None, str]]:
    post = record_to_post(value, Source(path="x.json", line=1))
    return [(image.alt, image.kind) for image in post.images]


GOOD_FIXTURES = sorted(path.name for path in FIXTURES.iterdir() if path.is_file() and path.name != "tolerated.jsonl")


@pytest.mark.parametrize("name", GOOD_FIXTURES)
def test_every_fixture_is_a_post_the_sdk_accepts_with_the_same_descriptions(name):
    from atproto import models

    for value in values_in(name):
        record = models.get_or_create(value, strict=False)
        assert isinstance(record, models.AppBskyFeedPost.Record)
        assert is_post_record(value)
        assert ours(value) == sdk_media(record)


@given(rs.valid_post)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_posts_the_sdk_accepts_read_the_same(value):
    from atproto import models

    record = models.AppBskyFeedPost.Record.model_validate(value)
    assert is_post_record(value)
    assert ours(value) == sdk_media(record)
    assert record_to_post(value, Source()).text == record.text


def test_tolerated_records_are_ones_the_sdk_rejects_but_we_read():
    """Real records the SDK refuses for reasons that do not touch alt text."""
    from atproto import models
    from pydantic import ValidationError

    values = values_in("tolerated.jsonl")
    for value in values:
        with pytest.raises(ValidationError):
            models.AppBskyFeedPost.Record.model_validate(value)
    assert [alt for value in values for alt, _ in ours(value)] == [
        "The sun sets behind a Victorian pier.",
        "A hand-drawn map of the village.",
        "Four people wave at the camera in turn.",
        "A lighthouse in fog.",
        "Waves breaking on rocks.",
    ]


def test_records_of_other_types_are_what_the_sdk_calls_them_and_not_posts():
    from atproto import models

    like = json.loads((FIXTURES / "bad" / "like.json").read_text(encoding="utf-8"))
    like = like.get("value", like)
    assert isinstance(models.get_or_create(like, strict=False), models.AppBskyFeedLike.Record)
    assert not is_post_record(like)
    follow = {"$type": "app.bsky.graph.follow", "subject": "did:plc:4qsyxmnsblo4luuycm3572bq", "createdAt": "2025-01-01T00:00:00.000Z"}
    assert isinstance(models.get_or_create(follow, strict=False), models.AppBskyGraphFollow.Record)
    assert not is_post_record(follow)


def test_nsids_match_the_sdk():
    from atproto import models

    assert post_record.POST == models.ids.AppBskyFeedPost
    assert post_record.IMAGES == models.ids.AppBskyEmbedImages
    assert post_record.VIDEO == models.ids.AppBskyEmbedVideo
    assert post_record.GALLERY == models.ids.AppBskyEmbedGallery
    assert post_record.EXTERNAL == models.ids.AppBskyEmbedExternal
    assert post_record.RECORD_WITH_MEDIA == models.ids.AppBskyEmbedRecordWithMedia
    assert records.POST == post_record.POST


def test_reading_records_does_not_import_the_sdk():
    code = (
        "import sys; from auditor.inputs.discover import iter_items; "
        f"items = list(iter_items([{str(FIXTURES)!r}])); "
        "assert len(items) > 20; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('atproto', 'atproto_client', 'atproto_core', 'pydantic')))"
    )
    result = subprocess.run([sys.executable, "-P", "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_check_on_records_loads_neither_the_sdk_nor_other_heavy_modules(tmp_path):
    """The whole command on a record file, in a fresh interpreter: what it imports."""
    record = tmp_path / "one.jsonl"
    record.write_text((FIXTURES / "posts.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    code = (
        "import sys, io, contextlib\n"
        f"sys.argv = ['altaudit', 'check', {str(record)!r}, '--format', 'json']\n"
        "from auditor.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = ('atproto', 'atproto_client', 'atproto_core', 'pydantic', 'httpx', 'jsonschema', 'libipld', 'rich')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    result = subprocess.run([sys.executable, "-P", "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stderr
