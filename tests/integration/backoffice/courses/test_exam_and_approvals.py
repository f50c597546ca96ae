"""Admins set the exam (pass mark, attempts, questions with exactly one right answer) and a course's approvals."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from shop.core.models import AuditEntry
from shop.courses.models import Approval, Exam, ExamQuestion
from shop.extensions import db
from tests.factories import ApprovalFactory, course_with_lessons, exam_for
from tests.support.forms import post_form, soup


def _page(response):
    return response.get_data(as_text=True)


def _question(prompt, correct, *answers, lesson_id=0):
    data = {"prompt": prompt, "lesson_id": str(lesson_id), "correct": correct}
    data.update({f"option_{n}": text for n, text in enumerate(answers, start=1)})
    return data


def test_exam_settings_are_saved_and_bad_ones_refused(client, admin):
    course, _lessons = course_with_lessons(lessons=2)
    url = f"/backoffice/courses/{course.id}/exam"
    saved = post_form(client, url, {"pass_percent": "80", "max_attempts": "2"})
    assert saved.status_code == 302
    exam = db.session.scalar(select(Exam).filter_by(product_id=course.id))
    assert (exam.pass_percent, exam.max_attempts, exam.requires_all_lessons) == (80, 2, False)
    for bad in ({"pass_percent": "0", "max_attempts": "2"}, {"pass_percent": "101", "max_attempts": "2"},
                {"pass_percent": "70", "max_attempts": "0"}, {"pass_percent": "seventy", "max_attempts": "2"}):
        assert post_form(client, url, bad).status_code == 422, bad
    assert db.session.scalar(select(AuditEntry).filter_by(entity_id=str(course.id), action="exam settings"))


def test_a_question_needs_two_to_six_answers_and_exactly_one_right(client, admin):
    course, lessons = course_with_lessons(lessons=2)
    url = f"/backoffice/courses/{course.id}/exam/questions"
    page = f"/backoffice/courses/{course.id}/exam"
    added = post_form(client, url, _question("Where is the psoas?", "2", "Shoulder", "Hip flexors", "Calf",
                                             lesson_id=lessons[1].id), page=page)
    assert added.status_code == 302
    question = db.session.scalar(select(ExamQuestion))
    assert question.lesson_id == lessons[1].id
    assert [(o.text, o.is_correct) for o in question.options] == [
        ("Shoulder", False), ("Hip flexors", True), ("Calf", False)]
    shown = _page(client.get(page))
    assert "Right answer" in shown and "Hip flexors" in shown

    no_right = post_form(client, url, _question("Which?", "", "A", "B"), page=page)
    assert no_right.status_code == 422 and "exactly one answer" in _page(no_right)
    right_is_empty = post_form(client, url, _question("Which?", "3", "A", "B"), page=page)
    assert right_is_empty.status_code == 422 and "marked right is empty" in _page(right_is_empty)
    one_answer = post_form(client, url, _question("Which?", "1", "A"), page=page)
    assert one_answer.status_code == 422 and "from 2 to 6 answers" in _page(one_answer)
    assert len(db.session.scalars(select(ExamQuestion)).all()) == 1

    edit = f"/backoffice/courses/{course.id}/exam/questions/{question.id}"
    form = soup(_page(client.get(edit))).find(id="option_2")
    assert form["value"] == "Hip flexors"
    changed = post_form(client, edit, _question("Where is the psoas?", "1", "Hip flexors", "Shoulder"))
    assert changed.status_code == 302
    db.session.expire_all()
    assert [(o.text, o.is_correct) for o in db.session.get(ExamQuestion, question.id).options] == [
        ("Hip flexors", True), ("Shoulder", False)]
    question_id = question.id
    assert post_form(client, f"{edit}/delete", page=page).status_code == 302
    assert db.session.get(ExamQuestion, question_id) is None


def test_the_exam_page_lists_questions_with_their_right_answer(client, admin):
    course, _lessons = course_with_lessons(lessons=1)
    exam = exam_for(course, questions=2)
    right = next(o.text for o in exam.questions[0].options if o.is_correct)
    page = soup(_page(client.get(f"/backoffice/courses/{course.id}/exam")))
    items = page.find(id="questions").find_all("li", id=True)
    marked = [li.get_text(" ", strip=True) for li in items[0].find_all("li") if "Right answer" in li.get_text()]
    assert len(items) == 2 and marked == [f"{right} Right answer"]


APPROVAL = {"body": "NCBTMB", "state": "", "approved_title": "Myofascial Release for the Neck",
            "ce_hours": "6", "course_type": "Home study", "provider_name": "Soft Tissue Release Education",
            "provider_number": "DEMO-111111", "provider_contact": "orders@softtissuerelease.example",
            "starts_on": "2025-01-01", "expires_on": "2027-01-01",
            "body_statement": "Approved by a fictional body for continuing education credit."}


def test_approvals_are_added_edited_and_removed_through_the_pages(client, admin):
    course, _lessons = course_with_lessons(lessons=1)
    url = f"/backoffice/courses/{course.id}/approvals"
    assert post_form(client, url, APPROVAL).status_code == 302
    approval = db.session.scalar(select(Approval).filter_by(product_id=course.id))
    assert (approval.approved_title, approval.ce_hours, approval.expires_on) == (
        "Myofascial Release for the Neck", Decimal("6.00"), date(2027, 1, 1))
    assert "Myofascial Release for the Neck" in _page(client.get(url))

    florida = post_form(client, url, {**APPROVAL, "state": "FL", "body": "Florida Board of Massage Therapy"})
    assert florida.status_code == 422 and "CE Broker course tracking number" in _page(florida)
    backwards = post_form(client, url, {**APPROVAL, "expires_on": "2024-01-01"})
    assert backwards.status_code == 422 and "expire after it starts" in _page(backwards)
    assert post_form(client, url, {**APPROVAL, "starts_on": "soon"}).status_code == 422

    edit = f"{url}/{approval.id}"
    assert post_form(client, edit, {**APPROVAL, "ce_hours": "7.5"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Approval, approval.id).ce_hours == Decimal("7.50")
    approval_id = approval.id
    assert post_form(client, f"{edit}/delete", page=url).status_code == 302
    assert db.session.get(Approval, approval_id) is None
    actions = {e.action for e in db.session.scalars(select(AuditEntry).filter_by(entity_id=str(course.id)))}
    assert {"approval added", "approval changed", "approval removed"} <= actions


def test_the_dashboard_warns_staff_of_an_approval_expiring_soon(client, admin):
    course, _lessons = course_with_lessons(lessons=1, title="Neck and Shoulders")
    soon = ApprovalFactory(product_id=course.id, expires_on=date.today().replace(year=date.today().year + 5))
    page = _page(client.get("/backoffice/"))
    assert "CE approvals expiring soon" not in page
    soon.expires_on = date.fromordinal(date.today().toordinal() + 60)
    db.session.commit()
    page = soup(_page(client.get("/backoffice/")))
    section = page.find(id="approvals-heading").parent
    link = section.find("a", href=f"/backoffice/courses/{course.id}/approvals")
    assert link is not None and link.get_text() == "Neck and Shoulders"
