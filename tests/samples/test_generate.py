"""Tests of the synthetic document generator (samples/generate): fast, no OCR."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random

import numpy as np
import pytest
from stdnum import luhn
from stdnum.cn import ric

from extractors.kinds import FIELDS
from samples.generate import (DEGRADATIONS, QUALITY_CODE, generate_set, make_photo, render_document,
                              render_sheet, render_two_page_scan, save_judgment_pdf)
from samples.generate import fonts
from samples.generate import identities as ids

SAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "samples")


def _digest(a: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


def _inside(quad, w, h, tol=2.0):
    return all(-tol <= x <= w + tol and -tol <= y <= h + tol for x, y in quad)


# ------------------------------------------------------------------ identities

def test_id_numbers_valid_and_consistent():
    rng = random.Random(11)
    for _ in range(300):
        p = ids.make_identity(rng)
        n = p.id_number
        assert len(n) == 18 and ric.is_valid(n), n
        assert ric.get_birth_date(n) == p.birth_date
        assert (int(n[16]) % 2 == 1) == (p.sex == "男")
        assert n[:6] == p.region.code
        assert p.region.province in p.address or p.region.county in p.address
        assert 2 <= len(p.name) <= 4
        assert p.ethnicity in ids.ETHNICITIES


def test_id_validity_rules():
    b = dt.date(2000, 6, 1)
    assert ids.id_validity(b, dt.date(2010, 1, 1)) == dt.date(2015, 1, 1)  # 9 years old → 5 y
    assert ids.id_validity(b, dt.date(2020, 1, 1)) == dt.date(2030, 1, 1)  # 19 → 10 y
    assert ids.id_validity(dt.date(1980, 1, 1), dt.date(2010, 5, 12)) == dt.date(2030, 5, 12)  # 30 → 20 y
    assert ids.id_validity(dt.date(1960, 1, 1), dt.date(2016, 5, 12)) == "长期"
    p = ids.make_identity(random.Random(3), expired=True)
    assert p.valid_until != "长期" and p.valid_until < ids.REF_DATE


def test_names_include_compound_and_rare():
    rng = random.Random(5)
    names = [ids.make_name(rng, rng.choice("男女")) for _ in range(2000)]
    assert any(n[:2] in {"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "司徒"} for n in names)
    assert any(c in n for n in names for c in "堃赟喆昇燚犇淼垚")
    assert {len(n) for n in names} <= {2, 3, 4}


def test_bank_cards_luhn_and_real_bins():
    rng = random.Random(7)
    bins = {b for info in ids.BANKS.values() for b, _l, _t in info["bins"]}
    for _ in range(300):
        c = ids.make_bank_card(rng)
        assert luhn.is_valid(c.number)
        assert c.number[:6] in bins
        assert 16 <= len(c.number) <= 19
        assert c.card_type in ("debit", "credit")
    fixed = ids.make_bank_card(rng, number="6222021234567890128")
    assert fixed.bank_name == "中国工商银行"


def test_money_upper():
    assert ids.money_upper("12500.00") == "壹万贰仟伍佰元整"
    assert ids.money_upper(150000) == "壹拾伍万元整"
    assert ids.money_upper(100010) == "壹拾万零壹拾元整"
    assert ids.money_upper(1005.5) == "壹仟零伍元伍角"


# ------------------------------------------------------------------ renders

@pytest.mark.parametrize("kind", sorted(FIELDS))
def test_every_kind_renders_with_contract_fields(kind):
    img, t = render_document(kind, random.Random(21))
    assert img.dtype == np.uint8 and img.ndim == 3 and img.shape[2] == 3
    assert t["kind"] == kind
    h, w = img.shape[:2]
    for f in FIELDS[kind]:
        if f in t.get("absent_fields", []):
            continue
        assert f in t["fields"], f
        v = t["fields"][f]
        assert v not in ("", None, [])
        if (f, v) == ("has_seal", "false") or (f == "card_type" and not t.get("card_type_printed")):
            continue  # nothing printed: no box
        if kind == "court_judgment" and f not in t["fields_on_image"]:
            continue  # nothing printed: no box
        assert f in t["boxes"], f"no box for {f}"
    for f, q in t["boxes"].items():
        assert len(q) == 4
        if kind != "court_judgment":
            assert _inside(q, w, h), (f, q)
    for f in ("birth_date", "issue_date", "registration_date", "judgment_date", "valid_from"):
        if f in t["fields"]:
            dt.date.fromisoformat(t["fields"][f])
    for f in ("id_number", "holder_id_number", "spouse_id_number"):
        if f in t["fields"]:
            assert ric.is_valid(t["fields"][f])
    if kind == "bank_card":
        assert luhn.is_valid(t["fields"]["card_number"])
        assert " " not in t["fields"]["card_number"]


def test_render_for_given_identity_and_overrides():
    rng = random.Random(1)
    p = ids.make_identity(rng, name="欧阳喆", sex="男", birth_date="1988-02-29")
    _, t = render_document("id_card_front", rng, p)
    assert t["fields"]["name"] == "欧阳喆" and t["fields"]["birth_date"] == "1988-02-29"
    assert t["fields"]["id_number"] == p.id_number
    _, t = render_document("bank_card", rng, p, card_number="6222021234567890128", print_holder=True,
                           holder_style="chinese")
    assert t["fields"]["card_number"] == "6222021234567890128"
    assert t["fields"]["bank_name"] == "中国工商银行" and t["fields"]["holder_name"] == "欧阳喆"
    _, t = render_document("income_proof", rng, p, monthly_income="12500", annual_income="150000",
                           issue_date="2026-10-08", has_seal=False)
    f = t["fields"]
    assert (f["monthly_income"], f["annual_income"], f["issue_date"], f["has_seal"]) == (
        "12500.00", "150000.00", "2026-10-08", "false")
    _, t = render_document("id_card_back", rng, p)
    assert t["fields"]["valid_until"] == p.valid_until_str()


def test_determinism_render_and_photo():
    a, ta = render_document("id_card_front", random.Random(9))
    b, tb = render_document("id_card_front", random.Random(9))
    assert _digest(a) == _digest(b) and ta == tb
    pa, tpa = make_photo(a, ta, random.Random(4), ["glare", "finger:mild"])
    pb, tpb = make_photo(b, tb, random.Random(4), ["glare", "finger:mild"])
    assert _digest(pa) == _digest(pb) and tpa == tpb


@pytest.mark.parametrize("inc", ["birth_date", "sex", "id_17"])
def test_inconsistent_id_front(inc):
    p = ids.make_identity(random.Random(2))
    _, t = render_document("id_card_front", random.Random(2), p, inconsistent=inc)
    f = t["fields"]
    assert t["inconsistent"] in ("birth_date", "sex", "id_number_length")
    if inc == "birth_date":
        assert f["birth_date"] != ric.get_birth_date(f["id_number"]).isoformat()
    elif inc == "sex":
        assert (int(f["id_number"][16]) % 2 == 1) != (f["sex"] == "男")
    else:
        assert len(f["id_number"]) == 17


# ------------------------------------------------------------------ photos

@pytest.mark.parametrize("name", DEGRADATIONS)
def test_degradations_recorded_with_expected_codes(name):
    img, t = render_document("id_card_front", random.Random(31))
    ph, pt = make_photo(img, t, random.Random(32), [name], size=(960, 720))
    assert name in pt["degradations"]
    code = QUALITY_CODE[name]
    if code:
        assert code in pt["expected_quality"]
    assert pt["orientation"] in (0, 90, 180, 270)
    assert pt["upright_rotation"] == (360 - pt["orientation"]) % 360
    assert len(pt["document_quad"]) == 4
    if name not in ("photocopy", "screen_recapture"):
        _, mt = make_photo(img, t, random.Random(32), [name + ":mild"], size=(960, 720))
        assert mt["expected_quality"] == []
        if name == "finger":
            assert mt["measured"]["occluded_fields"] == {}
        if name == "cropped":
            assert mt["measured"]["outside_fraction"] == 0
    m = pt["measured"]
    if name == "cropped":
        assert m["outside_fraction"] >= 0.1
    if name == "low_resolution":
        assert m["text_height_px"] < 9
    if name == "low_light":
        assert m["doc_mean_luma"] < 70
    if name == "finger":
        assert max(m["occluded_fields"].values()) >= 0.3


def test_photo_maps_boxes_into_frame():
    img, t = render_document("bank_card", random.Random(3))
    ph, pt = make_photo(img, t, random.Random(5), [], orientation=90)
    h, w = ph.shape[:2]
    assert h > w  # a landscape card turned 90° → portrait photo
    assert _inside(pt["document_quad"], w, h)
    for q in pt["boxes"].values():
        assert _inside(q, w, h)
    # the document's top-left corner is now at the top-right of the frame
    tl = pt["document_quad"][0]
    assert tl[0] > w / 2 and tl[1] < h / 2


# ------------------------------------------------------------------ sheets and PDFs

def test_sheets_have_parts_inside_page():
    for seed, layout in ((1, "id_both"), (2, "id_bank")):
        img, t = render_sheet(random.Random(seed), layout=layout, stamp=True)
        h, w = img.shape[:2]
        assert t["kind"] == "multiple" and len(t["parts"]) >= 2
        for p in t["parts"]:
            assert p["kind"] in FIELDS and p["orientation"] in (0, 90, 180, 270)
            assert _inside(p["region"], w, h)
            for q in p["boxes"].values():
                assert _inside(q, w, h)
    pages, t = render_two_page_scan(random.Random(3))
    assert len(pages) == 2 and [p["page"] for p in t["parts"]] == [1, 2]


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_photo_of_a_sheet_turns_each_part_with_it(turn):
    """A part's orientation is how it lies in the file: the page's placement plus the
    photo's own rotation, matching what its region's corners say."""
    from intake.commands.evaluate import _part_orientation

    sheet, t = render_sheet(random.Random(4), layout="id_both", orientations=[0, 90], stamp=False)
    _, pt = make_photo(sheet, t, random.Random(4), [], orientation=turn, skew=0.0)
    assert [p["orientation"] for p in pt["parts"]] == [turn % 360, (90 + turn) % 360]
    assert [_part_orientation(p) for p in pt["parts"]] == [p["orientation"] for p in pt["parts"]]
    assert all(p["upright_rotation"] == (360 - p["orientation"]) % 360 for p in pt["parts"])


def test_text_pdf_extracts_case_number_and_scan_has_no_text(tmp_path):
    import pdfplumber

    t1 = save_judgment_pdf(str(tmp_path / "j.pdf"), random.Random(8), text_layer=True)
    assert set(t1["boxes"]) == set(FIELDS["court_judgment"]) and set(t1["box_pages"]) == set(t1["boxes"])
    with pdfplumber.open(str(tmp_path / "j.pdf")) as pdf:
        assert len(pdf.pages) == t1["pages"] >= 2
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    assert t1["fields"]["case_number"] in text
    assert t1["fields"]["court"] in text
    for pn in t1["fields"]["mentions_policy_numbers"]:
        assert pn in text.replace("\n", "")
    t2 = save_judgment_pdf(str(tmp_path / "s.pdf"), random.Random(8), text_layer=False)
    with pdfplumber.open(str(tmp_path / "s.pdf")) as pdf:
        assert len(pdf.pages) == t2["pages"]
        assert all(not (p.extract_text() or "").strip() for p in pdf.pages)


def test_generate_set_deterministic(tmp_path):
    kinds = ["id_card_front", "id_card_back", "bank_card", "other"]
    a = generate_set(str(tmp_path / "a"), 3, seed=3, kinds=kinds, sheets=1)
    b = generate_set(str(tmp_path / "b"), 3, seed=3, kinds=kinds, sheets=1)
    assert a == b and len(a) == 4
    for e in a:
        fa = (tmp_path / "a" / e["file"]).read_bytes()
        fb = (tmp_path / "b" / e["file"]).read_bytes()
        assert fa == fb
        truth = json.loads((tmp_path / "a" / e["truth"]).read_text(encoding="utf-8"))
        assert truth["kind"] == e["kind"] and truth["file"] == e["file"]
    idx = json.loads((tmp_path / "a" / "index.json").read_text(encoding="utf-8"))
    assert len(idx["files"]) == 4


def test_fonts_missing_names_packages(monkeypatch):
    fonts.faces.cache_clear()
    monkeypatch.setattr(fonts, "_find_file", lambda name: None)
    monkeypatch.setattr(fonts, "_fc_list", lambda: [])
    try:
        with pytest.raises(fonts.FontsMissing) as e:
            fonts.faces()
        assert "fonts-noto-cjk" in str(e.value)
    finally:
        monkeypatch.undo()
        fonts.faces.cache_clear()


# ------------------------------------------------------------------ committed demo set

def test_committed_demo_set_consistent():
    assert os.path.isdir(os.path.join(SAMPLES, "docs")) and os.path.isdir(os.path.join(SAMPLES, "cases"))
    docs = os.path.join(SAMPLES, "docs")
    files = [f for f in os.listdir(docs) if f.endswith((".jpg", ".pdf"))]
    assert len(files) >= 40
    total = sum(os.path.getsize(os.path.join(docs, f)) for f in os.listdir(docs))
    assert total < 12_500_000
    kinds = set()
    for f in files:
        tp = os.path.join(docs, f.rsplit(".", 1)[0] + ".truth.json")
        assert os.path.exists(tp), f
        t = json.load(open(tp, encoding="utf-8"))
        kinds.add(t["kind"])
    assert set(FIELDS) | {"multiple"} <= kinds
    policies = json.load(open(os.path.join(SAMPLES, "policies.json"), encoding="utf-8"))
    assert len(policies) >= 6
    for p in policies:
        assert ric.is_valid(p["policyholder"]["id_number"])
        assert luhn.is_valid(p["payment"]["account_number"])
    cases_dir = os.path.join(SAMPLES, "cases")
    cases = [f for f in os.listdir(cases_dir) if f.endswith(".json")]
    assert len(cases) >= 6
    for c in cases:
        case = json.load(open(os.path.join(cases_dir, c), encoding="utf-8"))
        assert {"case_id", "type", "application_date", "policy", "requested", "documents"} <= set(case)
        assert isinstance(case["expected_discrepancies"], list)
        for d in case["documents"]:
            assert os.path.exists(os.path.normpath(os.path.join(cases_dir, d))), d


def test_cli_writes_files_and_index(tmp_path):
    from samples.generate.__main__ import main
    assert main(["--out", str(tmp_path), "--n", "2", "--seed", "4", "--kinds", "id_card_back", "other",
                 "--clean-ratio", "0"]) == 0
    idx = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    assert len(idx["files"]) == 2
    for e in idx["files"]:
        assert (tmp_path / e["file"]).stat().st_size < 300_000
        t = json.loads((tmp_path / e["truth"]).read_text(encoding="utf-8"))
        assert t["source"] == "photo" and "expected_quality" in t
