"""The spelling check (T401) and its neighbours against the plain code they replace.

`reference_check` is T401's check as it was before it looked only at the
words the dictionary lacks and asked for suggestions only for the findings
it yields; `reference_repeats` is W308's before its substring bound. Both
must find the same things as the current checks in real descriptions and in
arbitrary text.
"""

from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.checks import Hit, first_letter, repeats, spelling
from auditor.checks.spelling import (
    _KNOWN,
    _SKIP,
    _UNKNOWN,
    _split_words,
    _verdict,
    _verdicts,
    dictionary,
    in_running_text,
    is_english,
    post_vocabulary,
)
from auditor.config import Settings
from auditor.engine import Context, Engine
from auditor.model import Image, Post
from auditor.text import ADDRESS_RE, WORD_RE, Token, normalise, word_list, word_set
from helpers import corpus_descriptions



def _holds_unknown(words, verdicts, settled, known, vocabulary) -> bool:
    for word in words.difference(settled):
        verdict = verdicts.get(word)
        if verdict is None:
            verdict = verdicts[word] = _verdict(word, known)
        if verdict != _UNKNOWN:
            settled.add(word)
        elif word.casefold() not in vocabulary:
            return True
    return False


def reference_check(ctx):
    if not is_english(ctx.post.langs):
        return
    text = ctx.alt
    known = dictionary(ctx)
    vocabulary = post_vocabulary(ctx)
    verdicts, settled = _verdicts(known)
    splits = list(_split_words(text, known)) if "- " in text else []
    unknown = []
    if _holds_unknown(set(word_list(text)), verdicts, settled, known, vocabulary):
        checked = 0
        unknown_count = 0
        max_edits = int(ctx.options["max_edits"])
        addresses = [m.span() for m in ADDRESS_RE.finditer(text)] if ("/" in text or "@" in text or "www" in text) else []
        joined_starts = {start for _, start, _ in splits}
        for match in WORD_RE.finditer(text):
            word = match.group()
            verdict = verdicts.get(word)
            if verdict is None:
                verdict = verdicts[word] = _verdict(word, known)
            if verdict == _SKIP:
                continue
            start = match.start()
            if joined_starts and start in joined_starts:
                continue
            end = match.end()
            if not in_running_text(text, start, end) or (addresses and any(a <= start < b for a, b in addresses)):
                continue
            checked += 1
            if verdict == _KNOWN or word.casefold() in vocabulary:
                continue
            unknown_count += 1
            suggestions = known.suggest(word, max_edits=max_edits, keep_first_letter=True)
            if suggestions:
                unknown.append((Token(word, start, end), suggestions))
        if checked >= int(ctx.options["min_words_for_ratio"]) and (
            unknown_count / checked > float(ctx.options["max_unknown_ratio"])
        ):
            return
    for span, _, whole in splits:
        yield Hit(span=span, suggestion=whole, fields={"word": text[span[0] : span[1]], "alternatives": "none"})
    for token, suggestions in unknown:
        yield Hit(
            span=(token.start, token.end),
            suggestion=suggestions[0],
            fields={"word": token.text, "alternatives": ", ".join(suggestions[1:]) or "none"},
        )


def reference_repeats(ctx):
    alt, post = ctx.alt, ctx.post.text
    if not post.strip():
        return
    alt_norm, post_norm = normalise(alt), normalise(post)
    alt_words = word_set(alt)
    if len(alt_words) < int(ctx.options["min_words"]):
        if alt_norm != post_norm:
            return
    elif alt_norm not in post_norm:
        shared = len(alt_words & word_set(post)) / len(alt_words)
        if shared < float(ctx.options["overlap"]):
            return
    stripped = alt.strip()
    start = alt.find(stripped)
    yield Hit(span=(start, start + len(stripped)))


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(Settings(words=("gaols", "Pipedrive")))


def _rule(engine: Engine, code: str):
    return next(r for r in engine.rules if r.code == code)


def _hits(function, engine: Engine, code: str, post: Post, options: dict | None = None):
    rule = _rule(engine, code)
    ctx = Context(post, post.images[0], rule, engine.settings, {})
    if options is not None:
        ctx.options = {**rule.options, **options}
    return [(h.span, h.suggestion, h.image_index, h.fields) for h in function(ctx)]


def _corpus_posts() -> list[Post]:
    return [Post(text, [Image(1, alt)], ["en"]) for alt, text in corpus_descriptions() if alt and alt != "Image"]


def test_spelling_finds_what_it_did_in_the_corpus(engine: Engine) -> None:
    posts = _corpus_posts()
    found = 0
    for post in posts:
        new = _hits(spelling.check, engine, "T401", post)
        assert new == _hits(reference_check, engine, "T401", post), post.images[0].alt
        found += bool(new)
    assert found > 100  # the corpus holds real typos


@pytest.mark.parametrize("ratio,minimum", [(0.4, 5), (0.0, 1), (0.1, 3), (1.0, 1), (0.05, 40)])
def test_spelling_share_of_unknown_words_as_before(engine: Engine, ratio: float, minimum: int) -> None:
    """Other thresholds make the count of checked words matter in more texts."""
    for post in _corpus_posts()[:1500:3]:
        options = {"max_unknown_ratio": ratio, "min_words_for_ratio": minimum}
        assert _hits(spelling.check, engine, "T401", post, options) == _hits(reference_check, engine, "T401", post, options)


# Words, typos, names, hashtags, addresses, hyphens split at line ends, apostrophes.
_PIECES = [
    "the", "chart", "lenght", "errros", "diferent", "Leeds", "#BigLocal", "@someone", "https://ex.com/a-b",
    "www.site.org", "assem- bly", "commu- nity", "don't", "dogs'", "gaols", "ipedrive", "Pipedrive", "x", "3ni",
    "sesion", "colour", "color", "teh", "recieve", "-", ".", ",", "\n", "  ", "'", "’", "é", "naïve", "straße",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(_PIECES), st.text(min_size=1, max_size=6)), max_size=25),
    st.lists(st.sampled_from(_PIECES), max_size=6),
    st.sampled_from([(0.4, 5), (0.0, 1), (0.2, 2)]),
)
def test_spelling_of_arbitrary_text_as_before(engine: Engine, alt_pieces, post_pieces, thresholds) -> None:
    post = Post(" ".join(post_pieces), [Image(1, " ".join(alt_pieces))], ["en"])
    options = {"max_unknown_ratio": thresholds[0], "min_words_for_ratio": thresholds[1]}
    assert _hits(spelling.check, engine, "T401", post, options) == _hits(reference_check, engine, "T401", post, options)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(_PIECES), st.text(min_size=1, max_size=6)), min_size=0, max_size=12),
    st.lists(st.one_of(st.sampled_from(_PIECES), st.text(min_size=1, max_size=6)), min_size=0, max_size=14),
)
def test_repeats_post_text_as_before(engine: Engine, alt_pieces, post_pieces) -> None:
    alt = " ".join(alt_pieces)
    # Posts that share most of the description's words, and posts that do not.
    for text in (" ".join(post_pieces), " ".join(post_pieces + alt_pieces[1:]), alt.upper()):
        post = Post(text, [Image(1, alt)], ["en"])
        assert _hits(repeats.repeats_post_text, engine, "W308", post) == _hits(reference_repeats, engine, "W308", post)


def test_repeats_post_text_of_corpus_tweets(engine: Engine) -> None:
    flagged = 0
    for post in _corpus_posts():
        if post.text:
            new = _hits(repeats.repeats_post_text, engine, "W308", post)
            assert new == _hits(reference_repeats, engine, "W308", post)
            flagged += bool(new)
    assert flagged > 0


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), st.lists(st.sampled_from(_PIECES + ["ΣΑΣ", "İstanbul", "ǅ", "ﬁne", "\u212a"])).map(" ".join)))
def test_word_set_as_before(text: str) -> None:
    """word_set from the cached split is the set the regular expression found."""
    if text.isascii():
        expected = frozenset(WORD_RE.findall(text.lower()))
    else:
        expected = frozenset(w.casefold() for w in WORD_RE.findall(text))
    assert word_set(text) == expected


def reference_first_letter(ctx):
    """T402's check before it tried _restore's first test ahead of the post's words."""
    from auditor.checks.first_letter import _NUMBER_AFTER, _LEADING, _options, _restore
    from auditor.text import sentences

    text = ctx.alt
    opts = ctx.memo("first-letter", _options)
    minimum = int(ctx.options["min_letters"])
    vocabulary = None
    for number, sentence in enumerate(sentences(text)):
        match = _LEADING.match(sentence.text)
        if not match or len(match.group()) < minimum:
            continue
        word = match.group()
        start = sentence.start
        end = start + len(word)
        following = text[end : end + 1]
        if following.isdigit() or following in "'’" and text[end + 1 : end + 2].isalpha():
            continue
        if vocabulary is None:
            vocabulary = post_vocabulary(ctx)
        if word.casefold() in vocabulary:
            continue
        joined = following in ("-", "_")
        number_after = _NUMBER_AFTER.match(text, end)
        restored = _restore(word, number == 0 and start == 0 and not joined, bool(number_after), text, end, ctx, opts)
        if not restored:
            continue
        if number_after:
            end = number_after.end()
        fixed = restored + text[start + len(word) : end]
        yield Hit(span=(start, end), suggestion=fixed, fields={"fixed": fixed})


_OPENINGS = ["igure 2 shows", "Pigure 3.", "The chart", "Image of", "ootball players", "IGURE 16.2", "mage of a dog",
             "Pipedrive logo", "ipedrive", "his chart shows", "able 3 lists", "eat map of", "iPhone", "Xyzzy went"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_OPENINGS), st.sampled_from(_PIECES), st.text(max_size=5)), max_size=12),
       st.lists(st.sampled_from(_OPENINGS + _PIECES), max_size=4))
def test_first_letter_as_before(engine: Engine, alt_pieces, post_pieces) -> None:
    post = Post(" ".join(post_pieces), [Image(1, ". ".join(alt_pieces))], ["en"])
    assert _hits(first_letter.check, engine, "T402", post) == _hits(reference_first_letter, engine, "T402", post)


def test_first_letter_of_the_corpus_as_before(engine: Engine) -> None:
    flagged = 0
    for post in _corpus_posts():
        new = _hits(first_letter.check, engine, "T402", post)
        assert new == _hits(reference_first_letter, engine, "T402", post)
        flagged += bool(new)
    assert flagged > 0
