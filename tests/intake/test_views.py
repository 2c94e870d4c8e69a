"""Masking of what the API and pages show (property-tested over valid ID and card numbers)."""

from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from intake.views import mask_tree

_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def _id_number(body17: str) -> str:
    total = sum(int(c) * w for c, w in zip(body17, _W))
    return body17 + "10X98765432"[total % 11]


def _luhn(body: str) -> str:
    digits = [int(c) for c in body][::-1]
    total = sum(d if i % 2 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits))
    return body + str((10 - total % 10) % 10)


id_numbers = st.builds(
    lambda region, y, m, d, seq: _id_number(f"{region}{y:04d}{m:02d}{d:02d}{seq:03d}"),
    st.sampled_from(["110105", "310104", "440305", "510107"]), st.integers(1930, 2010), st.integers(1, 12),
    st.integers(1, 28), st.integers(0, 999))
card_numbers = st.builds(lambda prefix, rest: _luhn(prefix + rest), st.sampled_from(["622202", "621700", "436742"]),
                         st.text("0123456789", min_size=9, max_size=12))
FULLWIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def _forms(n: str):
    spaced = " ".join(n[i:i + 4] for i in range(0, len(n), 4))
    return [n, n.translate(FULLWIDTH), spaced, spaced.replace(" ", "-")]


def _leaks(text: str, number: str) -> bool:
    folded = text.translate(str.maketrans("０１２３４５６７８９Ｘ", "0123456789X"))
    return number in re.sub(r"[\s\-]", "", folded)


@settings(max_examples=60, deadline=None)
@given(id_numbers, card_numbers)
def test_no_id_or_card_number_survives_mask_tree(idn, card):
    for a, b in zip(_forms(idn), _forms(card)):
        tree = {
            "requested": {"account_number": b, "note": f"卡号 {b}"},
            "documents": [{"result": {"fields": {"id_number": {"value": a, "raw": a}},
                                      "lines": [{"text": f"公民身份号码 {a}"}]}}],
            "discrepancies": [{"expected": a, "found": b, "message": f"{a} ≠ {b}"}],
        }
        text = str(mask_tree(tree))
        assert not _leaks(text, idn), text
        assert not _leaks(text, card), text


def test_mask_tree_keeps_names_and_dates():
    tree = {"name": "王建国", "birth_date": "1985-03-07", "policy_no": "P2019000123", "share": 100}
    assert mask_tree(tree) == tree
