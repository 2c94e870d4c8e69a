"""Bank identities and card-number checks for the rules, on the extractor's own tables.

One BIN table and one alias table serve the whole system (``extractors/data/``, read by
``extractors.normalize.bank_card``), so the bank a card is read as and the bank the rules
compare it with can never come from two lists that disagree. A bank's identity is its
canonical Chinese name.

>>> bank_code("中国工商银行北京分行")
'中国工商银行'
>>> bank_code("工行")
'中国工商银行'
>>> bin_bank("6222021234567890128")
'中国工商银行'
>>> card_problem("12345")
'length'
"""

from __future__ import annotations

from extractors.normalize import bank_card
from extractors.normalize.errors import InvalidChecksum, InvalidLength, NormalizeError

__all__ = ["bank_code", "bin_bank", "card_problem"]


def bank_code(name: str | None) -> str | None:
    """The bank a name, alias or branch name refers to; None when unknown or ambiguous."""
    return bank_card.canonical_bank(name) if name else None


def bin_bank(card_number: str | None) -> str | None:
    """The bank a card number's BIN belongs to; None when the BIN is not in the table."""
    hit = bank_card.bank_from_bin(card_number) if card_number else None
    return hit[0] if hit else None


def card_problem(card_number: str | None) -> str | None:
    """Why a card number is impossible: ``"format"``, ``"length"``, ``"checksum"``; None if fine."""
    try:
        bank_card.validate(card_number)
    except InvalidLength:
        return "length"
    except InvalidChecksum:
        return "checksum"
    except NormalizeError:
        return "format"
    return None
