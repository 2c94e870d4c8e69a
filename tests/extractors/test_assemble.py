"""Grouping a file's pages into documents: each part keeps the page it came from."""

from __future__ import annotations

import numpy as np

from extractors.pipeline import PageResult, _assemble, _Timer
from extractors.types import OcrLine


def _page(n: int, texts: list[str]) -> PageResult:
    lines = [OcrLine(t, 0.99, [[50, 60 * i + 40], [900, 60 * i + 40], [900, 60 * i + 80], [50, 60 * i + 80]], n)
             for i, t in enumerate(texts)]
    return PageResult(lines, np.full((694, 1100, 3), 255, np.uint8), None, 1.0, n, None, {"source": "text_layer"})


def test_a_dropped_blank_page_does_not_shift_the_parts_pages():
    """A three-page scan: a blank page, an ID front, a bank card. The blank page is no
    document and is dropped; the two parts still say pages 2 and 3."""
    units = [
        _page(1, []),
        _page(2, ["姓名王建国", "性别男 民族汉", "出生1985年3月7日", "住址北京市朝阳区建国路8号",
                  "公民身份号码110105198503071230"]),
        _page(3, ["中国工商银行", "借记卡", "6222 0212 3456 7890 128", "银联 UnionPay"]),
    ]
    ex = _assemble("scan.pdf", "0" * 64, units, _Timer(), "rapidocr", 3)
    assert ex.kind == "multiple"
    assert [(p.kind, p.page) for p in ex.parts] == [("id_card_front", 2), ("bank_card", 3)]
