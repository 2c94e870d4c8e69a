"""The discrepancy codes, each with its one-line meaning: the one list everything reads.

``DISCREPANCIES`` is CONTRACT's "Discrepancy codes" table, in its order: the checks report
only these (``verify.checks._base.make`` refuses any other code), the planted suite plants
every one of them (``samples.plant.build``), and tests/verify/test_verify_codes.py holds
README.md and CONTRACT.md to this list.

``RISK_WARNINGS`` is CONTRACT's "Risk warnings" table (severity ``warning``, never an error
alone): the checks that see them in a case file report them with ``verify.checks._base.warn``
(file metadata, cross-document consistency, relationships); the service adds those that
need its store (``image_reused``, ``account_shared``, ``id_number_shared``).

>>> DISCREPANCY_CODES[:2], len(DISCREPANCY_CODES)
(('document_missing', 'document_unreadable'), 18)
>>> DISCREPANCIES["seal_missing"]
'an income proof or legal document has no official seal'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["DISCREPANCIES", "DISCREPANCY_CODES", "RISK_WARNINGS", "RISK_WARNING_CODES"]

#: code → meaning (CONTRACT "Discrepancy codes")
DISCREPANCIES: Mapping[str, str] = MappingProxyType({
    "document_missing": "a document the endorsement type requires was not supplied",
    "document_unreadable": "quality too poor or file corrupt to extract required fields",
    "document_kind_unexpected": "a supplied document is not a kind this endorsement uses",
    "name_mismatch": "a name on a document differs from the policy record party it must match",
    "id_number_mismatch": "an ID number differs from the policy record",
    "id_number_invalid": "fails GB 11643 check digit, birth date or region code",
    "birth_date_mismatch": "birth date on the ID (or encoded in the ID number) differs from the record",
    "sex_mismatch": "sex on the ID (or encoded in the ID number) differs from the record",
    "id_expired": "the ID card's `valid_until` is before the application date",
    "bank_card_invalid": "card number fails the Luhn check or has an impossible length",
    "bank_name_mismatch": "the bank read from the card (or its BIN) differs from the requested bank",
    "account_mismatch": "the card number differs from the requested account number",
    "account_holder_mismatch": "the printed holder name differs from the policyholder",
    "income_insufficient": "proven annual income does not support the requested sum insured under the "
                           "configured multiple",
    "income_proof_stale": "the income proof is older than the configured maximum age",
    "seal_missing": "an income proof or legal document has no official seal",
    "relationship_unproven": "no supplied document links the policyholder/insured to a new beneficiary",
    "policy_status_invalid": "the policy's status does not allow this endorsement (e.g. loan on a lapsed policy)",
})
DISCREPANCY_CODES: tuple[str, ...] = tuple(DISCREPANCIES)

#: code → meaning (CONTRACT "Risk warnings")
RISK_WARNINGS: Mapping[str, str] = MappingProxyType({
    "image_reused": "the same document image (exact or perceptually the same print) is in another "
                    "customer's case or another agent's",
    "account_shared": "the bank account appears for a different customer in another recent case",
    "id_number_shared": "the ID number appears for a different person in another case",
    "edited_file": "the file's metadata names an image editor",
    "stale_capture": "the photo was taken long before the case, or after its upload",
    "screenshot": "a screenshot, not a camera photo",
    "cross_document_mismatch": "two documents of one case disagree about the same person (name, ID number, "
                               "birth date)",
    "relationship_mismatch": "the household register's relationship between a new beneficiary and the "
                             "policyholder/insured differs from the declared relationship",
    "spouse_mismatch": "the marriage certificate pairs the policyholder/insured with someone other than the new "
                       "beneficiary declared as spouse",
    "spouse_divorced": "a divorce certificate ends the marriage to a beneficiary still named as spouse",
})
RISK_WARNING_CODES: tuple[str, ...] = tuple(RISK_WARNINGS)
