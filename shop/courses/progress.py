"""How far a customer is through their courses: lessons completed, where to resume, the exam's state.

`progress_for(user, product_ids)` reads every course at once in a fixed number of queries, whatever the
number of courses and lessons, so "My courses" and the lesson page stay cheap.
"""

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from shop.core.timeutil import utcnow
from shop.courses.models import CourseModule, ExamAttempt, Lesson, LessonProgress
from shop.extensions import db


@dataclass
class CourseProgress:
    total: int = 0
    done: int = 0
    done_ids: set[int] = field(default_factory=set)
    first_unfinished_id: int | None = None
    exam_passed: bool = False
    best_score: int | None = None

    @property
    def all_done(self) -> bool:
        return self.total > 0 and self.done >= self.total

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def started(self) -> bool:
        return self.done > 0


def progress_for(user_id: int, product_ids: set[int] | list[int]) -> dict[int, CourseProgress]:
    """{course id: CourseProgress} in three queries for any number of courses."""
    ids = set(product_ids)
    result = {product_id: CourseProgress() for product_id in ids}
    if not ids:
        return result
    lessons = db.session.execute(
        select(Lesson.id, CourseModule.product_id).join(CourseModule)
        .where(CourseModule.product_id.in_(ids))
        .order_by(CourseModule.product_id, CourseModule.position, CourseModule.id, Lesson.position, Lesson.id)
    ).all()
    done = set(db.session.scalars(
        select(LessonProgress.lesson_id).join(Lesson).join(CourseModule)
        .where(LessonProgress.user_id == user_id, CourseModule.product_id.in_(ids))))
    for lesson_id, product_id in lessons:
        entry = result[product_id]
        entry.total += 1
        if lesson_id in done:
            entry.done += 1
            entry.done_ids.add(lesson_id)
        elif entry.first_unfinished_id is None:
            entry.first_unfinished_id = lesson_id
    scores = db.session.execute(
        select(ExamAttempt.product_id, func.max(ExamAttempt.score_percent),
               func.max(db.case((ExamAttempt.passed, 1), else_=0)))
        .where(ExamAttempt.user_id == user_id, ExamAttempt.product_id.in_(ids),
               ExamAttempt.submitted_at.is_not(None))
        .group_by(ExamAttempt.product_id)).all()
    for product_id, best, passed in scores:
        result[product_id].best_score = best
        result[product_id].exam_passed = bool(passed)
    return result


def course_progress(user_id: int, product_id: int) -> CourseProgress:
    return progress_for(user_id, {product_id})[product_id]


def mark_complete(user_id: int, lesson_id: int) -> bool:
    """Record the lesson as done (once, however often it is marked); True if it was new. Commits."""
    table = LessonProgress.__table__
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(table).values(user_id=user_id, lesson_id=lesson_id, completed_at=utcnow())
    result = db.session.execute(statement.on_conflict_do_nothing(index_elements=["user_id", "lesson_id"]))
    db.session.commit()
    return bool(result.rowcount)


def mark_incomplete(user_id: int, lesson_id: int) -> None:
    """The customer wants to read it again as not done. Commits."""
    db.session.execute(db.delete(LessonProgress).where(LessonProgress.user_id == user_id,
                                                       LessonProgress.lesson_id == lesson_id))
    db.session.commit()
