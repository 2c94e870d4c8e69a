"""Prefill: requested values the agent left empty, read from the documents.

The rules file's ``[types.<type>.prefill]`` maps a requested field to
``"[party:]kind.field"``; ``beneficiaries[].field`` targets fill each new beneficiary
from that beneficiary's own document. Values are copied as read (normalised by the
extractor); ``needs_review`` is copied from the source field. Documents whose quality gate
failed are not used. Keys are ``requested.<field>`` / ``requested.beneficiaries[i].<field>``.
"""

from __future__ import annotations

from verify.context import Context, is_empty
from verify.types import PrefillItem

__all__ = ["compute_prefill"]


def compute_prefill(ctx: Context) -> dict[str, PrefillItem]:
    out: dict[str, PrefillItem] = {}
    for target, src in ctx.type_rules.prefill.items():
        if target.startswith("beneficiaries[]."):
            leaf = target.split(".", 1)[1]
            for i, b in ctx.new_beneficiaries:
                if not is_empty(b.get(leaf)):
                    continue
                doc = ctx.assigned(f"new_beneficiary[{i}]", src.kind)
                f = doc.field(src.field) if doc is not None and doc.usable else None
                if f is not None:
                    out[f"requested.beneficiaries[{i}].{leaf}"] = PrefillItem(
                        f.value, doc.file, f.needs_review, f"{src.kind}.{src.field}")
            continue
        if not is_empty(ctx.requested.get(target)):
            continue
        doc = ctx.assigned(src.party, src.kind)
        f = doc.field(src.field) if doc is not None and doc.usable else None
        if f is not None:
            out[f"requested.{target}"] = PrefillItem(f.value, doc.file, f.needs_review,
                                                     f"{src.kind}.{src.field}")
    return out
