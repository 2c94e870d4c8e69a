"""RQ plumbing, and nothing else: job ids from document ids, retry policy, job state, and
a worker that runs a given preload once before it forks.

It imports nothing from ``intake``: the service passes in what the plumbing needs (the
Redis connection, the dotted name of the job body, the retry policy, the preload), so a
document id walks one way, intake → queues → intake's job body. Jobs carry ids only; the
database row is the truth and Redis a delivery mechanism (RELIABILITY.md, "Queue").
"""
