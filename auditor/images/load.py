"""Decoding an image safely and bounding what the engine has to read.

Pillow decodes the file: the first frame of an animation, its EXIF
orientation applied, transparency laid on a background that keeps its text
visible, and the decompression-bomb guard raised to an error. Then the
image is bounded: scaled down to at most READ_PIXELS, and an image much
taller than it is wide (a long phone screenshot, 200 x 10,000 px) is cut
into overlapping strips laid side by side on one sheet, so the engine reads
one roughly square picture instead of upscaling a thin one. Reading time
then depends on READ_PIXELS, not on the file.

Anything wrong with the file raises ImageProblem with a one-line message.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass

# Refuse before decoding: a small file can claim a huge canvas.
MAX_DECODE_PIXELS = 64_000_000
# What the engine sees of one image at most (about 1 s on one core).
READ_PIXELS = 2_000_000
MAX_SIDE = 2000  # rapidocr scales anything longer down to this anyway
FOLD_RATIO = 3.0  # taller than this many widths: cut into strips
OVERLAP = 64  # sheet pixels shared by neighbouring strips: taller than a line of text
GAP = 24  # blank sheet pixels between strips, so their text never joins
MIN_SIDE = 8  # smaller than this holds no legible text


class ImageProblem(Exception):
    """The file cannot be read as an image; the message is one line for the report."""


@dataclass(frozen=True)
class Strip:
    """One band of the image placed on the sheet."""

    sheet_x: int  # where it sits on the sheet
    sheet_y: int
    top: int  # its first row in the scaled image
    height: int  # rows, in the scaled image
    first: bool  # the image's top (no cut above)
    last: bool  # the image's bottom (no cut below)


@dataclass
class Prepared:
    """The picture the engine reads, and how to map its boxes back."""

    sheet: object  # PIL.Image.Image
    width: int  # the image's own size, oriented
    height: int
    scale: float  # sheet pixels per image pixel
    strips: tuple[Strip, ...] = ()  # empty: the sheet is the scaled image

    def to_image(self, box: tuple[int, int, int, int]) -> tuple[int, int, int, int] | None:
        """A box on the sheet in the image's own pixels; None for a line cut by a
        strip's edge (its whole copy is in the neighbouring strip)."""
        left, top, right, bottom = box
        dy = 0
        if self.strips:
            cx, cy = (left + right) / 2, (top + bottom) / 2
            strip = next(
                (s for s in self.strips if s.sheet_x <= cx < s.sheet_x + self._strip_width and s.sheet_y <= cy < s.sheet_y + s.height),
                None,
            )
            if strip is None:
                return None
            if (not strip.first and top - strip.sheet_y < 3) or (not strip.last and strip.sheet_y + strip.height - bottom < 3):
                return None
            left, right = left - strip.sheet_x, right - strip.sheet_x
            top, bottom = top - strip.sheet_y, bottom - strip.sheet_y
            dy = strip.top
        s = self.scale

        def clamp(v: float, hi: int) -> int:
            return max(0, min(hi, round(v)))

        return (
            clamp(left / s, self.width),
            clamp((top + dy) / s, self.height),
            clamp(right / s, self.width),
            clamp((bottom + dy) / s, self.height),
        )

    @property
    def _strip_width(self) -> int:
        return max(1, round(self.width * self.scale))


def decode(data: bytes):
    """The image in the file's bytes as an RGB Pillow image, upright, first frame."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    with warnings.catch_warnings():
        # Pillow only warns between its limit and twice it; here it is an error.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except UnidentifiedImageError:
            raise ImageProblem("not an image that can be read (unknown or damaged format)") from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageProblem("image too large to read safely") from None
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            # A known header over damaged bytes fails inside open(), e.g. "Truncated File Read".
            raise ImageProblem(f"image file cannot be decoded ({_reason(exc)})") from None
        width, height = image.size
        if width * height > MAX_DECODE_PIXELS:
            raise ImageProblem(f"image too large to read safely ({width} x {height} pixels)")
        try:
            scale = min(1.0, math.sqrt(READ_PIXELS / max(1, width * height)))
            if scale < 0.5 and image.format == "JPEG":
                # Decode a JPEG at a fraction of its size: far faster, same text.
                image.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
            image.load()
            image = ImageOps.exif_transpose(image)
            return _flatten(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageProblem("image too large to read safely") from None
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ImageProblem(f"image file cannot be decoded ({_reason(exc)})") from None


def _reason(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _flatten(image):
    """RGB, with transparency laid on white, or on black where the visible parts
    are light (white text on a transparent logo would vanish on white)."""
    from PIL import Image

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        alpha = rgba.getchannel("A")
        if alpha.getextrema()[0] < 255:
            light = _mean_where_opaque(rgba.convert("L"), alpha) > 160
            background = Image.new("RGBA", rgba.size, (0, 0, 0, 255) if light else (255, 255, 255, 255))
            return Image.alpha_composite(background, rgba).convert("RGB")
        return rgba.convert("RGB")
    return image.convert("RGB")


def _mean_where_opaque(gray, alpha) -> float:
    from PIL import ImageStat

    mask = alpha.point(lambda a: 255 if a > 128 else 0)
    stat = ImageStat.Stat(gray, mask)
    return stat.mean[0] if stat.count[0] else 0.0


def prepare(image) -> Prepared:
    """Scale and, for very tall images, fold into strips: what the engine reads."""
    width, height = image.size
    scale = min(1.0, math.sqrt(READ_PIXELS / max(1, width * height)))
    if height <= FOLD_RATIO * width or height * scale <= 4 * OVERLAP:
        scale = min(scale, MAX_SIDE / max(width, height))
        return Prepared(_scaled(image, scale), width, height, scale)
    # Tall: strips of about two widths (never under a few lines of text),
    # shrunk further if the folded sheet would still be too large.
    while True:
        plan = _plan(width, height, scale)
        w, _, strip_height, _, columns, rows = plan
        longest = max(columns * (w + GAP), rows * (strip_height + GAP))
        if longest <= MAX_SIDE:
            return _fold(image, scale, *plan)
        scale *= MAX_SIDE / longest


def _plan(width: int, height: int, scale: float) -> tuple[int, int, int, int, int, int]:
    """Scaled size, strip height, number of strips, and the sheet's columns and rows."""
    w, h = max(1, round(width * scale)), max(1, round(height * scale))
    strip_height = min(h, max(2 * w, 6 * OVERLAP))
    count = max(1, math.ceil((h - OVERLAP) / (strip_height - OVERLAP)))
    columns = max(1, min(count, round(math.sqrt(count * strip_height / w))))
    rows = math.ceil(count / columns)
    return w, h, strip_height, count, columns, rows


def _fold(image, scale, w, h, strip_height, count, columns, rows) -> Prepared:
    from PIL import Image

    scaled = _scaled(image, scale)
    sheet = Image.new("RGB", (columns * (w + GAP), rows * (strip_height + GAP)), (255, 255, 255))
    strips = []
    for number in range(count):
        top = min(number * (strip_height - OVERLAP), max(0, h - strip_height))
        band = scaled.crop((0, top, w, min(h, top + strip_height)))
        x = (number // rows) * (w + GAP)
        y = (number % rows) * (strip_height + GAP)
        sheet.paste(band, (x, y))
        strips.append(Strip(x, y, top, band.size[1], first=top == 0, last=top + band.size[1] >= h))
    width, height = image.size
    return Prepared(sheet, width, height, scale, tuple(strips))


def _scaled(image, scale: float):
    from PIL import Image

    if scale >= 0.999:
        return image
    size = (max(1, round(image.size[0] * scale)), max(1, round(image.size[1] * scale)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
