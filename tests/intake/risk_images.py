"""Bank-card photos generated in code for the image-reuse tests (no real personal data)."""

from __future__ import annotations

import random

import cv2
import numpy as np

from extractors.fingerprint import image_phash
from extractors.pipeline import reduce_for_search
from extractors.preprocess import find_document, rectify
from samples.generate import identities as ids
from samples.generate import photo, render

TEMPLATE = 20261207  # one card design (ICBC debit), drawn once


def card(number: str, holder: str, template: int = TEMPLATE):
    """A clean render of an ICBC debit card with this number and holder, in one design."""
    person = ids.make_identity(random.Random(holder), name=holder)
    c = ids.make_bank_card(random.Random(0), number=number)
    return render.render_bank_card(random.Random(template), person, card=c, print_holder=True,
                                   holder_style="chinese", print_type=True, unionpay=True)


def photograph(img: np.ndarray, truth: dict, seed: int, light: str | None = None, quality: int = 90,
               scale: float = 1.0) -> bytes:
    """A phone photo of ``img`` as JPEG bytes: angle from ``seed``, ``light`` a mild degradation."""
    shot, _ = photo.make_photo(img, truth, seed, degradations=[light] if light else [], orientation=0)
    if scale != 1.0:
        h, w = shot.shape[:2]
        shot = cv2.resize(shot, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", shot, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return buf.tobytes()


def phash_of(data: bytes) -> str:
    """The perceptual hash the pipeline takes: the document found, flattened, hashed."""
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    work, s = reduce_for_search(img)
    return image_phash(rectify(work, find_document(work), original=img, scale=s).image)
