"""Pages for the three roles. The session cookie holds the same signed token as the API.

Without a valid session every page answers 303 → /login. The cookie is HttpOnly and
SameSite=Strict (no cross-site form can ride on it). Pages call the same service
functions as the API; ID and card numbers are masked in every list.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from intake import audit, cases, defaults
from verify.masking import scrub
from intake.api.deps import RuntimeDep, SessionDep
from intake.auth import Principal, TokenError, authenticate, issue_token, read_token
from intake.db.models import AuditEvent
from intake.storage import StorageFull
from intake.uploads import UploadRejected
from intake.views import case_detail, case_summary, unmasked_roles

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))

HOME = {"agent": "/agent", "clerk": "/clerk", "auditor": "/audit", "admin": "/clerk"}
PAGE_ROLES = {"agent": ("agent", "admin"), "clerk": ("clerk", "admin"), "audit": ("auditor", "admin")}


class LoginRequired(Exception):
    pass


def session_user(request: Request) -> Principal | None:
    token = request.cookies.get(defaults.SESSION_COOKIE)
    if not token:
        return None
    try:
        return read_token(token, request.app.state.runtime.settings.secret_key)
    except TokenError:
        return None


def _page(page: str):
    def dep(request: Request) -> Principal | Response:
        user = session_user(request)
        if user is None:
            return RedirectResponse("/login", status_code=status.HTTP_303_SEE_OTHER)
        if user.role not in PAGE_ROLES[page]:
            return templates.TemplateResponse(request, "error.html", {"user": user, "message":
                                              f"The {page} page is not for the {user.role} role."}, status_code=403)
        return user

    return Depends(dep)


@router.get("/", response_class=HTMLResponse)
def home(request: Request):
    user = session_user(request)
    return RedirectResponse(HOME[user.role] if user else "/login", status_code=status.HTTP_303_SEE_OTHER)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request):
    return templates.TemplateResponse(request, "login.html", {"user": None, "error": None})


@router.post("/login")
def login(request: Request, session: SessionDep, rt: RuntimeDep,
          username: Annotated[str, Form()], password: Annotated[str, Form()]):
    user = authenticate(session, username, password)
    if user is None:
        audit.record(session, f"anonymous:{scrub(username[:64])}", "auth.login_failed", "user", None, via="web")
        session.commit()
        return templates.TemplateResponse(request, "login.html", {"user": None, "error": "Incorrect username or password"},
                                          status_code=401)
    audit.record(session, f"{user.role}:{user.name}", "auth.login", "user", user.id, via="web")
    session.commit()
    resp = RedirectResponse(HOME[user.role], status_code=status.HTTP_303_SEE_OTHER)
    resp.set_cookie(defaults.SESSION_COOKIE, issue_token(user, rt.settings.secret_key, rt.settings.token_ttl),
                    max_age=rt.settings.token_ttl, httponly=True, samesite="strict",
                    secure=rt.settings.env == "production")
    return resp


@router.post("/logout")
def logout():
    resp = RedirectResponse("/login", status_code=status.HTTP_303_SEE_OTHER)
    resp.delete_cookie(defaults.SESSION_COOKIE)
    return resp


# --------------------------------------------------------------------------- agent


@router.get("/agent", response_class=HTMLResponse)
def agent_page(request: Request, session: SessionDep, user=_page("agent")):
    if isinstance(user, Response):
        return user
    rows = cases.list_cases(session, user, limit=defaults.LIST_PAGE_SIZE)
    from verify.types import ENDORSEMENT_TYPES

    return templates.TemplateResponse(request, "agent.html", {
        "user": user, "cases": [case_summary(c) for c in rows], "types": ENDORSEMENT_TYPES,
        "error": request.query_params.get("error"), "message": request.query_params.get("message")})


@router.post("/agent/cases")
def agent_create_case(request: Request, session: SessionDep, policy_no: Annotated[str, Form()],
                      type: Annotated[str, Form()], user=_page("agent")):
    if isinstance(user, Response):
        return user
    try:
        case = cases.create_case(session, user, policy_no.strip(), type)
    except (cases.PolicyNotFound, cases.InvalidCaseType) as exc:
        session.rollback()
        return RedirectResponse(f"/agent?error={_q(str(exc))}", status_code=status.HTTP_303_SEE_OTHER)
    session.commit()
    return RedirectResponse(f"/agent?message={_q(f'case {case.id} created')}", status_code=status.HTTP_303_SEE_OTHER)


@router.post("/agent/cases/{case_id}/documents")
async def agent_upload(request: Request, case_id: int, session: SessionDep, rt: RuntimeDep,
                       files: list[UploadFile] = File(...), user=_page("agent")):
    if isinstance(user, Response):
        return user
    try:
        case = cases.get_case(session, user, case_id)
        uploads = [cases.Upload(f.filename, await f.read()) for f in files]
        cases.add_documents(session, rt.store, user, case, uploads, rt.enqueue_document,
                                   max_pixels=rt.settings.max_pixels)
    except (cases.CaseNotFound, UploadRejected, StorageFull) as exc:
        session.rollback()
        return RedirectResponse(f"/agent?error={_q(str(exc))}", status_code=status.HTTP_303_SEE_OTHER)
    return RedirectResponse(f"/agent?message={_q(f'{len(uploads)} file(s) queued for case {case_id}')}",
                            status_code=status.HTTP_303_SEE_OTHER)


# --------------------------------------------------------------------------- clerk


@router.get("/clerk", response_class=HTMLResponse)
def clerk_page(request: Request, session: SessionDep, user=_page("clerk")):
    if isinstance(user, Response):
        return user
    ready = cases.list_cases(session, user, state="ready_for_review", limit=defaults.LIST_PAGE_SIZE)
    processing = cases.list_cases(session, user, state="processing", limit=defaults.LIST_PAGE_SIZE)
    return templates.TemplateResponse(request, "clerk.html", {
        "user": user, "ready": [case_summary(c) for c in ready], "processing": [case_summary(c) for c in processing]})


@router.get("/clerk/cases/{case_id}", response_class=HTMLResponse)
def clerk_case(request: Request, case_id: int, session: SessionDep, rt: RuntimeDep, user=_page("clerk")):
    if isinstance(user, Response):
        return user
    try:
        case = cases.get_case(session, user, case_id)
    except cases.CaseNotFound as exc:
        return templates.TemplateResponse(request, "error.html", {"user": user, "message": str(exc)}, status_code=404)
    if unmasked_roles(user):
        audit.record(session, user.actor, "case.view_unmasked", "case", case.id, via="web")
        session.commit()
    sizes = {d.id: _image_size(rt, d) for d in case.documents}
    return templates.TemplateResponse(request, "clerk_case.html",
                                      {"user": user, "case": case_detail(case, user), "sizes": sizes})


def _image_size(rt, doc) -> tuple[int, int] | None:
    """Width and height from the stored image's header (None for PDFs or unreadable files)."""
    if not doc.content_type.startswith("image/"):
        return None
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(rt.store.get(doc.sha256))) as im:
            return im.size
    except Exception:  # the page still renders without the picture
        log.warning("document %s: stored image unreadable for the clerk page", doc.id, exc_info=True)
        return None


@router.get("/clerk/cases/{case_id}/documents/{document_id}/file")
def clerk_document_file(request: Request, case_id: int, document_id: int, session: SessionDep, rt: RuntimeDep,
                        user=_page("clerk")):
    """The uploaded file itself, for a clerk looking at the case: authorised, audited, never cached."""
    if isinstance(user, Response):
        return user
    try:
        case = cases.get_case(session, user, case_id)
    except cases.CaseNotFound:
        return Response(status_code=404)
    doc = next((d for d in case.documents if d.id == document_id), None)
    if doc is None:
        return Response(status_code=404)
    audit.record(session, user.actor, "document.view_file", "document", doc.id, case=case.id, via="web")
    session.commit()
    return Response(rt.store.get(doc.sha256), media_type=doc.content_type, headers={
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'", "Content-Disposition": "inline"})


# --------------------------------------------------------------------------- audit


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, session: SessionDep, user=_page("audit")):
    if isinstance(user, Response):
        return user
    events = list(session.execute(select(AuditEvent).order_by(AuditEvent.seq.desc())
                                  .limit(defaults.AUDIT_PAGE_SIZE)).scalars())
    report = audit.verify_chain(session)
    return templates.TemplateResponse(request, "audit.html", {"user": user, "events": events, "report": report})


def _q(text: str) -> str:
    from urllib.parse import quote

    return quote(text[:300])
