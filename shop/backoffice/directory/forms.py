"""The directory room's form: a decision on a listing, with the reason the owner is told."""

from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from shop.core.forms import FREE_TEXT, choices

DECISIONS = (("approve", "Approve: show it in the directory"), ("hide", "Hide it for now"),
             ("reject", "Reject it"))


class ReviewForm(FlaskForm):
    decision = RadioField("Decision", choices=choices(DECISIONS), validators=[InputRequired("Choose a decision.")])
    reason = TextAreaField("Reason (e-mailed to the owner; needed to hide or reject)", filters=FREE_TEXT,
                           validators=[Length(max=1000)])
    submit = SubmitField("Save the decision")
