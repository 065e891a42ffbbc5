"""T402 on first words that lost their first letter, and on real words left
behind ("his" for "This"), which are flagged only with evidence."""

import pytest
from helpers import engine, post_of


def lost(alt, text="", config=None):
    result = engine(config).audit([post_of(alt, text=text)])
    return [(alt[f.span.start : f.span.end], f.suggestion) for f in result.all_findings() if f.code == "T402"]


@pytest.mark.parametrize(
    "alt,word,suggestion",
    [
        ("ootball players celebrating a goal in front of the stand.", "ootball", "Football"),
        ("raditional costumes at the harvest festival.", "raditional", "Traditional"),
        ("IGURE 16.2 Excerpt from the annual report.", "IGURE 16.2", "FIGURE 16.2"),
        ("igure_8_norm: the normalised scores of the eight participants.", "igure", "Figure"),
        ("creen-reader users performed basic tasks on Amazon.", "creen", "Screen"),
        # Real words left behind, with evidence:
        ("his chart shows the average completion time across the three tasks.", "his", "This"),  # no antecedent
        ("mage of a dog on a beach.", "mage", "Image"),  # "mage" is rare, "image" is not
        ("umber of apps is along the y-axis.", "umber", "Number"),
        ("able 3 lists the participants.", "able 3", "Table 3"),  # a label and its number
        ("ive screenshots of web interfaces for the Week 3 tasks.", "ive", "Five"),  # a number before a plural
        # Real HCI descriptions (lines 662 and 850 of the HCI file) edited the same way:
        ("ine charts showing the transition in the number of completed or returned HITs.", "ine", "Line"),
        ("eat map of responses to the 'summary' question from those reading the digital version.", "eat", "Heat"),
    ],
)
def test_lost_first_letter_is_restored(alt, word, suggestion):
    assert lost(alt) == [(word, suggestion)]


def test_a_name_is_restored_only_with_the_posts_evidence():
    alt = "ipedrive dashboard with three deal stages."
    assert lost(alt) == []  # not a dictionary word: no guess
    assert lost(alt, text="Our new Pipedrive dashboard is live") == [("ipedrive", "Pipedrive")]
    assert lost(alt, config={"words": ["Pipedrive"]}) == [("ipedrive", "Pipedrive")]
    assert lost("urich old town at dusk.", text="A weekend in Zurich") == [("urich", "Zurich")]


def test_a_real_word_with_no_evidence_passes():
    # "his" has something to refer to in the post.
    assert lost("his dog asleep on the sofa.", text="He finally got the puppy he wanted") == []
    # Real HCI descriptions that begin in lower case on purpose.
    assert lost("user is using the Linear Teleport to move onto a target.") == []
    assert lost("app rating is along the x-axis. proportion of missing labels is along the y-axis.") == []
    assert lost("iPhone screenshot of the booking page.") == []
