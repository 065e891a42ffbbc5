"""The rule engine: runs the selected rules over every image of every post.

Rules come from rules/ (see rulebook.py) with the configuration's levels and
options applied; the check each rule names (auditor/checks/) yields `Hit`s,
which become `Finding`s here and scores in scoring.py.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Iterable, Iterator

from . import suppression
from .checks import CHECKS, Hit
from .config import Settings
from .model import AuditResult, Finding, Image, ImageResult, InputProblem, Location, Post, PostResult, Span
from .rulebook import Rule
from .selection import effective_rules
from .scoring import score_image, score_post


# A description with a thousand doubled words needs the first few pointed out,
# not a thousand lines of report.
MAX_FINDINGS_PER_RULE = 20


class _Blank(dict):
    """Leaves unknown {placeholders} in a message as they are."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Context:
    """What a check sees: the post, the image (None for post-scope rules), the rule.

    A plain class with slots, not a dataclass: checks read `alt` and `options`
    hundreds of thousands of times in a large audit, so they are attributes,
    set when the context is made and when its rule is swapped (`use`)."""

    __slots__ = ("post", "image", "rule", "options", "settings", "shared", "alt", "_described")

    def __init__(self, post: Post, image: Image | None, rule: Rule | None, settings: Settings,
                 shared: dict | None = None):
        self.post = post
        self.image = image
        self.settings = settings
        self.shared = {} if shared is None else shared  # per-run caches, e.g. the dictionary
        self.alt = (image.alt or "") if image else ""
        self._described: list[Image] | None = None
        self.use(rule)

    def use(self, rule: Rule | None) -> None:
        """Make `rule` the one whose check runs next."""
        self.rule = rule
        self.options = rule.options if rule is not None else None

    def memo(self, name: str, build):
        """What `build(options)` makes of this rule's options, made once per run
        (compiled patterns, word sets) and shared by every image."""
        key = (name, self.rule.code, id(self.rule.options))
        found = self.shared.get(key)
        if found is None:
            found = self.shared[key] = build(self.rule.options)
        return found

    @property
    def described(self) -> list[Image]:
        if self._described is None:
            self._described = [i for i in self.post.images if i.alt and i.alt.strip()]
        return self._described


class Engine:
    def __init__(self, settings: Settings | None = None, rules: Iterable[Rule] | None = None):
        self.settings = settings or Settings()
        self.rules = list(rules) if rules is not None else effective_rules(self.settings)
        self.image_rules = [r for r in self.rules if r.scope == "image"]
        self.supersedes = {r.code: r.supersedes for r in self.rules if r.supersedes}
        # (rule, check function, rules to skip once it has found the whole
        # description) for described images; for posts no image of which was
        # read (the checks of the text read from images find nothing there);
        # and the few checks that also see blank descriptions.
        checks = [(rule, CHECKS[rule.check]) for rule in self.image_rules]
        checks = [(rule, check) for rule, check in checks if check.in_engine]
        order = [rule.code for rule, _ in checks]
        plan = [(rule, check, self._skipped_after(rule.code, order), _gate(check, rule)) for rule, check in checks]
        self._image_checks = [(rule, check.function, skip, gate) for rule, check, skip, gate in plan if not check.blank_only]
        self._unread_checks = [
            (rule, check.function, skip, gate) for rule, check, skip, gate in plan if not (check.needs_seen_text or check.blank_only)
        ]
        self._blank_checks = [(rule, check.function, None, None) for rule, check, _, _ in plan if check.runs_on_blank]
        self.post_rules = [r for r in self.rules if r.scope == "post"]
        self._post_checks = [(rule, CHECKS[rule.check]) for rule in self.post_rules]
        self._one_unread_image_checks = [(r, c) for r, c in self._post_checks if not c.needs_seen_text and c.min_images <= 1]
        self._path_ignores = bool(self.settings.per_path_ignores)
        self.shared: dict = {}
        self._by_kind: dict = {}  # see _kinds
        # What every finding of a rule shares, worked out once per engine.
        self._about = {rule.code: _About(rule) for rule in self.rules}

    def _skipped_after(self, code: str, order: list[str]) -> frozenset[str] | None:
        """Rules whose findings a finding of `code` over the whole description
        would all drop (any finding with words in it overlaps it), so that they
        need not run. Only rules that come later, and only those whose own
        superseding it covers: their findings would drop nothing else."""
        covered = set(self.supersedes.get(code, ()))
        later = order[order.index(code) + 1 :]
        skip = frozenset(c for c in covered if c in later and set(self.supersedes.get(c, ())) <= covered)
        return skip or None

    def audit(self, posts: Iterable[Post]) -> AuditResult:
        """Every post's result at once (small inputs; `audit_stream` for any size)."""
        return AuditResult([self.audit_post(post) for post in posts])

    def audit_stream(self, items: Iterable[Post | InputProblem]) -> Iterator[PostResult | InputProblem]:
        """Each post's result as soon as it is audited, in input order; problems
        (records that could not be read) pass through in their place. Nothing is
        kept between posts, so memory does not grow with the input."""
        for item in items:
            yield item if isinstance(item, InputProblem) else self.audit_post(item)

    def audit_post(self, post: Post) -> PostResult:
        images = post.images
        if not images:
            result = PostResult(post, [], [], None)
            return suppression.apply(result, self) if suppression.wanted(post, self.settings) else result
        # (rule, hit, image) by image index, made into Findings only once the
        # superseded ones are dropped: most hits of a placeholder's other rules are.
        per_image: dict[int, list] = {image.index: [] for image in images}
        post_level: list = []
        read = False  # (a loop, not any(): once a post)
        for image in images:
            if image.seen is not None:
                read = True
                break
        described_checks = self._image_checks if read else self._unread_checks
        bounds, by_kind = self._kinds(described_checks)
        for image in images:
            alt = image.alt
            blank = not (alt and alt.strip())
            # One context per image, its rule swapped in turn: a context per rule
            # and image was a tenth of a whole-account audit's time.
            ctx = Context(post, image, None, self.settings, self.shared)
            found = per_image[image.index]
            skipped: frozenset | None = None
            if blank:
                checks = self._blank_checks
            else:
                # The checks whose Gates' length and ASCII tests this description
                # passes, listed once per kind of description; the markers a Gate
                # requires are looked for here: a call costs more.
                kind = (bisect_right(bounds, len(alt)), alt.isascii())
                checks = by_kind.get(kind)
                if checks is None:
                    checks = by_kind[kind] = _passing(described_checks, len(alt), kind[1])
            for rule, check, skips, requires in checks:
                if requires is not None:
                    for marker in requires:
                        if marker in alt:
                            break
                    else:
                        continue
                if skipped is not None and rule.code in skipped:
                    continue
                ctx.rule, ctx.options = rule, rule.options  # ctx.use(rule), without the call
                count = 0  # (a counter, not islice: most checks find nothing)
                for hit in check(ctx):
                    found.append((rule, hit, image))
                    count += 1
                    if skips is not None and hit.span == (0, len(alt)):
                        skipped = skips if skipped is None else skipped | skips
                    if count == MAX_FINDINGS_PER_RULE:
                        break
        # A post of one image gives nothing to compare (A104, M502), and the
        # image rules' post checks need the text read from the images.
        post_checks = self._post_checks if (read or len(images) > 1) else self._one_unread_image_checks
        ctx = Context(post, None, None, self.settings, self.shared) if post_checks else None
        for rule, check in post_checks:
            if (check.needs_seen_text and not read) or len(images) < check.min_images:
                continue
            ctx.use(rule)
            for hit in check.function(ctx):
                index = hit.image_index
                if index is not None and index in per_image:
                    per_image[index].append((rule, hit, _image_at(post, index)))
                else:
                    post_level.append((rule, hit))
        results = []
        rules, settings, finding = self.rules, self.settings, self._finding
        for image in images:
            hits = per_image[image.index]
            if hits:
                if len(hits) > 1:
                    hits = sorted(self._drop_superseded_hits(hits), key=_hit_order)
                found = [finding(rule, hit, about) for rule, hit, about in hits]
            else:
                found = []
            results.append(ImageResult(image, found, score_image(found, rules, settings, image.alt)))
        post_findings = [finding(rule, hit, None) for rule, hit in post_level]
        score = score_post(results, post_findings, rules, settings)
        result = PostResult(post, results, post_findings, score)
        # Draft `ignore` entries and per-path ignores, once every rule has spoken
        # (suppression.wanted, without the call).
        if self._path_ignores:
            return suppression.apply(result, self)
        for image in images:
            if image.ignore:
                return suppression.apply(result, self)
        return result

    def _kinds(self, checks: list) -> tuple[list[int], dict]:
        """The lengths at which some Gate of `checks` starts or stops passing,
        sorted, and the lists of checks by kind of description (between which
        two of those lengths it falls, ASCII or not), filled as kinds are met."""
        known = self._by_kind.get(id(checks))
        if known is None or known[0] is not checks:
            bounds = set()
            for _, _, _, gate in checks:
                if gate is not None:
                    bounds.add(gate[1])
                    if gate[2] is not None:
                        bounds.add(gate[2] + 1)
            known = self._by_kind[id(checks)] = (checks, sorted(bounds), {})
        return known[1], known[2]

    def _drop_superseded_hits(self, hits: list) -> list:
        """_drop_superseded on (rule, hit, image) entries, before they become Findings."""
        supersedes = self.supersedes
        superseding = [(supersedes[rule.code], hit.span) for rule, hit, _ in hits if rule.code in supersedes]
        if not superseding:
            return hits
        return [
            entry
            for entry in hits
            if not any(entry[0].code in codes and _overlaps(entry[1].span, span) for codes, span in superseding)
        ]

    def _drop_superseded(self, findings: list[Finding]) -> list[Finding]:
        """Remove findings that a more telling rule reports on the same words."""
        superseding = [(set(self.supersedes[f.code]), f.span) for f in findings if f.code in self.supersedes]
        if not superseding:
            return findings

        def overlaps(a: Span | None, b: Span | None) -> bool:
            # A finding about the whole description overlaps everything in it.
            return a is None or b is None or (a.start < b.end and b.start < a.end)

        return [
            f
            for f in findings
            if not any(f.code in codes and overlaps(f.span, span) for codes, span in superseding)
        ]

    def _finding(self, rule: Rule, hit: Hit, image: Image | None) -> Finding:
        about = self._about.get(rule.code)
        if about is None or about.rule is not rule:
            about = self._about[rule.code] = _About(rule)
        span = Span(*hit.span) if hit.span else None
        if about.plain:
            message = about.message
        else:
            fields = _Blank(hit.fields)
            if hit.span and "match" not in fields:
                text = (image.alt or "") if image else ""
                fields["match"] = text[hit.span[0] : hit.span[1]]
            message = about.message.format_map(fields)
        return Finding(
            code=about.code,
            level=about.level,
            message=message,
            image_index=image.index if image else None,
            span=span,
            suggestion=hit.suggestion,
            name=about.name,
            fix=about.fix,
            why=about.why,
            location=_location(image, span) if image else None,
        )


class _About:
    """What every finding of one rule shares: its message with no fields to fill
    needs no formatting, and its `why` is cut to one sentence once."""

    __slots__ = ("rule", "code", "level", "message", "plain", "name", "fix", "why")

    def __init__(self, rule: Rule):
        self.rule = rule
        self.code, self.level, self.name, self.fix = rule.code, rule.level, rule.name, rule.fix
        self.message = rule.message
        self.plain = "{" not in rule.message and "}" not in rule.message
        self.why = rule.why_short


def _location(image: Image, span: Span | None) -> Location:
    """The image's file and line; the line and column of the offending words (of
    the whole description for findings without a span) where the input knows how
    alt-text offsets map to its file (`Image.position`: drafts)."""
    source = image.source
    where = Location(path=source.path, line=source.line, uri=source.uri)
    if image.positions is not None:
        first, last = (span.start, span.end) if span is not None else (0, len(image.alt or ""))
        start = image.position(first)
        end = image.end_position(last)
        if start:
            where.line, where.column = start
        if end:
            where.end_line, where.end_column = end
    return where


def _image_at(post: Post, index: int | None) -> Image | None:
    if index is None:
        return None
    return next((image for image in post.images if image.index == index), None)


def _gate(check, rule: Rule) -> tuple | None:
    """The check's Gate for this rule's options, as a plain tuple; None where
    the check has none or it tests nothing."""
    if check.gate is None:
        return None
    gate = check.gate(rule.options)
    if gate.requires is None and not gate.min_length and gate.max_length is None and not gate.non_ascii:
        return None
    return tuple(gate)


def _passing(checks: list, length: int, ascii: bool) -> list:
    """The entries of `checks` whose Gate's length and ASCII tests a description
    of this length passes, as (rule, check, skips, markers it requires or None)."""
    passing = []
    for rule, check, skips, gate in checks:
        if gate is None:
            passing.append((rule, check, skips, None))
            continue
        requires, shortest, longest, non_ascii = gate
        if length < shortest or (longest is not None and length > longest) or (non_ascii and ascii):
            continue
        passing.append((rule, check, skips, requires))
    return passing


def _overlaps(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    # A finding about the whole description overlaps everything in it.
    return a is None or b is None or (a[0] < b[1] and b[0] < a[1])


def _hit_order(entry: tuple):
    """_finding_order, for a (rule, hit, image) entry."""
    rule, hit = entry[0], entry[1]
    return (-rule.level.rank, hit.span[0] if hit.span else -1, rule.code)


def _finding_order(finding: Finding):
    return (-finding.level.rank, finding.span.start if finding.span else -1, finding.code)
