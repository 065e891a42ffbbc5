"""Drafts: Markdown files with TOML front matter, the way Hugo and Zola posts are kept.

    +++
    langs = ["en-GB"]

    [[images]]
    file = "images/panel.jpg"
    alt = "A panel of five people sits at tables during a conference discussion."
    +++
    The post text, as it will be posted.

The front matter's shape is given by auditor/schemas/draft.schema.json;
this module checks the same shape by hand because a JSON Schema validator
costs more start-up time than a pre-commit hook can spare (the test suite
holds both to the same answers). TOML rather than YAML because descriptions
are full of colons and quotes, which YAML reads as syntax.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from ..errors import InputError
from ..model import Image, Post, Source

FENCE = "+++"
MAX_IMAGES = 4  # the Bluesky app's limit for one post
TOP_KEYS = {"langs", "images"}
IMAGE_KEYS = {"file", "alt", "ignore", "ignore-reason"}
# ISO media "ftyp" brands: still images; every other brand is taken as video.
IMAGE_BRANDS = {b"heic", b"heix", b"mif1", b"msf1", b"avif", b"avis"}
_TOML_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


def is_draft(text: str) -> bool:
    return text.lstrip("\ufeff").startswith(FENCE)


def read_draft(path: str, data: bytes | None = None) -> Post:
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read the file: {exc.strerror or exc}", path=path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (byte {exc.start} cannot be decoded); save the draft as UTF-8", path=path
        ) from None
    return parse_draft(text, path)


def parse_draft(text: str, path: str) -> Post:
    # Only \n ends a line: TOML strings may hold U+2028 and other separators
    # that str.splitlines() would also split at.
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise InputError("a draft must start with a '+++' line that opens its TOML front matter", path, 1)
    try:
        close = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise InputError("the front matter opened on line 1 is never closed with '+++'", path, 1) from None
    front = "\n".join(lines[1:close])
    try:
        meta = tomllib.loads(front)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_LINE.search(message)
        line = int(found.group(1)) + 1 if found else None
        message = _TOML_LINE.sub("", message).strip()
        raise InputError(f"front matter is not valid TOML: {message}", path, line) from None
    image_lines = _image_lines(lines[1:close])
    _check_shape(meta, path, image_lines)
    body = "\n".join(lines[close + 1 :]).strip("\n").rstrip()
    folder = Path(path).parent
    positions = _positions(text, meta) if meta.get("images") else {}
    images = []
    for number, entry in enumerate(meta.get("images", []), start=1):
        line = image_lines[number - 1] if number <= len(image_lines) else None
        file = entry["file"]
        where = folder / file
        if not where.is_file():
            raise InputError(f"images[{number}]: image file '{file}' not found", path, line)
        kind = media_kind(where)
        if kind is None:
            raise InputError(
                f"images[{number}]: '{file}' is not an image or video (PNG, JPEG, GIF, WebP, HEIC, AVIF, MP4, MOV, WebM)",
                path,
                line,
            )
        images.append(
            Image(
                number,
                entry["alt"],
                kind=kind,
                file=file,
                source=Source(path=path, line=line),
                ignore=tuple(code.strip().upper() for code in entry.get("ignore", ())),
                ignore_reason=entry.get("ignore-reason"),
                positions=positions.get(number),
            )
        )
    return Post(text=body, images=images, langs=list(meta.get("langs", [])), source=Source(path=path, line=1))


def media_kind(path: Path) -> str | None:
    """image, gif or video from the file's first bytes; None if it is neither."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError:
        return None
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[4:8] == b"ftyp":
        return "image" if head[8:12] in IMAGE_BRANDS else "video"
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # Matroska / WebM
        return "video"
    return None


def _positions(text: str, meta: dict) -> dict:
    """Each image's map from alt-text offsets to file line and column, where the
    scanner's reading of the string agrees with tomllib's."""
    from .toml_positions import alt_positions

    found = alt_positions(text)
    images = meta["images"]
    return {
        number: where
        for number, where in found.items()
        if number <= len(images) and isinstance(images[number - 1], dict) and images[number - 1].get("alt") == where.text
    }


def _image_lines(front: list[str]) -> list[int]:
    """File line of each image's `alt` key (else of its [[images]] header)."""
    found: list[int] = []
    in_image = False
    for offset, raw in enumerate(front):
        line = raw.strip()
        number = offset + 2  # the opening fence is line 1
        if line.startswith("[[") and line.replace(" ", "") == "[[images]]":
            found.append(number)
            in_image = True
        elif line.startswith("["):
            in_image = False
        elif in_image and re.match(r"alt\s*=", line):
            found[-1] = number
    return found


def _fail(message: str, path: str, line: int | None = None):
    raise InputError(message, path, line)


def _check_shape(meta: dict, path: str, image_lines: list[int]) -> None:
    """The same constraints as draft.schema.json, with messages that name the place."""
    for key in meta:
        if key not in TOP_KEYS:
            _fail(f"unknown front-matter key '{key}' (known: {', '.join(sorted(TOP_KEYS))})", path)
    langs = meta.get("langs", [])
    if not isinstance(langs, list) or not all(isinstance(x, str) and x for x in langs):
        _fail("'langs' must be a list of language tags such as [\"en-GB\"]", path)
    if len(langs) > 3:
        _fail("'langs' holds at most 3 languages (the limit of app.bsky.feed.post)", path)
    images = meta.get("images", [])
    if not isinstance(images, list):
        _fail("'images' must be a list of [[images]] tables", path)
    if len(images) > MAX_IMAGES:
        _fail(f"{len(images)} images: a Bluesky post carries at most {MAX_IMAGES}", path)
    for number, entry in enumerate(images, start=1):
        line = image_lines[number - 1] if number <= len(image_lines) else None
        if not isinstance(entry, dict):
            _fail(f"images[{number}] must be a table with 'file' and 'alt'", path, line)
        for key in entry:
            if key not in IMAGE_KEYS:
                _fail(f"images[{number}]: unknown key '{key}' (known: {', '.join(sorted(IMAGE_KEYS))})", path, line)
        for key in ("file", "alt"):
            if key not in entry:
                hint = " (use alt = \"\" for an image you have not described yet)" if key == "alt" else ""
                _fail(f"images[{number}]: '{key}' is missing{hint}", path, line)
            if not isinstance(entry[key], str):
                _fail(f"images[{number}]: '{key}' must be a string", path, line)
        if not entry["file"].strip():
            _fail(f"images[{number}]: 'file' is empty", path, line)
        _check_ignore(entry, number, path, line)


def _check_ignore(entry: dict, number: int, path: str, line: int | None) -> None:
    """`ignore = ["T401"]` silences codes for this description; `ignore-reason` must say why."""
    if "ignore" not in entry:
        if "ignore-reason" in entry:
            _fail(f"images[{number}]: 'ignore-reason' without 'ignore'", path, line)
        return
    codes = entry["ignore"]
    if not isinstance(codes, list) or not codes or not all(isinstance(c, str) and c.strip() for c in codes):
        _fail(f"images[{number}]: 'ignore' must be a list of rule codes such as [\"T401\"]", path, line)
    reason = entry.get("ignore-reason")
    if not isinstance(reason, str) or not reason.strip():
        _fail(f"images[{number}]: 'ignore' needs an 'ignore-reason' saying why the finding does not apply", path, line)
