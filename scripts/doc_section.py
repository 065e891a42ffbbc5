"""Writing a script's figures into a Markdown file between two markers,
keeping the rest of the file (shared by the corpus report and the evaluations)."""

from __future__ import annotations

from pathlib import Path


def write_section(path: Path, body: str, start: str, end: str) -> None:
    """Put body between the start and end markers in path; append the section if they are absent."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    section = f"{start}\n{body}{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
    else:
        text = (text.rstrip("\n") + "\n\n" if text else "") + section + "\n"
    path.write_text(text, encoding="utf-8")
