"""One self-contained HTML page (`--format html`) for people who never use a terminal.

Each image is shown beside its description with the offending words marked,
its findings in plain words (what, how to fix, where in the file) and its
score; a summary at the top says what the audit found; filters by level and
rule narrow the list. Everything is in the one file: thumbnails of drafts'
images are embedded as data: URIs (downscaled with Pillow when it is there
and the image is large), the style and the small filter script are inline and
allowed by a Content-Security-Policy that forbids every other load and
script. Every string from the input is escaped (and hidden characters made
visible), so a description holding `<script>` shows as text.

Built for screen readers too: a heading for every post and image, landmarks
(header, main, navigation for the filters), a label for every control, a live
status line that says how many findings the filters show, and levels written
as words, never told by colour alone.
"""

from __future__ import annotations

import base64
import hashlib
import html
from pathlib import Path
from typing import TextIO

from ..model import Finding, ImageResult, Level, PostResult
from ..safe_text import visible
from .base import ReportOptions, Spool, problem_place
from .base import Reporter as BaseReporter

THUMBNAIL = 480  # pixels, longest side
EMBED_AS_IS = 200_000  # bytes: smaller images are embedded unchanged
EMBED_LIMIT = 3_000_000  # bytes: without Pillow, larger images are not embedded
ALL_POSTS_UP_TO = 500  # larger audits list only posts with findings (unless --verbose)
LEVEL_WORDS = {Level.ERROR: "Error", Level.WARNING: "Warning", Level.INFO: "Note"}
_MEDIA_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg", b"GIF8": "image/gif"}

STYLE = """
:root { color-scheme: light; --error: #a40e26; --warning: #7a4a00; --info: #1f4f8a; }
* { box-sizing: border-box; }
body { font: 16px/1.5 "DejaVu Sans", system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #f6f6f4; }
header, main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem; }
header { background: #20313b; color: #fff; max-width: none; }
header p { margin: .25rem 0 0; }
h1 { margin: 0; font-size: 1.8rem; }
h2 { font-size: 1.4rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1.15rem; margin: 0 0 .5rem; overflow-wrap: anywhere; }
h4 { font-size: 1rem; margin: 0 0 .25rem; }
.verdict { font-size: 1.2rem; font-weight: bold; padding: .5rem 1rem; border-left: .4rem solid var(--info); background: #fff; }
.verdict.fails { border-color: var(--error); }
dl.counts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; background: #fff; padding: 1rem; }
dl.counts dt { font-weight: bold; }
dl.counts dd { margin: 0; }
table { border-collapse: collapse; background: #fff; }
th, td { text-align: left; padding: .3rem .75rem; border-bottom: 1px solid #ccc; }
nav.filters { background: #fff; padding: .75rem 1rem; border: 1px solid #ccc; }
nav.filters fieldset { display: inline-block; border: 1px solid #999; margin: 0 1rem .5rem 0; }
nav.filters label { margin-right: .75rem; }
select, button, input { font: inherit; }
:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
article.post { background: #fff; border: 1px solid #ccc; margin: 1rem 0; padding: 1rem; }
.post-text { white-space: pre-wrap; overflow-wrap: anywhere; border-left: .25rem solid #ddd; padding-left: .75rem; }
.image { display: grid; grid-template-columns: minmax(8rem, 16rem) 1fr; gap: 1rem; border-top: 1px solid #ddd; padding-top: 1rem; margin-top: 1rem; }
.thumb img { max-width: 100%; height: auto; border: 1px solid #ccc; }
.thumb p { margin: 0; padding: 1rem; background: #eee; color: #444; }
.alt { white-space: pre-wrap; overflow-wrap: anywhere; background: #fafafa; border: 1px solid #ddd; padding: .5rem .75rem; margin: .25rem 0 .75rem; }
.alt.none { font-style: italic; color: #555; }
mark { background: #ffe08a; color: inherit; }
ul.findings { list-style: none; padding: 0; margin: 0; }
li.finding { border-left: .3rem solid var(--info); padding: .25rem .75rem; margin: .5rem 0; background: #f7f9fc; }
li.finding.error { border-color: var(--error); background: #fdf3f4; }
li.finding.warning { border-color: var(--warning); background: #fdf8ef; }
.level { font-weight: bold; }
.error .level { color: var(--error); }
.warning .level { color: var(--warning); }
.info .level { color: var(--info); }
.where, .fix { color: #444; }
.score { font-weight: bold; }
[hidden] { display: none !important; }
@media (max-width: 40rem) { .image { grid-template-columns: 1fr; } }
"""

SCRIPT = """
(function () {
  var nav = document.getElementById("filters");
  var form = document.getElementById("filter-form");
  if (!nav || !form) { return; }
  nav.hidden = false;
  var findings = Array.prototype.slice.call(document.querySelectorAll("li.finding"));
  var boxes = Array.prototype.slice.call(document.querySelectorAll(".image, article.post"));
  var status = document.getElementById("filter-status");
  function update() {
    var rule = form.elements["rule"].value;
    var levels = {};
    var all = true;
    ["error", "warning", "info"].forEach(function (level) {
      var box = form.elements["level-" + level];
      levels[level] = box ? box.checked : true;
      all = all && levels[level];
    });
    var shown = 0;
    findings.forEach(function (item) {
      var show = levels[item.getAttribute("data-level")] && (!rule || item.getAttribute("data-rule") === rule);
      item.hidden = !show;
      if (show) { shown += 1; }
    });
    var filtering = Boolean(rule) || !all;
    boxes.forEach(function (box) {
      box.hidden = filtering && !box.querySelector("li.finding:not([hidden])");
    });
    status.textContent = "Showing " + shown + " of " + findings.length + " findings.";
  }
  form.addEventListener("change", update);
  form.addEventListener("reset", function () { window.setTimeout(update, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  update();
})();
"""


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


CSP = (
    "default-src 'none'; img-src data:; "
    f"style-src {_csp_hash(STYLE)}; script-src {_csp_hash(SCRIPT)}; "
    "base-uri 'none'; form-action 'none'"
)


def esc(text: str | None) -> str:
    """Untrusted text as HTML text: hidden characters made visible, then escaped."""
    return html.escape(visible(text or ""), quote=True)


def marked(alt: str, findings: list[Finding]) -> str:
    """The description, escaped, with the words findings point at in <mark>."""
    spans = sorted((f.span.start, f.span.end) for f in findings if f.span and f.span.end > f.span.start)
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, at = [], 0
    for start, end in merged:
        out.append(esc(alt[at:start]))
        out.append(f"<mark>{esc(alt[start:end])}</mark>")
        at = end
    out.append(esc(alt[at:]))
    return "".join(out)


def thumbnail(path: Path) -> tuple[str | None, str]:
    """(data: URI or None, a sentence for when there is no picture)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None, "The image file could not be read."
    media = next((kind for magic, kind in _MEDIA_TYPES.items() if data.startswith(magic)), None)
    if media is None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        media = "image/webp"
    if media and len(data) <= EMBED_AS_IS:
        return _data_uri(media, data), ""
    smaller = _downscaled(data)
    if smaller:
        return _data_uri(*smaller), ""
    if media and len(data) <= EMBED_LIMIT:
        return _data_uri(media, data), ""
    if media:
        return None, f"The image is too large to show here ({len(data) / 1e6:.1f} MB)."
    return None, "This file cannot be shown here (no preview for this kind of file)."


def _downscaled(data: bytes) -> tuple[str, bytes] | None:
    try:
        from io import BytesIO

        from PIL import Image as PILImage
    except ImportError:
        return None
    try:
        with PILImage.open(BytesIO(data)) as picture:
            picture.thumbnail((THUMBNAIL, THUMBNAIL))
            out = BytesIO()
            if picture.mode in ("RGBA", "LA", "P"):
                picture.save(out, "PNG", optimize=True)
                return "image/png", out.getvalue()
            picture.convert("RGB").save(out, "JPEG", quality=80)
            return "image/jpeg", out.getvalue()
    except Exception:  # noqa: BLE001 - any image Pillow cannot read simply has no thumbnail
        return None


def _data_uri(media: str, data: bytes) -> str:
    return f"data:{media};base64," + base64.b64encode(data).decode("ascii")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class Reporter(BaseReporter):
    def __init__(self, out: TextIO, options: ReportOptions):
        super().__init__(out, options)
        self.body = Spool()
        self.number = 0
        self.listed = 0
        self.clean_not_listed = 0
        self.problems: list[str] = []
        self.rules_seen: dict[str, Level] = {}

    # -- posts -----------------------------------------------------------------

    def post(self, result: PostResult) -> None:
        self.number += 1
        findings = result.all_findings()
        for finding in findings:
            self.rules_seen[finding.code] = finding.level
        if not findings and not self.options.verbose and self.number > ALL_POSTS_UP_TO:
            self.clean_not_listed += 1
            return
        self.listed += 1
        source = result.post.source
        where = source.path or source.uri or "input"
        ident = f"post-{self.number}"
        parts = [f'<article class="post" aria-labelledby="{ident}">']
        parts.append(f'<h3 id="{ident}">Post {self.number}: {esc(where)}</h3>')
        if result.score is not None:
            parts.append(f'<p>Post score: <span class="score">{result.score.value} out of 100</span></p>')
        if result.post.text:
            parts.append(f'<p>Post text:</p><p class="post-text">{esc(result.post.text)}</p>')
        if result.findings:
            parts.append("<h4>About the whole post</h4>")
            parts.append(self._findings(result, result.findings))
        if not result.images:
            parts.append("<p>This post has no images.</p>")
        for image_result in result.images:
            parts.append(self._image(result, image_result))
        parts.append("</article>")
        self.body.write("\n".join(parts) + "\n")

    def _image(self, result: PostResult, image_result: ImageResult) -> str:
        image = image_result.image
        ident = f"post-{self.number}-image-{image.index}"
        kind = {"image": "Image", "video": "Video", "gif": "GIF", "gallery": "Gallery item"}.get(image.kind, "Image")
        title = f"{kind} {image.index} of {len(result.images)}"
        if image.file and result.post.source.path and image.kind != "video":
            uri, missing = thumbnail(Path(result.post.source.path).parent / image.file)
        elif image.kind == "video":
            uri, missing = None, "Videos have no preview in this report."
        else:
            uri, missing = None, "No picture: post records carry only the description, not the image."
        if uri:
            # alt="" on purpose: the description under audit is given in full beside it.
            picture = f'<img src="{uri}" alt="">'
        else:
            picture = f"<p>{esc(missing)}</p>"
        if image.alt is None:
            alt = '<p class="alt none">No description at all.</p>'
        elif not image.alt.strip():
            alt = '<p class="alt none">The description is empty.</p>'
        else:
            alt = f'<p class="alt" id="{ident}-alt">{marked(image.alt, image_result.findings)}</p>'
        file_line = f"<p>File: {esc(image.file)}</p>" if image.file else ""
        if image.ignore:  # the draft's deliberate exception, shown so that readers can judge it
            file_line += (
                f"<p>Not checked here for {esc(', '.join(image.ignore))}, because: {esc(image.ignore_reason)}</p>"
            )
        findings = (
            self._findings(result, image_result.findings)
            if image_result.findings
            else "<p>No findings: nothing to improve in this description.</p>"
        )
        return (
            f'<section class="image" aria-labelledby="{ident}">'
            f'<div class="thumb">{picture}</div>'
            f'<div><h4 id="{ident}">{title}</h4>{file_line}'
            f"<p>Description:</p>{alt}"
            f'<p>Score: <span class="score">{image_result.score.value} out of 100</span></p>'
            f"{findings}</div></section>"
        )

    def _findings(self, result: PostResult, findings: list[Finding]) -> str:
        items = []
        for finding in findings:
            level = finding.level.value
            rule = self.options.rules.get(finding.code)
            name = finding.name or (rule.name if rule else "")
            text = [
                f'<li class="finding {level}" data-level="{level}" data-rule="{esc(finding.code)}">',
                f'<span class="level">{LEVEL_WORDS[finding.level]}:</span> ',
                f"<strong>{esc(finding.code)} {esc(name)}</strong>: {esc(finding.message)}",
            ]
            if finding.suggestion:
                text.append(f"<br>Suggestion: write “{esc(finding.suggestion)}”.")
            elif finding.suggestion == "":
                text.append("<br>Suggestion: delete these words.")
            fix = finding.fix or (rule.fix if rule else "")
            if fix:
                text.append(f'<br><span class="fix">How to fix: {esc(fix)}</span>')
            why = finding.why or (rule.why_short if rule else "")
            if why:
                text.append(f'<br><span class="fix">Why it matters: {esc(why)}</span>')
            where = finding.location
            if where is not None and where.line:
                spot = f"line {where.line}" + (f", column {where.column}" if where.column else "")
                text.append(f'<br><span class="where">In the file: {spot}.</span>')
            text.append("</li>")
            items.append("".join(text))
        return '<ul class="findings">' + "".join(items) + "</ul>"

    def problem(self, problem) -> None:
        if len(self.problems) < 200:
            self.problems.append(f"<li>{esc(problem_place(problem))}: {esc(problem.message)}</li>")

    # -- the page ----------------------------------------------------------------

    def finish(self, summary) -> None:
        out = self.out
        total = summary.finding_count
        title = f"Alt-text audit: {_plural(total, 'finding')} in {_plural(summary.posts, 'post')}"
        out.write(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            '<header><h1>Alt-text audit</h1>'
            "<p>How well the images in these posts are described for people who cannot see them "
            "(image descriptions, also called alt text).</p></header>\n"
            '<main id="main">\n'
        )
        out.write(self._summary(summary))
        out.write(self._filters(summary))
        out.write('<section aria-labelledby="posts-heading"><h2 id="posts-heading">Posts and their images</h2>\n')
        if self.clean_not_listed:
            out.write(f"<p>{_plural(self.clean_not_listed, 'post')} without findings are not listed.</p>\n")
        if self.listed == 0:
            out.write("<p>There are no posts to show.</p>\n")
        self.body.copy_to(out)
        out.write("</section>\n")
        if self.problems:
            out.write(
                '<section aria-labelledby="problems-heading"><h2 id="problems-heading">Files that could not be read</h2>'
                f"<ul>{''.join(self.problems)}</ul></section>\n"
            )
        out.write(f"</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n")

    def _summary(self, summary) -> str:
        errors, warnings, notes = (summary.findings[level.value] for level in (Level.ERROR, Level.WARNING, Level.INFO))
        if summary.problems:
            verdict, css = f"Some input could not be read ({_plural(summary.problems, 'problem')}).", "fails"
        elif summary.failed:
            verdict, css = "Needs work: some descriptions must be fixed before posting.", "fails"
        elif summary.finding_count:
            verdict, css = "Passes, with suggestions worth a look.", ""
        else:
            verdict, css = "Passes: no findings.", ""
        rows = [
            ("Posts", str(summary.posts)),
            ("Images", str(summary.images)),
            ("Images with a description", f"{summary.described} of {summary.images}"),
            ("Average image score", f"{summary.mean_image_score} out of 100" if summary.mean_image_score is not None else "no images"),
            ("Errors (must fix)", str(errors)),
            ("Warnings (should fix)", str(warnings)),
            ("Notes (worth a look)", str(notes)),
        ]
        counts = "".join(f"<dt>{esc(label)}</dt><dd>{esc(value)}</dd>" for label, value in rows)
        parts = [
            '<section aria-labelledby="summary-heading"><h2 id="summary-heading">Summary</h2>',
            f'<p class="verdict {css}">{esc(verdict)}</p>',
            f'<dl class="counts">{counts}</dl>',
        ]
        codes = summary.codes_by_level()
        if codes:
            parts.append("<h3>Findings by rule</h3><table><caption>Number of findings of each rule</caption>")
            parts.append('<thead><tr><th scope="col">Rule</th><th scope="col">Level</th><th scope="col">What it flags</th><th scope="col">Findings</th></tr></thead><tbody>')
            for code in codes:
                rule = self.options.rules.get(code)
                parts.append(
                    f"<tr><td>{esc(code)}</td><td>{LEVEL_WORDS[summary.rule_levels[code]]}</td>"
                    f"<td>{esc(rule.title if rule else '')}</td><td>{summary.by_code[code]}</td></tr>"
                )
            parts.append("</tbody></table>")
        parts.append("</section>\n")
        return "".join(parts)

    def _filters(self, summary) -> str:
        if not summary.finding_count:
            return ""
        options = ['<option value="">All rules</option>']
        for code in summary.codes_by_level():
            rule = self.options.rules.get(code)
            label = f"{code} {rule.name}" if rule else code
            options.append(f'<option value="{esc(code)}">{esc(label)} ({summary.by_code[code]})</option>')
        boxes = "".join(
            f'<input type="checkbox" id="level-{level.value}" name="level-{level.value}" checked>'
            f'<label for="level-{level.value}">{LEVEL_WORDS[level]}s</label>'
            for level in (Level.ERROR, Level.WARNING, Level.INFO)
        )
        # Hidden until the script runs: without it the controls could do nothing.
        return (
            '<nav id="filters" class="filters" aria-labelledby="filters-heading" hidden>'
            '<h2 id="filters-heading">Filter the findings</h2>'
            '<form id="filter-form">'
            f"<fieldset><legend>Show levels</legend>{boxes}</fieldset>"
            f'<label for="rule">Show rule</label> <select id="rule" name="rule">{"".join(options)}</select> '
            '<button type="reset">Show everything</button>'
            '<p id="filter-status" role="status" aria-live="polite"></p>'
            "</form></nav>\n"
        )
