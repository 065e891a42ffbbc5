"""Spelling, with British and American English both accepted.

Words that are probably names or terms are not checked: hashtags, handles,
web addresses, words with digits, acronyms, words with capitals inside or
capitalised (proper nouns), and words the post text itself uses. An unknown
word with no close dictionary word is more likely a name than a typo, so it
is let through too. A description where many words are unknown is probably
not English and is not checked at all.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..text import ADDRESS_RE, Token, word_set, words
from . import Hit

_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F'’]+")
# A word split at a line break and pasted with its hyphen: "assem- bly".
_SPLIT = re.compile(r"\b([A-Za-z]+)- +([a-z]+)\b")


def dictionary(ctx):
    """The dictionary with the configured extra words (default_dictionary keeps one
    per set of words)."""
    from ..dictionary import default_dictionary

    return default_dictionary(tuple(ctx.settings.words))


def post_vocabulary(ctx) -> set[str]:
    """Words of the post text: the author's own names and terms (one post cached)."""
    cached = ctx.shared.get("post-words")
    if cached is not None and cached[0] is ctx.post:
        return cached[1]
    vocabulary = word_set(ctx.post.text)
    if any(image.seen is not None for image in ctx.post.images):
        # What the post's images print is spelt the way the author means it ("IGURE").
        from ..images.words import printed_words

        for image in ctx.post.images:
            vocabulary |= printed_words(image.seen)
    ctx.shared["post-words"] = (ctx.post, vocabulary)
    return vocabulary


def is_english(langs: list[str]) -> bool:
    return not langs or any(lang.lower().startswith("en") for lang in langs)


def checkable(text: str, token: Token) -> bool:
    """False for words that are probably names, terms, handles or addresses."""
    word = token.text
    plain = word.isascii() and word.isalpha() and word.islower()  # the common case
    if not plain:
        if len(word) < 3 or not _LATIN.fullmatch(word) or any(c.isupper() for c in word):
            return False
    elif len(word) < 3:
        return False
    # Hashtags, handles, paths, domains and the halves of hyphenated compounds
    # ("likert-scale", "white-ish") are left alone.
    before = text[token.start - 1] if token.start else " "
    after = text[token.end : token.end + 2]
    return not (before in "#@/.:_\\-" or after[:1] == "-" or (after[:1] in "./@_:\\" and after[1:2].isalnum()))


def _split_words(text: str, known):
    """(span, start of the second half, joined word) for words split by a hyphen
    and a space whose halves are not both words but whose join is."""
    for match in _SPLIT.finditer(text):
        first, second = match.group(1), match.group(2)
        whole = first + second
        if known.known(whole) and not (known.known(first) and known.known(second)):
            yield match.span(), match.start(2), whole


def check(ctx) -> Iterable[Hit]:
    """Options: max_unknown_ratio, min_words_for_ratio, max_edits."""
    if not is_english(ctx.post.langs):
        return
    text = ctx.alt
    known = dictionary(ctx)
    vocabulary = post_vocabulary(ctx)
    checked = 0
    unknown: list[tuple[Token, list[str]]] = []
    unknown_count = 0
    addresses = [m.span() for m in ADDRESS_RE.finditer(text)] if ("/" in text or "@" in text or "www" in text) else []
    splits = list(_split_words(text, known)) if "- " in text else []
    joined_starts = {start for _, start, _ in splits}
    for token in words(text):
        if token.start in joined_starts:
            continue  # the second half of a split word, reported whole below
        if not checkable(text, token) or any(a <= token.start < b for a, b in addresses):
            continue
        checked += 1
        if known.known(token.text) or token.text.casefold() in vocabulary:
            continue
        unknown_count += 1
        # A lost or changed first letter is rule T402's; here the first letter stays.
        suggestions = known.suggest(token.text, max_edits=int(ctx.options["max_edits"]), keep_first_letter=True)
        if suggestions:
            unknown.append((token, suggestions))
    if checked >= int(ctx.options["min_words_for_ratio"]) and (
        unknown_count / checked > float(ctx.options["max_unknown_ratio"])
    ):
        return  # mostly unknown words: another language, not a page of typos
    for span, _, whole in splits:
        yield Hit(span=span, suggestion=whole, fields={"word": text[span[0] : span[1]], "alternatives": "none"})
    for token, suggestions in unknown:
        yield Hit(
            span=(token.start, token.end),
            suggestion=suggestions[0],
            fields={"word": token.text, "alternatives": ", ".join(suggestions[1:]) or "none"},
        )
