"""The people's work in a real browser: headless Chromium (Playwright) against the app under
uvicorn, with a real ``baoquan worker`` reading the uploaded photos (the real OCR pipeline).

The four journeys run in this order and hand over their cases (run the module, not one test):

a. an agent on a phone (375×812) finds the policy, starts an ID renewal, sees the documents
   it needs, photographs a blurred card and is told to retake it (模糊，请重拍), uploads the
   two good sides with progress, sees both ticked once read, and submits;
b. a clerk opens that case, sees the field boxes over the photos, corrects a field with the
   keyboard only (the discrepancy list follows), puts it right again and approves with ``a``;
c. a second case is returned by the clerk with a reason; the agent sees the reason, adds the
   missing photo, resubmits, and the case is back in the clerk's queue;
d. an auditor draws a seeded sample, re-checks the approved case blind (no decision shown
   before the verdict), records a verdict, sees the clerk's decision revealed and the
   agreement statistics.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.ocr, pytest.mark.slow, pytest.mark.timeout(400)]

DOCS = Path(__file__).resolve().parents[2] / "samples" / "docs"
POLICY = "P2019000123"  # 欧阳琳琳: samples/docs/id_front_01.jpg and id_back_01.jpg are hers
WAIT = 120_000  # ms: the worker reads a photo in 2–5 s on two busy cores; generous


def _case_id(page) -> int:
    m = re.search(r"/agent/cases/(\d+)", page.url)
    assert m, page.url
    return int(m.group(1))


def _touch_targets_too_small(page) -> list[str]:
    """Visible controls of the page smaller than 44 px in height (WCAG 2.5.5 target size)."""
    return page.evaluate("""() => {
      const sel = 'button, .button, input:not([type=hidden]):not(.visually-hidden):not([type=radio]), select, '
                + 'textarea, a.case-link, a.back, a.view, label.choice, header a';
      return Array.from(document.querySelectorAll(sel)).filter(e => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && r.height < 43.5;
      }).map(e => e.outerHTML.slice(0, 80) + ' h=' + e.getBoundingClientRect().height);
    }""")


def test_a_agent_on_a_phone_starts_a_case_and_uploads(stack):
    ctx = stack.context("phone")
    page = ctx.new_page()
    stack.login(page, "agent1")
    assert page.url.endswith("/agent")
    page.fill("input[name=policy_no]", POLICY)
    page.click("text=查找保单")
    page.wait_for_selector("#found-policy")
    assert page.inner_text(".holder") == "欧**琳"  # 欧阳琳琳, masked
    assert "欧阳琳琳" not in page.content()
    stack.shot(page, "agent_policy_found")
    page.check("input[value=id_renewal]")
    with page.expect_navigation():
        page.click("text=创建案件")
    case_id = _case_id(page)
    stack.state["agent_case"] = case_id
    needs = page.locator("#needs li")
    assert needs.count() == 2 and page.locator("#needs li.done").count() == 0
    assert "身份证人像面" in needs.nth(0).inner_text() and "身份证国徽面" in needs.nth(1).inner_text()
    camera = page.locator("#camera")
    assert camera.get_attribute("accept") == "image/*" and camera.get_attribute("capture") == "environment"
    assert camera.get_attribute("multiple") is not None
    assert _touch_targets_too_small(page) == []
    stack.shot(page, "agent_case_new")

    # a blurred photo: the quick check says retake, and it is not uploaded
    page.set_input_files("#camera", str(DOCS / "degraded_defocus_blur.jpg"))
    retake = page.locator("#checks li.retake")
    retake.wait_for(timeout=60_000)
    verdict = retake.locator(".verdict").inner_text()
    assert "模糊" in verdict and "请重拍" in verdict, verdict
    assert "未上传" in retake.inner_text()
    stack.shot(page, "agent_blurred_retake")

    # the two good sides: usable, uploaded with progress, read by the worker, ticked
    page.set_input_files("#chooser", [str(DOCS / "id_front_01.jpg"), str(DOCS / "id_back_01.jpg")])
    page.wait_for_function("document.querySelectorAll('#checks li.uploaded').length === 2", timeout=60_000)
    good = page.locator("#checks li.good .verdict").all_inner_texts()
    assert len(good) == 2 and all("可用" in v for v in good), good
    assert page.locator("#checks li.uploaded progress").count() == 2
    stack.wait_case(case_id, ("ready_for_review",), docs_done=2)
    page.wait_for_function("document.querySelectorAll('#needs li.done').length === 2", timeout=WAIT)
    page.wait_for_function("document.querySelectorAll('#checks li.read').length === 2", timeout=10_000)
    assert _touch_targets_too_small(page) == []
    stack.shot(page, "agent_documents_read", doc_name="agent.png")
    with page.expect_navigation():
        page.click("#submit")
    assert "已提交" in page.inner_text(".flash.ok")
    stack.shot(page, "agent_submitted")
    page.goto(stack.url + "/agent")
    assert "待审核" in page.locator(".cases li").first.inner_text()
    ctx.close()


def test_b_clerk_corrects_with_the_keyboard_and_approves(stack):
    case_id = stack.state.get("agent_case")
    assert case_id, "journey (a) must run first: run the whole module"
    ctx = stack.context()
    page = ctx.new_page()
    stack.login(page, "clerk1")
    assert page.url.endswith("/clerk")
    row = page.locator(f'tr[data-case="{case_id}"]')
    assert "待审核" in row.inner_text()
    assert "5331**********5302" in row.inner_text() and "533122197110015302" not in page.content()
    stack.shot(page, "clerk_queue", full_page=False)
    with page.expect_navigation():
        row.locator("a").click()
    assert page.locator("figure.doc img").count() == 2
    page.wait_for_function("Array.from(document.querySelectorAll('figure.doc img')).every(i => i.naturalWidth > 0)")
    assert page.locator("polygon.box").count() >= 6  # the ID front's fields at least
    front = page.locator("section.document").first.get_attribute("id").split("-")[1]
    name_key = f"{front}-0-name"
    assert page.locator(f'polygon.box[data-key="{name_key}"]').count() == 1
    assert "姓名不符" not in page.inner_text("#discrepancies")
    stack.shot(page, "clerk_case", full_page=False)

    def go_to(key: str) -> None:
        for _ in range(40):
            page.keyboard.press("j")
            if page.evaluate("document.activeElement.getAttribute('data-key')") == key:
                return
        raise AssertionError(f"j never reached {key}")

    def correct(value: str) -> None:
        page.keyboard.press("e")
        assert page.evaluate("document.activeElement.name") == "value"
        page.keyboard.type(value)
        with page.expect_navigation():
            page.keyboard.press("Enter")

    go_to(name_key)
    assert page.locator(f'polygon.box.active[data-key="{name_key}"]').count() == 1  # its box lights up
    correct("欧阳琳")  # a wrong name: the cross-check flags it at once
    discrepancies = page.inner_text("#discrepancies")
    assert "姓名不符" in discrepancies and "已更正姓名" in page.inner_text(".flash.ok")
    assert page.evaluate("document.activeElement.getAttribute('data-key')") == name_key  # still on that field
    page.click("li.disc[data-code=name_mismatch]")
    assert page.locator(f"tr.frow.active#f-{name_key}").count() == 1
    stack.shot(page, "clerk_discrepancy_after_correction", doc_name="clerk_case.png", full_page=False)
    page.locator(f"#f-{name_key}").focus()
    correct("欧阳琳琳")  # right again: the discrepancy goes
    assert "姓名不符" not in page.inner_text("#discrepancies")
    stack.shot(page, "clerk_corrected_back", full_page=False)
    if page.get_attribute("#clerk-case", "data-open-errors") != "0":  # the OCR misread something else
        page.keyboard.press("a")  # approve asks for the override reason first
        assert page.evaluate("document.activeElement.id") == "override"
        page.keyboard.type("已与客户电话核实")
        page.keyboard.press("Escape")
    with page.expect_navigation():
        page.keyboard.press("a")
    stack.wait_case(case_id, ("approved",), timeout=5)
    assert "已通过" in page.inner_text(".flash.ok")
    stack.shot(page, "clerk_after_approve")
    ctx.close()


def test_c_a_returned_case_goes_back_to_the_agent_and_comes_back(stack):
    agent_ctx = stack.context("phone")
    agent = agent_ctx.new_page()
    stack.login(agent, "agent1")
    agent.goto(f"{stack.url}/agent?policy_no={POLICY}")
    agent.check("input[value=id_renewal]")
    with agent.expect_navigation():
        agent.click("text=创建案件")
    case_id = _case_id(agent)
    stack.state["returned_case"] = case_id
    agent.set_input_files("#camera", str(DOCS / "id_front_01.jpg"))  # the back is forgotten
    agent.wait_for_selector("#checks li.uploaded", timeout=60_000)
    stack.wait_case(case_id, ("ready_for_review",), docs_done=1)
    agent.reload()
    with agent.expect_navigation():
        agent.click("#submit")

    clerk_ctx = stack.context()
    clerk = clerk_ctx.new_page()
    stack.login(clerk, "clerk1")
    clerk.goto(f"{stack.url}/clerk/cases/{case_id}")
    assert "缺少文件" in clerk.inner_text("#discrepancies")
    reason = "缺少身份证国徽面，请补拍后重新提交"
    clerk.fill("#reason", reason)
    with clerk.expect_navigation():
        clerk.click("#return")
    stack.wait_case(case_id, ("returned",), timeout=5)

    agent.goto(stack.url + "/agent")
    item = agent.locator(".cases li", has_text=f"案件 {case_id}")
    assert "已退回" in item.inner_text() and reason in item.inner_text()
    with agent.expect_navigation():
        item.locator("a").click()
    assert reason in agent.inner_text("#return-reason")
    stack.shot(agent, "agent_returned_case")
    agent.set_input_files("#chooser", str(DOCS / "id_back_01.jpg"))
    agent.wait_for_selector("#checks li.uploaded", timeout=60_000)
    stack.wait_case(case_id, ("returned",), docs_done=2)  # read, but waiting for the agent's submit
    agent.reload()
    assert agent.locator("#needs li.done").count() == 2
    with agent.expect_navigation():
        agent.click("#submit")
    assert "已重新提交" in agent.inner_text(".flash.ok")
    stack.shot(agent, "agent_resubmitted")
    stack.wait_case(case_id, ("ready_for_review",), timeout=60)

    clerk.goto(stack.url + "/clerk")
    assert "待审核" in clerk.locator(f'tr[data-case="{case_id}"]').inner_text()
    clerk.goto(f"{stack.url}/clerk/cases/{case_id}")
    assert "缺少文件" not in clerk.inner_text("#discrepancies")
    stack.shot(clerk, "clerk_resubmitted_case", full_page=False)
    agent_ctx.close()
    clerk_ctx.close()


def test_d_auditor_samples_rechecks_blind_and_sees_agreement(stack):
    approved = stack.state.get("agent_case")
    assert approved, "journeys (a) and (b) must run first: run the whole module"
    ctx = stack.context()
    page = ctx.new_page()
    stack.login(page, "auditor1")
    assert page.url.endswith("/audit") and "审计链完整" in page.inner_text("#chain")
    stack.shot(page, "audit_home", full_page=False)
    page.fill("#draw input[name=seed]", "20261206")
    page.fill("#draw input[name=rate]", "1")
    with page.expect_navigation():
        page.click("#draw button[type=submit]")
    assert re.search(r"/audit/samples/\d+", page.url)
    sampled = [int(x) for x in page.locator("table.sample tr[data-case]").evaluate_all(
        "rows => rows.map(r => r.getAttribute('data-case'))")]
    assert approved in sampled and stack.state["returned_case"] not in sampled  # in review again: not decided
    stack.shot(page, "audit_sample")
    with page.expect_navigation():
        page.click(f'tr[data-case="{approved}"] a')
    page.wait_for_function("Array.from(document.querySelectorAll('figure.doc img')).every(i => i.naturalWidth > 0)")
    text = page.inner_text("main")
    assert "审核员的决定" not in text and "clerk1" not in text and page.locator("#revealed").count() == 0
    assert "533122197110015302" not in page.content()  # numbers masked for auditors
    stack.shot(page, "audit_blind_review", full_page=False)
    page.check("input[name=verdict][value=approve]")
    with page.expect_navigation():
        page.click("#record")
    assert page.inner_text("#clerk-decision") == "通过" and "结论一致" in page.inner_text("#agreement")
    assert "clerk1" in page.inner_text("#revealed")
    stack.shot(page, "audit_revealed")
    page.goto(stack.url + "/audit/stats")
    kpi = page.inner_text("#kpi-agreement")
    assert "100.0%" in kpi and "1/1" in kpi and "95% 区间" in kpi
    assert page.locator("#chart-agreement svg").count() == 1 and page.locator("#chart-fields svg").count() == 1
    with page.expect_download() as dl:
        page.click("#csv")
    assert dl.value.suggested_filename == "audit-stats.csv"
    stack.shot(page, "audit_stats", doc_name="audit_stats.png", full_page=False)
    ctx.close()
