"""`baoquan audit pack CASE_ID --out FILE.pdf` (CONTRACT): the case's evidence in one PDF."""

from __future__ import annotations

import pytest

from intake import cases, lifecycle
from intake.auth import Principal
from intake.cli import main

pytestmark = [pytest.mark.redis, pytest.mark.ocr]

BOX = [[20, 30], [200, 30], [200, 70], [20, 70]]


def test_pack_holds_images_readings_corrections_decision_and_hashes(runtime, policy, make_png, record_reading,
                                                                   tmp_path, monkeypatch):
    import pypdfium2

    agent, clerk = Principal(0, "agent1", "agent"), Principal(0, "clerk1", "clerk")
    with runtime.db.session() as s:
        case = cases.create_case(s, agent, policy["policy_no"], "id_renewal")
        s.commit()
        [doc] = cases.add_documents(s, runtime.store, agent, case, [cases.Upload("id.png", make_png())], None)
    record_reading(doc.id, {"kind": "id_card_front", "kind_confidence": 0.9, "quality": {"ok": True, "issues": []},
                            "fields": {"name": {"value": "王建图", "confidence": 0.8, "box": BOX, "page": 1,
                                                "needs_review": True}},
                            "lines": [], "pages": 1})
    with runtime.db.session() as s:
        c = cases.get_case(s, Principal(0, "clerk1", "clerk"), case.id)
        lifecycle.correct_field(s, clerk, c, doc.id, "name", "王建国")
        lifecycle.decide(s, clerk, c, "return", "请补拍身份证国徽面")
    out = tmp_path / "pack.pdf"
    monkeypatch.setenv("REDIS_URL", runtime.redis_url)
    assert main(["audit", "pack", str(case.id), "--out", str(out), "--data", str(runtime.settings.data)]) == 0
    pdf = pypdfium2.PdfDocument(out.read_bytes())
    assert len(pdf) >= 2  # the summary, then the document's image page with its readings and the trail
    # the pages are drawn text: read them back with the real recogniser
    import numpy as np

    from extractors.ocr import get_engine

    engine = get_engine("rapidocr")
    text = "".join(line.text for i in range(len(pdf))
                   for line in engine(np.asarray(pdf[i].render(scale=1.0).to_pil().convert("RGB"))[:, :, ::-1]))
    compact = text.replace(" ", "")
    assert "请补拍身份证国徽面" in compact  # the decision's reason
    assert "王建图" in compact and "王建国" in compact  # as read, and as corrected
    assert "clerk1" in compact and "hash" in compact  # who, and the chain's hashes
    assert main(["audit", "pack", "999", "--out", str(tmp_path / "none.pdf"),
                 "--data", str(runtime.settings.data)]) == 1
    assert not (tmp_path / "none.pdf").exists()


def test_a_file_gone_from_the_store_is_said_on_its_page_and_the_rest_is_packed(runtime, policy, make_png,
                                                                               record_reading, monkeypatch):
    """The image is drawn from the store; a file the store no longer holds costs that one
    image, named on the page, not the pack."""
    from intake import evidence
    from intake.storage import FileMissing

    agent = Principal(0, "agent1", "agent")
    with runtime.db.session() as s:
        case = cases.create_case(s, agent, policy["policy_no"], "id_renewal")
        s.commit()
        docs = cases.add_documents(s, runtime.store, agent, case,
                                   [cases.Upload("a.png", make_png()), cases.Upload("b.png", make_png(("姓名 李四",)))], None)
    for d in docs:
        record_reading(d.id, {"kind": "id_card_front", "kind_confidence": 0.9, "quality": {"ok": True, "issues": []},
                              "fields": {"name": {"value": "王建国", "confidence": 0.9, "box": BOX, "page": 1,
                                                  "needs_review": False}}, "lines": [], "pages": 1})
    gone = docs[0].sha256
    real_get = runtime.store.get

    def get(sha):
        if sha == gone:
            raise FileMissing(f"{sha[:8]}… is not in the store")
        return real_get(sha)

    monkeypatch.setattr(runtime.store, "get", get)
    said, images = [], []
    monkeypatch.setattr(evidence._Pages, "line", lambda self, text, head=False, indent=0: said.append(text))
    monkeypatch.setattr(evidence._Pages, "image", lambda self, im: images.append(im.size))
    with runtime.db.session() as s:
        pdf = evidence.evidence_pack(s, runtime.store, case.id)
    assert pdf.startswith(b"%PDF")
    assert f"文件 {docs[0].id} 的图像无法附上：存储中已没有该文件" in said
    assert len(images) == 1  # the other document's image is there
