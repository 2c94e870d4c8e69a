"""The quality gate's rules over measurements: each code fires on its own evidence."""

from __future__ import annotations

import dataclasses

import pytest

from extractors.quality import Measurements, assess

GOOD = Measurements(sharpness=0.6, glare_area=0.0, mean_grey=180.0, p95_grey=230.0, chroma_p99=30.0,
                    chroma_spread=8.0, text_contrast=150.0, text_height_px=30.0, doc_short_px=700.0,
                    border_contact=0.0, area_ratio=0.5, outline_method="edges", text_chars=80,
                    mean_confidence=0.97, text_at_edge=0, occlusion=0.0)


def codes(m: Measurements, kind: str = "id_card_front") -> dict[str, str]:
    return {i.code: i.severity for i in assess(m, kind)}


def test_a_good_photo_passes():
    assert codes(GOOD) == {}


@pytest.mark.parametrize("height, flagged", [(10.0, True), (16.0, True), (17.5, False), (30.0, False)])
def test_low_resolution_from_the_text_height(height, flagged):
    assert ("low_resolution" in codes(dataclasses.replace(GOOD, text_height_px=height))) is flagged


@pytest.mark.parametrize("share, severity", [(0.0, None), (0.005, None), (0.012, "warning"), (0.1, "error")])
def test_occluded_from_the_finger_share(share, severity):
    assert codes(dataclasses.replace(GOOD, occlusion=share)).get("occluded") == severity


@pytest.mark.parametrize("method, contact, area, at_edge, flagged", [
    ("edges", 0.3, 0.9, 0, True),        # the document's own border on the frame
    ("segment", 0.3, 0.4, 0, True),      # a small region running far along the frame
    ("segment", 0.3, 0.7, 0, False),     # a big region: a shadow spilling to the frame
    ("segment", 0.1, 0.4, 0, False),     # touching the frame only a little
    ("segment", 0.1, 0.7, 1, True),      # ... but cutting a text line
    ("segment", 0.3, 0.99, 0, True),     # filling the frame edge to edge
    ("edges", 0.02, 0.9, 0, False),      # a corner grazing the frame
])
def test_cropped_rules(method, contact, area, at_edge, flagged):
    m = dataclasses.replace(GOOD, outline_method=method, border_contact=contact, area_ratio=area,
                            text_at_edge=at_edge)
    assert ("document_cropped" in codes(m, "income_proof")) is flagged
