"""The articles room's forms: the article itself, publishing (now or at a time), and its images."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from shop.backoffice.marketing.forms import LocalDateTimeField
from shop.content.articles import ArticleInput
from shop.core.forms import FREE_TEXT, TEXT, MultiCheckboxField, choices
from shop.core.text import is_whole_number


def _ids(values):
    return tuple(int(v) for v in values or () if is_whole_number(str(v)) and len(str(v)) < 10)


class ArticleForm(FlaskForm):
    title = StringField("Title", filters=FREE_TEXT, validators=[InputRequired("Give the article a title."),
                                                                Length(max=200)])
    slug = StringField("Web address", filters=TEXT, validators=[Optional(), Length(max=160)])
    summary = TextAreaField("Summary", filters=FREE_TEXT, validators=[Optional(), Length(max=500)])
    author_name = StringField("Author", filters=FREE_TEXT, validators=[Optional(), Length(max=120)])
    body_md = TextAreaField("Text (Markdown)", filters=FREE_TEXT, validators=[Optional(), Length(max=100_000)])
    category_ids = MultiCheckboxField("Categories", coerce=str, validate_choice=False)
    product_ids = MultiCheckboxField("Products it discusses", coerce=str, validate_choice=False)
    version = HiddenField()
    submit = SubmitField("Save")

    def set_choices(self, categories, products):
        self.category_ids.choices = choices((str(c.id), c.name) for c in categories)
        self.product_ids.choices = choices((str(p.id), f"{p.title} ({p.kind_label})") for p in products)

    def posted_version(self):
        raw = (self.version.raw_data or [""])[0]  # as posted: never the version loaded just now
        return int(raw) if is_whole_number(raw) and len(raw) < 10 else -1

    def to_input(self) -> ArticleInput:
        return ArticleInput(title=self.title.data or "", slug=self.slug.data or "", summary=self.summary.data or "",
                            body_md=self.body_md.data or "", author_name=self.author_name.data or "",
                            category_ids=_ids(self.category_ids.data), product_ids=_ids(self.product_ids.data))


class PublishForm(FlaskForm):
    publish_local = LocalDateTimeField("Publish at (leave empty for now)", validators=[Optional()])
    submit = SubmitField("Publish")


class ImageForm(FlaskForm):
    image = FileField("Image (JPEG, PNG or WebP, up to 5 MB)")
    alt_text = StringField("Describe the image", filters=FREE_TEXT,
                           validators=[InputRequired("Describe the image for people who cannot see it."),
                                       Length(max=300)])
    submit = SubmitField("Upload")
