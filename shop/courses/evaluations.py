"""The short course evaluation a customer gives after passing, kept for the course's approvals."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shop.core.errors import Refusal
from shop.courses.models import CourseEvaluation
from shop.extensions import db

RATINGS = (
    ("objectives_met", "The course met its stated learning objectives"),
    ("content_quality", "The content was clear, accurate and well organised"),
    ("usefulness", "I can use what I learned in my practice"),
)
SCALE = ((5, "Strongly agree"), (4, "Agree"), (3, "Neutral"), (2, "Disagree"), (1, "Strongly disagree"))


class EvaluationRefused(Refusal):
    pass


def of(user_id: int, product_id: int) -> CourseEvaluation | None:
    return db.session.scalar(select(CourseEvaluation).where(CourseEvaluation.user_id == user_id,
                                                            CourseEvaluation.product_id == product_id))


def save(user_id: int, product_id: int, *, ratings: dict[str, int], would_recommend: bool,
         comment: str) -> CourseEvaluation:
    """Keep the evaluation (once per customer and course). Commits."""
    if of(user_id, product_id) is not None:
        raise EvaluationRefused("You have already sent your evaluation of this course. Thank you.", status=409)
    values = {}
    for name, _label in RATINGS:
        value = ratings.get(name)
        if value not in (1, 2, 3, 4, 5):
            raise EvaluationRefused("Choose a rating from 1 to 5 for each statement.", field=name, status=422)
        values[name] = value
    row = CourseEvaluation(user_id=user_id, product_id=product_id, would_recommend=would_recommend,
                           comment=(comment or "").strip()[:4000], **values)
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise EvaluationRefused("You have already sent your evaluation of this course. Thank you.",
                                status=409) from None
    return row
