"""Finding the cards on a sheet (issue 6) without the recogniser: region finding only.

The border-line search (``split._line_quads``) must find a card whose border a stamp's
frame crosses or a grey copy left faint, and must not take a ruled table for cards.
"""

from __future__ import annotations

import random

import cv2
import numpy as np
import pytest

from extractors.pipeline import find_regions
from extractors.split import _iou, _line_quads, find_cards
from intake.commands.evaluate import _match_parts
from samples.generate.render import render_document
from samples.generate.sheets import render_sheet, render_two_page_scan


def _card_on_page(border_grey: int = 150, stamp_frame: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """A white page with one card outline (rounded corners, a few text bars), optionally
    a thick rotated stamp frame across its right side. Returns (grey page, card quad)."""
    page = np.full((1000, 707), 246, np.uint8)
    x0, y0, x1, y1 = 150, 200, 550, 452  # 400 × 252: the ID-1 aspect
    cv2.rectangle(page, (x0, y0), (x1, y1), border_grey, 2)
    for r in range(4):  # rounded corners: paper over the corner, an arc instead
        cx = x0 if r in (0, 3) else x1
        cy = y0 if r in (0, 1) else y1
        cv2.rectangle(page, (cx - 12, cy - 12), (cx + 12, cy + 12), 246, -1)
    for cx, cy, a in ((x0 + 12, y0 + 12, 180), (x1 - 12, y0 + 12, 270), (x1 - 12, y1 - 12, 0), (x0 + 12, y1 - 12, 90)):
        cv2.ellipse(page, (cx, cy), (12, 12), a, 0, 90, border_grey, 2)
    for i in range(5):
        cv2.rectangle(page, (x0 + 40, y0 + 35 + 40 * i), (x0 + 240, y0 + 50 + 40 * i), 60, -1)
    if stamp_frame:
        box = cv2.boxPoints(((x1, (y0 + y1) / 2), (260, 110), -25)).astype(np.int32)
        cv2.polylines(page, [box], True, 120, 6)
    quad = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)
    return page, quad


def test_a_card_whose_border_a_stamp_frame_crosses_is_found_by_its_border_lines():
    page, quad = _card_on_page()
    found = _line_quads(page)
    assert any(_iou(q, quad) > 0.9 for q in found), found


def test_a_faint_border_is_enough():
    page, quad = _card_on_page(border_grey=222, stamp_frame=False)
    assert any(_iou(q, quad) > 0.9 for q in _line_quads(page))


def test_a_ruled_table_is_not_taken_for_cards():
    """Cells of a table can have a card's proportions, but their sides run on past the
    corners into the next cells."""
    page = np.full((1000, 707), 246, np.uint8)
    for x in range(80, 640, 160):
        cv2.line(page, (x, 100), (x, 900), 40, 2)
    for y in range(100, 901, 100):
        cv2.line(page, (80, y), (560, y), 40, 2)
    assert _line_quads(page) == []


def test_a_textured_desk_makes_no_cards():
    rng = np.random.default_rng(3)
    noise = cv2.GaussianBlur(rng.integers(0, 255, (1000, 707)).astype(np.uint8), (3, 3), 0)
    assert _line_quads(noise) == []


#: sheets whose cards the fill- and contour-based search alone missed (a stamp across a
#: border, a dark card, a faint border); found by their border lines
HARD_SHEETS = (10, 18, 22, 26, 51, 52, 67, 68)


@pytest.mark.parametrize("seed", HARD_SHEETS)
def test_every_card_of_a_stamped_grey_sheet_is_found(seed):
    """Grey copies with a hand stamp across one card, in every ink: both cards are found
    where they are (IoU ≥ 0.5 with the truth, as ``baoquan eval`` matches them)."""
    ink = ("red", "blue", "grey")[seed % 3]
    page, truth = render_sheet(random.Random(100 + seed), grey=True, stamp=True, stamp_ink=ink)
    r = find_regions(page)
    regions = [{"region": (np.asarray(q) / r.scale).tolist(), "page": 1} for q in r.quads]
    pairs = _match_parts(truth["parts"], regions)
    assert all(j is not None for _, j in pairs), (len(regions), [p["kind"] for p in truth["parts"]])
    assert len(regions) == len(truth["parts"])


@pytest.mark.parametrize("kind", ["household_register", "income_proof", "marriage_certificate", "id_card_front"])
def test_single_documents_are_not_split(kind):
    img, _ = render_document(kind, random.Random(4))
    assert find_regions(img).quads == []


def test_one_card_scanned_on_an_a4_page_reports_its_region():
    pages, truth = render_two_page_scan(random.Random(8), grey=False)
    r = find_regions(pages[0])
    assert len(r.quads) == 1
    found = [{"region": (np.asarray(r.quads[0]) / r.scale).tolist(), "page": 1}]
    assert _match_parts([truth["parts"][0]], found)[0][1] == 0


def test_find_cards_keeps_the_better_drawn_of_nested_rectangles():
    page, quad = _card_on_page(stamp_frame=False)
    found = find_cards(cv2.cvtColor(page, cv2.COLOR_GRAY2BGR))
    assert len(found) == 1 and _iou(found[0], quad) > 0.9
