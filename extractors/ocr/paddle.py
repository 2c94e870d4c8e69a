"""PaddleOCR's own pipeline on its ONNX Runtime engine, with local PP-OCRv6 small models.

PaddleOCR() with default arguments resolves *medium* models from a hub; given a model
dir per model it never contacts one (paddlex ``_resolve_model_dir``). The dirs are
assembled from the rapidocr wheel's ONNX files by ``models.assemble_paddle_model_dirs``.
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
import sys
from pathlib import Path

import numpy as np

from extractors import defaults
from extractors.errors import EngineUnavailable
from extractors.ocr.base import lines_from_arrays
from extractors.ocr.models import PADDLE_DET_NAME, PADDLE_REC_NAME, assemble_paddle_model_dirs
from extractors.types import OcrLine

__all__ = ["PaddleOcrEngine"]


ALIASED_DISTRIBUTION = "opencv-contrib-python"


class _OpenCvAlias(importlib.metadata.DistributionFinder):
    """Answers paddlex's look-up of the distribution ``opencv-contrib-python``.

    paddlex decides whether its OCR extra is installed, and whether several of its
    modules may ``import cv2``, by asking ``importlib.metadata`` for that distribution
    *name*. This environment provides ``cv2`` through opencv-python-headless (rapidocr's
    requirement); installing contrib too would put a second package into the same
    ``cv2/`` folder. The OCR path uses no contrib-only module, so inside this process
    the name resolves to the installed headless build. pip never sees this finder.
    """

    def find_spec(self, fullname, path=None, target=None):
        return None  # finds distributions' metadata only, never modules

    def find_distributions(self, context=importlib.metadata.DistributionFinder.Context()):
        name = (context.name or "").replace("_", "-").lower()
        if name != ALIASED_DISTRIBUTION:
            return iter(())
        try:
            real = importlib.metadata.distribution("opencv-python-headless")
        except importlib.metadata.PackageNotFoundError:
            return iter(())
        return iter([_AliasDistribution(real.version)])


class _AliasDistribution(importlib.metadata.Distribution):
    def __init__(self, version: str):
        self._version = version

    def read_text(self, filename):
        if filename == "METADATA":
            return f"Metadata-Version: 2.1\nName: {ALIASED_DISTRIBUTION}\nVersion: {self._version}\n"
        return None

    def locate_file(self, path):
        return None


def _accept_installed_opencv() -> None:
    if not any(isinstance(f, _OpenCvAlias) for f in sys.meta_path):
        sys.meta_path.append(_OpenCvAlias())


class PaddleOcrEngine:
    name = "paddleocr"
    reads_rotated_lines = False  # text-line orientation model not used (no local weights)

    def __init__(self, model_root: Path, threads: int = 0):
        # paddlex checks model hosters at import unless told not to; we never need them.
        os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
        det_dir, rec_dir = assemble_paddle_model_dirs(Path(model_root))
        try:
            _accept_installed_opencv()
            from paddleocr import PaddleOCR
        except ImportError as exc:
            raise EngineUnavailable(
                "paddleocr is not installed: `make install` installs it (extra 'paddle' "
                "plus paddleocr==3.7.0 --no-deps)"
            ) from exc
        logging.getLogger("paddlex").setLevel(logging.WARNING)
        self._ocr = PaddleOCR(
            text_detection_model_name=PADDLE_DET_NAME,
            text_detection_model_dir=str(det_dir),
            text_recognition_model_name=PADDLE_REC_NAME,
            text_recognition_model_dir=str(rec_dir),
            use_doc_orientation_classify=False,
            use_doc_unwarping=False,
            use_textline_orientation=False,
            text_det_limit_type=defaults.DET_LIMIT_TYPE,
            text_det_limit_side_len=defaults.DET_LIMIT_SIDE_LEN,
            text_det_thresh=defaults.DET_THRESH,
            text_det_box_thresh=defaults.DET_BOX_THRESH,
            text_det_unclip_ratio=defaults.DET_UNCLIP_RATIO,
            device="cpu",
            engine="onnxruntime",
            # paddlex's ONNX Runtime runner sets these on its SessionOptions (None: ONNX Runtime's default)
            engine_config={"intra_op_num_threads": threads} if threads else None,
        )

    def session_threads(self) -> dict[str, int]:
        """The intra-op thread count each ONNX Runtime session of the pipeline got (0: ONNX
        Runtime's default), read off paddlex's runners themselves."""
        out = {}
        for name in ("text_det_model", "text_rec_model"):
            model = getattr(self._ocr.paddlex_pipeline, name, None)
            sess = getattr(getattr(model, "runner", None), "session", None)
            if sess is not None:
                out[name.removeprefix("text_").removesuffix("_model")] = sess.get_session_options().intra_op_num_threads
        return out

    def __call__(self, image: np.ndarray) -> list[OcrLine]:
        results = self._ocr.predict(image)
        if not results:
            return []
        res = results[0]
        texts = res["rec_texts"]
        scores = res["rec_scores"]
        polys = res["rec_polys"]
        return lines_from_arrays(polys, texts, scores)
