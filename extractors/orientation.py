"""Which way up is the document: 0, 90, 180 or 270 degrees, decided from its text lines.

Two cheap models, both from the rapidocr wheel, loaded once per process:
- the PP-OCRv6 detector alone (no recognition) finds text-line boxes on a reduced copy;
  if most long lines are taller than wide, the document lies on its side (90/270);
- the PP-OCR text-line orientation classifier (0° vs 180°) votes on the longest lines,
  cut out as if the document were upright in the candidate orientation.
The full OCR then runs once, on the upright image, whatever the engine.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass

import cv2
import numpy as np

from extractors import defaults
from extractors.ocr.models import CLS_MODEL, DET_MODEL, model_file

__all__ = ["Orientation", "OrientationDetector", "get_orientation_detector", "rotate_quarter"]

DETECT_LONG_SIDE = defaults.DETECT_LONG_SIDE  # pixels of the reduced copy the detector sees
VOTE_LINES = 12  # longest lines that vote on 0° vs 180°


@dataclass(frozen=True)
class Orientation:
    rotation: int  # degrees to turn the image clockwise so that it reads upright
    confidence: float
    lines: int  # text lines seen by the detector
    sideways_share: float  # share of long lines that were taller than wide


def rotate_quarter(img: np.ndarray, deg: int) -> np.ndarray:
    """``img`` turned ``deg`` (0/90/180/270) clockwise, as ``Rectified.rotated`` turns it."""
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return img if deg % 360 == 0 else cv2.rotate(img, codes[deg % 360])


def _crop(img: np.ndarray, box: np.ndarray) -> np.ndarray | None:
    x0, y0 = np.floor(box.min(axis=0)).astype(int)
    x1, y1 = np.ceil(box.max(axis=0)).astype(int)
    h, w = img.shape[:2]
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
    if x1 - x0 < 8 or y1 - y0 < 6:
        return None
    return img[y0:y1, x0:x1]


class OrientationDetector:
    """Its two ONNX Runtime sessions use ``threads`` intra-op threads each (by default the
    process's setting, ``extractors.ocr.session_threads()``; 0 is ONNX Runtime's default,
    one per core), like the OCR engine's, so W workers on C cores do not run W × C threads."""

    def __init__(self, threads: int | None = None) -> None:
        import onnxruntime as ort
        from rapidocr import RapidOCR

        from extractors.ocr import session_threads

        threads = session_threads() if threads is None else threads
        threads = min(threads, os.cpu_count() or 1)  # rapidocr ignores a count above the cores: clamp both
        params = {
            "Global.use_rec": False,
            "Global.use_cls": False,
            "Global.log_level": "warning",
            "Det.model_path": str(model_file(DET_MODEL)),
            "Det.limit_type": "max",
            "Det.limit_side_len": DETECT_LONG_SIDE,
        }
        if threads:
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
        self._det = RapidOCR(params=params)
        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        if threads:
            opts.intra_op_num_threads = threads
        self._cls = ort.InferenceSession(str(model_file(CLS_MODEL)), opts, providers=["CPUExecutionProvider"])
        self._cls_input = self._cls.get_inputs()[0].name

    def session_threads(self) -> dict[str, int]:
        """The intra-op thread count each loaded ONNX Runtime session got (0: ONNX Runtime's
        default). rapidocr loads the detector on first use: call after a ``boxes``/``detect``."""
        out = {"cls": self._cls.get_session_options().intra_op_num_threads}
        det = getattr(getattr(getattr(self._det, "text_det", None), "session", None), "session", None)
        if det is not None:
            out["det"] = det.get_session_options().intra_op_num_threads
        return out

    def boxes(self, image: np.ndarray) -> np.ndarray:
        """Text-line boxes (N×4×2) on ``image`` from the detector alone."""
        h, w = image.shape[:2]
        s = min(1.0, DETECT_LONG_SIDE / max(h, w))
        small = cv2.resize(image, (int(w * s), int(h * s)), interpolation=cv2.INTER_AREA) if s < 1 else image
        out = self._det(small)
        if out is None or out.boxes is None or len(out.boxes) == 0:
            return np.zeros((0, 4, 2), np.float32)
        return np.asarray(out.boxes, dtype=np.float32) / s

    def _p180(self, crops: list[np.ndarray]) -> np.ndarray:
        batch = np.zeros((len(crops), 3, 48, 192), np.float32)
        for i, c in enumerate(crops):
            h, w = c.shape[:2]
            nw = int(min(192, max(1, np.ceil(48 * w / h))))
            r = cv2.resize(c, (nw, 48)).astype(np.float32)
            r = (r.transpose(2, 0, 1) / 255.0 - 0.5) / 0.5
            batch[i, :, :, :nw] = r
        probs = self._cls.run(None, {self._cls_input: batch})[0]
        return probs[:, 1]

    def detect(self, image: np.ndarray, boxes: np.ndarray | None = None) -> Orientation:
        """Orientation of ``image``; ``boxes`` (N×4×2 on ``image``) saves a detector pass."""
        if boxes is None or len(boxes) < 2:
            boxes = self.boxes(image)
        if len(boxes) == 0:
            return Orientation(0, 0.0, 0, 0.0)
        wh = np.stack([np.ptp(boxes[:, :, 0], axis=1), np.ptp(boxes[:, :, 1], axis=1)], axis=1)
        longest = np.maximum(wh[:, 0], wh[:, 1])
        keep = longest >= 2.0 * np.minimum(wh[:, 0], wh[:, 1])  # lines, not blobs or single glyphs
        if keep.sum() < 1:
            return Orientation(0, 0.0, len(boxes), 0.0)
        sideways = (wh[keep, 1] > defaults.VERTICAL_LINE_RATIO * wh[keep, 0])
        weights = longest[keep]
        side_share = float((weights * sideways).sum() / weights.sum())
        base = 90 if side_share > 0.5 else 0
        img = rotate_quarter(image, base)
        h, w = image.shape[:2]
        # Boxes in the rotated frame: rotate their points the same way as the image.
        pts = boxes[keep].reshape(-1, 2)
        if base == 90:
            pts = np.stack([h - 1 - pts[:, 1], pts[:, 0]], axis=1)
        rb = pts.reshape(-1, 4, 2)
        order = np.argsort(-weights)[:VOTE_LINES]
        crops, wts = [], []
        for i in order:
            c = _crop(img, rb[i])
            if c is not None and c.shape[1] > c.shape[0]:
                crops.append(c)
                wts.append(weights[i])
        if len(crops) < 1:
            return Orientation(base, 0.3, len(boxes), side_share)
        p = self._p180(crops)
        wts_a = np.asarray(wts)
        p180 = float((p * wts_a).sum() / wts_a.sum())
        flip = p180 > 0.5
        conf = abs(p180 - 0.5) * 2
        if len(crops) < defaults.ORIENTATION_MIN_LINES:
            conf *= 0.5
        return Orientation((base + (180 if flip else 0)) % 360, conf, len(boxes), side_share)


_detector: OrientationDetector | None = None
_lock = threading.Lock()


def get_orientation_detector() -> OrientationDetector:
    global _detector
    with _lock:
        if _detector is None:
            _detector = OrientationDetector()
        return _detector
