"""`check` reads the JSON that the public Bluesky API returns: feeds, posts, threads, post views.

The fixtures in tests/fixtures/api/ follow the lexicons' response shapes (written by
make_fixtures.py there, and held to the atproto SDK's response models below).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.inputs.api_views import is_api_view, record_embed
from auditor.inputs.records import iter_records
from auditor.model import InputProblem, Post

API = Path(__file__).parent / "fixtures" / "api"
LT = "at://did:plc:4qsyxmnsblo4luuycm3572bq/app.bsky.feed.post/"
TCPA = "at://did:plc:jq3tpxnuu4onlj6wuhaexxq5/app.bsky.feed.post/"
NEIGHBOUR = "at://did:plc:zv5glsqsfbaeyqbqafsi3mcr/app.bsky.feed.post/"

# The posts of the fixtures, by URI, with what their records say (read off make_fixtures.py).
PINNED = LT + "3lbeoz75plk2b"
TCPA_VIDEO = TCPA + "3m2j72xf6k22b"
WEBINAR = LT + "3m2lyrpy2f22b"
CONFERENCE = LT + "3m27b5ygxdk2b"
CONFERENCE_REPLY = LT + "3m27b74w6vk2b"
TEXT_ONLY = LT + "3m22tcaqsh22b"
REPORT_QUOTE = LT + "3lzlitwey3s2b"
GIF_REPLY = NEIGHBOUR + "3m2m3eidu322b"
PROVIDER_GIF = NEIGHBOUR + "3m2m4fhx5l22b"
VIDEO_QUOTE = NEIGHBOUR + "3m2pceivcs22b"
BUNTING = NEIGHBOUR + "3m2qs5ef3222b"


def read(name: str) -> list[Post | InputProblem]:
    return list(iter_records(str(API / name)))


def uris(items) -> list[str]:
    return [item.source.uri for item in items]


def media(post: Post) -> list[tuple[str, str | None]]:
    return [(image.kind, image.alt) for image in post.images]


def test_author_feed_each_post_once_with_its_uri():
    items = read("author_feed.json")
    assert all(isinstance(item, Post) for item in items)
    # the pinned post comes first and again at its place; the repost is TCPA's post
    assert uris(items) == [PINNED, TCPA_VIDEO, WEBINAR, CONFERENCE_REPLY, CONFERENCE, TEXT_ONLY, REPORT_QUOTE]
    by_uri = {item.source.uri: item for item in items}
    assert media(by_uri[CONFERENCE]) == [
        ("image", "A panel of five people sits at tables during a conference discussion. One man holds a "
         "microphone and speaks while others listen attentively."),
        ("image", ""),
    ]
    assert media(by_uri[TCPA_VIDEO]) == [
        ("video", "Short film: a flooded street, then volunteers fitting insulation to a terraced house.")
    ]
    # a quote post's own images (recordWithMedia), not the quoted post's cover
    assert [kind for kind, _ in media(by_uri[REPORT_QUOTE])] == ["image"]
    assert media(by_uri[REPORT_QUOTE])[0][1].startswith("A graphic from Local Trust announcing a new report")
    assert media(by_uri[PINNED]) == []  # a link card without "Alt: " describes nothing
    assert by_uri[WEBINAR].text.startswith("Our head of policy & comms @maddiejennings.bsky.social")
    assert by_uri[WEBINAR].langs == ["en"]
    assert all(item.source.path == str(API / "author_feed.json") for item in items)


def test_reply_context_and_quoted_posts_are_not_audited():
    # the reply's root and parent views, and the quoted Future Governance Forum post,
    # appear in the response but are not the feed's posts
    text = (API / "author_feed.json").read_text(encoding="utf-8")
    assert "did:plc:ukf6hc3swdqeqgu2yf2vdxqm/app.bsky.feed.post/" in text
    assert not any("ukf6hc3swdqeqgu2yf2vdxqm" in uri for uri in uris(read("author_feed.json")))


def test_timeline_post_reposted_twice_is_audited_once():
    items = read("timeline.json")
    assert uris(items) == [VIDEO_QUOTE, GIF_REPLY, WEBINAR, TCPA_VIDEO]
    by_uri = {item.source.uri: item for item in items}
    assert media(by_uri[GIF_REPLY]) == [("gif", "A cartoon bear waves both paws at the camera.")]
    # the quote post's own video has no description: present as a medium without alt
    assert media(by_uri[VIDEO_QUOTE]) == [("video", None)]


def test_get_posts_repeated_uri_once():
    items = read("posts.json")
    assert uris(items) == [BUNTING, REPORT_QUOTE]
    assert media(items[0]) == [
        ("image", "Two volunteers on ladders hang bunting across the hall."),
        ("image", "IMG_2041.JPG"),
    ]


def test_thread_every_post_parents_first_blocked_and_not_found_skipped():
    items = read("thread.json")
    assert all(isinstance(item, Post) for item in items)
    # parent (its own parent was deleted: notFound), the anchor, the replies depth first;
    # the blocked reply and the deleted one carry no post
    assert uris(items) == [CONFERENCE, CONFERENCE_REPLY, GIF_REPLY, PROVIDER_GIF]
    provider = items[3].images[0]
    assert (provider.kind, provider.alt, provider.alt_by_provider) == ("gif", "Thumbs Up GIF", True)


def test_bookmarks_deleted_one_skipped():
    items = read("bookmarks.json")
    assert uris(items) == [BUNTING, REPORT_QUOTE]
    assert all(isinstance(item, Post) for item in items)


def test_single_post_view():
    (item,) = read("post_view.json")
    assert item.source.uri == VIDEO_QUOTE
    assert item.text == "Filmed at the hall last night, the guides in action."
    assert media(item) == [("video", None)]


def test_feed_pages_in_json_lines_overlap_once_each_with_its_line():
    items = read("author_feed_pages.jsonl")
    assert uris(items) == [WEBINAR, CONFERENCE_REPLY, CONFERENCE, TEXT_ONLY]
    assert [item.source.line for item in items] == [1, 1, 1, 2]


def test_view_embed_read_when_the_record_has_none():
    # jq 'del(.posts[].record.embed)': the descriptions are only in the hydrated views
    items = read("posts_trimmed.json")
    assert uris(items) == [CONFERENCE, VIDEO_QUOTE]
    assert media(items[0])[0][1].startswith("A panel of five people sits at tables")
    assert media(items[0])[1] == ("image", "")
    assert media(items[1]) == [("video", None)]


def test_record_preferred_over_the_view():
    view = json.loads((API / "post_view.json").read_text(encoding="utf-8"))
    view["embed"]["media"]["alt"] = "only in the view"
    view["record"]["embed"]["media"]["alt"] = "in the record"
    (item,) = list(iter_records("view.json", json.dumps(view).encode()))
    assert media(item) == [("video", "in the record")]


def test_a_bad_post_view_is_one_problem_and_its_neighbours_are_read():
    items = read("author_feed_broken_item.json")
    assert [type(item).__name__ for item in items] == ["Post", "InputProblem", "Post"]
    problem = items[1]
    assert problem.uri == TEXT_ONLY
    assert "no 'text'" in problem.message
    assert uris([items[0], items[2]]) == [WEBINAR, CONFERENCE]


def test_feed_items_one_a_line(tmp_path):
    # jq -c '.feed[]' writes one feedViewPost a line; jq -c '.posts[]' one post view a line
    feed = json.loads((API / "timeline.json").read_text(encoding="utf-8"))["feed"]
    path = tmp_path / "items.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in feed), encoding="utf-8")
    items = list(iter_records(str(path)))
    assert uris(items) == [VIDEO_QUOTE, GIF_REPLY, WEBINAR, TCPA_VIDEO]
    assert [item.source.line for item in items] == [1, 2, 3, 5]


def test_list_of_post_views(tmp_path):
    posts = json.loads((API / "posts.json").read_text(encoding="utf-8"))["posts"]
    path = tmp_path / "views.json"
    path.write_text(json.dumps(posts, indent=1), encoding="utf-8")
    items = list(iter_records(str(path)))
    assert uris(items) == [BUNTING, REPORT_QUOTE]
    assert items[1].source.line > items[0].source.line > 1


def test_records_and_list_records_pages_are_not_api_views():
    page = json.loads((Path(__file__).parent / "fixtures" / "records" / "list_records.json").read_text(encoding="utf-8"))
    assert not is_api_view(page)
    assert not is_api_view(page["records"][0])
    assert not is_api_view(page["records"][0]["value"])
    assert not is_api_view({"text": "a post", "$type": "app.bsky.feed.post"})
    assert is_api_view({"feed": []})
    # a listRecords page is still read as records, with the record URIs
    assert len(read_list_records()) == len(page["records"])


def read_list_records():
    return [item for item in iter_records(str(Path(__file__).parent / "fixtures" / "records" / "list_records.json")) if isinstance(item, Post)]


def test_empty_feed_and_thread_not_found_hold_no_posts(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text(
        '{"feed": [], "cursor": "x"}\n'
        '{"thread": {"$type": "app.bsky.feed.defs#notFoundPost", "uri": "at://did:plc:x/app.bsky.feed.post/3m2lyrpy2f22b", "notFound": true}}\n',
        encoding="utf-8",
    )
    assert list(iter_records(str(path))) == []


def test_deep_thread_is_walked_without_recursion():
    node = {"$type": "app.bsky.feed.defs#threadViewPost", "post": _view(0), "replies": []}
    top = node
    for i in range(1, 3000):
        child = {"$type": "app.bsky.feed.defs#threadViewPost", "post": _view(i), "replies": []}
        node["replies"].append(child)
        node = child
    from auditor.inputs.api_views import view_posts

    posts = list(view_posts({"thread": top}, "deep.json"))
    assert len(posts) == 3000
    assert posts[-1].text == "reply 2999"


def _view(i: int) -> dict:
    return {
        "uri": f"at://did:plc:zv5glsqsfbaeyqbqafsi3mcr/app.bsky.feed.post/3m2m{i:09d}",
        "cid": "bafyreibk4ft3vkx4wh3kxg3p3ap6wwz6mlhqv5fvhnt3xv2qyl7nhqkqfi",
        "author": {"did": "did:plc:zv5glsqsfbaeyqbqafsi3mcr", "handle": "hallvolunteer.bsky.social"},
        "record": {"$type": "app.bsky.feed.post", "text": f"reply {i}", "createdAt": "2025-10-07T12:01:44.020Z"},
        "indexedAt": "2025-10-07T12:01:44.432Z",
    }


def test_record_embed_of_each_view_kind():
    assert record_embed({"$type": "app.bsky.embed.images#view", "images": [{"thumb": "t", "fullsize": "f", "alt": "A"}]}) == {
        "$type": "app.bsky.embed.images",
        "images": [{"alt": "A"}],
    }
    assert record_embed({"$type": "app.bsky.embed.gallery#view", "items": [{"alt": "B", "aspectRatio": {"width": 1, "height": 2}}]}) == {
        "$type": "app.bsky.embed.gallery",
        "items": [{"$type": "app.bsky.embed.gallery#image", "alt": "B", "aspectRatio": {"width": 1, "height": 2}}],
    }
    assert record_embed({"$type": "app.bsky.embed.external#view", "external": {"uri": "u", "title": "t", "description": "Alt: C", "thumb": "x"}}) == {
        "$type": "app.bsky.embed.external",
        "external": {"uri": "u", "title": "t", "description": "Alt: C"},
    }
    assert record_embed({"$type": "app.bsky.embed.record#view", "record": {}}) == {"$type": "app.bsky.embed.record"}
    assert record_embed({"$type": "app.bsky.embed.unknown#view"}) is None


@pytest.mark.parametrize(
    "name, response",
    [
        ("author_feed.json", "AppBskyFeedGetAuthorFeed"),
        ("author_feed_broken_item.json", "AppBskyFeedGetAuthorFeed"),
        ("timeline.json", "AppBskyFeedGetTimeline"),
        ("posts.json", "AppBskyFeedGetPosts"),
        ("posts_trimmed.json", "AppBskyFeedGetPosts"),
        ("thread.json", "AppBskyFeedGetPostThread"),
        ("bookmarks.json", "AppBskyBookmarkGetBookmarks"),
    ],
)
def test_fixtures_follow_the_lexicons(name, response):
    from atproto_client import models
    from atproto_client.models.utils import get_or_create

    document = json.loads((API / name).read_text(encoding="utf-8"))
    parsed = get_or_create(document, getattr(models, response).Response, strict=True)
    assert parsed is not None
    for record in _records(document):
        if name != "author_feed_broken_item.json" or "text" in record:
            models.AppBskyFeedPost.Record.model_validate(record)


def test_single_view_and_pages_follow_the_lexicons():
    from atproto_client import models
    from atproto_client.models.utils import get_or_create

    view = json.loads((API / "post_view.json").read_text(encoding="utf-8"))
    get_or_create(view, models.AppBskyFeedDefs.PostView, strict=True)
    models.AppBskyFeedPost.Record.model_validate(view["record"])
    for line in (API / "author_feed_pages.jsonl").read_text(encoding="utf-8").splitlines():
        get_or_create(json.loads(line), models.AppBskyFeedGetAuthorFeed.Response, strict=True)


def _records(node):
    """Every post record in a response (post views' `record`, quoted views' `value`)."""
    if isinstance(node, dict):
        for key in ("record", "value"):
            value = node.get(key)
            if isinstance(value, dict) and value.get("$type") == "app.bsky.feed.post":
                yield value
        for value in node.values():
            yield from _records(value)
    elif isinstance(node, list):
        for value in node:
            yield from _records(value)


def _view_lines(name: str) -> dict[str, int]:
    """Line of each `"post": {` that opens a post view (its next line holds the view's
    URI), the first for each URI: found in the text, without a JSON parser."""
    lines = (API / name).read_text(encoding="utf-8").split("\n")
    found: dict[str, int] = {}
    for number, (line, following) in enumerate(zip(lines, lines[1:]), start=1):
        if line.strip() == '"post": {' and following.strip().startswith('"uri": "'):
            found.setdefault(following.strip()[len('"uri": "') : -2], number)
    return found


@pytest.mark.parametrize("name", ["author_feed.json", "timeline.json", "thread.json"])
def test_each_post_names_the_line_of_its_view(name):
    items = read(name)
    expected = _view_lines(name)
    assert [item.source.line for item in items] == [expected[uri] for uri in uris(items)]
    assert len(set(item.source.line for item in items)) == len(items) > 2


def test_posts_list_and_single_view_lines():
    text = (API / "posts.json").read_text(encoding="utf-8").split("\n")
    starts = [n for n, line in enumerate(text, start=1) if line == "    {"]  # the elements of "posts"
    assert [item.source.line for item in read("posts.json")] == starts[:2]
    assert [item.source.line for item in read("post_view.json")] == [1]


def test_deep_thread_in_a_file_keeps_the_document_line_past_the_located_depth(tmp_path):
    node = top = {"$type": "app.bsky.feed.defs#threadViewPost", "post": _view(0), "replies": []}
    for i in range(1, 200):
        child = {"$type": "app.bsky.feed.defs#threadViewPost", "post": _view(i), "replies": []}
        node["replies"].append(child)
        node = child
    path = tmp_path / "deep.json"
    path.write_text(json.dumps({"thread": top}, indent=1), encoding="utf-8")
    items = list(iter_records(str(path)))
    assert [item.text for item in items] == [f"reply {i}" for i in range(200)]
    lines = [item.source.line for item in items]
    assert lines[:3] == sorted(set(lines[:3])) and lines[0] > 1  # located: each its own line
    assert lines[-1] == 1  # 200 levels down: the document's line


# --- properties -------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=25,
)


def _paths(value, at=()):
    yield at, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, at + (key,))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _paths(child, at + (i,))


@settings(max_examples=150, deadline=None)
@given(document=_json, indent=st.sampled_from([None, 0, 1, 2, "\t"]), ascii_only=st.booleans(), lead=st.text(" \n\t", max_size=3))
def test_locator_finds_every_value_of_any_json(document, indent, ascii_only, lead):
    from auditor.inputs.api_views import Locator

    text = lead + json.dumps(document, indent=indent, ensure_ascii=ascii_only)
    locator = Locator(text, len(lead), lambda offset: offset)  # lines as offsets: the value's start itself
    decoder = json.JSONDecoder()
    for where, value in _paths(document):
        if len(where) > 40:
            continue
        offset = locator.line(where)
        assert decoder.raw_decode(text, offset)[0] == value


@settings(max_examples=100, deadline=None)
@given(order=st.lists(st.sampled_from(range(5)), max_size=12))
def test_a_feed_in_any_order_gives_each_post_once_in_first_order(order):
    from auditor.inputs.api_views import view_posts

    feed = {"feed": [{"post": _view(i)} for i in order]}
    posts = list(view_posts(feed, "feed.json"))
    assert [p.text for p in posts] == [f"reply {i}" for i in dict.fromkeys(order)]


def test_check_command_audits_a_saved_author_feed():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-P", "-c", "from auditor.cli import main; main()", "check", str(API / "author_feed.json"), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    report = json.loads(result.stdout)
    assert [post["source"]["uri"] for post in report["posts"]] == [
        PINNED, TCPA_VIDEO, WEBINAR, CONFERENCE_REPLY, CONFERENCE, TEXT_ONLY, REPORT_QUOTE,
    ]
    assert report["problems"] == []
    # the conference post's second image has an empty description (A101, an error)
    assert result.returncode == 1, result.stderr
    conference = report["posts"][4]
    assert [image.get("alt") for image in conference["images"]][1] == ""
    assert "A101" in json.dumps(conference["images"][1])
