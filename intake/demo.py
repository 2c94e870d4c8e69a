"""`baoquan demo`: load samples/ through the same service functions the API uses.

Reads ``samples/policies.json`` (an array of policy records) and ``samples/cases/*.json``
(CONTRACT's case-file shape; document paths relative to the case file), creates the
demo users ``agent``, ``clerk``, ``auditor`` and ``admin`` (random passwords printed once
on stdout), creates each case as the agent, stores its documents and enqueues them.
``samples/demo_states.json`` says where some cases are left, so the demo holds a case in
every state: named cases are decided by ``clerk`` once the worker has read them
(``settle``), ``draft`` ones get no documents. Loading is idempotent: a case whose id
(``case_id``, kept as ``external_ref``) is already in the store is skipped, and users and
policies are not duplicated, so a second ``make run`` adds nothing.
"""

from __future__ import annotations

import json
import logging
import secrets
from pathlib import Path

import time

from sqlalchemy import select

from intake import cases, errors, lifecycle
from intake.auth import Principal, create_user
from intake.db.models import Case, User
from intake.errors import ApprovalBlocked

__all__ = ["load_demo", "settle", "DemoError", "DEMO_USERS"]

DEMO_OVERRIDE = "演示数据：机器提示的差异已与原件核对"

log = logging.getLogger(__name__)

DEMO_USERS = ("agent", "clerk", "auditor", "admin")


class DemoError(Exception):
    pass


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DemoError(f"{path}: {exc}") from None


def load_demo(rt, samples: Path, out=print) -> dict:
    from verify.errors import InputError
    from verify.types import Policy, load_policies_json

    policies_file = samples / "policies.json"
    case_files = sorted((samples / "cases").glob("*.json")) if (samples / "cases").is_dir() else []
    if not policies_file.is_file() or not case_files:
        raise DemoError(f"no demo data: expected {policies_file} and {samples / 'cases'}/*.json "
                        "(generate them first, e.g. `make samples`)")
    rt.settings.ensure_dirs()
    rt.db.migrate()
    summary = {"users": [], "policies": 0, "cases": 0, "documents": 0}
    with rt.db.session() as session:
        for name in DEMO_USERS:
            if session.execute(select(User).where(User.name == name)).scalar_one_or_none() is None:
                password = secrets.token_urlsafe(12)
                create_user(session, name, name, password, actor="demo")
                out(f"user {name:8} password {password}")
                summary["users"].append(name)
            else:
                out(f"user {name:8} exists (password unchanged)")
        try:
            policies = load_policies_json(policies_file.read_text(encoding="utf-8"))
        except InputError as exc:
            raise DemoError(f"{policies_file}: {exc}") from None
        created, updated = cases.import_policies(session, policies, "demo")
        summary["policies"] = created + updated
        session.commit()
        agent_row = session.execute(select(User).where(User.name == "agent")).scalar_one()
        agent = Principal(agent_row.id, agent_row.name, agent_row.role)

    plan = _plan(samples)
    for path in case_files:
        data = _read_json(path)
        if not isinstance(data, dict) or "type" not in data:
            raise DemoError(f"{path}: not a case file (needs at least 'type' and 'policy')")
        ref = data.get("case_id")
        with rt.db.session() as session:
            if ref and session.execute(select(Case.id).where(Case.external_ref == ref)).first():
                summary["skipped"] = summary.get("skipped", 0) + 1
                continue
        if (plan.get(ref) or {}).get("state") == "draft":
            data = {**data, "documents": []}
        policy = data.get("policy") or {}
        policy_no = data.get("policy_no") or policy.get("policy_no")
        uploads = []
        for rel in data.get("documents", []):
            doc_path = (path.parent / rel).resolve()
            try:
                uploads.append(cases.Upload(doc_path.name, doc_path.read_bytes()))
            except OSError as exc:
                raise DemoError(f"{path}: document {rel}: {exc.strerror}") from None
        with rt.db.session() as session:
            if isinstance(policy, dict) and policy.get("policy_no"):
                try:
                    cases.import_policies(session, [Policy.model_validate(policy)], "demo")
                except ValueError as exc:
                    raise DemoError(f"{path}: policy: {exc}") from None
            try:
                case = cases.create_case(session, agent, policy_no, data["type"], data.get("requested") or {},
                                         data.get("application_date"), external_ref=data.get("case_id"))
            except errors.CaseError as exc:
                raise DemoError(f"{path}: {exc}") from None
            session.commit()
            if uploads:
                cases.add_documents(session, rt.store, agent, case, uploads, rt.enqueue_document,
                                   max_pixels=rt.settings.max_pixels)
            summary["cases"] += 1
            summary["documents"] += len(uploads)
    out(f"loaded {summary['policies']} policies, {summary['cases']} cases, {summary['documents']} documents "
        f"(queued for OCR){'; ' + str(summary['skipped']) + ' cases already loaded' if summary.get('skipped') else ''}")
    return summary


def _plan(samples: Path) -> dict[str, dict]:
    path = samples / "demo_states.json"
    if not path.is_file():
        return {}
    plan = _read_json(path)
    return {k: v for k, v in plan.items() if not k.startswith("_")} if isinstance(plan, dict) else {}


def settle(rt, samples: Path, wait: float = 600.0, out=print) -> dict[str, str]:
    """Decide the demo cases ``demo_states.json`` names, as ``clerk``, once each is in review.

    Waits at most ``wait`` seconds for the worker to read them; returns ``{case_id: state}``
    for every named case (a case still being read is reported, not decided). Cases already
    decided are left alone, so this too can run twice.
    """
    plan = {k: v for k, v in _plan(samples).items() if v.get("action")}
    started = time.monotonic()
    deadline = started + wait
    states: dict[str, str] = {}
    with rt.db.session() as session:
        clerk_row = session.execute(select(User).where(User.name == "clerk")).scalar_one()
        clerk = Principal(clerk_row.id, clerk_row.name, clerk_row.role)
    pending = dict(plan)
    while True:
        for ref, step in list(pending.items()):
            with rt.db.session() as session:
                case = session.execute(select(Case).where(Case.external_ref == ref)).scalars().first()
                if case is None:
                    states[ref] = "absent"
                    pending.pop(ref)
                elif case.state == "ready_for_review":
                    try:
                        lifecycle.decide(session, clerk, case, step["action"], step.get("reason"),
                                         step.get("override_reason"))
                    except ApprovalBlocked as exc:
                        # the reading raised an error the plan did not expect: approve it the
                        # way a clerk would after checking the originals, and say so
                        session.rollback()
                        out(f"demo: {ref}: {exc}; approving with an override")
                        lifecycle.decide(session, clerk, case, "approve", None, DEMO_OVERRIDE)
                    states[ref] = case.state
                    pending.pop(ref)
                elif case.state in ("approved", "returned", "rejected"):
                    states[ref] = case.state
                    pending.pop(ref)
                else:
                    states[ref] = case.state
        if not pending or time.monotonic() >= deadline:
            break
        time.sleep(1.0)
    if pending:
        out(f"demo: {len(pending)} cases still being read after {wait:.0f} s, left undecided: {sorted(pending)}")
    else:
        out(f"demo: decided {len(plan)} cases as clerk after waiting {time.monotonic() - started:.0f} s for the worker "
            f"({', '.join(f'{k} {v}' for k, v in sorted(states.items()))})")
    return states
