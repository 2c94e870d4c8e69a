"""Shared by the quality-threshold calibrations: the labelled photos of a set, each
flattened as the pipeline flattens it, with the detector's text boxes on it.

No recognition runs (the detector alone), so a 200-photo set takes about a minute.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import cv2
import numpy as np

from extractors import defaults
from extractors.orientation import get_orientation_detector
from extractors.preprocess import Rectified, find_document, rectify

#: kinds whose photos carry the single-document quality labels
SKIP_KINDS = ("multiple", "other", "court_judgment")


@dataclass
class FlatPhoto:
    truth: dict
    rect: Rectified
    boxes: np.ndarray  # detector boxes on rect.image
    to_photo: float    # rectified px × to_photo = the photo's own px


def flatten(path: Path, with_boxes: bool = True) -> tuple[Rectified, np.ndarray, float] | None:
    img = cv2.imread(str(path))
    if img is None:
        return None
    h, w = img.shape[:2]
    s = min(1.0, defaults.WORK_LONG_SIDE / max(h, w))
    work = cv2.resize(img, (int(w * s), int(h * s)), interpolation=cv2.INTER_AREA)
    rect = rectify(work, find_document(work))
    src_w, src_h = rect.notes["source_px"]
    rh, rw = rect.image.shape[:2]
    to_photo = (np.sqrt(src_w * src_h) / np.sqrt(rw * rh)) / s
    boxes = get_orientation_detector().boxes(rect.image) if with_boxes else np.zeros((0, 4, 2), np.float32)
    return rect, boxes, float(to_photo)


def photos(root: Path, with_boxes: bool = True) -> Iterator[FlatPhoto]:
    for tp in sorted(root.glob("*.truth.json")):
        truth = json.loads(tp.read_text(encoding="utf-8"))
        if truth["kind"] in SKIP_KINDS:
            continue
        img = tp.with_name(tp.name.replace(".truth.json", ".jpg"))
        flat = flatten(img, with_boxes) if img.exists() else None
        if flat is not None:
            yield FlatPhoto(truth, *flat)
