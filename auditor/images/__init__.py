"""Reading the text inside images, on the user's own machine.

    load.py     decode an image safely and cut it into pieces of bounded size
    engines.py  the OCR interface (`read_text`) and the registry of engines
    rapid.py    the default engine, rapidocr (PP-OCR models on ONNX Runtime)
    cache.py    what was read, by content hash, in a SQLite file
    read.py     read many images: cache first, then a process pool
    attach.py   fill `Image.seen` on posts before the checks run

Everything heavy (Pillow, numpy, rapidocr) is imported only when an image is
read: the base install and `check` without images never load it.
"""

from __future__ import annotations

import importlib.util
import sys

INSTALL_HINT = 'pip install "altaudit[images]"'


def engine_installed(name: str = "rapidocr") -> bool:
    """Whether the engine's packages are installed, without importing them."""
    from .engines import ENGINES

    def found(module: str) -> bool:
        if module in sys.modules:
            return sys.modules[module] is not None  # None: imports of it are blocked
        try:
            return importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            return False

    return all(found(module) for module in ENGINES[name].needs)
