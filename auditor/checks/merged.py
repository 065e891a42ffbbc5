"""Several images described in one description.

Two signals, both from the rule's data:
- numbered labels opening sentences ("Figure 1 shows…", "Figure 2 shows…")
  with two or more different numbers;
- in a post of several images whose other images have no description,
  two or more sentences that each open a new scene ("Two individuals
  standing…", "A green graphic featuring…").
"""

from __future__ import annotations

import re
from typing import Iterable

from ..text import sentences
from . import Hit


def _label_re(options: dict) -> re.Pattern:
    labels = "|".join(re.escape(w) for w in options["label_words"])
    return re.compile(rf"(?i)^[\W_]*(?:the\s+)?({labels})\.?\s*(\d+)[a-z]?\b")


def _scene_re(options: dict) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in options["scene_openers"]), re.I)


def _single_image_labels(options: dict) -> frozenset:
    return frozenset(w.lower() for w in options["single_image_labels"])


def _quote(text: str, words: int = 4) -> str:
    head = text.split()
    return " ".join(head[:words]) + ("…" if len(head) > words else "")


def check(ctx) -> Iterable[Hit]:
    label_re = ctx.memo("merged-labels", _label_re)
    parts = sentences(ctx.alt)
    numbered: dict[str, tuple[int, int]] = {}
    # One image may show its own panels, slides or pages: only some labels count there.
    single = len(ctx.post.images) < 2
    allowed = ctx.memo("merged-single", _single_image_labels)
    for part in parts:
        match = label_re.match(part.text)
        if match and (not single or match.group(1).lower() in allowed):
            numbered.setdefault(match.group(2), (part.start + match.start(1), part.start + match.end()))
    if len(numbered) >= 2:
        second = list(numbered.values())[1]
        label = label_re.match(ctx.alt[second[0] :]).group(1).lower()
        yield Hit(
            span=second,
            fields={"count": len(numbered), "what": f"{label}s " + ", ".join(numbered)},
        )
        return
    others = [i for i in ctx.post.images if i is not ctx.image]
    if not others or any(i.alt and i.alt.strip() for i in others):
        return
    scene_re = ctx.memo("merged-scenes", _scene_re)  # only for posts of several images
    scenes = [part for part in parts if scene_re.match(part.text)]
    if len(scenes) >= int(ctx.options["min_scenes"]):
        yield Hit(
            span=(scenes[1].start, scenes[1].start + len(_quote(scenes[1].text).rstrip("…"))),
            fields={
                "count": len(scenes),
                "what": "; ".join(f"‘{_quote(s.text)}’" for s in scenes),
            },
        )
