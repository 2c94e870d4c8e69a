"""Write a planted suite to disk: one directory per case.

Layout::

    DIR/index.json                      {"cases": ["PL-0001/case.json", …], "seed": …, "n": …}
    DIR/PL-0001/case.json               CONTRACT case + expected_discrepancies, expected_prefill,
                                        planted_faults, truth_documents
    DIR/PL-0001/docs/ph_front.jpg       document images (images=True)

With ``images=True`` each document is rendered by ``samples.generate.render.render_document``
with the case's printed values as overrides (a multi-document file is the parts pasted on one
sheet), and the renderer's own truth replaces the planned field values where they differ
only in form.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from samples.plant.build import PlantedCase, build_suite

__all__ = ["write_suite", "write_case", "render_case"]


def _json_default(o: Any) -> Any:
    import datetime as dt
    from decimal import Decimal

    if isinstance(o, (dt.date,)):
        return o.isoformat()
    if isinstance(o, Decimal):
        return str(o)
    raise TypeError(type(o).__name__)


# quality code planted in the truth → the generator's degradation that triggers it
DEGRADATION_FOR = {"blur": "defocus_blur", "glare": "glare", "too_dark": "low_light",
                   "document_cropped": "cropped", "occluded": "finger"}


def _person_for(spec) -> Any:
    """The spec's person with the printed values (faults included) folded in, for renderers
    that draw from the identity rather than from keyword overrides."""
    import dataclasses
    import datetime as dt

    p = spec.person
    if p is None:
        return None
    f = spec.fields
    changes: dict[str, Any] = {}
    for name in ("name", "sex", "id_number", "address", "ethnicity"):
        if spec.kind in ("id_card_front", "household_register") and name in f and f[name] != getattr(p, name):
            changes[name] = f[name]
    if spec.kind in ("id_card_front", "household_register") and "birth_date" in f:
        bd = dt.date.fromisoformat(f["birth_date"])
        if bd != p.birth_date:
            changes["birth_date"] = bd
    if spec.kind == "id_card_back":
        vu = f.get("valid_until")
        if vu and vu != p.valid_until_str():
            changes["valid_until"] = vu if vu == "长期" else dt.date.fromisoformat(vu)
        vf = f.get("valid_from")
        if vf and vf != p.issue_date.isoformat():
            changes["issue_date"] = dt.date.fromisoformat(vf)
    return dataclasses.replace(p, **changes) if changes else p


def render_case(pc: PlantedCase, case_dir: Path, seed: int) -> None:
    """Render the case's documents with ``samples.generate``: photos of cards and papers
    (``make_photo``, with the planted quality fault as a strong degradation), both ID sides on
    one photocopied sheet (``render_sheet``), court judgments as PDFs."""
    from samples.generate.dataset import save_image, save_judgment_pdf
    from samples.generate.photo import make_photo
    from samples.generate.render import render_document
    from samples.generate.sheets import render_sheet

    rng = random.Random(seed)
    for f, specs in pc.files():
        path = case_dir / f
        path.parent.mkdir(parents=True, exist_ok=True)
        if specs[0].corrupt:
            path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF truncated")
            continue
        if len(specs) > 1:
            kinds = sorted(s.kind for s in specs)
            if kinds == ["id_card_back", "id_card_front"]:
                front = next(s for s in specs if s.kind == "id_card_front")
                back = next(s for s in specs if s.kind == "id_card_back")
                person = _person_for(front)
                bperson = _person_for(back)
                import dataclasses
                person = dataclasses.replace(person, valid_until=bperson.valid_until,
                                             issue_date=bperson.issue_date,
                                             issuing_authority=back.fields.get("issuing_authority",
                                                                               person.issuing_authority))
                img, _t = render_sheet(rng, person, layout="id_both")
                save_image(str(path), img)
                continue
            # other pairs (household register pages): one page after the other on a sheet
            import numpy as np
            images = [render_document(s.kind, rng, _person_for(s), **s.render)[0] for s in specs]
            w = max(i.shape[1] for i in images) + 80
            h = sum(i.shape[0] for i in images) + 80 * (len(images) + 1)
            sheet = np.full((h, w, 3), 245, np.uint8)
            y = 80
            for i in images:
                sheet[y:y + i.shape[0], 40:40 + i.shape[1]] = i
                y += i.shape[0] + 80
            save_image(str(path), sheet)
            continue
        spec = specs[0]
        if spec.kind == "court_judgment":
            r = dict(spec.render)
            save_judgment_pdf(str(path), rng, spec.person, text_layer=rng.random() < 0.5, **r)
            continue
        img, truth = render_document(spec.kind, rng, _person_for(spec), **spec.render)
        degs = [DEGRADATION_FOR.get(spec.quality, "defocus_blur")] if spec.quality != "ok" else []
        photo, _pt = make_photo(img, truth, rng, degs)
        save_image(str(path), photo)


def write_case(pc: PlantedCase, root: Path, images: bool = False, seed: int = 0) -> Path:
    case_dir = root / pc.case_id
    (case_dir / "docs").mkdir(parents=True, exist_ok=True)
    p = case_dir / "case.json"
    p.write_text(json.dumps(pc.case_json(), ensure_ascii=False, indent=1, default=_json_default),
                 encoding="utf-8")
    if images:
        render_case(pc, case_dir, seed)
    return p


def write_suite(root: str | Path, n: int = 336, seed: int = 20261125, images: bool = False,
                limit_images: int | None = None) -> list[Path]:
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    cases = build_suite(n, seed)
    paths = []
    for k, pc in enumerate(cases):
        img = images and (limit_images is None or k < limit_images)
        paths.append(write_case(pc, root, images=img, seed=seed + k))
    (root / "index.json").write_text(json.dumps(
        {"seed": seed, "n": n, "cases": [str(p.relative_to(root)) for p in paths]}, indent=1),
        encoding="utf-8")
    return paths
