"""Sales tax (admins): every US state and Canadian province with the rate the shop collects there, if any;
a rate set, changed or removed here prices the next orders (orders placed keep theirs)."""

from flask import abort, flash, redirect, render_template, request, url_for

from shop.backoffice.tax import bp
from shop.backoffice.tax.forms import RemoveRateForm, TaxRateForm
from shop.core import audit
from shop.core.regions import REGIONS
from shop.tax import rules
from shop.web.helpers import attach, current_actor

INVALID = 422


@bp.get("")
def index():
    places = rules.destinations()
    return render_template("backoffice/tax/index.html", places=places, percent=rules.percent_text,
                           collecting=[p for p in places if p.rate is not None])


def _place_or_404(country, region):
    country, region = country.upper(), region.upper()
    name = REGIONS.get(country, {}).get(region)
    if name is None:
        abort(404, description="That is not a US state or Canadian province.")
    return country, region, name


def _edit_page(country, region, name, form, status=200, error_message=None):
    return render_template("backoffice/tax/edit.html", country=country, region=region, name=name, form=form,
                           rate=rules.rate_of(country, region), remove_form=RemoveRateForm(),
                           percent=rules.percent_text,
                           history=audit.entries_for("tax_rate", f"{country}-{region}"),
                           error_message=error_message), status


@bp.route("/<country>/<region>", methods=["GET", "POST"])
def edit(country, region):
    country, region, name = _place_or_404(country, region)
    if request.method == "GET":
        rate = rules.rate_of(country, region)
        data = {"name": f"{name} sales tax"} if rate is None else {
            "rate": rules.percent_text(rate.rate_millipercent), "name": rate.name,
            "taxes_shipping": rate.taxes_shipping, "taxes_digital": rate.taxes_digital}
        return _edit_page(country, region, name, TaxRateForm(formdata=None, data=data))
    form = TaxRateForm()
    if not form.validate_on_submit():
        return _edit_page(country, region, name, form, INVALID)
    try:
        rules.save_rate(country, region, form.rate.data, form.name.data, taxes_shipping=form.taxes_shipping.data,
                        taxes_digital=form.taxes_digital.data, actor=current_actor())
    except rules.TaxRateError as error:
        return _edit_page(country, region, name, form, error.status, attach(form, error))
    flash(f"{name}: sales tax saved. Orders placed from now on are taxed at this rate.", "success")
    return redirect(url_for("tax_admin.index", _anchor=f"{country}-{region}"), 303)


@bp.post("/<country>/<region>/remove")
def remove(country, region):
    country, region, name = _place_or_404(country, region)
    form = RemoveRateForm()
    if not form.validate_on_submit():
        return _edit_page(country, region, name, TaxRateForm(formdata=None), 400,
                          "This form is incomplete: reload the page and try again.")
    if rules.delete_rate(country, region, actor=current_actor()):
        flash(f"{name}: no sales tax is collected any more.", "success")
    return redirect(url_for("tax_admin.index", _anchor=f"{country}-{region}"), 303)
