"""An independent synthetic document generator for the unseen evaluation set.

It draws Chinese insurance-servicing documents (ID cards, ID copy sheets, bank cards, income
proofs, marriage/divorce certificates, household register cards, court judgments, unrelated
paper) and writes ``NAME.jpg|png`` + ``NAME.truth.json`` pairs. The set is for REPORTING only:
never tune a parser, threshold or prompt on it. See README.md.

    python -m samples.unseen --out DIR --n 240 --seed 11
"""

from .build import MIX_240, generate, plan

__all__ = ["MIX_240", "generate", "plan"]
