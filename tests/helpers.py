"""Shared helpers for the tests: build posts and run the engine on them."""

from __future__ import annotations

from auditor.config import Settings, settings_from_dict
from auditor.engine import Engine
from auditor.model import Image, Post, Source


def post_of(*alts: str | None, text: str = "", langs: list[str] | None = None, image: dict | None = None) -> Post:
    source = Source(path="<test>")
    images = [Image(i, alt, source=source, **(image or {})) for i, alt in enumerate(alts, start=1)]
    return Post(text=text, images=images, langs=langs or [], source=source)


def engine(config: dict | None = None) -> Engine:
    return Engine(settings_from_dict(config) if config else Settings())


def codes(alt: str | None, text: str = "", config: dict | None = None, image: dict | None = None) -> list[str]:
    """Codes of every finding on a one-image post."""
    result = engine(config).audit([post_of(alt, text=text, image=image)])
    return [f.code for f in result.all_findings()]


def post_codes(alts: list[str], text: str = "", config: dict | None = None) -> list[str]:
    result = engine(config).audit([post_of(*alts, text=text)])
    return [f.code for f in result.all_findings()]
