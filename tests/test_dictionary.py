"""The spelling dictionary: real words, real typos from the HCI alt-text corpus."""

from __future__ import annotations


import pytest

from auditor.dictionary import Dictionary, default_dictionary
from auditor.resources import read_rule_file


@pytest.fixture(scope="module")
def d() -> Dictionary:
    return Dictionary()


@pytest.mark.parametrize(
    "word",
    [
        "neighbourhood", "neighborhood", "colour", "color", "organisation", "organization",
        "programme", "program", "centre", "center", "travelling", "traveling",
    ],
)
def test_british_and_american_spellings_are_known(d: Dictionary, word: str) -> None:
    assert d.known(word)


@pytest.mark.parametrize("word", ["neighbourhoods", "reinforcing", "tackling", "colours", "organized"])
def test_inflections_are_known(d: Dictionary, word: str) -> None:
    assert d.known(word)


@pytest.mark.parametrize("word", ["Colour", "COLOUR", "Neighbourhood"])
def test_case_does_not_matter(d: Dictionary, word: str) -> None:
    assert d.known(word)


@pytest.mark.parametrize(
    ("typo", "fix"),
    [("errros", "errors"), ("lenght", "length"), ("diferent", "different")],
)
def test_real_corpus_typos_are_unknown_and_fixed_first(d: Dictionary, typo: str, fix: str) -> None:
    assert not d.known(typo)
    suggestions = d.suggest(typo)
    assert suggestions and suggestions[0] == fix
    assert all(d.known(s) for s in suggestions)


def test_missing_first_letter_is_suggested(d: Dictionary) -> None:
    assert not d.known("igure")
    assert "figure" in d.suggest("igure")


def test_suggestions_keep_capitalisation(d: Dictionary) -> None:
    assert d.suggest("Lenght")[0] == "Length"
    assert d.suggest("LENGHT")[0] == "LENGTH"
    assert d.suggest("lenght")[0] == "length"


def test_suggest_limit(d: Dictionary) -> None:
    assert len(d.suggest("buble", limit=1)) == 1
    assert d.suggest("buble", limit=0) == []


def test_distance_two_typos_get_suggestions(d: Dictionary) -> None:
    assert d.suggest("tommorow")[0] == "tomorrow"
    assert d.suggest("reccomend")[0] == "recommend"


def test_nonsense_gets_no_suggestions(d: Dictionary) -> None:
    assert d.suggest("xqzvkw") == []


@pytest.mark.parametrize("word", ["well-known", "community-led", "pre-recorded", "socio-economic"])
def test_hyphenated_compounds_of_known_parts(d: Dictionary, word: str) -> None:
    assert d.known(word)


@pytest.mark.parametrize("word", ["well-knwon", "lenght-wise", "-known", "well-", "socio"])
def test_hyphenated_compounds_with_unknown_parts(d: Dictionary, word: str) -> None:
    assert not d.known(word)


def test_hyphenated_suggestion_fixes_the_bad_part(d: Dictionary) -> None:
    assert d.suggest("comunity-led")[0] == "community-led"


@pytest.mark.parametrize(
    "word", ["photographer's", "photographer\u2019s", "neighbourhood's", "students'", "don't", "don\u2019t"]
)
def test_possessives_and_apostrophes(d: Dictionary, word: str) -> None:
    assert d.known(word)


def test_possessive_of_typo_is_unknown(d: Dictionary) -> None:
    assert not d.known("lenght's")
    assert d.suggest("lenght's")[0] == "length's"


def test_user_words_make_unknown_words_known() -> None:
    assert not Dictionary().known("altaudit")
    custom = Dictionary(["AltAudit", "Bsky"])
    assert custom.known("altaudit")
    assert custom.known("AltAudit")
    assert custom.known("bsky")
    assert custom.known("altaudit's")


def test_extra_words_are_known(d: Dictionary) -> None:
    for word in ["screenshot", "infographic", "heatmaps", "tooltip", "wellbeing", "chatbot", "hashtag", "emoji"]:
        assert d.known(word), word


def test_default_dictionary_is_shared() -> None:
    assert default_dictionary() is default_dictionary()
    assert default_dictionary(["zorblat"]) is default_dictionary(("zorblat",))
    assert default_dictionary(["zorblat"]).known("zorblat")
    assert not default_dictionary().known("zorblat")


def _word_lines() -> list[str]:
    text = read_rule_file("words/en.txt")
    assert text.endswith("\n") and "\r" not in text
    return text[:-1].split("\n")


def test_word_file_is_sorted_without_duplicates() -> None:
    # The binary search in Dictionary is only valid on this invariant.
    words = _word_lines()
    assert len(words) > 100_000
    assert all(a < b for a, b in zip(words, words[1:]))
    assert all(w and w == w.lower() and not w.endswith("'s") for w in words)


def _extra_words() -> list[str]:
    lines = read_rule_file("words/extra.txt").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


def test_extra_words_are_new_sorted_and_lowercase() -> None:
    extra = _extra_words()
    assert extra == sorted(set(extra))
    assert all(w == w.lower() for w in extra)
    words = set(_word_lines())
    assert [w for w in extra if w in words] == []


def test_every_listed_word_is_found_by_the_search(d: Dictionary) -> None:
    words = _word_lines()
    for w in words[:: max(1, len(words) // 5000)] + [words[0], words[-1]]:
        assert d._in_list(w), w


def test_common_words_are_suggested_first(d: Dictionary) -> None:
    # Real typos from the HCI corpus whose rare neighbours used to win.
    assert d.suggest("lavel", max_edits=1)[0] == "level"
    assert d.suggest("landerns", max_edits=1)[0] == "lanterns"
    assert d.suggest("broochs", max_edits=1)[0] == "brooches"


def test_common_list_is_sorted_and_inside_the_main_list() -> None:
    from auditor.resources import read_rule_file

    common = read_rule_file("words/common.txt").splitlines()
    assert common == sorted(set(common))
    main = Dictionary()
    sample = common[:: max(1, len(common) // 2000)]
    missing = [w for w in sample if not main.known(w)]
    assert missing == []


@pytest.mark.parametrize(
    "word",
    ["breakpoint", "devops", "merch", "incentivized", "incentivizing", "defund", "defunded", "rewatch", "preorders"],
)
def test_modern_and_derived_words_are_known(d: Dictionary, word: str) -> None:
    assert d.known(word)


@pytest.mark.parametrize(
    "typo",
    # Real misspellings from the HCI corpus that look like derived words or compounds.
    ["occured", "layed", "untill", "cotent", "begining", "childs", "catergory", "screenshort", "thered"],
)
def test_misspellings_shaped_like_derived_words_stay_unknown(d: Dictionary, typo: str) -> None:
    assert not d.known(typo)


def test_frequency_ranks_found_in_the_text_equal_the_lists_order():
    # The first look-ups scan the list's text; later ones use a dict built from it.
    listed = [line for line in read_rule_file("words/frequent.txt").splitlines() if line and not line.startswith("#")]
    expected = {word: rank for rank, word in enumerate(listed)}
    words = [listed[0], listed[1], listed[-1], listed[len(listed) // 2], "Figure", "FIGURE", "don\u2019t",
             "zzzqx", "", "igure", "the"] + listed[100:140]
    scanned = Dictionary()
    for word in words:
        key = word.lower().replace("\u2019", "'")
        assert scanned.frequency_rank(word) == expected.get(key, len(listed)), word
    assert scanned._ranks is not None  # past the scan's limit: the dict answers now
    for word in words:
        key = word.lower().replace("\u2019", "'")
        assert scanned.frequency_rank(word) == expected.get(key, len(listed)), word
