"""The quick check: kind and retake verdict without reading fields (``extractors.quick_check``).

The committed photos go through the real OCR models (marked ``ocr``); bad input, the
Chinese message and the JSON shape need no model.
"""

from __future__ import annotations

import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from extractors.kinds import KINDS, MULTIPLE, OTHER, UNREADABLE
from extractors.quick_check import CODE_ZH, KIND_ZH, QuickVerdict, quick_check
from extractors.types import ERROR, WARNING, Quality, QualityIssue

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "samples" / "docs"
CONTRACT_CODES = ("corrupt_file", "encrypted", "unsupported_type", "too_large", "blur", "glare", "too_dark",
                  "overexposed", "low_resolution", "document_cropped", "not_a_document", "photocopy", "occluded",
                  "screen_recapture")


class NoEngine:
    """Bad input never reaches the OCR engine."""

    name = "none"
    reads_rotated_lines = False

    def __call__(self, image):
        raise AssertionError("the engine must not run on bad input")


@pytest.fixture(scope="module")
def engine():
    from extractors.ocr import get_engine

    return get_engine("rapidocr")


# --------------------------------------------------------------------------- real OCR


@pytest.mark.ocr
def test_blurred_photo_asks_for_a_retake(engine):
    v = quick_check((DOCS / "degraded_defocus_blur.jpg").read_bytes(), engine)
    assert v.retake is True
    assert "blur" in {i.code for i in v.quality.issues}
    assert "模糊，请重拍" in v.message_zh
    assert v.to_dict()["quality"]["ok"] is False


@pytest.mark.ocr
def test_good_id_front_is_usable(engine):
    v = quick_check((DOCS / "id_front_01.jpg").read_bytes(), engine)
    assert v.kind == "id_card_front"
    assert v.retake is False
    assert v.message_zh == "身份证人像面：可用"


@pytest.mark.ocr
def test_two_cards_on_a_sheet_are_several_documents(engine):
    v = quick_check((DOCS / "sheet_id_both_02.jpg").read_bytes(), engine)
    assert v.kind == MULTIPLE
    assert sorted(v.parts) == ["id_card_back", "id_card_front"]
    assert v.message_zh.startswith("多份文件（")


# --------------------------------------------------------------------------- bad input


def _png_header(w: int, h: int) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("data,code", [
    (b"\xff\xd8\xff\xe0 not really a jpeg", "corrupt_file"),
    (b"", "corrupt_file"),
    (b"hello, this is text", "unsupported_type"),
    (_png_header(20000, 20000), "too_large"),
])
def test_bad_input_is_an_unreadable_verdict(data, code):
    v = quick_check(data, NoEngine())
    assert v.kind == UNREADABLE
    assert [i.code for i in v.quality.issues] == [code]
    assert v.retake is True
    assert v.message_zh == "文件无法读取，请重拍"


def test_the_callers_pixel_limit_applies(tmp_path):
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(buf, "PNG")
    v = quick_check(buf.getvalue(), NoEngine(), max_pixels=10_000)
    assert v.kind == UNREADABLE and v.quality.issues[0].code == "too_large"


# --------------------------------------------------------------------------- the verdict


def _verdict(kind: str, *issues: tuple[str, str], parts=()) -> QuickVerdict:
    return QuickVerdict(kind, 0.9, Quality([QualityIssue(c, s, "…") for c, s in issues]), parts=list(parts))


@pytest.mark.parametrize("verdict,retake,message", [
    (_verdict("id_card_front", ("blur", ERROR)), True, "身份证人像面：模糊，请重拍"),
    (_verdict("bank_card"), False, "银行卡：可用"),
    (_verdict("bank_card", ("glare", WARNING)), False, "银行卡：有反光，可用"),
    (_verdict("id_card_back", ("photocopy", WARNING), ("blur", ERROR)), True, "身份证国徽面：模糊，复印件，请重拍"),
    (_verdict("income_proof", ("too_dark", ERROR), ("document_cropped", ERROR)), True, "收入证明：太暗，证件不完整，请重拍"),
    (_verdict(OTHER, ("not_a_document", ERROR)), True, "不是证件，请重拍"),
    (_verdict(MULTIPLE, ("photocopy", WARNING), parts=["id_card_front", "id_card_back"]), False,
     "多份文件（身份证人像面、身份证国徽面）：复印件，可用"),
    (_verdict(UNREADABLE, ("encrypted", ERROR)), True, "文件无法读取，请重拍"),
    (_verdict("court_judgment", ("occluded", WARNING)), False, "法院判决书/调解书：有遮挡，可用"),
])
def test_message_and_retake(verdict, retake, message):
    assert verdict.retake is retake
    assert verdict.message_zh == message


def test_not_a_document_asks_for_a_retake_even_as_a_warning():
    assert _verdict(OTHER, ("not_a_document", WARNING)).retake is True


def test_json_has_the_contract_keys():
    d = _verdict("id_card_front", ("glare", ERROR)).to_dict()
    assert set(d) == {"kind", "kind_confidence", "quality", "retake", "message_zh"}
    assert d["quality"] == {"ok": False, "issues": [{"code": "glare", "severity": "error", "message": "…"}]}
    assert d["retake"] is True and d["message_zh"] == "身份证人像面：有反光，请重拍"


def test_every_kind_and_code_has_its_chinese_words():
    assert set(KINDS) | {MULTIPLE, UNREADABLE} <= set(KIND_ZH)
    assert set(CONTRACT_CODES) <= set(CODE_ZH)
    assert CODE_ZH["blur"] == "模糊" and CODE_ZH["low_resolution"] == "分辨率太低"


def test_importable_without_the_service():
    service = ("intake", "queues", "fastapi", "starlette", "rq", "redis", "sqlalchemy")
    code = ("import sys, extractors.quick_check; "
            f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {service!r}); "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
