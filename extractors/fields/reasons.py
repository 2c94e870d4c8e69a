"""Machine reason codes a ``Field`` can carry (``Field.reasons``), each meaning "needs review".

Validation failures use the normaliser error codes (``extractors.normalize.errors``).
"""

from __future__ import annotations

__all__ = ["REASONS", "VALIDATION_FAILURES", "CONFLICTS"]

REASONS: dict[str, str] = {
    # reading quality
    "low_confidence": "the engine's confidence for the line(s) is below REVIEW_CONFIDENCE",
    "label_not_found": "the value was located without its printed label",
    "unexpected_text": "the value's box held extra text around the value",
    "variant_character": "traditional/variant characters were mapped to their simplified form",
    "rare_character": "a place name holds characters outside GB 2312 (misreads concentrate there)",
    "ocr_split": "the value was re-joined from boxes the engine split (e.g. under a seal)",
    "letter_in_number": "a letter that looks like a digit touches digits (l401, 14O4): likely a misread",
    "conflicting_readings": "the document shows two different values for the field",
    "address_incomplete": "the address does not end the way addresses end (室/号/组/村…): a line may be hidden",
    "foreign_text": "text that cannot belong to the field (an ID number inside an address) was cut off",
    "zone_read": "read from the field's place on the standard layout, its label not read",
    # validation (normaliser error codes)
    "checksum_failed": "check digit (GB 11643) or Luhn check fails",
    "wrong_length": "ID number not 18 characters / card number not 16–19 digits (never padded)",
    "invalid_format": "characters that cannot occur in the value",
    "invalid_component": "impossible part: birth date, region code, month",
    "implausible_name": "not the shape of a personal name",
    "unknown_ethnicity": "not exactly one of the 56 ethnic groups (value is the fuzzy match)",
    "fuzzy_match": "matched to the vocabulary with OCR-error tolerance",
    "unknown_relationship": "relationship to the household head not in the known list",
    "validity_span_invalid": "ID validity span is not 5/10/20 years to the day or 长期",
    "incomplete_span": "only one date of a validity span was read",
    "ambiguous_date": "the closing date could not be told from other dates in the text",
    "partial_value": "read only in part (a date without its day, a number without digits): returned "
                     "as read, never completed",
    # OCR correction of ID numbers
    "ocr_corrected": "letters read for digits were replaced (more than one reading was possible)",
    "digit_corrected": "one confusable digit was replaced: the unique candidate consistent with "
                       "the printed birth date and sex (a best guess)",
    "ambiguous_correction": "several corrections validate and agree with the printed data",
    "no_consistent_correction": "corrections validate but disagree with the printed data",
    "unverifiable_correction": "corrections validate but nothing printed can confirm them",
    # cross-checks
    "birth_date_conflict": "printed birth date differs from the one in the ID number",
    "sex_conflict": "printed sex differs from the ID number's 17th digit",
    "region_conflict": "ID region code's province differs from the address's province",
    "county_misread": "the address names the ID number's county with one character wrong (a misread)",
    "bin_bank_conflict": "the card BIN's bank differs from the bank printed on the card",
    "bin_type_conflict": "the card BIN's type differs from the type printed on the card",
    "unknown_bin": "the card number's BIN names no issuer in the table (a foreign or unlisted card)",
    "grouping_mismatch": "the card number's digit groups do not follow a printed grouping (a digit lost or added)",
    "amount_conflict": "figures and the capital-letter amount disagree",
    "income_inconsistent": "annual income is not 10–24 × monthly income",
    "holder_unresolved": "持证人 matched neither person on the certificate",
    # not read
    "derived": "not printed/read: derived (×12, ÷12, from the ID number, from the BIN table)",
    "not_found": "not on the document; the value is 'unknown'",
    "no_image": "no page image to look for a seal on",
    "seal_not_detected": "no red seal found on the page image",
    "seal_overlap": "a seal lies across or beside the value: characters under it may be lost",
    "stamp_overlap": "faded stamp ink lay across the value: strokes under it may be lost",
    "cut_at_edge": "the value touches the edge of the document's crop: part of it may be cut off",
    "seal_not_red": "a seal's ring found without red ink: a copied (grey) or faded seal; see the original",
}

VALIDATION_FAILURES = frozenset({"checksum_failed", "wrong_length", "invalid_format", "invalid_component"})
CONFLICTS = frozenset({"birth_date_conflict", "sex_conflict", "region_conflict", "bin_bank_conflict",
                       "bin_type_conflict", "amount_conflict", "income_inconsistent"})
