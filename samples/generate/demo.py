"""Writes the committed demo set: samples/docs/, samples/policies.json, samples/cases/.

    python -m samples.generate.demo [--root samples]

Deterministic: re-running reproduces the same files and truth.  The people on the
documents are the people in the policy records; some cases carry a planted discrepancy,
listed under the extra key ``expected_discrepancies``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil

from . import identities as ids
from .dataset import save_image, save_judgment_pdf, save_truth
from .pdf import write_scanned_pdf
from .photo import make_photo, make_scan
from .render import render_document
from .sheets import render_sheet, render_two_page_scan

APPLICATION_DATE = dt.date(2026, 11, 20)
PRODUCTS = ("鑫享人生终身寿险", "安康福两全保险（分红型）", "金福年年年金保险", "守护一生重大疾病保险",
            "尊享人生终身寿险（万能型）", "乐享少儿教育年金保险", "福满堂两全保险", "平安福终身寿险")


class Demo:
    def __init__(self, root: str):
        self.root = root
        self.docs = os.path.join(root, "docs")
        self.index: list[dict] = []

    def emit(self, stem: str, img, truth, rng, photo=None, scan: bool = False):
        """photo: None → flat scan; a list/dict → make_photo with those degradations."""
        if photo is None or scan:
            out, t = make_scan(img, truth, rng)
        else:
            out, t = make_photo(img, truth, rng, photo)
        fname = stem + ".jpg"
        save_image(os.path.join(self.docs, fname), out, t.get("jpeg_quality", 88), max_bytes=200_000)
        t["file"] = fname
        save_truth(os.path.join(self.docs, stem + ".truth.json"), t)
        self.index.append({"file": fname, "kind": t["kind"], "degradations": t.get("degradations", []),
                           "expected_quality": t.get("expected_quality", [])})
        return t

    def emit_pdf(self, stem: str, truth: dict):
        fname = stem + ".pdf"
        truth["file"] = fname
        save_truth(os.path.join(self.docs, stem + ".truth.json"), truth)
        self.index.append({"file": fname, "kind": truth["kind"], "degradations": truth.get("degradations", []),
                           "expected_quality": truth.get("expected_quality", [])})


def _policy(rng, no, holder, insured, bens, card, status="in_force", sum_insured="500000.00", premium=None,
            product=None, frequency="annual"):
    return {
        "policy_no": no, "status": status, "product": product or rng.choice(PRODUCTS),
        "issue_date": ids.random_date(rng, dt.date(2015, 1, 1), dt.date(2023, 12, 31)).isoformat(),
        "policyholder": holder.record() | {"id_valid_until": holder.valid_until_str()},
        "insured": insured.record(),
        "beneficiaries": bens,
        "payment": {"bank_name": card.bank_name, "account_number": card.number,
                    "account_holder": holder.name, "frequency": frequency},
        "sum_insured": sum_insured,
        "annual_premium": premium or f"{rng.randint(30, 300) * 100:.2f}",
    }


def _ben(p: ids.Identity, rel: str, share: int = 100) -> dict:
    return {"name": p.name, "id_number": p.id_number, "relationship": rel, "share": share}


def build(root: str) -> None:
    rng = random.Random("baoquan-demo-v1")
    d = Demo(root)
    if os.path.isdir(d.docs):
        shutil.rmtree(d.docs)
    os.makedirs(d.docs)
    os.makedirs(os.path.join(root, "cases"), exist_ok=True)
    for f in os.listdir(os.path.join(root, "cases")):
        if f.endswith(".json"):
            os.remove(os.path.join(root, "cases", f))

    mk = ids.make_identity
    # ---------------- people (policyholders 1-8 and their family)
    h = [None] + [mk(rng, age=(28, 60), address_lines=rng.choice((2, 3))) for _ in range(8)]
    h[5] = mk(rng, age=(30, 40), sex="女", address_lines=2)
    h[6] = mk(rng, age=(22, 40), expired=True, address_lines=2)  # its ID card has expired
    spouse2 = mk(rng, sex="女" if h[2].sex == "男" else "男", age=(28, 55))
    spouse8 = mk(rng, sex="女" if h[8].sex == "男" else "男", age=(30, 55))
    child8 = mk(rng, age=(6, 15), address=h[8].address, region_code=h[8].region.code)
    parent4 = mk(rng, age=(60, 75))
    ben1 = mk(rng, age=(20, 50))

    cards = {i: ids.make_bank_card(rng) for i in range(1, 9)}
    new_card1 = ids.make_bank_card(rng, bank_name="招商银行", card_type="debit")
    new_card7 = ids.make_bank_card(rng, bank_name="中国建设银行", card_type="debit")
    loan_card4 = cards[4]

    policies = [
        _policy(rng, "P2019000123", h[1], h[1], [_ben(ben1, "child")], cards[1]),
        _policy(rng, "P2020004567", h[2], h[2], [_ben(parent4, "parent")], cards[2], sum_insured="800000.00"),
        _policy(rng, "P2018007788", h[3], h[3], [], cards[3], sum_insured="300000.00"),
        _policy(rng, "P2017003321", h[4], h[4], [_ben(parent4, "parent")], cards[4], status="lapsed",
                sum_insured="200000.00"),
        _policy(rng, "P2021000999", h[5], h[5], [], cards[5], sum_insured="1000000.00"),
        _policy(rng, "P2016005511", h[6], h[6], [], cards[6], sum_insured="150000.00", frequency="monthly"),
        _policy(rng, "P2022001234", h[7], h[7], [], cards[7], sum_insured="600000.00"),
        _policy(rng, "P2015008866", h[8], h[8], [_ben(spouse8, "spouse")], cards[8], sum_insured="500000.00"),
    ]
    # policy 5 (id_renewal): the record still holds the validity of the previous card
    policies[4]["policyholder"]["id_valid_until"] = (h[5].issue_date - dt.timedelta(days=3)).isoformat()
    # policy 2's original beneficiary is the policyholder's parent; the request adds the spouse
    # ---------------- ID cards of all policyholders
    mild = [None, ["glare:mild"], ["defocus_blur:mild"], None, ["shadow:mild"], ["finger:mild"], None,
            ["motion_blur:mild"], ["jpeg:mild"]]
    for i in range(1, 9):
        img, t = render_document("id_card_front", rng, h[i])
        d.emit(f"id_front_{i:02d}", img, t, rng, mild[i] if mild[i] is not None else ([] if i % 2 else None))
        img, t = render_document("id_card_back", rng, h[i])
        d.emit(f"id_back_{i:02d}", img, t, rng, [] if i % 3 == 0 else None)
    # ---------------- bank cards
    img, t = render_document("bank_card", rng, h[1], card=new_card1, print_holder=True, holder_style="chinese")
    d.emit("bank_01", img, t, rng, [])
    img, t = render_document("bank_card", rng, h[4], card=loan_card4, print_holder=False)
    d.emit("bank_04", img, t, rng, None)
    img, t = render_document("bank_card", rng, h[7], card=new_card7, print_holder=True, holder_style="chinese")
    d.emit("bank_07", img, t, rng, ["glare:mild"])
    img, t = render_document("bank_card", rng, None, card=ids.make_bank_card(rng, card_type="credit"), print_holder=True)
    d.emit("bank_credit", img, t, rng, None)
    # ---------------- income proofs
    img, t = render_document("income_proof", rng, h[3], monthly_income="5200", annual_income="62400", has_seal=False,
                             issue_date=APPLICATION_DATE - dt.timedelta(days=12))
    d.emit("income_03", img, t, rng, None)
    img, t = render_document("income_proof", rng, h[5], monthly_income="38000", has_seal=True,
                             issue_date=APPLICATION_DATE - dt.timedelta(days=20))
    d.emit("income_05", img, t, rng, None)
    img, t = render_document("income_proof", rng, h[7], monthly_income="16500", has_seal=True,
                             issue_date=APPLICATION_DATE - dt.timedelta(days=260))
    d.emit("income_07_stale", img, t, rng, [])
    # ---------------- marriage / divorce / household
    img, t = render_document("marriage_certificate", rng, h[2], spouse=spouse2)
    d.emit("marriage_02", img, t, rng, None)
    img, t = render_document("marriage_certificate", rng, None)
    d.emit("marriage_photo", img, t, rng, ["shadow:mild"])
    img, t = render_document("divorce_certificate", rng, h[8], spouse=spouse8)
    d.emit("divorce_08", img, t, rng, None)
    img, t = render_document("household_register", rng, child8, relationship_to_head=("子" if child8.sex == "男" else "女"))
    d.emit("household_08_child", img, t, rng, None)
    img, t = render_document("household_register", rng, h[8], relationship_to_head="户主")
    d.emit("household_08_head", img, t, rng, [])
    # ---------------- court judgments (PDF with and without text layer)
    t = save_judgment_pdf(os.path.join(d.docs, "judgment_08_text.pdf"), rng, h[8], text_layer=True,
                          other_party=spouse8, policy_numbers=["P2015008866"])
    d.emit_pdf("judgment_08_text", t)
    t = save_judgment_pdf(os.path.join(d.docs, "judgment_scan.pdf"), rng, None, text_layer=False)
    d.emit_pdf("judgment_scan", t)
    # ---------------- other
    for sub in ("scene", "receipt", "notice"):
        img, t = render_document("other", rng, subtype=sub)
        d.emit(f"other_{sub}", img, t, rng, [] if sub != "notice" else None)
    # ---------------- sheets
    img, t = render_sheet(rng, h[2], layout="id_both", stamp=True, grey=True)
    stem = "sheet_id_both_02"
    save_image(os.path.join(d.docs, stem + ".jpg"), img, 85, max_bytes=200_000)
    t["file"] = stem + ".jpg"
    save_truth(os.path.join(d.docs, stem + ".truth.json"), t)
    d.index.append({"file": t["file"], "kind": "multiple", "degradations": t["degradations"],
                    "expected_quality": t["expected_quality"]})
    img, t = render_sheet(rng, h[7], layout="id_bank", stamp=False, grey=False, card=new_card7,
                          orientations=[0, 180])
    out, t = make_photo(img, t, rng, [])
    stem = "sheet_id_bank_07"
    save_image(os.path.join(d.docs, stem + ".jpg"), out, t["jpeg_quality"], max_bytes=200_000)
    t["file"] = stem + ".jpg"
    save_truth(os.path.join(d.docs, stem + ".truth.json"), t)
    d.index.append({"file": t["file"], "kind": "multiple", "degradations": t["degradations"],
                    "expected_quality": t["expected_quality"]})
    pages, t = render_two_page_scan(rng, h[5])
    write_scanned_pdf(os.path.join(d.docs, "sheet_two_page_05.pdf"), pages, quality=55)
    d.emit_pdf("sheet_two_page_05", t)
    # ---------------- degradation showcase (strong → the code; mild → no code)
    showcase = [("defocus_blur", "id_card_front"), ("motion_blur", "bank_card"), ("glare", "id_card_front"),
                ("low_light", "id_card_back"), ("overexposure", "id_card_front"), ("low_resolution", "id_card_front"),
                ("cropped", "bank_card"), ("finger", "id_card_front"), ("photocopy", "id_card_front"),
                ("screen_recapture", "id_card_front"), ("cropped:mild", "id_card_front"),
                ("glare:mild", "id_card_back"), ("low_light:mild", "id_card_front"),
                ("defocus_blur:mild", "income_proof")]
    for deg, kind in showcase:
        p = mk(rng)
        img, t = render_document(kind, rng, p)
        name = deg.replace(":", "_")
        d.emit(f"degraded_{name}", img, t, rng, [deg], )
    # orientation showcase
    for o in (90, 180, 270):
        img, t = render_document("id_card_front", rng, mk(rng))
        out, t = make_photo(img, t, rng, [], orientation=o)
        stem = f"rotated_{o}_id_front"
        save_image(os.path.join(d.docs, stem + ".jpg"), out, t["jpeg_quality"], max_bytes=200_000)
        t["file"] = stem + ".jpg"
        save_truth(os.path.join(d.docs, stem + ".truth.json"), t)
        d.index.append({"file": t["file"], "kind": t["kind"], "degradations": [], "expected_quality": []})
    # inconsistent-but-real (kept out of the default eval sets)
    for inc in ("birth_date", "id_17"):
        img, t = render_document("id_card_front", rng, mk(rng), inconsistent=inc)
        d.emit(f"inconsistent_{inc}_id_front", img, t, rng, None)

    # ---------------- policies and cases
    with open(os.path.join(root, "policies.json"), "w", encoding="utf-8") as fh:
        json.dump(policies, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    pol = {p["policy_no"]: p for p in policies}

    def case(n, typ, pno, requested, docs, expected, note, app=APPLICATION_DATE):
        c = {"case_id": f"C-{n:04d}", "type": typ, "application_date": app.isoformat(), "policy": pol[pno],
             "requested": requested, "documents": [f"../docs/{x}" for x in docs],
             "expected_discrepancies": expected, "note": note}
        with open(os.path.join(root, "cases", f"{c['case_id']}_{typ}.json"), "w", encoding="utf-8") as fh:
            json.dump(c, fh, ensure_ascii=False, indent=1)
            fh.write("\n")

    case(1, "bank_account_change", "P2019000123",
         {"bank_name": new_card1.bank_name, "account_number": new_card1.number, "account_holder": h[1].name},
         ["id_front_01.jpg", "id_back_01.jpg", "bank_01.jpg"], [], "clean: new 招商银行 card of the policyholder")
    case(2, "beneficiary_change", "P2020004567",
         {"beneficiaries": [_ben(spouse2, "spouse", 60), _ben(parent4, "parent", 40)]},
         ["id_front_02.jpg", "id_back_02.jpg", "marriage_02.jpg"], [],
         "clean: adds the spouse, the marriage certificate proves the relationship")
    case(3, "sum_insured_increase", "P2018007788", {"sum_insured": "3000000.00"},
         ["id_front_03.jpg", "id_back_03.jpg", "income_03.jpg"],
         [{"code": "income_insufficient", "field": "requested.sum_insured"},
          {"code": "seal_missing", "field": "income_proof.has_seal"}],
         "annual income 62,400 cannot support 3,000,000; the income proof has no seal")
    case(4, "policy_loan", "P2017003321",
         {"loan_amount": "20000.00", "bank_name": loan_card4.bank_name, "account_number": loan_card4.number},
         ["id_front_04.jpg", "id_back_04.jpg", "bank_04.jpg"],
         [{"code": "policy_status_invalid", "field": "policy.status"}], "loan requested on a lapsed policy")
    case(5, "id_renewal", "P2021000999",
         {"id_valid_from": h[5].issue_date.isoformat(), "id_valid_until": h[5].valid_until_str()},
         ["sheet_two_page_05.pdf"], [], "clean: both ID sides scanned as a two-page PDF")
    case(6, "contact_change", "P2016005511", {"phone": ids.make_phone(rng), "address": h[6].address},
         ["id_front_06.jpg", "id_back_06.jpg"],
         [{"code": "id_expired", "field": "id_card_back.valid_until"}], "the ID card's validity has ended")
    case(7, "bank_account_change", "P2022001234",
         {"bank_name": new_card7.bank_name, "account_number": new_card7.number[:-2] + str((int(new_card7.number[-2]) + 1) % 10) + new_card7.number[-1],
          "account_holder": h[7].name},
         ["id_front_07.jpg", "id_back_07.jpg", "bank_07.jpg"],
         [{"code": "account_mismatch", "field": "requested.account_number"}],
         "the requested account number differs from the card in one digit (and fails Luhn)")
    case(8, "beneficiary_change", "P2015008866",
         {"beneficiaries": [_ben(child8, "child", 100)]},
         ["id_front_08.jpg", "id_back_08.jpg", "household_08_head.jpg", "household_08_child.jpg",
          "divorce_08.jpg", "judgment_08_text.pdf"], [],
         "clean: after the divorce the ex-spouse is replaced by the child (household register proves the link)")
    case(9, "bank_account_change", "P2019000123",
         {"bank_name": "中国工商银行", "account_number": new_card1.number, "account_holder": h[1].name},
         ["id_front_01.jpg", "id_back_01.jpg", "bank_01.jpg"],
         [{"code": "bank_name_mismatch", "field": "requested.bank_name"}],
         "requested bank is 工商银行 but the card (and its BIN) is 招商银行")
    case(10, "contact_change", "P2020004567", {"phone": ids.make_phone(rng), "address": h[2].address},
         ["sheet_id_both_02.jpg"], [], "clean: both ID sides photocopied on one page with a 仅供办理保全使用 stamp")
    case(11, "sum_insured_increase", "P2022001234", {"sum_insured": "1000000.00"},
         ["id_front_07.jpg", "id_back_07.jpg", "income_07_stale.jpg"],
         [{"code": "income_proof_stale", "field": "income_proof.issue_date"}],
         "the income proof was issued 260 days before the application (income itself is sufficient)")
    case(12, "sum_insured_increase", "P2021000999", {"sum_insured": "2000000.00"},
         ["sheet_two_page_05.pdf", "income_05.jpg"], [],
         "clean: annual income 456,000 for 2,000,000 (4.4x), sealed, issued 20 days before")
    with open(os.path.join(d.docs, "index.json"), "w", encoding="utf-8") as fh:
        json.dump({"generator": "python -m samples.generate.demo", "files": d.index}, fh, ensure_ascii=False, indent=1)
        fh.write("\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m samples.generate.demo")
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                    help="the samples/ directory to write into (default: this package's parent)")
    a = ap.parse_args(argv)
    build(a.root)
    total = sum(os.path.getsize(os.path.join(a.root, "docs", f)) for f in os.listdir(os.path.join(a.root, "docs")))
    print(f"wrote {len(os.listdir(os.path.join(a.root, 'docs')))} files ({total / 1e6:.1f} MB) to {a.root}/docs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
