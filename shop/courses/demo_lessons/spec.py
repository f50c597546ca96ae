"""The shapes the demo course texts are written in: a course's modules, lessons, exam and handout."""

from typing import Any


def lesson(title: str, figure: tuple, alt: str, body: str) -> dict[str, Any]:
    """A lesson: its Markdown body (## headings, a "Key points" list), a figure drawn for it and its alt text.

    The figure is placed after the body's first paragraph.
    """
    return {"title": title, "figure": figure, "alt": alt, "body": body.strip()}


def question(lesson_number: int, prompt: str, right: str, *wrong: str) -> dict[str, Any]:
    """A multiple-choice question taught by the course's `lesson_number`-th lesson (1 = the first)."""
    if len(wrong) != 3:
        raise ValueError(f"a demo question needs three wrong options: {prompt!r}")
    return {"lesson": lesson_number, "prompt": prompt, "right": right, "wrong": list(wrong)}


def course(modules: list[tuple[str, list[dict[str, Any]]]], questions: list[dict[str, Any]],
           checklist: list[str], selfcare: list[tuple[str, str, str]]) -> dict[str, Any]:
    """A course's content: modules of lessons, the exam, and the handout's checklist and self-care chart."""
    return {"modules": modules, "questions": questions, "checklist": checklist, "selfcare": selfcare}
