"""The image rules (I901-I905) on images the engine really read.

Drawn images (image_drawings.py) with the seed account's own descriptions
and with descriptions written to fail; each rule has images it must flag and
images it must pass.
"""

import pytest
from image_drawings import read_drawn

from auditor.config import Settings, settings_from_dict
from auditor.engine import Engine
from auditor.model import Image, Post, Source

# The seed account's descriptions of the two graphics these drawings rebuild.
SEED_EVENT_CARD = (
    "A graphic for a Launch Webinar on the Practical Hope Community Guides about flooding, overheating, "
    "and community retrofit. The event is on Tuesday 21 October, 7–8 pm. The text explains that it will "
    "showcase practical ways for communities to tackle climate change challenges. At the bottom are images "
    "of three guide covers: “Community guide to retrofit,” “Community guide to flood risk,” and “Community "
    "guide to overheating.” Colorful bunting decorates the top of the image."
)
SEED_REPORT_COVER = (
    'Cover page of a briefing paper titled "Social Capital 2025: What is Social Capital?"  The document is '
    "branded with the logos of Demos, Local Trust and 3ni – national network for neighbourhood improvement. "
    "The design features black and white text on a teal background, with the word “SOCIAL” having a red “O”."
)
QUOTE_CARD = (
    "Quote card from Local Trust: “When residents are given the power to decide how money is spent, the "
    "results bring lasting, positive change to places that need it most.”"
)
SCREENSHOT = (
    "Screenshot of a post by Riverside Allotment Society: our seed swap returns on Saturday 14 March at the "
    "community hall. Bring spare seeds, cuttings and pots. Tea and cake from ten until two."
)


def audit(*pairs, config=None):
    """Findings per image for a post of (drawing name, description) pairs."""
    settings = settings_from_dict(config) if config else Settings()
    images = []
    for index, (name, alt) in enumerate(pairs, start=1):
        image = Image(index, alt, source=Source(path="<test>"))
        image.seen = read_drawn()[name] if name else None
        images.append(image)
    result = Engine(settings).audit_post(Post("", images, source=Source(path="<test>")))
    return [image.findings for image in result.images]


def codes(name, alt, config=None):
    return [f.code for f in audit((name, alt), config=config)[0]]


# I901: text left out ---------------------------------------------------------


@pytest.mark.parametrize(
    "name, alt",
    [
        ("event-card.png", "A colourful graphic with bunting along the top for an online event."),
        ("quote-card.png", "A dark blue quote card with cream lettering in a serif font."),
        ("rotated-notice.png", "A paper notice taped up at an angle on a grey wall outside the building."),
        ("report-cover.png", "Teal cover of a document with large bold lettering and three logos."),
    ],
)
def test_left_out_text_is_flagged_and_quoted(name, alt):
    found = [f for f in audit((name, alt))[0] if f.code == "I901"]
    assert len(found) == 1, codes(name, alt)
    first_line = read_drawn()[name].lines[0].text
    assert first_line in found[0].message


@pytest.mark.parametrize(
    "name, alt",
    [
        ("event-card.png", SEED_EVENT_CARD),
        ("report-cover.png", SEED_REPORT_COVER),
        ("quote-card.png", QUOTE_CARD),
        # Paraphrase and number words: "closed for refurbishment until 2 June" in other words.
        ("rotated-notice.png", "A notice: the library is closed while being refurbished, until Monday the 2nd of June."),
        # The status bar (9:41, 5G, 100%) and the app's buttons need not be described.
        ("phone-screenshot.png", SCREENSHOT),
        # Tiny small print alone is no text to describe.
        ("small-print.png", "A yellow sun on a plain blue sky."),
    ],
)
def test_descriptions_that_carry_the_text_pass(name, alt):
    assert "I901" not in codes(name, alt) and "I902" not in codes(name, alt)


def test_chrome_and_buttons_are_never_quoted_as_missing():
    (found,) = [f for f in audit(("phone-screenshot.png", "A screenshot of a post in an app, with its buttons."))[0] if f.code in ("I901", "I902")]
    assert "Riverside Allotment Society" in found.message
    for chrome in ("9:41", "100%", "5G", "Reply", "Repost", "Share"):
        assert chrome not in found.message


def test_a_page_of_text_with_a_label_for_a_description_is_text_heavy():
    found = codes("phone-screenshot.png", "Screenshot of a post.")
    assert "I902" in found and "I901" not in found and "L203" not in found  # the more telling finding


def test_nothing_fires_without_the_image_read():
    assert not {c for c in codes(None, "A colourful graphic with bunting along the top.") if c.startswith("I")}


def test_an_image_that_could_not_be_read_is_not_judged():
    assert not {c for c in codes("truncated.png", "A card.") if c.startswith("I")}


# I903: logos and wordmarks ---------------------------------------------------

BRANDS = {"brands": ["Local Trust", "TCPA", "Demos", "3ni", "Big Local"]}


def test_a_logo_the_image_shows_but_the_description_does_not_name_is_flagged():
    (finding,) = [f for f in audit(("report-cover.png", "Cover of a briefing paper, Social Capital 2025: What is Social Capital?, with the logos of Demos and 3ni."), config=BRANDS)[0] if f.code == "I903"]
    assert "Local Trust" in finding.message and "Demos" not in finding.message


def test_wordmarks_are_found_despite_the_engines_case_and_spacing():
    # The card prints "LOCAL TRUST" in capitals; the strip reads "BIG LOCAL".
    assert "I903" in codes("event-card.png", "A graphic for a Launch Webinar, with the TCPA logo.", config=BRANDS)
    assert "I903" in codes("logo-strip.png", "Two logos on a white strip.", config=BRANDS)
    assert "I903" not in codes("logo-strip.png", "The Big Local and Local Trust logos side by side.", config=BRANDS)


def test_the_seed_cover_names_its_logos_and_passes():
    assert "I903" not in codes("report-cover.png", SEED_REPORT_COVER, config=BRANDS)


def test_where_the_image_was_read_its_logos_replace_the_descriptions_guess():
    # By its words alone the seed's event card description is a graphic without logos (B601).
    assert "B601" in codes(None, SEED_EVENT_CARD)
    read = codes("event-card.png", SEED_EVENT_CARD, config=BRANDS)
    assert "B601" not in read and "I903" in read  # it names neither Local Trust nor TCPA
    named = SEED_EVENT_CARD + " The TCPA and Local Trust logos are at the bottom."
    assert "I903" not in codes("event-card.png", named, config=BRANDS)


def test_no_brands_found_in_a_photo_or_plain_card():
    assert "I903" not in codes("quote-card.png", QUOTE_CARD, config={"brands": ["Demos", "TCPA"]})


# I904: another image's text ---------------------------------------------------

EVENT_SHORT = "A graphic for a Launch Webinar on the Practical Hope Community Guides, Tuesday 21 October, 7–8 pm."


def test_swapped_descriptions_are_flagged_on_both_images():
    first, second = audit(("event-card.png", QUOTE_CARD), ("quote-card.png", EVENT_SHORT))
    assert "I904" in [f.code for f in first] and "I904" in [f.code for f in second]
    assert "image 2" in next(f.message for f in first if f.code == "I904")


def test_descriptions_in_the_right_order_pass():
    first, second = audit(("event-card.png", EVENT_SHORT), ("quote-card.png", QUOTE_CARD))
    assert "I904" not in [f.code for f in first + second]


def test_a_description_run_together_over_two_images_is_flagged_on_the_one_that_holds_both():
    first, second = audit(("event-card.png", EVENT_SHORT + " " + QUOTE_CARD), ("quote-card.png", ""))
    (finding,) = [f for f in first if f.code == "I904"]
    assert "as well as its own" in finding.message


def test_text_printed_on_both_images_does_not_count():
    # Both images print "Local Trust": naming it on either says nothing about the order.
    first, second = audit(("quote-card.png", "A quote card from Local Trust."), ("report-cover.png", "A cover with the Local Trust logo."))
    assert "I904" not in [f.code for f in first + second]


# I905 and the spelling rules -----------------------------------------------


def test_a_description_misspelling_a_word_the_image_prints_is_flagged():
    alt = SCREENSHOT.replace("Allotment", "Alotment")
    findings = audit(("phone-screenshot.png", alt))[0]
    (finding,) = [f for f in findings if f.code == "I905"]
    assert finding.suggestion == "Allotment" and alt[finding.span.start : finding.span.end] == "Alotment"
    assert "T401" not in [f.code for f in findings]  # one finding for the word, the image's spelling
    assert "I905" not in codes("phone-screenshot.png", SCREENSHOT)


def test_a_word_spelt_as_the_image_prints_it_is_not_a_typo():
    alt = "IGURE studio poster for its Spring Show on Saturday 3 May."
    unread = codes(None, alt)
    assert {"T401", "T402"} & set(unread)  # by its words alone, a word that lost its F
    assert not {"T401", "T402", "I905"} & set(codes("igure-poster.png", alt))


def test_wordmarks_set_apart_on_a_graphic_are_found_without_configured_brands():
    # The report cover prints Demos and Local Trust along its foot; no brands configured.
    alt = "Cover of a briefing paper titled Social Capital 2025: What is Social Capital?, with the 3ni logo."
    (finding,) = [f for f in audit(("report-cover.png", alt))[0] if f.code == "I903"]
    assert "Demos" in finding.message and "Local Trust" in finding.message
    assert "Briefing" not in finding.message and "Capital" not in finding.message
    assert "I903" not in codes("report-cover.png", SEED_REPORT_COVER)
    # A screenshot's body text and a quote card's attribution named in the description are no logos.
    assert "I903" not in codes("phone-screenshot.png", SCREENSHOT)
    assert "I903" not in codes("quote-card.png", QUOTE_CARD)


def test_a_title_and_the_logos_leave_the_text_out_and_a_summary_in_other_words_does_not():
    # The event card's title and logos only: date, time, blurb and guides left out.
    assert "I901" in codes("event-card.png", "Launch Webinar graphic with the TCPA and Local Trust logos at the bottom.")
    # A summary that touches most of the card's lines in its own words passes.
    summary = (
        "Graphic announcing the launch webinar for the Practical Hope community guides, on Tuesday the 21st "
        "of October from 7 to 8 in the evening, on tackling the challenges of climate change, with three guide "
        "covers on retrofit, flood risk and overheating, and the TCPA and Local Trust logos."
    )
    assert not {"I901", "I902"} & set(codes("event-card.png", summary))


def test_partial_descriptions_swapped_are_found_by_which_image_they_fit_better():
    # Each description carries a part of its own image's text; swapped, each fits the other better.
    card = "Launch Webinar card, Tuesday 21 October."
    notice = "A notice: the library is closed."
    first, second = audit(("event-card.png", notice), ("rotated-notice.png", card))
    assert "I904" in [f.code for f in first] and "I904" in [f.code for f in second]
    first, second = audit(("event-card.png", card), ("rotated-notice.png", notice))
    assert "I904" not in [f.code for f in first + second]


def test_names_on_a_screen_or_in_a_list_are_no_wordmarks():
    # The phone screenshot's tab bar, buttons and author line: an app's screen, not a logo strip.
    assert "I903" not in codes("phone-screenshot.png", "Screenshot of a post.")
    # A brand's initials name it.
    assert "I903" not in codes("logo-strip.png", "The BL and LT logos.", config={"brands": ["Big Local", "Local Trust"]})
    assert "I903" in codes("logo-strip.png", "Two logos.", config={"brands": ["Big Local", "Local Trust"]})
