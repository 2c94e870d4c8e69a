"""Typed values → discrepancies and prefill: the cross-check of a case's documents against
its policy record. Pure functions over typed values: no web, database, Redis or queue code.

Entry point: ``verify.engine.verify(case, extractions, rules=None) -> Verification``.

Modules:
    types         Party, Beneficiary, Payment, Policy, Case (inputs, pydantic); Discrepancy,
                  PrefillItem, Verification (outputs, ``to_dict()`` = CONTRACT's verify object);
                  ``load_policies_json`` / ``load_policies_csv``
    rules.toml    the requirement matrix and thresholds (versioned data business staff edit)
    requirements  ``load_rules`` / ``parse_rules``: validation with key + line in every error
    context       documents sorted out against the rules: parties, requirements, assignment
    checks/       ``check_…(ctx) -> list[Discrepancy]``, in the ordered list ``checks.CHECKS``
    codes         the discrepancy codes with their meanings (CONTRACT's table): the one list
    prefill       requested values the agent left empty, read from documents
    masking       ``mask_id_number``, ``mask_card_number``, ``mask_value``, ``scrub``
    names, banks  name folding (``same_name``), bank names/BINs and card-number checks
    errors        VerifyError ← RulesError, InputError ← PolicyFileError
"""
