"""Cases and policies as the API and pages show them, masked per role.

Clerks and admins see values unmasked (they compare them with the documents) and each
such view is audited; agents and auditors get ID and card numbers masked everywhere
(fields, OCR lines, requested values, verification). List views are always masked.
"""

from __future__ import annotations

from typing import Any

from verify.masking import CARD_FIELDS, ID_FIELDS, mask_value, scrub

from intake.auth import Principal
from intake.db.models import Case, Document, FieldCorrection, Policy

__all__ = ["mask_tree", "unmasked_roles", "case_summary", "case_detail", "document_public", "document_view",
           "policy_public", "decision_public"]

UNMASKED_ROLES = ("clerk", "admin")
_SENSITIVE = ID_FIELDS | CARD_FIELDS


def unmasked_roles(user: Principal) -> bool:
    return user.role in UNMASKED_ROLES


def mask_tree(obj: Any, sensitive: bool = False, key: str = "") -> Any:
    """A copy of ``obj`` with every ID/card number masked (by key name and by digit runs)."""
    if isinstance(obj, dict):
        return {k: mask_tree(v, sensitive or k in _SENSITIVE, k if k in _SENSITIVE else key) for k, v in obj.items()}
    if isinstance(obj, list):
        return [mask_tree(v, sensitive, key) for v in obj]
    if isinstance(obj, str):
        if sensitive and key:
            return scrub(str(mask_value(key, obj)))
        return scrub(obj)
    return obj


def document_public(doc: Document) -> dict[str, Any]:
    ex = doc.extraction
    return {
        "id": doc.id, "case_id": doc.case_id, "filename": doc.filename, "content_type": doc.content_type,
        "size": doc.size, "sha256": doc.sha256, "state": doc.state, "failure_reason": doc.failure_reason,
        "attempts": doc.attempts, "job_id": doc.job_id,
        "result": None if ex is None else {
            "kind": ex.kind, "kind_confidence": ex.kind_confidence, "quality": ex.quality, "fields": ex.fields,
            "lines": ex.lines, "parts": ex.parts, "pages": ex.pages, "engine": ex.engine, "timings_ms": ex.timings_ms,
        },
    }


def document_view(doc: Document, user: Principal) -> dict[str, Any]:
    """One document as this user may see it (masked unless the role compares raw values)."""
    d = document_public(doc)
    return d if unmasked_roles(user) else mask_tree(d)


def decision_public(case: Case) -> dict[str, Any] | None:
    if not case.decision:
        return None
    return {"action": case.decision, "reason": case.decision_reason, "override_reason": case.override_reason,
            "decided_by": case.decided_by, "decided_at": case.decided_at,
            "auto_approved": case.decided_by == "system"}


def corrections_public(corrections: list[FieldCorrection]) -> list[dict[str, Any]]:
    return [{"document_id": c.document_id, "part": c.part or None, "field": c.field, "value": c.value,
             "machine_value": c.machine_value, "corrected_by": c.corrected_by, "at": c.updated_at}
            for c in corrections]


def case_detail(case: Case, user: Principal, corrections: list[FieldCorrection] | None = None) -> dict[str, Any]:
    d = {
        "id": case.id, "policy_no": case.policy_no, "type": case.type, "state": case.state,
        "requested": case.requested or {}, "application_date": case.application_date,
        "created_by": case.created_by, "created_at": case.created_at, "updated_at": case.updated_at,
        "documents": [document_public(doc) for doc in case.documents],
        "discrepancies": [
            {"code": x.code, "severity": x.severity, "field": x.field, "expected": x.expected, "found": x.found,
             "document_id": x.document_id, "message": x.message, "other_case_id": x.other_case_id}
            for x in case.discrepancies
        ],
        "verification": case.verification, "verification_error": case.verification_error,
        "corrections": corrections_public(corrections or []),
    }
    masked = not unmasked_roles(user)
    if masked:
        d = {**mask_tree({k: v for k, v in d.items() if k not in ("created_at", "updated_at")}),
             "created_at": case.created_at, "updated_at": case.updated_at}
    d["decision"] = decision_public(case)
    d["submitted_at"] = case.submitted_at
    d["risk_score"] = case.risk_score
    d["risk_parts"] = case.risk_parts
    d["masked"] = masked
    return d


def case_summary(case: Case) -> dict[str, Any]:
    holder = (case.policy.policyholder or {}) if case.policy else {}
    return {
        "id": case.id, "policy_no": case.policy_no, "type": case.type, "state": case.state,
        "policyholder_name": holder.get("name"),
        "policyholder_id_number": mask_value("id_number", holder.get("id_number")),
        "requested": mask_tree(case.requested or {}),
        "documents": len(case.documents), "created_at": case.created_at, "updated_at": case.updated_at,
        "risk_score": case.risk_score,
    }


def policy_public(policy: Policy, user: Principal) -> dict[str, Any]:
    record = policy.to_record()
    masked = not unmasked_roles(user)
    return {"policy_no": policy.policy_no, "status": policy.status,
            "record": mask_tree(record) if masked else record, "masked": masked}
