"""A rule's documentation as Markdown, in its fixed sections (`altaudit rule CODE`),
and the table of every rule (`altaudit rules`).

Examples come from the rule files, which quote real descriptions: they pass
through `visible()` so that a control character in one shows as an escape.
"""

from __future__ import annotations

from typing import TextIO

from .safe_text import visible

RULES_COLUMNS = ("code", "level", "name", "what it flags")


def render_rules_table(rules, out: TextIO, terminal: bool | None = None) -> None:
    """Every rule, one a line: a rich table on a terminal; piped (`| grep`, `| cat`),
    plain columns two spaces apart, one rule a line however long, with no
    trailing spaces."""
    rules = list(rules)
    if terminal is None:
        terminal = out.isatty()
    if terminal:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        from .reports.terminal import LEVEL_STYLE

        table = Table(show_edge=False)
        for column in RULES_COLUMNS:
            table.add_column(column)
        for rule in rules:
            table.add_row(rule.code, Text(rule.level.value, style=LEVEL_STYLE[rule.level]), rule.name, rule.title)
        Console(file=out).print(table)
        return
    rows = [RULES_COLUMNS] + [(rule.code, rule.level.value, rule.name, visible(rule.title, keep_newlines=False)) for rule in rules]
    widths = [max(len(row[i]) for row in rows) for i in range(len(RULES_COLUMNS) - 1)]
    for row in rows:
        line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1]
        out.write(line.rstrip() + "\n")


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
