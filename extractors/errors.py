"""Exceptions of the document pipeline.

    ExtractorError                 base; ``code`` is a CONTRACT quality code or a parser code
    ├── InputRejected              the bytes cannot become pages
    │   ├── UnsupportedType        magic bytes are not JPEG/PNG/WebP/TIFF/BMP/PDF  (unsupported_type)
    │   ├── TooLarge               bytes or pixels or pages over the limits        (too_large)
    │   ├── CorruptFile            decoder failed                                   (corrupt_file)
    │   └── Encrypted              PDF needs a password                             (encrypted)
    ├── EngineUnavailable          an OCR engine cannot be constructed offline
    └── UnknownDocumentKind        no parser registered for a kind

Only ``intake/`` turns these into HTTP responses; the CLI turns ``InputRejected`` into an
``unreadable`` extraction object with the code as a quality issue.
"""

from __future__ import annotations

__all__ = [
    "ExtractorError",
    "InputRejected",
    "UnsupportedType",
    "TooLarge",
    "CorruptFile",
    "Encrypted",
    "EngineUnavailable",
    "UnknownDocumentKind",
]


class ExtractorError(Exception):
    code = "extractor_error"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        if code:
            self.code = code

    @property
    def message(self) -> str:
        return str(self)


class InputRejected(ExtractorError):
    code = "corrupt_file"


class UnsupportedType(InputRejected):
    code = "unsupported_type"


class TooLarge(InputRejected):
    code = "too_large"


class CorruptFile(InputRejected):
    code = "corrupt_file"


class Encrypted(InputRejected):
    code = "encrypted"


class EngineUnavailable(ExtractorError):
    code = "engine_unavailable"


class UnknownDocumentKind(ExtractorError):
    code = "unknown_document_kind"
