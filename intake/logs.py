"""Logging to stderr with personal data masked.

Every record passing the stderr handler — message, arguments and traceback — is run
through ``verify.masking.scrub`` (ID numbers: first 4 and last 4, never the birth date;
card numbers: first 6 and last 4).

>>> r = logging.LogRecord("t", logging.INFO, __file__, 1, "ID %s", ("110105198503071234",), None)
>>> MaskingFilter().filter(r), r.getMessage()
(True, 'ID 1101**********1234')
"""

from __future__ import annotations

import logging
import sys

# ``scrub`` stays importable from here for callers not yet importing verify.masking
# (intake/web/routes.py, intake/api/routes/auth.py, intake/processing.py, intake/verification.py)
from verify.masking import scrub

__all__ = ["MaskingFilter", "setup_logging"]


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
