"""The checks that rules name in their `check` key.

Generic machinery (`pattern`, `placeholder`, `metric`-like length checks)
serves many rules through their data; structural checks hold the code a rule
cannot express as data. Every check is registered here explicitly: a rule
naming a check that is not in CHECKS is refused when rules load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, NamedTuple


@dataclass
class Hit:
    """One thing a check found: where, what to put there instead, and message fields."""

    span: tuple[int, int] | None = None
    suggestion: str | None = None
    image_index: int | None = None  # post-scope checks: the image it is about
    fields: dict = field(default_factory=dict)


class Gate(NamedTuple):
    """What a description must be for a rule's check to find anything in it, tested
    by the engine before it calls the check: most checks find nothing in most
    descriptions, and a call costs more than these tests. Only necessary
    conditions: the check itself still decides."""

    requires: tuple[str, ...] | None = None  # it holds one of these strings
    min_length: int = 0  # it is at least this many code points long
    max_length: int | None = None  # and at most this many
    non_ascii: bool = False  # it holds a character outside ASCII


@dataclass(frozen=True)
class Check:
    """A registered check: its function and whether it sees blank descriptions."""

    function: Callable[..., Iterable[Hit]]
    runs_on_blank: bool = False  # presence checks also see missing and empty descriptions
    # Checks of the text read from the images (Image.seen): they find nothing in
    # a post none of whose images was read, so the engine does not call them there.
    needs_seen_text: bool = False
    # Post-scope checks that compare a post's images: a post of fewer finds nothing.
    min_images: int = 1
    # The rule's Gate, made from its options (None: the check is always called).
    gate: Callable[[dict], Gate] | None = None
    # Checks that find nothing in a description with words in it (A101), and
    # checks that the engine does not run at all (A199, reported by suppression).
    blank_only: bool = False
    in_engine: bool = True


def _registry() -> dict[str, Check]:
    from . import (
        branding,
        caps,
        first_letter,
        generic,
        image_brands,
        image_merged,
        image_text,
        invisible,
        length,
        merged,
        pattern,
        placeholder,
        presence,
        readability,
        repeats,
        spelling,
    )

    return {
        "missing": Check(presence.missing, runs_on_blank=True, blank_only=True),
        "partly-described": Check(presence.partly_described, min_images=2),
        "provider-default": Check(presence.provider_default),
        "placeholder": Check(placeholder.check),
        "pattern": Check(pattern.check, gate=pattern.gate),
        "invisible-characters": Check(invisible.check),
        "max-length": Check(length.max_length, gate=length.max_length_gate),
        "too-short": Check(length.too_short),
        "all-caps": Check(caps.check),
        "repeats-post-text": Check(repeats.repeats_post_text),
        "same-on-every-image": Check(repeats.same_on_every_image, min_images=2),
        "repeated-sentence": Check(repeats.repeated_sentence, gate=repeats.repeated_sentence_gate),
        "spelling": Check(spelling.check),
        "first-letter": Check(first_letter.check),
        "merged-images": Check(merged.check),
        "branded-graphic": Check(branding.branded_graphic),
        "brand-not-named": Check(branding.brand_not_named),
        "readability": Check(readability.check, gate=readability.gate),
        "generic": Check(generic.generic, gate=generic.generic_gate),
        "keyword-list": Check(generic.keyword_list, gate=generic.keyword_list_gate),
        # Checks that see the text read from the image (auditor/images).
        "image-text-left-out": Check(image_text.left_out_text, needs_seen_text=True),
        "image-text-heavy-short": Check(image_text.text_heavy_short, needs_seen_text=True),
        "image-brand-not-named": Check(image_brands.brand_in_image, needs_seen_text=True),
        "image-text-of-another": Check(image_merged.carries_other_image, needs_seen_text=True),
        "image-word-misspelt": Check(image_text.misspelt_printed_word, needs_seen_text=True),
        "unused-suppression": Check(_after_the_other_checks, in_engine=False),
    }


def _after_the_other_checks(ctx) -> Iterable[Hit]:
    """A199 (an `ignore` entry that silences nothing) needs every other rule's
    findings: auditor/suppression.py reports it once they are known."""
    return ()


CHECKS: dict[str, Check] = _registry()
