"""A job body for the plumbing tests: RQ imports it by name in the work-horse."""

CALLS: list[int] = []


def record(document_id: int) -> str:
    CALLS.append(document_id)
    return f"seen {document_id}"


def fail(document_id: int) -> str:
    raise RuntimeError(f"job for {document_id} failed")
