"""Image reuse: how often the perceptual hash matches the same print photographed again,
and how often it matches a different document of the same kind and template.

Usage: python -m bench.image_reuse [--calibration-seed 7] [--report-seed 8] [--groups 30]
                                   [--out bench/results/image_reuse.json]

For every group (``--groups`` per kind and seed) one template seed draws the design; two
documents A and B are rendered from it for two different people (the same bank and card
design, or the same certificate layout: only the printed person, number and photo differ),
and a third, C, from a template of its own (same kind, bank or layout drawn anew). Then:

- positives: A photographed twice (``samples.generate.photo.make_photo``: another angle and
  perspective, another light — none, shadow, dim or bright —, JPEG quality 40-95, the photo
  resized to 50-100 %, then up to 3 % cut from each side of the flattened document), and A's
  first photo sent again re-compressed (JPEG 35-60, resized to 40-70 %);
- negatives: A against B (``same_template``) and A against C (``same_kind``).

Each photo is flattened as the pipeline does (``extractors.preprocess``: outline on the
640-px working copy, pixels from the photo) and hashed (``extractors.fingerprint``).
Documents are photographed upright (the pipeline turns them upright before hashing).
No OCR runs.

Two thresholds are chosen on the calibration seed and every rate is reported on the report
seed: ``threshold``, the largest Hamming distance whose image-only false-match rate on
``same_kind`` stays at most ``MAX_FPR`` (what decides when a number is not read on both
sides), and ``same_number_threshold``, the distance that takes in ``SAME_NUMBER_RECALL`` of
the calibration positives (what decides when both documents carry the same identifying
number). ``with_content`` is the service's whole rule (``intake.risk_links``): a candidate
whose identifying number (card number, ID number, certificate number), as a perfect reader
would read it, differs from the other document's is not a reuse.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import cv2
import numpy as np

from extractors.fingerprint import hamming, image_phash
from extractors.pipeline import reduce_for_search
from extractors.preprocess import find_document, rectify
from samples.generate import identities as ids
from samples.generate import photo, render

OUT = Path(__file__).resolve().parent / "results" / "image_reuse.json"
KINDS = ("bank_card", "id_card_front", "marriage_certificate")
#: the identifying field a perfect reader compares (``intake.risk_links.KEY_FIELDS``)
KEY = {"bank_card": "card_number", "id_card_front": "id_number", "marriage_certificate": "certificate_number"}
LIGHT = (None, "shadow:mild", "low_light:mild", "overexposure:mild")
MAX_FPR = 0.01  # false matches allowed on same-kind documents when choosing the threshold
SAME_NUMBER_RECALL = 0.95  # share of calibration positives the same-number threshold takes in
THRESHOLDS = range(0, 21)


def flatten(img: np.ndarray) -> np.ndarray:
    work, s = reduce_for_search(img)
    return rectify(work, find_document(work), original=img, scale=s).image


def _jpeg(img: np.ndarray, quality: int) -> np.ndarray:
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)


def _resize(img: np.ndarray, f: float) -> np.ndarray:
    h, w = img.shape[:2]
    return cv2.resize(img, (max(64, int(w * f)), max(64, int(h * f))), interpolation=cv2.INTER_AREA)


def _cut(img: np.ndarray, rng: random.Random, most: float = 0.03) -> np.ndarray:
    h, w = img.shape[:2]
    t, b = int(h * rng.uniform(0, most)), int(h * rng.uniform(0, most))
    left, r = int(w * rng.uniform(0, most)), int(w * rng.uniform(0, most))
    return img[t:h - b, left:w - r]


def photographed(doc: np.ndarray, truth: dict, rng: random.Random) -> np.ndarray:
    """A re-photograph of ``doc``: angle, light, JPEG, size, a small crop — flattened."""
    light = rng.choice(LIGHT)
    img, _ = photo.make_photo(doc, truth, rng.randrange(2 ** 31), degradations=[light] if light else [],
                              orientation=0)
    img = _resize(_jpeg(img, rng.randint(40, 95)), rng.uniform(0.5, 1.0))
    return _cut(flatten(img), rng)


def recompressed(first_photo: np.ndarray, rng: random.Random) -> np.ndarray:
    return flatten(_resize(_jpeg(first_photo, rng.randint(35, 60)), rng.uniform(0.4, 0.7)))


def _render(kind: str, template: int, person: ids.Identity, rng: random.Random):
    kw = {}
    if kind == "bank_card":
        kw = {"card": ids.make_bank_card(rng, bank_name="中国工商银行", card_type="debit"), "print_holder": True}
    return render.render_document(kind, random.Random(template), person, **kw)


def group(kind: str, rng: random.Random) -> dict:
    template = rng.randrange(2 ** 31)
    a_person, b_person, c_person = (ids.make_identity(random.Random(rng.randrange(2 ** 31))) for _ in range(3))
    a, ta = _render(kind, template, a_person, rng)
    b, tb = _render(kind, template, b_person, rng)
    c, tc = _render(kind, rng.randrange(2 ** 31), c_person, rng)
    first_light = rng.choice(LIGHT)
    first, _ = photo.make_photo(a, ta, rng.randrange(2 ** 31), degradations=[first_light] if first_light else [],
                                orientation=0)
    h_a = image_phash(flatten(first))
    key = KEY[kind]
    ka, kb, kc = (t["fields"].get(key) for t in (ta, tb, tc))
    return {
        "kind": kind,
        "rephotographed": hamming(h_a, image_phash(photographed(a, ta, rng))),
        "recompressed": hamming(h_a, image_phash(recompressed(first, rng))),
        "same_template": hamming(h_a, image_phash(photographed(b, tb, rng))),
        "same_kind": hamming(h_a, image_phash(photographed(c, tc, rng))),
        "key_differs": {"same_template": ka != kb, "same_kind": ka != kc},
    }


POSITIVE = ("rephotographed", "recompressed")
NEGATIVE = ("same_template", "same_kind")


def run_seed(seed: int, groups: int) -> list[dict]:
    rng = random.Random(seed)
    return [group(kind, rng) for kind in KINDS for _ in range(groups)]


def rates(rows: list[dict], t: int, t_same_number: int | None = None) -> dict:
    """Match rates at image threshold ``t``; with ``t_same_number`` the service's whole rule:
    a different identifying number rules a match out, the same one allows ``t_same_number``."""
    out: dict = {}
    for cat in POSITIVE + NEGATIVE:
        vals = [r for r in rows if cat in r]
        if t_same_number is None:
            hit = sum(1 for r in vals if r[cat] <= t)
        elif cat in NEGATIVE:
            hit = sum(1 for r in vals if not r["key_differs"][cat] and r[cat] <= t)
        else:  # the same print: the same number
            hit = sum(1 for r in vals if r[cat] <= max(t, t_same_number))
        out[cat] = {"n": len(vals), "matched": hit, "rate": round(hit / len(vals), 4) if vals else None}
    n_pos = sum(out[c]["n"] for c in POSITIVE)
    out["true_match_rate"] = round(sum(out[c]["matched"] for c in POSITIVE) / n_pos, 4) if n_pos else None
    for cat in NEGATIVE:
        out[f"false_match_rate_{cat}"] = out[cat]["rate"]
    return out


def choose_threshold(rows: list[dict]) -> int:
    """The largest distance whose image-only false-match rate on same-kind documents is ≤ MAX_FPR."""
    ok = [t for t in THRESHOLDS if rates(rows, t)["same_kind"]["rate"] <= MAX_FPR]
    return max(ok) if ok else 0


def choose_same_number_threshold(rows: list[dict]) -> int:
    """The distance that takes in ``SAME_NUMBER_RECALL`` of the calibration positives."""
    d = sorted(r[c] for r in rows for c in POSITIVE)
    return int(d[min(len(d) - 1, int(np.ceil(SAME_NUMBER_RECALL * len(d))) - 1)])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calibration-seed", type=int, default=7)
    ap.add_argument("--report-seed", type=int, default=8)
    ap.add_argument("--groups", type=int, default=30, help="groups per kind and seed")
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    calib = run_seed(a.calibration_seed, a.groups)
    report = run_seed(a.report_seed, a.groups)
    t = choose_threshold(calib)
    t2 = choose_same_number_threshold(calib)
    result = {
        "what": "perceptual-hash image reuse: same print photographed again vs other documents of the same "
                "kind and template (python -m bench.image_reuse)",
        "kinds": list(KINDS), "groups_per_kind": a.groups, "max_fpr_same_kind": MAX_FPR,
        "calibration_seed": a.calibration_seed, "report_seed": a.report_seed,
        "threshold": t, "same_number_threshold": t2, "same_number_recall": SAME_NUMBER_RECALL,
        "at_threshold": {
            "calibration": {"image_only": rates(calib, t), "with_content": rates(calib, t, t2)},
            "report": {"image_only": rates(report, t), "with_content": rates(report, t, t2)},
            "report_by_kind": {k: {"image_only": rates([r for r in report if r["kind"] == k], t),
                                   "with_content": rates([r for r in report if r["kind"] == k], t, t2)}
                               for k in KINDS},
        },
        "sweep_calibration": {str(x): rates(calib, x) for x in THRESHOLDS},
        "sweep_report": {str(x): rates(report, x) for x in THRESHOLDS},
        "seconds": round(time.perf_counter() - t0, 1),
        "rows": {"calibration": calib, "report": report},
    }
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    r = result["at_threshold"]["report"]
    print(f"thresholds {t} / {t2} with the same number (seed {a.calibration_seed}); seed {a.report_seed}: "
          f"image only: true-match {r['image_only']['true_match_rate']}, false-match same-kind "
          f"{r['image_only']['false_match_rate_same_kind']}, same-template "
          f"{r['image_only']['false_match_rate_same_template']}; with the numbers: true-match "
          f"{r['with_content']['true_match_rate']}, false-match same-kind "
          f"{r['with_content']['false_match_rate_same_kind']}, same-template "
          f"{r['with_content']['false_match_rate_same_template']} → {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
