"""The catalogue room's forms: a product of any kind (with a combo's parts), a category, an image.

Forms check the shape of what was typed (numbers, lengths, a dollar amount); shop.catalogue.admin checks
the rules (unique SKU, a combo's parts).
"""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from shop.catalogue.models import COURSE_FORMAT_LABELS
from shop.core.forms import FREE_TEXT, TEXT, MoneyField, MultiCheckboxField, choices

BILLING_INTERVALS = (("month", "Monthly"), ("year", "Yearly"))


class ComponentRow(Form):
    """One part of a combo: a product and how many (no CSRF of its own: it lives inside ProductForm)."""

    product_id = SelectField("Product", coerce=int, default=0, validate_choice=False)
    quantity = IntegerField("Quantity", default=1, validators=[Optional(), NumberRange(1, 99, "From 1 to 99.")])


class ProductForm(FlaskForm):
    title = StringField("Title", filters=TEXT, validators=[DataRequired("Enter a title."), Length(max=200)])
    subtitle = StringField("Subtitle (optional)", filters=TEXT, validators=[Optional(), Length(max=200)])
    sku = StringField("SKU", filters=TEXT, description="Letters, digits and dashes, unique in the shop.",
                      validators=[DataRequired("Enter a SKU."), Length(max=40)])
    slug = StringField("Web address name (optional)", filters=TEXT,
                       description="Made from the title when left empty, e.g. myofascial-release.",
                       validators=[Optional(), Length(max=160)])
    author = StringField("Author or instructor (optional)", filters=TEXT, validators=[Optional(), Length(max=200)])
    summary = TextAreaField("Summary (shown on cards)", filters=FREE_TEXT, validators=[Optional(), Length(max=400)])
    description_md = TextAreaField("Description (Markdown)", validators=[Optional(), Length(max=50_000)],
                                   description="**bold**, *italic*, - lists, ## headings, [links](https://…).")
    price = MoneyField("Price (US dollars)", filters=TEXT, validators=[InputRequired("Enter the price, like 49.95.")])
    position = IntegerField("Position in lists", default=0, validators=[Optional(), NumberRange(-9999, 9999)],
                            description="Smaller numbers come first.")
    is_featured = BooleanField("Featured on the home page")
    is_active = BooleanField("On sale (untick to retire it)", default=True)
    categories = MultiCheckboxField("Categories", coerce=int, validate_choice=False)
    # books (and courses with a printed kit: weight)
    isbn = StringField("ISBN (optional)", filters=TEXT, validators=[Optional(), Length(max=20)])
    page_count = IntegerField("Pages (optional)", validators=[Optional(), NumberRange(1, 10_000)])
    weight_grams = IntegerField("Shipping weight (grams)", default=0, validators=[Optional(), NumberRange(0, 50_000)])
    low_stock_threshold = IntegerField("Low-stock threshold (optional)",
                                       validators=[Optional(), NumberRange(0, 100_000)],
                                       description="Empty: the shop's default from Settings.")
    opening_stock = IntegerField("Copies in stock now", default=0, validators=[Optional(), NumberRange(0, 100_000)])
    # courses
    ce_hours = DecimalField("CE hours", places=2, validators=[Optional(), NumberRange(0, 999)])
    course_format = SelectField("Format", choices=choices(COURSE_FORMAT_LABELS.items()))
    lesson_count = IntegerField("Lessons", validators=[Optional(), NumberRange(1, 1000)])
    # membership
    billing_interval = SelectField("Billing interval", choices=choices(BILLING_INTERVALS))
    # combos
    components = FieldList(FormField(ComponentRow), min_entries=0, max_entries=40)
    submit = SubmitField("Save product")
    preview = SubmitField("Preview")


class CategoryForm(FlaskForm):
    name = StringField("Name", filters=FREE_TEXT, validators=[DataRequired("Enter a name."), Length(max=120)])
    slug = StringField("Web address name (optional)", filters=TEXT, validators=[Optional(), Length(max=80)],
                       description="Made from the name when left empty.")
    description = TextAreaField("Description (optional)", filters=FREE_TEXT, validators=[Optional(), Length(max=2000)])
    position = IntegerField("Position", default=0, validators=[Optional(), NumberRange(-9999, 9999)])
    submit = SubmitField("Save category")


class ImageForm(FlaskForm):
    image = FileField("Image file (JPEG, PNG or WebP, up to 5 MB)")
    alt_text = StringField("Alternative text", filters=TEXT,
                           description="What the image shows, for people who cannot see it.",
                           validators=[DataRequired("Describe the image for people who cannot see it."),
                                       Length(max=300)])
    submit = SubmitField("Upload image")
