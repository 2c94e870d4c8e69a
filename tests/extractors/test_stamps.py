"""Hand-stamp words are cut out of OCR lines, and only stamp words."""

from __future__ import annotations

import pytest

from extractors.stamps import flag_hidden_fields, strip_stamps
from extractors.types import Field, OcrLine

BOX = [[0, 0], [100, 0], [100, 20], [0, 20]]


@pytest.mark.parametrize("text, kept", [
    ("复印无效", None),
    ("仅供办理保全使用", None),
    ("仅供办理理赔使用", None),  # any purpose between 仅供 and 使用
    ("上海市闵行区科技路272号15号楼603再", "上海市闵行区科技路272号15号楼603"),
    ("住址北京市朝阳区复印无效建国路8号", "住址北京市朝阳区建国路8号"),
    ("再生资源回收站", "再生资源回收站"),   # 再 inside a real word stays
    ("全使", None),                          # what OCR kept of 仅供办理保全使用
    ("王建国", "王建国"),
])
def test_stamp_words_are_cut_and_nothing_else(text, kept):
    out = strip_stamps([OcrLine(text, 0.95, BOX, 1)])
    assert [ln.text for ln in out.lines] == ([kept] if kept else [])
    assert bool(out.stamp_boxes) == (kept != text)


def test_a_field_under_a_stamp_is_flagged():
    f = Field(value="北京市朝阳区建国路8号", confidence=0.95, box=[[10, 5], [90, 5], [90, 15], [10, 15]], page=1,
              needs_review=False)
    flag_hidden_fields({"address": f}, [BOX])
    assert f.needs_review and "stamp_overlap" in f.reasons
