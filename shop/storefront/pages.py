"""Information pages (about, contact, policies, the educational-use statement), written as templates under
templates/pages/."""

from flask import Blueprint, abort, render_template

bp = Blueprint("pages", __name__)

PAGES = {
    "about": "About us",
    "contact": "Contact us",
    "shipping": "Shipping policy",
    "returns": "Returns and refunds",
    "privacy": "Privacy policy",
    "terms": "Terms of sale",
    "disclaimer": "Educational use",
}


@bp.get("/pages/<name>")
def page(name):
    if name not in PAGES:
        abort(404, description="There is no page by that name.")
    return render_template(f"pages/{name}.html", title=PAGES[name], pages=PAGES)
