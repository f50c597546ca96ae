"""Marketing's articles: the list, writing and editing, a preview as visitors will see it, publishing now or at
a set time, unpublishing, and images. Views read a form, call one service in shop.content.articles, and
redirect or render; a refused form comes back with its messages (422; 409 for a stale edit)."""

from flask import current_app, flash, redirect, render_template, url_for

from shop.backoffice.articles import bp, forms
from shop.catalogue.models import Category, Product
from shop.content import articles
from shop.content.models import Article
from shop.core import audit, storage
from shop.core.forms import ConfirmForm
from shop.core.timeutil import to_local, to_utc, utcnow
from shop.extensions import db
from shop.web.helpers import current_actor

INVALID = 422
UPLOADS = ("cover", "image")  # the two image forms of the edit page, each with its field names prefixed


def _article(article_id):
    return db.get_or_404(Article, article_id, description="There is no such article.")


def _tz():
    return current_app.config["SHOP_TIMEZONE"]


def _choices(form):
    categories = db.session.scalars(db.select(Category).order_by(Category.position, Category.name)).all()
    products = db.session.scalars(db.select(Product).where(Product.is_active.is_(True))
                                  .order_by(Product.kind, Product.title)).all()
    form.set_choices(categories, products)
    return form


@bp.get("")
def index():
    return render_template("backoffice/articles/list.html", articles=articles.all_articles(), now=utcnow())


def _render(form, article=None, status=200, error=None, stale=False, publish_form=None, upload_form=None):
    uploads = {prefix: forms.ImageForm(formdata=None, prefix=prefix) for prefix in UPLOADS}
    if upload_form is not None:
        uploads[upload_form._prefix.rstrip("-")] = upload_form
    return render_template(
        "backoffice/articles/edit.html", form=form, article=article, error=error, stale=stale, now=utcnow(),
        publish_form=publish_form or forms.PublishForm(formdata=None), cover_form=uploads["cover"],
        image_form=uploads["image"], confirm=ConfirmForm(), timezone=_tz(),
        publish_local=to_local(article.publish_at, _tz()) if article and article.publish_at else None,
        history=audit.entries_for("article", article.id) if article else []), status


def _save(form, article=None):
    if not form.validate_on_submit():
        submitted = form.is_submitted()
        return _render(form, article, INVALID if submitted else 200,
                       "Please check the highlighted fields." if submitted else None)
    try:
        article = articles.save(form.to_input(), actor=current_actor(), article=article,
                                version=form.posted_version() if article else None)
    except articles.StaleArticle as error:
        db.session.rollback()
        return _render(form, article, error.status, error.message, stale=True)
    except articles.ArticleError as error:
        db.session.rollback()
        field = getattr(form, error.field or "", None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, error.message]
        return _render(form, article, error.status, error.message)
    flash(f"Saved “{article.title}”.", "success")
    return redirect(url_for("articles_admin.edit", article_id=article.id))


@bp.route("/new", methods=["GET", "POST"])
def new():
    return _save(_choices(forms.ArticleForm()))


@bp.route("/<int:article_id>", methods=["GET", "POST"])
def edit(article_id):
    article = _article(article_id)
    form = forms.ArticleForm(obj=article, data={
        "category_ids": [str(c.id) for c in article.categories],
        "product_ids": [str(link.product_id) for link in article.related], "version": article.version})
    return _save(_choices(form), article)


@bp.get("/<int:article_id>/preview")
def preview(article_id):
    """The article as visitors will see it once published (drafts and scheduled ones too)."""
    article = _article(article_id)
    return render_template("articles/article.html", article=article, around=articles.neighbours(article),
                           preview=True, now=utcnow())


@bp.post("/<int:article_id>/publish")
def publish(article_id):
    article = _article(article_id)
    form = forms.PublishForm()
    if not form.validate_on_submit():
        return _render(_choices(forms.ArticleForm(obj=article)), article, INVALID,
                       "Please check the publishing time.", publish_form=form)
    try:
        articles.publish(article, actor=current_actor(), at=to_utc(form.publish_local.data, _tz()))
    except articles.ArticleError as error:
        db.session.rollback()
        return _render(_choices(forms.ArticleForm(obj=article)), article, error.status, error.message,
                       publish_form=form)
    when = to_local(article.publish_at, _tz())
    flash(f"Published “{article.title}”." if article.is_live(utcnow()) else
          f"“{article.title}” is scheduled for {when:%B %-d, %Y at %-I:%M %p}.", "success")
    return redirect(url_for("articles_admin.edit", article_id=article.id))


@bp.post("/<int:article_id>/unpublish")
def unpublish(article_id):
    article = _article(article_id)
    if ConfirmForm().validate_on_submit():
        articles.unpublish(article, actor=current_actor())
        flash(f"“{article.title}” is a draft again: it is off the public pages.", "success")
    return redirect(url_for("articles_admin.edit", article_id=article.id))


def _upload(article_id, prefix, action, done):
    article = _article(article_id)
    form = forms.ImageForm(prefix=prefix)
    if not form.validate_on_submit():
        return _render(_choices(forms.ArticleForm(obj=article)), article, INVALID, "Please check the image form.",
                       upload_form=form)
    try:
        result = action(article, form)
    except articles.ArticleError as error:
        db.session.rollback()
        form.image.errors = [error.message]
        return _render(_choices(forms.ArticleForm(obj=article)), article, error.status, error.message,
                       upload_form=form)
    flash(done(result), "success")
    return redirect(url_for("articles_admin.edit", article_id=article.id))


@bp.post("/<int:article_id>/cover")
def cover(article_id):
    return _upload(article_id, "cover", lambda article, form: articles.set_cover(
        article, form.image.data, form.alt_text.data, storage.public(), actor=current_actor()),
        lambda _article: "The cover image is saved.")


@bp.post("/<int:article_id>/images")
def image(article_id):
    return _upload(article_id, "image", lambda article, form: articles.add_body_image(
        article, form.image.data, form.alt_text.data, storage.public(), actor=current_actor()),
        lambda markdown: f"Image saved. Paste this into the text where it belongs: {markdown}")
