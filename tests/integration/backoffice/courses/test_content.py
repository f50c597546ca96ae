"""Admins write a course in the back office: modules and lessons, the preview, videos and files kept privately."""

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from shop.core.models import AuditEntry
from shop.courses.models import CourseFile, CourseModule, Lesson
from shop.extensions import db
from tests.factories import (
    DEFAULT_PASSWORD,
    CourseModuleFactory,
    LessonFactory,
    ProductFactory,
    UserFactory,
    course_with_lessons,
)
from tests.support.forms import csrf_token, log_in, post_form, soup


@pytest.fixture
def course(admin):
    return ProductFactory(title="Myofascial Release", is_active=False)


def _page(response):
    return response.get_data(as_text=True)


def _audit(product, action):
    return db.session.scalars(select(AuditEntry).filter_by(entity_type="product", entity_id=str(product.id),
                                                           action=action)).all()


def _modules(course):
    return db.session.scalars(select(CourseModule).filter_by(product_id=course.id)
                              .order_by(CourseModule.position)).all()


def test_modules_are_added_renamed_moved_and_deleted(client, course):
    base = f"/backoffice/courses/{course.id}"
    content = f"{base}/content"
    for title in ("Foundations", "Techniques"):
        assert post_form(client, f"{base}/modules", {"title": title}, page=content).status_code == 302
    first, second = _modules(course)
    assert [m.title for m in (first, second)] == ["Foundations", "Techniques"]
    assert post_form(client, f"{base}/modules/{first.id}/rename", {"title": "Basics"}, page=content).status_code == 302
    assert post_form(client, f"{base}/modules/{second.id}/move/up", page=content).status_code == 302
    assert [m.title for m in _modules(course)] == ["Techniques", "Basics"]
    empty = post_form(client, f"{base}/modules", {"title": "  "}, page=content)
    assert empty.status_code == 422 and "Enter the module" in _page(empty)
    assert post_form(client, f"{base}/modules/{first.id}/delete", page=content).status_code == 302
    assert [m.title for m in _modules(course)] == ["Techniques"]
    actions = {e.action for e in _audit(course, "module added") + _audit(course, "module renamed")
               + _audit(course, "module moved") + _audit(course, "module deleted")}
    assert actions == {"module added", "module renamed", "module moved", "module deleted"}


def test_a_lesson_is_added_written_previewed_moved_and_deleted(client, course):
    module = CourseModuleFactory(product_id=course.id, title="Foundations", position=0)
    base = f"/backoffice/courses/{course.id}"
    added = post_form(client, f"{base}/modules/{module.id}/lessons", {"title": "Fascia"}, page=f"{base}/content")
    assert added.status_code == 302
    lesson = db.session.scalar(select(Lesson).filter_by(module_id=module.id))
    url = f"{base}/lessons/{lesson.id}"
    assert added.location.endswith(url)

    text = "## Fascia\n\n**Slow** pressure. <script>alert(1)</script> ![chart](https://evil.example/x.png)"
    preview = post_form(client, url, {"title": "Fascia", "body_md": text, "preview": "Preview"})
    assert preview.status_code == 200
    shown = soup(_page(preview)).find(id="preview-body")
    assert shown.find("strong").get_text() == "Slow" and shown.find("script") is None
    assert "evil.example" not in str(shown)  # no image from anywhere but the course's own files
    db.session.expire_all()
    assert db.session.get(Lesson, lesson.id).body_md == ""  # a preview saves nothing

    token = csrf_token(_page(client.get(url)))
    fragment = client.post(f"{base}/lessons/preview", data={"text": "*soft*", "csrf_token": token})
    assert fragment.status_code == 200 and "<em>soft</em>" in _page(fragment)

    saved = post_form(client, url, {"title": "Fascia and tone", "body_md": text, "minutes": "25",
                                    "video_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"})
    assert saved.status_code == 302
    lesson = db.session.get(Lesson, lesson.id)
    assert (lesson.title, lesson.minutes, lesson.video_url) == (
        "Fascia and tone", 25, "https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    assert "<strong>Slow</strong>" in lesson.body_html and "<script" not in lesson.body_html
    assert _audit(course, "lesson edited")

    other = LessonFactory(module_id=module.id, title="Trigger points", position=5)
    assert post_form(client, f"{base}/lessons/{other.id}/move/up", page=f"{base}/content").status_code == 302
    db.session.expire_all()
    assert [item.title for item in sorted(db.session.get(CourseModule, module.id).lessons,
                                          key=lambda item: item.position)] == ["Trigger points", "Fascia and tone"]
    other_id = other.id
    assert post_form(client, f"{base}/lessons/{other_id}/delete", page=f"{base}/content").status_code == 302
    assert db.session.get(Lesson, other_id) is None and _audit(course, "lesson deleted")


def test_a_video_address_from_another_site_is_refused_with_the_reason(client, course):
    _course, [lesson] = course_with_lessons(lessons=1)
    url = f"/backoffice/courses/{_course.id}/lessons/{lesson.id}"
    response = post_form(client, url, {"title": lesson.title, "body_md": "Text",
                                       "video_url": "https://videos.example.com/watch/123"})
    assert response.status_code == 422
    assert "YouTube or Vimeo" in _page(response)
    assert db.session.get(Lesson, lesson.id).video_url == ""


def test_the_last_lesson_of_a_course_on_sale_cannot_be_deleted(client, admin):
    on_sale, [lesson] = course_with_lessons(lessons=1)
    base = f"/backoffice/courses/{on_sale.id}"
    refused = post_form(client, f"{base}/lessons/{lesson.id}/delete", page=f"{base}/content")
    assert refused.status_code == 409 and "only lesson" in _page(refused)
    assert db.session.get(Lesson, lesson.id) is not None


def _png(size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


def _upload(client, course, lesson, data, filename, purpose="material", title="Handout"):
    base = f"/backoffice/courses/{course.id}"
    url = f"{base}/lessons/{lesson.id}/files" if lesson is not None else f"{base}/files"
    page = f"{base}/lessons/{lesson.id}" if lesson is not None else f"{base}/content"
    return post_form(client, url, {"upload": (io.BytesIO(data), filename), "purpose": purpose, "title": title},
                     page=page)


def test_an_uploaded_file_is_kept_privately_and_never_served_from_media(app, client, admin):
    course, [lesson] = course_with_lessons(lessons=1)
    pdf = b"%PDF-1.4\n% a handout\n" + b"0" * 2000
    assert _upload(client, course, None, pdf, "handout.pdf").status_code == 302
    assert _upload(client, course, lesson, _png(), "chart.png", purpose="image", title="Chart").status_code == 302
    handout, image = db.session.scalars(select(CourseFile).filter_by(product_id=course.id)
                                        .order_by(CourseFile.id)).all()
    assert (handout.purpose, handout.lesson_id, handout.content_type) == ("material", None, "application/pdf")
    assert handout.storage_key.startswith(f"courses/{course.id}/") and handout.storage_key.endswith(".pdf")
    private = Path(app.config["PRIVATE_MEDIA_ROOT"])
    assert (private / handout.storage_key).read_bytes() == pdf
    assert not (Path(app.config["MEDIA_ROOT"]) / handout.storage_key).exists()
    assert client.get(f"/media/{handout.storage_key}").status_code == 404
    assert (image.purpose, image.lesson_id, image.content_type) == ("image", lesson.id, "image/png")
    page = _page(client.get(f"/backoffice/courses/{course.id}/lessons/{lesson.id}"))
    assert f"![Chart](file:{image.id})" in page
    served = client.get(f"/backoffice/courses/{course.id}/files/{handout.id}")
    assert served.status_code == 200 and served.data == pdf
    assert _audit(course, "file added")
    base = f"/backoffice/courses/{course.id}"
    handout_id, key = handout.id, handout.storage_key
    assert post_form(client, f"{base}/files/{handout_id}/delete", page=f"{base}/content").status_code == 302
    assert not (private / key).exists() and db.session.get(CourseFile, handout_id) is None


def test_a_file_of_the_wrong_type_is_a_422_and_one_too_big_a_413(client, admin):
    course, [lesson] = course_with_lessons(lessons=1)
    renamed = _upload(client, course, None, b"MZ\x90\x00 not a pdf", "handout.pdf")
    assert renamed.status_code == 422 and "not a PDF, PNG or JPEG" in _page(renamed)
    fake_video = _upload(client, course, lesson, b"%PDF-1.4 pretending", "lesson.mp4", purpose="video")
    assert fake_video.status_code == 422 and "not an MP4 or WebM" in _page(fake_video)
    huge = _upload(client, course, None, b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024), "huge.pdf")
    assert huge.status_code == 413 and "larger than 20 MB" in _page(huge)
    assert db.session.scalars(select(CourseFile)).all() == []


def test_a_video_file_is_checked_by_its_first_bytes_and_belongs_to_a_lesson(client, admin):
    course, [lesson] = course_with_lessons(lessons=1)
    mp4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 4000
    assert _upload(client, course, None, mp4, "intro.mp4", purpose="video").status_code == 422
    assert _upload(client, course, lesson, mp4, "intro.mp4", purpose="video", title="Intro").status_code == 302
    [video] = db.session.scalars(select(CourseFile).filter_by(lesson_id=lesson.id)).all()
    assert (video.purpose, video.content_type) == ("video", "video/mp4")
    embed = post_form(client, f"/backoffice/courses/{course.id}/lessons/{lesson.id}",
                      {"title": lesson.title, "video_url": "https://vimeo.com/123456789"})
    assert embed.status_code == 422 and "uploaded video" in _page(embed)


def test_staff_who_are_not_admins_cannot_edit_content(client):
    course, [lesson] = course_with_lessons(lessons=1)
    log_in(client, UserFactory(role="staff").email, DEFAULT_PASSWORD)
    for url in (f"/backoffice/courses/{course.id}/content", f"/backoffice/courses/{course.id}/lessons/{lesson.id}",
                f"/backoffice/courses/{course.id}/exam", f"/backoffice/courses/{course.id}/approvals",
                "/backoffice/courses/signature"):
        assert client.get(url).status_code == 403, url
    assert client.get("/backoffice/courses/learners").status_code == 200
    assert client.get("/backoffice/courses/").status_code == 200
