"""Back-office forms (catalogue, stock, users, settings, shipping). Each carries a CSRF token and labels.

Forms check the shape of what was typed (numbers, lengths, a dollar amount); the services in
catalogue_admin, stock_admin and users_admin check the rules (unique SKU, a combo's parts, stock
never below zero, the last admin kept).
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
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from shop.accounts.models import ROLES
from shop.catalogue.models import COURSE_FORMAT_LABELS, MOVEMENT_CORRECTION, MOVEMENT_DAMAGED, MOVEMENT_RECEIVED
from shop.money import MoneyError, parse_money
from shop.shipping.models import REGIONS

BILLING_INTERVALS = (("month", "Monthly"), ("year", "Yearly"))
STOCK_REASONS = (
    (MOVEMENT_RECEIVED, "Received (adds copies)"),
    (MOVEMENT_DAMAGED, "Damaged or lost (removes copies)"),
    (MOVEMENT_CORRECTION, "Correction after a count (add or remove)"),
)
REGION_LABELS = {"domestic": "United States", "canada": "Canada", "international": "International"}
ROLE_LABELS = {"customer": "Customer", "staff": "Staff (phone orders, fulfilment)",
               "marketing": "Marketing (catalogue, promotions)", "admin": "Admin (everything)"}


def choices(pairs):
    """[(value, label)] -> SelectChoice objects (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def dollars(message="Enter an amount in dollars and cents, like 19.95."):
    """Validator: the field's text, when there is one, is a dollar amount (shop.money.parse_money)."""

    def check(form, field):
        if field.data in (None, ""):
            return
        try:
            parse_money(field.data)
        except MoneyError:
            raise ValidationError(message) from None

    return check


class DollarField(StringField):
    """A dollar amount typed as text; `cents` is its value in cents (None when empty or not an amount)."""

    @property
    def cents(self):
        try:
            return parse_money(self.data) if self.data not in (None, "") else None
        except MoneyError:
            return None


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ComponentRow(Form):
    """One part of a combo: a product and how many (no CSRF of its own: it lives inside ProductForm)."""

    product_id = SelectField("Product", coerce=int, default=0, validate_choice=False)
    quantity = IntegerField("Quantity", default=1, validators=[Optional(), NumberRange(1, 99, "From 1 to 99.")])


class ProductForm(FlaskForm):
    title = StringField("Title", filters=[_strip], validators=[DataRequired("Enter a title."), Length(max=200)])
    subtitle = StringField("Subtitle (optional)", filters=[_strip], validators=[Optional(), Length(max=200)])
    sku = StringField("SKU", filters=[_strip], description="Letters, digits and dashes, unique in the shop.",
                      validators=[DataRequired("Enter a SKU."), Length(max=40)])
    slug = StringField("Web address name (optional)", filters=[_strip],
                       description="Made from the title when left empty, e.g. myofascial-release.",
                       validators=[Optional(), Length(max=160)])
    author = StringField("Author or instructor (optional)", filters=[_strip], validators=[Optional(), Length(max=200)])
    summary = TextAreaField("Summary (shown on cards)", filters=[_strip], validators=[Optional(), Length(max=400)])
    description_md = TextAreaField("Description (Markdown)", validators=[Optional(), Length(max=50_000)],
                                   description="**bold**, *italic*, - lists, ## headings, [links](https://…).")
    price = DollarField("Price (US dollars)", filters=[_strip],
                        validators=[InputRequired("Enter the price, like 49.95."), dollars()])
    position = IntegerField("Position in lists", default=0, validators=[Optional(), NumberRange(-9999, 9999)],
                            description="Smaller numbers come first.")
    is_featured = BooleanField("Featured on the home page")
    is_active = BooleanField("On sale (untick to retire it)", default=True)
    categories = MultiCheckboxField("Categories", coerce=int, validate_choice=False)
    # books (and courses with a printed kit: weight)
    isbn = StringField("ISBN (optional)", filters=[_strip], validators=[Optional(), Length(max=20)])
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
    name = StringField("Name", filters=[_strip], validators=[DataRequired("Enter a name."), Length(max=120)])
    slug = StringField("Web address name (optional)", filters=[_strip], validators=[Optional(), Length(max=80)],
                       description="Made from the name when left empty.")
    description = TextAreaField("Description (optional)", filters=[_strip], validators=[Optional(), Length(max=2000)])
    position = IntegerField("Position", default=0, validators=[Optional(), NumberRange(-9999, 9999)])
    submit = SubmitField("Save category")


class ImageForm(FlaskForm):
    image = FileField("Image file (JPEG, PNG or WebP, up to 5 MB)")
    alt_text = StringField("Alternative text", filters=[_strip],
                           description="What the image shows, for people who cannot see it.",
                           validators=[DataRequired("Describe the image for people who cannot see it."),
                                       Length(max=300)])
    submit = SubmitField("Upload image")


class StockForm(FlaskForm):
    reason = SelectField("Reason", choices=choices(STOCK_REASONS))
    quantity = IntegerField("Copies", description="For a correction, a negative number removes copies.",
                            validators=[InputRequired("Enter how many copies."),
                                        NumberRange(-100_000, 100_000, "Enter a number of copies.")])
    note = StringField("Note (optional)", filters=[_strip], validators=[Optional(), Length(max=500)])
    submit = SubmitField("Record movement")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=choices((r, ROLE_LABELS[r]) for r in ROLES))
    submit = SubmitField("Change role")


class ConfirmForm(FlaskForm):
    """A button and a CSRF token (retire, restore, deactivate, remove an image...)."""

    submit = SubmitField("Confirm")


class SettingsForm(FlaskForm):
    staff_refund_limit = DollarField("Largest refund staff may give (US dollars)", filters=[_strip],
                                     description="Refunds above this need an admin.",
                                     validators=[InputRequired("Enter an amount, like 100.00."), dollars()])
    low_stock_threshold = IntegerField("Default low-stock threshold (copies)",
                                       description="Books at or below this are flagged to reorder, "
                                                   "unless the book has its own threshold.",
                                       validators=[InputRequired("Enter a number of copies."),
                                                   NumberRange(0, 100_000, "From 0 to 100000.")])
    submit = SubmitField("Save settings")


class ShippingMethodForm(FlaskForm):
    code = StringField("Code", filters=[_strip], description="Lower-case letters, digits and dashes; fixed once saved.",
                       validators=[Optional(), Length(max=40)])
    name = StringField("Name", filters=[_strip], validators=[DataRequired("Enter a name."), Length(max=120)])
    region = SelectField("Region", choices=choices((r, REGION_LABELS[r]) for r in REGIONS))
    price = DollarField("Price (US dollars)", filters=[_strip],
                        validators=[InputRequired("Enter the price, like 5.95."), dollars()])
    free_over = DollarField("Free for orders over (US dollars, optional)", filters=[_strip],
                            validators=[Optional(), dollars()])
    delivery_estimate = StringField("Delivery estimate", filters=[_strip], validators=[Optional(), Length(max=120)],
                                    description="e.g. 5–8 business days")
    position = IntegerField("Position", default=0, validators=[Optional(), NumberRange(-9999, 9999)])
    is_active = BooleanField("Offered at checkout", default=True)
    submit = SubmitField("Save shipping method")
