"""classify(lines, width, height) over the recorded fixtures and OCR-noise variants."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.classify import classify, scores
from extractors.kinds import KINDS
from extractors.types import OcrLine

FIX = Path(__file__).parent / "fixtures" / "lines"
ALL = sorted(FIX.glob("hand_*.json")) + sorted(FIX.glob("real_*.json"))


def _load(path):
    doc = json.loads(path.read_text())
    return doc, [OcrLine.from_dict(d) for d in doc["lines"]]


@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_fixture_kind(path):
    doc, lines = _load(path)
    kind, conf = classify(lines, doc["width"], doc["height"])
    assert kind == doc["kind"], scores(lines, doc["width"], doc["height"])
    assert 0.0 <= conf <= 1.0


def ln(text, y=0, x=0, w=400):
    return OcrLine(text, 0.95, [[x, y], [x + w, y], [x + w, y + 30], [x, y + 30]])


@pytest.mark.parametrize("texts, size, kind", [
    (["姓 名 王建国", "性别男民族汉", "出生1985年3月7日", "佳址北京市朝阳区", "公民身份号玛110105198503071230"],
     (1012, 638), "id_card_front"),
    (["中华人民共和国", "居民身份证", "签发机美北京市公安局", "有效期限2016.05.12-2036.05.12"], (1012, 638), "id_card_back"),
    (["中国工商银行", "6222 0212 3456 7890 128", "银联"], (1012, 638), "bank_card"),
    (["6222 0212 3456 7890 128", "UnionPay"], (1012, 638), "bank_card"),
    (["收入证眀", "兹证明王建国系我单位员工", "月收入为人民币12500元"], (1240, 1754), "income_proof"),
    (["结婚证", "持证人王建国", "结婚证字号J110105-2018-001234"], (1240, 880), "marriage_certificate"),
    (["离婚证", "持证人王建国", "离婚证字号L110105-2018-001234"], (1240, 880), "divorce_certificate"),
    (["常住人口登记卡", "姓名王建国", "户主或与户主关系户主"], (1240, 900), "household_register"),
    (["北京市朝阳区人民法院", "民事判决书", "(2024)京0105民初12345号", "原告王建国"], (1240, 1754), "court_judgment"),
    (["上海市浦东新区人民法院", "民事调解书", "申请人李小红"], (1240, 1754), "court_judgment"),
    (["超市购物小票", "合计35.50元"], (600, 900), "other"),
    ([], (600, 900), "other"),
])
def test_keywords_and_noise(texts, size, kind):
    lines = [ln(t, y=40 * i) for i, t in enumerate(texts)]
    got, conf = classify(lines, *size)
    assert got == kind, scores(lines, *size)
    assert 0.0 <= conf <= 1.0


def test_id_number_alone_is_not_a_bank_card():
    got, _ = classify([ln("公民身份号码110105198503071230")], 1012, 638)
    assert got == "id_card_front"


def test_every_kind_has_keywords():
    from extractors.classify import KEYWORDS
    assert set(KEYWORDS) == set(KINDS) - {"other"}


def test_confidence_lower_when_ambiguous():
    clear = classify([ln("收入证明"), ln("兹证明"), ln("月收入12500元"), ln("年收入150000元")], 1240, 1754)
    mixed = classify([ln("收入证明"), ln("签发机关"), ln("有效期限")], 1240, 1754)
    assert clear[1] > mixed[1]


def test_certificate_page_with_its_title_cut_off_is_not_an_id_card():
    """A photo of a marriage certificate's inner page cropped above 结婚证字号: person
    blocks like an ID card's, but two people, each with 国籍."""
    def ln(t, y):
        return OcrLine(t, 0.99, [[0, y], [600, y], [600, y + 30], [0, y + 30]])
    rows = ["姓名王建国 性别男", "国籍中国 出生日期1985年03月07日", "身份证件号110105198503071230",
            "姓名李丽 性别女", "国籍中国 出生日期1987年09月02日", "身份证件号110105198709023322"]
    lines = [ln(t, 40 * i) for i, t in enumerate(rows)]
    kind, _ = classify(lines, 1400, 1000)
    assert kind in ("marriage_certificate", "divorce_certificate"), scores(lines, 1400, 1000)
