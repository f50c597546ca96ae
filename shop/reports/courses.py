"""Reports on courses for staff: every course at a glance, a course's evaluations (and their CSV), and a
learner's record (courses with where they came from, progress, attempts, certificates).

Each reads in a fixed number of queries (grouped counts), whatever the number of courses or learners.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select

from shop.accounts.models import User
from shop.catalogue.models import KIND_COURSE, Product
from shop.core.spreadsheet import csv_text
from shop.courses import certificates, progress
from shop.courses.evaluations import RATINGS
from shop.courses.models import (
    Approval,
    Certificate,
    CourseAccess,
    CourseEvaluation,
    CourseModule,
    Exam,
    ExamAllowance,
    ExamAttempt,
    ExamQuestion,
    Lesson,
)
from shop.extensions import db
from shop.orders.models import Order


@dataclass
class CourseRow:
    product: Product
    lessons: int = 0
    questions: int = 0
    approvals: int = 0
    next_expiry: date | None = None
    learners: int = 0
    evaluations: int = 0
    rating: float | None = None  # the average of every rating of every evaluation


def _grouped(statement: Any) -> dict[int, Any]:
    return {row[0]: row[1:] for row in db.session.execute(statement)}


def _pairs(statement: Any) -> dict[Any, Any]:
    return {key: value for key, value in db.session.execute(statement).all()}


def courses() -> list[Product]:
    return list(db.session.scalars(select(Product).where(Product.kind == KIND_COURSE)
                                   .order_by(Product.is_active.desc(), Product.title, Product.id)))


def overview(today: date) -> list[CourseRow]:
    rows = [CourseRow(product=product) for product in courses()]
    lessons = _grouped(select(CourseModule.product_id, func.count(Lesson.id)).join(Lesson)
                       .group_by(CourseModule.product_id))
    questions = _grouped(select(Exam.product_id, func.count(ExamQuestion.id)).join(ExamQuestion)
                         .group_by(Exam.product_id))
    approvals = _grouped(select(Approval.product_id, func.count(Approval.id),
                                func.min(db.case((Approval.expires_on >= today, Approval.expires_on))))
                         .group_by(Approval.product_id))
    learners = _grouped(select(CourseAccess.product_id, func.count(CourseAccess.id))
                        .group_by(CourseAccess.product_id))
    ratings = _grouped(select(CourseEvaluation.product_id, func.count(CourseEvaluation.id),
                              func.avg(CourseEvaluation.objectives_met + CourseEvaluation.content_quality
                                       + CourseEvaluation.usefulness))
                       .group_by(CourseEvaluation.product_id))
    for row in rows:
        pid = row.product.id
        row.lessons = lessons.get(pid, (0,))[0]
        row.questions = questions.get(pid, (0,))[0]
        row.approvals, row.next_expiry = approvals.get(pid, (0, None))
        row.learners = learners.get(pid, (0,))[0]
        row.evaluations, total = ratings.get(pid, (0, None))
        row.rating = round(float(total) / len(RATINGS), 1) if total is not None else None
    return rows


@dataclass
class EvaluationSummary:
    count: int
    averages: list[tuple[str, float | None]]  # (statement, average 1-5)
    recommend_percent: int | None
    rows: list[CourseEvaluation]

    @property
    def comments(self) -> list[CourseEvaluation]:
        return [row for row in self.rows if row.comment]


def evaluations(product: Product) -> EvaluationSummary:
    rows = list(db.session.scalars(select(CourseEvaluation).where(CourseEvaluation.product_id == product.id)
                                   .order_by(CourseEvaluation.created_at.desc(), CourseEvaluation.id.desc())))
    count = len(rows)
    averages = [(label, round(sum(getattr(r, name) for r in rows) / count, 2) if count else None)
                for name, label in RATINGS]
    recommend = round(100 * sum(1 for r in rows if r.would_recommend) / count) if count else None
    return EvaluationSummary(count=count, averages=averages, recommend_percent=recommend, rows=rows)


def evaluations_csv(summary: EvaluationSummary) -> str:
    """One line per evaluation (no names: the approvals need the answers, not who gave them)."""
    return csv_text(["date", *(name for name, _label in RATINGS), "would_recommend", "comment"], (
        [f"{row.created_at:%Y-%m-%d}", *(getattr(row, name) for name, _label in RATINGS),
         "yes" if row.would_recommend else "no", row.comment.replace("\r", " ").replace("\n", " ")]
        for row in reversed(summary.rows)))


@dataclass
class LearnerCourse:
    access: CourseAccess  # access.user_id None: bought as a guest with the address, not joined to the account
    order_number: str | None
    granted_by: str | None
    progress: Any
    attempts: list[ExamAttempt] = field(default_factory=list)
    allowed: int | None = None  # attempts allowed (the exam's limit plus extra ones), None without an exam


@dataclass
class LearnerRecord:
    user: User
    courses: list[LearnerCourse]
    certificates: list[Certificate]

    @property
    def course_ids(self) -> set[int]:
        """The courses the customer can open (joined to the account); staff may grant the others."""
        return {c.access.product_id for c in self.courses if c.access.user_id == self.user.id}


def learner(user: User) -> LearnerRecord:
    accesses = list(db.session.scalars(
        select(CourseAccess).where(or_(CourseAccess.user_id == user.id, CourseAccess.email == user.email.lower()))
        .order_by(CourseAccess.granted_at.desc(), CourseAccess.id.desc())).unique())
    ids = {a.product_id for a in accesses}
    order_ids = {a.order_id for a in accesses if a.order_id}
    numbers = _pairs(select(Order.id, Order.number).where(Order.id.in_(order_ids))) if order_ids else {}
    staff_ids = {a.granted_by_id for a in accesses if a.granted_by_id}
    staff = _pairs(select(User.id, User.email).where(User.id.in_(staff_ids))) if staff_ids else {}
    done = progress.progress_for(user.id, ids)
    attempts: dict[int, list[ExamAttempt]] = {}
    for attempt in db.session.scalars(select(ExamAttempt).where(
            ExamAttempt.user_id == user.id, ExamAttempt.submitted_at.is_not(None)).order_by(ExamAttempt.number)):
        attempts.setdefault(attempt.product_id, []).append(attempt)
    limits = _pairs(select(Exam.product_id, Exam.max_attempts).where(Exam.product_id.in_(ids))) if ids else {}
    extra = _pairs(select(ExamAllowance.product_id, ExamAllowance.extra_attempts)
                   .where(ExamAllowance.user_id == user.id))
    rows = [LearnerCourse(access=a, order_number=numbers.get(a.order_id), granted_by=staff.get(a.granted_by_id),
                          progress=done.get(a.product_id), attempts=attempts.get(a.product_id, []),
                          allowed=limits[a.product_id] + extra.get(a.product_id, 0) if a.product_id in limits
                          else None)
            for a in accesses]
    return LearnerRecord(user=user, courses=rows, certificates=certificates.for_user(user))


@dataclass(frozen=True)
class Waiting:
    """A customer who passed a course's exam and holds no certificate for it (no approval covered the day)."""

    user: User
    product: Product
    attempt: ExamAttempt


def waiting_for_certificates(limit: int = 50) -> list[Waiting]:
    """Passes with no certificate, oldest first: staff issue them once an approval covers the pass date."""
    first_pass = (select(ExamAttempt.user_id, ExamAttempt.product_id, func.min(ExamAttempt.id).label("attempt_id"))
                  .where(ExamAttempt.passed.is_(True)).group_by(ExamAttempt.user_id, ExamAttempt.product_id)
                  .subquery())
    has_certificate = select(Certificate.id).where(Certificate.user_id == first_pass.c.user_id,
                                                   Certificate.product_id == first_pass.c.product_id).exists()
    rows = db.session.execute(
        select(User, Product, ExamAttempt)
        .join(first_pass, first_pass.c.user_id == User.id)
        .join(Product, Product.id == first_pass.c.product_id)
        .join(ExamAttempt, ExamAttempt.id == first_pass.c.attempt_id)
        .where(~has_certificate).order_by(ExamAttempt.submitted_at).limit(limit)).all()
    return [Waiting(user=user, product=product, attempt=attempt) for user, product, attempt in rows]
