"""The plan (which kinds, how many) and the path of one document from drawing to files."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from pathlib import Path

import numpy as np
from PIL import Image

from . import artefacts, sheets
from .artefacts import map_points
from .canvas import Rendered
from .identities import pick_person
from .render_bank import render_bank_card
from .render_civil import render_certificate, render_household
from .render_court import render_court
from .render_id import LABEL_BLUES, render_back, render_front
from .render_income import render_income
from .render_other import render_other

MIX_240 = {
    "id_card_front": 50, "id_card_back": 35, "multiple": 45, "bank_card": 40, "income_proof": 25,
    "marriage_certificate": 10, "divorce_certificate": 8, "household_register": 10, "court_judgment": 10,
    "other": 7,
}
PALE_LABELS = [(150, 192, 215), (165, 200, 220), (180, 208, 224), (190, 212, 226), (130, 180, 210)]


def plan(n: int, seed: int) -> list[tuple[str, str]]:
    """[(kind, variant)] for n documents, in a seeded shuffled order."""
    total = sum(MIX_240.values())
    raw = {k: n * v / total for k, v in MIX_240.items()}
    counts = {k: int(math.floor(v)) for k, v in raw.items()}
    if n >= len(MIX_240):
        for k in counts:
            counts[k] = max(1, counts[k])
    floor = 1 if n >= len(MIX_240) else 0
    while sum(counts.values()) > n:
        k = max((k for k in counts if counts[k] > floor), key=lambda k: (counts[k] - raw[k], counts[k]))
        counts[k] -= 1
    order = sorted(MIX_240, key=lambda k: raw[k] - counts[k], reverse=True)
    i = 0
    while sum(counts.values()) < n:
        counts[order[i % len(order)]] += 1
        i += 1
    items: list[tuple[str, str]] = []
    for kind, c in counts.items():
        if kind == "bank_card":
            foreign = max(1 if c >= 3 else 0, math.ceil(c * 0.22))
            items += [(kind, "foreign")] * foreign + [(kind, "cn")] * (c - foreign)
        elif kind in ("id_card_front", "id_card_back"):
            copies = round(c * 0.16)
            items += [(kind, "copy")] * copies + [(kind, "card")] * (c - copies)
        else:
            items += [(kind, "")] * c
    rng = random.Random(f"unseen-plan:{seed}")
    rng.shuffle(items)
    return items


MODES = {  # (clean, scan, photo) weights for an original
    "card": (0.12, 0.3, 0.58),
    "bank": (0.05, 0.2, 0.75),
    "a4": (0.2, 0.45, 0.35),
    "booklet": (0.1, 0.35, 0.55),
    "receipt": (0.05, 0.25, 0.7),
}


def _pick_mode(rng: random.Random, key: str) -> str:
    w = MODES[key]
    return rng.choices(["clean", "scan", "photo"], weights=w)[0]


def _photocopy_page(rng: random.Random, r: Rendered) -> Rendered:
    arr = artefacts.photocopy(np.asarray(r.image.convert("RGB")), rng)
    r.image = Image.fromarray(arr)
    r.copy = True
    r.notes = ["toner_speckle"] + r.notes
    return r


def render(kind: str, variant: str, rng: random.Random, today: dt.date) -> tuple[Rendered, str]:
    """Draw the document; returns (rendered, mode key for the artefact stage)."""
    if kind == "multiple":
        person = pick_person(rng)
        width = rng.choice([900, 1012, 1100])
        labels = rng.choice(PALE_LABELS) if rng.random() < 0.6 else rng.choice(LABEL_BLUES)
        front = render_front(rng, person, width=width, label_colour=labels)
        back = render_back(rng, person, width=width, label_colour=labels, today=today)
        cards = [front, back] if rng.random() < 0.85 else [back, front]
        return sheets.copy_sheet(rng, cards, kind="multiple", today=today, owner_name=person.name.text), "a4"
    if kind in ("id_card_front", "id_card_back"):
        person = pick_person(rng)
        labels = rng.choice(PALE_LABELS) if variant == "copy" and rng.random() < 0.5 else None
        card = (render_front(rng, person, label_colour=labels) if kind == "id_card_front"
                else render_back(rng, person, label_colour=labels, today=today))
        if variant == "copy":
            return sheets.copy_sheet(rng, [card], kind=kind, today=today, owner_name=person.name.text,
                                     crop=rng.random() < 0.6), "a4"
        return card, "card"
    if kind == "bank_card":
        return render_bank_card(rng, foreign=variant == "foreign"), "bank"
    if kind == "income_proof":
        r = render_income(rng, today)
    elif kind == "marriage_certificate":
        r = render_certificate(rng, today, divorce=False)
    elif kind == "divorce_certificate":
        r = render_certificate(rng, today, divorce=True)
    elif kind == "household_register":
        r = render_household(rng, today)
    elif kind == "court_judgment":
        r = render_court(rng, today)
    elif kind == "other":
        r = render_other(rng, today)
    else:
        raise ValueError(kind)
    copy_p = {"household_register": 0.3, "marriage_certificate": 0.1, "divorce_certificate": 0.15,
              "income_proof": 0.08, "court_judgment": 0.15, "other": 0.0}[kind]
    if rng.random() < copy_p:
        r = _photocopy_page(rng, r)
    return r, r.paper if r.paper in MODES else "a4"


def _clip_quad(q: list[list[float]], w: int, h: int) -> list[list[float]]:
    return [[min(max(x, 0.0), float(w)), min(max(y, 0.0), float(h))] for x, y in q]


def _dedupe(items: list[str]) -> list[str]:
    out: list[str] = []
    for it in items:
        if it not in out:
            out.append(it)
    return out


def make_document(out: Path, index: int, seed: int, kind: str, variant: str) -> dict:
    rng = random.Random(f"unseen:{seed}:{index}")
    today = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(540))
    rendered, key = render(kind, variant, rng, today)
    if rendered.copy:
        mode = rng.choices(["clean", "scan", "photo"], weights=(0.2, 0.5, 0.3))[0]
    else:
        mode = _pick_mode(rng, key)
    strong = None
    if mode == "photo" and rng.random() < 0.14:
        strong = rng.choices(["blur", "too_dark", "glare"],
                             weights=(1, 1, 1.5 if rendered.paper == "card" else 0.6))[0]
    shot = artefacts.finish(rendered, rng, mode, strong=strong)
    h, w = shot.image.shape[:2]
    name = f"unseen_{seed}_{index:04d}"
    fname = f"{name}.{shot.fmt}"
    img = Image.fromarray(shot.image)
    if shot.fmt == "jpg":
        img.save(out / fname, format="JPEG", quality=shot.quality)
    else:
        img.save(out / fname, format="PNG", compress_level=2)
    truth: dict = {
        "file": fname,
        "kind": rendered.kind,
        "fields": rendered.fields,
        "degradations": _dedupe(shot.degradations + rendered.notes),
        "expected_quality": _dedupe(shot.expected),
        "orientation": (rendered.rotation + shot.orientation) % 360,
        "source": shot.source,
        "size": [w, h],
        "generator": "unseen",
    }
    if rendered.boxes:
        truth["boxes"] = {k: _clip_quad(map_points(shot.H, q), w, h) for k, q in rendered.boxes.items()}
    if rendered.obscured:
        truth["obscured"] = dict(rendered.obscured)
    if rendered.kind == "multiple":
        parts = []
        for p in rendered.parts or []:
            part = {"kind": p["kind"], "fields": p["fields"],
                    "region": _clip_quad(map_points(shot.H, p["corners"]), w, h),
                    "orientation": (p["rotation"] + shot.orientation) % 360,
                    "boxes": {k: _clip_quad(map_points(shot.H, q), w, h) for k, q in p["boxes"].items()}}
            if p["obscured"]:
                part["obscured"] = dict(p["obscured"])
            parts.append(part)
        truth["parts"] = parts
    with open(out / f"{name}.truth.json", "w", encoding="utf-8") as fh:
        json.dump(truth, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return truth


def generate(out: str | Path, n: int = 240, seed: int = 11, progress=None) -> list[dict]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    truths = []
    for i, (kind, variant) in enumerate(plan(n, seed)):
        truths.append(make_document(out, i, seed, kind, variant))
        if progress:
            progress(i + 1, n, truths[-1])
    return truths
