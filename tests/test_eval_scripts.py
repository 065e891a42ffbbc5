"""The evaluation scripts build their sets the way the issue describes."""

import csv
import importlib.util
import itertools
import json
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def load(name):
    # As when a script runs: its own folder first, for the helpers beside it (doc_section).
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


merged = load("eval_merged")
first_letter = load("eval_first_letter")


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    """The first rows of each real corpus file, in the same formats."""
    folder = tmp_path_factory.mktemp("corpus")
    with open(CORPUS / "hci_alt_text_dataset.jsonl", encoding="utf-8") as lines:
        (folder / "hci_alt_text_dataset.jsonl").write_text("".join(itertools.islice(lines, 120)), encoding="utf-8")
    for name, rows in (("tidytuesday_tweets_alt.csv", 2000), ("bluesky_top100_users_altrating.csv", 100)):
        with open(CORPUS / name, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            with open(folder / name, "w", encoding="utf-8", newline="") as out:
                writer = csv.DictWriter(out, reader.fieldnames)
                writer.writeheader()
                writer.writerows(itertools.islice(reader, rows))
    return folder


def test_merged_set_keeps_compound_texts_apart_and_drops_defaults(small_corpus):
    singles, compound = merged.corpus_descriptions(small_corpus)
    hci = [json.loads(line) for line in (small_corpus / "hci_alt_text_dataset.jsonl").read_text().splitlines()]
    assert compound == [row["alt_text"] for row in hci if row["compound"]]
    texts = {d.text for d in singles}
    assert not texts & {"", "Image", "needs inspection"}
    assert {d.origin for d in singles} == {"hci", "tidytuesday", "bluesky"}
    assert len(texts) == len(singles)  # no duplicates


def test_pasted_and_as_posted_variants(small_corpus):
    singles, _ = merged.corpus_descriptions(small_corpus)
    for group in merged.groups(singles, seed=7)[:50]:
        posted, pasted = merged.as_posted(group), merged.pasted(group)
        assert [i.alt for i in posted.images] == [d.text for d in group]
        assert pasted.images[0].alt == " ".join(d.text for d in group)
        assert [i.alt for i in pasted.images[1:]] == [""] * (len(group) - 1)
    sizes = {len(g) for g in merged.groups(singles, seed=7)}
    assert sizes == {2, 3, 4}
    assert merged.groups(singles, seed=7) == merged.groups(singles, seed=7)  # the seed fixes them


def test_halves_keep_each_source_item_on_one_side(small_corpus):
    singles, _ = merged.corpus_descriptions(small_corpus)
    by_item = {}
    for d in singles:
        by_item.setdefault(d.item, set()).add(merged.half_of(d.item, 1))
    assert all(len(halves) == 1 for halves in by_item.values())
    assert {h for halves in by_item.values() for h in halves} == {"tune", "held-out"}


@pytest.mark.parametrize(
    "alt,word",
    [
        ("Figure_8_norm shows the scores.", "Figure"),
        ("FIGURE 16.2 Excerpt from the report.", "FIGURE"),
        ("Football players on a pitch.", "Football"),
        ("Figure 2 shows figure 3.", None),  # occurs twice
        ("Bar chart of sales.", None),  # three letters
        ("(a) A map.", None),
        ("iPhone screenshot.", None),
    ],
)
def test_first_letter_construction(alt, word):
    assert first_letter.first_word(alt) == word


def test_first_letter_evaluation_counts_restorations(small_corpus):
    figures = first_letter.evaluate(small_corpus)
    total = sum(f["set"] for f in figures.values())
    assert total > 40
    for f in figures.values():
        assert f["restored"] <= f["flagged"] <= f["set"] <= f["all"]
    # On real descriptions the rule restores most lost letters and rarely fires on the originals.
    assert sum(f["restored"] for f in figures.values()) >= 0.8 * total  # 84% on this sample, 92% on all
    assert sum(f["false_all"] for f in figures.values()) <= 0.02 * sum(f["all"] for f in figures.values())


def test_merged_evaluation_finds_most_pasted_posts(small_corpus):
    figures = merged.evaluate(small_corpus, seed=3)
    rows = [r for half in ("tune", "held-out") for r in figures[half]["rows"].values()]
    groups = sum(r["groups"] for r in rows)
    assert groups > 40
    assert sum(r["recall"] for r in rows) >= 0.85 * groups
    assert sum(r["false"] for r in rows) <= 0.05 * groups
