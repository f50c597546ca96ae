"""Marketing's forms: the promotion editor, code batches and the preview. Fields parse; services judge."""

from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from shop.catalogue.models import KIND_PLURALS
from shop.core.forms import FREE_TEXT, TEXT, EmailAddress, MoneyField, MultiCheckboxField
from shop.core.forms import choices as _choices
from shop.core.timeutil import to_local
from shop.pricing import promotions as pricing
from shop.promotions.models import ROLE_BUNDLE, ROLE_EXCLUDE, ROLE_TARGET
from shop.promotions.validation import PromotionInput

BENEFIT_CHOICES = [
    (pricing.PERCENT_OFF, "Percent off"),
    (pricing.AMOUNT_OFF, "Amount off"),
    (pricing.FIXED_PRICE, "Fixed price for a set of products"),
    (pricing.BUY_X_GET_Y, "Buy X, get Y free or discounted"),
    (pricing.FREE_SHIPPING, "Free shipping"),
]
KIND_CHOICES = list(KIND_PLURALS.items())
BLANK = ("", "Choose a product")
BUNDLE_ROWS = 4
PREVIEW_ROWS = 4
MAX_ROWS = 20


def _blank_or_int(value):
    if value in ("", None):
        return None
    return int(value)


class PercentField(StringField):
    """A percentage typed as text ("15", "12.5%"); data is basis points (1500) or None when empty."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip().rstrip("%").strip()
        self.data = None
        if text:
            try:
                value = Decimal(text) * 100
            except InvalidOperation:
                raise ValueError("Enter a percentage like 15 or 12.5.") from None
            if not value.is_finite() or value != value.to_integral_value() or abs(value) > 10**6:
                raise ValueError("Enter a percentage like 15 or 12.5 (at most two decimals).")
            self.data = int(value)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{self.data / 100:.2f}".rstrip("0").rstrip(".")


class WholeNumberField(IntegerField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Enter a whole number, like 3.") from None


class LocalDateTimeField(DateTimeLocalField):
    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
                         **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Enter a date and time, like 2026-03-01 09:00.") from None
        if self.data is not None and not 2000 <= self.data.year <= 2200:
            self.data = None
            raise ValueError("Enter a date between the years 2000 and 2200.")


def _bounded(low, high, what):
    return [Optional(), NumberRange(low, high, message=f"{what} is a whole number from {low} to {high:,}.")]


class BundleRow(Form):
    product_id = SelectField("Product", coerce=_blank_or_int, validate_choice=True)
    quantity = WholeNumberField("Quantity", default=1, validators=_bounded(1, 99, "Quantity"))


def _split(text, strip_at=False):
    parts = (text or "").replace(",", "\n").replace(";", "\n").split()
    return [(p.lstrip("@") if strip_at else p).strip().lower() for p in parts if p.strip()]


class PromotionForm(FlaskForm):
    name = StringField("Name (shown to customers and on the order)", filters=FREE_TEXT,
                       validators=[InputRequired(message="Give the promotion a name."), Length(max=120)])
    public_description = TextAreaField("Public description", filters=FREE_TEXT, validators=[Length(max=2000)])
    starts_local = LocalDateTimeField("Starts", validators=[Optional()])
    ends_local = LocalDateTimeField("Ends", validators=[Optional()])
    channels = RadioField("Channels", default="both", choices=_choices(
        [("both", "Web and phone orders"), ("web", "Web only"), ("phone", "Phone orders only")]))
    unlock = RadioField("How customers get it", default="automatic", choices=_choices(
        [("automatic", "Automatic: applies by itself"), ("code", "Unlocked by a code")]))
    code = StringField("Shared code (optional; or generate single-use codes later)", filters=TEXT,
                       validators=[Length(max=40)])
    is_public = BooleanField("List it on the Special offers page", default=True)
    stacking = RadioField("With other offers", default="combinable", choices=_choices(
        [("combinable", "Combinable with other offers"), ("exclusive", "Exclusive: never with another offer")]))
    priority = WholeNumberField("Priority (higher is tried first)", default=0,
                                validators=[Optional(), NumberRange(-1000, 1000, message="Priority is a whole "
                                                                    "number from -1000 to 1000.")])
    benefit_kind = RadioField("What it gives", choices=_choices(BENEFIT_CHOICES), default=pricing.PERCENT_OFF)
    percent = PercentField("Percentage (%)")
    amount_off = MoneyField("Amount ($)")
    fixed_price = MoneyField("Price of one set ($)")
    bundle = FieldList(FormField(BundleRow), min_entries=BUNDLE_ROWS, max_entries=MAX_ROWS)
    buy_quantity = WholeNumberField("Buy (items)", validators=_bounded(1, 99, "Buy"))
    get_quantity = WholeNumberField("Get (items)", validators=_bounded(1, 99, "Get"))
    get_discount = PercentField("Discount on the items they get (%; 100 = free)", default=10000)
    applies_to = RadioField("Applies to", default="everything", choices=_choices(
        [("everything", "Everything in the cart"), ("chosen", "Only the products, categories or kinds chosen")]))
    target_product_ids = SelectMultipleField("Products", coerce=int)
    target_category_ids = SelectMultipleField("Categories", coerce=int)
    target_kinds = MultiCheckboxField("Kinds", choices=_choices(KIND_CHOICES))
    exclude_product_ids = SelectMultipleField("Except these products", coerce=int)
    exclude_category_ids = SelectMultipleField("Except these categories", coerce=int)
    exclude_kinds = MultiCheckboxField("Except these kinds", choices=_choices(KIND_CHOICES))
    min_subtotal = MoneyField("Minimum subtotal of the items it applies to ($)")
    min_quantity = WholeNumberField("Minimum number of items", validators=_bounded(0, 999, "Minimum quantity"))
    first_order_only = BooleanField("Only on a customer's first order")
    email_domains = TextAreaField("Only for e-mail domains (one per line, like clinic.org)", filters=FREE_TEXT,
                                  validators=[Length(max=10000)])
    customer_emails = TextAreaField("Only for these customers (e-mail addresses, one per line)", filters=FREE_TEXT,
                                    validators=[Length(max=200000)])
    max_redemptions = WholeNumberField("Total redemptions", validators=_bounded(1, 10**7, "Total redemptions"))
    max_per_customer = WholeNumberField("Uses per customer", validators=_bounded(1, 1000, "Uses per customer"))
    budget = MoneyField("Total discount budget ($)")
    version_id = HiddenField()

    def set_choices(self, products, categories):
        product_choices = _choices((p.id, f"{p.sku} · {p.title}" + ("" if p.is_active else " (retired)"))
                                   for p in products)
        category_choices = _choices((c.id, c.name) for c in categories)
        for name in ("target_product_ids", "exclude_product_ids"):
            getattr(self, name).choices = product_choices
        for name in ("target_category_ids", "exclude_category_ids"):
            getattr(self, name).choices = category_choices
        for row in self.bundle:
            row.product_id.choices = _choices([BLANK]) + product_choices

    def add_errors(self, errors):
        """Attach a service's {field: message} to the fields; returns the messages with no field."""
        loose = []
        for name, message in errors.items():
            field = getattr(self, name, None)
            if field is None:
                loose.append(message)
            else:
                field.errors = [*(field.errors or []), message]
        return loose

    def to_input(self):
        return PromotionInput(
            name=self.name.data or "",
            public_description=self.public_description.data or "",
            starts_local=self.starts_local.data,
            ends_local=self.ends_local.data,
            channels=self.channels.data,
            requires_code=self.unlock.data == "code",
            code=self.code.data or "",
            is_public=bool(self.is_public.data),
            exclusive=self.stacking.data == "exclusive",
            priority=self.priority.data or 0,
            benefit_kind=self.benefit_kind.data,
            percent_bp=self.percent.data,
            amount_cents=self.amount_off.data,
            fixed_price_cents=self.fixed_price.data,
            bundle=[(row.product_id.data, row.quantity.data or 1) for row in self.bundle
                    if row.product_id.data is not None],
            buy_quantity=self.buy_quantity.data,
            get_quantity=self.get_quantity.data,
            get_discount_bp=self.get_discount.data,
            applies_to_everything=self.applies_to.data != "chosen",
            target_product_ids=list(self.target_product_ids.data or []),
            target_category_ids=list(self.target_category_ids.data or []),
            target_kinds=list(self.target_kinds.data or []),
            exclude_product_ids=list(self.exclude_product_ids.data or []),
            exclude_category_ids=list(self.exclude_category_ids.data or []),
            exclude_kinds=list(self.exclude_kinds.data or []),
            min_subtotal_cents=self.min_subtotal.data,
            min_quantity=self.min_quantity.data,
            first_order_only=bool(self.first_order_only.data),
            email_domains=_split(self.email_domains.data, strip_at=True),
            customer_emails=_split(self.customer_emails.data),
            max_redemptions=self.max_redemptions.data,
            max_per_customer=self.max_per_customer.data,
            budget_cents=self.budget.data,
        )


def initial_data(promotion, timezone, code=""):
    """The form's values for an existing promotion (times in the shop's time zone)."""
    def products(role):
        return [p.product_id for p in promotion.products if p.role == role]

    def categories(role):
        return [c.category_id for c in promotion.categories if c.role == role]

    kind = promotion.benefit_kind
    return {
        "name": promotion.name, "public_description": promotion.public_description,
        "starts_local": to_local(promotion.starts_at, timezone), "ends_local": to_local(promotion.ends_at, timezone),
        "channels": {(True, True): "both", (True, False): "web", (False, True): "phone"}.get(
            (promotion.channel_web, promotion.channel_phone), "both"),
        "unlock": "code" if promotion.requires_code else "automatic", "code": code,
        "is_public": promotion.is_public, "stacking": "exclusive" if promotion.exclusive else "combinable",
        "priority": promotion.priority, "benefit_kind": kind,
        "percent": promotion.basis_points if kind == pricing.PERCENT_OFF else None,
        "amount_off": promotion.amount_cents if kind == pricing.AMOUNT_OFF else None,
        "fixed_price": promotion.amount_cents if kind == pricing.FIXED_PRICE else None,
        "bundle": [{"product_id": p.product_id, "quantity": p.quantity}
                   for p in sorted(promotion.products, key=lambda p: p.id) if p.role == ROLE_BUNDLE],
        "buy_quantity": promotion.buy_quantity or None, "get_quantity": promotion.get_quantity or None,
        "get_discount": promotion.basis_points if kind == pricing.BUY_X_GET_Y else pricing.FULL,
        "applies_to": "everything" if promotion.applies_to_everything else "chosen",
        "target_product_ids": products(ROLE_TARGET), "exclude_product_ids": products(ROLE_EXCLUDE),
        "target_category_ids": categories(ROLE_TARGET), "exclude_category_ids": categories(ROLE_EXCLUDE),
        "target_kinds": [k for k in promotion.target_kinds.split(",") if k],
        "exclude_kinds": [k for k in promotion.exclude_kinds.split(",") if k],
        "min_subtotal": promotion.min_subtotal_cents or None, "min_quantity": promotion.min_quantity or None,
        "first_order_only": promotion.first_order_only, "email_domains": promotion.email_domains,
        "customer_emails": "\n".join(sorted(c.email for c in promotion.customers)),
        "max_redemptions": promotion.max_redemptions, "max_per_customer": promotion.max_per_customer,
        "budget": promotion.budget_cents, "version_id": promotion.version_id,
    }


class CodeBatchForm(FlaskForm):
    count = WholeNumberField("How many codes", default=100,
                             validators=[InputRequired(message="Enter how many codes to generate."),
                                         NumberRange(1, 5000, message="Generate from 1 to 5,000 codes at a time.")])
    prefix = StringField("Prefix (optional, like SPRING)", filters=TEXT, validators=[Length(max=20)])


class PreviewLine(Form):
    product_id = SelectField("Product", coerce=_blank_or_int, validate_choice=True)
    quantity = WholeNumberField("Quantity", default=1, validators=_bounded(1, 99, "Quantity"))


class PreviewForm(Form):
    """Read from the query string (a preview changes nothing, so it is a GET form)."""

    lines = FieldList(FormField(PreviewLine), min_entries=PREVIEW_ROWS, max_entries=MAX_ROWS)
    order_number = StringField("Or a past order number", filters=TEXT, validators=[Optional(), Length(max=20)])
    channel = SelectField("Channel", choices=_choices([("web", "Web"), ("phone", "Phone order")]), default="web")
    email = StringField("Customer e-mail (optional)", filters=TEXT,
                        validators=[Optional(), Length(max=254), EmailAddress()])

    lines_error = ""

    def add_errors(self, errors):
        for name, message in errors.items():
            if name == "order_number":
                self.order_number.errors = [*self.order_number.errors, message]
            else:
                self.lines_error = message

    def set_choices(self, products):
        choices = _choices([BLANK, *((p.id, f"{p.sku} · {p.title}") for p in products)])
        for row in self.lines:
            row.product_id.choices = choices

    def chosen_lines(self):
        """{product id: quantity} from the rows that name a product."""
        found = {}
        for row in self.lines:
            if row.product_id.data is not None:
                found[row.product_id.data] = found.get(row.product_id.data, 0) + (row.quantity.data or 1)
        return found
