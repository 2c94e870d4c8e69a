"""The unseen evaluation set's generator (samples/unseen): fast checks, no OCR.

Generates a small set once (every kind at least once), then checks determinism, the truth
format, the checksums of every ID and card number, that each image decodes at its stated
size, and that every box and region lies inside its image.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image
from stdnum import luhn
from stdnum.cn import ric

from samples.unseen import MIX_240, generate, plan
from samples.unseen.build import make_document

N, SEED = 12, 7

FIELDS = {
    "id_card_front": ({"name", "sex", "ethnicity", "birth_date", "address", "id_number"}, set()),
    "id_card_back": ({"issuing_authority", "valid_from", "valid_until"}, set()),
    "bank_card": ({"card_number", "bank_name", "card_type"}, {"holder_name"}),
    "income_proof": ({"name", "id_number", "employer", "monthly_income", "issue_date", "has_seal"},
                     {"position", "annual_income"}),
    "marriage_certificate": ({"holder_name", "holder_id_number", "spouse_name", "spouse_id_number",
                              "registration_date", "certificate_number"}, set()),
    "household_register": ({"name", "relationship_to_head", "sex", "ethnicity", "birth_date", "id_number",
                            "address"}, set()),
    "court_judgment": ({"court", "case_number", "parties", "judgment_date", "mentions_policy_numbers"}, set()),
    "other": (set(), set()),
    "multiple": (set(), set()),
}
FIELDS["divorce_certificate"] = FIELDS["marriage_certificate"]
REQUIRED = {"file", "kind", "fields", "degradations", "expected_quality", "orientation", "source", "size", "generator"}
OPTIONAL = {"boxes", "obscured", "parts"}
QUALITY = {"photocopy", "blur", "too_dark", "glare"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONEY = re.compile(r"^\d+\.\d{2}$")
CJK = re.compile(r"^[\u3400-\u9fff]+$")


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("unseen")
    generate(out, n=N, seed=SEED)
    return out


@pytest.fixture(scope="module")
def truths(out_dir) -> list[dict]:
    files = sorted(out_dir.glob("*.truth.json"))
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]


def _date(v: str) -> dt.date:
    assert DATE.match(v), v
    return dt.date.fromisoformat(v)


def _id_number(v: str) -> None:
    # the GB 11643 check character and a real birth date; not ric.is_valid, which also demands that
    # the region code existed in the birth year (real numbers of older people often fail that)
    assert re.fullmatch(r"\d{17}[\dX]", v), v
    assert ric.calc_check_digit(v) == v[-1], f"GB 11643 checksum fails: {v}"
    ric.get_birth_date(v)


def _check_fields(kind: str, fields: dict) -> None:
    required, optional = FIELDS[kind]
    assert required <= set(fields), (kind, required - set(fields))
    assert set(fields) <= required | optional, (kind, set(fields) - required - optional)
    if kind in ("id_card_front", "household_register"):
        _id_number(fields["id_number"])
        birth = _date(fields["birth_date"])
        assert ric.get_birth_date(fields["id_number"]) == birth
        assert fields["sex"] in ("男", "女")
        assert int(fields["id_number"][16]) % 2 == (1 if fields["sex"] == "男" else 0)
        assert CJK.match(fields["ethnicity"]) and not fields["ethnicity"].endswith("族")
        assert CJK.match(fields["name"]) and 2 <= len(fields["name"]) <= 4
        assert fields["address"] and " " not in fields["address"] and "\n" not in fields["address"]
    if kind == "household_register":
        assert CJK.match(fields["relationship_to_head"])
    if kind == "id_card_back":
        start = _date(fields["valid_from"])
        if fields["valid_until"] != "长期":
            assert _date(fields["valid_until"]) > start
        assert fields["issuing_authority"].endswith(("分局", "公安局"))
    if kind == "bank_card":
        num = fields["card_number"]
        assert num.isdigit() and len(num) in (16, 19), num
        assert luhn.is_valid(num), f"Luhn fails: {num}"
        assert fields["card_type"] in ("debit", "credit", "unknown")
        assert fields["bank_name"] is None or CJK.match(fields["bank_name"])
        if fields["bank_name"] is None:
            assert num[0] in "2345", num
    if kind == "income_proof":
        _id_number(fields["id_number"])
        _date(fields["issue_date"])
        assert MONEY.match(fields["monthly_income"])
        if "annual_income" in fields:
            assert MONEY.match(fields["annual_income"])
        assert fields["has_seal"] in ("true", "false")
    if kind in ("marriage_certificate", "divorce_certificate"):
        _id_number(fields["holder_id_number"])
        _id_number(fields["spouse_id_number"])
        _date(fields["registration_date"])
        letter = "J" if kind == "marriage_certificate" else "L"
        assert re.fullmatch(letter + r"\d{6}-\d{4}-\d{6}", fields["certificate_number"])
        assert fields["certificate_number"][8:12] == fields["registration_date"][:4]
    if kind == "court_judgment":
        assert fields["court"].endswith("人民法院")
        assert re.fullmatch(r"\(\d{4}\)[\u4e00-\u9fff]\d{2,4}民[初终]\d+号", fields["case_number"]), fields["case_number"]
        assert isinstance(fields["parties"], list) and len(fields["parties"]) >= 2
        assert all(isinstance(p, str) and p for p in fields["parties"])
        _date(fields["judgment_date"])
        assert all(re.fullmatch(r"P\d{16}", p) for p in fields["mentions_policy_numbers"])


def _inside(quad, w: int, h: int) -> None:
    assert len(quad) == 4 and all(len(p) == 2 for p in quad), quad
    for x, y in quad:
        assert -0.5 <= x <= w + 0.5 and -0.5 <= y <= h + 0.5, (quad, w, h)


def test_plan_follows_the_mix():
    items = plan(240, 11)
    counts = Counter(k for k, _ in items)
    assert counts == Counter(MIX_240)
    assert sum(1 for k, v in items if k == "bank_card" and v == "foreign") >= 8
    assert plan(240, 11) == items and plan(240, 12) != items
    for n in (10, 12, 37):
        assert set(k for k, _ in plan(n, 3)) == set(MIX_240) and len(plan(n, 3)) == n


def test_every_kind_present(truths):
    assert len(truths) == N
    assert {t["kind"] for t in truths} == set(MIX_240)


def test_same_seed_same_files(out_dir, tmp_path):
    for i, (kind, variant) in enumerate(plan(N, SEED)[:3]):
        truth = make_document(tmp_path, i, SEED, kind, variant)
        assert (tmp_path / truth["file"]).read_bytes() == (out_dir / truth["file"]).read_bytes()
        name = truth["file"].rsplit(".", 1)[0] + ".truth.json"
        assert (tmp_path / name).read_text(encoding="utf-8") == (out_dir / name).read_text(encoding="utf-8")


def test_truth_files_are_valid(out_dir, truths):
    for t in truths:
        assert REQUIRED <= set(t) and set(t) <= REQUIRED | OPTIONAL, set(t) ^ REQUIRED
        assert t["generator"] == "unseen"
        assert t["kind"] in MIX_240
        assert t["orientation"] in (0, 90, 180, 270)
        assert t["source"] in ("photo", "scan", "copy")
        assert all(isinstance(d, str) and d for d in t["degradations"])
        assert set(t["expected_quality"]) <= QUALITY
        if t["source"] == "copy":
            assert "photocopy" in t["expected_quality"] and "photocopy" in t["degradations"]
        _check_fields(t["kind"], t["fields"])
        assert set(t.get("obscured", {})) <= set(t["fields"])
        assert set(t.get("boxes", {})) <= set(t["fields"])
        if t["kind"] == "multiple":
            assert t["fields"] == {} and len(t["parts"]) >= 2
            for p in t["parts"]:
                assert p["kind"] in ("id_card_front", "id_card_back")
                assert p["orientation"] in (0, 90, 180, 270)
                _check_fields(p["kind"], p["fields"])
                assert set(p.get("obscured", {})) <= set(p["fields"])
        else:
            assert "parts" not in t


def test_images_decode_at_stated_size_and_regions_inside(out_dir, truths):
    for t in truths:
        path = out_dir / t["file"]
        assert path.suffix in (".jpg", ".png")
        with Image.open(path) as im:
            assert im.format == ("JPEG" if path.suffix == ".jpg" else "PNG")
            im.load()
            assert list(im.size) == t["size"]
        w, h = t["size"]
        for q in t.get("boxes", {}).values():
            _inside(q, w, h)
        for p in t.get("parts", []):
            _inside(p["region"], w, h)
            for q in p.get("boxes", {}).values():
                _inside(q, w, h)
