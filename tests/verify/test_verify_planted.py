"""The planted-discrepancy suite in truth mode: the rules alone, asserted."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from samples.plant import build_suite
from samples.plant.build import CODES
from verify.engine import verify
from verify.types import ENDORSEMENT_TYPES, parse_case


@pytest.fixture(scope="module")
def suite():
    return build_suite()


def test_suite_shape(suite):
    assert len(suite) >= 300
    assert {pc.type for pc in suite} == set(ENDORSEMENT_TYPES)
    clean = sum(pc.clean for pc in suite)
    assert 0.4 <= clean / len(suite) <= 0.6
    planted = Counter(c for pc in suite for c in pc.expected)
    assert set(CODES) <= set(planted), set(CODES) - set(planted)
    assert min(planted[c] for c in CODES) >= 5, planted
    for etype in ENDORSEMENT_TYPES:
        assert any(pc.type == etype and pc.clean for pc in suite)
        assert any(pc.type == etype and not pc.clean for pc in suite)


def test_truth_mode_recall_and_false_discrepancies(suite):
    hits = total = clean = fp = 0
    per_code_missed = Counter()
    for pc in suite:
        v = verify(parse_case(json.loads(json.dumps(pc.case_json(), default=str))), pc.extractions())
        got = set(v.codes())
        if pc.clean:
            clean += 1
            fp += bool(got)
        for c in pc.expected:
            total += 1
            hits += c in got
            if c not in got:
                per_code_missed[c] += 1
    recall = hits / total
    assert recall >= 0.99, per_code_missed
    assert fp / clean <= 0.02


def test_truth_mode_prefill_matches_documents(suite):
    ok = n = 0
    for pc in suite:
        v = verify(parse_case(json.loads(json.dumps(pc.case_json(), default=str))), pc.extractions())
        for k, want in pc.expected_prefill.items():
            n += 1
            ok += k in v.prefill and str(v.prefill[k].value) == str(want)
    assert n >= 50 and ok / n >= 0.99


def test_build_is_deterministic():
    a = [pc.case_json() for pc in build_suite(40, seed=7)]
    b = [pc.case_json() for pc in build_suite(40, seed=7)]
    assert a == b
