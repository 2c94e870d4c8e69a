"""离婚证: the same fields and layout as 结婚证, with 离婚证字号 as the number label."""

from __future__ import annotations

from extractors.fields._layout import Label
from extractors.fields.marriage_certificate import make_parser

__all__ = ["KIND", "parse"]

KIND = "divorce_certificate"

parse = make_parser(Label("certificate_number", ("离婚证字号", "离婚证号")))
