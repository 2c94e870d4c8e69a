from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, File, HTTPException, UploadFile, status
from starlette.concurrency import run_in_threadpool

from intake import cases
from intake.api.deps import CurrentUser, SessionDep, require_roles
from intake.api.schemas import PolicyImportResult, PolicyPublic
from intake.db.models import Policy
from intake.views import policy_public
from verify.errors import PolicyFileError
from verify.types import load_policies_csv, load_policies_json

router = APIRouter(prefix="/policies", tags=["policies"])

IMPORTERS = require_roles("clerk", "admin")


@router.post("", response_model=PolicyImportResult, status_code=status.HTTP_201_CREATED, dependencies=[IMPORTERS])
def import_json(records: list[dict[str, Any]], session: SessionDep, user: CurrentUser) -> PolicyImportResult:
    """Insert or replace policy records given as a JSON array (the case file's ``policy`` shape)."""
    try:
        policies = load_policies_json(json.dumps(records, ensure_ascii=False))
    except PolicyFileError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
    created, updated = _import(session, policies, user)
    return PolicyImportResult(created=created, updated=updated)


def _import(session, policies, user) -> tuple[int, int]:
    counts = cases.import_policies(session, policies, user.actor)
    session.commit()
    return counts


@router.post("/import", response_model=PolicyImportResult, status_code=status.HTTP_201_CREATED, dependencies=[IMPORTERS])
async def import_csv(session: SessionDep, user: CurrentUser, file: UploadFile = File(...)) -> PolicyImportResult:
    """Insert or replace policy records from a CSV file (columns: ``verify.types.CSV_COLUMNS``)."""
    raw = await file.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "the CSV file must be UTF-8") from None
    try:
        policies = load_policies_csv(text)
    except PolicyFileError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
    created, updated = await run_in_threadpool(_import, session, policies, user)  # SQL: off the event loop
    return PolicyImportResult(created=created, updated=updated)


@router.get("/{policy_no}", response_model=PolicyPublic)
def get_policy(policy_no: str, session: SessionDep, user: CurrentUser) -> dict:
    policy = session.get(Policy, policy_no)
    if policy is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"policy {policy_no} not found")
    return policy_public(policy, user)
