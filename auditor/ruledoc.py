"""A rule's documentation as Markdown, in its fixed sections (`altaudit rule CODE`).

Examples come from the rule files, which quote real descriptions: they pass
through `visible()` so that a control character in one shows as an escape.
"""

from __future__ import annotations

from .safe_text import visible


def render_rule_doc(rule) -> str:
    """A rule's documentation as Markdown, in its fixed sections."""

    def examples(items) -> str:
        out = []
        for item in items:
            shown = item if len(item) <= 200 else f"{item[:60]}… ({len(item)} characters)"
            out.append("    " + visible(shown, keep_newlines=False))
        return "\n".join(out) or "    (see the post examples)"

    def post_examples(items) -> str:
        return "\n".join("    " + " | ".join(f"“{visible(alt, keep_newlines=False)}”" for alt in post) for post in items)

    parts = [
        f"# {rule.code} {rule.name} ({rule.level.value})",
        "",
        rule.title,
        "",
        "## What it checks",
        "",
        rule.docs.what,
        "",
        "## Why it matters",
        "",
        rule.docs.why,
        "",
        "## Example that fails",
        "",
        examples(rule.docs.fails) if rule.docs.fails else post_examples(rule.docs.fails_post),
        "",
        "## Example that passes",
        "",
        examples(rule.docs.passes) if rule.docs.passes else post_examples(rule.docs.passes_post),
        "",
        "## How to fix",
        "",
        rule.fix,
    ]
    if rule.options:
        parts += ["", "## Options", ""]
        for key, value in rule.options.items():
            shown = repr(value)
            if len(shown) > 100:
                shown = shown[:97] + "…"
            parts.append(f"- {key.replace('_', '-')} = {shown}")
        parts.append(f"\nSet them in [tool.altaudit.rules.{rule.code}].")
    return "\n".join(parts)
