"""Glue between ``intake`` and the pure packages: RQ jobs, enqueueing, the worker.

Jobs carry document ids only; the database row is the truth and Redis a delivery
mechanism (RELIABILITY.md, "Queue").
"""
