"""Policy files (JSON and CSV), case parsing, and the verify object's shape."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from extractors.truth import make_extraction
from verify.engine import verify
from verify.errors import InputError, PolicyFileError
from verify.types import CSV_COLUMNS, load_policies_csv, load_policies_json, parse_case
from tests.verify.verify_builders import PH, SPOUSE, clean, policy

HEADER = ",".join(CSV_COLUMNS)


def _row(**over) -> str:
    vals = {c: "" for c in CSV_COLUMNS}
    vals.update({"policy_no": "P1", "status": "in_force", "policyholder.name": PH["name"],
                 "policyholder.id_number": PH["id_number"], "policyholder.birth_date": PH["birth_date"],
                 "sum_insured": "300000.00",
                 "beneficiaries": f"{SPOUSE['name']}|{SPOUSE['id_number']}|spouse|100"})
    vals.update(over)
    return ",".join(vals[c] for c in CSV_COLUMNS)


def test_csv_round_trip_fields():
    [p] = load_policies_csv(HEADER + "\n" + _row() + "\n")
    assert p.policyholder.name == PH["name"]
    assert p.policyholder.birth_date.isoformat() == PH["birth_date"]
    assert p.insured is None and p.insured_party is p.policyholder
    assert p.beneficiaries[0].share == Decimal("100") and p.beneficiaries[0].relationship == "spouse"
    assert p.sum_insured == Decimal("300000.00")


def test_csv_beneficiaries_as_json_and_insured():
    bj = json.dumps([{"name": "甲", "share": 60}, {"name": "乙", "share": 40}], ensure_ascii=False)
    row = _row(**{"beneficiaries": '"' + bj.replace('"', '""') + '"', "insured.name": SPOUSE["name"]})
    [p] = load_policies_csv(HEADER + "\n" + row + "\n")
    assert [b.name for b in p.beneficiaries] == ["甲", "乙"]
    assert p.insured is not None and p.insured.name == SPOUSE["name"]


@pytest.mark.parametrize("row,where", [
    (_row(status="cancelled"), "row 2, column 'status'"),
    (_row(**{"policyholder.birth_date": "1980-13-01"}), "row 2, column 'policyholder.birth_date'"),
    (_row(sum_insured="lots"), "row 2, column 'sum_insured'"),
    (_row(beneficiaries="甲|x|spouse"), "row 2, column 'beneficiaries'"),
    (_row(beneficiaries="甲||spouse|half"), "row 2, column 'beneficiaries'"),
    (_row(**{"policyholder.name": ""}), "row 2, column 'policyholder.name'"),
])
def test_csv_errors_name_row_and_column(row, where):
    with pytest.raises(PolicyFileError) as ei:
        load_policies_csv(HEADER + "\n" + row + "\n")
    assert str(ei.value).startswith(where), str(ei.value)


def test_csv_header_errors():
    with pytest.raises(PolicyFileError, match="row 1, column 'colour'"):
        load_policies_csv("policy_no,status,policyholder.name,colour\n")
    with pytest.raises(PolicyFileError, match="column 'status'.*missing"):
        load_policies_csv("policy_no,policyholder.name\nP1,王五\n")
    with pytest.raises(PolicyFileError, match="row 3: expected"):
        load_policies_csv(HEADER + "\n" + _row() + "\nP2,in_force\n")
    with pytest.raises(PolicyFileError, match="empty CSV"):
        load_policies_csv("")


def test_json_policies_and_errors():
    ps = load_policies_json(json.dumps({"policies": [policy(), policy(policy_no="P2")]}, ensure_ascii=False))
    assert [p.policy_no for p in ps] == ["P2019000123", "P2"]
    with pytest.raises(PolicyFileError, match="row 2, column 'policyholder.name'"):
        load_policies_json(json.dumps([policy(), policy(policyholder={"id_number": "1"})]))
    with pytest.raises(PolicyFileError, match="invalid JSON at line 1"):
        load_policies_json("[{")
    with pytest.raises(PolicyFileError, match="row 1: policy must be a JSON object"):
        load_policies_json("[1]")


def test_case_errors():
    c, _ = clean("surrender")
    d = c.model_dump(mode="json")
    with pytest.raises(InputError, match="unknown endorsement type 'surrender_all'"):
        parse_case({**d, "type": "surrender_all"})
    with pytest.raises(InputError, match="application_date"):
        parse_case({**d, "application_date": "20/11/2026"})
    with pytest.raises(InputError, match="JSON object"):
        parse_case([])  # type: ignore[arg-type]


CONTRACT_KEYS = {"case_id", "status", "documents", "prefill", "missing_documents", "discrepancies"}
DISCREPANCY_KEYS = {"code", "severity", "field", "expected", "found", "document", "message"}


def test_verify_object_matches_contract_shape():
    c, docs = clean("bank_account_change")
    c2 = c.model_copy(update={"requested": {**c.requested, "account_number": ""}})
    docs = [d for d in docs if d.kind != "id_card_back"]
    out = json.loads(json.dumps(verify(c2, docs).to_dict(), ensure_ascii=False))
    assert CONTRACT_KEYS <= set(out)
    assert out["status"] == "ready_for_review"
    assert out["missing_documents"] == ["id_card_back"]
    for d in out["discrepancies"]:
        assert DISCREPANCY_KEYS <= set(d)
        assert d["severity"] in ("error", "warning")
    assert set(out["prefill"]["requested.account_number"]) >= {"value", "source", "needs_review"}
    for doc in out["documents"]:
        assert {"file", "kind", "quality", "fields"} <= set(doc)
        assert "lines" not in doc


def test_multiple_file_parts_are_verified():
    c, docs = clean("bank_account_change")
    front, back = docs[0], docs[1]
    sheet = make_extraction("docs/id_copy.jpg", "multiple", {}, parts=[back, front])
    back.fields["valid_until"].value = "2019-01-01"
    v = verify(c, [sheet] + docs[2:])
    assert v.codes() == ["id_expired"]
    assert v.discrepancies[0].document == "docs/id_copy.jpg"
