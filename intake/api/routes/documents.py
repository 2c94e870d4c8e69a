from __future__ import annotations

from fastapi import APIRouter, File, HTTPException, UploadFile, status
from starlette.concurrency import run_in_threadpool

from intake import cases, errors
from intake.api.deps import PathId, CurrentUser, RuntimeDep, SessionDep, require_roles
from intake.api.schemas import DocumentPublic
from intake.defaults import MAX_FILES_PER_UPLOAD
from intake.storage import StorageFull
from intake.uploads import UploadRejected
from intake.views import document_public

router = APIRouter(prefix="/cases/{case_id}/documents", tags=["documents"])


@router.post("", response_model=list[DocumentPublic], status_code=status.HTTP_201_CREATED,
             dependencies=[require_roles("agent", "clerk", "admin")])
async def upload_documents(case_id: PathId, session: SessionDep, user: CurrentUser, rt: RuntimeDep,
                           files: list[UploadFile] = File(..., description="one or several images/PDFs")) -> list[dict]:
    """Store the files (encrypted, content-addressed), record them, then queue them for OCR."""
    if len(files) > MAX_FILES_PER_UPLOAD:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"at most {MAX_FILES_PER_UPLOAD} files per upload")
    try:
        case = await run_in_threadpool(cases.get_case, session, user, case_id)
    except errors.CaseNotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
    uploads = [cases.Upload(f.filename, await f.read()) for f in files]

    def store_and_record() -> list[dict]:
        docs = cases.add_documents(session, rt.store, user, case, uploads, rt.enqueue_document,
                                   max_pixels=rt.settings.max_pixels)
        return [document_public(d) for d in docs]  # reads the committed rows again: SQL too

    try:
        # Every database touch (fsync, SQL, the enqueue, and the rows read back after the
        # commit) runs in the thread pool: a connection awaited on the event loop, with the
        # pool taken by 20 uploads, waits for a release only the loop could run (30 s, a 500).
        return await run_in_threadpool(store_and_record)
    except UploadRejected as exc:
        session.rollback()
        raise HTTPException(exc.status, str(exc)) from None
    except StorageFull as exc:
        session.rollback()
        raise HTTPException(status.HTTP_507_INSUFFICIENT_STORAGE, str(exc)) from None


@router.delete("/{document_id}", response_model=DocumentPublic, dependencies=[require_roles("agent", "admin")])
def withdraw_document(case_id: PathId, document_id: PathId, session: SessionDep, user: CurrentUser) -> dict:
    """Take back a read photo (a retake replaces it) in a draft, processing or returned case;
    the row and file stay for the audit trail. 409 while it is still being read."""
    case = cases.get_case(session, user, case_id)
    if user.role == "agent" and case.created_by != user.id:
        raise errors.CaseNotFound(f"case {case_id} not found")
    return document_public(cases.withdraw_document(session, user, case, document_id))
