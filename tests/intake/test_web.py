"""Pages (zh-CN) without a browser: redirects without a session, the per-role 403 page, the
agent's case page, the clerk's queue (filters, counts, pages) and case page (image with field
boxes, corrections, decisions), the auditor's sample / blind review / statistics, and who
may fetch a stored file (agents their own cases, clerks all, auditors sampled cases only)."""

from __future__ import annotations

import re

from datetime import date, timedelta

import pytest
from sqlalchemy import select

pytestmark = pytest.mark.redis

PASSWORD = "correct horse battery"
ID_NUMBER = "110105198503071234"


def login(client, name, csrf=True):
    """Log in; with ``csrf`` the client then sends this session's token on every request,
    as the pages' forms and scripts do."""
    client.cookies.clear()
    client.headers.pop("X-CSRF-Token", None)
    r = client.post("/login", data={"username": name, "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303, r.text
    if csrf:
        page = client.get("/").text
        token = re.search(r'<meta name="csrf-token" content="([0-9a-f]+)">', page).group(1)
        client.headers["X-CSRF-Token"] = token
    return r


def test_a_form_post_without_this_sessions_csrf_token_is_refused(client, make_user, policy):
    make_user("agent", "csrf-agent")
    login(client, "csrf-agent", csrf=False)
    page = client.get("/agent").text
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page).group(1)
    form = {"policy_no": policy["policy_no"], "type": "contact_change"}
    r = client.post("/agent/cases", data=form, follow_redirects=False)
    assert r.status_code == 403 and "CSRF" in r.text
    r = client.post("/agent/cases", data={**form, "csrf_token": "0" * 40}, follow_redirects=False)
    assert r.status_code == 403
    r = client.post("/agent/cases", data={**form, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    # another session's token does not fit this one
    make_user("agent", "csrf-agent-2")
    login(client, "csrf-agent-2", csrf=False)
    assert client.post("/agent/cases", data={**form, "csrf_token": token}, follow_redirects=False).status_code == 403


def front(name="王建国", id_number=ID_NUMBER, review=False, box=((20, 30), (200, 30), (200, 70), (20, 70))):
    """An ID-front reading as the worker stores it."""
    fields = {"name": {"value": name, "confidence": 0.99, "box": [list(p) for p in box], "page": 1,
                       "needs_review": False}}
    if id_number:
        fields["id_number"] = {"value": id_number, "confidence": 0.7 if review else 0.98,
                               "box": [[20, 100], [400, 100], [400, 140], [20, 140]], "page": 1,
                               "needs_review": review}
    return {"kind": "id_card_front", "kind_confidence": 0.9, "quality": {"ok": True, "issues": []},
            "fields": fields, "lines": [], "pages": 1}


BACK = {"kind": "id_card_back", "kind_confidence": 0.9, "quality": {"ok": True, "issues": []},
        "fields": {"issuing_authority": {"value": "北京市公安局朝阳分局", "confidence": 0.95, "box": None, "page": 1,
                                         "needs_review": False},
                   "valid_from": {"value": "2020-01-01", "confidence": 0.95, "box": None, "page": 1,
                                  "needs_review": False},
                   "valid_until": {"value": "长期", "confidence": 0.95, "box": None, "page": 1, "needs_review": False}},
        "lines": [], "pages": 1}


@pytest.fixture
def make_case(runtime, make_png):
    """make_case(agent, type, results=[...]) → (case id, [document ids]); every document read."""
    from intake import cases, processing

    def make(agent, type="id_renewal", results=(), policy_no="P2019000123"):
        with runtime.db.session() as s:
            case = cases.create_case(s, agent, policy_no, type)
            s.commit()
            docs = []
            if results:
                docs = cases.add_documents(s, runtime.store, agent, case,
                                           [cases.Upload(f"p{i}.png", make_png(size=(640, 200 + i)))
                                            for i in range(len(results))], None)
            case_id, doc_ids = case.id, [d.id for d in docs]
        for doc_id, result in zip(doc_ids, results):
            with runtime.db.session() as s:
                processing.start_processing(s, doc_id, 3)
            with runtime.db.session() as s:
                processing.record_extraction(s, doc_id, result)
        return case_id, doc_ids

    return make


def decide(runtime, clerk, case_id, action, reason="", override=""):
    from intake import cases, lifecycle

    with runtime.db.session() as s:
        case = cases.get_case(s, clerk, case_id)
        lifecycle.decide(s, clerk, case, action, reason, override)


def events(runtime, action):
    from intake.db.models import AuditEvent

    with runtime.db.session() as s:
        return [(e.actor, e.object_id) for e in s.execute(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)).scalars()]


# --------------------------------------------------------------------------- sessions and roles


@pytest.mark.parametrize("path", ["/agent", "/agent/cases/1", "/clerk", "/clerk/cases/1", "/clerk/next", "/audit",
                                  "/audit/stats", "/audit/stats.csv", "/audit/trail", "/audit/samples/1",
                                  "/audit/samples/1/cases/1", "/audit/samples/1/cases/1/documents/1/file"])
def test_pages_redirect_to_login_without_session(client, path):
    r = client.get(path, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"


def test_forged_cookie_redirects(client):
    client.cookies.set("baoquan_session", "forged.cookie")
    r = client.get("/agent", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"


def test_login_sets_a_strict_httponly_cookie(client, make_user):
    assert "<form" in client.get("/login").text
    make_user("agent", "webagent")
    r = client.post("/login", data={"username": "webagent", "password": "nope nope nope"}, follow_redirects=False)
    assert r.status_code == 401 and "用户名或密码错误" in r.text
    r = login(client, "webagent")
    assert r.headers["location"] == "/agent"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


@pytest.mark.parametrize("role,path,allowed", [
    ("agent", "/clerk", "保全审核员、管理员"), ("agent", "/audit", "稽核员、管理员"),
    ("clerk", "/agent", "代理人、管理员"), ("clerk", "/audit/stats", "稽核员、管理员"),
    ("auditor", "/clerk", "保全审核员、管理员"), ("auditor", "/agent", "代理人、管理员"),
])
def test_each_role_gets_a_403_page_in_words_elsewhere(client, make_user, role, path, allowed):
    make_user(role, f"u-{role}")
    login(client, f"u-{role}")
    r = client.get(path)
    assert r.status_code == 403 and "无权访问" in r.text and f"此页面仅供{allowed}使用" in r.text


def test_static_assets_are_served_and_nothing_else(client):
    r = client.get("/static/app.css")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/css")
    assert client.get("/static/agent.js").status_code == 200
    assert client.get("/static/..%2Froutes.py").status_code == 404
    assert client.get("/static/routes.py").status_code == 404


# --------------------------------------------------------------------------- agent


def test_agent_finds_the_policy_masked_starts_a_case_and_uploads(client, make_user, policy, make_png, runtime):
    make_user("agent", "a1")
    login(client, "a1")
    page = client.get("/agent", params={"policy_no": "P2019000123"}).text
    assert "王*国" in page and "王建国" not in page and ID_NUMBER not in page
    assert "证件有效期更新" in page and "联系方式变更" in page  # the rules' Chinese titles
    assert "未找到保单" in client.get("/agent", params={"policy_no": "P404"}).text
    r = client.post("/agent/cases", data={"policy_no": "P2019000123", "type": "id_renewal"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/agent/cases/1?")
    page = client.get("/agent/cases/1").text
    assert "身份证人像面" in page and "身份证国徽面" in page and "草稿" in page
    assert 'capture="environment"' in page and 'accept="image/*"' in page and "multiple" in page
    assert 'class="done"' not in page
    r = client.post("/agent/cases/1/documents", files={"files": ("a.png", make_png(), "image/png")},
                    headers={"Accept": "application/json"})
    assert r.status_code == 201 and r.json()["documents"] == [1]
    r = client.post("/agent/cases/1/documents", files={"files": ("x.txt", b"hello", "text/plain")},
                    headers={"Accept": "application/json"})
    assert r.status_code == 415 and "文件类型不支持" in r.json()["error"]
    r = client.post("/agent/cases/1/documents", files={"files": ("b.png", make_png(), "image/png")},
                    follow_redirects=False)
    assert r.status_code == 303 and "/agent/cases/1" in r.headers["location"]
    listing = client.get("/agent").text
    assert "P2019000123" in listing and "处理中" in listing and "王*国" in listing and ID_NUMBER not in listing


def test_the_agent_page_quick_check_uses_the_cookie(client, make_user, make_png, monkeypatch):
    import extractors.ocr
    import extractors.quick_check
    from extractors.quick_check import QuickVerdict
    from extractors.types import ERROR, Quality, QualityIssue

    monkeypatch.setattr(extractors.quick_check, "quick_check", lambda data, engine, **kw: QuickVerdict(
        "id_card_front", 0.97, Quality([QualityIssue("blur", ERROR, "照片模糊")])))
    monkeypatch.setattr(extractors.ocr, "get_engine", lambda *a, **kw: object())
    r = client.post("/agent/quick-check", files={"file": ("a.png", make_png(), "image/png")})
    assert r.status_code == 401 and r.json() == {"error": "登录已过期，请重新登录"}
    make_user("agent", "a1")
    login(client, "a1")
    r = client.post("/agent/quick-check", files={"file": ("a.png", make_png(), "image/png")})
    assert r.status_code == 200 and r.json()["retake"] is True and r.json()["message_zh"] == "身份证人像面：模糊，请重拍"
    r = client.post("/agent/quick-check", files={"file": ("a.txt", b"plain text", "text/plain")})
    assert r.status_code == 415 and "文件类型不支持" in r.json()["error"]
    make_user("auditor", "au1")
    login(client, "au1")
    r = client.post("/agent/quick-check", files={"file": ("a.png", make_png(), "image/png")})
    assert r.status_code == 403 and "error" in r.json()


def test_agent_case_ticks_needed_documents_and_shows_the_return_reason(client, make_user, policy, make_case, runtime):
    agent, _ = make_user("agent", "a1")
    clerk, _ = make_user("clerk", "c1")
    case_id, _ = make_case(agent, "id_renewal", [front()])
    login(client, "a1")
    page = client.get(f"/agent/cases/{case_id}").text
    assert page.count('class="done"') == 1 and page.count('class="todo"') == 1  # front read, back missing
    decide(runtime, clerk, case_id, "return", f"请补拍身份证国徽面 {ID_NUMBER}")
    page = client.get(f"/agent/cases/{case_id}").text
    assert "已退回" in page and "请补拍身份证国徽面" in page and ID_NUMBER not in page and "重新提交" in page
    assert "请补拍身份证国徽面" in client.get("/agent").text
    r = client.post(f"/agent/cases/{case_id}/submit", follow_redirects=False)
    assert r.status_code == 303 and "已重新提交" in _unquote(r.headers["location"])


def test_agents_see_only_their_own_cases_and_files(client, make_user, policy, make_case):
    a1, _ = make_user("agent", "a1")
    make_user("agent", "a2")
    case_id, [doc_id] = make_case(a1, "id_renewal", [front()])
    login(client, "a1")
    r = client.get(f"/agent/cases/{case_id}/documents/{doc_id}/file")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    login(client, "a2")
    assert client.get(f"/agent/cases/{case_id}").status_code == 404
    assert client.get(f"/agent/cases/{case_id}/documents/{doc_id}/file").status_code == 404
    assert client.get(f"/clerk/cases/{case_id}/documents/{doc_id}/file").status_code == 403


# --------------------------------------------------------------------------- clerk


def test_clerk_case_page_shows_the_image_with_field_boxes(client, make_user, policy, make_png, runtime, make_case):
    agent, _ = make_user("agent", "a1")
    make_user("clerk", "c1")
    case_id, [doc_id] = make_case(agent, "id_renewal", [front()])
    login(client, "c1")
    page = client.get(f"/clerk/cases/{case_id}").text
    assert f'src="/clerk/cases/{case_id}/documents/{doc_id}/file"' in page
    assert 'viewBox="0 0 640 200"' in page and 'points="20,30 200,30 200,70 20,70 "' in page
    assert f'data-key="{doc_id}-0-name"' in page and ID_NUMBER in page  # clerks compare raw values
    assert "快捷键" in page and "<kbd>j</kbd>" in page and "<kbd>a</kbd>" in page and "<kbd>n</kbd>" in page
    r = client.get(f"/clerk/cases/{case_id}/documents/{doc_id}/file")
    assert r.status_code == 200 and r.content == make_png(size=(640, 200)) and r.headers["cache-control"] == "no-store"
    assert client.get(f"/clerk/cases/{case_id}/documents/{doc_id + 1}/file").status_code == 404
    assert events(runtime, "document.view_file") == [("clerk:c1", str(doc_id))]
    assert ("clerk:c1", str(case_id)) in events(runtime, "case.view_unmasked")
    client.cookies.clear()
    r = client.get(f"/clerk/cases/{case_id}/documents/{doc_id}/file", follow_redirects=False)
    assert r.status_code == 303


def test_a_pdf_is_shown_page_by_page_with_its_boxes(client, make_user, policy, make_png, runtime):
    import io

    from PIL import Image

    from intake import cases, processing

    agent, _ = make_user("agent", "a1")
    make_user("clerk", "c1")
    buf = io.BytesIO()
    Image.open(io.BytesIO(make_png())).convert("RGB").save(buf, "PDF", resolution=72)  # 640 × 200 pt
    with runtime.db.session() as s:
        case = cases.create_case(s, agent, "P2019000123", "id_renewal")
        s.commit()
        [doc] = cases.add_documents(s, runtime.store, agent, case, [cases.Upload("scan.pdf", buf.getvalue())], None)
    with runtime.db.session() as s:
        processing.start_processing(s, doc.id, 3)
    with runtime.db.session() as s:
        processing.record_extraction(s, doc.id, front(box=((56, 83), (556, 83), (556, 194), (56, 194))))
    login(client, "c1")
    page = client.get(f"/clerk/cases/{case.id}").text
    url = f"/clerk/cases/{case.id}/documents/{doc.id}/file"
    # boxes are in the extractor's 200-dpi page pixels; the picture is rendered at 110 dpi
    assert f'src="{url}?page=1"' in page and 'width="978" height="306"' in page
    assert 'viewBox="0 0 1778 556"' in page and 'points="56,83 556,83 556,194 56,194 "' in page
    r = client.get(url, params={"page": 1})
    assert r.status_code == 200 and r.headers["content-type"] == "image/png" and r.content[:4] == b"\x89PNG"
    assert r.headers["cache-control"] == "no-store"
    assert client.get(url, params={"page": 7}).status_code == 404
    assert client.get(url).content == buf.getvalue()  # the file itself


def test_clerk_corrects_a_field_and_the_discrepancies_follow(client, make_user, policy, make_case, runtime):
    agent, _ = make_user("agent", "a1")
    make_user("clerk", "c1")
    case_id, [f_id, _] = make_case(agent, "id_renewal", [front(name="王建军"), BACK])
    login(client, "c1")
    page = client.get(f"/clerk/cases/{case_id}").text
    assert "姓名不符" in page and f'data-target="{f_id}-0-name"' in page
    r = client.post(f"/clerk/cases/{case_id}/fields", data={"document_id": f_id, "part": 0, "field": "name",
                                                            "value": "王建国"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith(f"#f-{f_id}-0-name")
    page = client.get(r.headers["location"]).text
    assert "已更正姓名" in page and "姓名不符" not in page and "已更正</span>" in page
    r = client.post(f"/clerk/cases/{case_id}/fields", data={"document_id": f_id, "field": "name", "value": " "},
                    follow_redirects=False)
    assert "更正值不能为空" in _unquote(r.headers["location"])


def test_clerk_decisions_go_to_the_next_case(client, make_user, policy, make_case, runtime):
    agent, _ = make_user("agent", "a1")
    make_user("clerk", "c1")
    blocked, _ = make_case(agent, "id_renewal", [front(name="王建军"), BACK])  # name_mismatch: an error
    clean, _ = make_case(agent, "id_renewal", [front(), BACK])
    login(client, "c1")
    r = client.post(f"/clerk/cases/{blocked}/decision", data={"action": "approve"}, follow_redirects=False)
    assert "放行理由" in _unquote(r.headers["location"])
    r = client.post(f"/clerk/cases/{blocked}/decision", data={"action": "return"}, follow_redirects=False)
    assert "必须填写原因" in _unquote(r.headers["location"])
    r = client.post(f"/clerk/cases/{blocked}/decision", data={"action": "approve", "override_reason": "已电话核实"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/clerk/cases/{clean}?")
    r = client.post(f"/clerk/cases/{clean}/decision", data={"action": "reject", "reason": "非本人"},
                    follow_redirects=False)
    assert r.headers["location"].startswith("/clerk?")  # the queue is empty now
    r = client.post(f"/clerk/cases/{clean}/decision", data={"action": "approve"}, follow_redirects=False)
    assert "已拒绝" in _unquote(r.headers["location"])
    assert client.get("/clerk/next", follow_redirects=False).headers["location"].startswith("/clerk?")


def test_clerk_queue_filters_counts_and_pages(client, make_user, policy, make_case, runtime, monkeypatch):
    from intake.db.models import Case, utcnow
    from intake.web import routes

    agent, _ = make_user("agent", "a1")
    clerk, _ = make_user("clerk", "c1")
    # the test policy's ID number fails its check digit: every case has id_number_invalid
    clean, _ = make_case(agent, "id_renewal", [front(), BACK])                    # that one only
    review, _ = make_case(agent, "id_renewal", [front(review=True), BACK])        # a field to review
    mismatch, _ = make_case(agent, "id_renewal", [front(name="王建军"), BACK])     # and name_mismatch
    contact, _ = make_case(agent, "contact_change", [front(), BACK])
    draft, _ = make_case(agent, "id_renewal")
    done, _ = make_case(agent, "id_renewal", [front(), BACK])
    decide(runtime, clerk, done, "approve", override="已核实")
    with runtime.db.session() as s:  # the first case has waited ten days
        s.get(Case, clean).created_at = utcnow() - timedelta(days=10)
        s.commit()
    login(client, "c1")

    def ids(**params):
        page = client.get("/clerk", params=params).text
        return sorted(int(x) for x in __import__("re").findall(r'<tr data-case="(\d+)"', page)), page

    got, page = ids()
    assert got == sorted([clean, review, mismatch, contact])  # waiting for review, by default
    assert 'data-state="ready_for_review">待审核 <span class="count">4</span>' in page
    assert 'data-state="approved">已通过 <span class="count">1</span>' in page
    assert 'data-state="draft">草稿 <span class="count">1</span>' in page
    assert "1101**********1234" in page and ID_NUMBER not in page  # lists are masked
    assert ids(state="all")[0] == sorted([clean, review, mismatch, contact, draft, done])
    assert ids(state="approved")[0] == [done]
    assert ids(type="contact_change")[0] == [contact]
    assert ids(min_age=5)[0] == [clean]
    assert ids(max_age=5)[0] == sorted([review, mismatch, contact])
    assert ids(review="yes")[0] == [review]
    assert clean not in ids(review="yes")[0] and review not in ids(review="no")[0]
    assert mismatch in ids(min_disc=2)[0] and clean not in ids(min_disc=2)[0]
    assert mismatch not in ids(max_disc=1)[0] and clean in ids(max_disc=1)[0]
    # oldest first by default: the ten-day-old case leads
    page = client.get("/clerk").text
    assert page.index(f'data-case="{clean}"') < page.index(f'data-case="{contact}"')
    page = client.get("/clerk", params={"sort": "newest"}).text
    assert page.index(f'data-case="{clean}"') > page.index(f'data-case="{contact}"')
    monkeypatch.setattr(routes, "QUEUE_PAGE_SIZE", 3)
    first, page = ids()
    assert len(first) == 3 and "第 1/2 页" in page and "下一页" in page
    second, page = ids(page=2)
    assert len(second) == 1 and not set(first) & set(second) and "上一页" in page
    assert client.get("/clerk/next", follow_redirects=False).headers["location"] == f"/clerk/cases/{clean}"


# --------------------------------------------------------------------------- audit


def test_audit_pages_and_the_auditor_image_rule(client, make_user, policy, make_case, runtime):
    agent, _ = make_user("agent", "a1")
    clerk, _ = make_user("clerk", "c1")
    make_user("auditor", "au1")
    sampled, [doc_id, _] = make_case(agent, "id_renewal", [front(), BACK])
    other, [other_doc, _] = make_case(agent, "id_renewal", [front(), BACK])
    decide(runtime, clerk, sampled, "return", "照片不清楚")
    login(client, "au1")
    page = client.get("/audit").text
    assert "审计链完整" in page and "抽取样本" in page
    assert "auth.login" in client.get("/audit/trail").text
    today = date.today().isoformat()
    r = client.post("/audit/samples", data={"seed": "7", "rate": "1", "from": today, "to": today,
                                            "strata": ["type", "clerk"], "min_per_stratum": "1"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/audit/samples/1?")
    page = client.get("/audit/samples/1").text
    assert f"案件 {sampled}" in page and "未复核" in page and f"案件 {other}<" not in page
    r = client.post("/audit/samples", data={"seed": "7", "rate": "2", "from": today, "to": today},
                    follow_redirects=False)
    assert "比例必须在 0 到 1 之间" in _unquote(r.headers["location"])

    # blind: documents and machine readings, nothing of the clerk's decision
    blind = client.get(f"/audit/samples/1/cases/{sampled}").text
    assert f'src="/audit/samples/1/cases/{sampled}/documents/{doc_id}/file"' in blind
    assert 'points="20,30 200,30 200,70 20,70 "' in blind
    shown = re.sub(r'(content|value)="[0-9a-f]{40}"', "", blind)  # the CSRF token is hex: it may hold "c1"
    assert "照片不清楚" not in shown and "c1" not in shown and "审核员的决定" not in shown and "退回</strong>" not in shown
    assert ID_NUMBER not in blind  # auditors see numbers masked
    # the image rule: a sampled case through its sample, nothing else
    r = client.get(f"/audit/samples/1/cases/{sampled}/documents/{doc_id}/file")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert client.get(f"/audit/samples/1/cases/{other}/documents/{other_doc}/file").status_code == 404
    assert client.get(f"/audit/samples/1/cases/{sampled}/documents/{other_doc}/file").status_code == 404
    assert client.get(f"/audit/samples/9/cases/{sampled}/documents/{doc_id}/file").status_code == 404
    assert client.get(f"/clerk/cases/{sampled}/documents/{doc_id}/file").status_code == 403
    assert client.get(f"/audit/samples/1/cases/{other}").status_code == 404
    assert ("auditor:au1", str(doc_id)) in events(runtime, "document.view_file")

    r = client.post(f"/audit/samples/1/cases/{sampled}/review",
                    data={"verdict": "return", f"f:{doc_id}.name": "王建国"}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "审核员的决定" in page and "照片不清楚" in page and "结论一致" in page
    r = client.post(f"/audit/samples/1/cases/{sampled}/review", data={"verdict": "approve"}, follow_redirects=False)
    assert "不能重复复核" in _unquote(r.headers["location"])
    assert "已复核" in client.get("/audit/samples/1").text

    stats = client.get("/audit/stats").text
    assert "决定一致率" in stats and "100.0%" in stats and "95% 区间" in stats
    assert stats.count("<svg") >= 2 and 'class="chart"' in stats  # both charts drawn on the server
    assert 'href="/audit/stats.csv"' in stats
    csv = client.get("/audit/stats.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.text.startswith("section,key,n,k,rate,ci_low,ci_high")
    assert "decision_agreement,all,1,1,1.0" in csv.text


def _unquote(url: str) -> str:
    from urllib.parse import unquote_plus

    return unquote_plus(url)
