"""Risk warnings a case file shows (file metadata, documents against each other,
relationships) and the risk score: warnings only, never errors; table-driven where it can be."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal

import pytest
from PIL import Image

from extractors.fingerprint import bands, file_metadata, hamming, image_phash
from tests.verify.verify_builders import (CHILD, OTHER, PH, SPOUSE, back, card, case, certificate, clean, front,
                                          household, income)
from verify.codes import RISK_WARNING_CODES
from verify.engine import verify
from verify.errors import RulesError
from verify.requirements import DEFAULT_RULES_PATH, default_rules, parse_rules
from verify.risk import AgentHistory, money_at_stake, risk_score

RULES_TEXT = DEFAULT_RULES_PATH.read_text(encoding="utf-8")


def _jpeg(size=(1600, 1200), **tags) -> bytes:
    """A JPEG written by Pillow with the given EXIF tags (names as in ``file_metadata``)."""
    im = Image.new("RGB", size, (200, 190, 180))
    exif = Image.Exif()
    numbers = {"make": 271, "model": 272, "software": 305, "datetime": 306}
    for k, v in tags.items():
        if k in numbers:  # EXIF strings are ASCII: a Chinese editor's name goes in as UTF-8 bytes
            exif[numbers[k]] = v if v.isascii() else v.encode("utf-8")
    sub = {}
    if "datetime_original" in tags:
        sub[36867] = tags["datetime_original"]
    if "user_comment" in tags:
        sub[37510] = b"ASCII\x00\x00\x00" + tags["user_comment"].encode()
    if sub:
        exif[0x8769] = sub
    buf = io.BytesIO()
    im.save(buf, "JPEG", exif=exif.tobytes())
    return buf.getvalue()


def _png(size) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, "white").save(buf, "PNG")
    return buf.getvalue()


def _with_file(data: bytes, docs=None, uploaded: datetime | None = None):
    """The clean id_renewal case whose ID front is the file ``data`` (its metadata attached)."""
    c, ds = clean("id_renewal")
    ds[0].fingerprint = {"file": file_metadata(data)}
    if uploaded is not None:
        d = c.model_dump(mode="json")
        d["uploaded_at"] = {ds[0].file: uploaded.isoformat()}
        c = type(c).model_validate(d)
    return c, ds


def _codes(v):
    return [d.code for d in v.discrepancies]


CAMERA = {"make": "HUAWEI", "model": "ELS-AN00", "datetime_original": "2026:11:19 10:15:00"}


@pytest.mark.parametrize("tags,size,expected", [
    (CAMERA, (1600, 1200), []),
    ({**CAMERA, "software": "Adobe Photoshop 25.0 (Windows)"}, (1600, 1200), ["edited_file"]),
    ({**CAMERA, "software": "美图秀秀"}, (1600, 1200), ["edited_file"]),
    ({**CAMERA, "software": "Snapseed 2.0"}, (1600, 1200), ["edited_file"]),
    ({**CAMERA, "software": "GIMP 2.10.36"}, (1600, 1200), ["edited_file"]),
    ({**CAMERA, "software": "HDR+ 1.0.540104767zd"}, (1600, 1200), []),  # a camera app is not an editor
    ({**CAMERA, "datetime_original": "2024:01:05 08:00:00"}, (1600, 1200), ["stale_capture"]),
    ({"user_comment": "Screenshot"}, (1600, 1200), ["screenshot"]),
    ({}, (1170, 2532), ["screenshot"]),  # no camera, an iPhone's screen
    ({}, (1920, 1080), ["screenshot"]),
    ({"make": "Apple", "model": "iPhone 15"}, (1170, 2532), []),  # a camera photo of that size
])
def test_file_metadata_warnings(tags, size, expected):
    data = _jpeg(size, **tags)
    meta = file_metadata(data)
    for k, v in tags.items():
        if k != "datetime":
            assert str(v) in str(meta.get(k)), (k, meta)
    c, ds = _with_file(data)
    v = verify(c, ds)
    found = [d for d in v.discrepancies if d.code in RISK_WARNING_CODES]
    assert [d.code for d in found] == expected
    assert all(d.severity == "warning" for d in found)
    assert all(d.document == ds[0].file for d in found)


def test_an_editor_in_exif_is_a_warning_with_the_software_named():
    c, ds = _with_file(_jpeg(software="Adobe Photoshop 25.0 (Windows)", make="Canon", model="EOS R6"))
    [w] = [d for d in verify(c, ds).discrepancies if d.code == "edited_file"]
    assert w.severity == "warning" and "Photoshop" in w.found and "Photoshop" in w.message


def test_a_photo_taken_after_its_upload_is_stale():
    data = _jpeg(**{**CAMERA, "datetime_original": "2026:11:25 10:00:00"})
    c, ds = _with_file(data, uploaded=datetime(2026, 11, 21, 9, 0))
    assert "stale_capture" in _codes(verify(c, ds))
    c, ds = _with_file(data, uploaded=datetime(2026, 11, 25, 9, 0))  # within the time-zone slack
    assert "stale_capture" not in _codes(verify(c, ds))


def test_metadata_of_unreadable_bytes_is_empty_and_a_png_screen_is_a_screenshot():
    assert file_metadata(b"not an image") == {}
    meta = file_metadata(_png((1080, 2340)))
    assert meta["format"] == "PNG" and (meta["width"], meta["height"]) == (1080, 2340)
    c, ds = _with_file(_png((1080, 2340)))
    assert "screenshot" in _codes(verify(c, ds))


def test_phash_bands_and_hamming():
    import numpy as np

    import cv2

    img = np.full((300, 480, 3), 235, np.uint8)
    for i in range(6):
        cv2.rectangle(img, (30 + 70 * i, 40 + 20 * i), (80 + 70 * i, 120 + 25 * i), (40 * i, 90, 200 - 30 * i), -1)
    cv2.putText(img, "6222 0212 3456", (40, 270), cv2.FONT_HERSHEY_SIMPLEX, 1.4, (20, 20, 20), 3)
    h = image_phash(img)
    assert len(h) == 16 and hamming(h, h) == 0
    small = cv2.resize(img, (240, 150), interpolation=cv2.INTER_AREA)
    assert hamming(h, image_phash(small)) <= 4  # resized: nearly the same
    assert sum(b1 == b2 for b1, b2 in zip(bands(h), bands(image_phash(255 - img)))) < 4
    with pytest.raises(ValueError):
        image_phash(img[:0])


# --------------------------------------------------------------------------- documents against each other


def test_an_inconsistent_name_across_two_documents_is_a_discrepancy():
    c, ds = clean("sum_insured_increase")
    ds = [d if d.kind != "income_proof" else income({**PH, "name": "王建围"}) for d in ds]
    v = verify(c, ds)
    [x] = [d for d in v.discrepancies if d.code == "cross_document_mismatch"]
    assert x.field == "documents.name" and x.severity == "warning"
    assert (x.expected, x.found) == ("王建国", "王建围")
    assert x.document == "docs/income.jpg" and x.box is not None  # the evidence: where the other name is
    assert "docs/id_front.jpg" in x.message and "docs/income.jpg" in x.message


@pytest.mark.parametrize("over,field", [
    ({"birth_date": "1980-05-15"}, "documents.birth_date"),
    ({"id_number": OTHER["id_number"]}, "documents.id_number"),
])
def test_birth_date_and_id_number_disagreeing_across_documents(over, field):
    c, ds = clean("beneficiary_change")
    ds = ds + [household({**PH, **over}, "户主", "docs/hukou.jpg")]
    found = [d for d in verify(c, ds).discrepancies if d.code == "cross_document_mismatch"]
    assert [d.field for d in found] == [field]
    if field.endswith("id_number"):
        assert "*" in found[0].found  # masked


def test_consistent_documents_raise_nothing():
    for t in ("sum_insured_increase", "beneficiary_change", "bank_account_change"):
        c, ds = clean(t)
        assert not [d for d in verify(c, ds).discrepancies if d.code in RISK_WARNING_CODES], t


def _bene_case(rel: str, docs, beneficiaries=None, **req):
    requested = {"beneficiaries": beneficiaries or [{"name": CHILD["name"], "id_number": CHILD["id_number"],
                                                     "relationship": rel, "share": 100}], **req}
    ds = [front(PH), back(), front(CHILD, file="docs/bene_front.jpg")] + docs
    return case("beneficiary_change", requested, [d.file for d in ds]), ds


def test_household_register_relationship_against_the_declared_one():
    regs = [household(PH, "户主", "docs/h1.jpg"), household(CHILD, "子", "docs/h2.jpg")]
    c, ds = _bene_case("child", regs)
    assert "relationship_mismatch" not in _codes(verify(c, ds))
    c, ds = _bene_case("spouse", regs)
    [x] = [d for d in verify(c, ds).discrepancies if d.code == "relationship_mismatch"]
    assert (x.expected, x.found, x.severity) == ("spouse", "child", "warning") and x.document == "docs/h2.jpg"
    # the child as head, the policyholder as a son: the register says the beneficiary is a parent
    c, ds = _bene_case("child", [household(CHILD, "户主", "docs/h1.jpg"), household(PH, "子", "docs/h2.jpg")])
    assert [d.found for d in verify(c, ds).discrepancies if d.code == "relationship_mismatch"] == ["parent"]


def test_the_spouse_on_the_marriage_certificate_must_be_the_new_beneficiary():
    bene = [{"name": SPOUSE["name"], "id_number": SPOUSE["id_number"], "relationship": "spouse", "share": 100}]
    ds = [front(PH), back(), front(SPOUSE, file="docs/bene_front.jpg"), certificate(PH, OTHER)]
    c = case("beneficiary_change", {"beneficiaries": bene}, [d.file for d in ds])
    v = verify(c, ds)
    [x] = [d for d in v.discrepancies if d.code == "spouse_mismatch"]
    assert (x.expected, x.found) == (SPOUSE["name"], OTHER["name"]) and x.document == "docs/marriage.jpg"
    c, ds = clean("beneficiary_change")  # the certificate names the beneficiary: nothing
    assert "spouse_mismatch" not in _codes(verify(c, ds))


def test_a_divorce_certificate_ends_a_spouses_claim():
    bene = [{"name": SPOUSE["name"], "id_number": SPOUSE["id_number"], "relationship": "spouse", "share": 100}]
    ds = [front(PH), back(), certificate(PH, SPOUSE, kind="divorce_certificate", file="docs/divorce.jpg")]
    c = case("beneficiary_change", {"beneficiaries": bene}, [d.file for d in ds],
             beneficiaries=bene)
    [x] = [d for d in verify(c, ds).discrepancies if d.code == "spouse_divorced"]
    assert x.field == "requested.beneficiaries[0].relationship" and x.document == "docs/divorce.jpg"
    bene[0]["relationship"] = "other"
    c = case("beneficiary_change", {"beneficiaries": bene}, [d.file for d in ds], beneficiaries=bene)
    assert "spouse_divorced" not in _codes(verify(c, ds))


# --------------------------------------------------------------------------- the score


def test_risk_score_parts_and_cap():
    r = default_rules().risk
    calm = risk_score([], [], None, None, r)
    assert calm.total == 0 and [p.name for p in calm.parts] == ["discrepancies", "risk_warnings", "quality",
                                                                 "money", "agent"]
    worst = risk_score([{"code": c, "severity": "warning"} for c in RISK_WARNING_CODES] * 3
                       + [{"code": "name_mismatch", "severity": "error"}] * 9,
                       [{"quality": {"issues": [{"code": "blur", "severity": "error"}] * 5}}],
                       Decimal("5000000"), AgentHistory(9, 9, 9, 9), r)
    assert worst.total == 100
    parts = {p.name: p.points for p in worst.parts}
    assert parts == {"discrepancies": r.points["discrepancies_cap"], "risk_warnings": r.warnings_cap,
                     "quality": r.points["quality_cap"], "money": r.money_cap, "agent": r.agent["cap"]}


@pytest.mark.parametrize("type_,requested,policy_over,expected", [
    ("policy_loan", {"amount": "20000.00"}, {}, (Decimal("20000.00"), "requested.amount")),
    ("surrender", {}, {"cash_value": "86000.50"}, (Decimal("86000.50"), "policy.cash_value")),
    ("surrender", {}, {}, None),
    ("contact_change", {"amount": "1"}, {}, None),
])
def test_money_at_stake(type_, requested, policy_over, expected):
    assert money_at_stake(case(type_, requested, **policy_over), default_rules().risk) == expected


def test_risk_rules_are_validated_with_their_line():
    text = RULES_TEXT.replace("image_reused = 30", "image_reusd = 30")
    with pytest.raises(RulesError) as ei:
        parse_rules(text)
    assert "image_reusd" in str(ei.value) and "image_reusd" in text.splitlines()[ei.value.line - 1]
    text = RULES_TEXT.replace('partial_withdrawal = ["requested.amount"]', 'partial_withdrawal = ["amount"]')
    with pytest.raises(RulesError, match="money source"):
        parse_rules(text)
    r = parse_rules(RULES_TEXT[:RULES_TEXT.index("# ------------------------------------------------------------------ risk")])
    assert r.risk.image_max_distance == 3  # the section is optional: defaults


def test_a_bank_card_warning_carries_no_error_and_verification_round_trips():
    from verify.types import Verification

    c, ds = clean("bank_account_change")
    ds = [d if d.kind != "bank_card" else card(holder="王建围") for d in ds]
    v = verify(c, ds)
    assert Verification.from_dict(v.to_dict()).to_dict() == v.to_dict()
