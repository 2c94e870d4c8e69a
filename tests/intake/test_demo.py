"""`baoquan demo` loads samples through the service functions and queues the documents."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from intake.db.models import Case, Document, User
from intake.demo import DemoError, load_demo

pytestmark = pytest.mark.redis


def _samples(tmp_path, policy_record, png):
    root = tmp_path / "samples"
    (root / "cases" / "docs").mkdir(parents=True)
    (root / "policies.json").write_text(json.dumps([policy_record], ensure_ascii=False), encoding="utf-8")
    (root / "cases" / "docs" / "id_front.png").write_bytes(png)
    case = {"case_id": "C-0001", "type": "id_renewal", "application_date": "2026-11-20", "policy": policy_record,
            "requested": {}, "documents": ["docs/id_front.png"]}
    (root / "cases" / "C-0001.json").write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    return root


def test_demo_loads_cases_users_and_queues_documents(runtime, tmp_path, policy_record, make_png):
    printed = []
    summary = load_demo(runtime, _samples(tmp_path, policy_record, make_png()), out=printed.append)
    assert summary == {"users": ["agent", "clerk", "auditor", "admin"], "policies": 1, "cases": 1, "documents": 1}
    assert sum("password" in line for line in printed) == 4
    with runtime.db.session() as s:
        assert sorted(u.name for u in s.execute(select(User)).scalars()) == ["admin", "agent", "auditor", "clerk"]
        case = s.execute(select(Case)).scalar_one()
        assert (case.external_ref, case.state, case.application_date) == ("C-0001", "processing", "2026-11-20")
        doc = s.execute(select(Document)).scalar_one()
    assert runtime.queue.job_ids == [f"doc-{doc.id}"]
    again = load_demo(runtime, tmp_path / "samples", out=printed.append)
    assert again["users"] == []


def test_demo_without_samples(runtime, tmp_path):
    with pytest.raises(DemoError, match="no demo data"):
        load_demo(runtime, tmp_path / "nothing", out=lambda *_: None)
