"""Who may do what: one row per route of the app (API operations from the OpenAPI schema,
pages from the web router), the roles refused, and a request per role. A route added
without a row here fails ``test_every_route_has_a_rule``.

Refused roles get 403; the others are not refused (their answer may still be 404 for an
object that is not theirs, or 422 for the empty body sent here) and never 5xx. Object-level
rules (an agent's own cases, an auditor's samples) are checked separately below.
"""

from __future__ import annotations

import re

import pytest

from intake import cases
from intake.auth import issue_token

pytestmark = pytest.mark.redis

ROLES = ("agent", "clerk", "auditor", "admin")
PUBLIC: frozenset[str] = frozenset()
NOT_AGENT = frozenset({"agent"})
ONLY_CLERKS = frozenset({"agent", "auditor"})
ONLY_AUDITORS = frozenset({"agent", "clerk"})
NOT_AUDITOR = frozenset({"auditor"})
ONLY_AGENTS = frozenset({"clerk", "auditor"})

#: (method, path) → roles refused with 403.
RULES: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/healthz"): PUBLIC,
    ("POST", "/api/v1/auth/token"): PUBLIC,
    ("POST", "/api/v1/policies"): ONLY_CLERKS,
    ("POST", "/api/v1/policies/import"): ONLY_CLERKS,
    ("GET", "/api/v1/policies/{policy_no}"): PUBLIC,
    ("POST", "/api/v1/cases"): NOT_AUDITOR,
    ("GET", "/api/v1/cases"): PUBLIC,  # each sees what is theirs
    ("GET", "/api/v1/cases/{case_id}"): PUBLIC,  # object level: 404 unless visible
    ("POST", "/api/v1/cases/{case_id}/submit"): ONLY_AGENTS,
    ("PATCH", "/api/v1/cases/{case_id}/fields"): ONLY_CLERKS,
    ("POST", "/api/v1/cases/{case_id}/decision"): ONLY_CLERKS,
    ("POST", "/api/v1/cases/{case_id}/documents"): NOT_AUDITOR,
    ("DELETE", "/api/v1/cases/{case_id}/documents/{document_id}"): ONLY_AGENTS,
    ("GET", "/api/v1/jobs/{job_id}"): PUBLIC,  # object level, through the case
    ("POST", "/api/v1/audit/samples"): ONLY_AUDITORS,
    ("GET", "/api/v1/audit/samples/{sample_id}"): ONLY_AUDITORS,
    ("GET", "/api/v1/audit/samples/{sample_id}/cases/{case_id}"): ONLY_AUDITORS,
    ("POST", "/api/v1/audit/samples/{sample_id}/reviews"): ONLY_AUDITORS,
    ("GET", "/api/v1/audit/stats"): ONLY_AUDITORS,
    ("POST", "/api/v1/quick-check"): NOT_AUDITOR,
    ("GET", "/static/{name}"): PUBLIC,
    ("GET", "/"): PUBLIC,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("POST", "/logout"): PUBLIC,
    ("GET", "/agent"): ONLY_AGENTS,
    ("POST", "/agent/cases"): ONLY_AGENTS,
    ("GET", "/agent/cases/{case_id}"): ONLY_AGENTS,
    ("POST", "/agent/quick-check"): ONLY_AGENTS,
    ("POST", "/agent/cases/{case_id}/documents"): ONLY_AGENTS,
    ("GET", "/agent/cases/{case_id}/documents/{document_id}/file"): ONLY_AGENTS,
    ("POST", "/agent/cases/{case_id}/documents/{document_id}/withdraw"): ONLY_AGENTS,
    ("POST", "/agent/cases/{case_id}/submit"): ONLY_AGENTS,
    ("GET", "/clerk"): ONLY_CLERKS,
    ("GET", "/clerk/next"): ONLY_CLERKS,
    ("GET", "/clerk/cases/{case_id}"): ONLY_CLERKS,
    ("POST", "/clerk/cases/{case_id}/fields"): ONLY_CLERKS,
    ("POST", "/clerk/cases/{case_id}/decision"): ONLY_CLERKS,
    ("GET", "/clerk/cases/{case_id}/documents/{document_id}/file"): ONLY_CLERKS,
    ("GET", "/audit"): ONLY_AUDITORS,
    ("POST", "/audit/samples"): ONLY_AUDITORS,
    ("GET", "/audit/samples/{sample_id}"): ONLY_AUDITORS,
    ("GET", "/audit/samples/{sample_id}/cases/{case_id}"): ONLY_AUDITORS,
    ("POST", "/audit/samples/{sample_id}/cases/{case_id}/review"): ONLY_AUDITORS,
    ("GET", "/audit/samples/{sample_id}/cases/{case_id}/documents/{document_id}/file"): ONLY_AUDITORS,
    ("GET", "/audit/samples/{sample_id}/cases/{case_id}/pack"): ONLY_AUDITORS,
    ("GET", "/audit/stats"): ONLY_AUDITORS,
    ("GET", "/audit/stats.csv"): ONLY_AUDITORS,
    ("GET", "/audit/trail"): ONLY_AUDITORS,
}


def app_routes(app) -> set[tuple[str, str]]:
    from intake.web.routes import router

    out = {(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops}
    out |= {(m, r.path) for r in router.routes for m in r.methods if m != "HEAD"}
    return out


def test_every_route_has_a_rule(client):
    routes = app_routes(client.app)
    assert sorted(routes - set(RULES)) == [], "a route without a rule: add it to RULES"
    assert sorted(set(RULES) - routes) == [], "a rule for a route that no longer exists"


@pytest.fixture
def world(client, make_user, policy, make_png, runtime, record_reading):
    """agent1's case with one read document, decided; a sample holding it."""
    people = {role: make_user(role, f"{role}1") for role in ROLES}
    agent = people["agent"][0]
    with runtime.db.session() as s:
        case = cases.create_case(s, agent, policy["policy_no"], "id_renewal")
        s.commit()
        [doc] = cases.add_documents(s, runtime.store, agent, case, [cases.Upload("id.png", make_png())], None)
    record_reading(doc.id)
    clerk_h = people["clerk"][1]
    client.post(f"/api/v1/cases/{case.id}/decision", headers=clerk_h,
                json={"action": "approve", "override_reason": "test"})
    from datetime import date

    today = date.today().isoformat()
    sample = client.post("/api/v1/audit/samples", headers=people["auditor"][1],
                         json={"seed": 1, "rate": 1.0, "from": today, "to": today}).json()
    assert sample["cases"] == [case.id]
    return {"people": people, "case_id": case.id, "document_id": doc.id, "sample_id": sample["id"],
            "job_id": f"doc-{doc.id}", "policy_no": policy["policy_no"], "name": "app.css"}


def _fill(path: str, ids: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_refused_exactly_where_the_table_says(client, runtime, world, role):
    import hashlib
    import hmac

    from intake import defaults

    principal, headers = world["people"][role]
    token = headers["Authorization"].split()[1]
    csrf = hmac.new(runtime.settings.secret_key.encode(), b"csrf:" + token.encode(), hashlib.sha256).hexdigest()[:40]
    wrong = []
    for (method, path), refused in sorted(RULES.items()):
        url = _fill(path, world)
        page = not url.startswith(("/api/", "/healthz"))
        client.cookies.clear()
        if page:
            client.cookies.set(defaults.SESSION_COOKIE, token)
            kw = {"headers": {"X-CSRF-Token": csrf}}
        else:
            kw = {"headers": headers}
        if path in ("/login", "/logout") or path == "/api/v1/auth/token":
            kw = {"headers": {"X-CSRF-Token": csrf}} if page else {}
        r = client.request(method, url, follow_redirects=False, **kw)
        if r.status_code >= 500:
            wrong.append((method, path, r.status_code, "server error"))
        elif role in refused and r.status_code != 403:
            wrong.append((method, path, r.status_code, "expected 403"))
        elif role not in refused and r.status_code in (401, 403):
            wrong.append((method, path, r.status_code, "refused but allowed by the table"))
    assert wrong == []


def test_objects_stay_with_their_owners(client, world, make_user):
    _, other_agent = make_user("agent", "agent2")
    cid, did, sid = world["case_id"], world["document_id"], world["sample_id"]
    auditor = world["people"]["auditor"][1]
    assert client.get(f"/api/v1/cases/{cid}", headers=other_agent).status_code == 404
    assert client.get(f"/api/v1/jobs/doc-{did}", headers=other_agent).status_code == 404
    assert client.get(f"/api/v1/cases/{cid}", headers=auditor).status_code == 404  # only through a sample
    assert client.get(f"/api/v1/audit/samples/{sid}/cases/{cid}", headers=auditor).status_code == 200
    assert client.get(f"/api/v1/audit/samples/{sid}/cases/{cid + 1}", headers=auditor).status_code == 404
    assert client.get(f"/api/v1/cases?state=approved", headers=other_agent).json()["count"] == 0
