"""Tuning numbers of the service edge, each with its unit.

Environment variables (``intake.settings``) override the ones marked *env*; the rest are
fixed here so a change is a reviewed commit, not a host setting.
"""

from __future__ import annotations

from extractors import defaults as _extractor_defaults

# --- uploads ------------------------------------------------------------------------
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # bytes per request body (*env* BAOQUAN_MAX_UPLOAD_BYTES)
MAX_PIXELS = _extractor_defaults.MAX_PIXELS  # pixels per image, from the header (*env* BAOQUAN_MAX_PIXELS)
MAX_FILES_PER_UPLOAD = 20  # files in one multipart request
FILENAME_MAX_CHARS = 120  # characters kept of a client's file name (the extension survives)
SNIFF_BYTES = 16  # bytes read to decide the type from magic numbers

# --- queue (the plumbing's own numbers are in ``queues/defaults.py``) ----------------
PROCESS_DOCUMENT = "intake.processing.process_document"  # the job body RQ imports by this name
RECONCILE_INTERVAL = 60  # seconds between reconciler passes in `baoquan serve`
WORKER_RESTART_DELAY = 5  # seconds between checks that `baoquan serve`'s worker is alive
RECONCILE_GRACE = 30  # seconds a document may sit without a job before it is re-enqueued
RECONCILE_LOCK_TTL = 300  # seconds the one-pass-at-a-time lock lives if its holder dies

# --- quick check (the agent's verdict at the table, in the API process) --------------
QUICK_CHECK_THREADS = 1  # threads running quick checks in the API process (one OCR at a time)
QUICK_CHECK_MAX_WAITING = 8  # requests waiting for a quick-check thread beyond which the API answers 503
QUICK_CHECK_RETRY_AFTER = 2  # seconds suggested to a client refused with 503

# --- auth ---------------------------------------------------------------------------
TOKEN_TTL = 8 * 3600  # seconds a bearer token / session cookie is valid (one shift)
SESSION_COOKIE = "baoquan_session"

# --- database -----------------------------------------------------------------------
SQLITE_BUSY_TIMEOUT = 30  # seconds a SQLite writer waits for the lock

# --- pages --------------------------------------------------------------------------
LIST_PAGE_SIZE = 100  # cases per list page
AUDIT_PAGE_SIZE = 200  # events on the audit page
