"""Table-driven field-parser tests over recorded OcrLine fixtures (no OCR runs here).

``fixtures/lines/hand_*.json`` are hand-written line lists in both engine shapes (joined
label+value, split boxes) with the expected parse; ``real_*.json`` are real RapidOCR
outputs recorded by ``_capture_ocr.py``, checked against the renderer's ground truth.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.errors import UnknownDocumentKind
from extractors.fields import get_parser, parse_fields
from extractors.kinds import FIELDS, KINDS
from extractors.types import Field, OcrLine, ParseInput

FIX = Path(__file__).parent / "fixtures" / "lines"
HAND = sorted(FIX.glob("hand_*.json"))
REAL = sorted(FIX.glob("real_*.json"))


def load(path: Path) -> tuple[dict, ParseInput]:
    doc = json.loads(path.read_text())
    lines = [OcrLine.from_dict(d) for d in doc["lines"]]
    return doc, ParseInput(lines=lines, width=doc["width"], height=doc["height"])


@pytest.mark.parametrize("path", HAND, ids=[p.stem for p in HAND])
def test_hand_fixture(path: Path):
    doc, inp = load(path)
    got = parse_fields(doc["kind"], inp)
    assert set(got) <= set(FIELDS[doc["kind"]]), set(got) - set(FIELDS[doc["kind"]])
    for name, exp in doc["expected"].items():
        assert name in got, f"{name} missing; got {sorted(got)}"
        f = got[name]
        assert f.value == exp["value"], (name, f.value, f.reasons)
        assert f.needs_review == exp["needs_review"], (name, f.needs_review, f.reasons, f.confidence)
        for r in exp["reasons"]:
            assert r in f.reasons, (name, r, f.reasons)
    for name in doc["absent"]:
        assert name not in got, (name, got[name])


@pytest.mark.parametrize("path", HAND + REAL, ids=[p.stem for p in HAND + REAL])
def test_field_invariants(path: Path):
    """Every field: JSON round-trip, confidence in [0,1], flagged whenever it has a reason,
    and a box inside the page."""
    doc, inp = load(path)
    for name, f in parse_fields(doc["kind"], inp).items():
        assert 0.0 <= f.confidence <= 1.0
        if f.reasons:
            assert f.needs_review, (name, f.reasons)
        assert Field.from_dict(json.loads(json.dumps(f.to_dict()))).value == f.value
        if f.box:
            xs = [p[0] for p in f.box]
            ys = [p[1] for p in f.box]
            assert min(xs) >= -1 and max(xs) <= doc["width"] + 1, (name, f.box)
            assert min(ys) >= -1 and max(ys) <= doc["height"] + 1, (name, f.box)


# Fields the engine genuinely did not read in a recorded fixture (checked by eye):
KNOWN_MISSES = {
    # the red seal covers the closing date; RapidOCR read only "十七日" of 二〇二三年九月二十七日.
    # The parser then falls back to the last date in the text, flagged ambiguous_date.
    "real_court_judgment_7": {"judgment_date"},
    # a finger covers 民族 汉: the engine read only "民"; ethnicity is left out, not guessed
    "real_pipeline_degraded_finger": {"ethnicity"},
}


@pytest.mark.parametrize("path", REAL, ids=[p.stem for p in REAL])
def test_real_ocr_fixture(path: Path):
    """Real engine output: every value we emit unflagged must equal the ground truth, and
    most truth fields must be found."""
    doc, inp = load(path)
    got = parse_fields(doc["kind"], inp)
    truth = doc["truth"]
    wrong_unflagged = {k: (f.value, truth[k]) for k, f in got.items()
                       if k in truth and not f.needs_review and f.value != truth[k]}
    assert not wrong_unflagged
    correct = [k for k in truth if k in got and got[k].value == truth[k]]
    expected_found = [k for k in truth if k != "has_seal" and k not in KNOWN_MISSES.get(path.stem, ())]
    missing = [k for k in expected_found if k not in correct]
    assert not missing, {k: (got[k].value if k in got else None, truth[k]) for k in missing}


def test_registry_covers_every_kind():
    for kind in KINDS:
        assert callable(get_parser(kind))


def test_unknown_kind():
    with pytest.raises(UnknownDocumentKind):
        get_parser("passport")


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "income_proof"])
def test_empty_input(kind):
    assert parse_fields(kind, ParseInput(lines=[])) == {}


def test_income_empty_has_only_seal_flag():
    got = parse_fields("income_proof", ParseInput(lines=[]))
    assert list(got) == ["has_seal"] and got["has_seal"].needs_review
    assert (got["has_seal"].value, got["has_seal"].reasons) == ("false", ["no_image"])


def test_value_box_is_sub_part_of_joined_line():
    box = [[0, 0], [300, 0], [300, 30], [0, 30]]
    f = parse_fields("id_card_front", ParseInput([OcrLine("姓名王建国", 0.99, box)]))["name"]
    assert f.box[0][0] == pytest.approx(120.0) and f.box[1][0] == pytest.approx(300.0)


@pytest.mark.parametrize("junk", ["", " ", "🙂🙂", "\x00", "姓名", "公民身份号码", "0" * 200])
@pytest.mark.parametrize("kind", KINDS)
def test_junk_lines_do_not_crash(kind, junk):
    box = [[0, 0], [300, 0], [300, 30], [0, 30]]
    parse_fields(kind, ParseInput([OcrLine(junk, 0.5, box), OcrLine(junk, 0.5, box)]))


# ------------------------------------------------------------------ Hypothesis: safety

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from stdnum.cn import ric  # noqa: E402

from extractors.normalize import id_number, regions  # noqa: E402

_CODES = ["110105", "110101", "310104", "340121", "150222"]
_MISREAD = "0123456789OoDQIlZBSGgAKX×"


@st.composite
def front_readings(draw):
    import datetime
    birth = draw(st.dates(min_value=datetime.date(1940, 1, 1), max_value=datetime.date(2010, 12, 31)))
    body = f"{draw(st.sampled_from(_CODES))}{birth:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    truth = body + ric.calc_check_digit(body + "0")
    read = list(truth)
    for _ in range(draw(st.integers(0, 2))):
        op = draw(st.sampled_from(["sub", "del", "ins"]))
        pos = draw(st.integers(0, len(read) - 1))
        if op == "sub":
            read[pos] = draw(st.sampled_from(_MISREAD))
        elif op == "del" and len(read) > 1:
            del read[pos]
        else:
            read.insert(pos, draw(st.sampled_from("0123456789")))
    sex = id_number.sex(truth)
    printed_sex = draw(st.sampled_from([sex, sex, "女" if sex == "男" else "男"]))
    printed_birth = birth.isoformat()
    if draw(st.integers(0, 3)) == 0:
        printed_birth = (birth + datetime.timedelta(days=draw(st.integers(1, 60)))).isoformat()
    conf = draw(st.sampled_from([0.99, 0.95, 0.8]))
    return truth, "".join(read), printed_birth, printed_sex, conf


@settings(max_examples=400, deadline=None)
@given(front_readings())
def test_id_front_never_wrong_without_review(case):
    """Whatever the engine did to the number (0–2 substitutions, deletions, insertions,
    letters), the id_number, birth_date and sex fields are right or flagged."""
    truth, read, printed_birth, printed_sex, conf = case
    y, m, d = (int(x) for x in printed_birth.split("-"))

    def line(text, yy, c=0.99):
        return OcrLine(text, c, [[60, yy], [700, yy], [700, yy + 30], [60, yy + 30]])

    lines = [line("姓名王建国", 50), line(f"性别{printed_sex} 民族汉", 120), line(f"出生{y}年{m}月{d}日", 190),
             line(f"住址{regions.province_of_code(truth)}某某区建国路88号", 260), line("公民身份号码" + read, 520, conf)]
    got = parse_fields("id_card_front", ParseInput(lines))
    f = got["id_number"]
    if not f.needs_review:
        assert f.value == truth
        assert id_number.birth_date(f.value) == printed_birth and id_number.sex(f.value) == printed_sex
    if printed_birth != id_number.birth_date(truth):
        assert got["birth_date"].needs_review or f.needs_review
        assert f.needs_review
    if printed_sex != id_number.sex(truth):
        assert f.needs_review
    if len(id_number.compact(read)) != 18:
        assert f.needs_review and len(f.value) == len(id_number.compact(read))


@pytest.mark.parametrize("kind", KINDS)
def test_degenerate_boxes(kind):
    """Zero-size, inverted and far-away boxes do not crash any parser."""
    lines = [
        OcrLine("姓名王建国", 0.99, [[5, 5], [5, 5], [5, 5], [5, 5]]),
        OcrLine("公民身份号码110105198503071230", 0.99, [[300, 40], [0, 40], [0, 10], [300, 10]]),
        OcrLine("收入证明 月收入12500元", 0.99, [[-1e6, -1e6], [1e6, -1e6], [1e6, 1e6], [-1e6, 1e6]]),
    ]
    parse_fields(kind, ParseInput(lines))


def test_skewed_page_rows_follow_the_text_direction():
    """On a page rotated by ~15°, the value of 姓名 is the box along its baseline, not the
    box that merely overlaps its y-range (the next row's value)."""
    import math

    def rot(x, y, w, h, deg=15):
        a = math.radians(deg)
        pts = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
        return [[px * math.cos(a) - py * math.sin(a), px * math.sin(a) + py * math.cos(a)] for px, py in pts]

    lines = [OcrLine("姓名", 0.99, rot(100, 100, 60, 30)), OcrLine("王建国", 0.99, rot(200, 100, 90, 30)),
             OcrLine("性别", 0.99, rot(100, 160, 60, 30)), OcrLine("男", 0.99, rot(200, 160, 30, 30)),
             OcrLine("出生", 0.99, rot(100, 220, 60, 30)), OcrLine("1985年3月7日", 0.99, rot(200, 220, 200, 30)),
             OcrLine("住址", 0.99, rot(100, 280, 60, 30)), OcrLine("北京市朝阳区建国路88号", 0.99, rot(200, 280, 330, 30)),
             OcrLine("院3号楼2单元501室", 0.99, rot(200, 322, 260, 30)),
             OcrLine("公民身份号码", 0.99, rot(100, 420, 180, 30)), OcrLine(ID_FIX, 0.99, rot(300, 420, 300, 30))]
    got = parse_fields("id_card_front", ParseInput(lines))
    assert got["name"].value == "王建国" and got["sex"].value == "男"
    assert got["birth_date"].value == "1985-03-07"
    assert got["address"].value == "北京市朝阳区建国路88号院3号楼2单元501室"
    assert got["id_number"].value == ID_FIX and not got["id_number"].needs_review


ID_FIX = "110105198503071230"


@pytest.mark.parametrize("path", HAND + REAL, ids=[p.stem for p in HAND + REAL])
def test_reasons_are_documented(path):
    from extractors.fields.reasons import REASONS
    doc, inp = load(path)
    for name, f in parse_fields(doc["kind"], inp).items():
        assert set(f.reasons) <= set(REASONS), (name, f.reasons)


def test_has_seal_from_image():
    import cv2
    import numpy as np

    doc, inp = load(FIX / "hand_income_prose.json")
    page = np.full((1754, 1240, 3), 250, np.uint8)
    inp.images = [page.copy()]
    f = parse_fields("income_proof", inp)["has_seal"]
    assert (f.value, f.needs_review, f.reasons) == ("false", True, ["seal_not_detected"])
    assert f.confidence >= 0.9
    cv2.circle(page, (900, 650), 170, (30, 30, 220), 8)
    inp.images = [np.full((1754, 1240, 3), 250, np.uint8), page]  # the seal is on page 2
    f = parse_fields("income_proof", inp)["has_seal"]
    assert (f.value, f.needs_review, f.page) == ("true", False, 2)
    assert f.box is not None


def test_a_grey_seal_ring_is_a_seal_to_review():
    """A copied income proof: the seal is grey, its ring and arc text still there."""
    import math

    import cv2
    import numpy as np

    doc, inp = load(FIX / "hand_income_prose.json")
    page = np.full((1754, 1240, 3), 232, np.uint8)
    for y in range(300, 1000, 60):  # body text: no ring in it
        cv2.putText(page, "XXXX XXXXX XXXXXX XXXX", (150, y), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (60, 60, 60), 3)
    cv2.circle(page, (900, 1300), 125, (140, 140, 140), 6)
    for a in range(180, 360, 12):
        x, y = 900 + 95 * math.cos(math.radians(a)), 1300 + 95 * math.sin(math.radians(a))
        cv2.putText(page, "X", (int(x) - 8, int(y) + 8), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (130, 130, 130), 2)
    inp.images = [page]
    f = parse_fields("income_proof", inp)["has_seal"]
    assert (f.value, f.needs_review, f.reasons) == ("true", True, ["seal_not_red"])
    x0, y0 = f.box[0]
    assert abs(x0 - 775) < 30 and abs(y0 - 1175) < 30


def test_screen_stripes_are_no_seal_ring():
    """A photo of a screen: every circle crosses the scan lines, inside and out, and none
    is a seal."""
    import cv2
    import numpy as np

    from extractors.seal import detect_ring

    page = np.full((1600, 1200, 3), 225, np.uint8)
    page[::5] = 150  # scan lines
    cv2.circle(page, (800, 1200), 130, (150, 150, 150), 3)
    assert not detect_ring(page).present


def _ln(text, y, page=1, conf=0.98):
    return OcrLine(text, conf, [[100, y], [100 + 40 * len(text), y], [100 + 40 * len(text), y + 40], [100, y + 40]],
                   page)


#: one field read from a few lines: (kind, lines, field, value, the reason it is flagged for)
FLAGGED_READINGS = {
    # the judgment date whose year lost characters under the seal is repaired
    "judgment_year_under_seal": ("court_judgment", [
        ("北京市朝阳区人民法院", 100), ("民事判决书", 160), ("（2023）京0105民初1234号", 220),
        ("原告王建国，男，1980年1月2日出生", 300), ("双方于2013年1月16日登记结婚。", 360),
        ("审判员李明", 900), ("二三年六月十九日", 980), ("书记员赵芳", 1060)],
        "judgment_date", "2023-06-19", "ocr_corrected"),
    # the certificate number drops seal text glued to it
    "certificate_number_seal_tail": ("marriage_certificate", [
        ("持证人 王建国", 100), ("登记日期 2014年05月20日", 160), ("结婚证字号 J110108-2014-012459民政局", 220)],
        "certificate_number", "J110108-2014-012459", "trailing_text"),
    # a speck between a card number's digits is dropped
    "card_number_speck": ("bank_card", [
        ("中国银行", 60), ("BANK OF CHINA", 120), ("456351.2007436363906", 300), ("银联", 500)],
        "card_number", "4563512007436363906", "unexpected_text"),
    # a slash read for a 7 is repaired when only that validates
    "card_number_slash_for_seven": ("bank_card", [
        ("中国工商银行", 60), ("6222 0215 723/6685 365", 300), ("银联", 500)],
        "card_number", "6222021572376685365", "ocr_corrected"),
}
_PAGE = {"court_judgment": (1654, 2339), "marriage_certificate": (1200, 800), "bank_card": (1100, 694)}


@pytest.mark.parametrize("case", FLAGGED_READINGS, ids=list(FLAGGED_READINGS))
def test_reading_repaired_or_cleaned_is_flagged(case):
    kind, rows, name, value, reason = FLAGGED_READINGS[case]
    w, h = _PAGE[kind]
    f = parse_fields(kind, ParseInput(lines=[_ln(t, y) for t, y in rows], width=w, height=h))[name]
    assert f.value == value
    assert f.needs_review and reason in f.reasons


@pytest.mark.parametrize("address, reason, flagged", [
    ("北京市东城区南京路113号幸福里6栋2单元304室", "address_incomplete", False),
    ("图们市人民路269号", "address_incomplete", False),
    ("北113号", "address_incomplete", True),              # glare took the city and the road
    ("东城区南京路113号", "address_incomplete", False),    # a district opens it: still a whole address
    ("南京路113号", "address_incomplete", True),           # no division at all: its start is hidden
    ("内蒙古自治区呼伦贝尔市满洲里市幸福路325号29复号楼1901", "unexpected_text", True),  # a stamp's 复 in the number
    ("内蒙古自治区呼伦贝尔市满洲里市幸福路325号29号楼1901", "unexpected_text", False),
    ("北京市东城区东四十条甲22号", "unexpected_text", False),
    ("湖南省株洲市醴陵市建设路50号锦绣华庭3栋6单元1702室", "unexpected_text", False),
])
def test_implausible_address_is_flagged(address, reason, flagged):
    """An address that lacks its opening division, or has a stray character inside a house
    number, is kept as read and flagged."""
    lines = [_ln("姓名王建国", 100), _ln("住址" + address, 300), _ln("公民身份号码110105198503071230", 500)]
    f = parse_fields("id_card_front", ParseInput(lines=lines, width=1100, height=694))["address"]
    assert f.value == address
    assert (reason in f.reasons) is flagged


def test_faint_copy_without_name_and_address_labels():
    """A grey copy where the small labels 姓名 and 住 were not read: the first line is
    taken as the name (flagged), and 址 alone still anchors the address."""
    lines = [_ln("雷淼", 60), _ln("性别男", 120), _ln("民族汉", 120), _ln("1993年6月8日", 180),
             _ln("址山东省济宁市嘉祥县长江路221号", 240), _ln("公民身份号码", 400), _ln("370829199306087497", 400)]
    got = parse_fields("id_card_front", ParseInput(lines=lines, width=1100, height=694))
    assert got["name"].value == "雷淼" and got["name"].needs_review and "label_not_found" in got["name"].reasons
    assert got["address"].value == "山东省济宁市嘉祥县长江路221号"


def _at(text: str, x: float, y: float, w: float = 400) -> OcrLine:
    return OcrLine(text, 0.99, [[x, y], [x + w, y], [x + w, y + 30], [x, y + 30]])


@pytest.mark.parametrize("label", ["1址", "住:址", "住址"])
def test_address_label_read_with_a_speck(label):
    """A speck before the label (the rest of a faded 住 read as ``1``) or a colon inside it."""
    lines = [_at("姓名杜淼", 40, 60), _at("性别女", 40, 120), _at("出生2000年10月21日", 40, 180),
             _at(label, 40, 240, 60), _at("河南省洛阳市瀍河回族区南京路54号", 140, 240),
             _at("公民身份号码", 40, 400, 160), _at("410304200010218105", 300, 400)]
    f = parse_fields("id_card_front", ParseInput(lines=lines, width=1100, height=694))["address"]
    assert f.value == "河南省洛阳市瀍河回族区南京路54号"


@pytest.mark.parametrize("label", ["住址：", "住址-"])
def test_address_beside_a_padded_label_box(label):
    """The label's box, padded past its colon or a dash speck, reaches over the start of
    the value's own box: the value is still the label's, with all its rows, and no
    speck leads it."""
    lines = [_at("姓名邵勇辉", 40, 60), _at("性别男", 40, 120), _at("出生2001年11月20日", 40, 180),
             _at(label, 40, 240, 121), _at("湖南省株洲市醴陵市建设", 138, 240), _at("路50号锦绣华庭3栋6单元1", 142, 285),
             _at("702室", 141, 330, 90), _at("公民身份号码", 40, 470, 160), _at("43028120011120239X", 300, 470)]
    f = parse_fields("id_card_front", ParseInput(lines=lines, width=1100, height=694))["address"]
    assert f.value == "湖南省株洲市醴陵市建设路50号锦绣华庭3栋6单元1702室"
    assert "label_not_found" not in f.reasons


def test_name_box_overlapping_the_label_box():
    """Both boxes padded: the value's box starts 25 px inside the label's (id_card_front_0051)."""
    lines = [_at("姓名", 69, 90, 117), _at("万梦", 161, 90, 104), _at("性别", 69, 171, 110), _at("女", 166, 171, 59),
             _at("出生", 72, 255, 84), _at("1959年3月19日", 179, 253, 302), _at("住址", 70, 336, 81),
             _at("北京市门头沟区胜利路40号", 180, 334, 420), _at("110109195903199008", 361, 564, 551),
             _at("公民身份号码", 72, 576, 173)]
    f = parse_fields("id_card_front", ParseInput(lines=lines, width=1100, height=694))["name"]
    assert (f.value, f.needs_review) == ("万梦", False)


@pytest.mark.parametrize("auth_label, span_label, value, reasons", [
    ("经度机关", "有效期限", "莎车县公安局", ["label_not_found"]),   # the authority's label misread past matching
    ("发机关", "化效肝限", "南昌县公安局", []),                        # the span's label misread: its dates stay out
])
def test_id_back_authority_with_a_misread_label(auth_label, span_label, value, reasons):
    lines = [_at("中华人民共和国", 333, 100), _at("居民身份证", 317, 200),
             _at(auth_label, 226, 495, 118), _at(value, 375, 495, 211),
             _at(span_label, 230, 540, 116), _at("2011.03.17-2031.03.17", 377, 540, 350)]
    f = parse_fields("id_card_back", ParseInput(lines=lines, width=1100, height=694))["issuing_authority"]
    assert (f.value, f.reasons) == (value, reasons)
    assert f.needs_review is bool(reasons)


def test_a_box_several_rows_tall_is_not_on_the_labels_row():
    """An emblem read as ``C`` beside the certificate number (divorce_certificate_0008)."""
    lines = [_at("持证人", 66, 72, 90), _at("尉迟焱庆", 184, 72, 119), _at("登记日期", 69, 129, 114),
             _at("2006年08月24日", 210, 127, 213), _at("离婚证字号", 70, 185, 136),
             _at("L623027-2006-018995", 235, 182, 290),
             OcrLine("C", 0.9, [[624, 125], [892, 125], [892, 352], [624, 352]])]
    f = parse_fields("divorce_certificate", ParseInput(lines=lines, width=1100, height=760))["certificate_number"]
    assert f.value == "L623027-2006-018995"


def test_a_value_never_starts_with_a_dash():
    lines = [_ln("姓名任娜萱", 100), _ln("住址-河北省秦皇岛市北戴河区金融路190号", 300),
             _ln("公民身份号码130304198511047140", 500)]
    got = parse_fields("id_card_front", ParseInput(lines=lines, width=1100, height=694))
    assert got["address"].value == "河北省秦皇岛市北戴河区金融路190号"


def test_address_rows_without_any_label_are_taken_and_flagged():
    """A grey copy where neither 住址 nor 出生 was read: the rows between the birth date
    and the number, in the value column, are the address, always flagged."""
    lines = [_at("姓名吴欣丽", 40, 60), _at("性别女", 40, 120), _at("民族汉", 300, 120),
             _at("1960年10月27日", 140, 180), _at("吉林省延边朝鲜族自治州图们市", 140, 240),
             _at("人民路269号", 140, 280), _at("222402196010275628", 300, 400), _at("公民身份号码", 40, 400, 160)]
    f = parse_fields("id_card_front", ParseInput(lines=lines, width=1100, height=694))["address"]
    assert f.value == "吉林省延边朝鲜族自治州图们市人民路269号"
    assert f.needs_review and "label_not_found" in f.reasons


def test_no_address_is_invented_from_a_line_out_of_the_value_column():
    """Only rows starting in the value column count: a stray line elsewhere (a stamp's
    remnant beside the portrait) is not an address."""
    lines = [_at("姓名吴欣丽", 40, 60), _at("性别女", 40, 120), _at("1960年10月27日", 140, 180),
             _at("复印件与原件相符", 700, 260, 300), _at("222402196010275628", 300, 400),
             _at("公民身份号码", 40, 400, 160)]
    got = parse_fields("id_card_front", ParseInput(lines=lines, width=1100, height=694))
    assert "address" not in got


def test_county_one_character_off_the_id_numbers_county_is_flagged():
    """渍江区 is no county; the number says 浈江区 (440204): a misread, never trusted."""
    lines = [_ln("姓名王建国", 100), _ln("住址广东省韶关市渍江区新塘镇黄庄村20号", 300),
             _ln("公民身份号码440204199508235839", 500)]
    got = parse_fields("id_card_front", ParseInput(lines=lines, width=1100, height=694))
    assert got["address"].value == "广东省韶关市渍江区新塘镇黄庄村20号"
    assert got["address"].needs_review and "county_misread" in got["address"].reasons
    moved = parse_fields("id_card_front", ParseInput(lines=[lines[0], _ln("住址广东省韶关市武江区新华路8号", 300),
                                                            lines[2]], width=1100, height=694))
    assert "county_misread" not in moved["address"].reasons  # another county: the holder moved
