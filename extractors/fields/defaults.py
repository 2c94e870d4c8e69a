"""Tuning numbers of the field parsers, each with its unit."""

REVIEW_CONFIDENCE = 0.90
"""fraction: a field whose OCR confidence is below this needs review (reason low_confidence)."""

FAILED_VALIDATION_FACTOR = 0.5
"""fraction: confidence multiplier when a value fails its checksum / format check."""

FUZZY_MATCH_FACTOR = 0.85
"""fraction: confidence multiplier when a value was matched fuzzily (ethnicity, label)."""

DERIVED_FACTOR = 0.7
"""fraction: confidence multiplier for a value derived rather than read (annual = 12 × monthly)."""

SAME_ROW_OVERLAP = 0.5
"""fraction of the smaller box height two boxes must overlap vertically to share a row."""

MAX_VALUE_GAP = 12.0
"""line heights: a box further right of a label than this is not its value."""

CONTINUATION_X_TOLERANCE = 1.6
"""line heights: how far a continuation line's left edge may sit from the value column."""

CONTINUATION_Y_GAP = 1.2
"""line heights: the largest vertical gap between consecutive lines of one value."""

ASCII_CHAR_WIDTH = 0.55
"""em: width of a half-width character relative to a CJK character (for sub-boxes)."""
