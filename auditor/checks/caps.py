"""Descriptions written in capitals, which many screen readers spell out or shout."""

from __future__ import annotations

from typing import Iterable

from . import Hit


def check(ctx) -> Iterable[Hit]:
    """Options: min_letters, max_upper_ratio."""
    text = ctx.alt
    letters = [c for c in text if c.isalpha()]
    if len(letters) < int(ctx.options["min_letters"]):
        return
    upper = sum(1 for c in letters if c.isupper())
    if upper / len(letters) >= float(ctx.options["upper_ratio"]):
        stripped = text.strip()
        start = text.find(stripped)
        yield Hit(span=(start, start + len(stripped)))
