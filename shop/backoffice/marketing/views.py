"""Marketing's pages: promotions, codes, preview and performance.

Views read a form, call one service, and redirect or render. A refused form comes back with its
messages (422; 409 for a stale edit or a state change that does not fit the promotion's state).
"""

from flask import current_app, flash, redirect, render_template, request, url_for

from shop.backoffice.marketing import bp, forms
from shop.catalogue.models import Category, Product
from shop.core import audit
from shop.core.text import is_whole_number
from shop.core.timeutil import to_local, utcnow
from shop.extensions import db
from shop.pricing.promotions import STACKING_RULES
from shop.promotions import admin as services
from shop.promotions import admin_codes as codes_service
from shop.promotions import status as promotion_status
from shop.promotions.models import Promotion
from shop.reports import preview as previews
from shop.reports import promotions as reports
from shop.web.downloads import csv_download
from shop.web.helpers import page_arg

INVALID = 422
PER_PAGE = 50
CODES_PER_PAGE = 25


def _tz():
    return current_app.config["SHOP_TIMEZONE"]


def _promotion(promotion_id):
    return db.get_or_404(Promotion, promotion_id, description="There is no such promotion.")


def _catalogue():
    products = db.session.scalars(db.select(Product).order_by(Product.is_active.desc(), Product.title)).all()
    categories = db.session.scalars(db.select(Category).order_by(Category.position, Category.name)).all()
    return products, categories


@bp.get("/")
def index():
    return redirect(url_for("marketing.promotions"))


# ---- list ---------------------------------------------------------------------------------------

@bp.get("/promotions")
def promotions():
    status = request.args.get("status", "")
    status = status if status in promotion_status.STATUSES else ""
    now = utcnow()
    page = page_arg()
    rows, total = promotion_status.list_page(status or None, page, PER_PAGE, now)
    ids = [p.id for p in rows]
    return render_template("backoffice/marketing/promotions.html", promotions=rows, total=total, page=page,
                           pages=max(1, -(-total // PER_PAGE)), status=status, statuses=promotion_status.STATUSES,
                           usage=reports.usage(ids), codes=codes_service.code_summaries(ids), now=now,
                           display_status=promotion_status.display_status, describe=services.describe)


# ---- create and edit ----------------------------------------------------------------------------

def _render_form(form, promotion=None, status=200, error=None, stale=False):
    return render_template("backoffice/marketing/form.html", form=form, promotion=promotion, error=error, stale=stale,
                           stacking_rules=STACKING_RULES, timezone=_tz()), status


def _save(form, promotion=None):
    """Validate and save; returns a response."""
    products, categories = _catalogue()
    form.set_choices(products, categories)
    if not form.validate_on_submit():
        status = INVALID if form.is_submitted() else 200
        error = "Please check the highlighted fields." if form.is_submitted() else None
        return _render_form(form, promotion, status, error)
    try:
        if promotion is None:
            promotion = services.create(form.to_input(), _tz())
            flash(f"Created {promotion.name} as a draft. Preview it, then activate it.", "success")
        else:
            raw = (form.version_id.raw_data or [""])[0]  # as posted: never the version loaded just now
            version = int(raw) if is_whole_number(raw) and len(raw) < 10 else -1
            services.update(promotion, form.to_input(), _tz(), version)
            flash(f"Saved {promotion.name}.", "success")
    except services.StaleEdit as error:
        db.session.rollback()
        return _render_form(form, promotion, error.status, error.message, stale=True)
    except services.PromotionError as error:
        db.session.rollback()
        loose = form.add_errors(error.errors)
        return _render_form(form, promotion, error.status, " ".join([error.message, *loose]))
    return redirect(url_for("marketing.promotion", promotion_id=promotion.id))


@bp.route("/promotions/new", methods=["GET", "POST"])
def new_promotion():
    return _save(forms.PromotionForm())


@bp.route("/promotions/<int:promotion_id>/edit", methods=["GET", "POST"])
def edit_promotion(promotion_id):
    promotion = _promotion(promotion_id)
    code = codes_service.shared_code(promotion)
    form = forms.PromotionForm(data=forms.initial_data(promotion, _tz(), code.code if code else ""))
    return _save(form, promotion)


# ---- the promotion's page: facts, actions, codes, preview, history -----------------------------

def _preview_form():
    form = forms.PreviewForm(request.args)
    products, _ = _catalogue()
    form.set_choices([p for p in products if p.is_active])
    return form


def _run_preview(promotion, form):
    """(preview or None, status); errors are attached to the form."""
    if not request.args.get("preview"):
        return None, 200
    if not form.validate():
        return None, INVALID
    try:
        return previews.preview(promotion, form.chosen_lines(), form.order_number.data or "",
                                form.channel.data, form.email.data or ""), 200
    except previews.PreviewError as error:
        form.add_errors(error.errors)
        return None, INVALID


def _detail(promotion, status=200, error=None, batch_form=None):
    now = utcnow()
    preview_form = _preview_form()
    preview, preview_status = _run_preview(promotion, preview_form)
    codes, code_total = codes_service.codes_page(promotion, page_arg("codes_page"), CODES_PER_PAGE)
    return render_template(
        "backoffice/marketing/promotion.html", promotion=promotion,
        status=promotion_status.display_status(promotion, now), facts=promotion_status.facts(promotion),
        actions=promotion_status.actions(promotion), describe=services.describe, error=error,
        batch_form=batch_form or forms.CodeBatchForm(),
        codes=codes, code_total=code_total, codes_page=page_arg("codes_page"), per_page=CODES_PER_PAGE,
        shared=codes_service.shared_code(promotion), usage=reports.usage([promotion.id]).get(promotion.id),
        preview_form=preview_form, preview=preview, history=audit.entries_for(services.ENTITY, promotion.id),
        timezone=_tz(),
    ), (status if status != 200 else preview_status)


@bp.get("/promotions/<int:promotion_id>")
def promotion(promotion_id):
    return _detail(_promotion(promotion_id))


def _state_change(promotion_id, change, done):
    promotion = _promotion(promotion_id)
    try:
        change(promotion)
    except services.PromotionError as error:
        db.session.rollback()
        return _detail(db.session.get(Promotion, promotion_id), error.status, error.message)
    flash(done(promotion), "success")
    return redirect(url_for("marketing.promotion", promotion_id=promotion.id))


def _activated(promotion):
    status = promotion_status.display_status(promotion, utcnow())
    if status == "scheduled":
        start = to_local(promotion.starts_at, _tz())
        return f"{promotion.name} is scheduled: it starts on {start:%B %-d, %Y at %H:%M}."
    return f"{promotion.name} is live."


@bp.post("/promotions/<int:promotion_id>/activate")
def activate(promotion_id):
    return _state_change(promotion_id, lambda p: services.activate(p, _tz()), _activated)


@bp.post("/promotions/<int:promotion_id>/pause")
def pause(promotion_id):
    return _state_change(promotion_id, services.pause, lambda p: f"{p.name} is paused.")


@bp.post("/promotions/<int:promotion_id>/end")
def end(promotion_id):
    return _state_change(promotion_id, services.end, lambda p: f"{p.name} has ended.")


@bp.post("/promotions/<int:promotion_id>/duplicate")
def duplicate(promotion_id):
    copy = services.duplicate(_promotion(promotion_id))
    flash(f"Made a draft copy: {copy.name}. Change what you need, then activate it.", "success")
    return redirect(url_for("marketing.edit_promotion", promotion_id=copy.id))


# ---- codes --------------------------------------------------------------------------------------

@bp.post("/promotions/<int:promotion_id>/codes")
def generate_codes(promotion_id):
    promotion = _promotion(promotion_id)
    form = forms.CodeBatchForm()
    if not form.validate_on_submit():
        return _detail(promotion, INVALID, "Please check the highlighted fields.", batch_form=form)
    try:
        label = codes_service.generate_codes(promotion, form.count.data, form.prefix.data or "", _tz())
    except services.PromotionError as error:
        db.session.rollback()
        for name, message in error.errors.items():
            getattr(form, name).errors = [*getattr(form, name).errors, message]
        return _detail(promotion, error.status, error.message, batch_form=form)
    flash(f"Generated {form.count.data:,} single-use codes ({label}). Download them as CSV below.", "success")
    return redirect(url_for("marketing.promotion", promotion_id=promotion.id, _anchor="codes"))


@bp.get("/promotions/<int:promotion_id>/codes.csv")
def codes_csv(promotion_id):
    promotion = _promotion(promotion_id)
    return csv_download(codes_service.codes_csv(promotion, _tz()), f"promotion-{promotion.id}-codes.csv")


# ---- performance --------------------------------------------------------------------------------

@bp.get("/promotions/<int:promotion_id>/performance")
def performance(promotion_id):
    promotion = _promotion(promotion_id)
    return render_template("backoffice/marketing/performance.html", item=reports.performance(promotion),
                           status=promotion_status.display_status(promotion, utcnow()),
                           labels=reports.CHANNEL_LABELS)


@bp.get("/promotions/<int:promotion_id>/performance.csv")
def performance_csv(promotion_id):
    promotion = _promotion(promotion_id)
    return csv_download(reports.performance_csv([reports.performance(promotion)]),
                        f"promotion-{promotion.id}-performance.csv")


@bp.get("/performance")
def overview():
    page = page_arg()
    items, total = reports.overview(page, 100)
    now = utcnow()
    return render_template("backoffice/marketing/overview.html", items=items, total=total, page=page,
                           pages=max(1, -(-total // 100)), labels=reports.CHANNEL_LABELS,
                           status_of=lambda p: promotion_status.display_status(p, now))


@bp.get("/performance.csv")
def overview_csv():
    return csv_download(reports.all_performance_csv(), "promotions-performance.csv")


from shop.backoffice.marketing import consent_views  # noqa: E402, F401  (the mailing list's routes, on bp)
