"""`baoquan verify` and `baoquan eval-cases` run() functions, without OCR."""

from __future__ import annotations

import json
from argparse import Namespace
from pathlib import Path

import pytest

from samples.plant import write_suite
from extractors.truth import extraction_from_truth
from tests.verify.verify_builders import clean

from intake.commands import eval_cases as eval_cmd
from intake.commands import verify as verify_cmd


def _run(command, **args) -> int:
    """A delegated command as the CLI calls it: its arguments and the one Settings."""
    from intake.settings import Settings

    return command.run(Namespace(**args), Settings(BAOQUAN_OCR_ENGINE="rapidocr"))


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    c, docs = clean("bank_account_change")
    d = c.model_dump(mode="json")
    d["requested"]["account_number"] = ""
    (tmp_path / "docs").mkdir()
    truth = {}
    for ex in docs:
        (tmp_path / ex.file).write_bytes(b"not really an image")
        truth[ex.file] = {"kind": ex.kind, "fields": {k: f.value for k, f in ex.fields.items()}}
    d["documents"] = [ex.file for ex in docs]
    (tmp_path / "case.json").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "truth.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    return tmp_path


@pytest.fixture
def fake_pipeline(monkeypatch, case_dir):
    truth = json.loads((case_dir / "truth.json").read_text(encoding="utf-8"))
    seen = []

    def extract_path(path, engine=None, display_name=None):
        rel = str(Path(path).relative_to(case_dir))
        seen.append(rel)
        return extraction_from_truth(str(path), truth[rel])

    monkeypatch.setattr("extractors.pipeline.extract_path", extract_path)
    monkeypatch.setattr("extractors.ocr.get_engine", lambda *a, **k: object())
    return seen


def test_verify_prints_one_json_object(case_dir, fake_pipeline, capsys):
    rc = _run(verify_cmd, case=str(case_dir / "case.json"), json=True, engine=None)
    out, err = capsys.readouterr()
    assert rc == 0
    lines = out.strip().splitlines()
    assert len(lines) == 1
    d = json.loads(lines[0])
    assert d["status"] == "ready_for_review" and d["discrepancies"] == []
    assert d["prefill"]["requested.account_number"]["source"] == "docs/bank.jpg"
    assert [x["file"] for x in d["documents"]] == ["docs/id_front.jpg", "docs/id_back.jpg", "docs/bank.jpg"]
    assert sorted(fake_pipeline) == sorted(["docs/id_front.jpg", "docs/id_back.jpg", "docs/bank.jpg"])


def test_verify_human_summary(case_dir, fake_pipeline, capsys):
    assert _run(verify_cmd, case=str(case_dir / "case.json"), json=False, engine=None) == 0
    assert "ready_for_review" in capsys.readouterr().out


@pytest.mark.parametrize("mutate,message", [
    (lambda p: p.unlink(), "case file not found"),
    (lambda p: p.write_text("{", encoding="utf-8"), "invalid JSON at line 1"),
    (lambda p: p.write_text(json.dumps({**json.loads(p.read_text(encoding="utf-8")), "type": "refund"}),
                            encoding="utf-8"), "unknown endorsement type 'refund'"),
    (lambda p: (p.parent / "docs" / "bank.jpg").unlink(), "document not found: docs/bank.jpg"),
])
def test_verify_bad_usage_exits_2(case_dir, capsys, mutate, message):
    p = case_dir / "case.json"
    mutate(p)
    rc = _run(verify_cmd, case=str(p), json=True, engine=None)
    out, err = capsys.readouterr()
    assert rc == 2 and out == ""
    assert message in err


def test_eval_cases_truth_mode(tmp_path, capsys):
    write_suite(tmp_path / "suite", n=42, seed=3)
    out_json = tmp_path / "report.json"
    rc = _run(eval_cmd, dir=str(tmp_path / "suite"), truth=True, json=str(out_json), engine=None)
    assert rc == 0
    text = capsys.readouterr().out
    assert "recall over planted codes" in text and "| endorsement type |" in text
    r = json.loads(out_json.read_text(encoding="utf-8"))
    assert r["mode"] == "truth" and r["cases"] == 42
    assert r["recall"] >= 0.99 and r["false_discrepancy_rate"] <= 0.02


def test_eval_cases_truth_given_as_value(tmp_path, capsys):
    write_suite(tmp_path / "suite", n=14, seed=4)
    assert _run(eval_cmd, dir=str(tmp_path / "suite"), truth="1", json=None, engine=None) == 0
    assert "(truth," in capsys.readouterr().out


def test_eval_cases_ocr_mode_skips_cases_without_images(tmp_path, capsys, monkeypatch):
    write_suite(tmp_path / "suite", n=14, seed=5)
    monkeypatch.setattr("extractors.ocr.get_engine", lambda *a, **k: object())
    assert _run(eval_cmd, dir=str(tmp_path / "suite"), truth=False, json=None, engine=None) == 0
    assert "skipped 14" in capsys.readouterr().out


def test_eval_cases_bad_usage(tmp_path, capsys):
    assert _run(eval_cmd, dir=str(tmp_path / "nope"), truth=True, json=None, engine=None) == 2
    (tmp_path / "empty").mkdir()
    assert _run(eval_cmd, dir=str(tmp_path / "empty"), truth=True, json=None, engine=None) == 2
    assert "no case files" in capsys.readouterr().err
