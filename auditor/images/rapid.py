"""rapidocr: PP-OCR detection and recognition models on ONNX Runtime.

Chosen as the default because its wheel carries its models (nothing is
downloaded at run time), it reads Latin, Chinese and Japanese scripts, and it
read every line of drawn event cards with scores above 0.99 here. One thread
per process: images are read in parallel by a process pool instead.
"""

from __future__ import annotations

import logging

from ..model import TextLine


DETECT_SIDE = 1600


class RapidEngine:
    name = "rapidocr"

    def __init__(self) -> None:
        # rapidocr logs every model it loads at INFO level on its own handler.
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        from rapidocr import RapidOCR
        from rapidocr._version import version

        self.version = version
        self._ocr = RapidOCR(
            params={
                "Global.log_level": "error",
                "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                # Detection on at most DETECT_SIDE pixels a side, never enlarged: the
                # default enlarges the short side to 736, so a 1200 x 200 banner
                # became 4416 x 736 and took five times as long. Recognition
                # still reads each line from the full-size image.
                "Det.limit_type": "max",
                "Det.limit_side_len": DETECT_SIDE,
            }
        )

    def read_text(self, image) -> list[TextLine]:
        import numpy

        # rapidocr takes OpenCV's BGR channel order for arrays.
        pixels = numpy.ascontiguousarray(numpy.asarray(image.convert("RGB"))[:, :, ::-1])
        found = self._ocr(pixels)
        if found.txts is None:
            return []
        lines = []
        for text, score, box in zip(found.txts, found.scores, found.boxes):
            xs = [float(point[0]) for point in box]
            ys = [float(point[1]) for point in box]
            lines.append(
                TextLine(str(text), round(float(score), 4), (int(min(xs)), int(min(ys)), int(max(xs) + 0.5), int(max(ys) + 0.5)))
            )
        return lines
