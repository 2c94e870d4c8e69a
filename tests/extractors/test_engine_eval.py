"""A small evaluation with each OCR engine (issue 7): both must run the whole pipeline
offline and classify the committed documents."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extractors.ocr import ENGINES
from intake.commands.evaluate import evaluate

pytestmark = [pytest.mark.ocr, pytest.mark.slow]

DOCS = Path(__file__).resolve().parents[2] / "samples" / "docs"
PICK = ["id_front_01", "id_back_01", "bank_01", "income_03", "marriage_02", "household_08_head",
        "degraded_glare", "degraded_low_light"]


@pytest.fixture(scope="module")
def small_set(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("small-eval")
    for stem in PICK:
        for p in DOCS.glob(stem + ".*"):
            shutil.copy(p, out / p.name)
    return out


@pytest.mark.parametrize("engine", ENGINES)
def test_small_eval_with_each_engine(engine, small_set, tmp_path):
    report = evaluate(small_set, engine, model_root=tmp_path / "models")
    assert report["engine"] == engine
    assert report["processed"] == len(PICK) and not report["crashes"]
    assert report["classification"]["accuracy"] >= 87.5  # at most one of eight wrong
    assert report["silent_error_rate"] is not None and report["silent_error_rate"] <= 5.0
    assert report["quality"].get("glare", {}).get("recall") == 1.0
