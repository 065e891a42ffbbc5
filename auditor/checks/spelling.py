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
from itertools import accumulate, compress, count
from typing import Iterable

from ..text import ADDRESS_RE, Token, word_parts, word_set
from . import Hit

_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F'’]+")
# A word split at a line break and pasted with its hyphen: "assem- bly".
_SPLIT = re.compile(r"\b([A-Za-z]+)- +([a-z]+)\b")


def dictionary(ctx):
    """The dictionary with the configured extra words (default_dictionary keeps one
    per set of words), kept in the run's shared memo: an import statement on every
    call was a measurable part of a large audit."""
    found = ctx.shared.get("dictionary")
    if found is None:
        from ..dictionary import default_dictionary

        found = ctx.shared["dictionary"] = default_dictionary(tuple(ctx.settings.words))
    return found


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
            vocabulary = vocabulary | printed_words(image.seen)  # word_set's answer is shared: a new set
    ctx.shared["post-words"] = (ctx.post, vocabulary)
    return vocabulary


def is_english(langs: list[str]) -> bool:
    if not langs:
        return True
    key = tuple(langs)  # posts of one account carry the same few lists
    found = _ENGLISH.get(key)
    if found is None:
        if len(_ENGLISH) > 1000:
            _ENGLISH.clear()
        found = _ENGLISH[key] = any(lang.lower().startswith("en") for lang in langs)
    return found


_ENGLISH: dict[tuple, bool] = {}


def checkable_shape(word: str) -> bool:
    """False for words whose letters mark a name or term: short words, capitals,
    letters outside the Latin scripts."""
    plain = word.isascii() and word.isalpha() and word.islower()  # the common case
    if not plain:
        if len(word) < 3 or not _LATIN.fullmatch(word) or any(c.isupper() for c in word):
            return False
    elif len(word) < 3:
        return False
    return True


def in_running_text(text: str, start: int, end: int) -> bool:
    """False where the word at text[start:end] is part of a hashtag, handle, path,
    domain or hyphenated compound ("likert-scale", "white-ish")."""
    before = text[start - 1] if start else " "
    after = text[end : end + 2]
    return not (before in "#@/.:_\\-" or after[:1] == "-" or (after[:1] in "./@_:\\" and after[1:2].isalnum()))


# What a word is to the check, whatever its place: not checked (its shape marks a
# name or term), checked and known, checked and unknown. Words repeat in any text,
# so each word's answer is worked out once per dictionary (Dictionary.memo).
_SKIP, _KNOWN, _UNKNOWN = 0, 1, 2
_VERDICTS_MAX = 200_000


def _verdict(word: str, known) -> int:
    if not checkable_shape(word):
        return _SKIP
    return _KNOWN if known.known(word) else _UNKNOWN


def _split_words(text: str, known):
    """(span, start of the second half, joined word) for words split by a hyphen
    and a space whose halves are not both words but whose join is."""
    for match in _SPLIT.finditer(text):
        first, second = match.group(1), match.group(2)
        whole = first + second
        if known.known(whole) and not (known.known(first) and known.known(second)):
            yield match.span(), match.start(2), whole


def _verdicts(known) -> tuple[dict[str, int], set[str]]:
    """Each word's verdict, and the set of words that never count as unknown
    (not checked, or known), kept with the dictionary."""
    verdicts = known.memo.setdefault("spelling", {})
    settled = known.memo.setdefault("spelling-settled", set())
    if len(verdicts) > _VERDICTS_MAX:
        verdicts.clear()
        settled.clear()
    return verdicts, settled


def _unknown_words(words: set[str], verdicts: dict[str, int], settled: set[str], known, ctx) -> set[str]:
    """The words that count as unknown wherever they stand: the dictionary lacks
    them and the post does not use them. The post's words are wanted only for
    words the dictionary lacks, which most descriptions have none of."""
    found: set[str] = set()
    vocabulary = None
    for word in words.difference(settled):  # most words are settled: set arithmetic in C
        verdict = verdicts.get(word)
        if verdict is None:
            verdict = verdicts[word] = _verdict(word, known)
        if verdict != _UNKNOWN:
            settled.add(word)
            continue
        if vocabulary is None:
            vocabulary = post_vocabulary(ctx)
        if word.casefold() not in vocabulary:
            found.add(word)
    return found


def _counted(text: str, start: int, end: int, joined_starts, addresses) -> bool:
    """Whether the word at text[start:end] is one the check counts (and checks),
    where its verdict allows: not the second half of a split word, in running
    text, outside web addresses."""
    if joined_starts and start in joined_starts:
        return False  # the second half of a split word, reported whole
    if not in_running_text(text, start, end):
        return False
    return not (addresses and any(a <= start < b for a, b in addresses))


def check(ctx) -> Iterable[Hit]:
    """Options: max_unknown_ratio, min_words_for_ratio, max_edits."""
    if not is_english(ctx.post.langs):
        return
    text = ctx.alt
    known = dictionary(ctx)
    verdicts, settled = _verdicts(known)
    splits = list(_split_words(text, known)) if "- " in text else []
    unknown: list[Token] = []
    # Most descriptions hold no word that the dictionary and the post both lack:
    # their distinct words settle it, and then where each word stands (which
    # decides whether it is checked at all) does not matter.
    parts = word_parts(text)
    words = parts[1::2]
    suspects = _unknown_words(set(words), verdicts, settled, known, ctx)
    if suspects:
        addresses = [m.span() for m in ADDRESS_RE.finditer(text)] if ("/" in text or "@" in text or "www" in text) else []
        joined_starts = {start for _, start, _ in splits}
        # Where each word starts and ends: the lengths of the pieces before it.
        bounds = list(accumulate(map(len, parts)))
        for k in compress(count(), map(suspects.__contains__, words)):  # (the few picked in C)
            start, end = bounds[2 * k], bounds[2 * k + 1]
            if _counted(text, start, end, joined_starts, addresses):
                unknown.append(Token(words[k], start, end))
        # Mostly unknown words: another language, not a page of typos. With a
        # few unknown words no count of the checked ones makes the share large
        # enough, and they need not be counted.
        minimum = int(ctx.options["min_words_for_ratio"])
        ratio = float(ctx.options["max_unknown_ratio"])
        if minimum < 1 or len(unknown) / minimum > ratio:
            checked = 0
            for k, word in enumerate(words):
                verdict = verdicts.get(word)
                if verdict is None:
                    verdict = verdicts[word] = _verdict(word, known)
                if verdict != _SKIP and _counted(text, bounds[2 * k], bounds[2 * k + 1], joined_starts, addresses):
                    checked += 1
            if checked >= minimum and len(unknown) / checked > ratio:
                return
    for span, _, whole in splits:
        yield Hit(span=span, suggestion=whole, fields={"word": text[span[0] : span[1]], "alternatives": "none"})
    if unknown:
        max_edits = int(ctx.options["max_edits"])
        # Suggestions only now, for the findings wanted: the engine stops after
        # its first few findings of a rule.
        for token in unknown:
            # A lost or changed first letter is rule T402's; here the first letter stays.
            suggestions = known.suggest(token.text, max_edits=max_edits, keep_first_letter=True)
            if suggestions:
                yield Hit(
                    span=(token.start, token.end),
                    suggestion=suggestions[0],
                    fields={"word": token.text, "alternatives": ", ".join(suggestions[1:]) or "none"},
                )
