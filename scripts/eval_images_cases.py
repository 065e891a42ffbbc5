"""Hard cases for the image rules, drawn with Pillow: the kinds of graphic
the issue names (event posters with dates, speakers and sponsors' logos,
link cards, settings dialogs, phone screenshots with status bars and an
app's chrome, report covers, logo images), each with descriptions written
the ways people write them: carrying the text word for word, carrying it
in other words (dates and times written differently, words reordered), and
leaving it out (a label, the title alone, the kind of image).

Two halves that share no words and no typeface: "tune" (DejaVu fonts, one
set of names, places and topics) for adjusting the rules, "held-out"
(Liberation fonts where installed, another set of names) for reporting
only. Every case says what it is by construction, not by what the rules
find: `text` is "carries" or "leaves-out", `logos` the marks drawn and
`named` those the description names.

    cases(split) -> list[Case]   (deterministic: a seeded generator per split)
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
LIBERATION = Path("/usr/share/fonts/truetype/liberation")

FACES = {
    "tune": {
        "sans": DEJAVU / "DejaVuSans.ttf",
        "bold": DEJAVU / "DejaVuSans-Bold.ttf",
        "serif": DEJAVU / "DejaVuSerif.ttf",
        "serif-bold": DEJAVU / "DejaVuSerif-Bold.ttf",
    },
    "held-out": {
        "sans": LIBERATION / "LiberationSans-Regular.ttf",
        "bold": LIBERATION / "LiberationSans-Bold.ttf",
        "serif": LIBERATION / "LiberationSerif-Regular.ttf",
        "serif-bold": LIBERATION / "LiberationSerif-Bold.ttf",
    },
}

# Names, places and topics: none shared between the halves.
POOLS = {
    "tune": {
        "orgs": ["Harbour Trust", "Greenway Alliance", "Northfield Forum", "Kestrel Fund", "Maple Foundation",
                 "Riverside Network", "Oakwood Council", "Brightwater", "Lantern Arts", "Heathland Partners"],
        "events": ["Summer Fair", "Climate Cafe", "Open Studios", "Repair Day", "Careers Evening",
                   "Tree Planting Morning", "Family Fun Run", "Book Swap", "Jobs Fair", "Youth Forum"],
        "topics": ["Affordable housing for young families", "Cleaner air around our schools",
                   "Growing food on empty land", "Keeping libraries open", "Safer streets after dark",
                   "Warm homes this winter", "Local buses that run on time"],
        "venues": ["St Mary's Church Hall", "Northfield Library", "The Old Fire Station", "Harbour Community Centre",
                   "Castle Park Pavilion", "Riverside Primary School"],
        "people": ["Amina Shah", "Tom Reeve", "Grace Okafor", "Daniel Price", "Priya Natarajan", "Owen Hughes",
                   "Chloe Martin", "Samuel Adeyemi"],
        "sites": ["harbourtrust.org.uk", "greenway.org", "northfieldforum.uk", "kestrelfund.org"],
        "headlines": ["Council approves new cycle lanes for the town centre",
                      "Volunteers plant two thousand trees along the river",
                      "Library opening hours extended from next month",
                      "Survey finds most residents want more green space"],
        "settings": ["Notification settings", "Privacy settings", "Account preferences"],
        "options": ["Email me when someone replies", "Show my profile to everyone", "Send a weekly summary",
                    "Allow direct messages", "Play videos automatically", "Use dark mode", "Hide sensitive images"],
        "posts": ["Our summer fair is back on Saturday with stalls, music and a raffle. Everyone welcome, bring a friend.",
                  "We are looking for volunteers to help at the food bank on Tuesday mornings. No experience needed.",
                  "Thank you to everyone who came to the litter pick today. We filled forty bags between us."],
        "reports": ["State of the Neighbourhood", "Community Wealth Review", "Young People and Work"],
    },
    "held-out": {
        "orgs": ["Willow Collective", "Eastgate Trust", "Bramble Society", "Pioneer Housing", "Silverline Arts",
                 "Coastal Futures", "Hillside Network", "Meadow Foundation", "Beacon Partnership", "Thistle Fund"],
        "events": ["Winter Market", "Science Festival", "Dance Workshop", "Gardening Club", "Heritage Walk",
                   "Coding Bootcamp", "Charity Quiz Night", "Film Screening", "Craft Morning", "Walking Football"],
        "topics": ["Support for unpaid carers", "Cheaper energy for every household", "Reopening the swimming pool",
                   "Mental health support for students", "Fixing potholes on rural roads",
                   "More allotments for the village", "Free school meals in the holidays"],
        "venues": ["Eastgate Town Hall", "The Corn Exchange", "Hillside Sports Centre", "Victoria Gardens",
                   "Bramble Lane Chapel", "Marine Parade Theatre"],
        "people": ["Fatima Begum", "Lewis Carter", "Hannah Kowalski", "Marcus Bennett", "Ruth Abernethy",
                   "Kwame Mensah", "Isla Fraser", "Joseph Lindqvist"],
        "sites": ["willowcollective.org", "eastgatetrust.uk", "brambles.org.uk", "coastalfutures.net"],
        "headlines": ["Swimming pool to reopen after two years of repairs",
                      "Carers given free parking at every hospital",
                      "Village wins award for its flower displays",
                      "New bus route will link the estate to the station"],
        "settings": ["Display options", "Sharing permissions", "Message filters"],
        "options": ["Show previews of links", "Let others tag me in photos", "Mute words I choose",
                    "Read receipts for messages", "Larger text everywhere", "Only people I follow can reply",
                    "Save photos to my device"],
        "posts": ["Tickets for the charity quiz night are now on sale. Teams of six, prizes for the winners and a bar.",
                  "The heritage walk starts from the town hall at ten. Wear good shoes and bring a packed lunch.",
                  "Huge thanks to the film club for raising nine hundred pounds for the hospice this year."],
        "reports": ["Health of the High Street", "Futures for Coastal Towns", "Caring in Our Communities"],
    },
}

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


@dataclass
class Case:
    name: str
    kind: str
    image: bytes
    alt: str
    text: str  # "carries" or "leaves-out" (by construction)
    logos: list[str] = field(default_factory=list)  # logos drawn on it
    named: list[str] = field(default_factory=list)  # those the description names
    words: list[str] = field(default_factory=list)  # every word drawn (for OCR coverage)
    group: str = ""  # the image a description belongs to (pairs for I904 come from different groups)


class Canvas:
    def __init__(self, split: str, size, background):
        self.split = split
        self.image = Image.new("RGB", size, background)
        self.draw = ImageDraw.Draw(self.image)
        self.words: list[str] = []

    def font(self, style: str, size: int):
        path = FACES[self.split][style]
        if not path.exists():
            path = FACES["tune"][style]
        return ImageFont.truetype(str(path), size)

    def text(self, xy, text, style="sans", size=32, fill="black", record=True):
        face = self.font(style, size)
        self.draw.text(xy, text, font=face, fill=fill)
        if record:
            self.words.append(text)
        return self.draw.textbbox(xy, text, font=face)

    def wrap(self, xy, text, style, size, width, fill="black", spacing=1.3):
        face = self.font(style, size)
        lines, line = [], ""
        for word in text.split():
            trial = f"{line} {word}".strip()
            if self.draw.textlength(trial, font=face) <= width:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
        x, y = xy
        for n, part in enumerate(lines):
            self.draw.text((x, y + n * size * spacing), part, font=face, fill=fill)
        self.words.append(text)
        return y + len(lines) * size * spacing

    def logo(self, xy, name, size, colour, shape, max_width=None):
        """A drawn mark beside a wordmark, shrunk to fit `max_width`."""
        x, y = xy
        while max_width and size > 20 and size + 12 + self.draw.textlength(name, font=self.font("bold", int(size * 0.62))) > max_width:
            size -= 2
        if shape == "circle":
            self.draw.ellipse((x, y, x + size, y + size), fill=colour)
        elif shape == "square":
            self.draw.rectangle((x, y, x + size, y + size), fill=colour)
        else:
            self.draw.polygon([(x, y + size), (x + size / 2, y), (x + size, y + size)], fill=colour)
        return self.text((x + size + 12, y + size * 0.12), name, "bold", int(size * 0.62), colour)

    def png(self) -> bytes:
        out = io.BytesIO()
        self.image.save(out, "PNG")
        return out.getvalue()


PALETTE = [(20, 90, 80), (200, 60, 40), (40, 70, 160), (120, 30, 110), (230, 120, 30), (30, 30, 30)]


def _date(rng):
    day = rng.randint(2, 28)
    weekday = rng.choice(DAYS)
    month = rng.choice(MONTHS)
    start = rng.randint(9, 14)
    end = start + rng.randint(2, 5)
    return day, weekday, month, start, end


def _hour(h: int) -> str:
    return f"{h}am" if h < 12 else ("12pm" if h == 12 else f"{h - 12}pm")


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def poster(split, rng, number) -> list[Case]:
    pool = POOLS[split]
    dark = rng.random() < 0.5
    bg = rng.choice([(25, 40, 70), (60, 20, 60), (15, 80, 60)]) if dark else rng.choice([(250, 246, 236), (255, 255, 255), (235, 245, 250)])
    ink = (250, 250, 240) if dark else (25, 30, 40)
    c = Canvas(split, (1200, 1500) if rng.random() < 0.5 else (1200, 675), bg)
    w, h = c.image.size
    event, topic, venue = rng.choice(pool["events"]), rng.choice(pool["topics"]), rng.choice(pool["venues"])
    speakers = rng.sample(pool["people"], 2)
    day, weekday, month, start, end = _date(rng)
    sponsors = rng.sample(pool["orgs"], rng.choice([2, 3]))
    site = rng.choice(pool["sites"])
    tall = h > w
    title = c.text((70, 60 if not tall else 120), event, "bold", 88 if tall else 72, ink)
    y = c.wrap((70, title[3] + 30), topic, "serif", 44 if tall else 34, w - 140, ink)
    c.text((70, y + 30), f"{weekday} {day} {month}, {_hour(start)} to {_hour(end)}", "bold", 40 if tall else 32, (220, 90, 60))
    c.text((70, y + 95), venue, "sans", 40 if tall else 30, ink)
    c.text((70, y + 160), f"Speakers: {speakers[0]} and {speakers[1]}", "sans", 34 if tall else 26, ink)
    c.text((70, y + 215), f"Book at {site}", "sans", 28 if tall else 22, ink)
    strip = h - (190 if tall else 100)
    c.draw.rectangle((0, strip, w, h), fill="white")
    shapes = ["circle", "square", "triangle"]
    slot = (w - 80) / len(sponsors)
    for n, sponsor in enumerate(sponsors):
        c.logo((40 + n * slot, strip + 25), sponsor, 60 if tall else 48, PALETTE[(number + n) % len(PALETTE)], shapes[(number + n) % 3], slot - 30)
    c.text((60, h - 24), f"Registered charity no. {rng.randint(1000000, 1199999)}", "sans", 12, (120, 120, 120))
    image = c.png()
    name = f"{split}-poster-{number}"
    full = (
        f"Poster for the {event}: {topic}. {weekday} {day} {month}, {_hour(start)} to {_hour(end)}, at {venue}. "
        f"Speakers {speakers[0]} and {speakers[1]}. Book at {site}. Logos of {_and(sponsors)} along the bottom."
    )
    # Other words, same facts: date and time written differently, reordered, lower case.
    paraphrase = (
        f"{venue} hosts a {event.lower()} on {weekday} the {_ordinal(day)} of {month} from {start if start <= 12 else start - 12} "
        f"until {end - 12 if end > 12 else end}, on {topic.lower()}, with talks by {speakers[1]} and {speakers[0]}; "
        f"tickets from {site}. Supported by {_and(sponsors[::-1])}."
    )
    text_no_logos = (
        f"A poster: {event}, {topic}, on {weekday} {day} {month} from {_hour(start)} to {_hour(end)} at {venue}, "
        f"with {speakers[0]} and {speakers[1]} speaking. Booking at {site}."
    )
    cases = [
        Case(f"{name}-full", "poster", image, full, "carries", sponsors, sponsors, c.words, name),
        Case(f"{name}-paraphrase", "poster", image, paraphrase, "carries", sponsors, sponsors, c.words, name),
        Case(f"{name}-no-logos", "poster", image, text_no_logos, "carries", sponsors, [], c.words, name),
        Case(f"{name}-label", "poster", image, rng.choice(["Event poster.", "A colourful poster for an event.", "Flyer"]), "leaves-out", sponsors, [], c.words, name),
        Case(f"{name}-title", "poster", image, f"Poster for the {event}.", "leaves-out", sponsors, [], c.words, name),
        Case(f"{name}-title-logos", "poster", image, f"{event} poster with the logos of {_and(sponsors)}.", "leaves-out", sponsors, sponsors, c.words, name),
    ]
    return cases


def report_cover(split, rng, number) -> list[Case]:
    pool = POOLS[split]
    bg = rng.choice([(0, 110, 120), (245, 240, 230), (30, 50, 90)])
    ink = "white" if sum(bg) < 400 else (20, 20, 20)
    c = Canvas(split, (850, 1200), bg)
    title = rng.choice(pool["reports"])
    year = rng.randint(2019, 2026)
    topic = rng.choice(pool["topics"])
    publishers = rng.sample(pool["orgs"], 2)
    y = c.wrap((60, 180), title, "serif-bold", 84, 730, ink, 1.15)
    c.text((60, y + 40), str(year), "bold", 64, (230, 80, 60))
    c.wrap((60, y + 150), f"{topic}: what we heard from residents", "sans", 38, 720, ink)
    c.text((60, 880), "Full report", "sans", 30, ink)
    c.draw.rectangle((0, 1020, 850, 1200), fill="white")
    c.logo((40, 1060), publishers[0], 56, PALETTE[number % 6], "circle", 370)
    c.logo((440, 1060), publishers[1], 56, PALETTE[(number + 2) % 6], "square", 370)
    name = f"{split}-cover-{number}"
    full = f"Cover of the report {title} {year}: {topic}, what we heard from residents. Full report, from {publishers[0]} and {publishers[1]}, whose logos are at the foot."
    return [
        Case(f"{name}-full", "cover", c.png(), full, "carries", publishers, publishers, c.words, name),
        Case(f"{name}-no-logos", "cover", c.png(), f"Cover of {title} {year}, a full report: {topic.lower()}, what residents told us.", "carries", publishers, [], c.words, name),
        Case(f"{name}-label", "cover", c.png(), "Report cover", "leaves-out", publishers, [], c.words, name),
    ]


def link_card(split, rng, number) -> list[Case]:
    pool = POOLS[split]
    c = Canvas(split, (1200, 630), (255, 255, 255))
    colour = PALETTE[number % 6]
    c.draw.rectangle((0, 0, 1200, 400), fill=tuple(min(255, v + 120) for v in colour))
    for k in range(6):  # an illustration: shapes, no text
        x = rng.randint(50, 1100)
        c.draw.ellipse((x, rng.randint(40, 300), x + 90, rng.randint(340, 390)), fill=colour)
    site = rng.choice(pool["sites"])
    headline = rng.choice(pool["headlines"])
    c.text((30, 415), site.upper(), "sans", 22, (110, 110, 110))
    y = c.wrap((30, 450), headline, "bold", 38, 1140, (20, 20, 20), 1.2)
    summary = f"{rng.choice(pool['people'])} said the plans were a good start."
    c.text((30, y + 10), summary, "sans", 26, (80, 80, 80))
    name = f"{split}-link-{number}"
    return [
        Case(f"{name}-full", "link card", c.png(), f"Link card from {site}: {headline}. {summary}", "carries", [], [], c.words, name),
        Case(f"{name}-headline", "link card", c.png(), f"{headline} ({site})", "carries", [], [], c.words, name),
        Case(f"{name}-label", "link card", c.png(), rng.choice(["Link preview image", "A link card with an illustration.", "Screenshot of a news article"]), "leaves-out", [], [], c.words, name),
    ]


def settings_dialog(split, rng, number) -> list[Case]:
    pool = POOLS[split]
    c = Canvas(split, (900, 760), (236, 236, 240))
    c.draw.rectangle((60, 40, 840, 720), fill="white", outline=(180, 180, 190), width=2)
    title = rng.choice(pool["settings"])
    options = rng.sample(pool["options"], 5)
    states = [rng.random() < 0.5 for _ in options]
    c.text((100, 70), title, "bold", 40)
    for n, (option, on) in enumerate(zip(options, states)):
        y = 160 + n * 90
        c.text((100, y), option, "sans", 28)
        x = 720
        c.draw.rounded_rectangle((x, y, x + 70, y + 36), 18, fill=(60, 160, 90) if on else (190, 190, 190))
        c.draw.ellipse((x + (36 if on else 2), y + 2, x + (68 if on else 34), y + 34), fill="white")
    c.text((520, 640), "Cancel", "sans", 28, (60, 60, 60))
    c.text((690, 640), "Save", "bold", 28, (40, 90, 200))
    name = f"{split}-settings-{number}"
    listed = "; ".join(f"{o.lower()} ({'on' if s else 'off'})" for o, s in zip(options, states))
    return [
        Case(f"{name}-full", "dialog", c.png(), f"The {title} dialog with five switches: {listed}.", "carries", [], [], c.words, name),
        Case(f"{name}-title", "dialog", c.png(), f"{title} dialog", "leaves-out", [], [], c.words, name),
        Case(f"{name}-label", "dialog", c.png(), "Screenshot of a settings screen.", "leaves-out", [], [], c.words, name),
    ]


def phone_screenshot(split, rng, number) -> list[Case]:
    pool = POOLS[split]
    dark = rng.random() < 0.4
    bg, ink, grey = ((18, 18, 22), (240, 240, 240), (150, 150, 160)) if dark else ((255, 255, 255), (15, 15, 15), (100, 100, 110))
    c = Canvas(split, (750, 1500), bg)
    c.text((40, 18), f"{rng.randint(7, 12)}:{rng.randint(0, 59):02d}", "bold", 28, ink, record=False)
    c.text((520, 20), rng.choice(["5G", "4G", "LTE"]), "sans", 24, ink, record=False)
    c.text((610, 20), f"{rng.randint(12, 100)}%", "sans", 24, ink, record=False)
    for n, tab in enumerate(["Following", "Discover"]):
        c.text((160 + n * 260, 90), tab, "bold" if n == 0 else "sans", 28, ink if n == 0 else grey, record=False)
    org = rng.choice(pool["orgs"])
    handle = "@" + org.lower().replace(" ", "") + ".bsky.social"
    post = rng.choice(pool["posts"])
    c.draw.ellipse((40, 180, 120, 260), fill=PALETTE[number % 6])
    c.text((140, 185), org, "bold", 30, ink)
    c.text((140, 225), f"{handle} · {rng.randint(2, 23)}h", "sans", 22, grey, record=False)
    y = c.wrap((40, 290), post, "sans", 32, 670, ink, 1.35)
    for n, label in enumerate(["Reply", "Repost", "Like", "Share"]):
        c.text((40 + n * 175, y + 40), f"{label} {rng.randint(0, 40)}" if n < 3 else label, "sans", 22, grey, record=False)
    for n, tab in enumerate(["Home", "Search", "Notifications", "Profile"]):
        c.text((30 + n * 180, 1440), tab, "sans", 22, grey, record=False)
    name = f"{split}-phone-{number}"
    return [
        Case(f"{name}-full", "phone screenshot", c.png(), f"Screenshot of a post by {org}: {post}", "carries", [], [], c.words, name),
        Case(f"{name}-quote", "phone screenshot", c.png(), f"“{post}”", "carries", [], [], c.words, name),
        Case(f"{name}-label", "phone screenshot", c.png(), rng.choice(["Screenshot of a post.", "A screenshot from the app.", f"Screenshot of a post by {org}."]), "leaves-out", [], [], c.words, name),
    ]


def logo_image(split, rng, number) -> list[Case]:
    pool = POOLS[split]
    org = rng.choice(pool["orgs"])
    c = Canvas(split, (900, 450), rng.choice([(255, 255, 255), (245, 245, 240)]))
    c.logo((80, 140), org, 120, PALETTE[number % 6], ["circle", "square", "triangle"][number % 3], 760)
    tagline = rng.choice(["Working together since 1998", "For people and places", "Stronger communities"])
    c.text((90, 320), tagline, "serif", 30, (90, 90, 90))
    name = f"{split}-logo-{number}"
    return [
        Case(f"{name}-named", "logo", c.png(), f"The {org} logo, with the words {tagline}.", "carries", [org], [org], c.words, name),
        Case(f"{name}-unnamed", "logo", c.png(), rng.choice(["Logo", "A coloured shape beside some lettering.", "Our new logo!"]), "leaves-out", [org], [], c.words, name),
    ]


def flyer(split, rng, number) -> list[Case]:
    """A flyer with its organiser's wordmark alone in the top corner (no strip)."""
    pool = POOLS[split]
    c = Canvas(split, (1080, 1350), rng.choice([(255, 250, 240), (240, 248, 255)]))
    org = rng.choice(pool["orgs"])
    c.logo((640, 50), org, 56, PALETTE[number % 6], ["circle", "square", "triangle"][number % 3], 400)
    event, venue = rng.choice(pool["events"]), rng.choice(pool["venues"])
    day, weekday, month, start, end = _date(rng)
    title = c.text((70, 330), event, "serif-bold", 96, (30, 30, 30))
    c.text((70, title[3] + 40), f"{weekday} {day} {month}", "bold", 48, (200, 60, 40))
    c.text((70, title[3] + 110), f"{_hour(start)} - {_hour(end)}, {venue}", "sans", 38)
    body = rng.choice(pool["topics"]) + ". All ages welcome, free refreshments."
    c.wrap((70, title[3] + 200), body, "sans", 34, 940)
    name = f"{split}-flyer-{number}"
    facts = f"{event} on {weekday} {day} {month}, {_hour(start)} to {_hour(end)} at {venue}. {body}"
    return [
        Case(f"{name}-full", "poster", c.png(), f"Flyer from {org}: {facts}", "carries", [org], [org], c.words, name),
        Case(f"{name}-no-logo", "poster", c.png(), f"Flyer: {facts}", "carries", [org], [], c.words, name),
        Case(f"{name}-label", "poster", c.png(), "A flyer for an event", "leaves-out", [org], [], c.words, name),
    ]


def quote_card(split, rng, number) -> list[Case]:
    """A quote in large type, the speaker's name beneath it, the organisation's wordmark at the foot."""
    pool = POOLS[split]
    c = Canvas(split, (1080, 1080), rng.choice([(25, 35, 70), (70, 20, 40), (240, 235, 220)]))
    dark = sum(c.image.getpixel((0, 0))) < 400
    ink = (245, 240, 225) if dark else (30, 30, 30)
    quote = rng.choice(pool["posts"])
    person = rng.choice(pool["people"])
    org = rng.choice(pool["orgs"])
    y = c.wrap((90, 160), f"“{quote}”", "serif", 50, 900, ink)
    c.text((90, y + 40), person, "bold", 36, ink)
    c.text((90, 960), org, "bold", 40, (240, 190, 60))
    name = f"{split}-quote-{number}"
    return [
        Case(f"{name}-full", "poster", c.png(), f"Quote card from {org}: {quote} ({person})", "carries", [org], [org], c.words, name),
        Case(f"{name}-no-logo", "poster", c.png(), f"A quote from {person}: “{quote}”", "carries", [org], [], c.words, name),
        Case(f"{name}-label", "poster", c.png(), "Quote card", "leaves-out", [org], [], c.words, name),
    ]


MAKERS = [poster, poster, report_cover, link_card, settings_dialog, phone_screenshot, logo_image, flyer, quote_card]


def cases(split: str, per_kind: int = 3) -> list[Case]:
    rng = random.Random(f"altaudit-{split}")
    out: list[Case] = []
    for number in range(per_kind):
        for k, make in enumerate(MAKERS):
            out.extend(make(split, rng, number * len(MAKERS) + k))
    return out
