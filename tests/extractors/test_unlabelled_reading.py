"""Documents as others make them: labels that vanished on a copy, a seal over the closing
date, a day hidden under it, a dark card on a dark desk, a foreign-brand card.

Each image is composed here from simple parts (a card rendered with its labels in the
background's colour, a page, a desk), run through the real pipeline and OCR, and judged
on the one rule that matters most: a value is either right or flagged, never a wrong
value with ``needs_review: false`` — and never a partial value completed.
"""

from __future__ import annotations

import random

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors import preprocess
from extractors.fields import parse_fields
from extractors.normalize import bank_card
from extractors.ocr import get_engine
from extractors.pipeline import extract
from extractors.types import OcrLine, ParseInput
from samples.generate.photo import photocopy
from samples.generate.render import render_bank_card, render_id_front

MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
PAPER_GREY = (228, 232, 236)  # the labels printed in nearly the card's own colour


@pytest.fixture(scope="module")
def ocr_engine():
    return get_engine("rapidocr")


def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        return ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", size)


def _jpeg(image: np.ndarray) -> bytes:
    return cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 92])[1].tobytes()


def _small_copy_page(seed: int) -> tuple[bytes, dict]:
    """An ID card's portrait side with labels that did not survive, copied at a third of
    an A4 page's width (the copier draws the card's edge as a grey line)."""
    rng = random.Random(seed)
    card, truth = render_id_front(rng, label_ink=PAPER_GREY)
    card = photocopy(card, rng)
    page = np.full((1754, 1240, 3), 238, np.uint8)
    w = 1240 // 3
    h = int(round(w * card.shape[0] / card.shape[1]))
    x, y = 200, 300
    page[y:y + h, x:x + w] = cv2.resize(card, (w, h), interpolation=cv2.INTER_AREA)
    cv2.rectangle(page, (x - 1, y - 1), (x + w, y + h), (150, 150, 150), 2)
    return _jpeg(page), truth["fields"]


def _assert_right_or_flagged(fields: dict, truth: dict) -> None:
    for name, f in fields.items():
        if name in truth and f.value != truth[name]:
            assert f.needs_review, f"{name}: {f.value!r} for {truth[name]!r} was not flagged"


@pytest.mark.slow
@pytest.mark.parametrize("seed", [3, 8])
def test_a_card_copied_small_with_unreadable_labels_still_gives_every_field(seed, ocr_engine):
    data, truth = _small_copy_page(seed)
    ex = extract(data, "copy.jpg", ocr_engine)
    assert ex.kind == "id_card_front", [ln.text for ln in ex.lines]
    got = {k: f.value for k, f in ex.fields.items()}
    for name in ("name", "sex", "ethnicity", "birth_date", "address", "id_number"):
        assert got.get(name) == truth[name], (name, got.get(name), truth[name])
    _assert_right_or_flagged(ex.fields, truth)
    # nothing confirms a name or an address read without its label
    assert ex.fields["name"].needs_review and ex.fields["address"].needs_review


def _lines(*rows: str) -> list[OcrLine]:
    return [OcrLine(t, 0.98, [[40, 40 + 50 * i], [900, 40 + 50 * i], [900, 80 + 50 * i], [40, 80 + 50 * i]], 1)
            for i, t in enumerate(rows)]


def test_a_date_whose_day_is_hidden_is_returned_as_read_and_flagged():
    lines = _lines("收入证明", "兹证明王建国同志（身份证号：110105198503071234）系我单位正式员工，",
                   "现任销售经理，月收入人民币12000元，年收入人民币144000元。", "特此证明。",
                   "北京宏达文化传媒股份有限公司", "2024年5月1")
    f = parse_fields("income_proof", ParseInput(lines=lines, width=1240, height=1754))["issue_date"]
    assert f.value == "2024-05" and f.needs_review and "partial_value" in f.reasons


def test_a_birth_date_without_its_closing_character_is_flagged():
    """1985年3月1 may be the 1st or the 10th–19th: kept as read, flagged."""
    lines = _lines("姓名 王建国", "性别 男 民族 汉", "出生 1985年3月1", "住址 北京市朝阳区建国路88号", "公民身份号码 110105198503071230")
    f = parse_fields("id_card_front", ParseInput(lines=lines, width=1100, height=694))["birth_date"]
    assert f.value == "1985-03-01" and f.needs_review and "partial_value" in f.reasons


def test_a_faded_closing_character_is_settled_by_the_number():
    """On a light copy 年月日 fade with the labels; the valid number encoding the same date
    confirms the day was whole."""
    lines = _lines("姓名 王建国", "性别 男 民族 汉", "出生 1985年3月7", "住址 北京市朝阳区建国路88号", "公民身份号码 110105198503071230")
    f = parse_fields("id_card_front", ParseInput(lines=lines, width=1100, height=694))["birth_date"]
    assert f.value == "1985-03-07" and not f.needs_review


@pytest.mark.slow
def test_a_field_under_a_seal_is_flagged(ocr_engine):
    """An employer's seal stamped across the closing lines of an income proof (the
    signature block): the name and the date read through it go to review."""
    from pathlib import Path

    data = (Path(__file__).parents[2] / "samples/docs/income_05.jpg").read_bytes()
    ex = extract(data, "income_05.jpg", ocr_engine)
    assert ex.kind == "income_proof"
    for name in ("employer", "issue_date"):
        assert ex.fields[name].needs_review and "seal_overlap" in ex.fields[name].reasons, ex.fields[name]
    assert "seal_overlap" not in ex.fields["name"].reasons  # the seal is at the foot, not the top


def _on_desk(card: np.ndarray, desk: tuple[int, int, int], angle: float = 3.0) -> np.ndarray:
    W, H = 1600, 1200
    rng = np.random.default_rng(1)
    out = np.clip(np.full((H, W, 3), desk, np.int16) + rng.normal(0, 4, (H, W, 3)).astype(np.int16), 0, 255)
    out = out.astype(np.uint8)
    h, w = card.shape[:2]
    M = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 0.675 * W / w)
    M[0, 2] += W / 2 - w / 2
    M[1, 2] += H / 2 - h / 2
    mask = cv2.warpAffine(np.full((h, w), 255, np.uint8), M, (W, H)) > 0
    out[mask] = cv2.warpAffine(card, M, (W, H))[mask]
    return out


@pytest.mark.slow
def test_a_dark_card_on_a_dark_desk_keeps_its_left_edge(ocr_engine):
    card, truth = render_bank_card(random.Random(2))
    dark = (card.astype(np.float32) * 0.45).astype(np.uint8)
    ex = extract(_jpeg(_on_desk(dark, (38, 34, 32))), "dark.jpg", ocr_engine)
    assert ex.kind == "bank_card"
    assert ex.fields["card_number"].value == truth["fields"]["card_number"]  # the first digits are there
    assert ex.fields["bank_name"].value == truth["fields"]["bank_name"]
    _assert_right_or_flagged(ex.fields, truth["fields"])


@pytest.mark.slow
def test_an_outline_cutting_into_the_card_is_widened_and_read_again(ocr_engine, monkeypatch):
    """Where the outline found lies inside the card (its dark edge lost on a dark desk),
    the number's first digits fall outside the crop; the line touching the crop's edge
    shows it, and the card is read again through a wider outline."""
    card = _foreign_card("4111 1111 1111 1111", "VISA", (20, 40, 110), number_x=28)  # 2.8 % from the edge
    photo = _on_desk(card, (120, 110, 100), angle=0.0)
    real = preprocess.find_document

    def inside_the_card(image, *a, **kw):
        found = real(image, *a, **kw)
        if found.quad is None:
            return found
        q = found.quad.copy()
        cut = 0.045 * (q[1, 0] - q[0, 0])  # through the number's first digit
        q[0, 0] += cut
        q[3, 0] += cut
        return preprocess.DocumentOutline(quad=q, area_ratio=found.area_ratio, border_contact=found.border_contact,
                                          method=found.method)

    monkeypatch.setattr("extractors.pipeline.find_document", inside_the_card)
    ex = extract(_jpeg(photo), "cut.jpg", ocr_engine)
    assert ex.measurements.get("widened")  # the first crop cut a line; the wider one did not
    assert ex.fields["card_number"].value == "4111111111111111"


def _foreign_card(number: str, brand: str, background: tuple[int, int, int], number_x: int = 60) -> np.ndarray:
    img = Image.new("RGB", (1012, 638), background)
    d = ImageDraw.Draw(img)
    d.text((60, 50), "GLOBAL TRUST BANK", font=_font(SANS, 44), fill=(235, 235, 235))
    d.text((number_x, 300), number, font=_font(MONO, 66), fill=(245, 245, 245))
    d.text((330, 420), "VALID THRU 09/29", font=_font(SANS, 30), fill=(230, 230, 230))
    d.text((60, 520), "JOHN SMITH", font=_font(SANS, 40), fill=(240, 240, 240))
    d.text((760, 500), brand, font=_font(SANS, 80), fill=(250, 250, 250))
    d.text((620, 60), "SPECIMEN", font=_font(SANS, 40), fill=(200, 60, 60))
    return cv2.cvtColor(np.array(img), cv2.COLOR_RGB2BGR)


@pytest.mark.slow
@pytest.mark.parametrize("number, brand", [("4111 1111 1111 1111", "VISA"), ("5500 0055 5555 5559", "mastercard"),
                                           ("3530 1113 3330 0000", "JCB")])
def test_a_foreign_brand_card_is_a_bank_card(number, brand, ocr_engine):
    ex = extract(_jpeg(_on_desk(_foreign_card(number, brand, (20, 40, 110)), (120, 110, 100))), "card.jpg", ocr_engine)
    assert ex.kind == "bank_card"
    f = ex.fields["card_number"]
    assert f.value == number.replace(" ", "") and bank_card.is_valid(f.value)
    assert f.needs_review and "unknown_bin" in f.reasons  # no issuer in the table vouches for it
    assert "bank_name" not in ex.fields  # no Chinese bank printed: null, not a guess
    assert ex.fields["card_type"].value in ("debit", "credit", "unknown")
