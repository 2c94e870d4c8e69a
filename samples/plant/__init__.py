"""Planted-discrepancy benchmark for ``verify``: cases with known faults.

``build_suite(n, seed)`` returns ``PlantedCase`` objects (case JSON + truth documents);
``write_suite(dir, …)`` writes them as case files (``<dir>/<case_id>/case.json``, documents
under ``docs/``) with ``expected_discrepancies``, ``expected_prefill`` and
``truth_documents`` in each case JSON, and document images when ``images=True``
(rendered with ``samples.generate``). ``python -m samples.plant DIR`` does the same.
"""

from samples.plant.build import FAULTS, PlantedCase, build_case, build_suite
from extractors.truth import extraction_from_truth, make_extraction
from samples.plant.write import write_suite

__all__ = ["FAULTS", "PlantedCase", "build_case", "build_suite", "write_suite",
           "extraction_from_truth", "make_extraction"]
