"""The handout PDF of a demo course: a technique checklist and a self-care chart, drawn with fpdf2.

One or two US Letter pages: the shop's name, the course title, what the course covers (its modules and
lessons), a checklist with tick boxes, and a self-care chart to copy for clients. Text that fits Latin-1
(all of the demo's) is set in fpdf's core Helvetica, which needs no font file and keeps seeding fast;
other text uses the DejaVu fonts when installed (reduced to Latin-1 if they are not).
"""

from functools import lru_cache

from fpdf.fonts import FontFace

from shop.core.pdf import Document

ACCENT = (31, 111, 139)
INK = (33, 47, 61)


class _Handout(Document):
    def __init__(self, shop_name: str, latin: bool) -> None:
        super().__init__(latin=latin)
        self.shop_name = shop_name
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(self.family, "I", 8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, self.text_of(f"{self.shop_name} - course handout - page {self.page_no()}"), align="C")

    def heading(self, text: str, size: float = 13) -> None:
        self.ln(3)
        self.set_font(self.family, "B", size)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, size * 0.5, self.text_of(text), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)
        self.ln(1)

    def para(self, text: str, size: float = 10) -> None:
        self.set_font(self.family, "", size)
        self.multi_cell(0, size * 0.5, self.text_of(text), new_x="LMARGIN", new_y="NEXT")


def _latin(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=32)
def handout_pdf(shop_name: str, course_title: str, outline: tuple[tuple[str, tuple[str, ...]], ...],
                checklist: tuple[str, ...], selfcare: tuple[tuple[str, str, str], ...]) -> bytes:
    """The handout's bytes; `outline` is ((module title, (lesson title, ...)), ...)."""
    every = " ".join([shop_name, course_title, *checklist, *(" ".join(row) for row in selfcare),
                      *(" ".join((module, *lessons)) for module, lessons in outline)])
    pdf = _Handout(shop_name, latin=_latin(every))
    pdf.set_title(f"{course_title}: handout")
    pdf.set_author(shop_name)
    pdf.add_page()
    pdf.set_font(pdf.family, "B", 9)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 5, pdf.text_of(shop_name.upper()), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_font(pdf.family, "B", 20)
    pdf.multi_cell(0, 9, pdf.text_of(course_title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "", 11)
    pdf.cell(0, 7, pdf.text_of("Course handout: technique checklist and self-care chart"), new_x="LMARGIN",
             new_y="NEXT")
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.6)
    pdf.line(18, pdf.get_y() + 2, 197.9, pdf.get_y() + 2)
    pdf.ln(4)

    pdf.heading("What this course covers")
    for module, lessons in outline:
        pdf.set_font(pdf.family, "B", 10)
        pdf.multi_cell(0, 5, pdf.text_of(module), new_x="LMARGIN", new_y="NEXT")
        pdf.para("; ".join(lessons) + ".")
        pdf.ln(1)

    pdf.heading("Technique checklist")
    pdf.para("Tick each point as you work through a session; keep a copy beside the table.", 9)
    pdf.ln(1)
    pdf.set_font(pdf.family, "", 10)
    for item in checklist:
        y = pdf.get_y()
        pdf.set_line_width(0.3)
        pdf.rect(20, y + 0.8, 4, 4)
        pdf.set_x(28)
        pdf.multi_cell(0, 5.6, pdf.text_of(item), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.6)

    pdf.heading("Self-care chart for your clients")
    pdf.para("Copy or print this part for a client. Stop any exercise that causes pain, and ask your therapist.", 9)
    pdf.ln(2)
    pdf.set_font(pdf.family, "", 9.5)
    with pdf.table(col_widths=(35, 90, 55), headings_style=FontFace(emphasis="BOLD", color=(255, 255, 255),
                                                                      fill_color=ACCENT),
                   line_height=6, padding=1.5) as table:
        header = table.row()
        for title in ("Area", "What to do", "How often"):
            header.cell(pdf.text_of(title))
        for area, what, how_often in selfcare:
            row = table.row()
            for value in (area, what, how_often):
                row.cell(pdf.text_of(value))
    pdf.ln(4)
    pdf.set_font(pdf.family, "I", 8.5)
    pdf.multi_cell(0, 4.5, pdf.text_of("This handout supports the home-study course of the same name. It is not "
                                       "a substitute for the lessons, nor for medical advice."))
    return bytes(pdf.output())
