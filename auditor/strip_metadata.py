"""Image files without their metadata, for `publish`: what a photo's EXIF says
(GPS position, camera serial, time taken) must not go public with the post.

The official app re-encodes every image it posts, which drops the metadata;
altaudit uploads the file's own pixels instead and only removes the metadata
blocks, so nothing is decoded or re-compressed:

- JPEG: APP1 (Exif, XMP), APP3 to APP13 (Photoshop IPTC among them), APP15 and
  comments go; JFIF (APP0), ICC colour profiles and MPF (APP2) and Adobe's
  colour transform (APP14) stay. A turned photo keeps a minimal Exif block with
  its orientation alone, so that it still shows the right way up.
- PNG: eXIf, tEXt, zTXt, iTXt and tIME chunks go.
- WebP: EXIF and XMP chunks go (and their flags in the VP8X header).
- GIF carries no standard metadata and is left as it is.

Each function returns the cleaned bytes, or the input unchanged when its
structure is not what it expects (the PDS then gets the file as it is).
"""

from __future__ import annotations

import struct

JPEG_KEPT_APPS = {0xE0, 0xE2, 0xEE}  # APP0 (JFIF), APP2 (ICC profile, MPF), APP14 (Adobe)
PNG_DROPPED = {b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"}
WEBP_DROPPED = {b"EXIF", b"XMP "}
VP8X_EXIF_FLAG = 0x08
VP8X_XMP_FLAG = 0x04


def strip(data: bytes, mime_type: str, orientation: int | None = None) -> bytes:
    if mime_type == "image/jpeg":
        return strip_jpeg(data, orientation)
    if mime_type == "image/png":
        return strip_png(data)
    if mime_type == "image/webp":
        return strip_webp(data)
    return data


def _orientation_block(orientation: int) -> bytes:
    """An APP1 segment holding an Exif block with the orientation tag only."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = orientation
    payload = exif.tobytes()  # b"Exif\0\0" + a TIFF header and one IFD
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def strip_jpeg(data: bytes, orientation: int | None = None) -> bytes:
    if not data.startswith(b"\xff\xd8"):
        return data
    out = [data[:2]]
    turned = orientation not in (None, 1)
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return data  # not a segment where one must be
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA or marker == 0xD9:  # start of scan: the compressed data follows, kept whole
            out.append(data[pos:])
            return b"".join(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            out.append(data[pos : pos + 2])
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        end = pos + 2 + length
        if length < 2 or end > len(data):
            return data
        is_app = 0xE0 <= marker <= 0xEF
        if turned and marker != 0xE0:  # after JFIF's APP0, which must come first
            out.append(_orientation_block(orientation))  # type: ignore[arg-type]
            turned = False
        if not ((is_app and marker not in JPEG_KEPT_APPS) or marker == 0xFE):
            out.append(data[pos:end])
        pos = end
    return data  # no image data found: leave it to the PDS


def strip_png(data: bytes) -> bytes:
    signature = b"\x89PNG\r\n\x1a\n"
    if not data.startswith(signature):
        return data
    out = [signature]
    pos = len(signature)
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            return data
        if kind not in PNG_DROPPED:
            out.append(data[pos:end])
        pos = end
        if kind == b"IEND":
            return b"".join(out)
    return data


def strip_webp(data: bytes) -> bytes:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return data
    chunks = []
    pos = 12
    while pos + 8 <= len(data):
        kind = data[pos : pos + 4]
        (size,) = struct.unpack("<I", data[pos + 4 : pos + 8])
        end = pos + 8 + size + (size & 1)
        if end > len(data) + (size & 1):
            return data
        chunk = data[pos:end]
        if kind == b"VP8X" and size >= 10:
            flags = chunk[8] & ~(VP8X_EXIF_FLAG | VP8X_XMP_FLAG)
            chunk = chunk[:8] + bytes([flags]) + chunk[9:]
        if kind not in WEBP_DROPPED:
            chunks.append(chunk)
        pos = end
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body
