"""Presence: descriptions that are missing or blank, and posts described only in part."""

from __future__ import annotations

from typing import Iterable

from . import Hit


def missing(ctx) -> Iterable[Hit]:
    alt = ctx.image.alt
    if alt is None:
        yield Hit(fields={"what": "has no description"})
    elif not alt:
        yield Hit(fields={"what": "has an empty description"})
    elif not alt.strip():
        yield Hit(fields={"what": "has a description made only of blank characters"})


def partly_described(ctx) -> Iterable[Hit]:
    """Post scope: some images described, others not."""
    images = ctx.post.images
    described = ctx.described
    if 0 < len(described) < len(images):
        missing = [str(i.index) for i in images if i not in described]
        yield Hit(
            fields={
                "described": len(described),
                "missing": ("image " if len(missing) == 1 else "images ") + ", ".join(missing),
                "total": len(images),
            }
        )


def provider_default(ctx) -> Iterable[Hit]:
    """A GIF whose description is the one its provider (Tenor) supplied."""
    if ctx.image.alt_by_provider:
        stripped = ctx.alt.strip()
        start = ctx.alt.find(stripped)
        yield Hit(span=(start, start + len(stripped)))
