"""Document kinds and their fields, as fixed by CONTRACT.md."""

from __future__ import annotations

__all__ = ["KINDS", "FIELDS", "UNREADABLE", "MULTIPLE", "OTHER", "NAMES_ZH"]

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

#: What a person at the desk calls each kind (pages, discrepancy messages, the quick verdict).
NAMES_ZH: dict[str, str] = {
    "id_card_front": "身份证人像面",
    "id_card_back": "身份证国徽面",
    "bank_card": "银行卡",
    "income_proof": "收入证明",
    "marriage_certificate": "结婚证",
    "divorce_certificate": "离婚证",
    "household_register": "户口本",
    "court_judgment": "法院判决书/调解书",
    OTHER: "其他文件",
    UNREADABLE: "无法识别的文件",
    MULTIPLE: "多份文件",
}
