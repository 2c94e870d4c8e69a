"""The people's half through CONTRACT's HTTP names: submit, correct, decide, return and
resubmit, audit samples, blind review, statistics. Documents are "read" by recording an
extraction (the real pipeline runs in tests/e2e and the browser tests)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import play_worker
from intake.db.models import AuditEvent, Case, Document

pytestmark = pytest.mark.redis

ID = "110105198503071230"  # a valid GB 11643 number (check digit 0)
POLICY_NO = "P2026000001"
TODAY = date.today().isoformat()


def id_front(name="王建国", id_number=ID, needs_review=False):
    box = [[20, 30], [200, 30], [200, 70], [20, 70]]
    return {"kind": "id_card_front", "kind_confidence": 0.95, "quality": {"ok": True, "issues": []},
            "fields": {"name": {"value": name, "confidence": 0.99, "box": box, "page": 1, "needs_review": needs_review},
                       "id_number": {"value": id_number, "confidence": 0.99, "box": box, "page": 1,
                                     "needs_review": False},
                       "sex": {"value": "男", "confidence": 0.99, "box": box, "page": 1, "needs_review": False},
                       "birth_date": {"value": "1985-03-07", "confidence": 0.99, "box": box, "page": 1,
                                      "needs_review": False}},
            "lines": [], "pages": 1}


def id_back():
    box = [[20, 30], [200, 30], [200, 70], [20, 70]]
    return {"kind": "id_card_back", "kind_confidence": 0.95, "quality": {"ok": True, "issues": []},
            "fields": {"issuing_authority": {"value": "北京市公安局朝阳分局", "confidence": 0.99, "box": box, "page": 1,
                                             "needs_review": False},
                       "valid_from": {"value": "2020-01-01", "confidence": 0.99, "box": box, "page": 1,
                                      "needs_review": False},
                       "valid_until": {"value": "2040-01-01", "confidence": 0.99, "box": box, "page": 1,
                                       "needs_review": False}},
            "lines": [], "pages": 1}


@pytest.fixture
def people(client, make_user, runtime, policy_record):
    from intake import cases
    from verify.types import Policy

    record = {**policy_record, "policy_no": POLICY_NO,
              "policyholder": {**policy_record["policyholder"], "id_number": ID}}
    with runtime.db.session() as s:
        cases.import_policies(s, [Policy.model_validate(record)], "test")
        s.commit()
    agent, agent_h = make_user("agent", "agent1")
    clerk, clerk_h = make_user("clerk", "clerk1")
    auditor, auditor_h = make_user("auditor", "auditor1")
    return {"agent": agent_h, "clerk": clerk_h, "auditor": auditor_h}


def read_all(runtime, case_id, results):
    """Play the worker: record a reading for each queued document of the case, in order."""
    with runtime.db.session() as s:
        ids = s.execute(select(Document.id).where(Document.case_id == case_id, Document.state == "queued")
                        .order_by(Document.id)).scalars().all()
    for doc_id, result in zip(ids, results):
        play_worker(runtime, doc_id, result)
    return ids


def new_case(client, people, make_png, n_docs=2, type_="id_renewal"):
    r = client.post("/api/v1/cases", headers=people["agent"],
                    json={"policy_no": POLICY_NO, "type": type_, "requested": {}})
    assert r.status_code == 201 and r.json()["state"] == "draft"
    cid = r.json()["id"]
    files = [("files", (f"p{i}.png", make_png(text_lines=(f"page {i}",)), "image/png")) for i in range(n_docs)]
    r = client.post(f"/api/v1/cases/{cid}/documents", headers=people["agent"], files=files)
    assert r.status_code == 201
    return cid


def state(client, people, cid):
    return client.get(f"/api/v1/cases/{cid}", headers=people["clerk"]).json()


def test_submit_correct_and_approve_with_an_override(client, people, runtime, make_png):
    cid = new_case(client, people, make_png)
    assert state(client, people, cid)["state"] == "processing"
    assert client.post(f"/api/v1/cases/{cid}/submit", headers=people["agent"]).status_code == 200
    doc_ids = read_all(runtime, cid, [id_front(name="王建图"), id_back()])
    case = state(client, people, cid)
    assert case["state"] == "ready_for_review" and case["submitted_at"]
    assert {d["code"] for d in case["discrepancies"]} >= {"name_mismatch"}

    # approve is refused while an error is open; the 409 names the state
    r = client.post(f"/api/v1/cases/{cid}/decision", headers=people["clerk"], json={"action": "approve"})
    assert r.status_code == 409 and r.json()["state"] == "ready_for_review" and "name_mismatch" in r.json()["detail"]

    # the clerk corrects the misread name: stored beside the machine's reading, verified again
    r = client.patch(f"/api/v1/cases/{cid}/fields", headers=people["clerk"],
                     json={"document_id": doc_ids[0], "field": "name", "value": "王建国"})
    assert r.status_code == 200
    body = r.json()
    assert "name_mismatch" not in {d["code"] for d in body["discrepancies"]}
    [corr] = body["corrections"]
    assert (corr["field"], corr["value"], corr["machine_value"]) == ("name", "王建国", "王建图")
    machine = body["documents"][0]["result"]["fields"]["name"]["value"]
    assert machine == "王建图"  # the machine's reading is kept

    r = client.post(f"/api/v1/cases/{cid}/decision", headers=people["clerk"], json={"action": "approve"})
    assert r.status_code == 200 and r.json()["state"] == "approved"
    assert r.json()["decision"]["decided_by"] == "clerk1"
    # a decided case: no more decisions, corrections, uploads or submits
    assert client.post(f"/api/v1/cases/{cid}/decision", headers=people["clerk"],
                       json={"action": "reject", "reason": "x"}).json()["state"] == "approved"
    assert client.patch(f"/api/v1/cases/{cid}/fields", headers=people["clerk"],
                        json={"document_id": doc_ids[0], "field": "name", "value": "x"}).status_code == 409
    assert client.post(f"/api/v1/cases/{cid}/submit", headers=people["agent"]).status_code == 409
    r = client.post(f"/api/v1/cases/{cid}/documents", headers=people["agent"],
                    files=[("files", ("late.png", make_png(), "image/png"))])
    assert r.status_code == 409 and r.json()["state"] == "approved"

    with runtime.db.session() as s:
        events = s.execute(select(AuditEvent).where(AuditEvent.object_type == "case",
                                                    AuditEvent.object_id == str(cid))
                           .order_by(AuditEvent.seq)).scalars().all()
    moves = [(e.details["from"], e.details["to"]) for e in events if e.action in
             ("case.processing", "case.ready_for_review", "case.approved")]
    assert moves == [("draft", "processing"), ("processing", "ready_for_review"), ("ready_for_review", "approved")]
    assert all(e.actor for e in events)


def test_override_reason_is_recorded(client, people, runtime, make_png):
    cid = new_case(client, people, make_png, n_docs=1)
    read_all(runtime, cid, [id_front(name="李四")])
    r = client.post(f"/api/v1/cases/{cid}/decision", headers=people["clerk"],
                    json={"action": "approve", "override_reason": "核对原件无误"})
    assert r.status_code == 200
    assert r.json()["decision"]["override_reason"] == "核对原件无误"


def test_return_goes_back_to_the_agent_and_comes_back(client, people, runtime, make_png):
    cid = new_case(client, people, make_png, n_docs=1)
    read_all(runtime, cid, [id_front()])
    assert client.post(f"/api/v1/cases/{cid}/decision", headers=people["clerk"],
                       json={"action": "return"}).status_code == 422  # a return needs its reason
    r = client.post(f"/api/v1/cases/{cid}/decision", headers=people["clerk"],
                    json={"action": "return", "reason": "缺少身份证国徽面"})
    assert r.json()["state"] == "returned"
    mine = client.get(f"/api/v1/cases/{cid}", headers=people["agent"]).json()
    assert mine["decision"]["reason"] == "缺少身份证国徽面"
    # the agent adds the missing side; the case waits for the resubmit
    client.post(f"/api/v1/cases/{cid}/documents", headers=people["agent"],
                files=[("files", ("back.png", make_png(text_lines=("back",)), "image/png"))])
    read_all(runtime, cid, [id_back()])
    assert state(client, people, cid)["state"] == "returned"
    r = client.post(f"/api/v1/cases/{cid}/submit", headers=people["agent"])
    assert r.status_code == 200 and r.json()["state"] == "ready_for_review"  # every document already read
    assert "document_missing" not in {d["code"] for d in state(client, people, cid)["discrepancies"]}


def test_roles_and_illegal_moves(client, people, runtime, make_png, make_user):
    cid = new_case(client, people, make_png, n_docs=1)
    _, other_agent = make_user("agent", "agent2")
    assert client.post(f"/api/v1/cases/{cid}/submit", headers=other_agent).status_code == 404
    assert client.post(f"/api/v1/cases/{cid}/decision", headers=people["agent"],
                       json={"action": "approve"}).status_code == 403
    r = client.post(f"/api/v1/cases/{cid}/decision", headers=people["clerk"], json={"action": "approve"})
    assert r.status_code == 409 and r.json()["state"] == "processing"
    assert client.get(f"/api/v1/cases/{cid}", headers=people["auditor"]).status_code == 404  # blind: samples only
    r = client.post("/api/v1/cases", headers=people["agent"], json={"policy_no": POLICY_NO, "type": "surrender"})
    empty = r.json()["id"]
    r = client.post(f"/api/v1/cases/{empty}/submit", headers=people["agent"])
    assert r.status_code == 409 and r.json()["state"] == "draft"


def _decided_cases(client, people, runtime, make_png, n):
    ids = []
    for i in range(n):
        cid = new_case(client, people, make_png, n_docs=2)
        read_all(runtime, cid, [id_front(name="王建图" if i == 0 else "王建国"), id_back()])
        action = {"action": "approve"} if i % 3 else {"action": "reject", "reason": "资料不符"}
        if i == 0:
            action = {"action": "approve", "override_reason": "原件核对"}
        assert client.post(f"/api/v1/cases/{cid}/decision", headers=people["clerk"], json=action).status_code == 200
        ids.append(cid)
    return ids


def test_audit_sample_blind_review_and_statistics(client, people, runtime, make_png):
    ids = _decided_cases(client, people, runtime, make_png, 6)
    body = {"seed": 7, "rate": 0.5, "from": TODAY, "to": TODAY, "strata": ["type", "clerk"], "min_per_stratum": 1}
    assert client.post("/api/v1/audit/samples", headers=people["clerk"], json=body).status_code == 403
    a = client.post("/api/v1/audit/samples", headers=people["auditor"], json=body).json()
    b = client.post("/api/v1/audit/samples", headers=people["auditor"], json=body).json()
    assert a["id"] != b["id"] and a["cases"] == b["cases"]
    assert len(a["cases"]) == 4  # ceil(0.5 × 1 overridden) + ceil(0.5 × 5 others), one stratum
    assert set(a["cases"]) <= set(ids)
    everything = client.post("/api/v1/audit/samples", headers=people["auditor"],
                             json={**body, "rate": 0.0, "override_rate": 1.0}).json()
    assert ids[0] in everything["cases"]  # the overridden approval, at its own rate
    other = client.post("/api/v1/audit/samples", headers=people["auditor"], json={**body, "seed": 8}).json()
    assert len(other["cases"]) == 4

    cid = a["cases"][0]
    blind = client.get(f"/api/v1/audit/samples/{a['id']}/cases/{cid}", headers=people["auditor"]).json()
    assert blind["reviewed"] is False and "clerk" not in blind and "decision" not in blind
    assert blind["documents"] and blind["documents"][0]["result"]["fields"]["id_number"]["value"] != ID  # masked
    assert client.get(f"/api/v1/audit/samples/{a['id']}/cases/{ids[-1] + 99}",
                      headers=people["auditor"]).status_code == 404
    with runtime.db.session() as s:
        decision = s.get(Case, cid).decision
    r = client.post(f"/api/v1/audit/samples/{a['id']}/reviews", headers=people["auditor"],
                    json={"case_id": cid, "verdict": "approve"})
    assert r.status_code == 201
    assert r.json()["clerk"]["decision"] == decision and r.json()["agrees"] == (decision == "approve")
    assert client.post(f"/api/v1/audit/samples/{a['id']}/reviews", headers=people["auditor"],
                       json={"case_id": cid, "verdict": "approve"}).status_code == 409
    revealed = client.get(f"/api/v1/audit/samples/{a['id']}/cases/{cid}", headers=people["auditor"]).json()
    assert revealed["reviewed"] is True and revealed["clerk"]["decision"] == decision

    stats = client.get("/api/v1/audit/stats", headers=people["auditor"]).json()
    assert stats["cases_decided"] == 6 and stats["cases_reviewed"] == 1
    agree = stats["decision_agreement"]
    assert agree["n"] == 1 and agree["agree"] == int(decision == "approve") and len(agree["ci95"]) == 2
    names = {(f["kind"], f["field"]): f for f in stats["field_accuracy"]}
    assert names[("id_card_front", "name")]["n"] == 6
    assert stats["auto_accepted"]["share"] == 1.0  # every recorded field had needs_review false
    assert stats["discrepancy_precision"]["n"] >= 1
    rows = list(csv.reader(io.StringIO(client.get("/api/v1/audit/stats?format=csv",
                                                  headers=people["auditor"]).text)))
    assert rows[0][:3] == ["section", "key", "n"] and ["decision_agreement", "all"] == rows[1][:2]
    assert client.get("/api/v1/audit/stats", headers=people["agent"]).status_code == 403


def test_field_correction_rejects_unknown_fields_and_foreign_documents(client, people, runtime, make_png):
    cid = new_case(client, people, make_png, n_docs=1)
    [doc] = read_all(runtime, cid, [id_front()])
    r = client.patch(f"/api/v1/cases/{cid}/fields", headers=people["clerk"],
                     json={"document_id": doc, "field": "colour", "value": "red"})
    assert r.status_code == 422
    r = client.patch(f"/api/v1/cases/{cid}/fields", headers=people["clerk"],
                     json={"document_id": doc + 1000, "field": "name", "value": "x"})
    assert r.status_code == 404
    # a field the kind has but the machine did not read can be filled in
    r = client.patch(f"/api/v1/cases/{cid}/fields", headers=people["clerk"],
                     json={"document_id": doc, "field": "address", "value": "北京市朝阳区建国路1号\u202e"})
    assert r.status_code == 200 and r.json()["corrections"][0]["value"] == "北京市朝阳区建国路1号"


@pytest.fixture
def id_renewal_straight_through(monkeypatch):
    """The packaged rules with auto_approve turned on for id_renewal only (off everywhere by default)."""
    import dataclasses

    from intake import processing
    from verify.requirements import default_rules

    rules = default_rules()
    assert not any(t.auto_approve for t in rules.types.values())
    types = {**rules.types, "id_renewal": dataclasses.replace(rules.types["id_renewal"], auto_approve=True)}
    monkeypatch.setattr(processing, "default_rules", lambda: dataclasses.replace(rules, types=types))


def test_straight_through_approves_only_a_case_with_nothing_open(client, people, runtime, make_png,
                                                                id_renewal_straight_through):
    clean = new_case(client, people, make_png, n_docs=2)
    read_all(runtime, clean, [id_front(), id_back()])
    case = state(client, people, clean)
    assert case["state"] == "approved"
    assert case["decision"]["decided_by"] == "system" and case["decision"]["auto_approved"] is True

    flagged = new_case(client, people, make_png, n_docs=2)
    read_all(runtime, flagged, [id_front(needs_review=True), id_back()])  # a field to look at: not straight-through
    assert state(client, people, flagged)["state"] == "ready_for_review"

    missing = new_case(client, people, make_png, n_docs=1)
    read_all(runtime, missing, [id_front()])  # the back is missing
    assert state(client, people, missing)["state"] == "ready_for_review"

    # auto-approved cases are in the auditors' population, at their own rate
    s = client.post("/api/v1/audit/samples", headers=people["auditor"],
                    json={"seed": 1, "rate": 0.0, "auto_rate": 1.0, "from": TODAY, "to": TODAY,
                          "min_per_stratum": 0}).json()
    assert s["cases"] == [clean]


def test_agent_withdraws_a_bad_photo_and_the_retake_replaces_it(client, people, runtime, make_png):
    blurred = {**id_front(), "quality": {"ok": False, "issues": [{"code": "blur", "severity": "error",
                                                                   "message": "blurred"}]}}
    cid = new_case(client, people, make_png, n_docs=2)
    [bad, back] = read_all(runtime, cid, [blurred, id_back()])
    assert "document_unreadable" in {d["code"] for d in state(client, people, cid)["discrepancies"]}
    client.post(f"/api/v1/cases/{cid}/decision", headers=people["clerk"], json={"action": "return", "reason": "照片模糊"})
    r = client.post(f"/api/v1/cases/{cid}/documents", headers=people["agent"],
                    files=[("files", ("retake.png", make_png(text_lines=("retake",)), "image/png"))])
    [retake] = [d["id"] for d in r.json()]
    assert client.delete(f"/api/v1/cases/{cid}/documents/{retake}", headers=people["agent"]).status_code == 409  # unread
    assert client.delete(f"/api/v1/cases/{cid}/documents/{bad}", headers=people["clerk"]).status_code == 403
    r = client.delete(f"/api/v1/cases/{cid}/documents/{bad}", headers=people["agent"])
    assert r.status_code == 200 and r.json()["state"] == "withdrawn"
    assert client.delete(f"/api/v1/cases/{cid}/documents/{bad}", headers=people["agent"]).status_code == 404
    read_all(runtime, cid, [id_front()])
    r = client.post(f"/api/v1/cases/{cid}/submit", headers=people["agent"])
    assert r.json()["state"] == "ready_for_review"
    codes = {d["code"] for d in r.json()["discrepancies"]}
    assert "document_unreadable" not in codes and "document_missing" not in codes
    labels = r.json()["verification"]["documents"]
    assert all(f"/{bad}/" not in d["file"] for d in labels) and len(labels) == 2
    # decided: nothing more to withdraw
    client.post(f"/api/v1/cases/{cid}/decision", headers=people["clerk"], json={"action": "approve"})
    r = client.delete(f"/api/v1/cases/{cid}/documents/{back}", headers=people["agent"])
    assert r.status_code == 409 and r.json()["state"] == "approved"
