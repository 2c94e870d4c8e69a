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


def working_copy(path: Path) -> tuple[np.ndarray, float] | None:
    """The photo reduced as the pipeline reduces it, and the scale used."""
    img = cv2.imread(str(path))
    if img is None:
        return None
    h, w = img.shape[:2]
    s = min(1.0, defaults.WORK_LONG_SIDE / max(h, w))
    return cv2.resize(img, (int(w * s), int(h * s)), interpolation=cv2.INTER_AREA), s


def flatten(path: Path, with_boxes: bool = True) -> tuple[Rectified, np.ndarray, float] | None:
    loaded = working_copy(path)
    if loaded is None:
        return None
    work, s = loaded
    rect = rectify(work, find_document(work))
    src_w, src_h = rect.notes["source_px"]
    rh, rw = rect.image.shape[:2]
    to_photo = (np.sqrt(src_w * src_h) / np.sqrt(rw * rh)) / s
    boxes = get_orientation_detector().boxes(rect.image) if with_boxes else np.zeros((0, 4, 2), np.float32)
    return rect, boxes, float(to_photo)


def photos(root: Path, with_boxes: bool = True, kinds: tuple[str, ...] | None = None) -> Iterator[FlatPhoto]:
    """Each labelled single-document photo, flattened; only of ``kinds`` when given."""
    for tp in sorted(root.glob("*.truth.json")):
        truth = json.loads(tp.read_text(encoding="utf-8"))
        if truth["kind"] in SKIP_KINDS or (kinds and truth["kind"] not in kinds):
            continue
        img = tp.with_name(tp.name.replace(".truth.json", ".jpg"))
        flat = flatten(img, with_boxes) if img.exists() else None
        if flat is not None:
            yield FlatPhoto(truth, *flat)


def confusion(rows: list[dict], flagged, label: str) -> dict:
    """tp/fp/fn, precision and recall of ``flagged(row)`` against ``row[label]``."""
    tp = sum(bool(flagged(r)) and r[label] for r in rows)
    fp = sum(bool(flagged(r)) and not r[label] for r in rows)
    fn = sum(not flagged(r) and r[label] for r in rows)
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / (tp + fn), 3) if tp + fn else None}


def write_report(out: Path, sets: list[str], table: dict, rows: list[dict]) -> None:
    """The calibration JSON (every row, for a second look) and the table on stdout."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"sets": sets, "photos": len(rows), "table": table, "rows": rows}, indent=1),
                   encoding="utf-8")
    for k, v in table.items():
        print(k, v)


def separation(out: Path, sets: list[str], code: str, pos: list[float], neg: list[float]) -> dict:
    """For a measure that should split the photos expecting ``code`` from the others:
    the largest positive, the smallest other (for "lower is worse" measures), all values."""
    report = {"sets": sets, code: len(pos), "others": len(neg),
              f"max_{code}": max(pos, default=None), "min_others": min(neg, default=None),
              f"{code}_values": sorted(pos), "lowest_others": sorted(neg)[:10]}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps({k: report[k] for k in (code, "others", f"max_{code}", "min_others")}))
    return report


def sets_and_out(argv: list[str], default_out: Path) -> tuple[list[str], Path]:
    """``DIR [DIR ...] [--out FILE]``: the sets, and where the report goes (to check a
    calibrated rule on a held-out set without overwriting the calibration)."""
    if "--out" in argv:
        i = argv.index("--out")
        return argv[:i] + argv[i + 2:], Path(argv[i + 1])
    return argv, default_out
