"""The forms a customer fills in while taking a course (the exam's answers are read by shop.courses.exams)."""

from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from shop.core.forms import FREE_TEXT, choices
from shop.courses.evaluations import SCALE

_SCALE = choices((str(value), label) for value, label in SCALE)
_ANSWER = "Choose one answer for this statement."


class EvaluationForm(FlaskForm):
    objectives_met = RadioField("The course met its stated learning objectives", choices=_SCALE,
                                validators=[InputRequired(_ANSWER)])
    content_quality = RadioField("The content was clear, accurate and well organised", choices=_SCALE,
                                 validators=[InputRequired(_ANSWER)])
    usefulness = RadioField("I can use what I learned in my practice", choices=_SCALE,
                            validators=[InputRequired(_ANSWER)])
    would_recommend = RadioField("Would you recommend this course to a colleague?",
                                 choices=choices([("yes", "Yes"), ("no", "No")]), validators=[InputRequired(_ANSWER)])
    comment = TextAreaField("Anything else you would like to tell us (optional)", filters=FREE_TEXT,
                            validators=[Length(max=4000)])
