"""A certificate of achievement drawn as a one-page PDF (landscape US Letter) with fpdf2 and segno.

It prints exactly what the certificate row copied from its approval: the approved title and hours
("6 CE hours", never CEUs), the provider's name, number and address or e-mail, the approving body's
statement, plus the participant, the completion date, the signature, the certificate number and a QR
code of the public verification page. A reissue says "Revised"; a revoked one carries a large mark.
DejaVu fonts when installed, fpdf's core fonts (text reduced to Latin-1) otherwise.
"""

import io
import os
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import segno
from fpdf import FPDF

from shop.accounts.licences import state_name
from shop.core.timeutil import to_shop_time

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
SERIF_FILES = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf", "I": "DejaVuSerif-Italic.ttf",
               "BI": "DejaVuSerif-BoldItalic.ttf"}
SANS_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
INK = (33, 37, 41)
ACCENT = (22, 78, 99)  # deep teal
GOLD = (176, 141, 87)
MUTED = (90, 96, 102)
PAGE_W, PAGE_H = 279.4, 215.9  # US Letter, landscape, mm
STATEMENT_BOTTOM = 143


def ce_hours_text(hours: Any) -> str:
    """Decimal("6.00") -> "6 CE hours"; 1 -> "1 CE hour"; 1.5 -> "1.5 CE hours"."""
    text = f"{Decimal(str(hours)):.2f}".rstrip("0").rstrip(".")
    return f"{text} CE hour" + ("" if text == "1" else "s")


def long_date(day: date | datetime | None) -> str:
    return f"{day:%B} {day.day}, {day:%Y}" if day else ""


class _Page(FPDF):
    tz_name = "UTC"  # the shop's time zone, for the moments printed (a reissue, a revocation)

    def moment(self, value: datetime | None) -> str:
        """A stored (UTC) moment as the shop's calendar date, as the web pages show it."""
        local = to_shop_time(value, self.tz_name)
        return long_date(local.date()) if local else ""

    def __init__(self) -> None:
        super().__init__(orientation="L", unit="mm", format="Letter")
        self.set_auto_page_break(False)
        self.set_margins(0, 0, 0)
        self.unicode = all(os.path.exists(os.path.join(FONT_DIR, f)) for f in (*SERIF_FILES.values(),
                                                                                *SANS_FILES.values()))
        if self.unicode:
            for style, name in SERIF_FILES.items():
                self.add_font("Serif", style, os.path.join(FONT_DIR, name))
            for style, name in SANS_FILES.items():
                self.add_font("Sans", style, os.path.join(FONT_DIR, name))
        self.serif = "Serif" if self.unicode else "Times"
        self.sans = "Sans" if self.unicode else "Helvetica"

    def text_of(self, value: object) -> str:
        text = str(value or "")
        if self.unicode:
            return text
        text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
        text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u00b7", "-")
        return text.encode("latin-1", "replace").decode("latin-1")

    def line_of(self, text: object, y: float, size: float, *, family: str = "", style: str = "",
                color: tuple[int, int, int] = INK, x: float = 0, w: float = PAGE_W, align: str = "C") -> None:
        self.set_font(family or self.serif, style, size)
        self.set_text_color(*color)
        self.set_xy(x, y)
        self.cell(w, size * 0.45, self.text_of(text), align=align)

    def fit(self, text: object, family: str, style: str, size: float, width: float, smallest: float) -> float:
        """The largest font size from `size` down to `smallest` at which `text` fits `width`."""
        while size > smallest:
            self.set_font(family, style, size)
            if self.get_string_width(self.text_of(text)) <= width:
                break
            size -= 0.5
        return size


def _border(pdf: _Page) -> None:
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.6)
    pdf.rect(8, 8, PAGE_W - 16, PAGE_H - 16)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.5)
    pdf.rect(12, 12, PAGE_W - 24, PAGE_H - 24)
    pdf.set_line_width(0.25)
    pdf.rect(13.5, 13.5, PAGE_W - 27, PAGE_H - 27)
    for x, y in ((12, 12), (PAGE_W - 12, 12), (12, PAGE_H - 12), (PAGE_W - 12, PAGE_H - 12)):
        pdf.set_fill_color(*ACCENT)
        pdf.rect(x - 2.2, y - 2.2, 4.4, 4.4, style="F")


def _rule(pdf: _Page, y: float, width: float, color: tuple[int, int, int] = GOLD, thick: float = 0.4) -> None:
    pdf.set_draw_color(*color)
    pdf.set_line_width(thick)
    pdf.line((PAGE_W - width) / 2, y, (PAGE_W + width) / 2, y)


def _heading(pdf: _Page, certificate: Any, shop_name: str) -> float:
    pdf.set_char_spacing(2.2)
    pdf.line_of(shop_name.upper(), 24, 11, family=pdf.sans, style="B", color=ACCENT)
    pdf.set_char_spacing(0)
    pdf.line_of("Certificate of Achievement", 35, 36, style="B", color=INK)
    _rule(pdf, 55, 90)
    y = 58
    if certificate.revision > 1:
        when = pdf.moment(certificate.reissued_at)
        pdf.line_of(f"Revised certificate (revision {certificate.revision})" + (f", reissued {when}" if when else ""),
                    y, 9, family=pdf.sans, color=MUTED)
        y += 4
    return y


def _participant(pdf: _Page, certificate: Any, y: float) -> float:
    pdf.line_of("This certifies that", y + 6, 13, style="I", color=MUTED)
    size = pdf.fit(certificate.participant_name, pdf.serif, "B", 30, 235, 18)
    pdf.line_of(certificate.participant_name, y + 15, size, style="B", color=ACCENT)
    _rule(pdf, y + 31, 150, INK, 0.3)
    y += 33
    if certificate.licence_number:
        label = (f"{state_name(certificate.licence_state)} licence number" if certificate.licence_state
                 else "NCBTMB certification number")
        pdf.line_of(f"{label}: {certificate.licence_number}", y, 10, family=pdf.sans, color=MUTED)
        y += 5
    return y


def _course(pdf: _Page, certificate: Any, y: float) -> float:
    pdf.line_of("has completed the course below and passed its final examination", y + 5, 12, style="I",
                color=MUTED)
    size = pdf.fit(certificate.approved_title, pdf.serif, "B", 21, 229, 16)
    pdf.set_font(pdf.serif, "B", size)
    pdf.set_text_color(*INK)
    pdf.set_xy(25, y + 13)
    pdf.multi_cell(PAGE_W - 50, size * 0.5, pdf.text_of(certificate.approved_title), align="C")
    y = pdf.get_y() + 4
    facts = (f"{ce_hours_text(certificate.ce_hours)}   \u00b7   {certificate.course_type}   \u00b7   "
             f"Completed {long_date(certificate.completed_on)}")
    pdf.line_of(facts, y, 13, family=pdf.sans, style="B", color=ACCENT)
    y += 10
    if certificate.body_statement:
        statement = pdf.text_of(certificate.body_statement)
        # the statement ends above the signature and the QR code, and stays readable (8 pt at the least:
        # approvals keep it to 600 characters, which fits in five lines of the full width)
        width = PAGE_W - 110
        for size, width in ((10, PAGE_W - 110), (9, PAGE_W - 90), (8.5, PAGE_W - 70), (8, PAGE_W - 60)):
            pdf.set_font(pdf.serif, "I", size)
            lines = pdf.multi_cell(width, size * 0.46, statement, align="C", dry_run=True, output="LINES")
            if y + len(lines) * size * 0.46 <= STATEMENT_BOTTOM:
                break
        pdf.set_text_color(*MUTED)
        pdf.set_xy((PAGE_W - width) / 2, y)
        pdf.multi_cell(width, size * 0.46, statement, align="C")
        y = pdf.get_y()
    return y


def _signature(pdf: _Page, signature_png: bytes | None, signatory: str, signatory_title: str) -> None:
    left, width, line_y = 26, 80, 176
    if signature_png:
        pdf.image(io.BytesIO(signature_png), x=left + 8, y=line_y - 20, w=width - 16, h=19, keep_aspect_ratio=True)
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    pdf.line(left, line_y, left + width, line_y)
    pdf.line_of(signatory, line_y + 2, 10.5, family=pdf.sans, style="B", x=left, w=width)
    pdf.line_of(signatory_title, line_y + 7, 9, family=pdf.sans, color=MUTED, x=left, w=width)


def _provider(pdf: _Page, certificate: Any) -> None:
    left, width, top = 104, 106, 155
    pdf.line_of("APPROVED PROVIDER", top, 8, family=pdf.sans, style="B", color=GOLD, x=left, w=width)
    pdf.line_of(certificate.provider_name, top + 5, 10.5, family=pdf.sans, style="B", x=left, w=width)
    pdf.line_of(f"{certificate.body} provider number {certificate.provider_number}", top + 10.5, 9,
                family=pdf.sans, x=left, w=width)
    pdf.set_font(pdf.sans, "", 8.5)
    pdf.set_text_color(*MUTED)
    pdf.set_xy(left, top + 15)
    pdf.multi_cell(width, 4, pdf.text_of(certificate.provider_contact), align="C")
    if certificate.cebroker_tracking_number:
        pdf.line_of(f"CE Broker course tracking number {certificate.cebroker_tracking_number}", pdf.get_y() + 1,
                    8.5, family=pdf.sans, color=MUTED, x=left, w=width)


def _verification(pdf: _Page, certificate: Any, verify_url: str) -> None:
    size, right = 30, PAGE_W - 24
    qr = io.BytesIO()
    segno.make(verify_url, error="m").save(qr, kind="png", scale=10, border=1, dark="#164e63")
    pdf.image(io.BytesIO(qr.getvalue()), x=right - size, y=145, w=size, h=size)
    pdf.line_of("Certificate number", 176.5, 7.5, family=pdf.sans, color=MUTED, x=right - 60, w=60, align="R")
    pdf.line_of(certificate.number, 180.5, 10, family=pdf.sans, style="B", x=right - 70, w=70, align="R")
    size_url = pdf.fit(verify_url, pdf.sans, "", 7, 80, 5)
    pdf.line_of(f"Verify at {verify_url}", 185.5, size_url, family=pdf.sans, color=MUTED, x=right - 90, w=90,
                align="R")


def _revoked_mark(pdf: _Page, certificate: Any) -> None:
    with pdf.rotation(24, PAGE_W / 2, PAGE_H / 2), pdf.local_context(fill_opacity=0.18):
        pdf.line_of("REVOKED", PAGE_H / 2 - 20, 110, family=pdf.sans, style="B", color=(190, 20, 20))
    pdf.line_of(f"This certificate was revoked on {pdf.moment(certificate.revoked_at)} and is no longer valid.",
                PAGE_H - 22, 10, family=pdf.sans, style="B", color=(170, 20, 20))


def render(certificate: Any, *, verify_url: str, signature_png: bytes | None, signatory: str, signatory_title: str,
           shop_name: str, tz_name: str = "UTC") -> bytes:
    """The certificate as PDF bytes."""
    pdf = _Page()
    pdf.tz_name = tz_name
    pdf.set_title(pdf.text_of(f"Certificate of Achievement {certificate.number}"))
    pdf.set_author(pdf.text_of(certificate.provider_name))
    pdf.set_subject(pdf.text_of(certificate.approved_title))
    pdf.add_page()
    _border(pdf)
    y = _heading(pdf, certificate, shop_name)
    y = _participant(pdf, certificate, y)
    _course(pdf, certificate, y)
    _signature(pdf, signature_png, signatory, signatory_title)
    _provider(pdf, certificate)
    _verification(pdf, certificate, verify_url)
    if certificate.revoked_at is not None:
        _revoked_mark(pdf, certificate)
    return bytes(pdf.output())


def render_transcript(transcript: Any, *, shop_name: str, printed_on: date) -> bytes:
    """A CE transcript (shop.courses.transcripts.Transcript) as a portrait Letter PDF: one table per period."""
    pdf = _Page()
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(pdf.text_of(f"CE transcript: {transcript.participant}"))
    pdf.add_page(orientation="P")
    width = 215.9
    pdf.line_of(shop_name.upper(), 16, 10, family=pdf.sans, style="B", color=ACCENT, w=width)
    pdf.line_of("Continuing Education Transcript", 24, 20, style="B", w=width)
    pdf.line_of(transcript.participant, 35, 13, style="B", color=ACCENT, w=width)
    pdf.line_of(f"{transcript.heading} · printed {long_date(printed_on)}", 42, 9, family=pdf.sans, color=MUTED,
                w=width)
    pdf.set_y(52)
    columns = ((26, "Completed"), (84, "Course (as approved)"), (30, "Approved by"), (20, "Hours"),
               (36, "Certificate"))
    for group in transcript.periods:
        pdf.set_x(10)
        pdf.set_font(pdf.sans, "B", 10.5)
        pdf.set_text_color(*ACCENT)
        pdf.cell(196, 7, pdf.text_of(f"{group.period.label}: {ce_hours_text(group.hours)}"), new_x="LMARGIN",
                 new_y="NEXT")
        pdf.set_font(pdf.sans, "B", 8)
        pdf.set_text_color(*MUTED)
        pdf.set_x(10)
        for w, label in columns:
            pdf.cell(w, 5, label, border="B")
        pdf.ln(5)
        pdf.set_text_color(*INK)
        if not group.certificates:
            pdf.set_x(10)
            pdf.set_font(pdf.sans, "", 8.5)
            pdf.cell(196, 6, "No certificates in this period.", new_x="LMARGIN", new_y="NEXT")
        for c in group.certificates:
            pdf.set_font(pdf.sans, "", 8.5)
            status = " (revoked)" if c.revoked_at is not None else ""
            row = (f"{c.completed_on:%m/%d/%Y}", c.approved_title + status, c.body,
                   "0" if status else ce_hours_text(c.ce_hours).split(" ")[0], c.number)
            pdf.set_x(10)
            with pdf.table(col_widths=[w for w, _ in columns], width=196, first_row_as_headings=False,
                           borders_layout="NONE", line_height=4.2, padding=0.8, text_align="LEFT") as table:
                cells = table.row()
                for value in row:
                    cells.cell(pdf.text_of(value))
        pdf.ln(4)
    pdf.set_x(10)
    pdf.set_font(pdf.sans, "B", 10.5)
    pdf.cell(196, 7, pdf.text_of(f"Total: {ce_hours_text(transcript.hours)}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.sans, "", 8)
    pdf.set_text_color(*MUTED)
    pdf.set_x(10)
    pdf.multi_cell(196, 4, "Each certificate can be checked at the verification page printed on it. Revoked "
                   "certificates count no hours.")
    return bytes(pdf.output())
