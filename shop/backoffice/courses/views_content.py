"""A course's content (admins): modules and lessons, the lesson editor with its preview, files and videos.

Views read a form, call one service (shop.courses.authoring, shop.courses.course_files) and redirect, or
show the page again with the message (422; 409 for what cannot be done now; 413 for a file over its limit).
Uploads get their limit (500 MB, the largest a video may be) before CSRFProtect reads the body.
"""

import re

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from shop.accounts.access import role_required
from shop.accounts.models import ROLE_ADMIN
from shop.backoffice.courses import EXPIRED, bp, confirmed, course_or_404, forms
from shop.core import audit, storage
from shop.core.forms import ConfirmForm
from shop.courses import authoring, content, course_files
from shop.courses.authoring import AuthoringError
from shop.courses.models import PURPOSE_IMAGE, PURPOSE_VIDEO
from shop.web.helpers import attach, current_actor

INVALID = 422
UPLOADS = {"courses_admin.upload_course_file", "courses_admin.upload_lesson_file"}
DIRECTIONS = {"up": -1, "down": 1}


@bp.url_value_preprocessor
def _limit_upload_size(endpoint, values):
    """Before CSRFProtect reads the form: a course file may be 500 MB (a video) plus room for the fields."""
    if endpoint in UPLOADS:
        request.max_content_length = max(course_files.LIMITS.values()) + 64 * 1024


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    limit = "2 MB a signature" if request.endpoint == "courses_admin.signature" else "500 MB a course file"
    return render_template("errors/error.html", code=413, title="That upload is too large",
                           message=f"That file is larger than the {limit} may be."), 413


def _moved_flash(title, direction, moved):
    if moved:
        flash(f"“{title}” moved {direction}.", "success")
    else:
        flash(f"“{title}” is already {'first' if direction == 'up' else 'last'}.", "info")


def _content_url(product, **anchor):
    return url_for("courses_admin.content", product_id=product.id, **anchor)


def _content_page(product, *, status=200, error_message=None, module_form=None, lesson_forms=None,
                  file_form=None):
    outline = content.outline(product.id)
    files = content.files_of(product.id)
    return render_template(
        "backoffice/courses/content.html", product=product, outline=outline,
        course_files=[f for f in files if f.lesson_id is None], files=files,
        module_form=module_form or forms.ModuleForm(formdata=None), lesson_forms=lesson_forms or {},
        lesson_form_blank=forms.LessonTitleForm(formdata=None), file_form=file_form or forms.FileForm(formdata=None),
        can_publish=authoring.can_publish(product), error_message=error_message,
        history=audit.entries_for("product", product.id, limit=30),
    ), status


@bp.get("/<int:product_id>/content", endpoint="content")
@role_required(ROLE_ADMIN)
def content_page(product_id):
    return _content_page(course_or_404(product_id))


# ---- modules ------------------------------------------------------------------------------------------

def _module(product, module_id):
    module = authoring.module_of(product, module_id)
    if module is None:
        abort(404, description="That module is not one of this course's.")
    return module


@bp.post("/<int:product_id>/modules")
@role_required(ROLE_ADMIN)
def add_module(product_id):
    product = course_or_404(product_id)
    form = forms.ModuleForm()
    if not form.validate_on_submit():
        return _content_page(product, status=INVALID, module_form=form)
    try:
        module = authoring.add_module(product, form.title.data, actor=current_actor())
    except AuthoringError as error:
        return _content_page(product, status=error.status, error_message=attach(form, error), module_form=form)
    flash(f"Module “{module.title}” added.", "success")
    return redirect(_content_url(product, _anchor=f"module-{module.id}"))


@bp.post("/<int:product_id>/modules/<int:module_id>/rename")
@role_required(ROLE_ADMIN)
def rename_module(product_id, module_id):
    product = course_or_404(product_id)
    module = _module(product, module_id)
    form = forms.ModuleForm()
    if not form.validate_on_submit():
        return _content_page(product, status=INVALID, error_message=form.title.errors[0] if form.title.errors
                             else EXPIRED)
    authoring.rename_module(module, form.title.data, actor=current_actor())
    flash(f"Module renamed “{module.title}”.", "success")
    return redirect(_content_url(product, _anchor=f"module-{module.id}"))


@bp.post("/<int:product_id>/modules/<int:module_id>/move/<direction>")
@role_required(ROLE_ADMIN)
def move_module(product_id, module_id, direction):
    product = course_or_404(product_id)
    module = _module(product, module_id)
    if direction not in DIRECTIONS:
        abort(404)
    confirmed()
    moved = authoring.move_module(module, DIRECTIONS[direction], actor=current_actor())
    _moved_flash(module.title, direction, moved)
    return redirect(_content_url(product, _anchor=f"module-{module.id}"))


@bp.post("/<int:product_id>/modules/<int:module_id>/delete")
@role_required(ROLE_ADMIN)
def delete_module(product_id, module_id):
    product = course_or_404(product_id)
    module = _module(product, module_id)
    confirmed()
    try:
        authoring.delete_module(module, actor=current_actor())
    except AuthoringError as error:
        return _content_page(product, status=error.status, error_message=error.message)
    flash("Module deleted.", "success")
    return redirect(_content_url(product))


# ---- lessons ------------------------------------------------------------------------------------------

def _lesson(product, lesson_id):
    lesson = authoring.lesson_of(product, lesson_id)
    if lesson is None:
        abort(404, description="That lesson is not one of this course's.")
    return lesson


@bp.post("/<int:product_id>/modules/<int:module_id>/lessons")
@role_required(ROLE_ADMIN)
def add_lesson(product_id, module_id):
    product = course_or_404(product_id)
    module = _module(product, module_id)
    form = forms.LessonTitleForm()
    if not form.validate_on_submit():
        return _content_page(product, status=INVALID, lesson_forms={module.id: form})
    lesson = authoring.add_lesson(module, form.title.data, actor=current_actor())
    flash(f"Lesson “{lesson.title}” added: write its text now.", "success")
    return redirect(url_for("courses_admin.lesson", product_id=product.id, lesson_id=lesson.id))


def _backoffice_images(product, html):
    """Lesson images point at the customer's file URL; in the back office they come from the admin route."""
    return re.sub(r'src="' + re.escape(content.FILE_URL_PREFIX) + r'(\d+)"',
                  lambda m: 'src="{}"'.format(url_for("courses_admin.course_file", product_id=product.id,
                                                      file_id=int(m.group(1)))), html)


def _lesson_page(product, lesson, *, form=None, file_form=None, status=200, **context):
    files = [f for f in content.files_of(product.id) if f.lesson_id == lesson.id]
    return render_template(
        "backoffice/courses/lesson.html", product=product, lesson=lesson, files=files,
        form=form or forms.LessonForm(formdata=None, obj=lesson), file_form=file_form or forms.FileForm(formdata=None),
        button_form=ConfirmForm(formdata=None), image_purpose=PURPOSE_IMAGE, video_purpose=PURPOSE_VIDEO,
        video_file=content.lesson_video(files, lesson.id), **context,
    ), status


@bp.route("/<int:product_id>/lessons/<int:lesson_id>", methods=["GET", "POST"])
@role_required(ROLE_ADMIN)
def lesson(product_id, lesson_id):
    product = course_or_404(product_id)
    lesson = _lesson(product, lesson_id)
    if request.method == "GET":
        return _lesson_page(product, lesson)
    form = forms.LessonForm()
    if form.is_submitted() and form.preview.data:  # the no-JavaScript preview: nothing is saved
        return _lesson_page(product, lesson, form=form, preview_html=_backoffice_images(
            product, content.render_lesson(form.body_md.data)))
    if not form.validate_on_submit():
        return _lesson_page(product, lesson, form=form, status=INVALID)
    try:
        authoring.update_lesson(lesson, title=form.title.data, body_md=form.body_md.data or "",
                                minutes=form.minutes.data, video_url=form.video_url.data or "",
                                actor=current_actor())
    except AuthoringError as error:
        message = attach(form, error)
        return _lesson_page(product, lesson, form=form, status=error.status, error_message=message)
    flash(f"Lesson “{lesson.title}” saved.", "success")
    return redirect(url_for("courses_admin.lesson", product_id=product.id, lesson_id=lesson.id))


@bp.post("/<int:product_id>/lessons/preview")
@role_required(ROLE_ADMIN)
def lesson_preview(product_id):
    """The sanitised HTML of the lesson Markdown posted as `text`; nothing is saved."""
    product = course_or_404(product_id)
    html = _backoffice_images(product, content.render_lesson(request.form.get("text", "")[:100_000]))
    return html, 200, {"Content-Type": "text/html; charset=utf-8"}


@bp.post("/<int:product_id>/lessons/<int:lesson_id>/move/<direction>")
@role_required(ROLE_ADMIN)
def move_lesson(product_id, lesson_id, direction):
    product = course_or_404(product_id)
    lesson = _lesson(product, lesson_id)
    if direction not in DIRECTIONS:
        abort(404)
    confirmed()
    moved = authoring.move_lesson(lesson, DIRECTIONS[direction], actor=current_actor())
    _moved_flash(lesson.title, direction, moved)
    return redirect(_content_url(product, _anchor=f"lesson-{lesson.id}"))


@bp.post("/<int:product_id>/lessons/<int:lesson_id>/delete")
@role_required(ROLE_ADMIN)
def delete_lesson(product_id, lesson_id):
    product = course_or_404(product_id)
    lesson = _lesson(product, lesson_id)
    confirmed()
    try:
        authoring.delete_lesson(lesson, actor=current_actor())
    except AuthoringError as error:
        return _content_page(product, status=error.status, error_message=error.message)
    flash("Lesson deleted.", "success")
    return redirect(_content_url(product))


# ---- files --------------------------------------------------------------------------------------------

def _upload(product, lesson):
    form = forms.FileForm()
    page = (lambda **kw: _lesson_page(product, lesson, **kw)) if lesson is not None else \
        (lambda **kw: _content_page(product, **kw))
    if not form.validate_on_submit():
        return page(file_form=form, status=INVALID)
    try:
        row = course_files.add_file(product, form.upload.data, purpose=form.purpose.data, title=form.title.data,
                                    lesson=lesson, actor=current_actor())
    except AuthoringError as error:
        message = attach(form, error)
        return page(file_form=form, status=error.status, error_message=message)
    flash(f"“{row.title}” uploaded" + (f": put it in the text as ![{row.title}](file:{row.id})."
                                        if row.purpose == PURPOSE_IMAGE else "."), "success")
    if lesson is not None:
        return redirect(url_for("courses_admin.lesson", product_id=product.id, lesson_id=lesson.id, _anchor="files"))
    return redirect(_content_url(product, _anchor="materials"))


@bp.post("/<int:product_id>/files")
@role_required(ROLE_ADMIN)
def upload_course_file(product_id):
    return _upload(course_or_404(product_id), None)


@bp.post("/<int:product_id>/lessons/<int:lesson_id>/files")
@role_required(ROLE_ADMIN)
def upload_lesson_file(product_id, lesson_id):
    product = course_or_404(product_id)
    return _upload(product, _lesson(product, lesson_id))


@bp.post("/<int:product_id>/files/<int:file_id>/delete")
@role_required(ROLE_ADMIN)
def delete_file(product_id, file_id):
    product = course_or_404(product_id)
    row = content.file_of(product.id, file_id)
    if row is None:
        abort(404, description="That file is not one of this course's.")
    confirmed()
    lesson_id = row.lesson_id
    course_files.delete_file(product, file_id, actor=current_actor())
    flash(f"“{row.title}” deleted.", "success")
    if lesson_id:
        return redirect(url_for("courses_admin.lesson", product_id=product.id, lesson_id=lesson_id, _anchor="files"))
    return redirect(_content_url(product, _anchor="materials"))


@bp.get("/<int:product_id>/files/<int:file_id>")
@role_required(ROLE_ADMIN)
def course_file(product_id, file_id):
    """A course file for the admin checking it (the customer's own route checks access)."""
    product = course_or_404(product_id)
    row = content.file_of(product.id, file_id)
    store = storage.private()
    if row is None or not store.exists(row.storage_key):
        abort(404)
    return store.send(row.storage_key, mimetype=row.content_type, download_name=row.original_name or None)
