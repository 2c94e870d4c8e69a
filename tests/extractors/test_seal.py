"""Red seal detection on drawn pages (and on a generator render when available)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from extractors.seal import detect_seal

RED = (30, 30, 220)  # BGR


def page(w=1240, h=1754):
    img = np.full((h, w, 3), 250, np.uint8)
    for y in range(200, 900, 50):  # some black body text
        cv2.putText(img, "income proof text line", (150, y), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (20, 20, 20), 2)
    return img


def seal(img, center=(900, 1300), r=170, axes=None, thickness=8):
    if axes:
        cv2.ellipse(img, center, axes, 0, 0, 360, RED, thickness)
    else:
        cv2.circle(img, center, r, RED, thickness)
    cx, cy = center
    star = np.array([[cx, cy - 40], [cx + 12, cy - 10], [cx + 40, cy - 10], [cx + 18, cy + 8], [cx + 26, cy + 38],
                     [cx, cy + 20], [cx - 26, cy + 38], [cx - 18, cy + 8], [cx - 40, cy - 10], [cx - 12, cy - 10]])
    cv2.fillPoly(img, [star], RED)
    cv2.putText(img, "SEAL CO LTD", (cx - 100, cy + 90), cv2.FONT_HERSHEY_SIMPLEX, 0.9, RED, 2)
    return img


def test_no_seal():
    r = detect_seal(page())
    assert not r.present and r.confidence > 0.5


def test_round_seal():
    r = detect_seal(seal(page()))
    assert r.present and r.confidence >= 0.8
    (x0, y0), (x1, y1) = r.box[0], r.box[2]
    assert 700 <= x0 <= 740 and 1060 <= x1 <= 1100 and 1100 <= y0 <= 1140 and 1460 <= y1 <= 1500


def test_elliptical_seal():
    assert detect_seal(seal(page(), axes=(200, 140))).present


def test_faint_thin_ring_on_card():
    img = np.full((638, 1012, 3), 245, np.uint8)
    cv2.circle(img, (800, 450), 90, (60, 60, 200), 4)
    assert detect_seal(img).present


@pytest.mark.parametrize("draw", [
    lambda img: cv2.putText(img, "RED HEADING TEXT", (200, 150), cv2.FONT_HERSHEY_SIMPLEX, 3, RED, 8),
    lambda img: cv2.rectangle(img, (100, 1200), (700, 1350), RED, -1),
    lambda img: cv2.circle(img, (600, 1500), 8, RED, -1),
    lambda img: cv2.line(img, (100, 1000), (1100, 1000), RED, 6),
    lambda img: cv2.ellipse(img, (600, 1400), (400, 60), 0, 0, 360, RED, 6),
])
def test_red_things_that_are_not_seals(draw):
    img = page()
    draw(img)
    assert not detect_seal(img).present


@pytest.mark.parametrize("junk", [None, np.zeros((10, 10), np.uint8), np.zeros((0, 0, 3), np.uint8)])
def test_junk_input(junk):
    assert not detect_seal(junk).present


def test_generator_income_proof_has_seal():
    from samples.generate.render import render_document

    bgr, truth = render_document("income_proof", 7)
    r = detect_seal(bgr)
    assert r.present is (truth["fields"].get("has_seal") == "true")


def test_suppression_fades_the_seal_and_keeps_the_print_under_it():
    from extractors.seal import suppress_seals

    img = seal(page())
    cv2.putText(img, "2023 06 19", (760, 1310), cv2.FONT_HERSHEY_SIMPLEX, 1.4, (20, 20, 20), 3)  # under the seal
    heading = (30, 30, 220)
    cv2.putText(img, "RED HEADING", (150, 120), cv2.FONT_HERSHEY_SIMPLEX, 2, heading, 6)
    out = suppress_seals(img)
    ring = out[1300 - 170 - 2:1300 - 170 + 3, 895:905]
    assert ring.min() >= 240, "the red ring becomes paper"
    assert not detect_seal(out).present
    under = out[1270:1320, 760:1040]
    assert (under.max(axis=2) < 90).sum() == pytest.approx((img[1270:1320, 760:1040].max(axis=2) < 90).sum(), rel=0.15), \
        "the black print under the seal stays"
    assert np.array_equal(out[60:140, 100:700], img[60:140, 100:700]), "red print outside seals is untouched"


def test_suppression_leaves_a_page_without_seal_alone():
    from extractors.seal import suppress_seals

    img = page()
    assert suppress_seals(img) is img
