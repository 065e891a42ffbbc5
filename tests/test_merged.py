"""M501 on real descriptions of different images (../shared/corpus), pasted
into image 1 the way a hurried poster does, and as posted."""

from helpers import engine, post_of

# Real alt texts: HCI (allenai/hci-alt-texts, Apache-2.0) and TidyTuesday
# (spcanelon/csvConf2021, CC BY-SA 4.0), each describing a different image.
DIARY = (
    "Two page diary form. The first page asks about patient information and the games played. "
    "The second page asks about subjective evaluation for the effectiveness of each game at meeting "
    "targeted therapeutic goals."
)
MAKEUP = (
    "6 pie charts where each chart represents a foundation from an affordable beauty brand and each slice "
    "is colored according to the foundation shade."
)
MOOD = (
    "Figure 3. Mood options to select from when reporting moood. There are 8 options, organized by two rows "
    "with four mood representation for every row."
)
GAMES = (
    "Most frequently used games are Wii sports Bowling (70 times), Wii fit table tilt (39 times), "
    "and Wii fit penguin slide (32 times)."
)


def m501(*alts):
    result = engine().audit([post_of(*alts)])
    return [(i.image.index, f) for i in result.posts[0].images for f in i.findings if f.code == "M501"]


def test_two_descriptions_pasted_into_image_one_are_cut_where_the_second_starts():
    alt = f"{DIARY} {MAKEUP}"
    found = m501(alt, "")
    assert len(found) == 1
    index, finding = found[0]
    assert index == 1
    assert alt[finding.span.start :].startswith("6 pie charts")
    assert "2 images" in finding.message and "‘6 pie charts where" in finding.message


def test_four_pasted_descriptions_name_each_start():
    alt = " ".join([MOOD, DIARY, MAKEUP, GAMES])
    (index, finding), = m501(alt, "", "", "")
    assert index == 1
    assert "4 images" in finding.message
    for start in ("‘Two page diary form.", "‘6 pie charts where", "‘Most frequently used games"):
        assert start in finding.message


def test_the_same_descriptions_as_posted_pass():
    assert m501(DIARY, MAKEUP) == []
    assert m501(MOOD, DIARY, MAKEUP, GAMES) == []


def test_one_description_of_one_image_passes_even_with_an_empty_image_beside_it():
    # One description whose sentences go on about the same thing: a partly
    # described post (A104), not a merged one.
    assert m501(DIARY, "") == []
    assert m501(DIARY, "", "") == []
    assert m501(DIARY) == []


def test_with_several_empty_images_one_restart_is_not_enough():
    # A real description of one figure (HCI line 39) whose second sentence
    # shares no content words with its first: one place to cut. Beside ONE
    # empty image that is enough evidence (a false alarm, counted in
    # docs/evaluation.md); beside two, a paste would start over twice.
    screen = (
        "Screen shot of a Scratch code editor window. Next to it is a tutorial document with images of "
        "code that could be confused with the code editor itself."
    )
    assert m501(screen, "", "") == []
    assert len(m501(f"{MOOD} {DIARY} {MAKEUP}", "", "")) == 1


def test_a_compound_figure_in_a_post_of_one_image_passes():
    # HCI `compound` figure: several panels of ONE image, described in turn.
    alt = (
        "The figure shows two photos. The left photo shows a person wearing a head-mounted display "
        "and holding two controllers. The right photo shows the virtual scene the person sees: "
        "a room with a table and three coloured blocks."
    )
    assert m501(alt) == []
