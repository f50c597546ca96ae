"""A course's final exam and its CE approvals (admins).

The exam page holds the pass mark, the attempts and the questions with their answers and the right one
(shop.courses.authoring); the approvals page lists, adds, edits and removes approvals (shop.courses.approvals).
"""

from flask import abort, current_app, flash, redirect, render_template, request, url_for

from shop.accounts.access import role_required
from shop.accounts.models import ROLE_ADMIN
from shop.backoffice.courses import bp, confirmed, course_or_404, forms
from shop.core import audit
from shop.core.forms import ConfirmForm, choices
from shop.core.timeutil import local_today
from shop.courses import approvals, authoring, content, exams
from shop.courses.approvals import ApprovalError
from shop.courses.authoring import AuthoringError
from shop.courses.models import Approval
from shop.extensions import db
from shop.web.helpers import attach, current_actor

INVALID = 422


# ---- the exam -----------------------------------------------------------------------------------------

def _question_form(product, question=None, posted=False):
    if posted:
        form = forms.QuestionForm()
    elif question is not None:
        data = {"prompt": question.prompt, "lesson_id": question.lesson_id or 0, "correct": ""}
        for slot, option in enumerate(question.options, start=1):
            data[f"option_{slot}"] = option.text
            if option.is_correct:
                data["correct"] = str(slot)
        form = forms.QuestionForm(formdata=None, data=data)
    else:
        form = forms.QuestionForm(formdata=None)
    form.lesson_id.choices = choices([(0, "— none —"), *((lesson.id, lesson.title)
                                                          for lesson in content.outline(product.id).lessons)])
    form.correct.choices = choices([("", "— choose —"), *((str(n), f"Answer {n}")
                                                           for n in range(1, forms.OPTION_SLOTS + 1))])
    return form


def _options(form):
    right = form.correct.data or ""
    return [(form[f"option_{n}"].data or "", right == str(n)) for n in range(1, forms.OPTION_SLOTS + 1)]


def _exam_page(product, *, settings_form=None, question_form=None, question=None, status=200, **context):
    exam = exams.exam_of(product.id)
    if settings_form is None:
        settings_form = forms.ExamSettingsForm(formdata=None, obj=exam) if exam else forms.ExamSettingsForm(
            formdata=None)
    return render_template(
        "backoffice/courses/exam.html", product=product, exam=exam, settings_form=settings_form,
        question_form=question_form or _question_form(product), question=question,
        button_form=ConfirmForm(formdata=None), option_slots=range(1, forms.OPTION_SLOTS + 1), **context,
    ), status


@bp.route("/<int:product_id>/exam", methods=["GET", "POST"])
@role_required(ROLE_ADMIN)
def exam(product_id):
    product = course_or_404(product_id)
    if request.method == "GET":
        return _exam_page(product)
    form = forms.ExamSettingsForm()
    if not form.validate_on_submit():
        return _exam_page(product, settings_form=form, status=INVALID)
    try:
        authoring.save_exam_settings(product, pass_percent=form.pass_percent.data, max_attempts=form.max_attempts.data,
                                     requires_all_lessons=form.requires_all_lessons.data, actor=current_actor())
    except AuthoringError as error:
        return _exam_page(product, settings_form=form, status=error.status, error_message=attach(form, error))
    flash("Exam settings saved.", "success")
    return redirect(url_for("courses_admin.exam", product_id=product.id))


def _question(product, question_id):
    question = authoring.question_of(product, question_id)
    if question is None:
        abort(404, description="That question is not one of this course's.")
    return question


def _save_question(product, question):
    if request.method == "GET":
        return _exam_page(product, question_form=_question_form(product, question), question=question)
    form = _question_form(product, question, posted=True)
    if not form.validate_on_submit():
        return _exam_page(product, question_form=form, question=question, status=INVALID)
    try:
        authoring.save_question(product, question, prompt=form.prompt.data, lesson_id=form.lesson_id.data or None,
                                options=_options(form), actor=current_actor())
    except AuthoringError as error:
        message = attach(form, error)
        return _exam_page(product, question_form=form, question=question, status=error.status,
                          error_message=message)
    flash("Question saved.", "success")
    return redirect(url_for("courses_admin.exam", product_id=product.id, _anchor="questions"))


@bp.post("/<int:product_id>/exam/questions")
@role_required(ROLE_ADMIN)
def add_question(product_id):
    return _save_question(course_or_404(product_id), None)


@bp.route("/<int:product_id>/exam/questions/<int:question_id>", methods=["GET", "POST"])
@role_required(ROLE_ADMIN)
def edit_question(product_id, question_id):
    product = course_or_404(product_id)
    return _save_question(product, _question(product, question_id))


@bp.post("/<int:product_id>/exam/questions/<int:question_id>/delete")
@role_required(ROLE_ADMIN)
def delete_question(product_id, question_id):
    product = course_or_404(product_id)
    question = _question(product, question_id)
    confirmed()
    authoring.delete_question(question, actor=current_actor())
    flash("Question deleted.", "success")
    return redirect(url_for("courses_admin.exam", product_id=product.id, _anchor="questions"))


# ---- approvals ----------------------------------------------------------------------------------------

def _approval(product, approval_id):
    approval = db.session.get(Approval, approval_id)
    if approval is None or approval.product_id != product.id:
        abort(404, description="That approval is not one of this course's.")
    return approval


def _approvals_page(product, *, form=None, approval=None, status=200, error_message=None):
    return render_template(
        "backoffice/courses/approvals.html", product=product, approvals=approvals.for_product(product.id),
        form=form or forms.ApprovalForm(formdata=None, obj=approval), approval=approval,
        today=local_today(current_app.config["SHOP_TIMEZONE"]), button_form=ConfirmForm(formdata=None),
        error_message=error_message, history=[e for e in audit.entries_for("product", product.id, limit=60)
                                              if e.action.startswith("approval")],
    ), status


def _save_approval(product, approval):
    if request.method == "GET":
        return _approvals_page(product, approval=approval)
    form = forms.ApprovalForm()
    if not form.validate_on_submit():
        return _approvals_page(product, form=form, approval=approval, status=INVALID)
    fields = {name: form[name].data for name in approvals.FIELDS}
    fields = {name: ("" if value is None and name in approvals.TEXT_FIELDS else value)
              for name, value in fields.items()}
    try:
        if approval is None:
            approvals.create(product, fields, actor=current_actor())
        else:
            approvals.update(approval, fields, actor=current_actor())
    except ApprovalError as error:
        message = attach(form, error)
        return _approvals_page(product, form=form, approval=approval, status=error.status, error_message=message)
    flash("Approval saved.", "success")
    return redirect(url_for("courses_admin.approvals", product_id=product.id))


@bp.route("/<int:product_id>/approvals", methods=["GET", "POST"], endpoint="approvals")
@role_required(ROLE_ADMIN)
def approvals_page(product_id):
    return _save_approval(course_or_404(product_id), None)


@bp.route("/<int:product_id>/approvals/<int:approval_id>", methods=["GET", "POST"])
@role_required(ROLE_ADMIN)
def edit_approval(product_id, approval_id):
    product = course_or_404(product_id)
    return _save_approval(product, _approval(product, approval_id))


@bp.post("/<int:product_id>/approvals/<int:approval_id>/delete")
@role_required(ROLE_ADMIN)
def delete_approval(product_id, approval_id):
    product = course_or_404(product_id)
    approval = _approval(product, approval_id)
    confirmed()
    try:
        approvals.delete(approval, actor=current_actor())
    except ApprovalError as error:
        return _approvals_page(product, status=error.status, error_message=error.message)
    flash("Approval removed.", "success")
    return redirect(url_for("courses_admin.approvals", product_id=product.id))
