"""The committed ``fixtures/lines/hand_*.json`` are exactly what ``_build_hand.py`` writes:
an edit to one without re-running the other fails here."""

from __future__ import annotations

from tests.extractors.fixtures.lines._build_hand import HERE, render


def test_builder_and_committed_fixtures_agree():
    built = render()
    committed = {p.name: p.read_text(encoding="utf-8") for p in sorted(HERE.glob("hand_*.json"))}
    assert sorted(built) == sorted(committed), "run .venv/bin/python tests/extractors/fixtures/lines/_build_hand.py"
    stale = [name for name in built if built[name] != committed[name]]
    assert not stale, f"{stale} differ from _build_hand.py: run it and review the diff"
