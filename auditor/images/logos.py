"""Finding configured logo pictures in an image by feature matching (OpenCV,
which the images extra installs with rapidocr).

`[tool.altaudit.logos]` names each logo and the PNG that shows it. A logo is
found when enough ORB features of its picture match features of the image
(Lowe's ratio test: the best match clearly better than the second best) and
those matches agree on one placement (a homography fitted with RANSAC, whose
inliers must be many and whose outline must be a plausible, convex shape of
some size). The picture is matched at several sizes, since a logo in a strip
is often far smaller than its file. What was found is cached by the image's
and the logo files' content, like the text read.

    find_logos(image_bytes, {"Local Trust": "logos/local-trust.png"}) -> ["Local Trust"]
"""

from __future__ import annotations

import hashlib
import math
from functools import lru_cache
from pathlib import Path

from .load import ImageProblem, decode

MATCHER_VERSION = 1
SCENE_SIDE = 1600  # the image is matched at most this size on its long side
TEMPLATE_SIDES = (320, 200, 120, 72, 48)  # sizes the logo picture is tried at
RATIO = 0.75  # Lowe's ratio test
MIN_INLIERS = 12  # matches agreeing on one placement
MIN_INLIER_SHARE = 0.3  # of the matches that passed the ratio test


def _gray(image, side: int):
    import cv2
    import numpy

    pixels = numpy.asarray(image.convert("L"))
    height, width = pixels.shape
    scale = side / max(width, height)
    if abs(scale - 1) > 0.01:
        pixels = cv2.resize(pixels, (max(1, round(width * scale)), max(1, round(height * scale))), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    return pixels


@lru_cache(maxsize=64)
def _template(path: str, mtime: float):
    """The logo picture's ORB features at each size: [(keypoints, descriptors, (w, h))]."""
    import cv2

    try:
        image = decode(Path(path).read_bytes())
    except (OSError, ImageProblem):
        return []
    orb = cv2.ORB_create(nfeatures=800, edgeThreshold=15, patchSize=15)
    out = []
    for side in TEMPLATE_SIDES:
        gray = _gray(image, side)
        # A margin, so features at the picture's own edge are found.
        gray = cv2.copyMakeBorder(gray, 16, 16, 16, 16, cv2.BORDER_REPLICATE)
        keypoints, descriptors = orb.detectAndCompute(gray, None)
        if descriptors is not None and len(keypoints) >= MIN_INLIERS:
            out.append((keypoints, descriptors, gray.shape[::-1]))
    return out


def _placed(template, scene_keypoints, scene_descriptors, matcher) -> bool:
    import cv2
    import numpy

    keypoints, descriptors, (width, height) = template
    pairs = matcher.knnMatch(descriptors, scene_descriptors, k=2)
    good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < RATIO * p[1].distance]
    if len(good) < MIN_INLIERS:
        return False
    source = numpy.float32([keypoints[m.queryIdx].pt for m in good]).reshape(-1, 1, 2)
    target = numpy.float32([scene_keypoints[m.trainIdx].pt for m in good]).reshape(-1, 1, 2)
    homography, mask = cv2.findHomography(source, target, cv2.RANSAC, 5.0)
    if homography is None or mask is None:
        return False
    inliers = int(mask.sum())
    if inliers < MIN_INLIERS or inliers < MIN_INLIER_SHARE * len(good):
        return False
    corners = numpy.float32([[0, 0], [width, 0], [width, height], [0, height]]).reshape(-1, 1, 2)
    outline = cv2.perspectiveTransform(corners, homography).reshape(-1, 2)
    if not cv2.isContourConvex(outline.astype(numpy.float32)):
        return False
    area = cv2.contourArea(outline)
    # Not a sliver or a speck, and no wilder than a picture seen at an angle.
    if area < 200:
        return False
    sides = [math.dist(outline[i], outline[(i + 1) % 4]) for i in range(4)]
    return min(sides) > 0.15 * max(sides)


def find_logos(data: bytes, logos: dict[str, str]) -> list[str]:
    """The names of the configured logos the image shows (none for an unreadable image)."""
    if not logos:
        return []
    import cv2

    try:
        image = decode(data)
    except ImageProblem:
        return []
    scene = _gray(image, min(SCENE_SIDE, max(image.size)))
    # A margin, so a logo in a corner keeps the features along the image's edge.
    scene = cv2.copyMakeBorder(scene, 16, 16, 16, 16, cv2.BORDER_REPLICATE)
    orb = cv2.ORB_create(nfeatures=5000, edgeThreshold=15, patchSize=15)
    scene_keypoints, scene_descriptors = orb.detectAndCompute(scene, None)
    if scene_descriptors is None or len(scene_keypoints) < MIN_INLIERS:
        return []
    matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
    found = []
    for name, path in logos.items():
        try:
            mtime = Path(path).stat().st_mtime
        except OSError:
            continue
        if any(_placed(t, scene_keypoints, scene_descriptors, matcher) for t in _template(str(path), mtime)):
            found.append(name)
    return found


def logos_key(data: bytes, logos: dict[str, str]) -> str:
    """Cache key: the image's content, each logo's name and picture, the matcher's version."""
    digest = hashlib.sha256(data)
    for name, path in sorted(logos.items()):
        digest.update(name.encode("utf-8") + b"\0")
        try:
            digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
        except OSError:
            digest.update(b"missing")
    return f"logos:{digest.hexdigest()}:{MATCHER_VERSION}"


_cache = None  # this process's cache handle, opened on first use


def logos_in_file(path: Path, logos: dict[str, str], use_cache: bool = True) -> list[str]:
    """find_logos on a file, through the cache; [] for a file that cannot be read."""
    global _cache
    import json

    try:
        data = Path(path).read_bytes()
    except OSError:
        return []
    key = logos_key(data, logos)
    if use_cache:
        if _cache is None:
            from .cache import SeenCache

            _cache = SeenCache()
        known = _cache.get_value(key)
        if known is not None:
            try:
                return [str(name) for name in json.loads(known)]
            except (ValueError, TypeError):
                pass
    found = find_logos(data, logos)
    if use_cache:
        _cache.put_value(key, json.dumps(found))
    return found
