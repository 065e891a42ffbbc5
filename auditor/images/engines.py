"""The OCR interface: an engine reads a decoded image and returns its text lines.

An engine is a class with `name`, `version` and
`read_text(image: PIL.Image.Image) -> list[TextLine]`, its boxes in that
image's pixels. Another engine (tesseract, a hosted model) is one module and
one line in ENGINES; `load.py` has already bounded the image's size, so an
engine needs no size handling of its own.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from ..model import TextLine

DEFAULT_ENGINE = "rapidocr"


class TextEngine(Protocol):
    name: str
    version: str

    def read_text(self, image) -> list[TextLine]: ...


@dataclass(frozen=True)
class EngineEntry:
    target: str  # "module:Class", imported on first use
    needs: tuple[str, ...]  # top-level packages that must be installed
    distribution: str  # whose version names the engine's results in the cache

    def version(self) -> str:
        """The engine's version, without importing it (it names cached results)."""
        return _version(self.distribution)


@lru_cache(maxsize=8)
def _version(package: str) -> str:
    # The package's own _version.py, read as text: importlib.metadata alone
    # costs a cached `check` more than the rest of its image work.
    try:
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.origin:
            text = (Path(spec.origin).parent / "_version.py").read_text(encoding="utf-8")
            found = re.search(r"^(?:__version__|version)\s*=\s*(?:version\s*=\s*)?['\"]([^'\"]+)['\"]", text, re.M)
            if found:
                return found.group(1)
    except (ImportError, ValueError, OSError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


ENGINES: dict[str, EngineEntry] = {
    "rapidocr": EngineEntry("auditor.images.rapid:RapidEngine", ("rapidocr", "onnxruntime", "PIL"), "rapidocr"),
}


def make_engine(name: str = DEFAULT_ENGINE) -> TextEngine:
    module_name, _, class_name = ENGINES[name].target.partition(":")
    return getattr(importlib.import_module(module_name), class_name)()
