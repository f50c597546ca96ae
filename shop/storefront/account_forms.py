"""My account's own forms: the "Send me news and offers" box."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField, ValidationError

from shop.accounts.consent import BOX_HINT, BOX_LABEL

CHECKBOX_VALUE = "y"  # what WTForms' checkbox sends when ticked


def _as_the_box_sends_it(form, field):
    """Ticked (the box's value, once) or left out: anything else did not come from the page."""
    if field.raw_data not in ([], [CHECKBOX_VALUE]):
        raise ValidationError("Tick the box, or leave it empty, and save again.")


class MarketingConsentForm(FlaskForm):
    marketing_consent = BooleanField(BOX_LABEL, description=BOX_HINT, validators=[_as_the_box_sends_it])
    submit = SubmitField("Save my choice")
