"""The glare measure on bright paper: a highlight that erased the print is a solid clipped
plateau; bright paper reaches clipping only between strokes and in thin stretches."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from extractors import defaults as D
from extractors.quality import glare_area


def printed_page(paper: int, seed: int = 0) -> np.ndarray:
    """A document 600 × 400 px: paper at ``paper`` with sensor noise and rows of dark strokes
    every 30 px (text lines 14 px high), like a flattened certificate."""
    rng = np.random.default_rng(seed)
    img = np.full((400, 600), float(paper))
    for y in range(30, 380, 30):
        for x in range(30, 570, 18):
            cv2.rectangle(img, (x, y), (x + 11, y + 14), 40, 2)
    img += rng.normal(0, 1.5, img.shape)
    return cv2.cvtColor(np.clip(img, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2BGR)


def with_highlight(img: np.ndarray, axes: tuple[int, int]) -> np.ndarray:
    """A specular highlight: a clipped ellipse that erases the print under it."""
    out = img.copy()
    cv2.ellipse(out, (300, 200), axes, 20, 0, 360, (255, 255, 255), -1)
    return out


@pytest.mark.parametrize("paper", [245, 248, 250])
def test_bright_paper_alone_is_no_glare(paper):
    assert glare_area(printed_page(paper)) < D.GLARE_MIN_AREA


@pytest.mark.parametrize("paper", [245, 248, 250])
def test_a_large_highlight_on_bright_paper_is_glare(paper):
    # 170 × 110 px half-axes: about 24 % of the document
    assert glare_area(with_highlight(printed_page(paper), (170, 110))) >= D.GLARE_PLATEAU_MIN


def test_a_small_highlight_on_bright_paper_is_not_told_from_the_paper():
    # 5 % of the document: on paper this bright a plateau that small is within what
    # bright paper itself shows, so it is not reported
    assert glare_area(with_highlight(printed_page(248), (75, 50))) < D.GLARE_MIN_AREA


def test_a_small_highlight_on_ordinary_paper_is_glare():
    assert glare_area(with_highlight(printed_page(215), (75, 50))) >= D.GLARE_MIN_AREA


def test_clipped_paper_tells_nothing():
    # an overexposed document: the paper itself is clipped, so no highlight is told from it
    assert glare_area(with_highlight(printed_page(254), (170, 110))) < D.GLARE_MIN_AREA
