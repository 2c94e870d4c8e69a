from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from intake import cases, errors
from intake.api.deps import CurrentUser, RuntimeDep, SessionDep
from intake.api.schemas import JobPublic
from intake.db.models import Document
from queues.enqueue import document_id_for, job_state

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("/{job_id}", response_model=JobPublic)
def read_job(job_id: str, session: SessionDep, user: CurrentUser, rt: RuntimeDep) -> dict:
    """A document job's state: the database's (the truth) and the queue's."""
    doc_id = document_id_for(job_id)
    doc = session.get(Document, doc_id) if doc_id is not None else None
    if doc is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"job {job_id[:40]} not found")
    try:
        cases.get_case(session, user, doc.case_id)
    except errors.CaseNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"job {job_id[:40]} not found") from None
    try:
        queue_status = job_state(rt.redis, job_id)
    except Exception:  # Redis down: the database state still answers
        queue_status = None
    return {"job_id": job_id, "document_id": doc.id, "document_state": doc.state, "queue_status": queue_status,
            "attempts": doc.attempts, "failure_reason": doc.failure_reason}
