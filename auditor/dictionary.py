"""English word look-ups (British and American) for the spelling check.

The CLI must start in a few milliseconds, and building a Python set of the
~134k words in ``rules/words/en.txt`` alone costs ~20-40 ms. So the big list
stays one ``str`` (sorted, one word a line) and is binary-searched like Unix
``look``; only the small extra and user lists become a set, and answers are
memoised in a dict.
"""

from __future__ import annotations

import functools
from bisect import bisect_left
from collections.abc import Iterable
from itertools import chain, repeat

from auditor.resources import read_rule_file

__all__ = ["Dictionary", "default_dictionary"]

_ALPHABET = "abcdefghijklmnopqrstuvwxyz'"
_VOWELS = frozenset("aeiouy")
_POSSESSIVE = ("'s", "s'")
_EDIT2_MAX_LETTERS = 10
_CACHE_MAX = 200_000

# Bound prefixes that are not words on their own but are fine before a hyphen
# ("pre-recorded", "tri-colour", "socio-economic"); real words need no entry.
_HYPHEN_PREFIXES = frozenset(
    "pre tri intra proto socio mis tele uni omni poly trans infra peri retro neuro psycho "
    "hydro thermo photo electro bio eco geo agri agro cyber nano ortho para inter post".split()
)

# Prefixes that make new words of listed ones ("defund", "rewatch", "preorder").
# Not "un" or "co": "untill" and "cotent" are misspellings of listed words.
_WORD_PREFIXES = ("de", "re", "pre", "non", "over", "under", "out", "anti", "multi", "sub", "super", "micro", "mis")
# The same by first letter: a word is tried only with those it can start with.
_WORD_PREFIXES_BY_LETTER: dict[str, tuple[str, ...]] = {}
for _prefix in _WORD_PREFIXES:
    _WORD_PREFIXES_BY_LETTER[_prefix[0]] = _WORD_PREFIXES_BY_LETTER.get(_prefix[0], ()) + (_prefix,)
_PART_MIN_LETTERS = 4
_VERB_ENDINGS = ("ize", "ise", "ate")
_DERIVED_MIN_LETTERS = 6

# QWERTY neighbours: a substitution with an adjacent key is a likely slip.
_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEAR_KEYS: dict[str, frozenset[str]] = {}
for _r, _row in enumerate(_KEY_ROWS):
    for _c, _ch in enumerate(_row):
        _near = set()
        for _rr in (_r - 1, _r, _r + 1):
            if 0 <= _rr < len(_KEY_ROWS):
                for _cc in (_c - 1, _c, _c + 1):
                    if 0 <= _cc < len(_KEY_ROWS[_rr]):
                        _near.add(_KEY_ROWS[_rr][_cc])
        _near.discard(_ch)
        _NEAR_KEYS[_ch] = frozenset(_near)


def _normalise(word: str) -> str:
    word = word.lower()
    if not word.isascii():  # rare: skip the extra work for plain ASCII
        import unicodedata

        word = word.replace("\u2019", "'").replace("\u02bc", "'")
        word = unicodedata.normalize("NFC", word)
    return word


def _parse_word_lines(text: str) -> set[str]:
    words = set()
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(_normalise(line))
    return words


class Dictionary:
    """Known English words: SCOWL 70 (en.txt) + extra.txt + user words.

    Look-ups bisect the sorted word file kept as a single string, so that
    construction costs only reading the file, not hashing 134k words.
    """

    def __init__(self, extra_words: Iterable[str] = (), *, words_text: str | None = None,
                 extra_text: str | None = None) -> None:
        text = read_rule_file("words/en.txt") if words_text is None else words_text
        if text and not text.endswith("\n"):
            text += "\n"
        self._text = text
        self._list_has_hyphens = "-" in text  # SCOWL has none: compounds skip a search
        if extra_text is None:
            extra_text = read_rule_file("words/extra.txt")
        self._extra = _parse_word_lines(extra_text)
        self._extra.update(_normalise(w) for w in extra_words if w)
        self._cache: dict[str, bool] = {}
        self._first_letter_sets: dict[str, set[str]] = {}
        self._first_letter_sorted: dict[str, tuple[str, ...]] = {}  # the same words, sorted
        self._common_answers: dict[str, bool] = {}
        self._suggestions: dict[tuple, list[str]] = {}
        self._max_edits = 2
        self._keep_first = False
        self._common_text: str | None = None
        self._bisections = 0
        # The list's words as a dict's keys, not a set: the collector does not
        # track a dict of strings, and walked a set of 134k at every full collection.
        self._word_set: dict[str, None] | None = None
        self._ranks: dict[str, int] | None = None
        self._frequent: tuple[str, int, int] | None = None  # text, where its words start, how many
        self._rank_lookups = 0
        # Answers that callers derive from look-ups (the spelling check's verdict
        # on each word), kept with the word lists they depend on.
        self.memo: dict[str, dict] = {}

    # -- look-ups -------------------------------------------------------

    def known(self, word: str) -> bool:
        """True when ``word`` is a correct English word (either spelling)."""
        answer = self._cache.get(word)  # (not a KeyError caught: most words asked for are new)
        if answer is not None:
            return answer
        listed = self._word_set
        if listed is not None and word in listed and word.isascii() and word.islower():
            answer = True  # a listed word as written, which _normalise leaves as it is: most words
        else:
            answer = self._lookup(_normalise(word))
        if len(self._cache) >= _CACHE_MAX:
            self._cache.clear()
        self._cache[word] = answer
        return answer

    __contains__ = known

    def _lookup(self, w: str) -> bool:
        if not w:
            return False
        if w in self._extra:
            return True
        if ("-" not in w or self._list_has_hyphens) and self._in_list(w):
            return True
        if len(w) > 2 and w.endswith("'s"):
            return self._lookup(w[:-2])
        if len(w) > 2 and w.endswith("s'"):
            return self._lookup(w[:-1])
        if "-" in w:
            *heads, last = w.split("-")
            return bool(last) and self._lookup(last) and all(
                head in _HYPHEN_PREFIXES or (head and self._lookup(head)) for head in heads
            )
        return len(w) >= _DERIVED_MIN_LETTERS and w.isalpha() and self._derived(w)

    def _listed(self, w: str) -> bool:
        return w in self._extra or self._in_list(w)

    def _inflected(self, w: str) -> bool:
        """An inflection the list lacks of a listed verb in -ize, -ise or -ate:
        "incentivized", "incentivizing" from "incentivize"."""
        if w.endswith("d"):
            base = w[:-1]
        elif w.endswith("ing"):
            base = w[:-3] + "e"
        else:
            return False
        return base.endswith(_VERB_ENDINGS) and len(base) > 5 and self._listed(base)

    def _derived(self, w: str) -> bool:
        """Words SCOWL lacks that are regularly made from words it has: a listed
        verb inflected or a prefix before a listed word ("defund", "rewatch",
        "preorder"). Closed compounds ("breakpoint") are not guessed: "screenshort"
        and "catergory" would pass as two words; extra.txt lists the real ones.
        Real misspellings rarely take these shapes: "occured" or "layed" are not
        accepted, since only -ize, -ise and -ate verbs are inflected here, and parts are at least
        four letters ("untill" is not "un" + "till")."""
        if self._inflected(w):
            return True
        for prefix in _WORD_PREFIXES_BY_LETTER.get(w[:1], ()):
            rest = w[len(prefix) :]
            if w.startswith(prefix) and len(rest) >= _PART_MIN_LETTERS:
                stem = rest[:-1] if rest.endswith("s") and len(rest) > _PART_MIN_LETTERS else rest
                if self._listed(rest) or self._inflected(rest) or (stem != rest and self._listed(stem)):
                    return True
        return False

    def _lower_bound(self, key: str, text: str | None = None) -> int:
        """Offset of the first line >= key (``look``-style bisection)."""
        text = self._text if text is None else text
        lo, hi = 0, len(text)  # both always at a line start
        rfind, find = text.rfind, text.find
        while lo < hi:
            mid = (lo + hi) >> 1
            start = rfind("\n", 0, mid) + 1
            end = find("\n", mid)
            if text[start:end] < key:
                lo = end + 1
            else:
                hi = start
        return lo

    def _in_list(self, w: str, text: str | None = None) -> bool:
        if text is None:
            # Bisection suits a draft's few dozen words; a whole account's
            # thousands are cheaper after building the set once (about 20 ms).
            if self._word_set is not None:
                return w in self._word_set
            self._bisections += 1
            if self._bisections > SET_AFTER_LOOKUPS:
                self._word_set = dict.fromkeys(self._text.split("\n"))
                return w in self._word_set
            text = self._text
        return text.startswith(w + "\n", self._lower_bound(w, text))

    def frequency_rank(self, word: str) -> int:
        """Position of ``word`` in the frequency list (0 = most frequent); words not
        in it rank after all of them. The list is read on the first call only."""
        if self._ranks is None:
            if self._frequent is None:
                text = read_rule_file("words/frequent.txt")
                start = 0
                while text.startswith("#", start):  # the comments at the top
                    start = text.index("\n", start) + 1
                self._frequent = (text, start, text.count("\n", start))
            text, start, size = self._frequent
            self._rank_lookups += 1
            if self._rank_lookups <= RANKS_AFTER_LOOKUPS:
                # A draft asks for a rank or two: find the word's line and count
                # the lines above it, rather than build a 35,000-word dict (about 6 ms).
                w = _normalise(word)
                if not w or "\n" in w:
                    return size
                if text.startswith(w + "\n", start):
                    return 0
                at = text.find("\n" + w + "\n", start)
                return size if at < 0 else text.count("\n", start, at + 1)
            lines = text[start:].splitlines()
            if "\n#" in text[start:]:
                lines = [line for line in lines if line and line[0] != "#"]
            else:  # (no comment below the top: the blank lines dropped in C)
                lines = list(filter(None, lines))
            # (A later duplicate's rank wins, as in a dict comprehension.)
            self._ranks = dict(zip(lines, range(len(lines))))
        return self._ranks.get(_normalise(word), len(self._ranks))

    def _common(self, w: str) -> bool:
        """In the common-words list (read on the first suggestion only)."""
        # (Remembered: ranking asks again for the same candidates. The file is
        # not in sorted order throughout, so its bisection's answers are kept,
        # not replaced by a set of its lines.)
        answer = self._common_answers.get(w)
        if answer is None:
            if self._common_text is None:
                self._common_text = read_rule_file("words/common.txt")
            answer = self._common_answers[w] = self._in_list(w, self._common_text)
        return answer

    def _words_starting_with(self, first: str) -> set[str]:
        """All words of one initial letter, built once: fast edit-2 checks."""
        words = self._first_letter_sets.get(first)
        if words is None:
            start = self._lower_bound(first)
            end = self._lower_bound(chr(min(ord(first) + 1, 0x10FFFF)))
            lines = self._text[start:end].split("\n")
            extra = [w for w in self._extra if w.startswith(first)]
            words = set(lines)
            words.discard("")
            words.update(extra)
            self._first_letter_sets[first] = words
            # The list's lines are in order already: sorting them with the few
            # extra words is one merge. (A tuple of strings, which the collector
            # stops tracking, where a list would be walked at every collection.)
            self._first_letter_sorted[first] = tuple(sorted(lines + extra))
        return words

    def _longest_known_prefix(self, w: str, pool: set[str]) -> int:
        """The length of the longest start of `w` that starts a word of `pool`
        (a set _words_starting_with made; else len(w), which prunes nothing).
        Starts that begin a word shrink to a shorter one, so it is bisected."""
        first = w[:1]
        ordered = self._first_letter_sorted.get(first)
        if ordered is None or self._first_letter_sets.get(first) is not pool:
            return len(w)
        size = len(ordered)

        def begins_a_word(start: str) -> bool:
            # The first word not before `start` begins with it if any word does.
            at = bisect_left(ordered, start)
            return at < size and ordered[at].startswith(start)

        lo, hi = 0, len(w)  # w[:lo] begins a word (or is empty); w[:hi + 1] is past the end
        while lo < hi:
            mid = (lo + hi + 1) >> 1
            if begins_a_word(w[:mid]):
                lo = mid
            else:
                hi = mid - 1
        return lo

    # -- suggestions ----------------------------------------------------

    def suggest(self, word: str, limit: int = 3, max_edits: int = 2, keep_first_letter: bool = False) -> list[str]:
        """Known words close to ``word``, best first, in its capitalisation.

        ``max_edits=1`` skips the two-edit search, the costly part for words
        (mostly names and terms) that have no one-edit neighbour.
        ``keep_first_letter`` only offers words with the same first letter,
        which are found in a per-letter set without binary searches.
        """
        if limit <= 0 or not word or len(word) > MAX_SUGGEST_LENGTH:
            return []
        key = (word, limit, max_edits, keep_first_letter)
        cached = self._suggestions.get(key)
        if cached is None:
            self._max_edits = max_edits
            self._keep_first = keep_first_letter
            w = _normalise(word)
            found = self._suggest_normalised(w, limit)
            cached = self._suggestions[key] = [_match_case(word, s) for s in found]
        return list(cached)

    def _suggest_normalised(self, w: str, limit: int) -> list[str]:
        if len(w) > 2 and w[-2:] in ("'s", "s'") and not self._lookup(w):
            stem, tail = (w[:-2], "'s") if w.endswith("'s") else (w[:-1], "'")
            fixes = self._suggest_normalised(stem, limit)
            if fixes:
                return [fix + tail for fix in fixes]
        core = w.strip("-")
        if core != w:  # stray hyphen at an edge: judge the word inside
            if not core:
                return []
            return [core] if self._lookup(core) else self._suggest_normalised(core, limit)
        if "-" in w:
            parts = w.split("-")
            unknown = [
                i for i, p in enumerate(parts)
                if p and not self._lookup(p) and not (i < len(parts) - 1 and p in _HYPHEN_PREFIXES)
            ]
            if unknown:
                options = []
                for i in unknown:
                    fixes = self._suggest_normalised(parts[i], limit)
                    if not fixes:
                        return []
                    options.append(fixes)
                results = []
                for first_fix in options[0]:
                    fixed = list(parts)
                    fixed[unknown[0]] = first_fix
                    for i, fixes in zip(unknown[1:], options[1:]):
                        fixed[i] = fixes[0]
                    results.append("-".join(fixed))
                return results[:limit]
        return self._ranked_candidates(w, limit)

    def _ranked_candidates(self, w: str, limit: int) -> list[str]:
        if not w:
            return []
        first = w[0]
        pool = self._words_starting_with(first)
        if self._keep_first and "'" not in w and "-" not in w:
            candidates = self._same_first_letter_edits(w, pool)
        else:
            candidates = set()
            for c in _edits1(w):
                if c[:1] == first and c in pool:
                    candidates.add(c)
                elif c[:1] != first and self._keep_first:
                    continue
                elif (c[:1] != first or "'" in c or "-" in c) and self._lookup(c):
                    candidates.add(c)
        candidates.discard(w)
        if "-" in w:  # no one-letter compound parts ("well-l-known")
            candidates = {c for c in candidates if all(len(p) > 1 for p in c.split("-"))}
        if not candidates and self._max_edits >= 2 and sum(ch.isalpha() for ch in w) <= _EDIT2_MAX_LETTERS:
            candidates = self._edits2_known(w)
        if len(candidates) < 2:  # nothing to rank
            return list(candidates)[:limit]
        # Common words first (SCOWL's size-35 lists): "emory" loses to "memory".
        ranked = sorted(candidates, key=lambda c: (not self._common(c), _weighted_distance(w, c), c))
        return ranked[:limit]

    def _same_first_letter_edits(self, w: str, pool: set[str]) -> set[str]:
        """The one-edit words that keep the first letter of `w` (which holds no
        apostrophe or hyphen): what the general loop above finds, in set
        arithmetic. All listed words with that first letter are in `pool`; of
        the edits outside it only those that put in an apostrophe can be words,
        and only as a possessive ("dog's", "dogs'") that _lookup takes apart.

        The edits are made by str.replace on a template with a NUL where the
        letter goes, in C, and looked up without a set of them all: making
        them one by one was most of a suggestion's time."""
        n = len(w)
        first = w[0]
        edits: list = [[w[:i] + w[i + 1 :] for i in range(n)]]
        edits.append([w[:i] + w[i + 1] + w[i] + w[i + 2 :] for i in range(n - 1)])
        # At the first position only the first letter itself keeps it.
        edits.append((first + w,))
        # A letter changed or put in at i keeps w[:i]: past the longest start
        # of w that begins a word of the pool, no such edit is a word (a
        # misspelt or unknown word leaves most places out).
        last = self._longest_known_prefix(w, pool)
        if "\0" in w:
            edits.append([w[:i] + c + w[i + 1 :] for i in range(1, min(n, last + 1)) for c in _ALPHABET])
            edits.append([w[:i] + c + w[i:] for i in range(1, last + 1) for c in _ALPHABET])
        else:
            nul = repeat("\0")  # endless: every map stops with the alphabet
            for i in range(1, last + 1):
                if i < n:  # the letter at i changed
                    edits.append(map((w[:i] + "\0" + w[i + 1 :]).replace, nul, _ALPHABET))
                edits.append(map((w[:i] + "\0" + w[i:]).replace, nul, _ALPHABET))  # one put in before it
        found = pool.intersection(chain.from_iterable(edits))
        for i in range(1, n + 1):
            for c in (w[:i] + "'" + w[i:], w[:i] + "'" + w[i + 1 :]):
                if c.endswith(_POSSESSIVE) and c not in found and self._lookup(c):
                    found.add(c)
        return found

    def _edits2_known(self, w: str) -> set[str]:
        """Distance-2 words keeping the first letter, where one edit is a cheap kind.

        Full distance-2 generation makes ~300k strings for a 10-letter word
        (~100 ms); requiring the first letter and that one of the two edits be
        a "cheap" kind (deletion, transposition, doubling, apostrophe, vowel
        swap) keeps it to ~30k strings checked against one set.
        """
        if not w:
            return set()
        first = w[0]
        pool = self._words_starting_with(first)
        found: set[str] = set()
        for e1 in _cheap_edits(w):
            if e1[:1] == first:
                found.update(pool.intersection(_edits1(e1)))
        found.discard(w)
        return found


# Frequency ranks found in the text before they are turned into a dict (see frequency_rank).
RANKS_AFTER_LOOKUPS = 30

# Look-ups in the big list before it is turned into a set (see _in_list).
SET_AFTER_LOOKUPS = 2000

# Edits grow with the square of a word's length; no English word needs more.
MAX_SUGGEST_LENGTH = 40


def _edits1(w: str) -> set[str]:
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    out.update(a + c + b[1:] for a, b in splits if b for c in _ALPHABET)
    out.update(a + c + b for a, b in splits for c in _ALPHABET)
    return out


def _cheap_edits(w: str) -> set[str]:
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    out.update(a + b[0] + b for a, b in splits if b)  # double a letter
    out.update(a + "'" + b for a, b in splits if a and b)
    out.update(a + v + b[1:] for a, b in splits if b and b[0] in _VOWELS for v in "aeiou")
    return out


def _sub_cost(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if a in _VOWELS and b in _VOWELS:
        return 3.0
    if b in _NEAR_KEYS.get(a, ()):
        return 3.5
    return 4.5


def _indel_cost(s: str, k: int, omitted: bool) -> float:
    """Cost of s[k] being in one string only; ``omitted``: the typo lacks it."""
    ch = s[k]
    if ch == "'" or (k > 0 and s[k - 1] == ch) or (k + 1 < len(s) and s[k + 1] == ch):
        return 2.0
    if omitted:
        return 3.0 if ch in _VOWELS else 3.5
    return 4.0


def _weighted_distance(typo: str, cand: str) -> float:
    """Damerau (OSA) distance weighted by how likely each slip is.

    Swaps cost least, then doubled letters and apostrophes, then vowel slips,
    neighbouring keys and dropped letters; changing the first letter costs
    extra. Without word frequencies this is what ranks suggestions.
    """
    n, m = len(typo), len(cand)
    # Each letter's cost of being in one string only depends on its neighbours,
    # not on the other string: worked out once a letter, not once a cell.
    added = [_indel_cost(cand, j, True) for j in range(m)]
    prev2: list[float] = []
    prev = [0.0] * (m + 1)
    for j in range(1, m + 1):
        prev[j] = prev[j - 1] + added[j - 1]
    for i in range(1, n + 1):
        extra = _indel_cost(typo, i - 1, False)
        a = typo[i - 1]
        before = typo[i - 2] if i > 1 else None
        left = prev[0] + extra
        cur = [left]
        # (Comparisons, not min(): the same smallest value, without a call a cell.)
        for j in range(1, m + 1):
            b = cand[j - 1]
            best = prev[j] + extra
            step = left + added[j - 1]
            if step < best:
                best = step
            step = prev[j - 1] + (0.0 if a == b else _sub_cost(a, b))
            if step < best:
                best = step
            if before == b and j > 1 and a == cand[j - 2] and a != b:
                step = prev2[j - 2] + 1.0
                if step < best:
                    best = step
            cur.append(best)
            left = best
        prev2, prev = prev, cur
    cost = prev[m]
    if typo[:1] != cand[:1]:
        cost += 1.0 if len(typo) > 1 and cand[:2] == typo[1::-1] else 3.0
    return cost


def _match_case(original: str, word: str) -> str:
    letters = [ch for ch in original if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return word.upper()
    if letters and original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


@functools.lru_cache(maxsize=8)
def _cached_dictionary(extra_words: tuple[str, ...]) -> Dictionary:
    return Dictionary(extra_words)


def default_dictionary(extra_words: Iterable[str] = ()) -> Dictionary:
    """The shared Dictionary, loaded once per process (and per user-word list)."""
    return _cached_dictionary(tuple(extra_words))
