"""Courses as the customer takes them: access, content, progress, the exam, approvals and certificates.

Over 300 lines: one table per noun of a home-study course, kept together so the schema reads in one place.

A course is a catalogue Product of kind "course". Its content (modules, lessons, files) and its final
exam hang off the product; its CE approvals say what a certificate prints. A certificate copies what it
certifies (name, approved title, hours, provider) when it is issued, so later edits to an approval or a
profile never change a certificate already given: records are kept, never deleted.
"""

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.core import stamp
from shop.core.timeutil import utcnow
from shop.extensions import db

SOURCE_ORDER = "order"
SOURCE_STAFF = "staff"
SOURCES = (SOURCE_ORDER, SOURCE_STAFF)


class CourseAccess(db.Model):
    """Who may open which course: from a paid order (web or phone) or granted by staff."""

    __tablename__ = "course_access"
    __table_args__ = (UniqueConstraint("email", "product_id", name="uq_course_access_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(db.String(254), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True,
                                                index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"), nullable=True)
    granted_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)
    source: Mapped[str] = mapped_column(db.String(10), default=SOURCE_ORDER)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    note: Mapped[str] = mapped_column(db.String(300), default="")

    product = relationship("Product", lazy="joined")


class CourseModule(db.Model):
    __tablename__ = "course_modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(db.String(200))
    position: Mapped[int] = mapped_column(default=0)

    lessons = relationship("Lesson", order_by="(Lesson.position, Lesson.id)", cascade="all, delete-orphan",
                           back_populates="module")


class Lesson(db.Model):
    __tablename__ = "lessons"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("course_modules.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(db.String(200))
    position: Mapped[int] = mapped_column(default=0)
    body_md: Mapped[str] = mapped_column(db.Text, default="")
    body_html: Mapped[str] = mapped_column(db.Text, default="")
    # a video: a file of this lesson's with purpose "video", or an embed from YouTube or Vimeo (its URL)
    video_url: Mapped[str] = mapped_column(db.String(300), default="")
    minutes: Mapped[int | None] = mapped_column(nullable=True)
    updated_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow, onupdate=utcnow)

    module = relationship("CourseModule", back_populates="lessons")
    files = relationship("CourseFile", order_by="(CourseFile.position, CourseFile.id)", back_populates="lesson")


PURPOSE_MATERIAL = "material"  # a handout or chart to download
PURPOSE_VIDEO = "video"
PURPOSE_IMAGE = "image"  # shown inside a lesson's text
PURPOSES = (PURPOSE_MATERIAL, PURPOSE_VIDEO, PURPOSE_IMAGE)


class CourseFile(db.Model):
    """A file of a course, kept in private storage and handed out only after the access check."""

    __tablename__ = "course_files"
    __table_args__ = (CheckConstraint(f"purpose IN {PURPOSES!r}", name="purpose_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[int | None] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), nullable=True,
                                                  index=True)
    purpose: Mapped[str] = mapped_column(db.String(10))
    title: Mapped[str] = mapped_column(db.String(200))
    storage_key: Mapped[str] = mapped_column(db.String(300), unique=True)
    content_type: Mapped[str] = mapped_column(db.String(100))
    size_bytes: Mapped[int] = mapped_column(default=0)
    original_name: Mapped[str] = mapped_column(db.String(255), default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)

    lesson = relationship("Lesson", back_populates="files")


class LessonProgress(db.Model):
    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("user_id", "lesson_id", name="uq_lesson_progress_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    completed_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)


class Exam(db.Model):
    """A course's final exam: its pass mark, attempts, and whether every lesson must be done first."""

    __tablename__ = "exams"
    __table_args__ = (
        CheckConstraint("pass_percent BETWEEN 1 AND 100", name="pass_percent_range"),
        CheckConstraint("max_attempts >= 1", name="max_attempts_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), unique=True)
    pass_percent: Mapped[int] = mapped_column(default=70)
    max_attempts: Mapped[int] = mapped_column(default=3)
    requires_all_lessons: Mapped[bool] = mapped_column(default=True)

    questions = relationship("ExamQuestion", order_by="(ExamQuestion.position, ExamQuestion.id)",
                             cascade="all, delete-orphan", back_populates="exam")


class ExamQuestion(db.Model):
    __tablename__ = "exam_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"), index=True)
    prompt: Mapped[str] = mapped_column(db.Text)
    position: Mapped[int] = mapped_column(default=0)
    # the lesson to review when this question is answered wrongly
    lesson_id: Mapped[int | None] = mapped_column(ForeignKey("lessons.id", ondelete="SET NULL"), nullable=True)

    exam = relationship("Exam", back_populates="questions")
    options = relationship("ExamOption", order_by="(ExamOption.position, ExamOption.id)",
                           cascade="all, delete-orphan", back_populates="question")
    lesson = relationship("Lesson")


class ExamOption(db.Model):
    __tablename__ = "exam_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("exam_questions.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(db.String(500))
    is_correct: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    question = relationship("ExamQuestion", back_populates="options")


class ExamAttempt(db.Model):
    """One sitting of the exam: the order its questions and options were shown in, the answers, the score."""

    __tablename__ = "exam_attempts"
    __table_args__ = (UniqueConstraint("user_id", "product_id", "number", name="uq_exam_attempt_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    layout: Mapped[list] = mapped_column(db.JSON, default=list)  # [[question id, [option ids]], ...]
    answers: Mapped[dict] = mapped_column(db.JSON, default=dict)  # {question id: option id}
    started_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)
    submitted_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
    correct: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    score_percent: Mapped[int] = mapped_column(default=0)
    passed: Mapped[bool] = mapped_column(default=False)


class ExamAllowance(db.Model):
    """Extra attempts staff granted a customer beyond the exam's limit."""

    __tablename__ = "exam_allowances"
    __table_args__ = (UniqueConstraint("user_id", "product_id", name="uq_exam_allowance_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    extra_attempts: Mapped[int] = mapped_column(default=0)


class Approval(db.Model):
    """A CE approval of a course by a board: exactly what a certificate under it must print."""

    __tablename__ = "course_approvals"
    __table_args__ = (CheckConstraint("ce_hours > 0", name="ce_hours_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(db.String(120))  # "NCBTMB", "Florida Board of Massage Therapy"
    state: Mapped[str] = mapped_column(db.String(2), default="")  # a state board's state; "" for national
    body_statement: Mapped[str] = mapped_column(db.Text, default="")
    approved_title: Mapped[str] = mapped_column(db.String(200))
    ce_hours: Mapped[object] = mapped_column(db.Numeric(5, 2))
    course_type: Mapped[str] = mapped_column(db.String(40), default="Home study")
    provider_name: Mapped[str] = mapped_column(db.String(200))
    provider_number: Mapped[str] = mapped_column(db.String(60))
    provider_contact: Mapped[str] = mapped_column(db.String(300))  # address or e-mail
    starts_on: Mapped[object] = mapped_column(db.Date)
    expires_on: Mapped[object] = mapped_column(db.Date)
    cebroker_tracking_number: Mapped[str] = mapped_column(db.String(40), default="")
    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)
    updated_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow, onupdate=utcnow)

    product = relationship("Product")


class Certificate(db.Model):
    """A certificate of achievement: what it certifies is copied in when issued and never deleted."""

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("user_id", "approval_id", name="uq_certificate_per_approval"),
        Index("ix_certificates_completed", "completed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(db.String(20), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"), index=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("course_approvals.id", ondelete="RESTRICT"))
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("exam_attempts.id", ondelete="SET NULL"),
                                                   nullable=True)
    participant_name: Mapped[str] = mapped_column(db.String(200))
    licence_state: Mapped[str] = mapped_column(db.String(2), default="")
    licence_number: Mapped[str] = mapped_column(db.String(40), default="")
    approved_title: Mapped[str] = mapped_column(db.String(200))
    ce_hours: Mapped[object] = mapped_column(db.Numeric(5, 2))
    course_type: Mapped[str] = mapped_column(db.String(40))
    body: Mapped[str] = mapped_column(db.String(120))
    body_statement: Mapped[str] = mapped_column(db.Text, default="")
    provider_name: Mapped[str] = mapped_column(db.String(200))
    provider_number: Mapped[str] = mapped_column(db.String(60))
    provider_contact: Mapped[str] = mapped_column(db.String(300))
    cebroker_tracking_number: Mapped[str] = mapped_column(db.String(40), default="")
    completed_on: Mapped[object] = mapped_column(db.Date)
    issued_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)
    revision: Mapped[int] = mapped_column(default=1)
    reissued_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
    revoked_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
    revoked_reason: Mapped[str] = mapped_column(db.String(500), default="")
    cebroker_reported_at: Mapped[object | None] = mapped_column(db.DateTime, nullable=True)
    pdf_key: Mapped[str] = mapped_column(db.String(300), default="")

    product = relationship("Product")
    user = relationship("User")

    @property
    def is_revoked(self):
        return self.revoked_at is not None


class CourseEvaluation(db.Model):
    """The short evaluation a customer gives after passing, kept for the course's approvals."""

    __tablename__ = "course_evaluations"
    __table_args__ = (UniqueConstraint("user_id", "product_id", name="uq_course_evaluation_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    objectives_met: Mapped[int] = mapped_column()  # 1-5 each
    content_quality: Mapped[int] = mapped_column()
    usefulness: Mapped[int] = mapped_column()
    would_recommend: Mapped[bool] = mapped_column(default=True)
    comment: Mapped[str] = mapped_column(db.Text, default="")
    created_at: Mapped[object] = mapped_column(db.DateTime, default=utcnow)


COURSE_TABLES = ("course_modules", "lessons", "course_files", "exams", "exam_questions", "exam_options",
                 "course_approvals")


def _stamp_columns():
    """The courses' part of the storefront stamp (shop.core.stamp): product pages show current approvals."""
    return (
        db.select(func.count(Approval.id)).scalar_subquery(),
        db.select(func.max(Approval.updated_at)).scalar_subquery(),
    )


stamp.register("approvals", _stamp_columns, ("course_approvals",))
