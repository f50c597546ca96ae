"""Taking a course: My courses, the course page, lessons, files, the exam and the evaluation.

Every page of a course, each lesson, file and exam attempt checks access on every request
(shop.courses.library.open_course, shop.courses.access.can_open) and answers 404 to anyone else,
signed in or not: a stranger learns nothing, not even that the lesson exists.
"""

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from shop.accounts.access import ANY_ROLE, role_required
from shop.catalogue.models import Product
from shop.core import storage
from shop.core.forms import ConfirmForm
from shop.core.timeutil import local_today
from shop.courses import access as course_access
from shop.courses import certificates, content, evaluations, exams, lesson_page, library
from shop.courses.models import PURPOSE_MATERIAL, CourseFile
from shop.courses.progress import course_progress, mark_complete, mark_incomplete
from shop.extensions import db
from shop.storefront.learning_forms import EvaluationForm
from shop.web.helpers import attach, wants_json

bp = Blueprint("learning", __name__, url_prefix="/my/courses")
NOT_FOUND = "We could not find that course in your account."


def _course(slug: str) -> Product:
    product = library.open_course(current_user, slug)
    if product is None:
        abort(404, description=NOT_FOUND)
    return product


@bp.get("")
@role_required(*ANY_ROLE)
def my_courses():
    return render_template("courses/my_courses.html", entries=library.my_courses(current_user))


@bp.get("/<slug>")
def course(slug):
    product = _course(slug)
    outline = content.outline(product.id)
    progress = course_progress(current_user.id, product.id)
    files = content.files_of(product.id)
    return render_template("courses/course.html", product=product, outline=outline, progress=progress,
                           materials=content.course_materials(files),
                           exam=exams.state(current_user.id, product.id, progress),
                           certificates=library.certificates_of(current_user.id, product.id),
                           evaluated=evaluations.of(current_user.id, product.id) is not None)


@bp.get("/<slug>/continue")
def resume(slug):
    """Where the customer left off: the first unfinished lesson, else the exam, else the course page."""
    product = _course(slug)
    progress = course_progress(current_user.id, product.id)
    if progress.first_unfinished_id is not None:
        return redirect(url_for(".lesson", slug=slug, lesson_id=progress.first_unfinished_id))
    if progress.all_done and not progress.exam_passed:
        return redirect(url_for(".exam", slug=slug))
    return redirect(url_for(".course", slug=slug))


@bp.get("/<slug>/lessons/<int:lesson_id>")
def lesson(slug, lesson_id):
    page = lesson_page.read(current_user.id, slug, lesson_id) if current_user.is_authenticated else None
    if page is None:
        abort(404, description=NOT_FOUND)
    embed = ""
    if page.video_url:
        try:
            embed = content.embed_url(page.video_url)
        except content.VideoUrlError:
            embed = ""
    response = current_app.make_response(render_template("courses/lesson.html", page=page, embed=embed))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<slug>/lessons/<int:lesson_id>/complete")
def complete(slug, lesson_id):
    """Mark a lesson done (or not done again, with done=0); then on to the next lesson."""
    product = _course(slug)
    outline = content.outline(product.id)
    found = outline.lesson(lesson_id)
    if found is None:
        abort(404, description="That lesson is not part of this course.")
    if not ConfirmForm().validate_on_submit():
        abort(400, description="That form has expired. Reload the page and try again.")
    if request.form.get("done", "1") == "0":
        mark_incomplete(current_user.id, found.id)
        if wants_json():
            return jsonify(done=False)
        flash(f"“{found.title}” is marked as not done.", "success")
        return redirect(url_for(".lesson", slug=slug, lesson_id=found.id))
    mark_complete(current_user.id, found.id)
    if wants_json():
        return jsonify(done=True)
    progress = course_progress(current_user.id, product.id)
    if progress.first_unfinished_id is not None:
        _, after = outline.neighbours(found)
        target = after.id if after is not None and after.id not in progress.done_ids else progress.first_unfinished_id
        return redirect(url_for(".lesson", slug=slug, lesson_id=target))
    flash("Every lesson is complete. The final exam is open.", "success")
    return redirect(url_for(".exam", slug=slug))


@bp.get("/files/<int:file_id>")
def file(file_id):
    """A course's video, handout or lesson image, after the access check; videos answer Range requests."""
    row = db.session.get(CourseFile, file_id)
    if row is None or not course_access.can_open(current_user, db.session.get(Product, row.product_id)):
        abort(404, description="We could not find that file.")
    store = storage.private()
    if not store.exists(row.storage_key):
        abort(404, description="We could not find that file.")
    inline = row.purpose != PURPOSE_MATERIAL or row.content_type == "application/pdf"
    response = store.send(row.storage_key, mimetype=row.content_type, download_name=row.original_name or None,
                          as_attachment=not inline)
    if response.status_code < 300:  # the file itself; a signed URL's redirect is never cached (S3Storage.send)
        response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/<slug>/exam", methods=["GET", "POST"])
def exam(slug):
    product = _course(slug)
    progress = course_progress(current_user.id, product.id)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400, description="That form has expired. Reload the page and try again.")
        try:
            attempt = exams.start(current_user, product, progress)
        except exams.ExamRefused as refusal:
            flash(refusal.message, "error")
            return redirect(url_for(".exam", slug=slug)), 303
        return redirect(url_for(".attempt", slug=slug, attempt_id=attempt.id), 303)
    state = exams.state(current_user.id, product.id, progress)
    return render_template("courses/exam_start.html", product=product, progress=progress, state=state,
                           attempts=exams.attempts_for(current_user.id, product.id), form=form,
                           name_needed=not certificates.participant_name(current_user),
                           certificate_name=certificates.participant_name(current_user))


@bp.route("/<slug>/exam/<int:attempt_id>", methods=["GET", "POST"])
def attempt(slug, attempt_id):
    product = _course(slug)
    found = exams.attempt_of(current_user.id, product.id, attempt_id)
    if found is None:
        abort(404, description="We could not find that exam attempt.")
    if found.submitted_at is not None:
        return redirect(url_for(".result", slug=slug, attempt_id=found.id), 303)
    form = ConfirmForm()
    problem, chosen, status = None, {}, 200
    if request.method == "POST":
        chosen = exams.read_answers(request.form, found)
        if not form.validate_on_submit():
            problem, status = "That form has expired. Your answers are below: submit them again.", 400
        else:
            try:
                exams.submit(current_user, product, found, chosen,
                             today=local_today(current_app.config["SHOP_TIMEZONE"]))
                return redirect(url_for(".result", slug=slug, attempt_id=found.id), 303)
            except exams.ExamRefused as refusal:
                problem, status = refusal.message, refusal.status or 422
    page = render_template("courses/exam.html", product=product, attempt=found, questions=exams.shown(found),
                           chosen=chosen, problem=problem, form=form)
    response = current_app.make_response((page, status))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<slug>/exam/<int:attempt_id>/result")
def result(slug, attempt_id):
    product = _course(slug)
    found = exams.attempt_of(current_user.id, product.id, attempt_id)
    if found is None or found.submitted_at is None:
        abort(404, description="We could not find that exam result.")
    progress = course_progress(current_user.id, product.id)
    return render_template("courses/result.html", product=product, attempt=found, progress=progress,
                           state=exams.state(current_user.id, product.id, progress),
                           review=[] if found.passed else exams.lessons_to_review(found),
                           certificates=library.certificates_of(current_user.id, product.id),
                           evaluated=evaluations.of(current_user.id, product.id) is not None, form=ConfirmForm())


@bp.route("/<slug>/evaluation", methods=["GET", "POST"])
def evaluation(slug):
    product = _course(slug)
    progress = course_progress(current_user.id, product.id)
    if not progress.exam_passed:
        flash("The evaluation opens once you pass the exam.", "error")
        return redirect(url_for(".course", slug=slug))
    if evaluations.of(current_user.id, product.id) is not None:
        flash("You have already sent your evaluation of this course. Thank you.", "success")
        return redirect(url_for(".course", slug=slug))
    form = EvaluationForm()
    problem, status = None, 200
    if form.is_submitted():
        if form.validate():
            try:
                evaluations.save(current_user.id, product.id, ratings={n: int(getattr(form, n).data)
                                                                        for n, _ in evaluations.RATINGS},
                                 would_recommend=form.would_recommend.data == "yes", comment=form.comment.data)
                flash("Thank you for your evaluation.", "success")
                return redirect(url_for(".course", slug=slug), 303)
            except evaluations.EvaluationRefused as refusal:
                problem, status = attach(form, refusal), refusal.status or 422
        else:
            problem, status = "Please answer each statement.", 422
    return render_template("courses/evaluation.html", product=product, form=form, problem=problem), status
