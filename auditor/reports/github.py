"""GitHub Actions workflow commands: each finding becomes an annotation on its file and line."""

from __future__ import annotations

from ..model import AuditResult, Level
from .common import located_findings
from .safe import visible

_COMMAND = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}


def _data(value: str) -> str:
    return visible(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def render(result: AuditResult) -> str:
    lines = []
    for _, post, finding, source in located_findings(result):
        where = f"image {finding.image_index} of {len(post.images)}: " if finding.image_index else ""
        props = []
        if source.path:
            props.append(f"file={_property(source.path)}")
            if source.line:
                props.append(f"line={source.line}")
        props.append(f"title={_property('altaudit ' + finding.code)}")
        text = where + finding.message
        if finding.suggestion:
            text += f" (suggestion: {finding.suggestion})"
        if source.uri:
            text += f" [{source.uri}]"
        lines.append(f"::{_COMMAND[finding.level]} {','.join(props)}::{_data(text)}")
    return "\n".join(lines)
