"""Official seals on income proofs and legal documents."""

from __future__ import annotations

from verify.checks._base import make
from extractors.kinds import NAMES_ZH
from verify.context import Context
from verify.types import Discrepancy

__all__ = ["check_seals"]


def check_seals(ctx: Context) -> list[Discrepancy]:
    """``seal_missing`` for a document of a ``[seal] kinds`` kind read with ``has_seal`` false.

    A document whose extractor did not report ``has_seal`` at all gives no opinion.
    Only documents this endorsement type uses are looked at.
    """
    out = []
    used = ctx.type_rules.used_kinds()
    for doc in ctx.docs:
        if doc.kind not in ctx.rules.seal_kinds or doc.kind not in used or not doc.usable:
            continue
        f = doc.field("has_seal")
        if f is None:
            continue
        if str(f.value).strip().lower() in ("false", "0", "no"):
            out.append(make(ctx, "seal_missing", f"documents.{doc.kind}.has_seal",
                            f"{NAMES_ZH.get(doc.kind, doc.kind)}未加盖公章",
                            expected="true", found="false", doc=doc, source=f))
    return out
