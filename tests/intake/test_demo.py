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
    assert again["users"] == [] and again["cases"] == 0 and again.get("skipped") == 1  # nothing duplicated
    with runtime.db.session() as s:
        assert len(s.execute(select(Case)).scalars().all()) == 1


def test_demo_leaves_cases_in_the_states_it_names(runtime, tmp_path, policy_record, make_png, record_reading):
    from intake.demo import settle

    root = _samples(tmp_path, policy_record, make_png())
    second = json.loads((root / "cases" / "C-0001.json").read_text(encoding="utf-8"))
    (root / "cases" / "C-0002.json").write_text(json.dumps({**second, "case_id": "C-0002"}, ensure_ascii=False),
                                                encoding="utf-8")
    (root / "demo_states.json").write_text(json.dumps({
        "C-0001": {"action": "return", "reason": "请补充身份证国徽面"}, "C-0002": {"state": "draft"}}),
        encoding="utf-8")
    summary = load_demo(runtime, root, out=lambda *_: None)
    assert (summary["cases"], summary["documents"]) == (2, 1)
    assert settle(runtime, root, wait=0, out=lambda *_: None) == {"C-0001": "processing"}  # not read yet
    with runtime.db.session() as s:
        doc = s.execute(select(Document)).scalar_one()
    record_reading(doc.id)
    assert settle(runtime, root, wait=5, out=lambda *_: None) == {"C-0001": "returned"}
    with runtime.db.session() as s:
        states = {c.external_ref: (c.state, c.decision_reason) for c in s.execute(select(Case)).scalars()}
    assert states == {"C-0001": ("returned", "请补充身份证国徽面"), "C-0002": ("draft", None)}


def test_a_planned_approval_blocked_by_an_error_is_approved_with_an_override(runtime, tmp_path, policy_record,
                                                                            make_png, record_reading):
    """The OCR may raise an error the plan did not foresee: the demo still loads, the case is
    approved with the demo's override reason (never a crash of `make run`)."""
    from intake.demo import DEMO_OVERRIDE, settle

    root = _samples(tmp_path, policy_record, make_png())
    (root / "demo_states.json").write_text(json.dumps({"C-0001": {"action": "approve"}}), encoding="utf-8")
    load_demo(runtime, root, out=lambda *_: None)
    with runtime.db.session() as s:
        doc = s.execute(select(Document)).scalar_one()
    record_reading(doc.id)  # an ID front only: the back is missing, an error-level discrepancy
    said = []
    assert settle(runtime, root, wait=5, out=said.append) == {"C-0001": "approved"}
    with runtime.db.session() as s:
        case = s.execute(select(Case)).scalar_one()
    assert case.override_reason == DEMO_OVERRIDE and any("override" in line for line in said)


def test_demo_without_samples(runtime, tmp_path):
    with pytest.raises(DemoError, match="no demo data"):
        load_demo(runtime, tmp_path / "nothing", out=lambda *_: None)
