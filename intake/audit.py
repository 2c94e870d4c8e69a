"""Append-only, hash-chained audit events.

Each event's ``hash`` is SHA-256 over the canonical JSON of its sequence number, time,
actor, action, object, details and the previous event's hash (the genesis hash is 64
zeros). ``audit_head`` holds the last sequence number and hash; appenders lock it first,
so concurrent writers still produce one chain, and truncation from the end is detected.
Events are written in the caller's transaction (result, status and event commit
together). Details never hold ID or card numbers unmasked.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from intake.db.models import AuditEvent, AuditHead

__all__ = ["record", "verify_chain", "ChainReport", "GENESIS", "event_hash"]

GENESIS = "0" * 64


def event_hash(seq: int, ts: str, actor: str, action: str, object_type: str | None,
               object_id: str | None, details: dict[str, Any], prev_hash: str) -> str:
    payload = json.dumps(
        {"seq": seq, "ts": ts, "actor": actor, "action": action, "object_type": object_type,
         "object_id": object_id, "details": details, "prev_hash": prev_hash},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


#: The actor of what the service does by itself (reading documents, straight-through approval).
SYSTEM = "system"


def record(session: Session, actor: str, action: str, object_type: str | None = None,
           object_id: Any = None, **details: Any) -> AuditEvent:
    """Append one event in ``session``'s transaction (the caller commits)."""
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()
    seq = head.seq + 1
    ts = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    oid = None if object_id is None else str(object_id)
    details = json.loads(json.dumps(details, default=str))  # what is stored is what is hashed
    h = event_hash(seq, ts, actor, action, object_type, oid, details, head.hash)
    event = AuditEvent(seq=seq, ts=ts, actor=actor, action=action, object_type=object_type,
                       object_id=oid, details=details, prev_hash=head.hash, hash=h)
    session.add(event)
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq, hash=h))
    return event


@dataclass
class ChainReport:
    ok: bool
    events: int
    bad_seq: int | None = None
    reason: str = ""

    def __str__(self) -> str:
        if self.ok:
            return f"audit chain intact: {self.events} events"
        return f"audit chain broken at event {self.bad_seq}: {self.reason}"


def verify_chain(session: Session) -> ChainReport:
    """Walk the chain from the first event; report the first event that does not fit."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    rows = session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars()
    for ev in rows:
        if ev.seq != expected_seq:
            return ChainReport(False, count, expected_seq, f"event {expected_seq} is missing (next stored is {ev.seq})")
        if ev.prev_hash != prev:
            return ChainReport(False, count, ev.seq, "prev_hash does not match the previous event's hash")
        h = event_hash(ev.seq, ev.ts, ev.actor, ev.action, ev.object_type, ev.object_id, ev.details or {}, ev.prev_hash)
        if h != ev.hash:
            return ChainReport(False, count, ev.seq, "content does not match its hash (edited)")
        prev = ev.hash
        expected_seq += 1
        count += 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq != count or head.hash != prev):
        return ChainReport(False, count, count + 1, f"head records {head.seq} events but {count} are stored (deleted from the end)")
    return ChainReport(True, count)
