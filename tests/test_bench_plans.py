"""The benchmark scripts' plans, without running them: ``make bench`` runs what its list
names (each with its default sizes), and the load run's cases add up to the documents asked
for, from committed photos."""

from __future__ import annotations

import importlib
import inspect
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_make_bench_runs_the_throughput_and_upload_benchmarks_with_their_defaults():
    from bench import run_all

    assert {"bench.throughput", "bench.upload_api"} <= set(run_all.BENCHES)
    for name in run_all.BENCHES:
        main = importlib.import_module(name).main
        params = inspect.signature(main).parameters
        assert not params or list(params) == ["argv"], name  # run_all passes [] so its own argv never leaks in


@pytest.mark.parametrize("n", [1, 2, 3, 8, 500])
def test_the_load_runs_cases_add_up_to_n_documents_of_committed_photos(n):
    from bench.load_run import DOCS, plan_cases

    plan = plan_cases(n)
    assert sum(len(photos) for _, photos in plan) == n
    assert all(photos for _, photos in plan)  # no empty case
    assert all((ROOT / DOCS / name).is_file() for _, photos in plan for name in photos)
    if n >= 5:
        kinds = Counter(kind for kind, _ in plan)
        assert set(kinds) == {"id_renewal", "bank_account_change"}


def test_shared_boxes_report_counts_the_paths_finds_what_moved_and_the_box_measures():
    """``bench.shared_boxes`` backs README's figures on the looser shared boxes."""
    from bench.shared_boxes import compare

    def row(f, kind, m, wrong=()):
        return {"file": f, "found_kind": kind, "wrong_fields": list(wrong), "measurements": m}

    before = {"rows": [row("a", "bank_card", {"text_height_px": 40.0, "sharpness": 0.5}),
                       row("b", "id_card_front", {"text_height_px": 30.0}, ["name"]),
                       row("c", "income_proof", {"text_height_px": 20.0})]}
    after = {"rows": [row("a", "bank_card", {"text_height_px": 50.0, "sharpness": 0.5, "shared_boxes": "kept"}),
                      row("b", "id_card_front", {"text_height_px": 33.0, "shared_boxes": "read_again"}),
                      row("c", "other", {"text_height_px": 20.0})]}
    out = compare(before, after)
    assert out["shared_boxes"] == {"kept": 1, "read_again": 1, "own pass": 1}
    assert [(m["file"], m["what"]) for m in out["moved"]] == [("b", "wrong_fields"), ("c", "found_kind")]
    # only the documents that kept the shared boxes are measured
    assert out["after_over_before"]["text_height_px"] == {"n": 1, "min": 1.25, "median": 1.25, "max": 1.25}
    assert out["after_over_before"]["sharpness"]["median"] == 1.0
