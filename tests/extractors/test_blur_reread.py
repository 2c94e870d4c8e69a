"""A blurred photo is still sent back for a retake, but the clerk is told what it is:
the reduced-copy reading (``pipeline._reread_reduced``) recovers the kind, real OCR."""

from __future__ import annotations

import random

import pytest

from extractors import defaults
from extractors.pipeline import extract
from samples.generate.photo import make_photo
from samples.generate.render import render_document
from tests.extractors.synth import encode

pytestmark = [pytest.mark.ocr, pytest.mark.slow]


def _blurred(kind: str, seed: int) -> tuple[bytes, tuple[int, int]]:
    img, truth = render_document(kind, random.Random(seed))
    photo, _ = make_photo(img, truth, random.Random(seed), {"defocus_blur": "strong"})
    return encode(photo), photo.shape[:2]


#: strongly defocused photos whose full-size reading alone was classified wrongly
@pytest.mark.parametrize("kind, seed", [("id_card_front", 6), ("marriage_certificate", 8)])
def test_blurred_photo_is_classified_from_a_reduced_copy(kind, seed, monkeypatch):
    data, (h, w) = _blurred(kind, seed)
    ex = extract(data, "blurred.jpg")
    assert ex.kind == kind
    assert any(i.code == "blur" and i.severity == "error" for i in ex.quality.issues)
    assert all(f.needs_review for f in ex.fields.values()), "an error-level issue: no field is trusted"
    boxes = [f.box for f in ex.fields.values() if f.box]
    assert boxes, "fields were read"
    for box in boxes:  # scaled back from the reduced copy and mapped onto the photo
        assert all(-2 <= x <= w + 2 and -2 <= y <= h + 2 for x, y in box), box
    spread = max(p[0] for b in boxes for p in b) - min(p[0] for b in boxes for p in b)
    assert spread > 0.2 * w, "boxes still at the reduced copy's scale"
    monkeypatch.setattr(defaults, "BLUR_REREAD_SCALES", ())
    assert extract(data, "blurred.jpg").kind != kind, "the full-size reading alone gets it wrong"
