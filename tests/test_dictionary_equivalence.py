"""The dictionary's fast paths against the plain code they replace.

`reference_one_edit` is the loop the suggestions used before the first-letter
fast path (every one-edit string tested one by one), and `reference_distance`
the weighted distance as first written (a cost function called in every
cell); the fast code must give the same answers for any word.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.dictionary import Dictionary, _edits1, _indel_cost, _sub_cost, _weighted_distance

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "hci_alt_text_dataset.jsonl"


@pytest.fixture(scope="module")
def d() -> Dictionary:
    return Dictionary(["Pipedrive", "gaols", "dogs'", "o'neill"])


def reference_one_edit(d: Dictionary, w: str, keep_first: bool) -> set[str]:
    first = w[0]
    pool = d._words_starting_with(first)
    candidates = set()
    for c in _edits1(w):
        if c[:1] == first and c in pool:
            candidates.add(c)
        elif c[:1] != first and keep_first:
            continue
        elif (c[:1] != first or "'" in c or "-" in c) and d._lookup(c):
            candidates.add(c)
    return candidates


def reference_distance(typo: str, cand: str) -> float:
    n, m = len(typo), len(cand)
    prev2: list[float] = []
    prev = [0.0] * (m + 1)
    for j in range(1, m + 1):
        prev[j] = prev[j - 1] + _indel_cost(cand, j - 1, True)
    for i in range(1, n + 1):
        extra = _indel_cost(typo, i - 1, False)
        cur = [prev[0] + extra] + [0.0] * m
        a = typo[i - 1]
        for j in range(1, m + 1):
            b = cand[j - 1]
            best = min(prev[j] + extra, cur[j - 1] + _indel_cost(cand, j - 1, True), prev[j - 1] + _sub_cost(a, b))
            if i > 1 and j > 1 and a == cand[j - 2] and typo[i - 2] == b and a != b:
                best = min(best, prev2[j - 2] + 1.0)
            cur[j] = best
        prev2, prev = prev, cur
    cost = prev[m]
    if typo[:1] != cand[:1]:
        cost += 1.0 if len(typo) > 1 and cand[:2] == typo[1::-1] else 3.0
    return cost


def fast_one_edit(d: Dictionary, w: str) -> set[str]:
    found = d._same_first_letter_edits(w, d._words_starting_with(w[0]))
    found.discard(w)
    return found


def expected_one_edit(d: Dictionary, w: str) -> set[str]:
    found = reference_one_edit(d, w, keep_first=True)
    found.discard(w)
    return found


# Letters of English words, with apostrophes (possessives), accents and a NUL
# (the fast path's template character) now and then.
_LETTERS = "abcdefghijklmnopqrstuvwxyz" * 4 + "'éüß\x00"
words = st.text(alphabet=_LETTERS, min_size=1, max_size=14)


@settings(max_examples=400, deadline=None)
@given(words)
def test_one_edit_words_match_the_plain_loop(d: Dictionary, w: str) -> None:
    if "'" in w or "-" in w:
        return  # the fast path is only taken for words without them
    assert fast_one_edit(d, w) == expected_one_edit(d, w)


@pytest.mark.parametrize(
    "w",
    [
        "lenght", "errros", "diferent", "dogs", "dog", "gaol", "oneill", "jame", "cats", "catss", "bos", "a", "s",
        "ss", "xs", "dogz", "pipedriv", "ootball", "tomorow", "lanterns", "broochs", "lavel", "churchs",
    ],
)
def test_one_edit_words_of_real_typos_and_possessives(d: Dictionary, w: str) -> None:
    assert fast_one_edit(d, w) == expected_one_edit(d, w)


def test_one_edit_words_of_every_unknown_corpus_word(d: Dictionary) -> None:
    """Every lower-case word of the HCI descriptions the dictionary lacks (the
    words the spelling check asks suggestions for), as the plain loop finds them."""
    import re

    seen = set()
    with open(CORPUS, encoding="utf-8") as lines:
        for line in lines:
            for w in re.findall(r"[a-z]{3,}", json.loads(line)["alt_text"]):
                if w not in seen and not d.known(w):
                    seen.add(w)
    assert len(seen) > 300  # the corpus holds typos and terms enough to mean something
    differ = [w for w in sorted(seen) if fast_one_edit(d, w) != expected_one_edit(d, w)]
    assert differ == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdeiouy'qwsz", min_size=0, max_size=10), st.text(alphabet="abcdeiouy'qwsz", min_size=0, max_size=10))
def test_weighted_distance_matches_the_plain_version(typo: str, cand: str) -> None:
    assert _weighted_distance(typo, cand) == reference_distance(typo, cand)


def test_weighted_distance_of_real_pairs() -> None:
    for typo, cand in [("lenght", "length"), ("errros", "errors"), ("emory", "memory"), ("lavel", "level"), ("teh", "the")]:
        assert _weighted_distance(typo, cand) == reference_distance(typo, cand)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12))
def test_suggestions_rank_as_before(d: Dictionary, w: str) -> None:
    """The whole suggestion (first letter kept, one edit), ranked by the plain
    distance, is what the plain loop would rank."""
    if d.known(w):
        return
    candidates = expected_one_edit(d, w)
    ranked = sorted(candidates, key=lambda c: (not d._common(c), reference_distance(w, c), c))[:3]
    assert d.suggest(w, max_edits=1, keep_first_letter=True) == ranked


def reference_longest_prefix(d: Dictionary, w: str) -> int:
    pool = d._words_starting_with(w[0])
    return max(i for i in range(len(w) + 1) if i == 0 or any(word.startswith(w[:i]) for word in pool))


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz'é", min_size=1, max_size=12))
def test_longest_known_prefix_matches_a_scan_of_the_pool(d: Dictionary, w: str) -> None:
    """The bisected start that prunes the edits, against every word of the pool."""
    assert d._longest_known_prefix(w, d._words_starting_with(w[0])) == reference_longest_prefix(d, w)


def test_longest_known_prefix_of_real_words(d: Dictionary) -> None:
    for w in ["pipedrive", "pipedriv", "lenght", "gaols", "xqzt", "zzzz", "o'neill", "éclair", "a"]:
        assert d._longest_known_prefix(w, d._words_starting_with(w[0])) == reference_longest_prefix(d, w)
    # A set not made by _words_starting_with prunes nothing.
    assert d._longest_known_prefix("xqzt", {"xylophone"}) == 4


def reference_derived(d: Dictionary, w: str) -> bool:
    """Dictionary._derived as first written: every prefix tried."""
    from auditor.dictionary import _PART_MIN_LETTERS, _WORD_PREFIXES

    if d._inflected(w):
        return True
    for prefix in _WORD_PREFIXES:
        rest = w[len(prefix) :]
        if w.startswith(prefix) and len(rest) >= _PART_MIN_LETTERS:
            stem = rest[:-1] if rest.endswith("s") and len(rest) > _PART_MIN_LETTERS else rest
            if d._listed(rest) or d._inflected(rest) or (stem != rest and d._listed(stem)):
                return True
    return False


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["de", "re", "pre", "non", "over", "under", "out", "anti", "multi", "sub", "super", "micro", "mis", "", "m", "u"]),
       st.sampled_from(["fund", "watch", "order", "size", "sizes", "stated", "incentivized", "lap", "xqzt", "tracks", ""]))
def test_derived_words_as_before(d: Dictionary, prefix: str, rest: str) -> None:
    w = prefix + rest
    assert d._derived(w) == reference_derived(d, w)


def test_derived_words_of_the_corpus_as_before(d: Dictionary) -> None:
    import re

    seen = set()
    with open(CORPUS, encoding="utf-8") as lines:
        for line in lines:
            seen.update(re.findall(r"[a-z]{6,}", json.loads(line)["alt_text"]))
    derived = [w for w in sorted(seen) if reference_derived(d, w)]
    assert len(derived) > 20
    assert [w for w in sorted(seen) if d._derived(w) != reference_derived(d, w)] == []


@pytest.mark.parametrize("body", ["", "a\nb\n", "a\n\nb\na\n", "# top\na\n#x\nb\n", "# top\n# more\nthe\nof\n\n#\nand\n", "a\u2028b\nc"])
def test_frequency_ranks_as_the_plain_dict(body: str, monkeypatch) -> None:
    """The ranks dict, built in C, against the comprehension it replaced."""
    import auditor.dictionary as dictionary

    d = Dictionary(words_text="a\n", extra_text="")
    d._frequent = (body, *_header(body))
    monkeypatch.setattr(dictionary, "RANKS_AFTER_LOOKUPS", 0)
    d.frequency_rank("a")
    start = d._frequent[1]
    lines = (line for line in body[start:].splitlines() if line and line[0] != "#")
    assert d._ranks == {w: rank for rank, w in enumerate(lines)}


def _header(text: str) -> tuple[int, int]:
    start = 0
    while text.startswith("#", start):
        start = text.index("\n", start) + 1
    return start, text.count("\n", start)


def test_frequency_ranks_of_the_real_list_as_the_plain_dict(monkeypatch) -> None:
    import auditor.dictionary as dictionary
    from auditor.resources import read_rule_file

    d = Dictionary()
    monkeypatch.setattr(dictionary, "RANKS_AFTER_LOOKUPS", 0)
    d.frequency_rank("the")
    text = read_rule_file("words/frequent.txt")
    start = _header(text)[0]
    lines = (line for line in text[start:].splitlines() if line and line[0] != "#")
    assert d._ranks == {w: rank for rank, w in enumerate(lines)}
    assert len(d._ranks) > 30_000


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["the", "The", "THE", "colour", "color's", "dogs'", "", "'", "123", "pre-recorded", "rewatch", "xqzt", "café", "naïve", "a"]))
def test_known_once_the_set_is_built_as_the_look_up(w: str) -> None:
    """known() answers a listed lower-case word from the set alone; it must be
    what _lookup says of every word, before and after the set is built."""
    fresh = Dictionary(["Pipedrive"])
    before = fresh.known(w)
    built = Dictionary(["Pipedrive"])
    built._word_set = dict.fromkeys(built._text.split("\n"))
    assert built.known(w) == before == built._lookup(_normalise_for_test(w))


def _normalise_for_test(word: str) -> str:
    from auditor.dictionary import _normalise

    return _normalise(word)


def test_known_of_the_corpus_words_as_the_look_up(d: Dictionary) -> None:
    import re

    built = Dictionary(["Pipedrive", "gaols", "dogs'", "o'neill"])
    built._word_set = dict.fromkeys(built._text.split("\n"))
    seen = set()
    with open(CORPUS, encoding="utf-8") as lines:
        for line in lines:
            seen.update(re.findall(r"[\w'’-]+", json.loads(line)["alt_text"]))
    assert len(seen) > 5000
    assert [w for w in sorted(seen) if built.known(w) != built._lookup(_normalise_for_test(w))] == []
