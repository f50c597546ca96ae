"""The final exam: when it opens, each attempt's own order of questions and options, scoring on the server.

The page never learns which option is right: it gets the attempt's layout (question and option ids in
the order drawn for it) and the texts; `submit` scores against the database. Opening the exam page again
shows the same unsubmitted attempt (a reload or a double click spends no attempt); a submitted attempt is
scored once (a conditional update), so a double-clicked "Submit" cannot score twice.
"""

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from shop.catalogue.models import Product
from shop.core.errors import Refusal
from shop.core.text import is_whole_number
from shop.core.timeutil import utcnow
from shop.courses import certificates
from shop.courses.models import CourseModule, Exam, ExamAllowance, ExamAttempt, ExamQuestion, Lesson
from shop.courses.progress import CourseProgress
from shop.extensions import db

_random = secrets.SystemRandom()


class ExamRefused(Refusal):
    pass


@dataclass(frozen=True)
class ExamState:
    exam: Exam | None
    used: int
    allowed: int
    passed: bool
    open_attempt: ExamAttempt | None
    blocked_by: str  # why it cannot be started now, or ""
    out_of_attempts: bool = False  # only staff can help now (another attempt)

    @property
    def left(self) -> int:
        return max(self.allowed - self.used, 0)

    @property
    def can_start(self) -> bool:
        return not self.blocked_by


def exam_of(product_id: int) -> Exam | None:
    return db.session.scalar(select(Exam).where(Exam.product_id == product_id)
                             .options(selectinload(Exam.questions).selectinload(ExamQuestion.options)))


def _attempts(user_id: int, product_id: int) -> list[ExamAttempt]:
    return list(db.session.scalars(select(ExamAttempt).where(ExamAttempt.user_id == user_id,
                                                             ExamAttempt.product_id == product_id)
                                   .order_by(ExamAttempt.number)))


def attempts_for(user_id: int, product_id: int) -> list[ExamAttempt]:
    """Every submitted attempt, first first."""
    return [a for a in _attempts(user_id, product_id) if a.submitted_at is not None]


def allowed_attempts(exam: Exam, user_id: int) -> int:
    extra = db.session.scalar(select(ExamAllowance.extra_attempts).where(
        ExamAllowance.user_id == user_id, ExamAllowance.product_id == exam.product_id)) or 0
    return exam.max_attempts + extra


def state(user_id: int, product_id: int, progress: CourseProgress) -> ExamState:
    exam = exam_of(product_id)
    attempts = _attempts(user_id, product_id)
    submitted = [a for a in attempts if a.submitted_at is not None]
    open_attempt = next((a for a in attempts if a.submitted_at is None), None)
    passed = any(a.passed for a in submitted)
    allowed = allowed_attempts(exam, user_id) if exam else 0
    if exam is None or not exam.questions:
        blocked = "This course has no exam yet."
    elif passed:
        blocked = "You have passed this exam."
    elif exam.requires_all_lessons and not progress.all_done:
        remaining = progress.total - progress.done
        blocked = (f"The exam opens once every lesson is complete: {remaining} "
                   f"lesson{'s' if remaining != 1 else ''} to go.")
    elif open_attempt is None and len(submitted) >= allowed:
        blocked = (f"You have used all {allowed} attempts. Call us or write to us and we can give you "
                   "another attempt.")
    else:
        blocked = ""
    used_up = exam is not None and not passed and open_attempt is None and len(submitted) >= allowed
    return ExamState(exam=exam, used=len(submitted), allowed=allowed, passed=passed, open_attempt=open_attempt,
                     blocked_by=blocked, out_of_attempts=used_up)


def start(user: Any, product: Product, progress: CourseProgress) -> ExamAttempt:
    """The attempt to sit now: the open one, or a new one with its own random order. Commits.

    Refused until the customer has given the name their certificate will print."""
    if not certificates.participant_name(user):
        raise ExamRefused(certificates.NAME_NEEDED, status=409)
    user_id = user.id
    current = state(user_id, product.id, progress)
    if current.open_attempt is not None and not current.passed:
        return current.open_attempt
    if not current.can_start or current.exam is None:
        raise ExamRefused(current.blocked_by, status=409)
    questions = list(current.exam.questions)
    _random.shuffle(questions)
    layout = []
    for question in questions:
        option_ids = [option.id for option in question.options]
        _random.shuffle(option_ids)
        layout.append([question.id, option_ids])
    attempt = ExamAttempt(user_id=user_id, product_id=product.id, number=current.used + 1, layout=layout,
                          total=len(layout))
    db.session.add(attempt)
    try:
        db.session.commit()
    except IntegrityError:  # the same customer started it twice at once: take the one that won
        db.session.rollback()
        found = next((a for a in _attempts(user_id, product.id) if a.submitted_at is None), None)
        if found is None:
            raise ExamRefused("That attempt was already used. Open the exam again.", status=409) from None
        return found
    return attempt


def attempt_of(user_id: int, product_id: int, attempt_id: int) -> ExamAttempt | None:
    attempt = db.session.get(ExamAttempt, attempt_id)
    if attempt is None or attempt.user_id != user_id or attempt.product_id != product_id:
        return None
    return attempt


@dataclass(frozen=True)
class ShownQuestion:
    id: int
    prompt: str
    options: list[tuple[int, str]]  # (option id, text): never which one is right


def shown(attempt: ExamAttempt) -> list[ShownQuestion]:
    """The attempt's questions and options in its own order, with nothing that gives the answer away."""
    exam = exam_of(attempt.product_id)
    by_id = {q.id: q for q in exam.questions} if exam else {}
    result = []
    for question_id, option_ids in attempt.layout:
        question = by_id.get(question_id)
        if question is None:
            continue
        texts = {o.id: o.text for o in question.options}
        result.append(ShownQuestion(id=question.id, prompt=question.prompt,
                                    options=[(i, texts[i]) for i in option_ids if i in texts]))
    return result


def read_answers(form: Any, attempt: ExamAttempt) -> dict[str, int]:
    """{question id: option id} from the posted form (fields q<question id>); anything else is ignored."""
    answers = {}
    for question_id, option_ids in attempt.layout:
        raw = form.get(f"q{question_id}", "")
        if is_whole_number(raw) and int(raw) in option_ids:  # "²" is a digit, not a number
            answers[str(question_id)] = int(raw)
    return answers


def submit(user: Any, product: Product, attempt: ExamAttempt, answers: dict[str, int], *,
           today: date) -> ExamAttempt:
    """Score the attempt once; on a pass, issue the certificates. Commits."""
    if attempt.submitted_at is not None:
        return attempt
    exam = exam_of(product.id)
    right = {o.question_id: o.id for q in exam.questions for o in q.options if o.is_correct} if exam else {}
    asked = [question_id for question_id, _ in attempt.layout if question_id in right]  # a deleted one: not asked
    missing = sum(1 for question_id in asked if str(question_id) not in answers)
    if missing:
        raise ExamRefused(f"Answer every question before you submit: {missing} "
                          f"question{'s' if missing != 1 else ''} left unanswered.", status=422)
    correct = sum(1 for question_id in asked if answers.get(str(question_id)) == right[question_id])
    total = len(asked)
    score = (100 * correct) // total if total else 0
    passed = bool(exam) and score >= exam.pass_percent
    claimed = db.session.execute(
        update(ExamAttempt).where(ExamAttempt.id == attempt.id, ExamAttempt.submitted_at.is_(None))
        .values(submitted_at=utcnow(), answers=answers, correct=correct, total=total, score_percent=score,
                passed=passed)
        .execution_options(synchronize_session=False))
    if not claimed.rowcount:  # submitted a moment ago by the same customer's other click
        db.session.rollback()
        db.session.refresh(attempt)
        return attempt
    db.session.flush()
    db.session.refresh(attempt)
    if passed:
        certificates.issue_for_pass(user, product, attempt, today=today)
    db.session.commit()
    return attempt


def lessons_to_review(attempt: ExamAttempt) -> list[Lesson]:
    """The lessons that teach what the attempt answered wrongly, in reading order, each once."""
    exam = exam_of(attempt.product_id)
    if exam is None:
        return []
    right = {q.id: next((o.id for o in q.options if o.is_correct), None) for q in exam.questions}
    wrong_lessons = {q.lesson_id for q in exam.questions
                     if q.lesson_id and attempt.answers.get(str(q.id)) != right[q.id]}
    if not wrong_lessons:
        return []
    return list(db.session.scalars(select(Lesson).join(CourseModule).where(Lesson.id.in_(wrong_lessons))
                                   .order_by(CourseModule.position, CourseModule.id, Lesson.position, Lesson.id)))
