"""The final exam: opens after the lessons, random order per attempt, scored on the server only, limited attempts."""

from datetime import date, timedelta

import pytest

from shop.courses.models import Certificate, ExamAllowance, ExamAttempt, ExamOption, LessonProgress
from shop.extensions import db
from tests.factories import (
    DEFAULT_PASSWORD,
    ApprovalFactory,
    UserFactory,
    course_with_lessons,
    exam_for,
    grant_course,
)
from tests.support.forms import csrf_token, log_in, soup


@pytest.fixture
def taker(app):
    course, lessons = course_with_lessons(lessons=2, title="Trigger Point Therapy", slug="tp")
    user = UserFactory(email="owner@example.com", full_name="Pat Therapist")
    grant_course(user, course)
    client = app.test_client()
    log_in(client, user.email, DEFAULT_PASSWORD)
    return {"course": course, "lessons": lessons, "user": user, "client": client}


def _finish_lessons(taker):
    for lesson in taker["lessons"]:
        db.session.add(LessonProgress(user_id=taker["user"].id, lesson_id=lesson.id))
    db.session.commit()


def _start(client, slug="tp"):
    page = client.get(f"/my/courses/{slug}/exam").get_data(as_text=True)
    started = client.post(f"/my/courses/{slug}/exam", data={"csrf_token": csrf_token(page)})
    assert started.status_code == 303, started.get_data(as_text=True)
    return started.headers["Location"]


def _right_options():
    return {o.question_id: o.id for o in db.session.scalars(db.select(ExamOption).where(ExamOption.is_correct))}


def _answers(client, url, right_count):
    """Answers to the attempt's questions, the first `right_count` of them right (in the attempt's order)."""
    page = client.get(url).get_data(as_text=True)
    right = _right_options()
    answers = {"csrf_token": csrf_token(page)}
    for index, fieldset in enumerate(soup(page).select("fieldset.exam-question")):
        name = fieldset.find("input")["name"]
        question_id = int(name[1:])
        options = [int(i["value"]) for i in fieldset.find_all("input")]
        wrong = next(o for o in options if o != right[question_id])
        answers[name] = str(right[question_id] if index < right_count else wrong)
    return answers


def _answer(client, url, right_count):
    return client.post(url, data=_answers(client, url, right_count))


def test_the_exam_opens_once_every_lesson_is_complete(taker):
    exam_for(taker["course"], questions=4)
    client = taker["client"]
    page = client.get("/my/courses/tp/exam").get_data(as_text=True)
    assert "2 lessons to go" in page and "Start attempt" not in page
    refused = client.post("/my/courses/tp/exam", data={"csrf_token": csrf_token(page)})
    assert refused.status_code == 303 and db.session.scalar(db.select(db.func.count(ExamAttempt.id))) == 0
    _finish_lessons(taker)
    assert "Start attempt 1 of 3" in client.get("/my/courses/tp/exam").get_data(as_text=True)


def test_a_course_may_open_its_exam_before_the_lessons(taker):
    exam_for(taker["course"], questions=4, requires_all_lessons=False)
    assert "Start attempt 1 of 3" in taker["client"].get("/my/courses/tp/exam").get_data(as_text=True)


def test_failed_then_passed_with_lessons_to_review_and_a_certificate(taker):
    exam_for(taker["course"], questions=4, lessons=taker["lessons"])
    ApprovalFactory(product_id=taker["course"].id, approved_title="Trigger Point Therapy for the Neck (approved)")
    _finish_lessons(taker)
    client = taker["client"]
    attempt = _start(client)
    failed = _answer(client, attempt, right_count=2)
    assert failed.status_code == 303
    result = client.get(failed.headers["Location"]).get_data(as_text=True)
    assert "Not passed this time" in result and "2 of 4 correct" in result and "50%" in result
    review = [a.get_text() for a in soup(result).select("#review-heading + ul a")]
    assert review and set(review) <= {lesson.title for lesson in taker["lessons"]}
    assert "2 attempts left" in result
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 0

    second = _start(client)
    assert second != attempt
    passed = _answer(client, second, right_count=4)
    page = client.get(passed.headers["Location"]).get_data(as_text=True)
    assert "You passed" in page and "100%" in page
    [certificate] = db.session.scalars(db.select(Certificate)).all()
    assert certificate.number in page and certificate.approved_title == "Trigger Point Therapy for the Neck (approved)"
    assert "exam passed" in client.get("/my/courses").get_data(as_text=True)
    assert client.get(f"/account/certificates/{certificate.number}.pdf").status_code == 200


def test_the_page_never_holds_the_right_answers_and_each_attempt_has_its_own_order(taker):
    exam_for(taker["course"], questions=8, max_attempts=5, requires_all_lessons=False)
    client = taker["client"]
    orders = []
    for _ in range(3):
        url = _start(client)
        page = client.get(url).get_data(as_text=True)
        form = soup(page).select_one("form.exam-form")
        for field in form.find_all("input"):
            assert set(field.attrs) <= {"type", "name", "value", "checked", "id", "required"}, field
            assert field["type"] in ("radio", "hidden")
        assert "correct" not in str(form).lower()
        orders.append([(f.find("input")["name"], [i["value"] for i in f.find_all("input")])
                       for f in form.select("fieldset.exam-question")])
        _answer(client, url, right_count=0)
    assert len({str(order) for order in orders}) > 1  # 8! × 24⁸ orders: three alike would be a broken shuffle
    assert {tuple(sorted(q for q, _ in order)) for order in orders} == {tuple(sorted(q for q, _ in orders[0]))}


def test_opening_the_exam_again_or_double_submitting_spends_one_attempt(taker):
    exam_for(taker["course"], questions=4, requires_all_lessons=False)
    client = taker["client"]
    first = _start(client)
    assert _start(client) == first  # a reload or a second click: the same attempt
    page = client.get(first).get_data(as_text=True)
    unanswered = client.post(first, data={"csrf_token": csrf_token(page)})
    assert unanswered.status_code == 422 and "4 questions left unanswered" in unanswered.get_data(as_text=True)
    answers = _answers(client, first, right_count=4)
    assert client.post(first, data=answers).status_code == 303
    again = client.post(first, data=answers)  # a double click on Submit, after the attempt was scored
    assert again.status_code == 303 and again.headers["Location"].endswith("/result")
    [attempt] = db.session.scalars(db.select(ExamAttempt)).all()
    assert attempt.passed and attempt.score_percent == 100


def test_attempts_run_out_and_staff_can_grant_one_more(taker):
    exam_for(taker["course"], questions=4, max_attempts=2, requires_all_lessons=False)
    client = taker["client"]
    for _ in range(2):
        _answer(client, _start(client), right_count=0)
    page = client.get("/my/courses/tp/exam").get_data(as_text=True)
    assert "You have used all 2 attempts" in page and "Start attempt" not in page
    refused = client.post("/my/courses/tp/exam", data={"csrf_token": csrf_token(page)})
    assert refused.status_code == 303
    assert db.session.scalar(db.select(db.func.count(ExamAttempt.id))) == 2
    db.session.add(ExamAllowance(user_id=taker["user"].id, product_id=taker["course"].id, extra_attempts=1))
    db.session.commit()
    assert "Start attempt 3 of 3" in client.get("/my/courses/tp/exam").get_data(as_text=True)
    _answer(client, _start(client), right_count=3)  # 75 % passes the 70 % mark
    assert db.session.scalar(db.select(ExamAttempt.passed).where(ExamAttempt.number == 3)) is True


def test_a_pass_under_a_lapsed_approval_issues_no_certificate_and_says_so(taker):
    exam_for(taker["course"], questions=4, requires_all_lessons=False)
    ApprovalFactory(product_id=taker["course"].id, starts_on=date.today() - timedelta(days=800),
                    expires_on=date.today() - timedelta(days=3))  # lapsed in every time zone
    client = taker["client"]
    passed = _answer(client, _start(client), right_count=4)
    page = client.get(passed.headers["Location"]).get_data(as_text=True)
    assert "You passed" in page and "its CE approval is not current" in page
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 0


def test_someone_elses_attempt_is_404(app, taker):
    exam_for(taker["course"], questions=4, requires_all_lessons=False)
    url = _start(taker["client"])
    other = UserFactory(email="other@example.com")
    grant_course(other, taker["course"])
    client = app.test_client()
    log_in(client, other.email, DEFAULT_PASSWORD)
    assert client.get(url).status_code == 404
    assert client.get(url + "/result").status_code == 404


def test_the_exam_waits_for_the_name_the_certificate_prints_and_shows_it(app, taker):
    exam_for(taker["course"], questions=4, requires_all_lessons=False)
    client = taker["client"]
    page = client.get("/my/courses/tp/exam").get_data(as_text=True)
    assert "Your certificate will print your name as <strong>Pat Therapist</strong>" in page
    taker["user"].full_name = ""
    db.session.commit()
    page = client.get("/my/courses/tp/exam").get_data(as_text=True)
    assert "Add your name and licence" in page
    refused = client.post("/my/courses/tp/exam", data={"csrf_token": csrf_token(page)})
    assert refused.status_code == 303 and db.session.scalar(db.select(db.func.count(ExamAttempt.id))) == 0
    assert "exactly as it appears on your licence" in client.get("/my/courses/tp/exam").get_data(as_text=True)


def test_a_question_deleted_during_an_attempt_is_simply_not_asked(taker):
    exam = exam_for(taker["course"], questions=4, requires_all_lessons=False)
    client = taker["client"]
    url = _start(client)
    answers = _answers(client, url, right_count=4)
    dropped = exam.questions[0]
    answers.pop(f"q{dropped.id}")
    db.session.delete(dropped)
    db.session.commit()
    assert client.post(url, data=answers).status_code == 303
    [attempt] = db.session.scalars(db.select(ExamAttempt)).all()
    assert (attempt.correct, attempt.total, attempt.score_percent, attempt.passed) == (3, 3, 100, True)
