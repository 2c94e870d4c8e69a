"""Document kinds and their fields, as fixed by CONTRACT.md."""

from __future__ import annotations

__all__ = ["KINDS", "FIELDS", "UNREADABLE", "MULTIPLE", "OTHER"]

UNREADABLE = "unreadable"
MULTIPLE = "multiple"
OTHER = "other"

FIELDS: dict[str, tuple[str, ...]] = {
    "id_card_front": ("name", "sex", "ethnicity", "birth_date", "address", "id_number"),
    "id_card_back": ("issuing_authority", "valid_from", "valid_until"),
    "bank_card": ("card_number", "bank_name", "card_type", "holder_name"),
    "income_proof": (
        "name", "id_number", "employer", "position", "monthly_income", "annual_income",
        "issue_date", "has_seal",
    ),
    "marriage_certificate": (
        "holder_name", "holder_id_number", "spouse_name", "spouse_id_number",
        "registration_date", "certificate_number",
    ),
    "divorce_certificate": (
        "holder_name", "holder_id_number", "spouse_name", "spouse_id_number",
        "registration_date", "certificate_number",
    ),
    "household_register": (
        "name", "relationship_to_head", "sex", "ethnicity", "birth_date", "id_number", "address",
    ),
    "court_judgment": ("court", "case_number", "parties", "judgment_date", "mentions_policy_numbers"),
    OTHER: (),
}

KINDS: tuple[str, ...] = tuple(FIELDS)
