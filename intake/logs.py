"""Logging to stderr with personal data masked.

Every record passing the stderr handler — message, arguments and traceback — is run
through ``scrub``: ``verify.masking.scrub`` when the verify package provides it, else a
mask over runs of 15–19 digits (ID numbers, with a trailing X, and bank cards, also when
spaced or hyphenated), keeping the first 4 and last 4 characters.
"""

from __future__ import annotations

import logging
import re
import sys

__all__ = ["scrub", "MaskingFilter", "setup_logging", "mask_number"]

# 15–19 digits, optionally separated by single spaces/hyphens, ID numbers may end in X;
# full-width digits are folded first.
_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")
_NUMBER = re.compile(r"(?<![0-9])(?:[0-9][ \-]?){14,18}[0-9Xx](?![0-9])")


def mask_number(value: str) -> str:
    """Mask an ID or card number: first 4 and last 4 kept (never the birth-date digits).

    >>> mask_number("110105198503071234")
    '1101**********1234'
    >>> mask_number("6222 0212 3456 7890 128")
    '6222***********0128'
    """
    compact = re.sub(r"[ \-]", "", str(value).translate(_FULLWIDTH))
    if len(compact) <= 8:
        return "*" * len(compact)
    return compact[:4] + "*" * (len(compact) - 8) + compact[-4:]


def _fallback_scrub(text: str) -> str:
    return _NUMBER.sub(lambda m: mask_number(m.group(0)), text.translate(_FULLWIDTH)) if text else text


def scrub(text: str) -> str:
    """``text`` with ID and card numbers masked (verify.masking.scrub when available)."""
    try:
        from verify.masking import scrub as verify_scrub  # colleague's, richer rules
    except ImportError:
        return _fallback_scrub(text)
    return verify_scrub(text)


class MaskingFilter(logging.Filter):
    """Rewrites a record's message and traceback text with ``scrub`` applied."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = str(record.msg)
        record.msg = scrub(message)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


def setup_logging(level: str | int = "INFO") -> None:
    """One stderr handler on the root logger, masking personal data. Idempotent."""
    root = logging.getLogger()
    for h in root.handlers:
        if getattr(h, "_baoquan", False):
            root.setLevel(level)
            return
    handler = logging.StreamHandler(sys.stderr)
    handler._baoquan = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskingFilter())
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # one line per plugin at start-up otherwise
    # RQ attaches its own handler to the "rq.worker" logger; route it through ours.
    for name in ("rq", "rq.worker", "rq.scheduler", "uvicorn", "uvicorn.error", "uvicorn.access"):
        lg = logging.getLogger(name)
        for h in list(lg.handlers):
            h.addFilter(MaskingFilter())
