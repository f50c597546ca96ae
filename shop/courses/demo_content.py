"""The demo courses' content for `flask seed-demo`: lessons, figures, a handout, the exam, approvals.

Every course of the demo catalogue gets what shop.courses.demo_lessons wrote for it: modules and lessons
(Markdown with a Pillow-drawn figure each, kept in private storage as course files), a handout PDF, a
final exam (70% to pass, 3 attempts, every lesson first) and a demonstration NCBTMB approval with an
obviously fictional provider number; "Soft Tissue Release: Foundations" also has a demo Florida approval
with a CE Broker tracking number. A demo signature is set for certificates if none is set yet.

Idempotent: a course that already has modules is left alone, as is one that already has approvals,
and an existing signature is never replaced. Nothing here is real: the approvals say so in their
statement, and the numbers say DEMO.
"""

from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from shop.catalogue.models import KIND_COURSE, Product
from shop.core import storage
from shop.core.timeutil import utcnow
from shop.courses import certificates, content
from shop.courses.demo_figures import figure_png, signature_png
from shop.courses.demo_handout import handout_pdf
from shop.courses.demo_lessons import BY_SKU
from shop.courses.models import (
    PURPOSE_IMAGE,
    PURPOSE_MATERIAL,
    Approval,
    CourseFile,
    CourseModule,
    Exam,
    ExamOption,
    ExamQuestion,
    Lesson,
)
from shop.extensions import db

PROVIDER_NUMBER = "DEMO-000123"
FLORIDA_SKU = "CE-STR-FND"
FLORIDA_PROVIDER_NUMBER = "DEMO-FL-0000"
FLORIDA_TRACKING_NUMBER = "20-DEMO01"
SIGNATORY = ("Jordan Ellis", "Director of Education (demo signature)")


def _statement(body: str, shop_name: str) -> str:
    return (f"Demonstration only: this course is not approved by {body}. {shop_name} shows this approval, with "
            "a fictional provider number, so that the certificates of the demo shop can be tried out.")


def _minutes(product: Product, lesson_total: int) -> int:
    """Study time per lesson: the course's CE hours less half an hour for the exam, shared out, in fives."""
    total = int(float(product.ce_hours or 1) * 60) - 30
    return max(10, round(total / max(1, lesson_total) / 5) * 5)


def _save(product: Product, data: bytes, extension: str) -> str:
    key = storage.new_key(f"courses/{product.id}", extension)
    storage.private().save(key, data)
    return key


def _with_figure(body: str, alt: str, file_id: int) -> str:
    """The figure goes after the lesson's first paragraph."""
    first, _, rest = body.partition("\n\n")
    return f"{first}\n\n![{alt}](file:{file_id})\n\n{rest}"


def _add_lessons(product: Product, spec: dict[str, Any], counts: dict[str, int]) -> list[Lesson]:
    lessons: list[Lesson] = []
    lesson_total = sum(len(items) for _, items in spec["modules"])
    for module_position, (module_title, items) in enumerate(spec["modules"]):
        module = CourseModule(product_id=product.id, title=module_title, position=module_position)
        db.session.add(module)
        db.session.flush()
        for position, item in enumerate(items):
            lesson = Lesson(module_id=module.id, title=item["title"], position=position,
                            minutes=_minutes(product, lesson_total))
            db.session.add(lesson)
            db.session.flush()
            png = figure_png(item["figure"])
            image = CourseFile(product_id=product.id, lesson_id=lesson.id, purpose=PURPOSE_IMAGE,
                               title=item["figure"][1], storage_key=_save(product, png, "png"),
                               content_type="image/png", size_bytes=len(png),
                               original_name=f"lesson-{len(lessons) + 1}-figure.png")
            db.session.add(image)
            db.session.flush()
            lesson.body_md = _with_figure(item["body"], item["alt"], image.id)
            lesson.body_html = content.render_lesson(lesson.body_md)
            lessons.append(lesson)
            counts["files"] += 1
        counts["modules"] += 1
    counts["lessons"] += len(lessons)
    return lessons


def _add_handout(product: Product, spec: dict[str, Any], shop_name: str) -> None:
    outline = tuple((title, tuple(item["title"] for item in items)) for title, items in spec["modules"])
    pdf = handout_pdf(shop_name, product.title, outline, tuple(spec["checklist"]),
                      tuple(tuple(row) for row in spec["selfcare"]))
    db.session.add(CourseFile(product_id=product.id, lesson_id=None, purpose=PURPOSE_MATERIAL,
                              title="Course handout: checklist and self-care chart",
                              storage_key=_save(product, pdf, "pdf"), content_type="application/pdf",
                              size_bytes=len(pdf), original_name=f"{product.slug}-handout.pdf"))


def _add_exam(product: Product, spec: dict[str, Any], lessons: list[Lesson]) -> int:
    exam = Exam(product_id=product.id, pass_percent=70, max_attempts=3, requires_all_lessons=True)
    for position, item in enumerate(spec["questions"]):
        question = ExamQuestion(prompt=item["prompt"], position=position, lesson_id=lessons[item["lesson"] - 1].id)
        options = list(item["wrong"])
        options.insert(position % 4, item["right"])  # the right answer is not always in the same place
        question.options = [ExamOption(text=text, is_correct=text == item["right"], position=index)
                            for index, text in enumerate(options)]
        exam.questions.append(question)
    db.session.add(exam)
    return len(spec["questions"])


def _add_approvals(product: Product, shop_name: str, contact: str) -> int:
    today = utcnow().date()
    common = dict(product_id=product.id, approved_title=product.title, ce_hours=product.ce_hours,
                  course_type="Home study", provider_name=shop_name, provider_contact=contact,
                  starts_on=today - timedelta(days=365), expires_on=today + timedelta(days=730))
    rows = [Approval(body="NCBTMB", state="", provider_number=PROVIDER_NUMBER,
                     body_statement=_statement("NCBTMB", shop_name), **common)]
    if product.sku == FLORIDA_SKU:
        body = "Florida Board of Massage Therapy (demo)"
        rows.append(Approval(body=body, state="FL", provider_number=FLORIDA_PROVIDER_NUMBER,
                             cebroker_tracking_number=FLORIDA_TRACKING_NUMBER,
                             body_statement=_statement("the Florida Board of Massage Therapy", shop_name), **common))
    db.session.add_all(rows)
    return len(rows)


def demo_signature() -> tuple[bytes, str, str]:
    """The demo certificates' signature: (PNG bytes, signatory's name, their title)."""
    return signature_png(SIGNATORY[0]), *SIGNATORY


def _set_signature(counts: dict[str, int]) -> None:
    if certificates.signature()[0] is None:
        png, name, title = demo_signature()
        certificates.set_signature(png, name, title, actor=None)  # commits
        counts["signature"] = 1


def load_course_content() -> dict[str, int]:
    """Fill every demo course that has no content yet; returns what was added. Commits."""
    shop_name, contact = current_app.config["SHOP_NAME"], current_app.config["CONTACT_EMAIL"]
    counts = dict.fromkeys(("courses", "modules", "lessons", "files", "questions", "approvals", "signature"), 0)
    products = db.session.scalars(select(Product).where(Product.kind == KIND_COURSE,
                                                        Product.sku.in_(list(BY_SKU)))).all()
    filled = set(db.session.scalars(select(CourseModule.product_id).where(
        CourseModule.product_id.in_([p.id for p in products])).group_by(CourseModule.product_id)))
    approved = set(db.session.scalars(select(Approval.product_id).where(
        Approval.product_id.in_([p.id for p in products])).group_by(Approval.product_id)))
    for product in sorted(products, key=lambda p: p.id):
        spec = BY_SKU[product.sku]
        if product.id not in filled:
            lessons = _add_lessons(product, spec, counts)
            product.lesson_count = len(lessons)  # the product page states what the course really has
            _add_handout(product, spec, shop_name)
            counts["files"] += 1
            counts["questions"] += _add_exam(product, spec, lessons)
            counts["courses"] += 1
        if product.id not in approved:
            counts["approvals"] += _add_approvals(product, shop_name, contact)
    db.session.commit()
    _set_signature(counts)
    return counts

