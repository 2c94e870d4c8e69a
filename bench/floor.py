"""The pipeline against the engine's floor, on phone photos of ID cards and bank cards.

    python -m bench.floor [--per-kind 6] [--repeat 3] [--out bench/results/floor.json]

The floor is the bare engine: the same PP-OCRv6 small models on the same ONNX Runtime,
with the same thread count, told only never to upscale (detector long side 960), run on
the decoded photo. The pipeline is ``extract(bytes)``: decode, find and flatten the
document, orientation, OCR, quality, classification, parsing. Both run in this process,
alternating photo by photo after a warm-up, so load on the machine falls on both alike;
the figure reported is pipeline ÷ floor per kind (medians), not an absolute time.

Also per kind: stage p50/p95 from the extraction's own timings, and how many detector
and recogniser passes one document costs and on what image sizes (the engine's calls
and the orientation detector's, counted by wrapping them). The photos are generated
(seed 31, 1600 × 1200, no degradation): whether the bare engine read every value is
reported beside, so the floor is a floor that reads the document.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import time
from collections import defaultdict
from pathlib import Path

import cv2
import numpy as np

from bench.servers import percentile

KINDS = ("id_card_front", "bank_card")


def photos(per_kind: int, seed: int = 31) -> list[tuple[str, bytes, dict]]:
    from samples.generate.photo import make_photo
    from samples.generate.render import render_document

    rng = random.Random(seed)
    out = []
    for kind in KINDS:
        for _ in range(per_kind):
            img, truth = render_document(kind, rng)
            photo, t = make_photo(img, truth, rng, degradations=[], orientation=0, size=(1600, 1200))
            out.append((kind, cv2.imencode(".jpg", photo, [cv2.IMWRITE_JPEG_QUALITY, 90])[1].tobytes(), t))
    return out


def bare_engine(threads: int = 0):
    """The floor: rapidocr with the project's models and thresholds, never upscaling."""
    from rapidocr import RapidOCR

    from extractors import defaults
    from extractors.ocr.models import CLS_MODEL, DET_MODEL, REC_MODEL, model_file

    params = {
        "Global.log_level": "warning",
        "Det.model_path": str(model_file(DET_MODEL)),
        "Cls.model_path": str(model_file(CLS_MODEL)),
        "Rec.model_path": str(model_file(REC_MODEL)),
        "Det.limit_type": "max",
        "Det.limit_side_len": 960,
        "Det.thresh": defaults.DET_THRESH,
        "Det.box_thresh": defaults.DET_BOX_THRESH,
        "Det.unclip_ratio": defaults.DET_UNCLIP_RATIO,
    }
    if threads:
        params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
    return RapidOCR(params=params)


class Counter:
    """Wraps a callable and records the input size of each call."""

    def __init__(self, fn):
        self.fn, self.sizes = fn, []

    def __call__(self, image, *a, **kw):
        self.sizes.append(tuple(int(v) for v in image.shape[:2]))
        return self.fn(image, *a, **kw)


def run(per_kind: int, repeat: int) -> dict:
    from extractors.ocr import get_engine
    from extractors.orientation import get_orientation_detector
    from extractors.pipeline import extract

    engine = get_engine("rapidocr")
    floor = bare_engine()
    det = get_orientation_detector()
    items = photos(per_kind)
    # warm both up
    extract(items[0][1], "warm.jpg", engine)
    floor(cv2.imdecode(np.frombuffer(items[0][1], np.uint8), cv2.IMREAD_COLOR))

    per_doc = []
    for kind, data, truth in items:
        ft, pt, passes = [], [], {}
        text = ""
        ex = None
        for r in range(repeat):
            t0 = time.perf_counter()
            res = floor(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR))
            ft.append(time.perf_counter() - t0)
            text = "".join(res.txts or ()) if res is not None else ""
            calls = {"engine": Counter(engine.__call__), "engine_read_boxes": Counter(engine.read_boxes),
                     "orientation_boxes": Counter(det.boxes), "orientation_detect": Counter(det.detect)}
            # instance attributes shadow the methods while counting (_Callable looks them up)
            engine.__call__, engine.read_boxes = calls["engine"], calls["engine_read_boxes"]
            det.boxes, det.detect = calls["orientation_boxes"], calls["orientation_detect"]
            try:
                t0 = time.perf_counter()
                ex = extract(data, "photo.jpg", _Callable(engine))
                pt.append(time.perf_counter() - t0)
            finally:
                del engine.__call__, engine.read_boxes, det.boxes, det.detect
            if r == 0:
                passes = {k: {"calls": len(c.sizes), "sizes": c.sizes} for k, c in calls.items()}
        fields = {k: f.value for k, f in ex.fields.items()}
        per_doc.append({
            "kind": kind, "floor_s": round(statistics.median(ft), 3), "pipeline_s": round(statistics.median(pt), 3),
            "ratio": round(statistics.median(pt) / statistics.median(ft), 3),
            "floor_read_all": all(str(v).replace(" ", "") in text.replace(" ", "") for v in truth["fields"].values()
                                  if v and not str(v).isascii() or str(v).isdigit()),
            "pipeline_right": sum(fields.get(k) == v for k, v in truth["fields"].items()),
            "fields": len(truth["fields"]), "found_kind": ex.kind, "timings_ms": ex.timings_ms, "passes": passes,
        })
    out = {"machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
           "photos": len(items), "repeat": repeat, "per_kind": {}, "documents": per_doc}
    for kind in KINDS:
        rows = [d for d in per_doc if d["kind"] == kind]
        stages = defaultdict(list)
        for d in rows:
            for s, ms in d["timings_ms"].items():
                stages[s].append(ms)
        out["per_kind"][kind] = {
            "n": len(rows),
            "pipeline_over_floor": round(statistics.median(d["ratio"] for d in rows), 3),
            "floor_s_median": round(statistics.median(d["floor_s"] for d in rows), 3),
            "pipeline_s_median": round(statistics.median(d["pipeline_s"] for d in rows), 3),
            "floor_read_every_value": sum(d["floor_read_all"] for d in rows),
            "pipeline_fields_right": f"{sum(d['pipeline_right'] for d in rows)}/{sum(d['fields'] for d in rows)}",
            "stage_ms": {s: {"p50": round(percentile(v, 50), 1), "p95": round(percentile(v, 95), 1)}
                         for s, v in stages.items()},
            "engine_calls_per_doc": statistics.median(d["passes"]["engine"]["calls"] for d in rows),
            # a whole engine call detects and recognises; read_boxes recognises the boxes the
            # orientation detector's pass on the working copy found
            "detector_passes_per_doc": statistics.median(
                d["passes"]["engine"]["calls"] + d["passes"]["orientation_boxes"]["calls"] for d in rows),
            "recogniser_passes_per_doc": statistics.median(
                d["passes"]["engine"]["calls"] + d["passes"]["engine_read_boxes"]["calls"] for d in rows),
            "orientation_detector_calls_per_doc": statistics.median(
                d["passes"]["orientation_boxes"]["calls"] + d["passes"]["orientation_detect"]["calls"] for d in rows),
        }
    return out


class _Callable:
    """The engine seen through its (possibly wrapped) ``__call__`` attribute."""

    def __init__(self, engine):
        self._e = engine
        self.name = engine.name

    def __call__(self, image):
        return self._e.__call__(image)

    def __getattr__(self, item):
        return getattr(self._e, item)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--per-kind", type=int, default=6)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--out", type=Path, default=Path("bench/results/floor.json"))
    args = p.parse_args(argv)
    r = run(args.per_kind, args.repeat)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(r, ensure_ascii=False, indent=2), encoding="utf-8")
    for kind, v in r["per_kind"].items():
        print(f"{kind}: pipeline ÷ floor {v['pipeline_over_floor']} (pipeline {v['pipeline_s_median']} s, "
              f"floor {v['floor_s_median']} s); detector passes/doc {v['detector_passes_per_doc']}, "
              f"recogniser passes/doc {v['recogniser_passes_per_doc']}, engine calls/doc {v['engine_calls_per_doc']}, "
              f"orientation-detector calls/doc {v['orientation_detector_calls_per_doc']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
