"""Test images drawn with Pillow and Debian's DejaVu fonts (fonts-dejavu-core).

The seed account's event card and report cover are rebuilt from the text of
their own descriptions (/work/shared/seed, tests/fixtures/seed); the rest are
the kinds of picture the image rules judge: a quote card (light on dark), a
phone screenshot with its status bar and buttons, a logo strip with a drawn
mark and a wordmark, a rotated and a small-print notice, a long screenshot.
Each function returns PNG (or other) bytes; `draw_all(folder)` writes them.
"""

from __future__ import annotations

import functools
import io
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from auditor.model import SeenText

FONTS = Path("/usr/share/fonts/truetype/dejavu")


def font(size: int, bold: bool = False, serif: bool = False) -> ImageFont.FreeTypeFont:
    name = ("DejaVuSerif" if serif else "DejaVuSans") + ("-Bold" if bold else "") + ".ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def _png(image: Image.Image, format: str = "PNG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format, **options)
    return out.getvalue()


def _wrap(draw: ImageDraw.ImageDraw, text: str, face, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=face) <= width:
            line = trial
        else:
            lines.append(line)
            line = word
    return lines + [line] if line else lines


def event_card() -> bytes:
    """The seed's launch webinar graphic: title, guides, date, blurb, covers, logos."""
    image = Image.new("RGB", (1200, 675), (250, 246, 236))
    draw = ImageDraw.Draw(image)
    colours = [(220, 60, 60), (240, 170, 40), (60, 150, 90), (50, 110, 190)]
    for i in range(24):  # bunting along the top
        x = i * 50
        draw.polygon([(x, 0), (x + 50, 0), (x + 25, 40)], fill=colours[i % 4])
    draw.text((60, 70), "Launch Webinar", font=font(64, bold=True), fill=(30, 40, 60))
    draw.text((60, 155), "Practical Hope Community Guides", font=font(40), fill=(30, 40, 60))
    draw.text((60, 215), "Tuesday 21 October, 7-8 pm", font=font(36, bold=True), fill=(190, 50, 50))
    blurb = "Showcasing practical ways for communities to tackle climate change challenges"
    for n, line in enumerate(_wrap(draw, blurb, font(26), 700)):
        draw.text((60, 280 + n * 34), line, font=font(26), fill=(40, 40, 40))
    for n, title in enumerate(["retrofit", "flood risk", "overheating"]):
        x = 60 + n * 250
        draw.rectangle((x, 380, x + 210, 560), fill=colours[n + 1])
        draw.text((x + 14, 400), "Community guide to", font=font(18), fill="white")
        draw.text((x + 14, 428), title, font=font(24, bold=True), fill="white")
    draw.rectangle((0, 590, 1200, 675), fill="white")
    draw.ellipse((830, 600, 890, 660), outline=(20, 90, 80), width=8)
    draw.text((905, 608), "LOCAL TRUST", font=font(36, bold=True), fill=(20, 90, 80))
    draw.text((60, 612), "TCPA", font=font(36, bold=True), fill=(120, 30, 110))
    return _png(image)


def report_cover() -> bytes:
    """The seed's briefing paper cover: title on teal with a red O, three publishers' logos."""
    image = Image.new("RGB", (800, 1131), (0, 128, 128))
    draw = ImageDraw.Draw(image)
    big = font(110, bold=True)
    x = 60
    for letter in "SOCIAL":
        draw.text((x, 160), letter, font=big, fill=(220, 40, 40) if letter == "O" else "white")
        x += draw.textlength(letter, font=big)
    draw.text((60, 290), "CAPITAL 2025", font=big, fill="black")
    draw.text((60, 450), "What is Social Capital?", font=font(48), fill="white")
    draw.text((60, 530), "Briefing paper", font=font(32), fill="black")
    draw.rectangle((0, 980, 800, 1131), fill="white")
    draw.text((50, 1030), "Demos", font=font(40, bold=True, serif=True), fill="black")
    draw.text((280, 1030), "Local Trust", font=font(40, bold=True), fill=(20, 90, 80))
    draw.text((600, 1030), "3ni", font=font(40, bold=True), fill=(200, 80, 20))
    return _png(image)


def quote_card() -> bytes:
    """The seed's quote, light text on a dark card."""
    image = Image.new("RGB", (1080, 1080), (25, 35, 70))
    draw = ImageDraw.Draw(image)
    quote = (
        "When residents are given the power to decide how money is spent, the results bring "
        "lasting, positive change to places that need it most."
    )
    face = font(54, serif=True)
    for n, line in enumerate(_wrap(draw, quote, face, 900)):
        draw.text((90, 220 + n * 76), line, font=face, fill=(245, 240, 225))
    draw.text((90, 860), "Local Trust", font=font(36, bold=True), fill=(240, 190, 60))
    return _png(image)


def phone_screenshot() -> bytes:
    """A post seen in an app: status bar chrome, the post's text, the app's buttons."""
    image = Image.new("RGB", (750, 1334), "white")
    draw = ImageDraw.Draw(image)
    small = font(24)
    draw.text((30, 14), "9:41", font=font(26, bold=True), fill="black")
    draw.text((560, 14), "5G", font=small, fill="black")
    draw.text((640, 14), "100%", font=small, fill="black")
    draw.text((30, 90), "Riverside Allotment Society", font=font(30, bold=True), fill="black")
    body = (
        "Our seed swap returns on Saturday 14 March at the community hall. Bring spare seeds, "
        "cuttings and pots. Tea and cake from ten until two."
    )
    for n, line in enumerate(_wrap(draw, body, font(30), 690)):
        draw.text((30, 160 + n * 44), line, font=font(30), fill=(20, 20, 20))
    for n, label in enumerate(["Reply", "Repost", "Like", "Share"]):
        draw.text((40 + n * 180, 1250), label, font=small, fill=(90, 90, 90))
    return _png(image)


def logo_strip() -> bytes:
    """Funders' logos along a strip: a drawn mark beside each wordmark."""
    image = Image.new("RGB", (1200, 200), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((40, 60, 120, 140), fill=(230, 120, 30))
    draw.text((135, 70), "BIG LOCAL", font=font(52, bold=True), fill=(230, 120, 30))
    draw.rectangle((560, 60, 640, 140), fill=(20, 90, 80))
    draw.text((655, 70), "Local Trust", font=font(52, bold=True), fill=(20, 90, 80))
    return _png(image)


def rotated_notice() -> bytes:
    """A notice photographed askew: text at eight degrees, dark on light."""
    card = Image.new("RGB", (900, 500), (255, 255, 240))
    draw = ImageDraw.Draw(card)
    draw.text((50, 60), "Library closed", font=font(64, bold=True), fill="black")
    draw.text((50, 170), "for refurbishment until", font=font(40), fill="black")
    draw.text((50, 230), "Monday 2 June", font=font(48, bold=True), fill=(150, 0, 0))
    return _png(card.rotate(8, expand=True, fillcolor=(120, 120, 120)))


def small_print() -> bytes:
    """A mostly empty picture whose only text is tiny small print in a corner."""
    image = Image.new("RGB", (1000, 700), (90, 140, 200))
    draw = ImageDraw.Draw(image)
    draw.ellipse((300, 150, 700, 550), fill=(250, 220, 90))
    draw.text((880, 684), "© 2024", font=font(9), fill="white")
    return _png(image)


LONG_LINES = [
    "Meeting notes",
    "Parish council",
    "Item 1 budget",
    "Item 2 footpaths",
    "Item 3 village fete",
    "Item 4 street lights",
    "Any other business",
]


def long_screenshot() -> bytes:
    """A phone screenshot 200 pixels wide and 10,000 tall, text all the way down."""
    image = Image.new("RGB", (200, 10_000), "white")
    draw = ImageDraw.Draw(image)
    face = font(18)
    for n in range(0, 10_000 // 60):
        draw.text((8, 20 + n * 60), LONG_LINES[n % len(LONG_LINES)], font=face, fill="black")
    return _png(image)


def igure_poster() -> bytes:
    """A poster whose studio's name looks like a word that lost its first letter."""
    image = Image.new("RGB", (900, 600), (245, 245, 245))
    draw = ImageDraw.Draw(image)
    draw.text((60, 80), "IGURE", font=font(120, bold=True), fill=(200, 30, 60))
    draw.text((60, 260), "Spring Show", font=font(64), fill="black")
    draw.text((60, 360), "Saturday 3 May", font=font(48), fill="black")
    return _png(image)


def community_day_banner() -> bytes:
    """examples/drafts/images/event-banner.png: the example draft's green graphic,
    its organisers' wordmarks along the foot."""
    image = Image.new("RGB", (1200, 675), (46, 125, 70))
    draw = ImageDraw.Draw(image)
    draw.text((70, 70), "Community Day", font=font(96, bold=True), fill="white")
    draw.text((70, 200), "Saturday 14 March, 10am to 4pm", font=font(48), fill=(250, 235, 160))
    draw.text((70, 270), "Brereton Village Hall", font=font(48), fill="white")
    draw.text((70, 360), "Free entry, food stalls and a plant swap", font=font(36), fill="white")
    draw.rectangle((0, 560, 1200, 675), fill="white")
    draw.ellipse((70, 580, 140, 650), fill=(230, 120, 30))
    draw.text((155, 590), "Brereton Big Local", font=font(40, bold=True), fill=(230, 120, 30))
    draw.rectangle((760, 580, 830, 650), fill=(20, 90, 80))
    draw.text((845, 590), "Local Trust", font=font(40, bold=True), fill=(20, 90, 80))
    return _png(image)


def logo_mark_image(size: int = 300) -> Image.Image:
    """A funder's mark with no lettering: a star in a ring over a row of squares."""
    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    s = size / 300
    colour = (20, 90, 80)
    draw.ellipse((10 * s, 10 * s, 290 * s, 290 * s), outline=colour, width=max(2, int(18 * s)))
    star = [(150, 40), (180, 120), (265, 120), (195, 170), (220, 255), (150, 205), (80, 255), (105, 170), (35, 120), (120, 120)]
    draw.polygon([(x * s, y * s) for x, y in star], fill=colour)
    for k in range(4):
        draw.rectangle((60 * s + k * 48 * s, 215 * s, 80 * s + k * 48 * s, 235 * s), fill=(230, 120, 30))
    return image


def logo_mark() -> bytes:
    """The mark alone, as a brand would hand it over: the picture `[logos]` names."""
    return _png(logo_mark_image())


def poster_with_mark() -> bytes:
    """The community day banner with the funder's mark (no name beside it) in its white foot."""
    image = Image.open(io.BytesIO(community_day_banner())).convert("RGB")
    image.paste(logo_mark_image(76), (672, 580))
    return _png(image)


def truncated_png() -> bytes:
    data = quote_card()
    return data[: len(data) // 2]


def not_an_image() -> bytes:
    return b"<html><body>This is a web page saved with a .png name.</body></html>\n"


def bomb_png() -> bytes:
    """A small file that claims a canvas of 100,000 x 100,000 pixels."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def animated_gif() -> bytes:
    """Two frames: only the first, 'Frame one sale', must be read."""
    frames = []
    for text in ("Frame one sale", "Second frame"):
        frame = Image.new("RGB", (600, 200), "white")
        ImageDraw.Draw(frame).text((30, 60), text, font=font(56, bold=True), fill="black")
        frames.append(frame)
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=500, loop=0)
    return out.getvalue()


def sideways_jpeg() -> bytes:
    """A JPEG stored on its side with an EXIF orientation tag that turns it upright."""
    upright = Image.new("RGB", (800, 300), "white")
    ImageDraw.Draw(upright).text((40, 100), "Open day today", font=font(64, bold=True), fill="black")
    stored = upright.rotate(90, expand=True)  # what the camera wrote
    exif = Image.Exif()
    exif[0x0112] = 6  # display rotated 90 degrees clockwise
    return _png(stored, "JPEG", quality=92, exif=exif.tobytes())


def transparent_logo() -> bytes:
    """White wordmark on a transparent background (vanishes if laid on white)."""
    image = Image.new("RGBA", (700, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).text((30, 50), "GREEN LEAF", font=font(80, bold=True), fill=(255, 255, 255, 255))
    return _png(image)


DRAWINGS = {
    "event-card.png": event_card,
    "report-cover.png": report_cover,
    "quote-card.png": quote_card,
    "phone-screenshot.png": phone_screenshot,
    "logo-strip.png": logo_strip,
    "rotated-notice.png": rotated_notice,
    "small-print.png": small_print,
    "long-screenshot.png": long_screenshot,
    "igure-poster.png": igure_poster,
    "poster-with-mark.png": poster_with_mark,
    "logo-mark.png": logo_mark,
    "animated.gif": animated_gif,
    "sideways.jpg": sideways_jpeg,
    "transparent-logo.png": transparent_logo,
    "truncated.png": truncated_png,
    "not-an-image.png": not_an_image,
    "bomb.png": bomb_png,
}


def draw_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, draw in DRAWINGS.items():
        path = folder / name
        path.write_bytes(draw())
        written[name] = path
    return written


@functools.cache
def drawn_folder() -> Path:
    return draw_all(Path(tempfile.mkdtemp(prefix="altaudit-drawn-")))["event-card.png"].parent


@functools.cache
def read_drawn() -> dict[str, SeenText]:
    """Every drawing read once per test session (in a pool of two, through a fresh cache)."""
    from auditor.images.cache import SeenCache
    from auditor.images.read import Reader

    folder = drawn_folder()
    names = list(DRAWINGS)
    cache = SeenCache(Path(tempfile.mkdtemp(prefix="altaudit-cache-")) / "images.sqlite3")
    with Reader(cache=cache, workers=2) as reader:
        found = reader.read_many([(folder / name).read_bytes() for name in names])
    return dict(zip(names, found))
