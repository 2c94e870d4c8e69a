"""Parsers against the sample generator's layouts, without OCR.

The generator (``samples.generate``, another engineer's module) records every text run
it draws. Those runs become OcrLines — a perfect "text layer" in the split shape (label
and value in separate boxes) — and, after joining boxes that sit close on a row, the
joined shape engines produce. Every parsed value must match the generator's truth, and
none may be wrong without ``needs_review``. Skipped when the generator is unavailable.
"""

from __future__ import annotations

import pytest

from extractors.classify import classify
from extractors.fields import parse_fields
from extractors.fields._layout import reading_order
from extractors.types import OcrLine, ParseInput

from samples.generate import render

SEEDS = {"court_judgment": (0, 1)}
KINDS = ["id_card_front", "id_card_back", "bank_card", "income_proof", "marriage_certificate",
         "divorce_certificate", "household_register", "court_judgment"]
CASES = [(k, s, shape) for k in KINDS for s in SEEDS.get(k, (0, 1, 2)) for shape in ("split", "joined")]


def text_layer(pages) -> list[OcrLine]:
    out = []
    for page in pages:
        for ln in page.lines:
            chars = ln["chars"]
            text = "".join(c for c, _ in chars)
            if not text.strip():
                continue
            ft = ln["font"]
            x0, x1 = chars[0][1], chars[-1][1] + ft.getlength(chars[-1][0])
            asc, desc = ft.getmetrics()
            y0, y1 = ln["baseline"] - asc * 0.85, ln["baseline"] + desc * 0.5
            out.append(OcrLine(text.strip(), 0.99, [[x0, y0], [x1, y0], [x1, y1], [x0, y1]], page=page.page_no))
    return out


def join_rows(lines: list[OcrLine], gap: float = 1.2) -> list[OcrLine]:
    out = []
    for row in reading_order(lines):
        cur = None
        for ln in row:
            if cur is not None and ln.page == cur.page and ln.x0 - cur.x1 <= gap * max(cur.height, ln.height):
                y0, y1 = min(cur.y0, ln.y0), max(cur.y1, ln.y1)
                cur = OcrLine(cur.text + " " + ln.text, min(cur.confidence, ln.confidence),
                              [[cur.x0, y0], [ln.x1, y0], [ln.x1, y1], [cur.x0, y1]], cur.page)
            else:
                if cur is not None:
                    out.append(cur)
                cur = ln
        if cur is not None:
            out.append(cur)
    return out


@pytest.fixture
def drawn_pages(monkeypatch):
    pages = []
    base = render.Page

    class Recording(base):  # type: ignore[misc, valid-type]
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            pages.append(self)

    monkeypatch.setattr(render, "Page", Recording)
    return pages


@pytest.mark.slow
@pytest.mark.parametrize("kind, seed, shape", CASES, ids=[f"{k}-{s}-{sh}" for k, s, sh in CASES])
def test_generated_layouts(drawn_pages, kind, seed, shape):
    img, truth = render.render_document(kind, seed)
    lines = text_layer(drawn_pages)
    if shape == "joined":
        lines = join_rows(lines)
    h, w = img.shape[:2]
    assert classify(lines, w, h)[0] == truth["kind"]
    got = parse_fields(truth["kind"], ParseInput(lines, width=w, height=h))
    wrong_unflagged = {k: (f.value, truth["fields"].get(k)) for k, f in got.items()
                       if k in truth["fields"] and not f.needs_review and f.value != truth["fields"][k]}
    assert not wrong_unflagged
    missing = {k: v for k, v in truth["fields"].items()
               if k != "has_seal" and (k not in got or got[k].value != v)}
    assert not missing, {k: (got[k].value if k in got else None, got[k].reasons if k in got else None, v)
                         for k, v in missing.items()}


# --------------------------------------------------------------------------- OCR noise

_FW = str.maketrans("0123456789:", "０１２３４５６７８９：")
_LOOK = {"0": "O", "1": "l", "5": "S", "8": "B", "2": "Z", "6": "G"}
#: fields a checksum, a vocabulary or a cross-check can vouch for; free text (names,
#: addresses) cannot be checked, so a confident misread there is out of any parser's reach
CHECKABLE = {"id_number", "birth_date", "sex", "card_number", "valid_from", "valid_until",
             "holder_id_number", "spouse_id_number", "ethnicity"}


def perturb(lines: list[OcrLine], rng) -> list[OcrLine]:
    """What engines do: full-width digits, inserted spaces, a digit read as a look-alike
    letter or as another digit with high confidence, low-confidence lines."""
    out = []
    for ln in lines:
        t, c = ln.text, ln.confidence
        r = rng.random()
        digits = [i for i, ch in enumerate(t) if ch.isdigit()]
        if r < 0.08:
            t = t.translate(_FW)
        elif r < 0.16:
            t = " ".join(t)
        elif r < 0.26 and any(ch in _LOOK for ch in t):
            i = rng.choice([i for i, ch in enumerate(t) if ch in _LOOK])
            t, c = t[:i] + _LOOK[t[i]] + t[i + 1:], rng.uniform(0.9, 0.99)
        elif r < 0.36 and digits:
            i = rng.choice(digits)
            t, c = t[:i] + rng.choice("0123456789") + t[i + 1:], rng.uniform(0.9, 0.99)
        elif r < 0.42:
            c = rng.uniform(0.5, 0.89)
        out.append(OcrLine(t, c, ln.box, ln.page))
    return out


NOISY = [(k, s) for k in ("id_card_front", "id_card_back", "bank_card", "marriage_certificate",
                          "household_register") for s in range(4)]


@pytest.mark.slow
@pytest.mark.parametrize("kind, seed", NOISY, ids=[f"{k}-{s}" for k, s in NOISY])
def test_noisy_readings_are_right_or_flagged(drawn_pages, kind, seed):
    import random

    img, truth = render.render_document(kind, seed)
    rng = random.Random(seed)
    lines = text_layer(drawn_pages)
    if rng.random() < 0.5:
        lines = join_rows(lines)
    lines = perturb(lines, rng)
    got = parse_fields(kind, ParseInput(lines, width=img.shape[1], height=img.shape[0]))
    wrong_unflagged = {k: (f.value, truth["fields"][k]) for k, f in got.items()
                       if k in CHECKABLE and k in truth["fields"] and not f.needs_review
                       and f.value != truth["fields"][k]}
    assert not wrong_unflagged
