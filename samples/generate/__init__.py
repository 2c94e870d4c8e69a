"""Deterministic generator of synthetic, labelled Chinese identity / financial documents
and mobile-photo degradations (see samples/README.md).

Public API (stable):

* ``render_document(kind, rng, identity=None, **overrides) -> (bgr, truth)``
* ``make_photo(image, truth, rng, degradations=None, **kw) -> (bgr, truth)``
* ``make_scan(image, truth, rng, **kw) -> (bgr, truth)``
* ``render_sheet(rng, identity=None, **kw)``, ``render_two_page_scan(rng, identity=None)``
* ``save_judgment_pdf(path, rng, identity=None, text_layer=True, **overrides) -> truth``
* ``generate_set(out_dir, n, seed, ...) -> list[dict]``
* ``make_identity(rng, **fixed)``, ``make_bank_card(rng, ...)`` and the other helpers in
  ``samples.generate.identities``.
"""

from .fonts import FontsMissing
from .identities import BankCard, Identity, make_bank_card, make_identity
from .photo import DEGRADATIONS, QUALITY_CODE, make_photo, make_scan
from .render import KIND_RENDERERS, render_document, render_pages
from .sheets import render_sheet, render_two_page_scan
from .dataset import generate_set, save_image, save_judgment_pdf, save_truth
from .pdf import write_scanned_pdf, write_text_pdf

KINDS = tuple(KIND_RENDERERS)

__all__ = [
    "FontsMissing", "Identity", "BankCard", "make_identity", "make_bank_card", "render_document",
    "render_pages", "make_photo", "make_scan", "render_sheet", "render_two_page_scan", "generate_set",
    "save_image", "save_truth", "save_judgment_pdf", "write_text_pdf", "write_scanned_pdf",
    "DEGRADATIONS", "QUALITY_CODE", "KINDS",
]
