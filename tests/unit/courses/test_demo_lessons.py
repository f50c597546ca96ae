"""The demo course texts are complete and well formed: every demo course has one, each exam question is tied to
a lesson of its course, and every lesson has the shape the lesson page expects."""

import pytest

from shop.catalogue import demo_data
from shop.courses.demo_lessons import BY_SKU

FIGURE_KINDS = {"steps", "muscle", "cycle", "compare", "scale"}


def test_every_demo_course_has_content_written_for_it():
    assert set(BY_SKU) == {course["sku"] for course in demo_data.COURSES}


@pytest.mark.parametrize("sku", sorted(BY_SKU))
def test_a_demo_course_has_two_or_three_modules_five_to_nine_lessons_and_a_handout(sku):
    spec = BY_SKU[sku]
    lessons = [item for _, items in spec["modules"] for item in items]
    assert 2 <= len(spec["modules"]) <= 3 and 5 <= len(lessons) <= 9
    assert len({item["title"] for item in lessons}) == len(lessons)
    for item in lessons:
        body = item["body"]
        assert "## Key points\n" in body and "\n- " in body and "\n\n" in body, item["title"]
        assert not any(line.startswith("# ") for line in body.splitlines())  # headings start at ##
        assert item["figure"][0] in FIGURE_KINDS and item["alt"]
    assert len(spec["checklist"]) >= 5 and all(len(row) == 3 for row in spec["selfcare"])


@pytest.mark.parametrize("sku", sorted(BY_SKU))
def test_a_demo_exam_has_eight_questions_with_one_right_answer_among_four_tied_to_a_lesson(sku):
    spec = BY_SKU[sku]
    lesson_total = sum(len(items) for _, items in spec["modules"])
    assert len(spec["questions"]) >= 8
    for question in spec["questions"]:
        assert 1 <= question["lesson"] <= lesson_total, question["prompt"]
        options = [question["right"], *question["wrong"]]
        assert len(set(options)) == 4 and all(options)
    taught = {question["lesson"] for question in spec["questions"]}
    assert len(taught) >= lesson_total - 1  # the exam covers (almost) every lesson
