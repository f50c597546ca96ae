"""The base of the shop's printed documents (receipts, course handouts): US Letter with fpdf2, set in the
DejaVu Sans fonts when installed (any text), else fpdf's core Helvetica with text reduced to Latin-1."""

import os

from fpdf import FPDF

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
SANS_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
_LATIN = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                        "\u00b7": "-", "\u2212": "-", "\u00d7": "x"})


def has_unicode_fonts() -> bool:
    return all(os.path.exists(os.path.join(FONT_DIR, name)) for name in SANS_FILES.values())


class Document(FPDF):
    """`latin=True` keeps the core font (no font file to read: faster) for text known to be Latin-1."""

    def __init__(self, *, latin: bool = False, orientation: str = "P") -> None:
        super().__init__(orientation=orientation, unit="mm", format="Letter")
        self.unicode = not latin and has_unicode_fonts()
        if self.unicode:
            for style, name in SANS_FILES.items():
                self.add_font("Sans", style, os.path.join(FONT_DIR, name))
        self.family = "Sans" if self.unicode else "Helvetica"

    def text_of(self, value: object) -> str:
        text = str(value if value is not None else "")
        if self.unicode:
            return text
        return text.translate(_LATIN).encode("latin-1", "replace").decode("latin-1")
