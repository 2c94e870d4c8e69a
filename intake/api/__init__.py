"""HTTP API v1: one router per resource under ``intake.api.routes``."""
