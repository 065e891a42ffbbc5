"""Hypothesis strategies for post records: valid ones (as the lexicon and the
SDK's models accept them) and hostile ones (any text, wrong types, deep nesting).

Shared by tests/test_properties.py and tests/test_sdk_conformance.py.
"""

from __future__ import annotations

from hypothesis import strategies as st

# Real CIDs of the kind a blob ref carries (from the fixtures).
CIDS = [
    "bafkreibme22gw2h7y2h7tg2fhqotaqjucnbc24deqo72b6mkl2egezxhvy",
    "bafkreihwihm6kpd6zuwhhlro75p5qks5qtrcu55jp3gddbfjsieiv7wuka",
    "bafkreie4wxqnzd2v7pxqnbn5ve4xkq5rxgqgmkf5trqocr5uwfz2t6ppqm",
]

# Characters that have broken text handling somewhere: lone surrogates, NUL,
# bidi overrides, combining marks, zero-width and line separators, escapes, markup.
AWKWARD = [
    "\ud800", "\udfff", "\x00", "\u202e", "\u2066", "\u0301", "\u0300\u0301\u0302", "\u200b",
    "\u200d", "\ufeff", "\u2028", "\u2029", "\r", "\n", "\t", "\x1b[31m", "\x07", "[bold]",
    "[/]", "<script>alert(1)</script>", "&amp;", "{match}", "{0}", "%s", "\\", '"', "🐕‍🦺",
    "👩🏽‍💻", "e\u0301", "ﬁ", "İ", "ß", "\U0010ffff", "\uffff",
]

# Any code point, lone surrogates included, and the awkward ones more often.
any_text = st.lists(
    st.one_of(st.characters(exclude_categories=()), st.sampled_from(AWKWARD)), max_size=40
).map("".join)

# Text that is valid Unicode (what a lexicon string may hold): no lone surrogates.
valid_text = st.lists(
    st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from([c for c in AWKWARD if c not in ("\ud800", "\udfff")])),
    max_size=30,
).map("".join)

# Plain words too, so that the rules have something to find.
wordy_text = st.lists(
    st.sampled_from(["A", "dog", "picture", "of", "image", "the", "IMG_2041.jpg", "teh", "photo", "beach", ".", ",", "🐶"]),
    max_size=25,
).map(" ".join)

alt_text = st.one_of(valid_text, wordy_text)


def blob(mime: str) -> st.SearchStrategy:
    return st.builds(
        lambda cid, size: {"$type": "blob", "ref": {"$link": cid}, "mimeType": mime, "size": size},
        st.sampled_from(CIDS),
        st.integers(min_value=1, max_value=10_000_000),
    )


aspect = st.builds(lambda w, h: {"width": w, "height": h}, st.integers(1, 5000), st.integers(1, 5000))


def _with_aspect(d: dict, ratio: dict | None) -> dict:
    if ratio is not None:
        d["aspectRatio"] = ratio
    return d


image = st.builds(
    lambda alt, b, ratio: _with_aspect({"alt": alt, "image": b}, ratio), alt_text, blob("image/jpeg"), st.none() | aspect
)
images_embed = st.builds(lambda items: {"$type": "app.bsky.embed.images", "images": items}, st.lists(image, min_size=1, max_size=4))


def _video(b, alt, gif, ratio):
    embed = {"$type": "app.bsky.embed.video", "video": b}
    if alt is not None:
        embed["alt"] = alt
    if gif:
        embed["presentation"] = "gif"
    return _with_aspect(embed, ratio)


video_embed = st.builds(_video, blob("video/mp4"), st.none() | alt_text, st.booleans(), st.none() | aspect)

gif_card = st.builds(
    lambda prefix, alt, b: {
        "$type": "app.bsky.embed.external",
        "external": {"uri": "https://media.tenor.com/x.gif", "title": "", "description": prefix + alt, "thumb": b},
    },
    st.sampled_from(["Alt: ", "ALT: ", ""]),
    alt_text,
    blob("image/jpeg"),
)

strong_ref = {
    "uri": "at://did:plc:4qsyxmnsblo4luuycm3572bq/app.bsky.feed.post/3lbnqh6zv2c2x",
    "cid": "bafyreiaqc3fzdbdp5umhjnc2kq3zfx7v2k6x4n4tqj6r7nbd2gqz5a3xfe",
}
record_with_media = st.builds(
    lambda media: {
        "$type": "app.bsky.embed.recordWithMedia",
        "record": {"$type": "app.bsky.embed.record", "record": dict(strong_ref)},
        "media": media,
    },
    st.one_of(images_embed, video_embed),
)

embed = st.one_of(images_embed, video_embed, gif_card, record_with_media)


def _post(text, maybe_embed, langs):
    record = {"$type": "app.bsky.feed.post", "text": text, "createdAt": "2025-03-01T12:00:00.000Z"}
    if maybe_embed is not None:
        record["embed"] = maybe_embed
    if langs:
        record["langs"] = langs
    return record


# Records that the lexicon and the SDK's model accept.
valid_post = st.builds(
    _post,
    st.one_of(wordy_text, valid_text.map(lambda t: t[:50])),
    st.none() | embed,
    st.lists(st.sampled_from(["en", "en-GB", "de", "ja", "fr"]), max_size=3, unique=True),
)

# --- hostile shapes ---------------------------------------------------------------

json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), any_text)
json_value = st.recursive(
    json_scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(any_text, inner, max_size=4)),
    max_leaves=12,
)

FIELDS = [
    ("text",),
    ("langs",),
    ("embed",),
    ("embed", "$type"),
    ("embed", "images"),
    ("embed", "images", 0),
    ("embed", "images", 0, "alt"),
    ("embed", "alt"),
    ("embed", "media"),
    ("embed", "external"),
    ("embed", "external", "description"),
    ("$type",),
]


def _set(record: dict, path: tuple, value) -> dict:
    """`record` with the field at `path` replaced by `value` (where the path exists)."""
    node = record
    for key in path[:-1]:
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return record
    if isinstance(node, dict):
        node[path[-1]] = value
    elif isinstance(node, list) and isinstance(path[-1], int) and path[-1] < len(node):
        node[path[-1]] = value
    return record


# Valid records with one field given a value of any type.
broken_post = st.builds(_set, valid_post, st.sampled_from(FIELDS), json_value)

# Texts anywhere: a valid record whose text and descriptions hold any code point.
hostile_post = st.builds(
    lambda text, alts: {
        "$type": "app.bsky.feed.post",
        "text": text,
        "embed": {"$type": "app.bsky.embed.images", "images": [{"alt": alt} for alt in alts]},
    },
    any_text,
    st.lists(any_text, min_size=1, max_size=4),
)


def deep_json(depth: int) -> str:
    """JSON text nested `depth` levels (objects and arrays in turn), built as text:
    json.dumps itself cannot write what is deeper than the recursion limit."""
    opening = "".join("[" if n % 2 else '{"embed": ' for n in range(depth))
    closing = "".join("]" if n % 2 else "}" for n in reversed(range(depth)))
    return opening + '"x"' + closing
