"""The OCR interface: an engine reads a decoded image and returns its text lines.

An engine is a class with `name`, `version` and
`read_text(image: PIL.Image.Image) -> list[TextLine]`, its boxes in that
image's pixels. Another engine (tesseract, a hosted model) is one module and
one line in ENGINES; `load.py` has already bounded the image's size, so an
engine needs no size handling of its own.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
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
        """The engine's version from its package metadata, without importing it."""
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version(self.distribution)
        except PackageNotFoundError:
            return "not installed"


ENGINES: dict[str, EngineEntry] = {
    "rapidocr": EngineEntry("auditor.images.rapid:RapidEngine", ("rapidocr", "onnxruntime", "PIL"), "rapidocr"),
}


def make_engine(name: str = DEFAULT_ENGINE) -> TextEngine:
    module_name, _, class_name = ENGINES[name].target.partition(":")
    return getattr(importlib.import_module(module_name), class_name)()
