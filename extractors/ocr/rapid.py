"""RapidOCR engine: PaddleOCR's PP-OCRv6 small models on ONNX Runtime, from the wheel.

Model paths are passed explicitly so rapidocr never looks for (or fetches) anything
else. The detector's resize policy is fixed here, not per call (see ``DET_LIMIT_*``).
"""

from __future__ import annotations

import logging
import os

import numpy as np

from extractors import defaults
from extractors.ocr.base import lines_from_arrays
from extractors.ocr.models import CLS_MODEL, DET_MODEL, REC_MODEL, model_file
from extractors.types import OcrLine

__all__ = ["RapidOcrEngine"]


class RapidOcrEngine:
    name = "rapidocr"
    reads_rotated_lines = True

    def __init__(self, threads: int = 0):
        from rapidocr import RapidOCR

        # rapidocr logs every model path at INFO on construction; keep stderr useful.
        logging.getLogger("RapidOCR").setLevel(logging.WARNING)
        params = {
            "Global.log_level": "warning",
            "Global.text_score": defaults.OCR_MIN_LINE_SCORE,
            "Det.model_path": str(model_file(DET_MODEL)),
            "Cls.model_path": str(model_file(CLS_MODEL)),
            "Rec.model_path": str(model_file(REC_MODEL)),
            "Det.limit_type": defaults.DET_LIMIT_TYPE,
            "Det.limit_side_len": defaults.DET_LIMIT_SIDE_LEN,
            "Det.thresh": defaults.DET_THRESH,
            "Det.box_thresh": defaults.DET_BOX_THRESH,
            "Det.unclip_ratio": defaults.DET_UNCLIP_RATIO,
            "Global.max_side_len": defaults.DET_MAX_SIDE_LEN,
        }
        if threads:
            # rapidocr silently ignores a count above os.cpu_count(): clamp, so the setting holds
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = min(threads, os.cpu_count() or 1)
        self._ocr = RapidOCR(params=params)

    def session_threads(self) -> dict[str, int]:
        """The intra-op thread count each loaded ONNX Runtime session got (0: ONNX Runtime's
        default, one per core). rapidocr loads its sessions on first use: call after a read."""
        out = {}
        for name in ("text_det", "text_cls", "text_rec"):
            sess = getattr(getattr(getattr(self._ocr, name, None), "session", None), "session", None)
            if sess is not None:
                out[name.removeprefix("text_")] = sess.get_session_options().intra_op_num_threads
        return out

    def __call__(self, image: np.ndarray) -> list[OcrLine]:
        result = self._ocr(image)
        if result is None or getattr(result, "txts", None) is None:
            return []
        return lines_from_arrays(result.boxes, result.txts, result.scores)

    def read_boxes(self, image: np.ndarray, boxes: np.ndarray) -> list[OcrLine]:
        """Recognise the text in ``boxes`` (N×4×2, TL TR BR BL, on ``image``) without
        detecting again: the pipeline's own detector pass already found the lines. The
        same steps as a whole call after detection: rapidocr's line order, crop, the
        0°/180° line classifier, the recogniser, and its score floor."""
        if len(boxes) == 0:
            return []
        from rapidocr.ch_ppocr_det.main import TextDetector

        boxes = TextDetector.sorted_boxes(np.asarray(boxes, dtype=np.float32))
        crops = self._ocr.crop_text_regions(image, boxes)
        crops, _ = self._ocr.cls_and_rotate(crops)
        rec = self._ocr.recognize_txt(crops)
        keep = [i for i, (t, sc) in enumerate(zip(rec.txts, rec.scores))
                if str(t).strip() and sc >= defaults.OCR_MIN_LINE_SCORE]
        return lines_from_arrays(boxes[keep], [rec.txts[i] for i in keep], [rec.scores[i] for i in keep])
