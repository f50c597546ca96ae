"""Everything a lesson page shows, read in one query whatever the size of the course or the shop.

Load first, then render: the access check, the course outline with what this customer has done, the
lesson's own text and its video and handouts come back together as plain rows (no ORM objects to
hydrate). The statement is built once, at import, with bound parameters, so a request only binds values.
The access rule is `access.opens`, the same one every other course page checks.
"""

from dataclasses import dataclass, field

from sqlalchemy import and_, bindparam, case, select

from shop.catalogue.models import KIND_COURSE, Product
from shop.courses.access import opens
from shop.courses.models import PURPOSE_MATERIAL, PURPOSE_VIDEO, CourseFile, CourseModule, Lesson, LessonProgress
from shop.extensions import db


@dataclass(frozen=True)
class OutlineItem:
    id: int
    title: str
    done: bool


@dataclass
class OutlineModule:
    title: str
    lessons: list[OutlineItem] = field(default_factory=list)


@dataclass(frozen=True)
class FileLink:
    id: int
    title: str
    content_type: str
    size_bytes: int


@dataclass
class LessonPage:
    course_id: int
    course_slug: str
    course_title: str
    lesson_id: int
    title: str
    module_title: str
    body_html: str
    video_url: str
    minutes: int | None
    modules: list[OutlineModule]
    before: OutlineItem | None = None
    after: OutlineItem | None = None
    video: FileLink | None = None
    materials: list[FileLink] = field(default_factory=list)

    @property
    def items(self) -> list[OutlineItem]:
        return [item for module in self.modules for item in module.lessons]

    @property
    def done_ids(self) -> set[int]:
        return {item.id for item in self.items if item.done}

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def done(self) -> int:
        return len(self.done_ids)

    @property
    def is_done(self) -> bool:
        return self.lesson_id in self.done_ids


_OUTLINE = (
    select(Product.id, Product.slug, Product.title, CourseModule.id, CourseModule.title, Lesson.id, Lesson.title,
           LessonProgress.id.is_not(None),
           case((Lesson.id == bindparam("lesson_id"), Lesson.body_html), else_=None),
           Lesson.video_url, Lesson.minutes,
           CourseFile.id, CourseFile.title, CourseFile.content_type, CourseFile.size_bytes, CourseFile.purpose)
    .select_from(Product)
    .join(CourseModule, CourseModule.product_id == Product.id)
    .join(Lesson, Lesson.module_id == CourseModule.id)
    .outerjoin(LessonProgress, and_(LessonProgress.lesson_id == Lesson.id,
                                    LessonProgress.user_id == bindparam("user_id")))
    # the files of the lesson being read only: every other lesson comes back as one row
    .outerjoin(CourseFile, and_(CourseFile.lesson_id == Lesson.id, Lesson.id == bindparam("lesson_id"),
                                CourseFile.purpose.in_((PURPOSE_VIDEO, PURPOSE_MATERIAL))))
    .where(Product.slug == bindparam("slug"), Product.kind == KIND_COURSE,
           opens(Product.id, bindparam("user_id")))
    .order_by(CourseModule.position, CourseModule.id, Lesson.position, Lesson.id, CourseFile.position,
              CourseFile.id)
)


def read(user_id: int, slug: str, lesson_id: int) -> LessonPage | None:
    """The lesson page's data, or None when the course is not open to this customer or has no such lesson."""
    rows = db.session.execute(_OUTLINE, {"slug": slug, "user_id": user_id, "lesson_id": lesson_id}).all()
    page: LessonPage | None = None
    modules: list[OutlineModule] = []
    items: list[OutlineItem] = []
    module_ids: list[int] = []
    for (course_id, course_slug, course_title, module_id, module_title, item_id, title, done, body, video_url,
         minutes, file_id, file_title, content_type, size, purpose) in rows:
        if not items or items[-1].id != item_id:  # a lesson's first row (the lesson read has one per file)
            if not module_ids or module_ids[-1] != module_id:
                module_ids.append(module_id)
                modules.append(OutlineModule(title=module_title))
            item = OutlineItem(id=item_id, title=title, done=bool(done))
            modules[-1].lessons.append(item)
            items.append(item)
        if item_id != lesson_id:
            continue
        if page is None:
            page = LessonPage(course_id=course_id, course_slug=course_slug, course_title=course_title,
                              lesson_id=item_id, title=title, module_title=module_title, body_html=body or "",
                              video_url=video_url or "", minutes=minutes, modules=modules)
        if file_id is not None:
            link = FileLink(id=file_id, title=file_title, content_type=content_type, size_bytes=size)
            if purpose == PURPOSE_VIDEO and page.video is None:
                page.video = link
            elif purpose == PURPOSE_MATERIAL:
                page.materials.append(link)
    if page is None:
        return None
    index = next(i for i, item in enumerate(items) if item.id == lesson_id)
    page.before = items[index - 1] if index > 0 else None
    page.after = items[index + 1] if index + 1 < len(items) else None
    return page
