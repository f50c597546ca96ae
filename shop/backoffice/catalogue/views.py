"""Catalogue pages of the back office (marketing and admins): products of every kind, images, categories.

Views read a form, call one service (shop.catalogue.admin, shop.catalogue.uploads) and redirect, or
render the form again with its message (422, or the service's own status: 409 for a product that
cannot be deleted, 413 for an image over 5 MB). Image uploads get a 5 MB limit before CSRFProtect reads
the body; a bigger one answers 413 with the product's page and a clear message.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from shop.backoffice.catalogue import bp, forms
from shop.catalogue import admin as catalogue_admin
from shop.catalogue import categories as categories_admin
from shop.catalogue import uploads as product_images
from shop.catalogue.admin import KIND_FIELDS, CatalogueError
from shop.catalogue.models import KIND_BOOK, KIND_COMBO, KIND_COURSE, KIND_LABELS, KINDS, Category
from shop.core import audit, storage
from shop.core.forms import ConfirmForm, choices
from shop.core.text import is_whole_number
from shop.extensions import db
from shop.web.helpers import attach, current_actor, page_arg, text_arg

INVALID = 422
UPLOAD_ENDPOINT = "catalogue_admin.upload_image"
BLANK_COMPONENT_ROWS = 3


@bp.url_value_preprocessor
def _limit_upload_size(endpoint, values):
    """Before CSRFProtect reads the form: an image upload may be 5 MB plus room for the other fields."""
    if endpoint == UPLOAD_ENDPOINT:
        request.max_content_length = product_images.MAX_BYTES + 64 * 1024


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    product_id = (request.view_args or {}).get("product_id")
    product = catalogue_admin.get_product(product_id) if request.endpoint == UPLOAD_ENDPOINT and product_id else None
    if product is None:
        return render_template("errors/error.html", code=413, title="That upload is too large",
                               message=product_images.TOO_BIG), 413
    image_form = forms.ImageForm(formdata=None)
    image_form.image.errors = [product_images.TOO_BIG]
    return _edit_page(product, image_form=image_form, status=413)


# ---- products ----------------------------------------------------------------------------------------

@bp.get("/products")
def products():
    kind = request.args.get("kind") if request.args.get("kind") in KINDS else ""
    status = request.args.get("status") if request.args.get("status") in ("active", "retired") else ""
    q = text_arg("q")
    result = catalogue_admin.list_products(q=q, kind=kind, status=status, page=page_arg())
    return render_template("backoffice/catalogue/products.html", result=result, q=q, kind=kind, status=status,
                           kinds=KIND_LABELS, reorder_form=ConfirmForm())


@bp.get("/products/new")
def new_product_choice():
    return render_template("backoffice/catalogue/product_new.html", kinds=KIND_LABELS)


def _product_data(product):
    data = {name: getattr(product, name) for name in catalogue_admin.COMMON_FIELDS + KIND_FIELDS[product.kind]}
    data["price"] = product.price_cents
    data["categories"] = [c.id for c in product.categories]
    data["components"] = [{"product_id": c.component_id, "quantity": c.quantity} for c in product.components]
    return data


def _product_form(kind, product=None, from_request=True):
    """The product form for this kind: fields of other kinds removed, choices filled in.

    From the request when it posted this form; else filled from the product (or empty for a new one).
    """
    posted = from_request and request.method == "POST"
    if posted:
        form = forms.ProductForm()
    else:
        form = forms.ProductForm(formdata=None, data=_product_data(product) if product is not None else {})
    for name in ("isbn", "page_count", "weight_grams", "low_stock_threshold", "opening_stock", "ce_hours",
                 "course_format", "lesson_count", "billing_interval"):
        keep = name in KIND_FIELDS[kind] or (name == "opening_stock" and kind == KIND_BOOK and product is None)
        if not keep:
            delattr(form, name)
    if kind == KIND_COMBO:
        if not posted:
            for _ in range(BLANK_COMPONENT_ROWS):
                form.components.append_entry({"product_id": 0, "quantity": 1})
        options = choices([(0, "— none —"), *catalogue_admin.component_choices(product.id if product else None)])
        for row in form.components:
            row.form.product_id.choices = options
    else:
        delattr(form, "components")
    if kind == KIND_COURSE and product is None and not posted:
        form.is_active.data = False  # a new course goes on sale once it has lessons (the courses room)
    form.categories.choices = choices((c.id, c.name) for c in categories_admin.categories())
    return form


def _form_values(form, kind):
    values = {name: form[name].data for name in catalogue_admin.COMMON_FIELDS + KIND_FIELDS[kind] if name in form}
    values["price_cents"] = form.price.data
    values["position"] = values.get("position") or 0
    if "weight_grams" in values:
        values["weight_grams"] = values["weight_grams"] or 0
    components = []
    if kind == KIND_COMBO:
        components = [(row.form.product_id.data, row.form.quantity.data or 1)
                      for row in form.components if row.form.product_id.data]
    return values, components


def _save_product(kind, product):
    form = _product_form(kind, product)
    if form.is_submitted() and form.preview.data:  # the no-JavaScript preview: nothing is saved
        return _edit_page(product, form=form, kind=kind, preview_html=catalogue_admin.preview(
            form.description_md.data))
    if not form.validate_on_submit():
        return _edit_page(product, form=form, kind=kind, status=INVALID if form.is_submitted() else 200)
    values, components = _form_values(form, kind)
    try:
        saved = catalogue_admin.save_product(
            product, kind, values, category_ids=form.categories.data or [], components=components,
            opening_stock=(form.opening_stock.data or 0) if "opening_stock" in form else 0, actor=current_actor())
    except CatalogueError as error:
        message = attach(form, error)
        return _edit_page(product, form=form, kind=kind, status=error.status, error_message=message)
    flash(f"Saved “{saved.title}”.", "success")
    return redirect(url_for("catalogue_admin.edit_product", product_id=saved.id))


def _edit_page(product, *, form=None, kind=None, image_form=None, status=200, **context):
    kind = kind or product.kind
    if form is None:
        form = _product_form(kind, product, from_request=False)
    return render_template(
        "backoffice/catalogue/product_form.html", product=product, kind=kind, kind_label=KIND_LABELS[kind], form=form,
        image_form=image_form or forms.ImageForm(formdata=None), button_form=ConfirmForm(formdata=None),
        comparison=catalogue_admin.comparison(product) if product is not None else None,
        history=catalogue_admin.history(product) if product is not None else [],
        sold=catalogue_admin.was_sold(product.id) if product is not None else False, **context,
    ), status


@bp.route("/products/new/<kind>", methods=["GET", "POST"])
def new_product(kind):
    if kind not in KINDS:
        abort(404, description="There is no such kind of product.")
    return _save_product(kind, None)


def _product_or_404(product_id):
    product = catalogue_admin.get_product(product_id)
    if product is None:
        abort(404, description="There is no product with this number.")
    return product


@bp.route("/products/<int:product_id>", methods=["GET", "POST"])
def edit_product(product_id):
    product = _product_or_404(product_id)
    return _save_product(product.kind, product)


@bp.post("/products/preview")
def preview():
    """The sanitised HTML of the Markdown posted as `text` (the edit page's live preview)."""
    html = catalogue_admin.preview(request.form.get("text", ""))
    return html, 200, {"Content-Type": "text/html; charset=utf-8"}


def _button_action(product_id, action, done):
    product = _product_or_404(product_id)
    if not ConfirmForm().validate_on_submit():
        abort(400, description="Your form expired. Reload the page and try again.")
    try:
        action(product)
    except CatalogueError as error:
        return _edit_page(product, status=error.status, error_message=error.message)
    flash(done, "success")
    return redirect(url_for("catalogue_admin.edit_product", product_id=product.id))


@bp.post("/products/<int:product_id>/retire")
def retire_product(product_id):
    return _button_action(product_id, lambda p: catalogue_admin.set_active(p, False, current_actor()),
                          "Retired: the product has left the shop and stays on past orders.")


@bp.post("/products/<int:product_id>/restore")
def restore_product(product_id):
    return _button_action(product_id, lambda p: catalogue_admin.set_active(p, True, current_actor()),
                          "The product is on sale again.")


@bp.post("/products/<int:product_id>/delete")
def delete_product(product_id):
    product = _product_or_404(product_id)
    if not ConfirmForm().validate_on_submit():
        abort(400, description="Your form expired. Reload the page and try again.")
    try:
        catalogue_admin.delete_product(product, current_actor())
    except CatalogueError as error:
        return _edit_page(product, status=error.status, error_message=error.message)
    flash("Product deleted.", "success")
    return redirect(url_for("catalogue_admin.products"))


@bp.post("/products/reorder")
def reorder_products():
    if not ConfirmForm().validate_on_submit():
        abort(400, description="Your form expired. Reload the page and try again.")
    positions = {}
    for key, value in request.form.items():
        if key.startswith("position-") and is_whole_number(key[9:]) and len(key) < 20:
            value = value.strip()
            if not is_whole_number(value.lstrip("-")) or abs(int(value)) > 9999:
                flash(f"Positions are whole numbers from -9999 to 9999; “{value[:20]}” is not.", "error")
                return redirect(_products_url()), 303
            positions[int(key[9:])] = int(value)
    if not positions:
        abort(INVALID, description="No positions were sent.")
    moved = catalogue_admin.reorder(positions, current_actor())
    flash(f"Order saved ({moved} moved).", "success")
    return redirect(_products_url())


def _products_url():
    """The product list with the filters the reorder form came from (only known arguments are kept)."""
    args = {k: request.args[k][:200] for k in ("q", "kind", "status", "page") if request.args.get(k)}
    return url_for("catalogue_admin.products", **args)


# ---- images ------------------------------------------------------------------------------------------

@bp.post("/products/<int:product_id>/images")
def upload_image(product_id):
    product = _product_or_404(product_id)
    form = forms.ImageForm()
    if not form.validate_on_submit():
        return _edit_page(product, image_form=form, status=INVALID)
    try:
        product_images.add_image(product, form.image.data, form.alt_text.data, storage.public(),
                                 current_actor())
    except CatalogueError as error:
        message = attach(form, error)
        return _edit_page(product, image_form=form, status=error.status, error_message=message)
    flash("Image uploaded.", "success")
    return redirect(url_for("catalogue_admin.edit_product", product_id=product.id, _anchor="images"))


@bp.post("/products/<int:product_id>/images/<int:image_id>/delete")
def remove_image(product_id, image_id):
    return _button_action(product_id, lambda p: product_images.remove_image(
        p, image_id, storage.public(), current_actor()), "Image removed.")


@bp.post("/products/<int:product_id>/images/<int:image_id>/main")
def main_image(product_id, image_id):
    return _button_action(product_id, lambda p: product_images.make_main(p, image_id, current_actor()),
                          "That image now comes first.")


# ---- categories --------------------------------------------------------------------------------------

def _categories_page(form, category=None, status=200, error_message=None):
    return render_template("backoffice/catalogue/categories.html", categories=categories_admin.categories(), form=form,
                           category=category, error_message=error_message,
                           history=audit.entries_for("category", category.id) if category else []
                           ), status


@bp.route("/categories", methods=["GET", "POST"])
def categories():
    return _save_category(None)


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
def edit_category(category_id):
    return _save_category(db.get_or_404(Category, category_id, description="There is no category with this number."))


def _save_category(category):
    form = forms.CategoryForm(obj=category) if request.method == "GET" else forms.CategoryForm()
    if not form.validate_on_submit():
        return _categories_page(form, category, INVALID if form.is_submitted() else 200)
    values = {"name": form.name.data, "slug": form.slug.data, "description": form.description.data or "",
              "position": form.position.data or 0}
    try:
        saved = categories_admin.save_category(category, values, current_actor())
    except CatalogueError as error:
        return _categories_page(form, category, error.status, attach(form, error))
    flash(f"Category “{saved.name}” saved.", "success")
    return redirect(url_for("catalogue_admin.categories"))
