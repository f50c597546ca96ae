"""The courses room's forms: a module, a lesson, a file, the exam and a question, an approval, a learner's
grant, a certificate's revocation, the CE Broker range and the certificate signature.

Forms check the shape of what was typed; shop.courses.authoring, course_files, approvals, access and
certificates judge the rules (exactly one right answer, a YouTube or Vimeo address, a file's type).
"""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from shop.core.forms import FREE_TEXT, TEXT, choices
from shop.courses.course_files import LIMIT_TEXT
from shop.courses.models import PURPOSE_IMAGE, PURPOSE_MATERIAL, PURPOSE_VIDEO

OPTION_SLOTS = 6
PURPOSE_LABELS = ((PURPOSE_MATERIAL, f"A handout or chart to download (PDF, PNG or JPEG, {LIMIT_TEXT['material']})"),
                  (PURPOSE_VIDEO, f"The lesson's video (MP4 or WebM, {LIMIT_TEXT['video']})"),
                  (PURPOSE_IMAGE, f"An image for the lesson's text (PNG, JPEG or WebP, {LIMIT_TEXT['image']})"))


class ModuleForm(FlaskForm):
    title = StringField("Module title", filters=TEXT, validators=[DataRequired("Enter the module's title."),
                                                                  Length(max=200)])
    submit = SubmitField("Add module")


class LessonTitleForm(FlaskForm):
    title = StringField("Lesson title", filters=TEXT, validators=[DataRequired("Enter the lesson's title."),
                                                                  Length(max=200)])
    submit = SubmitField("Add lesson")


class LessonForm(FlaskForm):
    title = StringField("Title", filters=TEXT, validators=[DataRequired("Enter the lesson's title."),
                                                           Length(max=200)])
    body_md = TextAreaField("Lesson text (Markdown)", validators=[Optional(), Length(max=100_000)],
                            description="**bold**, *italic*, - lists, ## headings, [links](https://…); an image "
                                        "of this course: ![what it shows](file:ID) with the file's number.")
    minutes = IntegerField("Minutes to study (optional)", validators=[Optional(), NumberRange(1, 1000)])
    video_url = StringField("Video from YouTube or Vimeo (optional)", filters=TEXT,
                            description="The video page's address, like https://www.youtube.com/watch?v=…; "
                                        "or upload a video file with this lesson's files.",
                            validators=[Optional(), Length(max=300)])
    submit = SubmitField("Save lesson")
    preview = SubmitField("Preview")


class FileForm(FlaskForm):
    upload = FileField("File")
    title = StringField("Title shown to learners (optional)", filters=TEXT, validators=[Optional(), Length(max=200)])
    purpose = SelectField("What is it?", choices=choices(PURPOSE_LABELS), default=PURPOSE_MATERIAL)
    submit = SubmitField("Upload file")


class ExamSettingsForm(FlaskForm):
    pass_percent = IntegerField("Pass mark (%)", default=70,
                                validators=[InputRequired("Enter the pass mark."),
                                            NumberRange(1, 100, "The pass mark is from 1 to 100%%.")])
    max_attempts = IntegerField("Attempts allowed", default=3,
                                validators=[InputRequired("Enter how many attempts are allowed."),
                                            NumberRange(1, 100, "Allow from 1 to 100 attempts.")])
    requires_all_lessons = BooleanField("The exam opens only once every lesson is complete", default=True)
    submit = SubmitField("Save exam settings")


class QuestionForm(FlaskForm):
    prompt = TextAreaField("Question", filters=FREE_TEXT, validators=[DataRequired("Write the question."),
                                                                 Length(max=2000)])
    lesson_id = SelectField("Lesson to review when it is answered wrongly", coerce=int, default=0)
    correct = SelectField("Right answer", coerce=str, default="")
    submit = SubmitField("Save question")


for _slot in range(1, OPTION_SLOTS + 1):
    setattr(QuestionForm, f"option_{_slot}", StringField(f"Answer {_slot}", filters=TEXT,
                                                         validators=[Optional(), Length(max=500)]))


class ApprovalForm(FlaskForm):
    body = StringField("Approving body", filters=TEXT, description="NCBTMB, or a state board's name.",
                       validators=[Optional(), Length(max=120)])
    state = StringField("State (two letters; empty for a national approval)", filters=TEXT,
                        validators=[Optional(), Length(max=2)])
    approved_title = StringField("Approved course title", filters=TEXT, validators=[Optional(), Length(max=200)],
                                 description="Exactly as approved: the certificate prints this.")
    ce_hours = StringField("Approved CE hours", filters=TEXT, validators=[Optional(), Length(max=10)])
    course_type = StringField("Course type", filters=TEXT, default="Home study",
                              validators=[Optional(), Length(max=40)])
    provider_name = StringField("Provider name", filters=FREE_TEXT, validators=[Optional(), Length(max=200)])
    provider_number = StringField("Provider number", filters=TEXT, validators=[Optional(), Length(max=60)])
    provider_contact = StringField("Provider address or e-mail", filters=TEXT,
                                   validators=[Optional(), Length(max=300)])
    starts_on = DateField("Approval start", validators=[Optional()])
    expires_on = DateField("Approval expiry", validators=[Optional()])
    cebroker_tracking_number = StringField("CE Broker course tracking number (Florida)", filters=TEXT,
                                           validators=[Optional(), Length(max=40)])
    body_statement = TextAreaField("Approving body's statement (printed on the certificate)", filters=FREE_TEXT,
                                   validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Save approval")


class GrantForm(FlaskForm):
    product_id = SelectField("Course", coerce=int, default=0)
    note = StringField("Note (why, e.g. “phone order paid by check”)", filters=FREE_TEXT,
                       validators=[Optional(), Length(max=300)])
    submit = SubmitField("Grant the course")


class ReasonForm(FlaskForm):
    reason = StringField("Reason", filters=FREE_TEXT, validators=[Optional(), Length(max=500)])
    submit = SubmitField("Revoke")


class CeBrokerForm(FlaskForm):
    start = DateField("From", validators=[InputRequired("Choose the first day.")])
    end = DateField("To", validators=[InputRequired("Choose the last day.")])
    include_reported = BooleanField("Include completions already reported")
    submit = SubmitField("Download CSV for CE Broker")


class SignatureForm(FlaskForm):
    image = FileField("Signature image (PNG or JPEG, up to 2 MB)")
    signatory_name = StringField("Name of the person who signs", filters=FREE_TEXT,
                                 validators=[DataRequired("Give the name of the person who signs."),
                                             Length(max=120)])
    signatory_title = StringField("Their title (optional)", filters=TEXT, validators=[Optional(), Length(max=120)])
    submit = SubmitField("Save signature")
