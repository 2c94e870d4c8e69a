"""Typed values for verification: the policy record and case in, the verdict out.

Inputs (``Party``, ``Beneficiary``, ``Payment``, ``Policy``, ``Case``) are pydantic models
parsed from CONTRACT.md's case file; outputs (``Discrepancy``, ``PrefillItem``,
``Verification``) are dataclasses whose ``to_dict()`` is CONTRACT's ``baoquan verify``
object (extra keys: ``severity`` values, ``box``/``page``, ``rules_version``).

Policy files
------------
``load_policies_json(text)`` takes a JSON array of policy objects (or ``{"policies": [...]}``)
in the case file's ``policy`` shape. ``load_policies_csv(text)`` takes one policy per row
with a header; columns (order free, unknown columns refused, ``policy_no`` and ``status``
and ``policyholder.name`` required)::

    policy_no,status,product,sum_insured,annual_premium,
    policyholder.name,policyholder.id_number,policyholder.birth_date,policyholder.sex,
    policyholder.phone,policyholder.address,
    insured.name,insured.id_number,insured.birth_date,insured.sex,insured.phone,insured.address,
    payment.bank_name,payment.account_number,payment.account_holder,payment.frequency,payment.method,
    beneficiaries

``insured.*`` left empty means the insured is the policyholder. ``beneficiaries`` is either
a JSON array of beneficiary objects or ``name|id_number|relationship|share`` items separated
by ``;`` (e.g. ``李四|110101199003071234|spouse|100``). Bad input raises
``PolicyFileError`` naming the row (header = row 1) and the column.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from pydantic import Field as PField

from verify.errors import InputError, PolicyFileError

__all__ = [
    "ENDORSEMENT_TYPES",
    "POLICY_STATUSES",
    "ERROR",
    "WARNING",
    "Party",
    "Beneficiary",
    "Payment",
    "Policy",
    "Case",
    "Discrepancy",
    "PrefillItem",
    "Verification",
    "load_policies_json",
    "load_policies_csv",
    "CSV_COLUMNS",
    "parse_case",
]

ERROR = "error"
WARNING = "warning"

ENDORSEMENT_TYPES: tuple[str, ...] = (
    "contact_change",
    "id_renewal",
    "bank_account_change",
    "payment_method_change",
    "beneficiary_change",
    "sum_insured_increase",
    "sum_insured_decrease",
    "add_rider",
    "policy_loan",
    "partial_withdrawal",
    "annuity_claim",
    "reinstatement",
    "surrender",
    "policy_conversion",
)

#: Statuses a policy record may carry (the rules file may only name these).
POLICY_STATUSES: tuple[str, ...] = (
    "in_force",       # 有效
    "lapsed",         # 失效 (premium unpaid past grace period)
    "paid_up",        # 减额缴清
    "suspended",      # 中止 (e.g. under a pending claim or loan default)
    "terminated",     # 终止 (surrendered, matured, claimed)
)


def _clean_str(v: Any) -> Any:
    if isinstance(v, str):
        v = v.strip()
        return v or None
    return v


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)


class Party(_Model):
    """A person on the policy record (policyholder 投保人 or insured 被保险人)."""

    name: str = PField(min_length=1)
    id_number: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    phone: str | None = None
    address: str | None = None

    @field_validator("id_number", "phone", "address", "sex", mode="before")
    @classmethod
    def _empty_none(cls, v: Any) -> Any:
        return _clean_str(v)

    @field_validator("birth_date", mode="before")
    @classmethod
    def _empty_date(cls, v: Any) -> Any:
        return _clean_str(v)

    @field_validator("id_number")
    @classmethod
    def _compact_id(cls, v: str | None) -> str | None:
        return v.replace(" ", "").upper() if v else v


class Beneficiary(_Model):
    """A (death) beneficiary 身故受益人."""

    name: str = PField(min_length=1)
    id_number: str | None = None
    relationship: str | None = None  # to the insured: spouse, child, parent, sibling, other
    share: Decimal | None = None

    @field_validator("id_number", "relationship", "share", mode="before")
    @classmethod
    def _empty_none(cls, v: Any) -> Any:
        return _clean_str(v)

    @field_validator("id_number")
    @classmethod
    def _compact_id(cls, v: str | None) -> str | None:
        return v.replace(" ", "").upper() if v else v


class Payment(_Model):
    """Where premiums are collected from and benefits paid to."""

    bank_name: str | None = None
    account_number: str | None = None
    account_holder: str | None = None
    frequency: str | None = None  # annual, monthly, single
    method: str | None = None     # bank_transfer, cash, …

    @field_validator("*", mode="before")
    @classmethod
    def _empty_none(cls, v: Any) -> Any:
        return _clean_str(v)


class Policy(_Model):
    """The policy record as the core system holds it."""

    policy_no: str
    status: str
    product: str | None = None
    policyholder: Party
    insured: Party | None = None
    beneficiaries: list[Beneficiary] = []
    payment: Payment | None = None
    sum_insured: Decimal | None = None
    annual_premium: Decimal | None = None

    @field_validator("sum_insured", "annual_premium", "product", mode="before")
    @classmethod
    def _empty_none(cls, v: Any) -> Any:
        return _clean_str(v)

    @field_validator("status")
    @classmethod
    def _known_status(cls, v: str) -> str:
        if v not in POLICY_STATUSES:
            raise ValueError(f"unknown policy status {v!r}; one of {', '.join(POLICY_STATUSES)}")
        return v

    @property
    def insured_party(self) -> Party:
        """The insured, which is the policyholder when the record names no separate insured."""
        return self.insured if self.insured is not None else self.policyholder


class Case(_Model):
    """CONTRACT's case file: one endorsement request with its documents."""

    case_id: str
    type: str
    application_date: date
    policy: Policy
    requested: dict[str, Any] = {}
    documents: list[str] = []
    #: when each document (by its path as listed) was uploaded, where the caller knows it (the
    #: service does; a case file may leave it out): a photo taken after its upload is a warning
    uploaded_at: dict[str, datetime] = {}

    @field_validator("type")
    @classmethod
    def _known_type(cls, v: str) -> str:
        if v not in ENDORSEMENT_TYPES:
            raise ValueError(f"unknown endorsement type {v!r}; one of {', '.join(ENDORSEMENT_TYPES)}")
        return v

    @field_validator("requested", "uploaded_at", mode="before")
    @classmethod
    def _none_dict(cls, v: Any) -> Any:
        return {} if v is None else v


def _describe(err: ValidationError) -> tuple[str, str]:
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first.get("loc", ()))
    return loc, first.get("msg", "invalid value")


def parse_case(data: dict[str, Any]) -> Case:
    """A ``Case`` from the case file's JSON object; ``InputError`` names the bad field."""
    if not isinstance(data, dict):
        raise InputError("case file must hold a JSON object")
    try:
        return Case.model_validate(data)
    except ValidationError as e:
        loc, msg = _describe(e)
        raise InputError(f"case field {loc!r}: {msg}") from None


# --------------------------------------------------------------------------- outputs


@dataclass
class Discrepancy:
    """One flagged difference, with masked evidence and where to look."""

    code: str
    severity: str
    field: str
    message: str
    expected: str | None = None
    found: str | None = None
    document: str | None = None
    box: list[list[float]] | None = None
    page: int | None = None
    uncertain: bool = False  # the document reading that triggered it needs review
    other_case: int | str | None = None  # a risk warning's other case (image reused, number shared)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "field": self.field,
            "expected": self.expected,
            "found": self.found,
            "document": self.document,
            "message": self.message,
        }
        if self.box is not None:
            d["box"] = self.box
        if self.page is not None:
            d["page"] = self.page
        if self.uncertain:
            d["uncertain"] = True
        if self.other_case is not None:
            d["other_case"] = self.other_case
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Discrepancy":
        """The inverse of ``to_dict``.

        >>> x = Discrepancy("seal_missing", "error", "documents", "no seal", document="a.jpg", page=1)
        >>> Discrepancy.from_dict(x.to_dict()) == x
        True
        """
        return cls(code=d["code"], severity=d["severity"], field=d["field"], message=d["message"],
                   expected=d.get("expected"), found=d.get("found"), document=d.get("document"),
                   box=d.get("box"), page=d.get("page"), uncertain=bool(d.get("uncertain", False)),
                   other_case=d.get("other_case"))


@dataclass
class PrefillItem:
    """A requested value the agent left empty, read from a document."""

    value: Any
    source: str
    needs_review: bool = False
    document_field: str | None = None  # e.g. "bank_card.card_number"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"value": self.value, "source": self.source,
                             "needs_review": bool(self.needs_review)}
        if self.document_field:
            d["field"] = self.document_field
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "PrefillItem":
        return cls(value=d["value"], source=d["source"], needs_review=bool(d.get("needs_review", False)),
                   document_field=d.get("field"))


@dataclass
class Verification:
    """CONTRACT's ``baoquan verify`` object."""

    case_id: str
    status: str = "ready_for_review"
    documents: list[dict[str, Any]] = field(default_factory=list)
    prefill: dict[str, PrefillItem] = field(default_factory=dict)
    missing_documents: list[str] = field(default_factory=list)
    discrepancies: list[Discrepancy] = field(default_factory=list)
    rules_version: str | None = None
    type: str | None = None

    def codes(self) -> list[str]:
        return [d.code for d in self.discrepancies]

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "case_id": self.case_id,
            "status": self.status,
            "documents": self.documents,
            "prefill": {k: v.to_dict() for k, v in self.prefill.items()},
            "missing_documents": list(self.missing_documents),
            "discrepancies": [x.to_dict() for x in self.discrepancies],
        }
        if self.type:
            d["type"] = self.type
        if self.rules_version:
            d["rules_version"] = self.rules_version
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Verification":
        """The inverse of ``to_dict``: what a store wrote comes back typed (tests round-trip it)."""
        return cls(
            case_id=d["case_id"], status=d.get("status", "ready_for_review"),
            documents=list(d.get("documents", [])),
            prefill={k: PrefillItem.from_dict(v) for k, v in (d.get("prefill") or {}).items()},
            missing_documents=list(d.get("missing_documents", [])),
            discrepancies=[Discrepancy.from_dict(x) for x in d.get("discrepancies", [])],
            rules_version=d.get("rules_version"), type=d.get("type"),
        )


# --------------------------------------------------------------------------- policy files


def _policy_from_obj(obj: Any, row: int) -> Policy:
    if not isinstance(obj, dict):
        raise PolicyFileError("policy must be a JSON object", row=row)
    try:
        return Policy.model_validate(obj)
    except ValidationError as e:
        loc, msg = _describe(e)
        raise PolicyFileError(msg, row=row, column=loc) from None


def load_policies_json(text: str) -> list[Policy]:
    """Policies from a JSON array (or ``{"policies": [...]}``); rows are 1-based array indices.

    >>> p = load_policies_json('[{"policy_no": "P1", "status": "in_force", "policyholder": {"name": "王五"}}]')
    >>> p[0].policyholder.name
    '王五'
    >>> load_policies_json('[{"policy_no": "P1", "status": "gone", "policyholder": {"name": "王五"}}]')
    Traceback (most recent call last):
    ...
    verify.errors.PolicyFileError: row 1, column 'status': Value error, unknown policy status 'gone'; one of in_force, lapsed, paid_up, suspended, terminated
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise PolicyFileError(f"invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}") from None
    if isinstance(data, dict) and "policies" in data:
        data = data["policies"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise PolicyFileError("expected a JSON array of policies")
    return [_policy_from_obj(obj, i + 1) for i, obj in enumerate(data)]


_PARTY_FIELDS = ("name", "id_number", "birth_date", "sex", "phone", "address")
_PAYMENT_FIELDS = ("bank_name", "account_number", "account_holder", "frequency", "method")

CSV_COLUMNS: tuple[str, ...] = (
    ("policy_no", "status", "product", "sum_insured", "annual_premium")
    + tuple(f"policyholder.{f}" for f in _PARTY_FIELDS)
    + tuple(f"insured.{f}" for f in _PARTY_FIELDS)
    + tuple(f"payment.{f}" for f in _PAYMENT_FIELDS)
    + ("beneficiaries",)
)
_CSV_REQUIRED = ("policy_no", "status", "policyholder.name")


def _parse_beneficiaries(cell: str, row: int) -> list[dict[str, Any]]:
    cell = cell.strip()
    if not cell:
        return []
    if cell.startswith("["):
        try:
            items = json.loads(cell)
        except json.JSONDecodeError as e:
            raise PolicyFileError(f"invalid JSON: {e.msg}", row=row, column="beneficiaries") from None
        if not isinstance(items, list):
            raise PolicyFileError("expected a JSON array", row=row, column="beneficiaries")
        return items
    out = []
    for n, item in enumerate(cell.split(";"), 1):
        item = item.strip()
        if not item:
            continue
        parts = [p.strip() for p in item.split("|")]
        if len(parts) != 4:
            raise PolicyFileError(
                f"beneficiary {n} must be name|id_number|relationship|share, got {len(parts)} parts",
                row=row, column="beneficiaries")
        name, idn, rel, share = parts
        try:
            share_v = Decimal(share) if share else None
        except InvalidOperation:
            raise PolicyFileError(f"beneficiary {n}: share {share!r} is not a number",
                                  row=row, column="beneficiaries") from None
        out.append({"name": name, "id_number": idn or None, "relationship": rel or None,
                    "share": share_v})
    return out


def load_policies_csv(text: str) -> list[Policy]:
    """Policies from CSV in the ``CSV_COLUMNS`` layout (see module docstring).

    >>> t = "policy_no,status,policyholder.name,beneficiaries\\nP1,in_force,王五,李四||spouse|100\\n"
    >>> load_policies_csv(t)[0].beneficiaries[0].relationship
    'spouse'
    >>> load_policies_csv("policy_no,status,policyholder.name,colour\\nP1,in_force,王五,red\\n")
    Traceback (most recent call last):
    ...
    verify.errors.PolicyFileError: row 1, column 'colour': unknown column; known: policy_no, status, product, sum_insured, annual_premium, policyholder.name, policyholder.id_number, policyholder.birth_date, policyholder.sex, policyholder.phone, policyholder.address, insured.name, insured.id_number, insured.birth_date, insured.sex, insured.phone, insured.address, payment.bank_name, payment.account_number, payment.account_holder, payment.frequency, payment.method, beneficiaries
    """
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise PolicyFileError("empty CSV: no header row") from None
    header = [h.strip() for h in header]
    for h in header:
        if h not in CSV_COLUMNS:
            raise PolicyFileError(f"unknown column; known: {', '.join(CSV_COLUMNS)}", row=1, column=h)
    for req in _CSV_REQUIRED:
        if req not in header:
            raise PolicyFileError("required column is missing", row=1, column=req)
    policies: list[Policy] = []
    for rowno, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise PolicyFileError(f"expected {len(header)} cells, got {len(cells)}", row=rowno)
        rec = dict(zip(header, cells))
        obj: dict[str, Any] = {}
        for col in ("policy_no", "status", "product", "sum_insured", "annual_premium"):
            if col in rec:
                obj[col] = rec[col].strip()
        for prefix in ("policyholder", "insured", "payment"):
            sub = {k.split(".", 1)[1]: v.strip() for k, v in rec.items() if k.startswith(prefix + ".")}
            if prefix == "insured" and not sub.get("name"):
                continue
            if prefix == "payment" and not any(sub.values()):
                continue
            obj[prefix] = sub
        if "beneficiaries" in rec:
            obj["beneficiaries"] = _parse_beneficiaries(rec["beneficiaries"], rowno)
        try:
            policies.append(Policy.model_validate(obj))
        except ValidationError as e:
            loc, msg = _describe(e)
            raise PolicyFileError(msg, row=rowno, column=loc) from None
    return policies
