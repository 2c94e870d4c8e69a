"""The service's tables. JSON columns hold the extractor/verify shapes (CONTRACT.md) as-is.

States:
    Case:     draft → processing → ready_for_review → approved | returned | rejected
              returned → processing (the agent resubmits)
    Document: queued → processing → done | failed;  done | failed → withdrawn (the agent's retake)
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "Base",
    "User",
    "Policy",
    "Case",
    "Document",
    "Extraction",
    "Discrepancy",
    "FieldCorrection",
    "AuditSample",
    "AuditReview",
    "AuditEvent",
    "AuditHead",
    "ImageFingerprint",
    "CaseIdentifier",
    "ROLES",
    "CASE_STATES",
    "DOCUMENT_STATES",
    "utcnow",
]

ROLES = ("agent", "clerk", "auditor", "admin")
CASE_STATES = ("draft", "processing", "ready_for_review", "approved", "returned", "rejected")
DECIDED_STATES = ("approved", "returned", "rejected")
DOCUMENT_STATES = ("queued", "processing", "done", "failed", "withdrawn")


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Policy(Base):
    __tablename__ = "policies"

    policy_no: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(32), default="in_force")
    product: Mapped[str | None] = mapped_column(String(200))
    policyholder: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    insured: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    beneficiaries: Mapped[list[Any]] = mapped_column(JSON, default=list)
    payment: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    sum_insured: Mapped[str | None] = mapped_column(String(32))
    annual_premium: Mapped[str | None] = mapped_column(String(32))
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # other record keys, kept
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def to_record(self) -> dict[str, Any]:
        """The policy in CONTRACT's case-file shape (absent parts as None: an empty
        ``insured`` means the insured is the policyholder)."""
        return {
            **(self.extra or {}),
            "policy_no": self.policy_no,
            "status": self.status,
            "product": self.product,
            "policyholder": self.policyholder or {},
            "insured": self.insured or None,
            "beneficiaries": self.beneficiaries or [],
            "payment": self.payment or None,
            "sum_insured": self.sum_insured,
            "annual_premium": self.annual_premium,
        }


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    policy_no: Mapped[str] = mapped_column(ForeignKey("policies.policy_no"), index=True)
    type: Mapped[str] = mapped_column(String(40))
    requested: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    application_date: Mapped[str | None] = mapped_column(String(10))  # ISO date
    state: Mapped[str] = mapped_column(String(24), default="draft", index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    external_ref: Mapped[str | None] = mapped_column(String(64))  # e.g. the demo case id "C-0001"
    verification: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    verification_error: Mapped[str | None] = mapped_column(Text)
    # the first verification of this reading, before any clerk correction: what the machine said
    machine_verification: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    submitted_at: Mapped[datetime | None] = mapped_column()
    decision: Mapped[str | None] = mapped_column(String(16))  # approve | return | reject
    decision_reason: Mapped[str | None] = mapped_column(Text)
    override_reason: Mapped[str | None] = mapped_column(Text)  # approved over an open error
    decided_by: Mapped[str | None] = mapped_column(String(64), index=True)  # user name, or "system"
    decided_at: Mapped[datetime | None] = mapped_column(index=True)
    # verify.risk: the score (0-100) and its parts, from the latest verification
    risk_score: Mapped[float | None] = mapped_column(Float, index=True)
    risk_parts: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    policy: Mapped[Policy] = relationship()
    documents: Mapped[list["Document"]] = relationship(back_populates="case", order_by="Document.id")
    discrepancies: Mapped[list["Discrepancy"]] = relationship(
        back_populates="case", order_by="Discrepancy.id", cascade="all, delete-orphan"
    )


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))  # sanitised client name, display only
    sha256: Mapped[str] = mapped_column(String(64), index=True)  # the file store's key
    size: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(64))  # from magic bytes
    state: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    enqueued_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    case: Mapped[Case] = relationship(back_populates="documents")
    extraction: Mapped["Extraction | None"] = relationship(back_populates="document", uselist=False)

    @property
    def job_id(self) -> str:
        return f"doc-{self.id}"


class Extraction(Base):
    """One result per document (unique): a re-run replaces it, never adds a second."""

    __tablename__ = "extractions"
    __table_args__ = (UniqueConstraint("document_id", name="uq_extractions_document"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    kind: Mapped[str] = mapped_column(String(40))
    kind_confidence: Mapped[float] = mapped_column(default=0.0)
    quality: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    lines: Mapped[list[Any]] = mapped_column(JSON, default=list)  # text, confidence, box, page
    parts: Mapped[list[Any]] = mapped_column(JSON, default=list)
    pages: Mapped[int] = mapped_column(Integer, default=1)
    engine: Mapped[str | None] = mapped_column(String(32))
    timings_ms: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the rest of Extraction.to_dict()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[Document] = relationship(back_populates="extraction")

    _COLUMNS = ("kind", "kind_confidence", "quality", "fields", "lines", "parts", "pages", "engine", "timings_ms")

    def set_result(self, result: dict[str, Any]) -> None:
        """Store an ``Extraction.to_dict()``: known keys in columns, the rest in ``data``."""
        self.kind = result.get("kind", "other")
        self.kind_confidence = float(result.get("kind_confidence", 0.0))
        self.quality = result.get("quality", {})
        self.fields = result.get("fields", {})
        self.lines = result.get("lines", [])
        self.parts = result.get("parts", [])
        self.pages = int(result.get("pages", 1))
        self.engine = result.get("engine")
        self.timings_ms = result.get("timings_ms", {})
        self.data = {k: v for k, v in result.items() if k not in self._COLUMNS}

    def result(self) -> dict[str, Any]:
        """The ``Extraction.to_dict()`` stored by ``set_result`` (``Extraction.from_dict`` reads it)."""
        return {**(self.data or {}), **{k: getattr(self, k) for k in self._COLUMNS}}


class Discrepancy(Base):
    __tablename__ = "discrepancies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    code: Mapped[str] = mapped_column(String(48))
    severity: Mapped[str] = mapped_column(String(16))
    field: Mapped[str | None] = mapped_column(String(80))
    expected: Mapped[str | None] = mapped_column(Text)  # masked as verify emits it
    found: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    message: Mapped[str | None] = mapped_column(Text)
    other_case_id: Mapped[int | None] = mapped_column(Integer)  # a risk warning's other case

    case: Mapped[Case] = relationship(back_populates="discrepancies")


class FieldCorrection(Base):
    """A clerk's value for one field, kept beside the machine's reading (both stay)."""

    __tablename__ = "field_corrections"
    __table_args__ = (UniqueConstraint("document_id", "part", "field", name="uq_field_corrections_field"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    part: Mapped[int] = mapped_column(Integer, default=0)  # 0: the document itself; n: its n-th part
    field: Mapped[str] = mapped_column(String(64))
    machine_value: Mapped[Any] = mapped_column(JSON, nullable=True)  # what the extractor read (None when nothing)
    value: Mapped[str] = mapped_column(Text)
    corrected_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AuditSample(Base):
    """A seeded, stratified draw of decided cases; the same parameters give the same cases."""

    __tablename__ = "audit_samples"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON)  # seed, rate, from, to, strata, min_per_stratum…
    case_ids: Mapped[list[int]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditReview(Base):
    """An auditor's blind re-check of one sampled case."""

    __tablename__ = "audit_reviews"
    __table_args__ = (UniqueConstraint("sample_id", "case_id", name="uq_audit_reviews_case"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("audit_samples.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    verdict: Mapped[str] = mapped_column(String(16))  # approve | return | reject
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # "<document_id>.<field>": value
    clerk_decision: Mapped[str | None] = mapped_column(String(16))  # as it stood when reviewed
    reviewed_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEvent(Base):
    """Append-only (database triggers refuse UPDATE/DELETE); ``hash`` covers ``prev_hash``."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ts: Mapped[str] = mapped_column(String(32))  # ISO-8601 UTC, hashed as stored
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """One row: the chain's last sequence number and hash. Locking it serialises appenders
    and lets ``audit verify`` notice events deleted from the end."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))


class ImageFingerprint(Base):
    """The perceptual hash of one read document (``part`` 0) or one part of a sheet, indexed
    for reuse look-ups across cases (``intake.risk_links``): the whole hash for an exact
    match, and its four 16-bit bands, each indexed, for near matches."""

    __tablename__ = "image_fingerprints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    part: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(40))
    phash: Mapped[str] = mapped_column(String(16), index=True)
    band0: Mapped[int] = mapped_column(Integer, index=True)
    band1: Mapped[int] = mapped_column(Integer, index=True)
    band2: Mapped[int] = mapped_column(Integer, index=True)
    band3: Mapped[int] = mapped_column(Integer, index=True)
    number_digest: Mapped[str | None] = mapped_column(String(64), index=True)  # the identifying number read, hashed
    customer: Mapped[str] = mapped_column(String(64))  # the case's policyholder, hashed
    agent_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseIdentifier(Base):
    """A bank account or ID number a case shows (hashed), with whose it is, for
    ``account_shared`` / ``id_number_shared`` look-ups across recent cases."""

    __tablename__ = "case_identifiers"
    __table_args__ = (Index("ix_case_identifiers_lookup", "kind", "digest", "case_created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # account | id_number
    digest: Mapped[str] = mapped_column(String(64))
    holder: Mapped[str | None] = mapped_column(String(64))  # the name shown with an ID number
    customer: Mapped[str] = mapped_column(String(64))  # the case's policyholder, hashed
    case_created_at: Mapped[datetime] = mapped_column()
