"""Taking a course: who may open it, lessons, files and videos, progress and resume, the evaluation."""

import pytest

from shop.core import storage
from shop.core.timeutil import utcnow
from shop.courses import access
from shop.courses.models import CourseEvaluation, CourseFile, ExamAttempt, LessonProgress
from shop.extensions import db
from tests.factories import (
    DEFAULT_PASSWORD,
    ApprovalFactory,
    UserFactory,
    course_with_lessons,
    exam_for,
    grant_course,
)
from tests.support.forms import csrf_token, log_in, soup

VIDEO = bytes(range(256)) * 40  # 10,240 bytes standing in for an MP4


@pytest.fixture
def course(app):
    product, lessons = course_with_lessons(lessons=3, title="Trigger Point Therapy", slug="tp-course")
    store = storage.private()
    video_key = storage.new_key(f"courses/{product.id}", "mp4")
    handout_key = storage.new_key(f"courses/{product.id}", "pdf")
    store.save(video_key, VIDEO)
    store.save(handout_key, b"%PDF-1.4 handout")
    video = CourseFile(product_id=product.id, lesson_id=lessons[0].id, purpose="video", title="Demonstration",
                       storage_key=video_key, content_type="video/mp4", size_bytes=len(VIDEO))
    handout = CourseFile(product_id=product.id, purpose="material", title="Trigger point chart",
                         storage_key=handout_key, content_type="application/pdf", size_bytes=16,
                         original_name="chart.pdf")
    db.session.add_all([video, handout])
    db.session.commit()
    return {"product": product, "lessons": lessons, "video": video, "handout": handout}


def _customer(app, email="owner@example.com"):
    user = UserFactory(email=email)
    client = app.test_client()
    log_in(client, email, DEFAULT_PASSWORD)
    return user, client


def _urls(course):
    slug, lesson = course["product"].slug, course["lessons"][0]
    return [f"/my/courses/{slug}", f"/my/courses/{slug}/lessons/{lesson.id}", f"/my/courses/{slug}/continue",
            f"/my/courses/{slug}/exam", f"/my/courses/files/{course['video'].id}",
            f"/my/courses/files/{course['handout'].id}"]


def test_lessons_videos_and_files_are_404_to_anyone_without_the_course(app, client, course):
    _, stranger = _customer(app, "stranger@example.com")
    for url in _urls(course):
        assert client.get(url).status_code == 404, url  # anonymous: not even a login page
        assert stranger.get(url).status_code == 404, url
    owner, mine = _customer(app)
    grant_course(owner, course["product"])
    for url in _urls(course):
        assert mine.get(url, follow_redirects=True).status_code == 200, url
    key = course["video"].storage_key
    assert client.get(f"/media/{key}").status_code == 404  # private files are never under /media
    assert client.get(f"/media/../private/{key}").status_code == 404


def test_a_video_is_served_in_ranges_so_it_seeks(app, course):
    owner, mine = _customer(app)
    grant_course(owner, course["product"])
    url = f"/my/courses/files/{course['video'].id}"
    part = mine.get(url, headers={"Range": "bytes=1000-1099"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 1000-1099/{len(VIDEO)}"
    assert part.data == VIDEO[1000:1100]
    assert part.headers["Accept-Ranges"] == "bytes"
    whole = mine.get(url)
    assert whole.status_code == 200 and whole.data == VIDEO and whole.mimetype == "video/mp4"
    assert "private" in whole.headers["Cache-Control"]


def test_an_unverified_account_with_a_buyers_address_opens_nothing_of_theirs(app, course):
    impostor = UserFactory(email="buyer@example.com", email_verified_at=None)
    db.session.add(access.CourseAccess(email="buyer@example.com", product_id=course["product"].id))
    db.session.commit()
    assert access.can_open(impostor, course["product"]) is False
    assert access.owned_course_ids(user=impostor) == set()  # nor is it told the address bought it
    client = app.test_client()
    log_in(client, impostor.email, DEFAULT_PASSWORD)
    assert client.get(f"/my/courses/{course['product'].slug}").status_code == 404


def test_progress_is_kept_and_continue_resumes_at_the_first_unfinished_lesson(app, course):
    owner, mine = _customer(app)
    grant_course(owner, course["product"])
    slug, lessons = course["product"].slug, course["lessons"]
    first = mine.get(f"/my/courses/{slug}/continue")
    assert first.headers["Location"].endswith(f"/lessons/{lessons[0].id}")
    page = mine.get(f"/my/courses/{slug}/lessons/{lessons[0].id}").get_data(as_text=True)
    token = csrf_token(page)
    done = mine.post(f"/my/courses/{slug}/lessons/{lessons[0].id}/complete", data={"csrf_token": token, "done": "1"})
    assert done.headers["Location"].endswith(f"/lessons/{lessons[1].id}")
    again = mine.post(f"/my/courses/{slug}/lessons/{lessons[0].id}/complete", data={"csrf_token": token})
    assert again.status_code == 302  # marking twice records it once
    assert db.session.scalar(db.select(db.func.count(LessonProgress.id))) == 1
    assert mine.get(f"/my/courses/{slug}/continue").headers["Location"].endswith(f"/lessons/{lessons[1].id}")
    assert "1 of 3 lessons" in mine.get("/my/courses").get_data(as_text=True)
    course_page = soup(mine.get(f"/my/courses/{slug}").get_data(as_text=True))
    assert [li.a.get_text() for li in course_page.select(".course-outline li.is-done")] == [lessons[0].title]
    as_json = mine.post(f"/my/courses/{slug}/lessons/{lessons[2].id}/complete",
                        data={"csrf_token": token}, headers={"Accept": "application/json"})
    assert as_json.get_json() == {"done": True}  # what the video's "ended" sends
    undone = mine.post(f"/my/courses/{slug}/lessons/{lessons[0].id}/complete", data={"csrf_token": token, "done": "0"})
    assert undone.status_code == 302
    assert mine.get(f"/my/courses/{slug}/continue").headers["Location"].endswith(f"/lessons/{lessons[0].id}")
    forged = mine.post(f"/my/courses/{slug}/lessons/{lessons[1].id}/complete", data={"done": "1"})
    assert forged.status_code == 400  # no CSRF token: nothing recorded
    assert db.session.scalar(db.select(db.func.count(LessonProgress.id))) == 1


def test_a_lesson_page_allows_frames_only_from_youtube_and_vimeo(app, course):
    lesson = course["lessons"][1]
    lesson.video_url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    db.session.commit()
    owner, mine = _customer(app)
    grant_course(owner, course["product"])
    response = mine.get(f"/my/courses/{course['product'].slug}/lessons/{lesson.id}")
    frames = response.headers["Content-Security-Policy"].split("frame-src ")[1].split(";")[0].split()
    assert set(frames) - {"'self'", "https://js.stripe.com", "https://hooks.stripe.com"} == {
        "https://www.youtube-nocookie.com", "https://player.vimeo.com"}  # the video hosts, and no others
    frame = soup(response.get_data(as_text=True)).find("iframe")
    assert frame["src"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" and frame["title"]


def test_the_evaluation_opens_after_passing_and_is_kept_once(app, course):
    owner, mine = _customer(app)
    grant_course(owner, course["product"])
    exam_for(course["product"], questions=2, requires_all_lessons=False)
    slug = course["product"].slug
    early = mine.get(f"/my/courses/{slug}/evaluation")
    assert early.status_code == 302 and early.headers["Location"].endswith(f"/my/courses/{slug}")
    db.session.add(ExamAttempt(user_id=owner.id, product_id=course["product"].id, number=1, layout=[],
                               submitted_at=utcnow(), score_percent=100, passed=True))
    db.session.commit()
    page = mine.get(f"/my/courses/{slug}/evaluation").get_data(as_text=True)
    incomplete = mine.post(f"/my/courses/{slug}/evaluation", data={"csrf_token": csrf_token(page)})
    assert incomplete.status_code == 422 and "Choose one answer" in incomplete.get_data(as_text=True)
    answers = {"csrf_token": csrf_token(page), "objectives_met": "5", "content_quality": "4", "usefulness": "5",
               "would_recommend": "yes", "comment": "Clear and practical."}
    assert mine.post(f"/my/courses/{slug}/evaluation", data=answers).status_code == 303
    assert mine.get(f"/my/courses/{slug}/evaluation").status_code == 302  # once
    [kept] = db.session.scalars(db.select(CourseEvaluation)).all()
    assert (kept.objectives_met, kept.content_quality, kept.would_recommend, kept.comment) == (
        5, 4, True, "Clear and practical.")


def test_a_lesson_page_costs_the_same_queries_whatever_the_lessons_courses_and_customers(app, count_queries):
    def queries(lessons, courses, customers):
        db.session.rollback()
        owner = UserFactory()
        mine = app.test_client()
        log_in(mine, owner.email, DEFAULT_PASSWORD)
        made = [course_with_lessons(lessons=lessons, modules=2) for _ in range(courses)]
        product, items = made[0]
        for other, _ in made:
            grant_course(owner, other)
        for _ in range(customers):
            someone = UserFactory()
            grant_course(someone, product)
            db.session.add(LessonProgress(user_id=someone.id, lesson_id=items[0].id))
        db.session.add(LessonProgress(user_id=owner.id, lesson_id=items[0].id))
        db.session.commit()
        url = f"/my/courses/{product.slug}/lessons/{items[1].id}"
        assert mine.get(url).status_code == 200
        with count_queries() as counter:
            assert mine.get(url).status_code == 200
        return counter.count

    small = queries(lessons=2, courses=1, customers=1)
    large = queries(lessons=12, courses=6, customers=25)
    assert small == large
    assert small <= 4  # the account, the lesson with its outline, progress and files, the cart count


def test_a_courses_product_page_states_its_current_approvals_and_shows_a_change_at_once(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE", True)
    monkeypatch.setitem(app.config, "PAGE_CACHE_CHECK_SECONDS", 0)
    product, _ = course_with_lessons(lessons=1, slug="mfr", title="Myofascial Release")
    assert "Being renewed" in client.get("/products/mfr").get_data(as_text=True)
    approval = ApprovalFactory(product_id=product.id, body="NCBTMB", provider_number="DEMO-000777")
    page = client.get("/products/mfr").get_data(as_text=True)  # the cached page is dropped by the stamp
    assert "NCBTMB: 6 CE hours, home study;" in page and "provider DEMO-000777" in page
    approval.expires_on = approval.starts_on
    db.session.commit()
    assert "Being renewed" in client.get("/products/mfr").get_data(as_text=True)
