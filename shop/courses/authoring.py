"""Admins write a course: modules, lessons, the exam and its questions; staff add an exam attempt.

Over 300 lines: every change an author makes to a course's outline and exam, and the publishing rule, kept
together so the rules about a course's content read in one place (its files: shop.courses.course_files).

Every change is audited against the course's product ("product", product id) and committed here. A course
with no lessons cannot be published: this module answers the catalogue's `course_publishing` signal.
"""

import contextlib
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from shop.accounts.models import User
from shop.catalogue.models import Product
from shop.catalogue.signals import course_publishing
from shop.core import audit, storage
from shop.core.errors import Refusal
from shop.core.storage import StorageError
from shop.courses import content, exams
from shop.courses.models import (
    CourseModule,
    Exam,
    ExamAllowance,
    ExamOption,
    ExamQuestion,
    Lesson,
    LessonProgress,
)
from shop.extensions import db

MB = 1024 * 1024
NO_LESSONS = "Add at least one lesson before publishing this course."
MIN_OPTIONS, MAX_OPTIONS = 2, 6



class AuthoringError(Refusal):
    """An edit to a course's content that cannot be made as asked."""


def record(product_id: int, action: str, summary: str, actor: Any) -> None:
    audit.record(action, "product", product_id, summary[:500], actor=actor)


def _title(text: str | None, what: str = "a title") -> str:
    text = " ".join((text or "").split())
    if not text:
        raise AuthoringError(f"Enter {what}.", "title")
    if len(text) > 200:
        raise AuthoringError("Keep the title to 200 characters.", "title")
    return text


def can_publish(product: Product) -> bool:
    """The publishing rule: a course with no lessons cannot be published."""
    return content.lesson_count(product.id) > 0


@course_publishing.connect
def _refuse_without_lessons(product_id: int | None, **_: Any) -> str | None:
    product = db.session.get(Product, product_id) if product_id is not None else None
    return None if product is not None and can_publish(product) else NO_LESSONS


# ---- modules ------------------------------------------------------------------------------------------

def _modules(product_id: int) -> list[CourseModule]:
    return list(db.session.scalars(select(CourseModule).where(CourseModule.product_id == product_id)
                                   .order_by(CourseModule.position, CourseModule.id)))


def module_of(product: Product, module_id: int) -> CourseModule | None:
    module = db.session.get(CourseModule, module_id)
    return module if module is not None and module.product_id == product.id else None


def lesson_of(product: Product, lesson_id: int) -> Lesson | None:
    lesson = db.session.get(Lesson, lesson_id)
    return lesson if lesson is not None and lesson.module.product_id == product.id else None


def add_module(product: Product, title: str, *, actor: Any) -> CourseModule:
    title = _title(title, "the module's title")
    module = CourseModule(product_id=product.id, title=title,
                          position=max((m.position for m in _modules(product.id)), default=-1) + 1)
    db.session.add(module)
    record(product.id, "module added", f"“{title}”", actor)
    db.session.commit()
    return module


def rename_module(module: CourseModule, title: str, *, actor: Any) -> CourseModule:
    title = _title(title, "the module's title")
    if title != module.title:
        record(module.product_id, "module renamed", f"“{module.title}” → “{title}”", actor)
        module.title = title
    db.session.commit()
    return module


def _swap(items: list[Any], item: Any, direction: int) -> bool:
    """Renumber `items` 0..n with `item` moved one place (-1 up, +1 down); False when it cannot move."""
    index = items.index(item)
    target = index + (1 if direction > 0 else -1)
    if not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    for position, each in enumerate(items):
        each.position = position
    return True


def move_module(module: CourseModule, direction: int, *, actor: Any) -> bool:
    """Move a module one place up (-1) or down (+1); False when it is already first or last."""
    moved = _swap(_modules(module.product_id), module, direction)
    if moved:
        record(module.product_id, "module moved", f"“{module.title}” {'up' if direction < 0 else 'down'}", actor)
    db.session.commit()
    return moved


def delete_module(module: CourseModule, *, actor: Any) -> None:
    if module.lessons:
        raise AuthoringError("This module still has lessons. Delete or move them first.", status=409)
    record(module.product_id, "module deleted", f"“{module.title}”", actor)
    db.session.delete(module)
    db.session.commit()


# ---- lessons ------------------------------------------------------------------------------------------

def add_lesson(module: CourseModule, title: str, *, actor: Any) -> Lesson:
    title = _title(title, "the lesson's title")
    lesson = Lesson(module_id=module.id, title=title, body_md="", body_html="",
                    position=max((item.position for item in module.lessons), default=-1) + 1)
    db.session.add(lesson)
    db.session.flush()
    _count_lessons(module.product_id)
    record(module.product_id, "lesson added", f"“{title}” in “{module.title}”", actor)
    db.session.commit()
    return lesson


def _count_lessons(product_id: int) -> None:
    """The product page's "Lessons" figure follows the lessons the course really has."""
    product = db.session.get(Product, product_id)
    if product is not None:
        product.lesson_count = content.lesson_count(product_id)


def update_lesson(lesson: Lesson, *, title: str, body_md: str, minutes: int | None, video_url: str,
                  actor: Any) -> Lesson:
    """Save a lesson's title, text (rendered and sanitised now), length and video page URL."""
    title = _title(title, "the lesson's title")
    body_md = body_md or ""
    if len(body_md) > 100_000:
        raise AuthoringError("The lesson text is too long (100,000 characters at most).", "body_md")
    if minutes is not None and not 1 <= minutes <= 1000:
        raise AuthoringError("Give the minutes as a whole number from 1 to 1000, or leave it empty.", "minutes")
    video_url = (video_url or "").strip()
    if video_url:
        try:
            content.embed_url(video_url)
        except content.VideoUrlError as error:
            raise AuthoringError(str(error), "video_url") from None
        if len(video_url) > 300:
            raise AuthoringError("That video address is too long.", "video_url")
        if content.lesson_video(lesson.files, lesson.id) is not None:
            raise AuthoringError("This lesson has an uploaded video. Delete it first to embed one instead.",
                                 "video_url")
    changed = [name for name, old, new in (("title", lesson.title, title), ("text", lesson.body_md, body_md),
                                           ("minutes", lesson.minutes, minutes), ("video", lesson.video_url, video_url))
               if old != new]
    lesson.title, lesson.body_md, lesson.minutes, lesson.video_url = title, body_md, minutes, video_url
    lesson.body_html = content.render_lesson(body_md)
    record(lesson.module.product_id, "lesson edited", f"“{title}”: " + (", ".join(changed) or "no changes"), actor)
    db.session.commit()
    return lesson


def move_lesson(lesson: Lesson, direction: int, *, actor: Any) -> bool:
    """One place up (-1) or down (+1); past the start or end of its module it joins the next module."""
    module = lesson.module
    siblings = sorted(module.lessons, key=lambda item: (item.position, item.id))
    moved = _swap(siblings, lesson, direction)
    if not moved:
        modules = _modules(module.product_id)
        index = modules.index(module) + (1 if direction > 0 else -1)
        if 0 <= index < len(modules):
            target = modules[index]
            others = sorted(target.lessons, key=lambda item: (item.position, item.id))
            ordered = others + [lesson] if direction < 0 else [lesson] + others
            lesson.module = target
            for position, each in enumerate(ordered):
                each.position = position
            moved = True
    if moved:
        record(module.product_id, "lesson moved", f"“{lesson.title}” {'up' if direction < 0 else 'down'}", actor)
    db.session.commit()
    return moved


def delete_lesson(lesson: Lesson, *, actor: Any) -> None:
    """Delete a lesson and its files; refused for the last lesson of a course on sale (the publishing rule)."""
    product = db.session.get(Product, lesson.module.product_id)
    if product.is_active and content.lesson_count(product.id) <= 1:
        raise AuthoringError("This is the course's only lesson and the course is on sale. Add another lesson "
                             "first, or retire the course.", status=409)
    keys = [f.storage_key for f in lesson.files]
    for row in list(lesson.files):
        db.session.delete(row)
    # what the database would cascade where foreign keys are not enforced (SQLite)
    db.session.execute(delete(LessonProgress).where(LessonProgress.lesson_id == lesson.id))
    db.session.execute(update(ExamQuestion).where(ExamQuestion.lesson_id == lesson.id).values(lesson_id=None))
    record(product.id, "lesson deleted", f"“{lesson.title}”", actor)
    db.session.delete(lesson)
    db.session.flush()
    _count_lessons(product.id)
    db.session.commit()
    forget_files(keys)


# ---- files (the uploads themselves: shop.courses.course_files) ---------------------------------------

def forget_files(keys: list[str]) -> None:
    """Remove stored files whose rows are gone (a missing file is not an error)."""
    store = storage.private()
    for key in keys:
        with contextlib.suppress(StorageError, OSError):
            store.delete(key)


# ---- the exam -----------------------------------------------------------------------------------------

def save_exam_settings(product: Product, *, pass_percent: int | None, max_attempts: int | None,
                       requires_all_lessons: bool, actor: Any) -> Exam:
    if pass_percent is None or not 1 <= pass_percent <= 100:
        raise AuthoringError("The pass mark is a percentage from 1 to 100.", "pass_percent")
    if max_attempts is None or not 1 <= max_attempts <= 100:
        raise AuthoringError("Allow at least one attempt (and at most 100).", "max_attempts")
    exam = exams.exam_of(product.id)
    if exam is None:
        exam = Exam(product_id=product.id)
        db.session.add(exam)
    exam.pass_percent, exam.max_attempts = pass_percent, max_attempts
    exam.requires_all_lessons = bool(requires_all_lessons)
    record(product.id, "exam settings", f"pass {pass_percent}%, {max_attempts} attempts, "
            + ("after every lesson" if requires_all_lessons else "open at any time"), actor)
    db.session.commit()
    return exam


def question_of(product: Product, question_id: int) -> ExamQuestion | None:
    question = db.session.get(ExamQuestion, question_id)
    return question if question is not None and question.exam.product_id == product.id else None


def _check_question(product: Product, prompt: str, lesson_id: int | None,
                    options: list[tuple[str, bool]]) -> tuple[str, list[tuple[str, bool]]]:
    prompt = (prompt or "").strip()
    if not prompt:
        raise AuthoringError("Write the question.", "prompt")
    if len(prompt) > 2000:
        raise AuthoringError("Keep the question to 2,000 characters.", "prompt")
    if lesson_id and lesson_of(product, lesson_id) is None:
        raise AuthoringError("Choose one of this course's lessons to review.", "lesson_id")
    filled = [(" ".join(text.split())[:500], bool(right)) for text, right in options if (text or "").strip()]
    if any(right and not (text or "").strip() for text, right in options):
        raise AuthoringError("The answer marked right is empty. Write it, or mark another.", "correct")
    if not MIN_OPTIONS <= len(filled) <= MAX_OPTIONS:
        raise AuthoringError(f"Give from {MIN_OPTIONS} to {MAX_OPTIONS} answers.", "options")
    if sum(right for _text, right in filled) != 1:
        raise AuthoringError("Mark exactly one answer as the right one.", "correct")
    return prompt, filled


def save_question(product: Product, question: ExamQuestion | None, *, prompt: str, lesson_id: int | None,
                  options: list[tuple[str, bool]], actor: Any) -> ExamQuestion:
    """Add (question None) or edit a question: 2-6 answers, exactly one right. Options are kept in place."""
    prompt, filled = _check_question(product, prompt, lesson_id, options)
    exam = exams.exam_of(product.id)
    if exam is None:
        exam = Exam(product_id=product.id)
        db.session.add(exam)
        db.session.flush()
    created = question is None
    if created:
        question = ExamQuestion(exam_id=exam.id, position=max((q.position for q in exam.questions), default=-1) + 1)
        db.session.add(question)
    question.prompt, question.lesson_id = prompt, lesson_id or None
    kept = list(question.options)
    for position, (text, right) in enumerate(filled):
        option = kept[position] if position < len(kept) else ExamOption(question=question)
        option.text, option.is_correct, option.position = text, right, position
        if position >= len(kept):
            question.options.append(option)
    for extra in kept[len(filled):]:
        question.options.remove(extra)
    record(product.id, "question added" if created else "question edited", prompt[:120], actor)
    db.session.commit()
    return question


def delete_question(question: ExamQuestion, *, actor: Any) -> None:
    record(question.exam.product_id, "question deleted", question.prompt[:120], actor)
    db.session.delete(question)
    db.session.commit()


def grant_extra_attempt(user: User, product: Product, *, actor: Any) -> int:
    """One more exam attempt for this customer beyond the exam's limit; returns their extra attempts now."""
    def add_one() -> int:  # in the database, so two clicks at once give two attempts
        return int(db.session.execute(
            update(ExamAllowance).where(ExamAllowance.user_id == user.id, ExamAllowance.product_id == product.id)
            .values(extra_attempts=ExamAllowance.extra_attempts + 1).execution_options(synchronize_session=False)
        ).rowcount or 0)

    if not add_one():
        try:
            with db.session.begin_nested():
                db.session.add(ExamAllowance(user_id=user.id, product_id=product.id, extra_attempts=1))
        except IntegrityError:  # the other click made the row first
            add_one()
    row = db.session.scalar(select(ExamAllowance).where(ExamAllowance.user_id == user.id,
                                                        ExamAllowance.product_id == product.id)
                            .execution_options(populate_existing=True))
    audit.record("exam attempt granted", "product", product.id,
                 f"{user.email}: {row.extra_attempts} extra attempt{'s' if row.extra_attempts != 1 else ''}",
                 actor=actor)
    db.session.commit()
    return row.extra_attempts
