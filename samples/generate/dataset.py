"""Writing labelled sets: ``generate_set(out_dir, n, seed, ...)`` and the helpers the
demo and the CLI share."""

from __future__ import annotations

import json
import os
import random

import cv2
import numpy as np

from .pdf import write_scanned_pdf, write_text_pdf
from .photo import make_photo, make_scan
from .render import render_document, render_pages
from .sheets import render_sheet, render_two_page_scan

__all__ = ["generate_set", "save_image", "save_truth", "save_judgment_pdf", "KIND_WEIGHTS"]

KIND_WEIGHTS = {
    "id_card_front": 3.0, "id_card_back": 2.5, "bank_card": 2.0, "income_proof": 1.5,
    "marriage_certificate": 1.0, "divorce_certificate": 0.7, "household_register": 1.0,
    "court_judgment": 0.8, "other": 1.0,
}


def _json_default(o):
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    raise TypeError(type(o))


def _flat(v) -> bool:
    """A list of scalars, or a list of such lists (a box): written on one line."""
    if not isinstance(v, list):
        return False
    return all(not isinstance(x, (dict, list)) or (isinstance(x, list) and all(
        not isinstance(y, (dict, list)) for y in x)) for x in v)


def to_json(v, indent: int = 0) -> str:
    """Pretty JSON with boxes and short lists kept on one line (sorted keys)."""
    pad = " " * (indent + 1)
    if isinstance(v, dict):
        if not v:
            return "{}"
        items = [f"{pad}{json.dumps(str(k), ensure_ascii=False)}: {to_json(v[k], indent + 1)}" for k in sorted(v)]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    if isinstance(v, list) and not _flat(v):
        return "[\n" + ",\n".join(pad + to_json(x, indent + 1) for x in v) + "\n" + " " * indent + "]"
    return json.dumps(v, ensure_ascii=False, default=_json_default)


def save_truth(path: str, truth: dict) -> None:
    t = {k: v for k, v in truth.items() if not k.startswith("_")}
    t = json.loads(json.dumps(t, ensure_ascii=False, default=_json_default))
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(to_json(t) + "\n")


def save_image(path: str, img: np.ndarray, quality: int = 90, max_bytes: int | None = 300_000) -> int:
    """JPEG with the given quality, lowered if needed to stay under max_bytes."""
    q = int(quality)
    while True:
        ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, q, cv2.IMWRITE_JPEG_OPTIMIZE, 1])
        if not ok:
            raise RuntimeError("JPEG encoding failed")
        if max_bytes is None or len(buf) <= max_bytes or q <= 40:
            break
        q -= 6
    with open(path, "wb") as fh:
        fh.write(buf.tobytes())
    return q


def save_judgment_pdf(path: str, rng: random.Random, identity=None, text_layer: bool = True, **overrides) -> dict:
    """Render a court judgment and write it as a text-layer PDF or a scanned PDF; returns truth."""
    pages, truth = render_pages(rng, identity, **overrides)
    if text_layer:
        write_text_pdf(path, pages, title=truth["title"], quality=50)
        truth.update(source="text_pdf", text_layer=True, degradations=[], expected_quality=[], dpi=150)
    else:
        scans = []
        for pg in pages:
            img = np.asarray(pg.img)[:, :, ::-1]
            s, _ = make_scan(img, {"kind": "court_judgment", "fields": {}}, rng, grey=rng.random() < 0.5)
            scans.append(s)
        write_scanned_pdf(path, scans, quality=rng.randint(50, 60))
        truth.update(source="scanned_pdf", text_layer=False, degradations=[], expected_quality=[], dpi=150)
    return truth


def _choose(rng: random.Random, kinds) -> str:
    ks = list(kinds)
    return rng.choices(ks, [KIND_WEIGHTS.get(k, 1.0) for k in ks])[0]


def generate_set(out_dir: str, n: int, seed: int = 1, *, kinds=None, sheets: int = 0, clean_ratio: float = 0.3,
                 include_inconsistent: bool = False, degradations=None) -> list[dict]:
    """Write ``n`` labelled documents (+ ``sheets`` multi-document files) to out_dir.

    Files: ``<kind>_<nnnn>.jpg|pdf`` with ``<stem>.truth.json`` beside each, and
    ``index.json`` (the returned list: one entry per file with its truth).
    ``degradations`` (optional) forces the degradation spec for every photo.
    """
    os.makedirs(out_dir, exist_ok=True)
    kinds = list(kinds or KIND_WEIGHTS)
    index: list[dict] = []
    counters: dict[str, int] = {}

    def stem_for(kind: str) -> str:
        counters[kind] = counters.get(kind, 0) + 1
        return f"{kind}_{counters[kind]:04d}"

    # balanced mix: each kind's share follows KIND_WEIGHTS, order shuffled by the seed
    total = sum(KIND_WEIGHTS.get(k, 1.0) for k in kinds)
    plan: list[str] = []
    for k in kinds:
        plan += [k] * int(n * KIND_WEIGHTS.get(k, 1.0) / total)
    fill_rng = random.Random(f"{seed}:plan")
    while len(plan) < n:
        plan.append(_choose(fill_rng, kinds))
    fill_rng.shuffle(plan)
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")
        kind = plan[i]
        stem = stem_for(kind)
        if kind == "court_judgment":
            fname = stem + ".pdf"
            truth = save_judgment_pdf(os.path.join(out_dir, fname), rng, text_layer=rng.random() < 0.5)
        else:
            overrides = {}
            if include_inconsistent and kind == "id_card_front" and rng.random() < 0.15:
                overrides["inconsistent"] = rng.choice(("birth_date", "sex", "id_17", "check_digit"))
            img, truth = render_document(kind, rng, **overrides)
            if rng.random() < clean_ratio and degradations is None:
                out, truth = make_scan(img, truth, rng)
            else:
                out, truth = make_photo(img, truth, rng, degradations)
            fname = stem + ".jpg"
            save_image(os.path.join(out_dir, fname), out, truth["jpeg_quality"])
        truth["file"] = fname
        save_truth(os.path.join(out_dir, stem + ".truth.json"), truth)
        index.append({"file": fname, "truth": stem + ".truth.json", "kind": truth["kind"],
                      "degradations": truth.get("degradations", []),
                      "expected_quality": truth.get("expected_quality", []),
                      "inconsistent": truth.get("inconsistent")})
    for j in range(sheets):
        rng = random.Random(f"{seed}:sheet:{j}")
        stem = stem_for("multiple")
        r = rng.random()
        if r < 0.2:
            pages, truth = render_two_page_scan(rng)
            fname = stem + ".pdf"
            write_scanned_pdf(os.path.join(out_dir, fname), pages, quality=60)
        else:
            img, truth = render_sheet(rng)
            if r < 0.45:  # photographed copy on a desk
                img, truth = make_photo(img, truth, rng, [] if rng.random() < 0.5 else None)
            fname = stem + ".jpg"
            save_image(os.path.join(out_dir, fname), img, truth.get("jpeg_quality", 88))
        truth["file"] = fname
        save_truth(os.path.join(out_dir, stem + ".truth.json"), truth)
        index.append({"file": fname, "truth": stem + ".truth.json", "kind": "multiple",
                      "degradations": truth.get("degradations", []),
                      "expected_quality": truth.get("expected_quality", []), "inconsistent": None})
    with open(os.path.join(out_dir, "index.json"), "w", encoding="utf-8") as fh:
        json.dump({"seed": seed, "n": n, "sheets": sheets, "files": index}, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return index
