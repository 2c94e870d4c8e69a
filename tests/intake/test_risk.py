"""Risk across cases, through the store: reused images, shared numbers, the risk score on
the case, the clerk's queue by risk, risk-weighted audit samples and the evidence pack's
download. Documents are "read" by recording readings built from their truth (no OCR); the
image fingerprints are taken from real generated photographs, as the pipeline takes them."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import select

from extractors.fingerprint import hamming
from extractors.truth import make_extraction
from intake import audit_sampling, cases
from intake.auth import Principal
from intake.db.models import Case, Discrepancy
from samples.generate.identities import make_bank_card
from tests.conftest import POLICY
from tests.intake import risk_images
from tests.intake.test_web import login
from verify.requirements import default_rules
from verify.types import Policy

pytestmark = pytest.mark.redis

OTHER_POLICY = {**POLICY, "policy_no": "P2020000456",
                "policyholder": {"name": "赵敏", "id_number": "310104198501010026", "birth_date": "1985-01-01",
                                 "sex": "女"},
                "payment": {"bank_name": "中国建设银行", "account_number": "6217001234567890124"}}
CARD_A = make_bank_card(random.Random(1), bank_name="中国工商银行", card_type="debit").number
CARD_B = make_bank_card(random.Random(2), bank_name="中国工商银行", card_type="debit").number
ID_X = "110105198503071234"


@pytest.fixture
def world(runtime, make_user):
    with runtime.db.session() as s:
        cases.import_policies(s, [Policy.model_validate(POLICY), Policy.model_validate(OTHER_POLICY)], "test")
        s.commit()
    return {"agent1": make_user("agent", "agent1")[0], "agent2": make_user("agent", "agent2")[0]}


def reading(kind: str, fields: dict, phash: str | None = None) -> dict:
    d = make_extraction("x", kind, fields).to_dict()
    if phash:
        d["fingerprint"] = {"phash": phash}
    return d


def case_with(runtime, record_reading, agent: Principal, policy_no: str, files, type_="bank_account_change",
              requested=None) -> int:
    """A case of ``agent`` on ``policy_no`` whose documents (name, bytes, reading) are read."""
    with runtime.db.session() as s:
        case = cases.create_case(s, agent, policy_no, type_, requested or {})
        s.commit()
        docs = cases.add_documents(s, runtime.store, agent, case, [cases.Upload(n, b) for n, b, _ in files], None)
        ids = [d.id for d in docs]
        cid = case.id
    for doc_id, (_, _, result) in zip(ids, files):
        record_reading(doc_id, result)
    return cid


def warnings_of(runtime, case_id: int) -> list[Discrepancy]:
    with runtime.db.session() as s:
        return list(s.execute(select(Discrepancy).where(Discrepancy.case_id == case_id)).scalars())


def card_reading(number: str, holder: str, data: bytes) -> dict:
    return reading("bank_card", {"card_number": number, "bank_name": "中国工商银行", "card_type": "debit",
                                 "holder_name": holder}, risk_images.phash_of(data))


def test_the_same_bank_card_photographed_twice_for_two_customers_is_caught(runtime, world, record_reading):
    img, truth = risk_images.card(CARD_A, "王建国")
    first = risk_images.photograph(img, truth, seed=11)
    again = risk_images.photograph(img, truth, seed=14, light="low_light:mild", quality=55, scale=0.8)
    d = hamming(risk_images.phash_of(first), risk_images.phash_of(again))
    assert 0 < d <= default_rules().risk.image_max_distance_same_number  # another photograph, the same print
    c1 = case_with(runtime, record_reading, world["agent1"], POLICY["policy_no"],
                   [("card.jpg", first, card_reading(CARD_A, "王建国", first))], requested={"account_number": CARD_A})
    c2 = case_with(runtime, record_reading, world["agent1"], OTHER_POLICY["policy_no"],
                   [("card.jpg", again, card_reading(CARD_A, "王建国", again))], requested={"account_number": CARD_A})
    found = {w.code: w for w in warnings_of(runtime, c2)}
    assert found["image_reused"].other_case_id == c1 and found["image_reused"].severity == "warning"
    assert f"案件 {c1}" in found["image_reused"].message
    assert found["account_shared"].other_case_id == c1
    assert CARD_A not in found["account_shared"].message  # masked
    with runtime.db.session() as s:
        case = s.get(Case, c2)
        assert case.state == "ready_for_review" and case.risk_score is not None
        parts = {p["name"]: p for p in case.risk_parts["parts"]}
        assert parts["risk_warnings"]["detail"] == {"account_shared": 1, "image_reused": 1}
        assert case.risk_score > s.get(Case, c1).risk_score
        v = case.verification["discrepancies"]
        assert {x["code"]: x.get("other_case") for x in v}["image_reused"] == c1


def test_two_different_cards_of_the_same_bank_and_template_are_not_matched(runtime, world, record_reading):
    a, ta = risk_images.card(CARD_A, "王建国")
    b, tb = risk_images.card(CARD_B, "赵敏")
    pa, pb = risk_images.photograph(a, ta, seed=11), risk_images.photograph(b, tb, seed=25)
    # one design: to the hash of the whole picture the two cards look the same ...
    assert hamming(risk_images.phash_of(pa), risk_images.phash_of(pb)) <= default_rules().risk.image_max_distance
    c1 = case_with(runtime, record_reading, world["agent1"], POLICY["policy_no"],
                   [("card.jpg", pa, card_reading(CARD_A, "王建国", pa))])
    c2 = case_with(runtime, record_reading, world["agent2"], OTHER_POLICY["policy_no"],
                   [("card.jpg", pb, card_reading(CARD_B, "赵敏", pb))])
    # ... but the numbers printed on them differ, so neither is a reuse of the other
    assert c1 != c2
    assert not [w for w in warnings_of(runtime, c2) if w.code in ("image_reused", "account_shared")]


def test_the_very_same_file_under_another_agent_is_reused_but_not_under_the_same_one(runtime, world, make_png,
                                                                                      record_reading):
    data = make_png(text_lines=("营业执照", "unrelated"))
    r = reading("other", {})
    c1 = case_with(runtime, record_reading, world["agent1"], POLICY["policy_no"], [("a.png", data, r)])
    c2 = case_with(runtime, record_reading, world["agent1"], POLICY["policy_no"], [("b.png", data, r)])
    assert not [w for w in warnings_of(runtime, c2) if w.code == "image_reused"]  # same customer, same agent
    c3 = case_with(runtime, record_reading, world["agent2"], POLICY["policy_no"], [("c.png", data, r)])
    found = [w for w in warnings_of(runtime, c3) if w.code == "image_reused"]
    assert sorted(w.other_case_id for w in found) == [c1, c2]


def test_an_id_number_shown_with_another_name_in_another_case(runtime, world, make_png, record_reading):
    def front(name):
        return reading("id_card_front", {"name": name, "id_number": ID_X, "sex": "男", "birth_date": "1985-03-07"})

    c1 = case_with(runtime, record_reading, world["agent1"], POLICY["policy_no"],
                   [("f.png", make_png(text_lines=("a",)), front("王建国"))], type_="id_renewal")
    c2 = case_with(runtime, record_reading, world["agent2"], OTHER_POLICY["policy_no"],
                   [("f.png", make_png(text_lines=("b",)), front("孙立"))], type_="id_renewal")
    [w] = [w for w in warnings_of(runtime, c2) if w.code == "id_number_shared"]
    assert w.other_case_id == c1 and ID_X not in (w.message or "")
    c3 = case_with(runtime, record_reading, world["agent2"], POLICY["policy_no"],
                   [("f.png", make_png(text_lines=("c",)), front("王建国"))], type_="id_renewal")
    assert not [w for w in warnings_of(runtime, c3) if w.code == "id_number_shared" and w.other_case_id == c1]


def test_the_queue_sorts_and_filters_by_risk_and_the_case_page_shows_its_parts(client, runtime, world, make_user,
                                                                              make_png, record_reading):
    from intake.web.routes import queue

    calm = case_with(runtime, record_reading, world["agent1"], POLICY["policy_no"],
                     [("f.png", make_png(text_lines=("calm",)), reading("other", {}))], type_="contact_change")
    loan = case_with(runtime, record_reading, world["agent1"], POLICY["policy_no"],
                     [("f.png", make_png(text_lines=("loan",)), reading("other", {}))], type_="policy_loan",
                     requested={"amount": "200000.00"})
    with runtime.db.session() as s:
        scores = {c: s.get(Case, c).risk_score for c in (calm, loan)}
        assert scores[loan] > scores[calm]
        money = {p["name"]: p for p in s.get(Case, loan).risk_parts["parts"]}["money"]
        assert money["points"] == 25 and money["detail"]["source"] == "requested.amount"  # capped
        order = [x["id"] for x in queue(s, state=None, sort="risk")["items"]]
        assert order.index(loan) < order.index(calm)
        assert [x["id"] for x in queue(s, state=None, min_risk=int(scores[loan]))["items"]] == [loan]
    make_user("clerk", "clerk1")
    login(client, "clerk1")
    page = client.get(f"/clerk/cases/{loan}").text
    assert "风险分" in page and "涉及金额" in page and "200000.00" in page
    q = client.get("/clerk?state=all&sort=risk&min_risk=1").text
    assert f'data-case="{loan}"' in q
    from intake.views import case_detail

    with runtime.db.session() as s:
        assert case_detail(s.get(Case, loan), Principal(0, "c", "clerk"))["risk_score"] == scores[loan]


# --------------------------------------------------------------------------- risk-weighted samples


@pytest.fixture
def decided(db_url):
    """Twelve decided cases on a migrated database (each backend), risk scores 0..55, one clerk each of two."""
    from intake.db import Database
    from intake.db.models import utcnow

    db = Database(db_url)
    db.migrate()
    with db.session() as s:
        cases.import_policies(s, [Policy.model_validate(POLICY)], "test")
        agent = Principal(0, "agent", "agent")
        for i in range(12):
            c = cases.create_case(s, agent, POLICY["policy_no"], ("surrender", "contact_change")[i % 2])
            c.state, c.decision, c.decided_by, c.decided_at = "approved", "approve", f"clerk{i % 2}", utcnow()
            c.risk_score = float((i * 37) % 12 * 5)  # 0, 5, …, 55 in a shuffled order
        s.commit()
    yield db
    db.dispose()


def test_the_risk_weighted_sample_always_holds_the_top_risk_case_and_is_reproducible(decided):
    today = date.today()
    auditor = Principal(0, "auditor1", "auditor")
    with decided.session() as s:
        top = s.execute(select(Case.id).order_by(Case.risk_score.desc())).scalars().first()
        drawn = {}
        for seed in range(1, 9):
            req = audit_sampling.SampleRequest(seed=seed, rate=0.1, date_from=today, date_to=today, top_risk=1,
                                               min_per_stratum=0)
            drawn[seed] = audit_sampling.draw_sample(s, auditor, req)
            assert top in drawn[seed].case_ids
            assert drawn[seed].params["certain"] == [top]
        again = audit_sampling.draw_sample(s, auditor, audit_sampling.SampleRequest(
            seed=3, rate=0.1, date_from=today, date_to=today, top_risk=1, min_per_stratum=0))
        assert again.case_ids == drawn[3].case_ids
        assert len({tuple(x.case_ids) for x in drawn.values()}) > 1  # the rest is a seeded random share
        plain = audit_sampling.draw_sample(s, auditor, audit_sampling.SampleRequest(
            seed=3, rate=0.1, date_from=today, date_to=today, min_per_stratum=0))
        assert plain.params["certain"] == []
        by_threshold = audit_sampling.draw_sample(s, auditor, audit_sampling.SampleRequest(
            seed=3, rate=0.0, date_from=today, date_to=today, risk_threshold=45, min_per_stratum=0))
        scores = dict(s.execute(select(Case.id, Case.risk_score)).all())
        assert sorted(by_threshold.case_ids) == sorted(c for c, r in scores.items() if r >= 45)
    with pytest.raises(audit_sampling.SampleError):
        audit_sampling.SampleRequest(seed=1, rate=0.1, date_from=today, date_to=today, top_risk=-1).check()


# --------------------------------------------------------------------------- the evidence pack on the audit page


def test_the_evidence_pack_downloads_from_the_audit_page_after_the_verdict(client, runtime, world, make_user,
                                                                          make_png, record_reading):
    cid = case_with(runtime, record_reading, world["agent1"], POLICY["policy_no"],
                    [("f.png", make_png(), reading("other", {}))], type_="contact_change")
    _, clerk_h = make_user("clerk", "clerk1")
    assert client.post(f"/api/v1/cases/{cid}/decision", headers=clerk_h,
                       json={"action": "approve", "override_reason": "test"}).status_code == 200
    make_user("auditor", "auditor1")
    login(client, "auditor1")
    today = date.today().isoformat()
    r = client.post("/audit/samples", data={"seed": "5", "rate": "1", "from": today, "to": today,
                                            "strata": "type", "top_risk": "1"}, follow_redirects=False)
    assert r.status_code == 303
    sid = int(r.headers["location"].split("?")[0].rsplit("/", 1)[1])
    page = client.get(f"/audit/samples/{sid}").text
    assert "复核后可下载" in page and "必抽" in page
    r = client.get(f"/audit/samples/{sid}/cases/{cid}/pack", follow_redirects=False)
    assert r.status_code == 303 and "pack" not in r.headers["location"]  # blind until the verdict
    client.post(f"/audit/samples/{sid}/cases/{cid}/review", data={"verdict": "approve"})
    assert f"/audit/samples/{sid}/cases/{cid}/pack" in client.get(f"/audit/samples/{sid}").text
    r = client.get(f"/audit/samples/{sid}/cases/{cid}/pack")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf" and r.content[:5] == b"%PDF-"
    assert client.get(f"/audit/samples/{sid}/cases/{cid + 999}/pack").status_code == 404


def test_a_reused_sheet_is_one_warning_however_many_parts_it_has(runtime, world, make_png, record_reading):
    """The parts of a copied sheet share one file: looked up once, reported once per other
    case (each part's warning would count again in the risk score)."""
    data = make_png(text_lines=("复印件", "两张卡"))
    sheet = reading("multiple", {})
    sheet["parts"] = [reading("other", {}), reading("other", {})]
    c1 = case_with(runtime, record_reading, world["agent1"], POLICY["policy_no"], [("a.png", data, sheet)])
    c2 = case_with(runtime, record_reading, world["agent2"], POLICY["policy_no"], [("b.png", data, sheet)])
    found = [w for w in warnings_of(runtime, c2) if w.code == "image_reused"]
    assert [w.other_case_id for w in found] == [c1]
