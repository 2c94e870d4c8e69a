"""Tuning numbers of the queue plumbing, each with its unit.

``intake.settings`` lets the environment override the ones marked *env*; the rest are
fixed here so a change is a reviewed commit, not a host setting.
"""

from __future__ import annotations

QUEUE_NAME = "baoquan"  # the one queue documents are read from
JOB_TIMEOUT = 300  # seconds one job may run before its work-horse is killed (*env* BAOQUAN_JOB_TIMEOUT)
JOB_RETRY_MAX = 2  # retries after the first attempt (*env* BAOQUAN_JOB_RETRY_MAX)
JOB_RETRY_INTERVALS = (5, 30)  # seconds before retry 1, 2 (*env* BAOQUAN_JOB_RETRY_INTERVALS)
JOB_RESULT_TTL = 3600  # seconds RQ keeps a finished job (the database row is the truth)
JOB_FAILURE_TTL = 7 * 24 * 3600  # seconds RQ keeps a failed job (RQ's default is a year)
WORKER_MAINTENANCE_INTERVAL = 60  # seconds between a worker's registry clean-ups (RQ: 600); a job
#   abandoned by a SIGKILLed worker is retried within its heartbeat TTL (~90 s) plus this
ALIVE_INTERVAL = 5  # seconds between a worker's own liveness beats (``baoquan:alive:<name>``)
ALIVE_TTL = 15  # seconds a liveness beat lasts: a worker silent this long is dead to the sweep
SWEEP_INTERVAL = 10  # seconds between sweeps for started jobs whose worker is dead (one sweeper at a time)
