"""A course's content as the customer reads it: the outline, lesson text, video embeds, file links.

Lesson text is Markdown sanitised like product descriptions, plus images. An image may only point at
one of the course's own files, written `![alt](file:ID)` by authors (or the file's course URL): every
other image source is dropped, so a lesson never loads anything from elsewhere. Videos are a file of
the lesson's or an embed from YouTube or Vimeo, given by the page's URL; no other host is accepted.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import markdown
import nh3
from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from shop.catalogue.text import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from shop.core.text import is_whole_number
from shop.courses.models import PURPOSE_MATERIAL, PURPOSE_VIDEO, CourseFile, CourseModule, Lesson
from shop.extensions import db
from shop.web import security

EMBED_FRAME_SOURCES = security.VIDEO_FRAME_SOURCES  # the hosts the content-security policy frames videos from
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "www.youtube-nocookie.com"}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{4,12}$")
_FILE_SRC = re.compile(r'src="file:(\d{1,9})"')
FILE_URL_PREFIX = "/my/courses/files/"  # + "<id>": the lesson-image URL the page serves after its check
BAD_VIDEO_URL = ("Give the address of a YouTube or Vimeo video page (https://www.youtube.com/watch?v=… or "
                 "https://vimeo.com/…); videos from other sites cannot be embedded.")


class VideoUrlError(ValueError):
    pass


def embed_url(url: str) -> str:
    """The player URL for a YouTube or Vimeo page URL; VideoUrlError for anything else."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise VideoUrlError(BAD_VIDEO_URL)
    host = parts.hostname.lower()
    segments = [s for s in parts.path.split("/") if s]
    if host in _YOUTUBE_HOSTS:
        if host == "youtu.be":
            video = segments[0] if segments else ""
        elif segments[:1] == ["watch"]:
            video = (parse_qs(parts.query).get("v") or [""])[0]
        elif segments[:1] in (["embed"], ["shorts"], ["live"]) and len(segments) > 1:
            video = segments[1]
        else:
            video = ""
        if _YOUTUBE_ID.match(video):
            return f"https://www.youtube-nocookie.com/embed/{video}"
    elif host in _VIMEO_HOSTS:
        video = segments[-1] if segments else ""
        if _VIMEO_ID.match(video):
            return f"https://player.vimeo.com/video/{video}"
    raise VideoUrlError(BAD_VIDEO_URL)


def _image_source(tag: str, attribute: str, value: str) -> str | None:
    if tag != "img" or attribute != "src":
        return value
    if value.startswith(FILE_URL_PREFIX) and is_whole_number(value[len(FILE_URL_PREFIX):]):
        return value
    return None  # no images from anywhere else


def render_lesson(text: str | None) -> str:
    """Lesson Markdown -> sanitised HTML: the product description's tags plus the course's own images."""
    html = markdown.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    html = re.sub(r"<(/?)h1\b", r"<\1h2", html)
    html = _FILE_SRC.sub(lambda m: f'src="{FILE_URL_PREFIX}{m.group(1)}"', html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS | {"img", "figure", "figcaption"},
        attributes={**ALLOWED_ATTRIBUTES, "img": {"src", "alt", "width", "height"}},
        attribute_filter=_image_source,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


@dataclass(frozen=True)
class Outline:
    """A course's modules and lessons in order, read in two queries."""

    modules: list[CourseModule]
    lessons: list[Lesson]  # every lesson, in reading order

    def lesson(self, lesson_id: int) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def neighbours(self, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
        index = self.lessons.index(lesson)
        before = self.lessons[index - 1] if index > 0 else None
        after = self.lessons[index + 1] if index + 1 < len(self.lessons) else None
        return before, after


def outline(product_id: int) -> Outline:
    modules = list(db.session.scalars(select(CourseModule).where(CourseModule.product_id == product_id)
                                      .order_by(CourseModule.position, CourseModule.id)))
    lessons: list[Lesson] = []
    if modules:
        order = {module.id: index for index, module in enumerate(modules)}
        found = db.session.scalars(select(Lesson).where(Lesson.module_id.in_(order)))
        lessons = sorted(found, key=lambda item: (order[item.module_id], item.position, item.id))
        for module in modules:  # fill each module's lessons from what was read, without another query
            set_committed_value(module, "lessons", [item for item in lessons if item.module_id == module.id])
    return Outline(modules=modules, lessons=lessons)


def lesson_count(product_id: int) -> int:
    return int(db.session.scalar(select(db.func.count(Lesson.id)).join(CourseModule)
                                 .where(CourseModule.product_id == product_id)) or 0)


def files_of(product_id: int) -> list[CourseFile]:
    """Every file of a course (materials of the course and of its lessons, videos, lesson images)."""
    return list(db.session.scalars(select(CourseFile).where(CourseFile.product_id == product_id)
                                   .order_by(CourseFile.position, CourseFile.id)))


def course_materials(files: list[CourseFile]) -> list[CourseFile]:
    return [f for f in files if f.purpose == PURPOSE_MATERIAL and f.lesson_id is None]


def lesson_video(files: list[CourseFile], lesson_id: int) -> CourseFile | None:
    return next((f for f in files if f.purpose == PURPOSE_VIDEO and f.lesson_id == lesson_id), None)


def file_of(product_id: int, file_id: int) -> CourseFile | None:
    row = db.session.get(CourseFile, file_id)
    return row if row is not None and row.product_id == product_id else None

