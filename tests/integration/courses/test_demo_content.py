"""`flask seed-demo` fills every demo course: lessons with figures, a handout PDF, an exam, a demo approval.

One seeding per backend (the tables are emptied after each test), so everything is checked in one test.
"""

import io

from pypdf import PdfReader

from shop.catalogue import demo_data
from shop.catalogue.models import KIND_COURSE, Product
from shop.core import storage
from shop.core.timeutil import utcnow
from shop.courses import approvals, certificates, content
from shop.courses.models import COURSE_TABLES, Exam
from shop.extensions import db


def _counts():
    return {table: db.session.scalar(db.text(f"SELECT count(*) FROM {table}")) for table in COURSE_TABLES}


def _check_lessons(product, store):
    outline = content.outline(product.id)
    assert len(outline.modules) >= 2 and len(outline.lessons) >= 5, product.sku
    files = content.files_of(product.id)
    for lesson in outline.lessons:
        images = [f for f in files if f.purpose == "image" and f.lesson_id == lesson.id]
        assert images or lesson.video_url, f"{product.sku}: {lesson.title} has neither image nor video"
        for image in images:
            assert store.read(image.storage_key).startswith(b"\x89PNG\r\n\x1a\n")
            assert image.content_type == "image/png" and image.size_bytes == store.size(image.storage_key)
            assert f'src="{content.FILE_URL_PREFIX}{image.id}"' in lesson.body_html
        assert "<h2>Key points</h2>" in lesson.body_html and "<li>" in lesson.body_html
        assert lesson.minutes and lesson.minutes > 0
    return outline, files


def _check_handout(product, files, store):
    handouts = [f for f in content.course_materials(files) if f.content_type == "application/pdf"]
    assert len(handouts) == 1, product.sku
    reader = PdfReader(io.BytesIO(store.read(handouts[0].storage_key)))
    assert 1 <= len(reader.pages) <= 2
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert product.title in text and "Technique checklist" in text and "Self-care chart" in text


def _check_exam(product, outline):
    exam = db.session.execute(db.select(Exam).filter_by(product_id=product.id)).scalar_one()
    assert (exam.pass_percent, exam.max_attempts, exam.requires_all_lessons) == (70, 3, True)
    assert len(exam.questions) >= 8, product.sku
    lesson_ids = {lesson.id for lesson in outline.lessons}
    for question in exam.questions:
        assert len(question.options) == 4 and sum(o.is_correct for o in question.options) == 1, question.prompt
        assert len({o.text for o in question.options}) == 4
        assert question.lesson_id in lesson_ids


def test_seed_demo_fills_every_demo_course_and_a_second_run_adds_nothing(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    courses = db.session.scalars(db.select(Product).where(Product.kind == KIND_COURSE)).all()
    assert {p.sku for p in courses} == {c["sku"] for c in demo_data.COURSES}
    store, today = storage.private(), utcnow().date()
    for product in courses:
        outline, files = _check_lessons(product, store)
        _check_handout(product, files, store)
        _check_exam(product, outline)
        current = approvals.valid_on(product.id, today)
        assert current and all(a.ce_hours == product.ce_hours and a.approved_title == product.title
                               and "DEMO" in a.provider_number and a.body_statement.startswith("Demonstration only")
                               for a in current)
    florida = [a for p in courses for a in approvals.for_product(p.id) if a.state == "FL"]
    assert len(florida) == 1 and "DEMO" in florida[0].cebroker_tracking_number
    assert certificates.signature()[0] is not None
    counts = _counts()

    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert "0 courses filled" in second.output and "0 approvals added" in second.output
    assert _counts() == counts
