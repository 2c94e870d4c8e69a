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
