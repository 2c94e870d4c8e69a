"""Both OCR engines, offline, on the same inputs; never a hub call."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import pytest
import yaml

from extractors.errors import EngineUnavailable
from extractors.ocr import ENGINES, create_engine
from extractors.ocr.base import lines_from_arrays
from extractors.ocr.models import PADDLE_DET_NAME, PADDLE_REC_NAME, assemble_paddle_model_dirs
from tests.extractors import synth

ROOT = Path(__file__).resolve().parents[2]

OFFLINE_RUN = r"""
import json, socket, sys
attempts = []
def deny(*a, **k):
    attempts.append(repr(a[:2]))
    raise OSError("network disabled by test")
socket.socket.connect = deny
socket.socket.connect_ex = deny
socket.create_connection = deny
socket.getaddrinfo = deny
import cv2
from pathlib import Path
from extractors.ocr import create_engine
engine = create_engine(sys.argv[1], Path(sys.argv[2]))
lines = engine(cv2.imread(sys.argv[3]))
print(json.dumps({"texts": [l.text for l in lines], "attempts": attempts}, ensure_ascii=False))
"""


@pytest.mark.ocr
@pytest.mark.parametrize("name", ENGINES)
def test_engine_reads_chinese_with_networking_impossible(name, tmp_path):
    img = tmp_path / "card.png"
    cv2.imwrite(str(img), synth.card())
    proc = subprocess.run(
        [sys.executable, "-c", OFFLINE_RUN, name, str(tmp_path / "models"), str(img)],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    joined = "".join(out["texts"])
    assert "王建国" in joined
    assert "110105198503071234" in joined
    assert out["attempts"] == []


@pytest.mark.ocr
@pytest.mark.parametrize("name", ENGINES)
def test_engines_give_the_same_line_shape(name, tmp_path):
    engine = create_engine(name, tmp_path / "models")
    lines = engine(synth.card())
    assert lines, "no text read"
    for ln in lines:
        assert len(ln.box) == 4 and all(len(p) == 2 for p in ln.box)
        assert 0.0 <= ln.confidence <= 1.0
        assert ln.text == ln.text.strip() and ln.text
    # boxes lie on the image and reading order is top to bottom
    h, w = synth.card().shape[:2]
    assert all(0 <= p[0] <= w and 0 <= p[1] <= h for ln in lines for p in ln.box)


def test_committed_inference_yml_load_with_installed_paddlex(tmp_path):
    det, rec = assemble_paddle_model_dirs(tmp_path)
    for d, name in ((det, PADDLE_DET_NAME), (rec, PADDLE_REC_NAME)):
        meta = yaml.safe_load((d / "inference.yml").read_text(encoding="utf-8"))
        assert meta["Global"]["model_name"] == name
        assert (d / "inference.onnx").stat().st_size > 1_000_000
    rec_meta = yaml.safe_load((rec / "inference.yml").read_text(encoding="utf-8"))
    assert rec_meta["PostProcess"]["name"] == "CTCLabelDecode"
    assert len(rec_meta["PostProcess"]["character_dict"]) == 18708
    # paddlex itself reads the config and builds its processors from it
    from extractors.ocr.paddle import _accept_installed_opencv

    _accept_installed_opencv()
    from paddlex.inference.utils.official_models import official_models  # noqa: F401
    from paddlex import create_predictor

    for d, name in ((det, PADDLE_DET_NAME), (rec, PADDLE_REC_NAME)):
        predictor = create_predictor(model_name=name, model_dir=str(d), device="cpu", engine="onnxruntime")
        assert predictor is not None


def test_model_dirs_are_assembled_once(tmp_path):
    det, _ = assemble_paddle_model_dirs(tmp_path)
    before = (det / "inference.onnx").stat().st_mtime_ns
    assemble_paddle_model_dirs(tmp_path)
    assert (det / "inference.onnx").stat().st_mtime_ns == before


def test_unknown_engine_name_is_refused():
    with pytest.raises(EngineUnavailable) as err:
        create_engine("tesseract")
    assert "rapidocr" in str(err.value)


def test_lines_from_arrays_drops_empty_texts_and_keeps_polygons():
    lines = lines_from_arrays([[[0, 0], [10, 0], [10, 5], [0, 5]], [[0, 9], [10, 9], [10, 14], [0, 14]]], ["甲", " "], [0.9, 0.8])
    assert [ln.text for ln in lines] == ["甲"]
    assert lines[0].box[2] == [10.0, 5.0]
