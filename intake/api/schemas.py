"""Request and response bodies of API v1 (schema families: Create / Public / List)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from typing_extensions import Annotated

from intake.text import clean_tree

from verify.types import ENDORSEMENT_TYPES

__all__ = [
    "Token", "EndorsementType", "CaseCreate", "CaseSummary", "CasesPublic", "CasePublic",
    "DocumentPublic", "ExtractionPublic", "DiscrepancyPublic", "PolicyImportResult", "JobPublic",
    "Health", "PolicyPublic",
]

EndorsementType = Literal[ENDORSEMENT_TYPES]  # type: ignore[valid-type]



def _utc(value: datetime) -> datetime:
    """The database keeps naive UTC; the API says so (RFC 3339 needs the offset)."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


UtcDateTime = Annotated[datetime, AfterValidator(_utc)]

class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class CaseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    policy_no: str = Field(min_length=1, max_length=32)
    type: EndorsementType
    requested: Annotated[dict[str, Any], AfterValidator(clean_tree)] = Field(default_factory=dict)
    application_date: date | None = None


class ExtractionPublic(BaseModel):
    kind: str
    kind_confidence: float
    quality: dict[str, Any]
    fields: dict[str, Any]
    lines: list[dict[str, Any]]
    parts: list[dict[str, Any]] = []
    pages: int
    engine: str | None
    timings_ms: dict[str, Any]


class DocumentPublic(BaseModel):
    id: int
    case_id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    state: Literal["queued", "processing", "done", "failed", "withdrawn"]
    failure_reason: str | None = None
    attempts: int
    job_id: str
    result: ExtractionPublic | None = None


class DiscrepancyPublic(BaseModel):
    code: str
    severity: str
    field: str | None
    expected: str | None
    found: str | None
    document_id: int | None
    message: str | None
    other_case_id: int | None = Field(default=None, description="a risk warning's other case")


CaseState = Literal["draft", "processing", "ready_for_review", "approved", "returned", "rejected"]


class DecisionPublic(BaseModel):
    action: Literal["approve", "return", "reject"]
    reason: str | None
    override_reason: str | None
    decided_by: str | None
    decided_at: UtcDateTime | None
    auto_approved: bool


class CorrectionPublic(BaseModel):
    document_id: int
    part: int | None
    field: str
    value: str
    machine_value: Any = Field(description="what the machine read (kept beside the correction)")
    corrected_by: str
    at: UtcDateTime


class CaseSummary(BaseModel):
    id: int
    policy_no: str
    type: str
    state: CaseState
    policyholder_name: str | None
    policyholder_id_number: str | None = Field(description="masked")
    requested: dict[str, Any] = Field(description="ID and card numbers masked")
    documents: int
    created_at: UtcDateTime
    updated_at: UtcDateTime
    risk_score: float | None = None


class CasesPublic(BaseModel):
    data: list[CaseSummary]
    count: int


class CasePublic(BaseModel):
    id: int
    policy_no: str
    type: str
    state: CaseState
    requested: dict[str, Any]
    application_date: str | None
    created_by: int | None
    created_at: UtcDateTime
    updated_at: UtcDateTime
    documents: list[DocumentPublic]
    discrepancies: list[DiscrepancyPublic]
    verification: dict[str, Any] | None
    verification_error: str | None
    masked: bool = Field(description="true when ID and card numbers are masked for this role")
    corrections: list[CorrectionPublic] = []
    decision: DecisionPublic | None = None
    submitted_at: UtcDateTime | None = None
    risk_score: float | None = Field(default=None, description="0-100, from verify.risk (None before verification)")
    risk_parts: dict[str, Any] | None = Field(default=None, description="the score's parts with their points")


class PolicyPublic(BaseModel):
    policy_no: str
    status: str
    record: dict[str, Any]
    masked: bool


class PolicyImportResult(BaseModel):
    created: int
    updated: int


class JobPublic(BaseModel):
    job_id: str
    document_id: int
    document_state: str
    queue_status: str | None = Field(description="RQ's status, null when Redis no longer holds the job")
    attempts: int
    failure_reason: str | None


class Health(BaseModel):
    status: Literal["ok", "error"]
    database: str
    redis: str


class FieldCorrectionIn(BaseModel):
    document_id: int = Field(ge=1, le=2**31 - 1)
    field: str = Field(max_length=64)
    value: str = Field(max_length=2000)
    part: int | None = Field(default=None, ge=1, description="1-based part of a sheet; omit for the document")


class DecisionIn(BaseModel):
    action: Literal["approve", "return", "reject"]
    reason: str | None = Field(default=None, max_length=2000)
    override_reason: str | None = Field(default=None, max_length=2000)


class SampleIn(BaseModel):
    model_config = {"populate_by_name": True}

    seed: int
    rate: float = Field(ge=0, le=1)
    date_from: date = Field(alias="from")
    date_to: date = Field(alias="to")
    strata: list[Literal["type", "clerk"]] = ["type", "clerk"]
    min_per_stratum: int = Field(default=1, ge=0, le=1000)
    auto_rate: float | None = Field(default=None, ge=0, le=1, description="rate for auto-approved cases")
    override_rate: float | None = Field(default=None, ge=0, le=1, description="rate for overridden approvals")
    top_risk: int = Field(default=0, ge=0, le=10_000, description="the highest-risk cases, always taken")
    risk_threshold: float | None = Field(default=None, ge=0, le=100,
                                         description="every case scoring at least this is taken")


class SamplePublic(BaseModel):
    id: int
    cases: list[int]
    params: dict[str, Any]
    created_by: str
    created_at: UtcDateTime


class ReviewIn(BaseModel):
    case_id: int = Field(ge=1, le=2**31 - 1)
    verdict: Literal["approve", "return", "reject"]
    fields: dict[str, str] = Field(default_factory=dict, description='"<document_id>.<field>": value')
